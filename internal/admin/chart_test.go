package admin

import (
	"math"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestNiceStep(t *testing.T) {
	for _, tt := range []struct {
		most float64
		m    []float64
		want float64
	}{
		{0, []float64{1, 2, 5}, 1},
		{3, []float64{1, 2, 5}, 1},
		{4, []float64{1, 2, 5}, 1},
		{5, []float64{1, 2, 5}, 2},
		{31, []float64{1, 2, 5}, 10},
		{41, []float64{1, 2, 5}, 20},
		{1234, []float64{1, 2, 5}, 500},
		{17.6, []float64{1, 2, 2.5, 5}, 5},
		{100, []float64{1, 2, 2.5, 5}, 25},
	} {
		if got := niceStep(tt.most, 4, tt.m); got != tt.want {
			t.Errorf("niceStep(%v, 4, %v) = %v; want %v", tt.most, tt.m, got, tt.want)
		}
		if got := niceStep(tt.most, 4, tt.m); 4*got < tt.most {
			t.Errorf("niceStep(%v) = %v: four steps do not reach it", tt.most, got)
		}
	}
}

func TestBarChartScales(t *testing.T) {
	c := newBarChart("c", "t", "d", []barItem{
		{Label: "a", Values: []int{10, 10}, Value: "20"},
		{Label: "b", Values: []int{5, 0}, Value: "5"},
		{Label: "c", Values: []int{0, 1}, Value: "1"},
		{Label: "d", Values: []int{0, 0}, Value: "0"},
	}, []string{"one", "two"}, wide)
	plot := chartW - labelW - valueW
	if len(c.Rows) != 4 || c.H != 4*rowH {
		t.Fatalf("%d rows, height %v", len(c.Rows), c.H)
	}
	a := c.Rows[0]
	if len(a.Bars) != 2 || a.Bars[0].X != labelW || math.Abs(a.Bars[0].W+a.Bars[1].W-plot) > 1e-9 || a.Bars[1].Class != "two" {
		t.Errorf("the largest row = %+v; want two bars filling the plot", a.Bars)
	}
	if b := c.Rows[1].Bars; len(b) != 1 || math.Abs(b[0].W-plot/4) > 1e-9 {
		t.Errorf("a row of a quarter = %+v; want a quarter of the plot", b)
	}
	if b := c.Rows[2].Bars; len(b) != 1 || b[0].W < 1 || b[0].Class != "two" {
		t.Errorf("a row of one = %+v; want a visible bar", b)
	}
	if len(c.Rows[3].Bars) != 0 {
		t.Errorf("a row of nothing has bars %+v", c.Rows[3].Bars)
	}
	for i, r := range c.Rows {
		if r.ValueX <= labelW || r.ValueX > chartW {
			t.Errorf("row %d: value at %v, off the chart", i, r.ValueX)
		}
	}
}

func TestDivergingChart(t *testing.T) {
	c := newDivergingChart("c", "t", "d", []string{"x", "y"}, []int{2, 0}, []int{4, 1}, "down", "up")
	x, y := c.Rows[0].Bars, c.Rows[1].Bars
	if len(x) != 2 || x[0].Class != "down" || x[0].X+x[0].W != c.Mid || x[1].X != c.Mid || math.Abs(x[1].W-2*x[0].W) > 1e-9 {
		t.Errorf("row x = %+v around %v; want 👎 left of the middle, 👍 twice as long to its right", x, c.Mid)
	}
	if len(y) != 1 || y[0].Class != "up" {
		t.Errorf("row y = %+v; want only 👍", y)
	}
	if c.Rows[0].Left != "2" || c.Rows[0].Value != "4" {
		t.Errorf("values %q %q", c.Rows[0].Left, c.Rows[0].Value)
	}
}

func TestColumnChart(t *testing.T) {
	for _, n := range []int{1, 7, 30, 90} {
		days := make([]dayPoint, n)
		for i := range days {
			days[i] = dayPoint{Label: "d", Questions: i + 1, NoMatch: i / 2}
		}
		c := newColumnChart("c", "t", "d", days)
		if len(c.Columns) != n || len(c.XLabels) < 1 || len(c.XLabels) > 10 {
			t.Errorf("%d days: %d columns, %d labels; want %d and at most 10", n, len(c.Columns), len(c.XLabels), n)
		}
		last := c.Columns[n-1]
		if top := last.AnsweredY; top < c.PlotTop-1e-9 || top > c.PlotBottom {
			t.Errorf("%d days: the largest column tops at %v, outside the plot [%v, %v]", n, top, c.PlotTop, c.PlotBottom)
		}
		for _, p := range c.RateDots {
			if p.Y < c.PlotTop-1e-9 || p.Y > c.PlotBottom {
				t.Errorf("%d days: a rate point at %v, outside the plot", n, p.Y)
			}
		}
		if len(c.Ticks) != 5 || c.Ticks[0].Label != "0" || c.Ticks[0].Rate != "0%" {
			t.Errorf("%d days: ticks %+v", n, c.Ticks)
		}
	}
	empty := newColumnChart("c", "t", "d", []dayPoint{{Label: "d"}})
	if empty.Rate != "" || empty.Columns[0].HasOther || empty.Columns[0].HasNone {
		t.Errorf("a day without questions draws %+v, rate %q", empty.Columns[0], empty.Rate)
	}
}

func TestLabels(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"short", "short"},
		{"量子暗号について知りたいのですがどこに聞けばいいですか", "量子暗号について知りたいのですがど…"},
		{"How do I report a phishing SMS from my bank to the police?", "How do I report a phishing S…"},
		{"a\u202eb\u200bc\u0007d", "a\uFFFDb\uFFFDc\uFFFDd"},
		{"  two\n\nlines\t here  ", "two lines here"},
		{"bad \xff utf-8", "bad \uFFFD utf-8"},
	} {
		if got := fitLabel(tt.in, 18); got != tt.want {
			t.Errorf("fitLabel(%q, 18) = %q; want %q", tt.in, got, tt.want)
		}
	}
	if got := cutText("あいうえお", 3); got != "あいう…" {
		t.Errorf("cutText = %q", got)
	}
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -4200: "-4,200"} {
		if got := groupDigits(n); got != want {
			t.Errorf("groupDigits(%d) = %q; want %q", n, got, want)
		}
	}
}

