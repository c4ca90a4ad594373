package tally

import (
	"reflect"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
)

var t0 = time.Date(2026, 12, 1, 10, 30, 0, 0, time.UTC)

func TestTally(t *testing.T) {
	var tl Tally
	a := bot.Record{At: t0, Outcome: bot.OutcomeProgrammes, Channel: "line", Lang: bot.Japanese, Programmes: []string{"p1", "p2"}}
	b := bot.Record{At: t0.Add(10 * time.Minute), Outcome: bot.OutcomeProgrammes, Channel: "line", Lang: bot.Japanese, Programmes: []string{"p2"}}
	c := bot.Record{At: t0.Add(time.Hour), Outcome: bot.OutcomeNoMatch, Channel: "web", Lang: bot.English}
	tl.Record(a)
	tl.Record(b)
	tl.Record(c)
	tl.Vote(a, "", bot.VoteUp)
	tl.Vote(a, bot.VoteUp, bot.VoteDown) // changed its mind
	tl.Vote(b, bot.VoteUp, bot.VoteUp)   // the same vote again: nothing
	h := bot.HourOf(t0)
	wantQ := []QuestionRow{
		{QuestionKey{h, bot.OutcomeProgrammes, "line", bot.Japanese}, Counts{Questions: 2, Down: 1}},
		{QuestionKey{h + 1, bot.OutcomeNoMatch, "web", bot.English}, Counts{Questions: 1}},
	}
	if got := tl.Questions(); !reflect.DeepEqual(got, wantQ) {
		t.Errorf("Questions() = %+v\nwant %+v", got, wantQ)
	}
	wantP := []ProgrammeRow{
		{ProgrammeKey{h, "p1"}, Counts{Shown: 1, First: 1, Down: 1}},
		{ProgrammeKey{h, "p2"}, Counts{Shown: 2, First: 1, Down: 1}},
	}
	if got := tl.Programmes(); !reflect.DeepEqual(got, wantP) {
		t.Errorf("Programmes() = %+v\nwant %+v", got, wantP)
	}
}

func TestVoteOnlyChangesAreKept(t *testing.T) {
	var tl Tally
	a := bot.Record{At: t0, Outcome: bot.OutcomeProgrammes, Channel: "web", Lang: bot.Japanese, Programmes: []string{"p1"}}
	tl.Vote(a, bot.VoteDown, bot.VoteUp)
	tl.Vote(a, bot.VoteUp, bot.VoteDown)
	if q, p := tl.Questions(), tl.Programmes(); len(q)+len(p) != 0 {
		t.Errorf("votes that cancel out left %+v and %+v", q, p)
	}
}

func TestDay(t *testing.T) {
	for _, tt := range []struct {
		at   time.Time
		zone int64
		want string
	}{
		{time.Date(2026, 12, 1, 14, 59, 0, 0, time.UTC), 9, "2026-12-01"},
		{time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC), 9, "2026-12-02"},
		{time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC), 0, "2026-12-01"},
		{time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC), -5, "2026-11-30"},
		{time.Date(1969, 12, 31, 23, 30, 0, 0, time.UTC), 0, "1969-12-31"},
	} {
		if got := Day(bot.HourOf(tt.at), tt.zone); got != tt.want {
			t.Errorf("Day(%v, %+d h) = %s; want %s", tt.at, tt.zone, got, tt.want)
		}
	}
}
