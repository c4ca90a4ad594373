package admin

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// The charts are SVG drawn on the server: geometry here, in plain Go that
// tests can check; markup in templates/charts.html, where html/template
// escapes every label. They need no script and no font of their own, and
// each comes with a text alternative (title, desc) and a table.

// Drawing sizes, in SVG user units (the SVG scales to the page).
const (
	chartW     = 720.0
	fontSize   = 13.0
	rowH       = 24.0
	barH       = 16.0
	labelW     = 230.0 // the label column of bar charts
	valueW     = 100.0 // room for the value after a bar
	columnTop  = 16.0
	columnPlot = 200.0 // height of the daily chart's plot
	axisLeft   = 48.0
	axisRight  = 52.0
	axisBottom = 36.0
)

// barChart is a horizontal bar chart: one row per item, its label on the
// left, one bar or two stacked (or, diverging, one each side of a middle
// line) and the value.
type barChart struct {
	ID          string // unique on the page: the ids of its title and desc
	Title, Desc string
	W, H        float64
	LabelX      float64 // where labels end (text-anchor end)
	Mid         float64 // diverging: the x of the middle line; else 0
	Rows        []barRow
	Empty       string // said instead of a chart without rows
}

type barRow struct {
	Label string // cut to the label column
	Full  string // the whole label, as a tooltip
	Y     float64
	TextY float64
	Bars  []bar
	// Value is written at ValueX; diverging charts write Left at LeftX too.
	Value, Left   string
	ValueX, LeftX float64
}

type bar struct {
	X, W  float64
	Class string // the CSS class that colours it
}

// barItem is one row to draw: a label and its values, stacked.
type barItem struct {
	Label  string
	Values []int
	Value  string // the text after the bars
}

// barSize is the width of a bar chart and of its label column: the page
// draws most charts across its width, and the small ones (areas,
// channels, languages) two abreast at a narrower size, so that their text
// is as large as the others' once scaled.
type barSize struct{ W, Label float64 }

var (
	wide    = barSize{chartW, labelW}
	compact = barSize{400, 150}
)

// newBarChart lays out rows of stacked values, classes naming the
// colour of each value, scaled to the largest row.
func newBarChart(id, title, desc string, items []barItem, classes []string, size barSize) barChart {
	c := barChart{ID: id, Title: title, Desc: desc, W: size.W, LabelX: size.Label - 8}
	most := 0
	for _, it := range items {
		most = max(most, sum(it.Values))
	}
	plotW := size.W - size.Label - valueW
	for i, it := range items {
		y := float64(i)*rowH + (rowH-barH)/2
		r := barRow{Label: fitLabel(it.Label, (size.Label-12)/fontSize), Full: clean(it.Label), Y: y, TextY: float64(i)*rowH + rowH/2 + fontSize*0.35, Value: it.Value}
		x := size.Label
		for j, v := range it.Values {
			w := scale(v, most, plotW)
			if w > 0 {
				r.Bars = append(r.Bars, bar{X: x, W: w, Class: classes[j%len(classes)]})
			}
			x += w
		}
		r.ValueX = x + 6
		c.Rows = append(c.Rows, r)
	}
	c.H = max(float64(len(items))*rowH, rowH)
	return c
}

// newDivergingChart lays out two values per row, the left one drawn
// leftwards from the middle (👎) and the right one rightwards (👍), on
// one scale.
func newDivergingChart(id, title, desc string, labels []string, left, right []int, leftClass, rightClass string) barChart {
	c := barChart{ID: id, Title: title, Desc: desc, W: chartW, LabelX: labelW - 8}
	most := 0
	for i := range labels {
		most = max(most, left[i], right[i])
	}
	half := (chartW - labelW - 2*valueW) / 2
	c.Mid = labelW + valueW + half
	for i, l := range labels {
		y := float64(i)*rowH + (rowH-barH)/2
		r := barRow{Label: fitLabel(l, (labelW-12)/fontSize), Full: clean(l), Y: y, TextY: float64(i)*rowH + rowH/2 + fontSize*0.35,
			Value: strconv.Itoa(right[i]), Left: strconv.Itoa(left[i])}
		lw, rw := scale(left[i], most, half), scale(right[i], most, half)
		if lw > 0 {
			r.Bars = append(r.Bars, bar{X: c.Mid - lw, W: lw, Class: leftClass})
		}
		if rw > 0 {
			r.Bars = append(r.Bars, bar{X: c.Mid, W: rw, Class: rightClass})
		}
		r.LeftX, r.ValueX = c.Mid-lw-6, c.Mid+rw+6
		c.Rows = append(c.Rows, r)
	}
	c.H = max(float64(len(labels))*rowH, rowH)
	return c
}

// columnChart is the daily chart: a column per day, the answered and the
// unanswered stacked, and the no-match rate as a line on its own axis.
type columnChart struct {
	ID          string
	Title, Desc string
	W, H        float64
	PlotTop     float64
	PlotBottom  float64
	PlotLeft    float64
	PlotRight   float64
	TickLeft    float64 // where the left axis' labels end
	TickRight   float64 // where the right axis' labels start
	Columns     []column
	Ticks       []tick // left axis: questions; right axis: rate
	XLabels     []tick
	Rate        string // the points of the rate line
	RateDots    []point
}

