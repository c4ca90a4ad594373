package insight

import (
	"cmp"
	"slices"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
)

// Zone is where the staff's days start: Japan (UTC+9, no daylight saving).
const Zone = 9 * time.Hour

// Window is the query for the d before now, with days in Japan. Counts
// are by the hour (bot.LogQuery), so the window starts on the hour.
func Window(now time.Time, d time.Duration) bot.LogQuery {
	return bot.LogQuery{Since: now.Add(-d), Until: now, Zone: Zone}
}

// Options shape a Summary.
type Options struct {
	// Categories maps an initiative id to the ids of its categories, for
	// demand per category; nil leaves it out.
	Categories map[string][]string
	// Unanswered bounds the groups of unanswered questions listed
	// (0: 50); Examples the other wordings shown per group (0: 3).
	Unanswered, Examples int
}

// Summary is the question log over a time range, shaped for people.
type Summary struct {
	Since time.Time `json:"since"`
	Until time.Time `json:"until"`
	// Questions counts every question; Outcomes splits them (every
	// outcome is present, zero or not); NoMatchRate is the share of
	// questions that found nothing (0 with no questions).
	Questions   int                 `json:"questions"`
	Outcomes    map[bot.Outcome]int `json:"outcomes"`
	NoMatchRate float64             `json:"no_match_rate"`
	// Days lists every day of the range, oldest first, days without
	// questions included, so a chart has no gaps.
	Days []Day `json:"days"`
	// Unanswered groups the no-match questions, most asked first.
	Unanswered []Group `json:"unanswered"`
	// Feedback counts the votes on the answers to these questions.
	Feedback Votes `json:"feedback"`
	// Programmes are the initiatives shown, most shown first.
	Programmes []Programme `json:"programmes"`
	// Categories count answers by the categories of the first programme
	// they showed; Channels and Languages count questions. Most first.
	Categories []Demand `json:"categories,omitempty"`
	Channels   []Demand `json:"channels"`
	Languages  []Demand `json:"languages"`
}

// Day is one day of a Summary.
type Day struct {
	Date        string              `json:"date"` // "2026-12-01", in Japan
	Questions   int                 `json:"questions"`
	NoMatch     int                 `json:"no_match"`
	NoMatchRate float64             `json:"no_match_rate"`
	Outcomes    map[bot.Outcome]int `json:"outcomes"`
	Feedback    Votes               `json:"feedback"`
}

// Votes counts 👍 and 👎.
type Votes struct {
	Up   int `json:"up"`
	Down int `json:"down"`
}

// Programme is the demand for and the votes on one initiative.
type Programme struct {
	ID    string `json:"id"`
	Shown int    `json:"shown"`
	First int    `json:"first"`
	Up    int    `json:"up"`
	Down  int    `json:"down"`
}

// Demand counts questions (or answers) for one category, channel or
// language.
type Demand struct {
	ID        string  `json:"id"`
	Questions int     `json:"questions"`
	Share     float64 `json:"share"`
}

// Summarize shapes counts into a Summary.
func Summarize(c bot.LogCounts, o Options) Summary {
	if o.Unanswered <= 0 {
		o.Unanswered = 50
	}
	if o.Examples <= 0 {
		o.Examples = 3
	}
	from, to := c.Query.Hours()
	s := Summary{
		Since:    time.Unix(from*3600, 0).UTC(),
		Until:    time.Unix(to*3600, 0).UTC(),
		Outcomes: outcomes(),
	}
	days := map[string]*Day{}
	for _, d := range dates(c.Query) {
		days[d] = &Day{Date: d, Outcomes: outcomes()}
	}
	channels, langs := map[string]int{}, map[string]int{}
	for _, sl := range c.Slices {
		d, ok := days[sl.Day]
		if !ok { // a store's day outside the range: count it all the same
			d = &Day{Date: sl.Day, Outcomes: outcomes()}
			days[sl.Day] = d
		}
		d.Questions += sl.Questions
		d.Outcomes[sl.Outcome] += sl.Questions
		d.Feedback.Up += sl.Up
		d.Feedback.Down += sl.Down
		s.Questions += sl.Questions
		s.Outcomes[sl.Outcome] += sl.Questions
		s.Feedback.Up += sl.Up
		s.Feedback.Down += sl.Down
		channels[sl.Channel] += sl.Questions
		langs[string(sl.Lang)] += sl.Questions
	}
	s.NoMatchRate = rate(s.Outcomes[bot.OutcomeNoMatch], s.Questions)
	for _, d := range days {
		d.NoMatch = d.Outcomes[bot.OutcomeNoMatch]
		d.NoMatchRate = rate(d.NoMatch, d.Questions)
		s.Days = append(s.Days, *d)
	}
	slices.SortFunc(s.Days, func(a, b Day) int { return cmp.Compare(a.Date, b.Date) })

	categories := map[string]int{}
	answers := 0
	for _, p := range c.Programmes {
		s.Programmes = append(s.Programmes, Programme(p))
		answers += p.First
		for _, cat := range o.Categories[p.ID] {
			categories[cat] += p.First
		}
	}
	slices.SortFunc(s.Programmes, func(a, b Programme) int {
		return cmp.Or(cmp.Compare(b.Shown, a.Shown), cmp.Compare(a.ID, b.ID))
	})
	if o.Categories != nil {
		s.Categories = demand(categories, answers)
	}
	s.Channels = demand(channels, s.Questions)
	s.Languages = demand(langs, s.Questions)
	s.Unanswered = GroupUnanswered(c.Unanswered, o.Unanswered, o.Examples)
	if s.Programmes == nil {
		s.Programmes = []Programme{}
	}
	if s.Unanswered == nil {
		s.Unanswered = []Group{}
	}
	return s
}

func outcomes() map[bot.Outcome]int {
	m := make(map[bot.Outcome]int, 7)
	for _, o := range bot.Outcomes() {
		m[o] = 0
	}
	return m
}

func rate(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

func demand(m map[string]int, total int) []Demand {
	out := make([]Demand, 0, len(m))
	for id, n := range m {
		out = append(out, Demand{ID: id, Questions: n, Share: rate(n, total)})
	}
	slices.SortFunc(out, func(a, b Demand) int { return cmp.Or(cmp.Compare(b.Questions, a.Questions), cmp.Compare(a.ID, b.ID)) })
	return out
}

// dates lists the days the query's hours touch, in its zone.
func dates(q bot.LogQuery) []string {
	from, to := q.Hours()
	zone := q.ZoneHours()
	if to <= from {
		return nil
	}
	first := time.Unix((from+zone)*3600, 0).UTC()
	last := time.Unix((to-1+zone)*3600, 0).UTC().Format(time.DateOnly)
	var out []string
	for d := first; ; d = d.AddDate(0, 0, 1) {
		s := d.Format(time.DateOnly)
		out = append(out, s)
		if s >= last || len(out) > 3660 {
			return out
		}
	}
}
