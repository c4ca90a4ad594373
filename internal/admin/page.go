package admin

import (
	"bytes"
	"cmp"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

// templates are parsed once; html/template escapes everything they show,
// in the SVG of the charts too.
var templates = template.Must(template.New("").Funcs(template.FuncMap{
	"pct":  formatPct,
	"num":  func(n int) string { return groupDigits(int64(n)) },
	"f1":   func(f float64) string { return fmt.Sprintf("%.1f", f) },
	"user": func(s string) string { return cutText(s, 300) },
	"map2": func(p page, rows []Share, head string) sharesTable { return sharesTable{P: p, Rows: rows, Head: head} },
}).ParseFS(templateFS, "templates/*.html"))

// formatPct writes a share as a percentage: 0.953 → 95.3%, 1 → 100%.
func formatPct(f float64) string {
	return strings.TrimSuffix(fmt.Sprintf("%.1f", f*100), ".0") + "%"
}

// Shown on the page at most; the download has every group.
const (
	pageUnanswered  = 30
	chartUnanswered = 10
	chartProgrammes = 15
	chartFeedback   = 15
)

// page is what templates/index.html shows.
type page struct {
	L       lang
	Days    int
	Periods []link
	Switch  link
	// ReloadURL is where the reload form posts: its language and period
	// bring the person back to this page.
	ReloadURL string

	Report *Report
	Off    bool // no question log
	Failed bool // the question log could not be read
	Charts charts
	More   int // unanswered groups beyond those listed
	Total  int // unanswered groups in all (the download)
	Down   string

	K    KnowledgeStatus
	CSRF string
}

// sharesTable is the table behind a chart of shares.
type sharesTable struct {
	P    page
	Rows []Share
	Head string // the message key of the first column
}

type link struct {
	Label, Href, Lang string
	Current           bool
}

type charts struct {
	Daily                                   columnChart
	Outcomes, Unanswered, Feedback          barChart
	Programmes, Categories, Channels, Langs barChart
}

// T is the page's phrase key in its language; with args, a format.
func (p page) T(key string, args ...any) (string, error) {
	m, ok := messages[key]
	if !ok {
		return "", fmt.Errorf("admin: no message %q", key)
	}
	if len(args) == 0 {
		return m.in(p.L), nil
	}
	return fmt.Sprintf(m.in(p.L), args...), nil
}

// Name is the page's name for an outcome, channel, language, trigger or
// result id; an id it does not know is shown as it is.
func (p page) Name(id string) string {
	if m, ok := names[id]; ok {
		return m.in(p.L)
	}
	return id
}

// Names picks the name in the page's language, or the other, or id.
func (p page) Names(n Names, id string) string {
	if p.L == en {
		return cmp.Or(n.EN, n.JA, id)
	}
	return cmp.Or(n.JA, n.EN, id)
}

// Share is n as a share of the report's questions.
func (p page) Share(n int) float64 {
	if p.Report == nil {
		return 0
	}
	return ratio(n, p.Report.Questions)
}

// ShareName is the name of a category, channel or language.
func (p page) ShareName(s Share) string {
	if name := p.Names(s.Name, ""); name != "" {
		return name
	}
	return p.Name(s.ID)
}

// Date writes a day: "2026-12-01 (火)", "Tue 2026-12-01".
func (p page) Date(t time.Time) string {
	t = t.In(japan)
	if p.L == en {
		return t.Format("Mon 2006-01-02")
	}
	return t.Format("2006-01-02") + " (" + jaWeekdays[t.Weekday()] + ")"
}

// Time writes a moment in Japan time.
func (p page) Time(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(japan).Format("2006-01-02 15:04 MST")
}

var jaWeekdays = [...]string{"日", "月", "火", "水", "木", "金", "土"}

// handleIndex serves GET /admin/: the insights of the question log over
// the chosen period, and the knowledge status with the reload button.
func (a *Admin) handleIndex() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := page{L: langOf(r), Days: periodOf(r), K: a.k.KnowledgeStatus(r.Context()), CSRF: a.csrfToken(r)}
		p.ReloadURL = "/admin/reload?" + pageQuery(p.L, p.Days)
		other := en
		if p.L == en {
			other = ja
		}
		p.Switch = link{Label: messages["switch"].in(p.L), Href: pageURL(other, p.Days), Lang: string(other)}
		for _, d := range periods {
			label, _ := p.T("days", d)
			p.Periods = append(p.Periods, link{Label: label, Href: pageURL(p.L, d), Current: d == p.Days})
		}
		if a.insights == nil {
			p.Off = true
		} else {
			until := a.now()
			rep, err := a.insights.Report(r.Context(), until.Add(-time.Duration(p.Days)*24*time.Hour), until)
			if err != nil {
				// The page still shows the knowledge and the reload
				// button: those are what is needed while the database
				// is down.
				a.log.ErrorContext(r.Context(), "admin: insights", "err", err)
				p.Failed = true
			} else {
				p.Report = &rep
				p.Charts = p.charts(rep)
				p.Total = len(rep.Unanswered)
				p.More = max(0, p.Total-pageUnanswered)
				if len(rep.Unanswered) > pageUnanswered {
					rep.Unanswered = rep.Unanswered[:pageUnanswered]
				}
				p.Down = "/admin/unanswered.jsonl?days=" + fmt.Sprint(p.Days)
			}
		}
		a.render(w, r, http.StatusOK, "index.html", p)
	})
}