type column struct {
	X, W              float64
	AnsweredY, NoneY  float64 // tops of the two segments
	AnsweredH, NoneH  float64
	Title             string // for the tooltip: date, questions, no match
	HasNone, HasOther bool
}

type tick struct {
	Y, X, TextY float64
	Label, Rate string
}

type point struct{ X, Y float64 }

// dayPoint is one day to draw.
type dayPoint struct {
	Label     string // "12/1"
	Questions int
	NoMatch   int
	Title     string
}

// newColumnChart lays out days, every one a column, with at most about
// ten date labels under them.
func newColumnChart(id, title, desc string, days []dayPoint) columnChart {
	c := columnChart{ID: id, Title: title, Desc: desc, W: chartW, PlotTop: columnTop, PlotLeft: axisLeft, PlotRight: chartW - axisRight,
		TickLeft: axisLeft - 6, TickRight: chartW - axisRight + 6}
	c.PlotBottom = c.PlotTop + columnPlot
	c.H = c.PlotBottom + axisBottom
	most, worst := 0, 0.0
	for _, d := range days {
		most = max(most, d.Questions)
		worst = max(worst, ratio(d.NoMatch, d.Questions))
	}
	qStep := niceStep(float64(most), 4, []float64{1, 2, 5})
	rStep := niceStep(worst*100, 4, []float64{1, 2, 2.5, 5})
	qMax, rMax := 4*qStep, 4*rStep
	for i := 0; i <= 4; i++ {
		y := c.PlotBottom - float64(i)*columnPlot/4
		c.Ticks = append(c.Ticks, tick{Y: y, TextY: y + fontSize*0.35, Label: formatNum(float64(i) * qStep), Rate: formatNum(float64(i)*rStep) + "%"})
	}
	n := max(len(days), 1)
	slot := (c.PlotRight - c.PlotLeft) / float64(n)
	every := (len(days) + 9) / 10
	var pts []string
	for i, d := range days {
		x := c.PlotLeft + float64(i)*slot
		col := column{X: x + slot*0.15, W: slot * 0.7, Title: d.Title}
		none := scale(d.NoMatch, int(qMax), columnPlot)
		all := scale(d.Questions, int(qMax), columnPlot)
		col.NoneH, col.NoneY = none, c.PlotBottom-none
		col.AnsweredH, col.AnsweredY = all-none, c.PlotBottom-all
		col.HasNone, col.HasOther = none > 0, all-none > 0
		c.Columns = append(c.Columns, col)
		if i%every == 0 {
			c.XLabels = append(c.XLabels, tick{X: x + slot/2, Y: c.PlotBottom + 18, Label: d.Label})
		}
		if d.Questions > 0 {
			p := point{X: x + slot/2, Y: c.PlotBottom - columnPlot*100*ratio(d.NoMatch, d.Questions)/rMax}
			c.RateDots = append(c.RateDots, p)
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", p.X, p.Y))
		}
	}
	c.Rate = strings.Join(pts, " ")
	return c
}

// niceStep is the smallest step of the form m×10^k (m from mantissas)
// with which n steps reach at least most; at least 1.
func niceStep(most float64, n int, mantissas []float64) float64 {
	want := most / float64(n)
	if want <= 1 {
		return 1
	}
	for exp := math.Pow(10, math.Floor(math.Log10(want))); ; exp *= 10 {
		for _, m := range mantissas {
			if m*exp >= want {
				return m * exp
			}
		}
	}
}

// scale is v of most as a length of full; a non-zero value is at least
// one unit, so that it shows.
func scale(v, most int, full float64) float64 {
	if v <= 0 || most <= 0 {
		return 0
	}
	return max(full*float64(v)/float64(most), 1)
}

func sum(vs []int) int {
	n := 0
	for _, v := range vs {
		n += v
	}
	return n
}

// formatNum writes a tick's number: whole numbers without decimals.
func formatNum(f float64) string {
	if f == math.Trunc(f) {
		return groupDigits(int64(f))
	}
	return strconv.FormatFloat(f, 'f', 1, 64)
}

// groupDigits writes n with thousands separators: 12345 → 12,345.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// clean makes user text safe to show as text anywhere on the page:
// control, format and bidirectional characters (which could hide or
// reorder what is around them) become U+FFFD, and runs of white space one
// space. Escaping is html/template's; this is about what the text looks
// like.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r' || unicode.IsSpace(r):
			space = true
			continue
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			r = '\uFFFD'
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// fitLabel cleans s and cuts it to about ems wide, at font size 1.
func fitLabel(s string, ems float64) string {
	s = clean(s)
	if textWidth(s) <= ems {
		return s
	}
	w := 0.0
	for i, r := range s {
		w += runeWidth(r)
		if w > ems-1 { // room for the ellipsis
			return s[:i] + "…"
		}
	}
	return s
}

// textWidth is about how wide s is in ems.
func textWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		w += runeWidth(r)
	}
	return w
}

// runeWidth is about how wide r is in ems: wide (CJK) characters one,
// others 0.6 in a proportional sans-serif.
func runeWidth(r rune) float64 {
	if k := width.LookupRune(r).Kind(); k == width.EastAsianWide || k == width.EastAsianFullwidth {
		return 1
	}
	return 0.6
}

// cutText cleans s and cuts it to n characters.
func cutText(s string, n int) string {
	s = clean(s)
	i := 0
	for j := range s {
		if i == n {
			return s[:j] + "…"
		}
		i++
	}
	return s
}
