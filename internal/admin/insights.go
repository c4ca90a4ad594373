package admin

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Insights is the question log as the admin page sees it: summaries made
// by the caller (cmd/supportbot, over internal/insight), so that this
// package imports no store and no domain type.
type Insights interface {
	// Report summarises the questions answered in [since, until).
	Report(ctx context.Context, since, until time.Time) (Report, error)
	// WriteUnanswered writes every group of unanswered questions of
	// [since, until) as JSON Lines in the evaluation format
	// ({"id","lang","q","gold":[]}), for the staff to label and add to a
	// regression file: what `supportbot insights --unanswered-jsonl`
	// prints.
	WriteUnanswered(ctx context.Context, since, until time.Time, w io.Writer) error
}

// Report is the question log over a period, shaped for the page. Every
// text in it may be user text (the questions) or the staff's (names); the
// page escapes all of it.
type Report struct {
	Since, Until time.Time
	Questions    int
	NoMatch      int
	NoMatchRate  float64
	Up, Down     int
	// Outcomes count questions by outcome, every outcome, in report
	// order ("programmes", "category", "clarification", "urgent",
	// "no_match", "follow_up", "menu").
	Outcomes []Count
	// Days are every day of the period, oldest first.
	Days []Day
	// Unanswered are the unanswered questions grouped, most asked first.
	Unanswered []Unanswered
	// Programmes are the programmes shown, most shown first.
	Programmes []Programme
	// Categories count answers by the category of the first programme
	// shown; Channels ("web", "line", "slack") and Languages ("ja",
	// "en") count questions. Most first.
	Categories, Channels, Languages []Share
}

// Count is how many of something.
type Count struct {
	ID string
	N  int
}

// Day is one day of a Report.
type Day struct {
	Date      time.Time // 00:00 of the day in Japan
	Questions int
	NoMatch   int
	Up, Down  int
}

// NoMatchRate is the day's share of questions that found nothing.
func (d Day) NoMatchRate() float64 { return ratio(d.NoMatch, d.Questions) }

// Unanswered is a group of unanswered questions that say the same thing.
type Unanswered struct {
	Text     string // the wording asked most
	Count    int
	Lang     string // "ja", "en"
	Examples []string
	Last     time.Time
}

// Names are a name in Japanese and English.
type Names struct{ JA, EN string }

// Programme is the demand for and the votes on one programme.
type Programme struct {
	ID           string
	Name         Names
	Shown, First int
	Up, Down     int
}

// Share counts questions (or answers) for one category, channel or
// language.
type Share struct {
	ID        string
	Name      Names // empty: the page names it
	Questions int
	Share     float64
}

func ratio(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// handleUnanswered serves GET /admin/unanswered.jsonl?days=N: the
// unanswered questions of the period as a gold file to download.
func (a *Admin) handleUnanswered() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.insights == nil {
			writeError(w, http.StatusNotFound, "no question log (QUESTION_LOG=off)")
			return
		}
		days := periodOf(r)
		until := a.now()
		since := until.Add(-time.Duration(days) * 24 * time.Hour)
		// Written whole before it is sent: a failure is a clean 500,
		// not a file cut short that looks complete.
		var b bytes.Buffer
		if err := a.insights.WriteUnanswered(r.Context(), since, until, &b); err != nil {
			a.log.ErrorContext(r.Context(), "admin: unanswered questions", "err", err)
			writeError(w, http.StatusInternalServerError, "the question log could not be read")
			return
		}
		name := fmt.Sprintf("unanswered-%s-%dd.jsonl", until.In(japan).Format("20060102"), days)
		w.Header().Set("Content-Type", "application/x-ndjson; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
		_, _ = w.Write(b.Bytes())
	})
}
