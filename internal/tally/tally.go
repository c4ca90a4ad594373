// Package tally adds up what a batch of the question log changes in the
// hourly counts the stores keep beside it (questions per hour, outcome,
// channel and language; programmes shown per hour; the votes on both).
// internal/sqlite and internal/postgres add a Tally to their count tables
// in the transaction that writes the batch, so the counts never drift
// from the rows, and both stores count alike.
package tally

import (
	"cmp"
	"slices"

	"github.com/supportbot/supportbot/internal/bot"
)

// QuestionKey is one row of the question counts.
type QuestionKey struct {
	Hour    int64
	Outcome bot.Outcome
	Channel string
	Lang    bot.Lang
}

// ProgrammeKey is one row of the programme counts.
type ProgrammeKey struct {
	Hour      int64
	Programme string
}

// Counts are what a Tally adds to one row; they may be negative (a vote
// changed from 👍 to 👎).
type Counts struct {
	Questions, Shown, First, Up, Down int
}

func (c Counts) zero() bool { return c == Counts{} }

// Tally collects the changes of one batch. The zero value is ready.
type Tally struct {
	q map[QuestionKey]*Counts
	p map[ProgrammeKey]*Counts
}

func (t *Tally) question(k QuestionKey) *Counts {
	if t.q == nil {
		t.q = map[QuestionKey]*Counts{}
	}
	c, ok := t.q[k]
	if !ok {
		c = &Counts{}
		t.q[k] = c
	}
	return c
}

func (t *Tally) programme(k ProgrammeKey) *Counts {
	if t.p == nil {
		t.p = map[ProgrammeKey]*Counts{}
	}
	c, ok := t.p[k]
	if !ok {
		c = &Counts{}
		t.p[k] = c
	}
	return c
}

func keyOf(r bot.Record) QuestionKey {
	return QuestionKey{Hour: bot.HourOf(r.At), Outcome: r.Outcome, Channel: r.Channel, Lang: r.Lang}
}

// Record counts a record the batch stored (not one it skipped as already
// logged).
func (t *Tally) Record(r bot.Record) {
	h := bot.HourOf(r.At)
	t.question(keyOf(r)).Questions++
	for i, p := range r.Programmes {
		c := t.programme(ProgrammeKey{h, p})
		c.Shown++
		if i == 0 {
			c.First++
		}
	}
}

// Vote counts a vote on the answer to r changing from old to v (old is
// "" for a first vote).
func (t *Tally) Vote(r bot.Record, old, v bot.Vote) {
	if old == v {
		return
	}
	h := bot.HourOf(r.At)
	cs := []*Counts{t.question(keyOf(r))}
	for _, p := range r.Programmes {
		cs = append(cs, t.programme(ProgrammeKey{h, p}))
	}
	for _, c := range cs {
		add(c, old, -1)
		add(c, v, +1)
	}
}

func add(c *Counts, v bot.Vote, n int) {
	switch v {
	case bot.VoteUp:
		c.Up += n
	case bot.VoteDown:
		c.Down += n
	}
}

// QuestionRow is a change to one row of the question counts.
type QuestionRow struct {
	QuestionKey
	Counts
}

// ProgrammeRow is a change to one row of the programme counts.
type ProgrammeRow struct {
	ProgrammeKey
	Counts
}

// Questions lists the changes to the question counts in key order, the
// order in which a store should lock the rows: two writers that lock in
// one order cannot deadlock.
func (t *Tally) Questions() []QuestionRow {
	out := make([]QuestionRow, 0, len(t.q))
	for k, c := range t.q {
		if !c.zero() {
			out = append(out, QuestionRow{k, *c})
		}
	}
	slices.SortFunc(out, func(a, b QuestionRow) int {
		return cmp.Or(cmp.Compare(a.Hour, b.Hour), cmp.Compare(a.Outcome, b.Outcome),
			cmp.Compare(a.Channel, b.Channel), cmp.Compare(a.Lang, b.Lang))
	})
	return out
}

// Programmes lists the changes to the programme counts in key order.
func (t *Tally) Programmes() []ProgrammeRow {
	out := make([]ProgrammeRow, 0, len(t.p))
	for k, c := range t.p {
		if !c.zero() {
			out = append(out, ProgrammeRow{k, *c})
		}
	}
	slices.SortFunc(out, func(a, b ProgrammeRow) int {
		return cmp.Or(cmp.Compare(a.Hour, b.Hour), cmp.Compare(a.Programme, b.Programme))
	})
	return out
}

// Day is the day, "2006-01-02", that Unix hour h falls on at zone hours
// east of UTC.
func Day(h, zone int64) string {
	return dayString(floorDiv(h+zone, 24))
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}