// charts lays out the report's charts in the page's language.
func (p page) charts(r Report) charts {
	t := func(key string, args ...any) string { s, _ := p.T(key, args...); return s }
	var c charts

	days := make([]dayPoint, len(r.Days))
	busiest := Day{}
	for i, d := range r.Days {
		if d.Questions > busiest.Questions {
			busiest = d
		}
		dt := d.Date.In(japan)
		days[i] = dayPoint{Label: fmt.Sprintf("%d/%d", dt.Month(), dt.Day()), Questions: d.Questions, NoMatch: d.NoMatch,
			Title: fmt.Sprintf("%s: %s %s, %s %s (%s)", p.Date(d.Date), t("questions"), groupDigits(int64(d.Questions)),
				t("no_match"), groupDigits(int64(d.NoMatch)), formatPct(d.NoMatchRate()))}
	}
	busy := "—"
	if busiest.Questions > 0 {
		busy = p.Date(busiest.Date)
	}
	c.Daily = newColumnChart("c-daily", t("per_day"), t("per_day_desc", len(r.Days), groupDigits(int64(r.Questions)),
		groupDigits(int64(r.NoMatch)), formatPct(r.NoMatchRate), busy, groupDigits(int64(busiest.Questions))), days)

	var items []barItem
	for _, o := range r.Outcomes {
		items = append(items, barItem{Label: p.Name(o.ID), Values: []int{o.N}, Value: groupDigits(int64(o.N)) + " · " + formatPct(ratio(o.N, r.Questions))})
	}
	c.Outcomes = newBarChart("c-outcomes", t("outcomes"), describe(p, t("outcomes"), items), items, []string{"b-main"}, wide)

	items = nil
	for _, u := range r.Unanswered[:min(len(r.Unanswered), chartUnanswered)] {
		items = append(items, barItem{Label: u.Text, Values: []int{u.Count}, Value: groupDigits(int64(u.Count))})
	}
	c.Unanswered = newBarChart("c-unanswered", t("top_unans", chartUnanswered), describe(p, t("unanswered"), items), items, []string{"b-none"}, wide)
	c.Unanswered.Empty = t("no_unans")

	voted := slices.DeleteFunc(slices.Clone(r.Programmes), func(pr Programme) bool { return pr.Up+pr.Down == 0 })
	slices.SortStableFunc(voted, func(a, b Programme) int {
		return cmp.Or(cmp.Compare(b.Down, a.Down), cmp.Compare(b.Up, a.Up))
	})
	voted = voted[:min(len(voted), chartFeedback)]
	labels := make([]string, len(voted))
	ups, downs := make([]int, len(voted)), make([]int, len(voted))
	var parts []string
	for i, pr := range voted {
		labels[i], ups[i], downs[i] = p.Names(pr.Name, pr.ID), pr.Up, pr.Down
		parts = append(parts, fmt.Sprintf("%s 👍%d 👎%d", clean(labels[i]), pr.Up, pr.Down))
	}
	c.Feedback = newDivergingChart("c-feedback", t("feedback"), t("chart_desc", t("feedback"), strings.Join(parts, ", ")), labels, downs, ups, "b-down", "b-up")
	c.Feedback.Empty = t("no_votes")

	items = nil
	for _, pr := range r.Programmes[:min(len(r.Programmes), chartProgrammes)] {
		items = append(items, barItem{Label: p.Names(pr.Name, pr.ID), Values: []int{pr.First, pr.Shown - pr.First}, Value: groupDigits(int64(pr.Shown))})
	}
	c.Programmes = newBarChart("c-programmes", t("programmes"), describe(p, t("programmes"), items), items, []string{"b-main", "b-light"}, wide)

	shares := func(id, title string, ss []Share) barChart {
		var items []barItem
		for _, s := range ss {
			items = append(items, barItem{Label: p.ShareName(s), Values: []int{s.Questions}, Value: formatPct(s.Share)})
		}
		return newBarChart(id, title, describe(p, title, items), items, []string{"b-main"}, compact)
	}
	c.Categories = shares("c-categories", t("categories"), r.Categories)
	c.Channels = shares("c-channels", t("channels"), r.Channels)
	c.Langs = shares("c-languages", t("languages"), r.Languages)
	return c
}

// describe is a chart's text alternative: its title and every row with
// its value.
func describe(p page, title string, items []barItem) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = cutText(it.Label, 60) + " " + it.Value
	}
	s, _ := p.T("chart_desc", title, strings.Join(parts, ", "))
	return s
}

// loginPage is what templates/login.html shows.
type loginPage struct {
	page
	Failed bool
}

func (a *Admin) renderLogin(w http.ResponseWriter, r *http.Request, code int, failed bool) {
	l := langOf(r)
	other := en
	if l == en {
		other = ja
	}
	p := page{L: l, Switch: link{Label: messages["switch"].in(l), Href: "/admin/login?lang=" + string(other), Lang: string(other)}}
	a.render(w, r, code, "login.html", loginPage{page: p, Failed: failed})
}

// render executes a template into a buffer first, so that a failure is a
// clean 500 rather than half a page.
func (a *Admin) render(w http.ResponseWriter, r *http.Request, code int, name string, data any) {
	var b bytes.Buffer
	if err := templates.ExecuteTemplate(&b, name, data); err != nil {
		a.log.ErrorContext(r.Context(), "admin: render", "template", name, "err", err)
		writeError(w, http.StatusInternalServerError, "internal error")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	_, _ = w.Write(b.Bytes())
}
