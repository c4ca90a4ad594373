package admin_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/admin"
)

// insights is an in-memory admin.Insights over a fixed report: the
// fixture of testdata/report.json, whose unanswered questions and names
// carry HTML, script, SVG and CSS payloads.
type insights struct {
	mu     sync.Mutex
	report admin.Report
	err    error
	asked  [][2]time.Time
}

func (in *insights) Report(_ context.Context, since, until time.Time) (admin.Report, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.asked = append(in.asked, [2]time.Time{since, until})
	return in.report, in.err
}

func (in *insights) WriteUnanswered(_ context.Context, since, until time.Time, w io.Writer) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.asked = append(in.asked, [2]time.Time{since, until})
	if in.err != nil {
		return in.err
	}
	enc := json.NewEncoder(w)
	for _, u := range in.report.Unanswered {
		if err := enc.Encode(map[string]any{"id": "unanswered-x", "lang": u.Lang, "q": u.Text, "gold": []int{}}); err != nil {
			return err
		}
	}
	return nil
}

func (in *insights) last() [2]time.Time {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.asked[len(in.asked)-1]
}

// ReportFixture reads testdata/report.json.
func reportFixture(t testing.TB) admin.Report {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r admin.Report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// payloads are the hostile texts of the fixture that must reach the page
// as text only.
var payloads = []string{
	"<script>alert('xss')</script>",
	"<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
	`"><img src=x onerror=alert(1)>`,
	"' onmouseover='alert(1)",
	"</title></text><svg onload=alert(1)><foreignObject><iframe src=//evil.example>",
	"</style><style>body{background:url(//evil.example/leak)}</style>",
	`]]><!-- --><x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>`,
	"<b onmouseover=alert(1)>制度</b>",
}

func insightsFixture(t *testing.T) (fixture, *insights) {
	t.Helper()
	in := &insights{report: reportFixture(t)}
	return newFixture(t, admin.Config{Insights: in}), in
}

func get(t *testing.T, f fixture, path string, header map[string]string) (int, string, http.Header) {
	t.Helper()
	h := bearer(token)
	for k, v := range header {
		h[k] = v
	}
	res := f.do(t, request{method: "GET", path: path, header: h})
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Header
}

func TestInsightsPage(t *testing.T) {
	f, in := insightsFixture(t)
	tests := []struct {
		name, path, accept string
		lang               string
		days               int
		want               []string
	}{
		{"Japanese browser", "/admin/", "ja-JP,ja;q=0.9,en;q=0.8", "ja", 7,
			[]string{"答えられなかった質問", "量子暗号について知りたい", "日ごとの質問と該当なし率", "中小企業向けサイバーセキュリティお助け隊サービス", "Webチャット", "今すぐ再読込"}},
		{"English browser", "/admin/", "en-GB,en;q=0.9", "en", 7,
			[]string{"Unanswered questions", "Questions and no-match rate per day", "Cybersecurity Otasuketai Service for SMEs", "Web chat", "Reload now"}},
		{"no header", "/admin/", "", "ja", 7, []string{"概要"}},
		{"another language", "/admin/", "fr-FR,fr;q=0.9", "en", 7, []string{"Overview"}},
		{"the switch wins", "/admin/?lang=en&days=30", "ja", "en", 30, []string{"Last 30 days", `aria-current="page">Last 30 days`}},
		{"90 days", "/admin/?lang=ja&days=90", "en", "ja", 90, []string{`aria-current="page">過去90日`}},
		{"an unknown period", "/admin/?days=5", "ja", "ja", 7, []string{`aria-current="page">過去7日`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body, _ := get(t, f, tt.path, map[string]string{"Accept-Language": tt.accept})
			if code != 200 {
				t.Fatalf("GET %s = %d %s", tt.path, code, body)
			}
			if !strings.Contains(body, `<html lang="`+tt.lang+`">`) {
				t.Errorf("page language is not %s", tt.lang)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("the page lacks %q", w)
				}
			}
			span := in.last()
			if got := span[1].Sub(span[0]); got != time.Duration(tt.days)*24*time.Hour || !span[1].Equal(f.clock.now()) {
				t.Errorf("report asked for %v; want the %d days before now", span, tt.days)
			}
			checkCharts(t, body)
		})
	}
}

