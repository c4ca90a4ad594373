package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/evaluate"
	"github.com/supportbot/supportbot/internal/sqlite"
)

// logDir makes a DATA_DIR whose question log holds a fixed two days:
// 2026-12-01 and 12-02 in Japan.
func logDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	day := time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC) // 2026-12-01 00:00 in Japan
	rec := func(id string, at time.Duration, o bot.Outcome, ch string, l bot.Lang, text string, progs ...string) bot.Record {
		return bot.Record{AnswerID: id, At: day.Add(at), Conversation: "c-" + id, Channel: ch, Lang: l, Outcome: o, Text: text, Programmes: progs}
	}
	b := bot.LogBatch{Records: []bot.Record{
		rec("a", 1*time.Hour, bot.OutcomeProgrammes, "line", bot.Japanese, "中小企業の相談", "programme-01", "programme-02"),
		rec("b", 2*time.Hour, bot.OutcomeProgrammes, "line", bot.Japanese, "中小企業の相談窓口", "programme-01"),
		rec("c", 3*time.Hour, bot.OutcomeNoMatch, "web", bot.Japanese, "補助金で太陽光パネル"),
		rec("d", 26*time.Hour, bot.OutcomeNoMatch, "line", bot.Japanese, "太陽光パネルの補助金"),
		rec("e", 27*time.Hour, bot.OutcomeNoMatch, "web", bot.English, "\x1b[2J<script>alert(1)</script> \u202eevil"),
		rec("f", 28*time.Hour, bot.OutcomeCategory, "slack", bot.English, "", "programme-02", "programme-03"),
		rec("g", 29*time.Hour, bot.OutcomeMenu, "web", bot.Japanese, ""),
	}, Ballots: []bot.Ballot{
		{AnswerID: "a", Conversation: "c-a", Vote: bot.VoteUp, At: day.Add(2 * time.Hour)},
		{AnswerID: "f", Conversation: "c-f", Vote: bot.VoteDown, At: day.Add(30 * time.Hour)},
	}}
	if _, err := sqlite.NewQuestionLog(db).Write(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	return dir
}

var insightsRange = []string{"--since", "2026-12-01", "--until", "2026-12-03"}

// TestInsightsText compares the report with testdata/insights.golden
// (-update rewrites it). The hostile question is printed harmless.
func TestInsightsText(t *testing.T) {
	dir := logDir(t)
	stdout, stderr, err := runCLI(t, "", append([]string{"insights", "--data-dir", dir}, insightsRange...)...)
	if err != nil {
		t.Fatalf("insights: %v\n%s", err, stderr)
	}
	if strings.ContainsAny(stdout, "\x1b\u202e") {
		t.Errorf("the report prints an escape or bidi character from a question:\n%q", stdout)
	}
	path := filepath.Join("testdata", "insights.golden")
	if *update {
		if err := os.WriteFile(path, []byte(stdout), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./cmd/supportbot -run Insights -update)", err)
	}
	if stdout != string(want) {
		t.Errorf("insights differs from %s; go test ./cmd/supportbot -run Insights -update and review\ngot:\n%s", path, stdout)
	}
}

