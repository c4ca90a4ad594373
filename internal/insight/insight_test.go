package insight_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/insight"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// day0 is the first day of the fixture, 00:00 in Japan.
var day0 = time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC)

func readCounts(t testing.TB) bot.LogCounts {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "counts.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c bot.LogCounts
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatalf("testdata/counts.json: %v", err)
	}
	return c
}

var categories = map[string][]string{
	"sme-help-desk": {"sme"}, "security-action": {"sme"}, "e-net-caravan": {"youth"}, "sechack365": {"talent", "youth"},
}

// TestSummarizeGolden summarises a fixed week of counts
// (testdata/counts.json) and compares the JSON with
// testdata/summary.golden.json; -update rewrites it.
func TestSummarizeGolden(t *testing.T) {
	s := insight.Summarize(readCounts(t), insight.Options{Categories: categories})
	got, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "summary.golden.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run Golden -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Summarize differs from %s; run go test ./internal/insight -run Golden -update and review the diff\ngot:\n%s", path, got)
	}
}

func TestSummarize(t *testing.T) {
	s := insight.Summarize(readCounts(t), insight.Options{Categories: categories})
	if s.Questions != 100 {
		t.Errorf("Questions = %d; want 100", s.Questions)
	}
	if got := s.Outcomes[bot.OutcomeNoMatch]; got != 20 || s.NoMatchRate != 0.2 {
		t.Errorf("no match = %d, rate %v; want 20, 0.2", got, s.NoMatchRate)
	}
	if len(s.Outcomes) != len(bot.Outcomes()) {
		t.Errorf("Outcomes has %d keys; want every outcome", len(s.Outcomes))
	}
	if len(s.Days) != 7 || s.Days[0].Date != "2026-12-01" || s.Days[6].Date != "2026-12-07" {
		t.Fatalf("Days = %d from %s; want the 7 days from 2026-12-01", len(s.Days), s.Days[0].Date)
	}
	if d := s.Days[3]; d.Questions != 0 || d.NoMatchRate != 0 {
		t.Errorf("a day without questions = %+v; want zeros", d)
	}
	if s.Feedback != (insight.Votes{Up: 9, Down: 3}) {
		t.Errorf("Feedback = %+v; want 9 up, 3 down", s.Feedback)
	}
	if p := s.Programmes[0]; p.ID != "sme-help-desk" || p.Shown != 40 || p.Up != 6 {
		t.Errorf("Programmes[0] = %+v; want sme-help-desk shown 40 times, 6 up", p)
	}
	if c := s.Categories[0]; c.ID != "sme" || c.Questions != 45 {
		t.Errorf("Categories[0] = %+v; want sme 45 (sme-help-desk 30 + security-action 15 first)", c)
	}
	if c := s.Channels[0]; c.ID != "line" || c.Questions != 60 || c.Share != 0.6 {
		t.Errorf("Channels[0] = %+v; want line 60, 0.6", c)
	}
	if g := s.Unanswered[0]; g.Text != "補助金で太陽光パネル" || g.Count != 9 || len(g.Examples) != 2 {
		t.Errorf("Unanswered[0] = %+v; want 補助金で太陽光パネル ×9 with its 2 other wordings", g)
	}
}

func TestSummarizeEmpty(t *testing.T) {
	q := insight.Window(day0.Add(48*time.Hour), 48*time.Hour)
	s := insight.Summarize(bot.LogCounts{Query: q}, insight.Options{})
	if s.Questions != 0 || s.NoMatchRate != 0 || len(s.Days) != 2 || s.Programmes == nil || s.Unanswered == nil {
		t.Errorf("Summarize(nothing) = %+v; want zeros, two empty days, empty lists", s)
	}
	b, _ := json.Marshal(s)
	for _, key := range []string{`"questions":0`, `"no_match_rate":0`, `"unanswered":[]`, `"programmes":[]`, `"feedback":{"up":0,"down":0}`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON of an empty summary lacks %s: %s", key, b)
		}
	}
}