func TestLangOf(t *testing.T) {
	for _, tt := range []struct {
		query, accept string
		want          lang
	}{
		{"", "", ja},
		{"", "ja", ja},
		{"", "ja-JP,ja;q=0.9,en-US;q=0.8", ja},
		{"", "en-US,en;q=0.9,ja;q=0.5", en},
		{"", "en-GB", en},
		{"", "fr-FR,fr;q=0.9", en},
		{"", "zh-CN,zh;q=0.9,ja;q=0.8", ja},
		{"", "not a header;;;", ja},
		{"lang=en", "ja", en},
		{"lang=ja", "en", ja},
		{"lang=fr", "en", en},
		{"lang=<script>", "ja", ja},
	} {
		r := httptest.NewRequest("GET", "/admin/?"+tt.query, nil)
		if tt.accept != "" {
			r.Header.Set("Accept-Language", tt.accept)
		}
		if got := langOf(r); got != tt.want {
			t.Errorf("langOf(?%s, Accept-Language %q) = %s; want %s", tt.query, tt.accept, got, tt.want)
		}
	}
}

// TestMessages: every phrase has both languages, and the Japanese and
// English formats take the same arguments.
func TestMessages(t *testing.T) {
	for k, m := range messages {
		if m.ja == "" || m.en == "" {
			t.Errorf("message %q lacks a language", k)
		}
		if strings.Count(m.ja, "%") != strings.Count(m.en, "%") {
			t.Errorf("message %q: %q and %q take different arguments", k, m.ja, m.en)
		}
	}
}