func TestInsightsJSON(t *testing.T) {
	dir := logDir(t)
	stdout, stderr, err := runCLI(t, "", append([]string{"insights", "--json", "--data-dir", dir}, insightsRange...)...)
	if err != nil {
		t.Fatalf("insights --json: %v\n%s", err, stderr)
	}
	var s struct {
		Questions   int            `json:"questions"`
		Outcomes    map[string]int `json:"outcomes"`
		NoMatchRate float64        `json:"no_match_rate"`
		Unanswered  []struct {
			Text  string `json:"text"`
			Count int    `json:"count"`
		} `json:"unanswered"`
		Feedback struct {
			Up   int `json:"up"`
			Down int `json:"down"`
		} `json:"feedback"`
		Programmes []struct {
			ID    string `json:"id"`
			Shown int    `json:"shown"`
			Up    int    `json:"up"`
			Down  int    `json:"down"`
		} `json:"programmes"`
	}
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatalf("insights --json is not one object: %v\n%s", err, stdout)
	}
	if s.Questions != 7 || s.Outcomes["no_match"] != 3 || s.NoMatchRate != 3.0/7 {
		t.Errorf("questions %d, no match %d (%v); want 7, 3", s.Questions, s.Outcomes["no_match"], s.NoMatchRate)
	}
	if len(s.Unanswered) != 2 || s.Unanswered[0].Text != "太陽光パネルの補助金" || s.Unanswered[0].Count != 2 {
		t.Errorf("unanswered = %+v; want the two solar-panel wordings as one, ×2, then the script", s.Unanswered)
	}
	if s.Feedback.Up != 1 || s.Feedback.Down != 1 {
		t.Errorf("feedback = %+v; want 1 and 1", s.Feedback)
	}
	if len(s.Programmes) != 3 || s.Programmes[0].ID != "programme-01" || s.Programmes[0].Shown != 2 || s.Programmes[0].Up != 1 {
		t.Errorf("programmes = %+v; want programme-01 shown twice with 1 up first", s.Programmes)
	}
	if strings.Contains(stdout, "<script>") {
		t.Errorf("JSON carries <script> unescaped")
	}
}

func TestInsightsUnansweredJSONL(t *testing.T) {
	dir := logDir(t)
	stdout, stderr, err := runCLI(t, "", append([]string{"insights", "--unanswered-jsonl", "--data-dir", dir}, insightsRange...)...)
	if err != nil {
		t.Fatalf("insights --unanswered-jsonl: %v\n%s", err, stderr)
	}
	items, err := evaluate.ReadGold(strings.NewReader(stdout))
	if err != nil {
		t.Fatalf("not a gold file: %v\n%s", err, stdout)
	}
	if len(items) != 2 || items[0].Q != "太陽光パネルの補助金" || items[0].Lang != "ja" || items[0].Gold == nil || len(items[0].Gold) != 0 {
		t.Errorf("items = %+v; want 2, the solar panels first, with an empty gold list", items)
	}
	if !strings.Contains(stdout, `"gold":[]`) || !strings.HasPrefix(items[0].ID, "unanswered-") {
		t.Errorf("lines lack \"gold\":[] or the id prefix:\n%s", stdout)
	}
	again, _, _ := runCLI(t, "", append([]string{"insights", "--unanswered-jsonl", "--data-dir", dir}, insightsRange...)...)
	if again != stdout {
		t.Error("two runs gave different ids or order")
	}
}

func TestInsightsErrors(t *testing.T) {
	empty := t.TempDir()
	tests := []struct {
		args  []string
		usage bool
		want  string
	}{
		{[]string{"insights", "--data-dir", empty}, false, "no question log at"},
		{[]string{"insights", "--since", "yesterday"}, true, "neither a time back"},
		{[]string{"insights", "--since", "2026-12-02", "--until", "2026-12-01"}, true, "before --until"},
		{[]string{"insights", "--json", "--unanswered-jsonl"}, true, "not both"},
		{[]string{"insights", "extra"}, true, "unexpected argument"},
	}
	for _, tt := range tests {
		_, _, err := runCLI(t, "", tt.args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) || (exitCode(err) == 2) != tt.usage {
			t.Errorf("%v = %v (exit %d); want an error naming %q, usage %v", tt.args, err, exitCode(err), tt.want, tt.usage)
		}
	}
	if _, err := os.Stat(filepath.Join(empty, sqlite.FileName)); err == nil {
		t.Error("insights created a database where there was none")
	}
}

func TestPrintable(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"plain", 10, "plain"},
		{"\x1b[31mred", 10, "\uFFFD[31mred"},
		{"a\u202eb\u200bc", 10, "a\uFFFDb\uFFFDc"},
		{"bad\xffutf8", 10, "bad\uFFFDutf8"},
		{"\x00\x07", 10, "\uFFFD\uFFFD"},
		{"長い質問です", 4, "長い質問…"},
	}
	for _, tt := range tests {
		if got := printable(tt.in, tt.n); got != tt.want {
			t.Errorf("printable(%q, %d) = %q; want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