// checkCharts: every chart is an image named by its title and
// description, and the ids it points at exist.
func checkCharts(t *testing.T, body string) {
	t.Helper()
	svgs := regexp.MustCompile(`<svg class="chart"[^>]*>`).FindAllString(body, -1)
	if len(svgs) < 7 {
		t.Errorf("%d charts; want the daily chart, outcomes, unanswered, feedback, programmes, areas, channels, languages", len(svgs))
	}
	for _, s := range svgs {
		m := regexp.MustCompile(`aria-labelledby="([^"]+) ([^"]+)"`).FindStringSubmatch(s)
		if !strings.Contains(s, `role="img"`) || m == nil {
			t.Errorf("chart %s is not an image with a name and a description", s)
			continue
		}
		for _, id := range m[1:] {
			if !strings.Contains(body, `id="`+id+`"`) {
				t.Errorf("chart points at #%s, which is not on the page", id)
			}
		}
	}
}

// allowed are the only elements the page may hold: anything else came
// from a text that was not escaped.
var allowed = []string{"html", "head", "meta", "title", "style", "body", "a", "header", "h1", "h2", "h3", "nav", "ul", "ol", "li",
	"form", "input", "button", "main", "section", "p", "dl", "dt", "dd", "div", "span", "bdi", "code", "pre",
	"details", "summary", "table", "caption", "thead", "tbody", "tr", "th", "td",
	"svg", "desc", "g", "line", "rect", "text", "polyline", "circle"}

// element is a start tag of the page: its name and attribute names.
type element struct {
	name  string
	attrs []string
	raw   string
}

// elements scans html for start tags. Text the page shows is escaped, so
// every "<" followed by a letter starts a tag of the page's own; a scan
// (not a parser) is enough, and cheap enough for the fuzzer.
func elements(html string) []element {
	var out []element
	for i := 0; i < len(html); i++ {
		if html[i] != '<' || i+1 == len(html) || !isLetter(html[i+1]) {
			continue
		}
		j := i + 1
		for j < len(html) && (isLetter(html[j]) || isDigit(html[j]) || html[j] == '-' || html[j] == ':') {
			j++
		}
		e := element{name: strings.ToLower(html[i+1 : j])}
		// Attributes up to the closing '>', quoted values skipped.
		for j < len(html) && html[j] != '>' {
			switch c := html[j]; {
			case c == '"' || c == '\'':
				end := strings.IndexByte(html[j+1:], c)
				if end < 0 {
					j = len(html)
					continue
				}
				j += end + 2
			case isLetter(c) || c == '_':
				k := j
				for k < len(html) && (isLetter(html[k]) || isDigit(html[k]) || strings.IndexByte("-_:.", html[k]) >= 0) {
					k++
				}
				e.attrs = append(e.attrs, strings.ToLower(html[j:k]))
				j = k
			default:
				j++
			}
		}
		e.raw = html[i:min(j+1, len(html))]
		out = append(out, e)
		i = j
	}
	return out
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// badMarkup lists what of html is not the page's own: elements outside
// allowed, event handler and src attributes, a second style sheet.
func badMarkup(html string) []string {
	var bad []string
	styles := 0
	for _, e := range elements(html) {
		if !slices.Contains(allowed, e.name) {
			bad = append(bad, fmt.Sprintf("a <%s> element: %.120q", e.name, e.raw))
		}
		if e.name == "style" {
			styles++
		}
		for _, a := range e.attrs {
			if strings.HasPrefix(a, "on") || a == "src" || a == "xmlns:x" || a == "style" {
				bad = append(bad, fmt.Sprintf("<%s> with an attribute %s: %.120q", e.name, a, e.raw))
			}
		}
	}
	if styles != 1 {
		bad = append(bad, fmt.Sprintf("%d style elements; want the page's own", styles))
	}
	return bad
}

// TestPageEscapesQuestions renders the page with the hostile fixture in
// both languages: every payload is shown as text, no element or
// attribute of its own reaches the page (the SVG labels included), and
// bidirectional and zero-width characters are shown as U+FFFD.
func TestPageEscapesQuestions(t *testing.T) {
	f, _ := insightsFixture(t)
	for _, l := range []string{"ja", "en"} {
		code, body, hdr := get(t, f, "/admin/?lang="+l, nil)
		if code != 200 {
			t.Fatalf("GET /admin/ = %d", code)
		}
		if csp := hdr.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
			t.Errorf("Content-Security-Policy %q; want default-src 'none' and no scripts", csp)
		}
		if n := len(elements(body)); n < 500 {
			t.Errorf("%s: the scan finds %d elements; want the whole page's", l, n)
		}
		for _, b := range badMarkup(body) {
			t.Errorf("%s: the page holds %s", l, b)
		}
		for _, p := range payloads {
			if strings.Contains(body, p) {
				t.Errorf("%s: the page holds %q as markup", l, p)
			}
			// Shown as text: in the list, the table or a label.
			if !strings.Contains(html.UnescapeString(body), p) && !strings.Contains(html.UnescapeString(body), p[:min(len(p), 20)]) {
				t.Errorf("%s: the page does not show %q as text", l, p)
			}
		}
		if strings.ContainsAny(body, "\u202e\u200b") {
			t.Errorf("%s: the page passes on a bidi or zero-width character", l)
		}
		if !strings.Contains(body, "大阪の天気\uFFFDevil\uFFFD") {
			t.Errorf("%s: the bidi and zero-width characters are not shown as U+FFFD", l)
		}
	}
}

