package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/catalog"
	"github.com/supportbot/supportbot/internal/evaluate"
	"github.com/supportbot/supportbot/internal/insight"
)

// runInsights prints what the question log says: questions, outcomes and
// the no-match rate per day, the unanswered questions grouped, votes per
// programme, demand. --json prints the Summary; --unanswered-jsonl the
// unanswered questions as a gold file to label.
func runInsights(env *environment, args []string) error {
	fl := flag.NewFlagSet("insights", flag.ContinueOnError)
	fl.SetOutput(env.stderr)
	dir := knowledgeFlag(fl, env)
	dataDir := fl.String("data-dir", envOr(env, "DATA_DIR"), "the `dir` of the SQLite question log (env DATA_DIR)")
	dbURL := fl.String("database-url", "", "PostgreSQL `URL` of the question log (env DATABASE_URL)")
	since := fl.String("since", "7d", "from this long ago (7d, 36h) or this day in Japan (2026-11-01)")
	until := fl.String("until", "now", "up to now, or to the start of this day in Japan (2026-12-01)")
	asJSON := fl.Bool("json", false, "print the summary as one JSON object")
	jsonl := fl.Bool("unanswered-jsonl", false, `print the unanswered questions as JSON Lines {"id","lang","q","gold":[]} to label for the regression set`)
	top := fl.Int("top", 20, "unanswered groups and programmes to list (text output)")
	fl.Usage = func() {
		fmt.Fprint(env.stderr, "usage: supportbot insights [--since 7d] [--until now] [--json | --unanswered-jsonl]\n\n")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err.Error()}
	}
	if fl.NArg() > 0 {
		return usageError{fmt.Sprintf("insights: unexpected argument %q", fl.Arg(0))}
	}
	if *asJSON && *jsonl {
		return usageError{"insights: --json or --unanswered-jsonl, not both"}
	}
	if *dbURL == "" {
		*dbURL = env.getenv("DATABASE_URL") // not a flag default: -h would print it
	}
	now := time.Now()
	to, err := parseUntil(*until, now)
	if err != nil {
		return usageError{"insights: --until: " + err.Error()}
	}
	from, err := parseSince(*since, to)
	if err != nil {
		return usageError{"insights: --since: " + err.Error()}
	}
	if !from.Before(to) {
		return usageError{"insights: --since must come before --until"}
	}
	cat, err := loadCatalog(*dir)
	if err != nil {
		return err
	}
	db, err := openExisting(env.ctx, *dataDir, *dbURL)
	if err != nil {
		return fmt.Errorf("insights: %w", err)
	}
	defer db.close()
	texts, groups := 0, *top
	switch {
	case *jsonl:
		texts, groups = downloadTexts, downloadGroups
	case *asJSON:
		groups = max(*top, 100)
	}
	s, err := summarize(env.ctx, db.log, cat, from, to, texts, groups)
	if err != nil {
		return err
	}
	switch {
	case *jsonl:
		return writeUnansweredJSONL(env.stdout, s)
	case *asJSON:
		enc := json.NewEncoder(env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	writeInsights(env.stdout, s, cat, *top)
	return nil
}

func envOr(env *environment, name string) string {
	if v := env.getenv(name); v != "" {
		return v
	}
	s, _ := settingByEnv(name)
	return s.Default
}

func settingByEnv(name string) (setting, bool) {
	for _, s := range settings {
		if s.Env == name {
			return s, true
		}
	}
	return setting{}, false
}

// japan is the staff's clock: UTC+9 all year.
var japan = time.FixedZone("JST", int(insight.Zone/time.Second))

// parseSince reads "7d", "36h", "90m" before until, or a day in Japan.
func parseSince(s string, until time.Time) (time.Time, error) {
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(d)
		if err != nil || n <= 0 {
			return time.Time{}, fmt.Errorf("%q is not a number of days such as 7d", s)
		}
		return until.Add(-time.Duration(n) * 24 * time.Hour), nil
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return until.Add(-d), nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, japan)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither a time back (7d, 36h) nor a day (2026-11-01)", s)
	}
	return t, nil
}

// parseUntil reads "now" or a day in Japan (its start).
func parseUntil(s string, now time.Time) (time.Time, error) {
	if s == "now" || s == "" {
		return now, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, japan)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither now nor a day (2026-12-01)", s)
	}
	return t, nil
}

// categoriesOf maps each initiative to its categories.
func categoriesOf(c *catalog.Catalog) map[string][]string {
	out := map[string][]string{}
	for _, cat := range c.Taxonomy.Categories {
		for _, in := range c.InCategory(cat.ID) {
			out[in.ID] = append(out[in.ID], cat.ID)
		}
	}
	return out
}