func TestGroupUnanswered(t *testing.T) {
	last := day0
	tc := func(text string, n int) bot.TextCount {
		last = last.Add(time.Minute)
		return bot.TextCount{Text: text, Lang: bot.Japanese, Count: n, Last: last}
	}
	tests := []struct {
		name string
		in   []bot.TextCount
		want []string // "text ×count [examples]"
	}{
		{"width, case, spaces and punctuation", []bot.TextCount{tc("VPN おすすめ", 3), tc("ＶＰＮ　オススメ！", 2), tc("vpn おすすめ?", 1)},
			[]string{"VPN おすすめ ×6 [ＶＰＮ　オススメ！ vpn おすすめ?]"}},
		{"word order", []bot.TextCount{tc("補助金で太陽光パネル", 4), tc("太陽光パネルの補助金", 2)},
			[]string{"補助金で太陽光パネル ×6 [太陽光パネルの補助金]"}},
		{"a word more", []bot.TextCount{tc("weather in Osaka", 2), tc("weather in Osaka today", 3)},
			[]string{"weather in Osaka today ×5 [weather in Osaka]"}},
		{"different questions stay apart", []bot.TextCount{tc("大阪の天気", 2), tc("大阪の観光", 2), tc("パスワードを忘れた", 1)},
			[]string{"大阪の観光 ×2 []", "大阪の天気 ×2 []", "パスワードを忘れた ×1 []"}},
		{"one character", []bot.TextCount{tc("?", 1), tc("a", 2), tc("A", 1)},
			[]string{"a ×3 [A]", "? ×1 []"}},
		{"most asked first", []bot.TextCount{tc("x y z", 1), tc("確定申告のやり方", 5)},
			[]string{"確定申告のやり方 ×5 []", "x y z ×1 []"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, g := range insight.GroupUnanswered(tt.in, 10, 3) {
				got = append(got, fmt.Sprintf("%s ×%d %v", g.Text, g.Count, g.Examples))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("GroupUnanswered =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestGroupUnansweredLimits(t *testing.T) {
	var in []bot.TextCount
	for i := range 20 {
		in = append(in, bot.TextCount{Text: strings.Repeat(string(rune('a'+i)), 4), Count: 1, Last: day0})
		in = append(in, bot.TextCount{Text: "same thing " + strings.Repeat("!", i), Count: 1, Last: day0})
	}
	gs := insight.GroupUnanswered(in, 5, 2)
	if len(gs) != 5 || gs[0].Count != 20 || len(gs[0].Examples) != 2 {
		t.Errorf("GroupUnanswered(limit 5, 2 examples) = %d groups, first ×%d with %d examples; want 5, ×20, 2", len(gs), gs[0].Count, len(gs[0].Examples))
	}
}

func ExampleSummarize() {
	q := bot.LogQuery{Since: day0, Until: day0.Add(24 * time.Hour), Zone: insight.Zone}
	c := bot.LogCounts{
		Query: q,
		Slices: []bot.Slice{
			{Day: "2026-12-01", Outcome: bot.OutcomeProgrammes, Channel: "line", Lang: bot.Japanese, Questions: 8, Up: 3, Down: 1},
			{Day: "2026-12-01", Outcome: bot.OutcomeNoMatch, Channel: "web", Lang: bot.English, Questions: 2},
		},
		Programmes: []bot.ProgrammeCount{{ID: "sechack365", Shown: 8, First: 5, Up: 3, Down: 1}},
		Unanswered: []bot.TextCount{{Text: "weather in Osaka", Lang: bot.English, Count: 2}, {Text: "Weather in Osaka?", Lang: bot.English, Count: 1}},
	}
	s := insight.Summarize(c, insight.Options{})
	fmt.Printf("%d questions, %.0f%% found nothing, %d👍 %d👎\n", s.Questions, 100*s.NoMatchRate, s.Feedback.Up, s.Feedback.Down)
	for _, g := range s.Unanswered {
		fmt.Printf("%q ×%d\n", g.Text, g.Count)
	}
	// Output:
	// 10 questions, 20% found nothing, 3👍 1👎
	// "weather in Osaka" ×3
}

func BenchmarkGroupUnanswered(b *testing.B) {
	var in []bot.TextCount
	stems := []string{"補助金で太陽光パネルを買いたい", "大阪の天気", "おすすめのウイルス対策ソフトは？", "パスワードを忘れた", "weather in Osaka", "recommend antivirus software"}
	for i := range bot.DefaultUnanswered {
		in = append(in, bot.TextCount{Text: fmt.Sprintf("%s (%d)", stems[i%len(stems)], i), Count: 1000 - i, Last: day0})
	}
	for b.Loop() {
		insight.GroupUnanswered(in, 50, 3)
	}
}