// TestPageWithoutTheLog: with the question log off, or its database down,
// the page still shows the knowledge and the reload button.
func TestPageWithoutTheLog(t *testing.T) {
	for _, tt := range []struct {
		name string
		cfg  admin.Config
		want string
	}{
		{"off", admin.Config{}, "QUESTION_LOG=off"},
		{"down", admin.Config{Insights: &insights{err: errors.New("postgres: connection refused at 10.0.0.5")}}, "質問ログを読み込めませんでした"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.cfg)
			code, body, _ := get(t, f, "/admin/?lang=ja", nil)
			if code != 200 || !strings.Contains(body, tt.want) || !strings.Contains(body, "今すぐ再読込") || !strings.Contains(body, "0123456789abcdef") {
				t.Errorf("GET /admin/ = %d; want the page with %q, the knowledge and the reload button:\n%s", code, tt.want, body)
			}
			if strings.Contains(body, "10.0.0.5") || strings.Contains(body, "<svg") {
				t.Error("the page shows the database error or charts")
			}
		})
	}
}

func TestEmptyPeriod(t *testing.T) {
	f := newFixture(t, admin.Config{Insights: &insights{report: admin.Report{Outcomes: []admin.Count{{ID: "programmes"}}}}})
	code, body, _ := get(t, f, "/admin/?lang=en", nil)
	if code != 200 || !strings.Contains(body, "No questions in this period.") || strings.Contains(body, "<svg") {
		t.Errorf("GET /admin/ over an empty period = %d; want the note and no charts", code)
	}
}

func TestDownloadUnanswered(t *testing.T) {
	f, in := insightsFixture(t)
	code, body, hdr := get(t, f, "/admin/unanswered.jsonl?days=90", nil)
	if code != 200 || hdr.Get("Content-Type") != "application/x-ndjson; charset=utf-8" ||
		hdr.Get("Content-Disposition") != `attachment; filename="unanswered-20261201-90d.jsonl"` {
		t.Fatalf("GET /admin/unanswered.jsonl = %d %v", code, hdr)
	}
	lines := strings.Split(strings.TrimSpace(body), "\n")
	if len(lines) != len(in.report.Unanswered) {
		t.Errorf("%d lines; want %d", len(lines), len(in.report.Unanswered))
	}
	if span := in.last(); span[1].Sub(span[0]) != 90*24*time.Hour {
		t.Errorf("asked for %v; want 90 days", span)
	}
	in.err = errors.New("sqlite: disk I/O error")
	if code, body, _ := get(t, f, "/admin/unanswered.jsonl", nil); code != 500 || strings.Contains(body, "disk") {
		t.Errorf("a failing log = %d %s; want 500 without the error", code, body)
	}
	off := newFixture(t, admin.Config{})
	if code, _, _ := get(t, off, "/admin/unanswered.jsonl", nil); code != 404 {
		t.Errorf("without the log = %d; want 404", code)
	}
	if res := f.do(t, request{method: "GET", path: "/admin/unanswered.jsonl"}); res.StatusCode != 303 {
		t.Errorf("without a session = %d; want 303 to the login form", res.StatusCode)
	}
}

// TestReloadFormReturns: the reload button brings the person back to the
// page in its language and period.
func TestReloadFormReturns(t *testing.T) {
	f, _ := insightsFixture(t)
	c := login(t, f)
	res := f.do(t, request{method: "GET", path: "/admin/?lang=en&days=30", cookie: c})
	b, _ := io.ReadAll(res.Body)
	m := regexp.MustCompile(`<form method="post" action="([^"]+)"><input type="hidden" name="csrf" value="([^"]+)">`).FindStringSubmatch(string(b))
	if m == nil {
		t.Fatalf("no reload form:\n%s", b)
	}
	action := html.UnescapeString(m[1])
	res = f.do(t, request{method: "POST", path: action, cookie: c, form: url.Values{"csrf": {m[2]}}, header: map[string]string{"Sec-Fetch-Site": "same-origin"}})
	if res.StatusCode != 303 || res.Header.Get("Location") != "/admin/?days=30&lang=en" {
		t.Errorf("POST %s = %d to %q; want 303 back to /admin/?days=30&lang=en", action, res.StatusCode, res.Header.Get("Location"))
	}
}