// writeUnansweredJSONL writes one gold line per group of unanswered
// questions. The id is made from the text, so the same question keeps its
// id from one week to the next.
func writeUnansweredJSONL(w io.Writer, s insight.Summary) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, g := range s.Unanswered {
		sum := sha256.Sum256([]byte(g.Text))
		it := evaluate.Item{ID: "unanswered-" + hex.EncodeToString(sum[:5]), Lang: string(g.Lang), Q: g.Text, Gold: []int{}}
		if err := enc.Encode(it); err != nil {
			return fmt.Errorf("insights: %w", err)
		}
	}
	return nil
}

// writeInsights prints the summary for people at a terminal. Questions
// are user text: they are printed through printable, and cut.
func writeInsights(w io.Writer, s insight.Summary, cat *catalog.Catalog, top int) {
	fmt.Fprintf(w, "Question log %s to %s (Japan time)\n", s.Since.In(japan).Format("2006-01-02 15:04"), s.Until.In(japan).Format("2006-01-02 15:04"))
	fmt.Fprintf(w, "%d questions, %s found nothing; feedback: %d helpful (👍), %d not helpful (👎)\n", s.Questions, percent(s.NoMatchRate), s.Feedback.Up, s.Feedback.Down)

	// Tables put numbers first and names last: tabwriter counts
	// characters, and a Japanese name is twice as wide as it counts.
	fmt.Fprintln(w, "\nPer day")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\tquestions\tno match\tup\tdown\t")
	for _, d := range s.Days {
		date, _ := time.Parse(time.DateOnly, d.Date)
		fmt.Fprintf(tw, "%s %s\t%d\t%s\t%d\t%d\t\n", d.Date, date.Format("Mon"), d.Questions, percent(d.NoMatchRate), d.Feedback.Up, d.Feedback.Down)
	}
	tw.Flush()

	fmt.Fprintln(w, "\nOutcomes")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	for _, o := range bot.Outcomes() {
		n := s.Outcomes[o]
		fmt.Fprintf(tw, "%d\t%s\t  %s\n", n, percent(ratio(n, s.Questions)), o)
	}
	tw.Flush()

	fmt.Fprintln(w, "\nUnanswered, most asked first (near-duplicates counted together)")
	if len(s.Unanswered) == 0 {
		fmt.Fprintln(w, "  none")
	}
	for i, g := range s.Unanswered {
		if i == top {
			fmt.Fprintf(w, "  … %d more (--top, --json or --unanswered-jsonl)\n", len(s.Unanswered)-top)
			break
		}
		fmt.Fprintf(w, "  %5d  %s\n", g.Count, printable(g.Text, 100))
		if len(g.Examples) > 0 {
			ex := make([]string, len(g.Examples))
			for i, e := range g.Examples {
				ex[i] = printable(e, 40)
			}
			fmt.Fprintf(w, "         also: %s\n", strings.Join(ex, " · "))
		}
	}

	fmt.Fprintln(w, "\nProgrammes: answers that showed them (first), and the votes on those answers")
	if len(s.Programmes) == 0 {
		fmt.Fprintln(w, "  none")
	}
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "shown\tfirst\tup\tdown\t")
	for i, p := range s.Programmes {
		if i == top {
			fmt.Fprintf(tw, "\t\t\t\t … %d more\n", len(s.Programmes)-top)
			break
		}
		name := printable(p.ID, 40)
		if in, ok := cat.Initiative(p.ID); ok {
			name += "  " + printable(in.Name.JA, 30)
		}
		fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t  %s\n", p.Shown, p.First, p.Up, p.Down, name)
	}
	tw.Flush()

	fmt.Fprintln(w, "\nDemand")
	for _, row := range []struct {
		name string
		d    []insight.Demand
	}{{"categories (first programme shown)", s.Categories}, {"channels", s.Channels}, {"languages", s.Languages}} {
		parts := make([]string, len(row.d))
		for i, d := range row.d {
			parts[i] = fmt.Sprintf("%s %d (%s)", printable(d.ID, 30), d.Questions, percent(d.Share))
		}
		if len(parts) == 0 {
			parts = []string{"none"}
		}
		fmt.Fprintf(w, "  %s: %s\n", row.name, strings.Join(parts, ", "))
	}
}

func percent(f float64) string { return strconv.FormatFloat(100*f, 'f', 1, 64) + "%" }

func ratio(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// printable makes user text safe to print to a terminal: control, format
// and bidirectional characters (escape sequences, text that rearranges
// itself) become U+FFFD, and it is cut to n characters.
func printable(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	count := 0
	for _, r := range s {
		if count == n {
			b.WriteString("…")
			break
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			r = '\uFFFD'
		}
		b.WriteRune(r)
		count++
	}
	return b.String()
}
