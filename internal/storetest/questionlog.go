package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
)

// day0 is the first day of the suite's data, a Monday in Tokyo.
var day0 = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)

// tokyo is the offset of Asia/Tokyo, where the suite's days start.
const tokyo = 9 * time.Hour

// QuestionLog checks that a bot.QuestionLog keeps its contract. open is
// called once per subtest and must return an empty log that stays usable
// until the subtest ends.
func QuestionLog(t *testing.T, open func(t *testing.T) bot.QuestionLog) {
	t.Run("WriteAndRead", func(t *testing.T) { testWriteAndRead(t, open(t)) })
	t.Run("RetriedBatch", func(t *testing.T) { testRetriedBatch(t, open(t)) })
	t.Run("Votes", func(t *testing.T) { testVotes(t, open(t)) })
	t.Run("VotesRefused", func(t *testing.T) { testVotesRefused(t, open(t)) })
	t.Run("Counts", func(t *testing.T) { testCounts(t, open(t)) })
	t.Run("UnansweredLimit", func(t *testing.T) { testUnansweredLimit(t, open(t)) })
	t.Run("Prune", func(t *testing.T) { testPrune(t, open(t)) })
	t.Run("UserText", func(t *testing.T) { testUserText(t, open(t)) })
	t.Run("Concurrent", func(t *testing.T) { testConcurrent(t, open(t)) })
	t.Run("Canceled", func(t *testing.T) { testCanceled(t, open(t)) })
	t.Run("CountsAgreeWithRecords", func(t *testing.T) { testCountsAgree(t, open(t)) })
}

// Secrets checks that a bot.Secrets keeps its contract; open as for
// QuestionLog.
func Secrets(t *testing.T, open func(t *testing.T) bot.Secrets) {
	ctx := context.Background()
	s := open(t)
	first, err := s.Secret(ctx, "key", []byte("first"))
	if err != nil || string(first) != "first" {
		t.Fatalf("Secret(key, first) = %q, %v; want first", first, err)
	}
	again, err := s.Secret(ctx, "key", []byte("second"))
	if err != nil || string(again) != "first" {
		t.Errorf("Secret(key, second) = %q, %v; want the one kept, first", again, err)
	}
	other, err := s.Secret(ctx, "other", []byte{0, 1, 2, 255})
	if err != nil || !slices.Equal(other, []byte{0, 1, 2, 255}) {
		t.Errorf("Secret(other) = %v, %v; want the bytes as given", other, err)
	}
	// Racing first calls all get one value.
	var wg sync.WaitGroup
	got := make([][]byte, 8)
	errs := make([]error, 8)
	for i := range got {
		wg.Go(func() { got[i], errs[i] = s.Secret(ctx, "race", fmt.Appendf(nil, "v%d", i)) })
	}
	wg.Wait()
	for i := range got {
		if errs[i] != nil || string(got[i]) != string(got[0]) {
			t.Errorf("racing Secret(race) #%d = %q, %v; want %q like the others", i, got[i], errs[i], got[0])
		}
	}
}

// rec is a record of the suite: answered at day0 plus at.
func rec(id string, at time.Duration, o bot.Outcome, text string, programmes ...string) bot.Record {
	r := bot.Record{
		AnswerID: id, At: day0.Add(at), Conversation: "conv-" + id, Channel: "web", Lang: bot.Japanese,
		Outcome: o, Text: text, Programmes: programmes,
	}
	if len(programmes) > 0 {
		r.TopScore = 12.5
	}
	return r
}

func write(t *testing.T, l bot.QuestionLog, b bot.LogBatch) bot.LogWritten {
	t.Helper()
	w, err := l.Write(context.Background(), b)
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	return w
}

func records(t *testing.T, l bot.QuestionLog, q bot.RecordQuery) []bot.Record {
	t.Helper()
	rs, err := l.Records(context.Background(), q)
	if err != nil {
		t.Fatalf("Records(%+v): %v", q, err)
	}
	return rs
}

func counts(t *testing.T, l bot.QuestionLog, q bot.LogQuery) bot.LogCounts {
	t.Helper()
	c, err := l.Counts(context.Background(), q)
	if err != nil {
		t.Fatalf("Counts(%+v): %v", q, err)
	}
	return c
}

// all is a time range around every record of the suite.
var all = bot.RecordQuery{Since: day0.Add(-24 * time.Hour), Until: day0.Add(30 * 24 * time.Hour), Limit: 1000}

// votes adds up the votes of every slice.
func votes(c bot.LogCounts) (up, down int) {
	for _, s := range c.Slices {
		up += s.Up
		down += s.Down
	}
	return up, down
}

func testWriteAndRead(t *testing.T, l bot.QuestionLog) {
	a := rec("a1", time.Hour, bot.OutcomeProgrammes, "中小企業向けの支援", "sme-help-desk", "security-action", "sechack365")
	a.Channel, a.Lang, a.TopScore = "line", bot.Japanese, 31.25
	b := rec("b2", 2*time.Hour, bot.OutcomeNoMatch, "weather in Osaka")
	b.Channel, b.Lang = "slack", bot.English
	c := rec("c3", 3*time.Hour+123*time.Millisecond, bot.OutcomeCategory, "", "e-net-caravan")
	c.Action = bot.ActionCategory
	w := write(t, l, bot.LogBatch{Records: []bot.Record{a, b, c}})
	if w.Records != 3 {
		t.Errorf("Write(3 records) stored %d", w.Records)
	}
	got := records(t, l, all)
	want := []bot.Record{c, b, a} // newest first
	want[1].Programmes = []string{}
	normalise(got)
	normalise(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Records = %+v\nwant %+v", got, want)
	}
	if got := records(t, l, bot.RecordQuery{Since: all.Since, Until: all.Until, Outcome: bot.OutcomeNoMatch}); len(got) != 1 || got[0].AnswerID != "b2" {
		t.Errorf("Records(no_match) = %+v; want b2 alone", got)
	}
	if got := records(t, l, bot.RecordQuery{Since: all.Since, Limit: 1}); len(got) != 1 || got[0].AnswerID != "c3" {
		t.Errorf("Records(no Until, limit 1) = %+v; want c3 alone", got)
	}
	if got := records(t, l, bot.RecordQuery{Since: day0.Add(2 * time.Hour), Until: day0.Add(3 * time.Hour)}); len(got) != 1 || got[0].AnswerID != "b2" {
		t.Errorf("Records([2h, 3h)) = %+v; want b2 alone (Since included, Until not)", got)
	}
}

// normalise makes records comparable: times in UTC at millisecond
// precision (what stores keep), nil and empty lists alike.
func normalise(rs []bot.Record) {
	for i := range rs {
		rs[i].At = rs[i].At.UTC().Truncate(time.Millisecond)
		if rs[i].Programmes == nil {
			rs[i].Programmes = []string{}
		}
	}
}

func testRetriedBatch(t *testing.T, l bot.QuestionLog) {
	b := bot.LogBatch{Records: []bot.Record{
		rec("r1", time.Hour, bot.OutcomeProgrammes, "q", "p1", "p2"),
		rec("r2", time.Hour, bot.OutcomeNoMatch, "q2"),
	}}
	write(t, l, b)
	b.Records = append(b.Records, rec("r3", time.Hour, bot.OutcomeMenu, ""))
	if w := write(t, l, b); w.Records != 1 {
		t.Errorf("Write again with one new record stored %d; want 1", w.Records)
	}
	if got := records(t, l, all); len(got) != 3 {
		t.Errorf("%d records after a retried batch; want 3", len(got))
	}
	c := counts(t, l, bot.LogQuery{Since: all.Since, Until: all.Until})
	if len(c.Programmes) != 2 || c.Programmes[0].Shown != 1 {
		t.Errorf("programmes after a retried batch = %+v; want p1 and p2 shown once", c.Programmes)
	}
}

func testVotes(t *testing.T, l bot.QuestionLog) {
	a := rec("v1", time.Hour, bot.OutcomeProgrammes, "q", "p1")
	// A vote in the batch of its record counts: records are written first.
	w := write(t, l, bot.LogBatch{
		Records: []bot.Record{a},
		Ballots: []bot.Ballot{{AnswerID: "v1", Conversation: a.Conversation, Vote: bot.VoteUp, At: a.At.Add(time.Minute)}},
	})
	if w.Ballots != 1 || w.Refused != 0 {
		t.Errorf("Write(record and its vote) = %+v; want 1 ballot", w)
	}
	if got := records(t, l, all); len(got) != 1 || got[0].Vote != bot.VoteUp {
		t.Fatalf("Records after 👍 = %+v; want vote up", got)
	}
	// A second vote replaces the first; two in one batch: the last counts.
	w = write(t, l, bot.LogBatch{Ballots: []bot.Ballot{
		{AnswerID: "v1", Conversation: a.Conversation, Vote: bot.VoteUp, At: a.At.Add(2 * time.Minute)},
		{AnswerID: "v1", Conversation: a.Conversation, Vote: bot.VoteDown, At: a.At.Add(3 * time.Minute)},
	}})
	if w.Ballots != 2 {
		t.Errorf("Write(two more votes) = %+v; want 2 ballots", w)
	}
	if got := records(t, l, all); got[0].Vote != bot.VoteDown {
		t.Errorf("vote after 👍 then 👎 = %q; want down", got[0].Vote)
	}
	c := counts(t, l, bot.LogQuery{Since: all.Since, Until: all.Until})
	if up, down := votes(c); up != 0 || down != 1 {
		t.Errorf("Counts votes = %d up, %d down; want one vote, down", up, down)
	}
	if len(c.Programmes) != 1 || c.Programmes[0].Up != 0 || c.Programmes[0].Down != 1 {
		t.Errorf("Counts programmes = %+v; want p1 with one vote, down", c.Programmes)
	}
}

func testVotesRefused(t *testing.T, l bot.QuestionLog) {
	a := rec("mine", time.Hour, bot.OutcomeProgrammes, "q", "p1")
	write(t, l, bot.LogBatch{Records: []bot.Record{a}})
	w := write(t, l, bot.LogBatch{Ballots: []bot.Ballot{
		{AnswerID: "nobody-gave-this", Conversation: a.Conversation, Vote: bot.VoteUp, At: a.At},
		{AnswerID: "mine", Conversation: "someone-else", Vote: bot.VoteDown, At: a.At},
		{AnswerID: "mine", Conversation: a.Conversation, Vote: "sideways", At: a.At},
	}})
	if w.Ballots != 0 || w.Refused != 3 {
		t.Errorf("Write(3 votes for unknown or other answers) = %+v; want 3 refused", w)
	}
	if got := records(t, l, all); len(got) != 1 || got[0].Vote != "" {
		t.Errorf("Records after refused votes = %+v; want one record without a vote", got)
	}
	if up, down := votes(counts(t, l, bot.LogQuery{Since: all.Since, Until: all.Until})); up+down != 0 {
		t.Errorf("Counts after refused votes: %d up, %d down; want none", up, down)
	}
}

func testCounts(t *testing.T, l bot.QuestionLog) {
	h := time.Hour
	rs := []bot.Record{
		// Day 1 in Tokyo (2026-11-30): 00:00–15:00 UTC. Before Since: not counted.
		rec("early", -10*h, bot.OutcomeNoMatch, "too early"),
		rec("d1a", 1*h, bot.OutcomeProgrammes, "a", "p1", "p2"),
		rec("d1b", 2*h, bot.OutcomeNoMatch, "天気"),
		rec("d1c", 3*h, bot.OutcomeNoMatch, "天気"),
		rec("d1d", 4*h, bot.OutcomeNoMatch, "weather"),
		// 15:30 UTC is 00:30 the next day in Tokyo.
		rec("d2a", 15*h+30*time.Minute, bot.OutcomeProgrammes, "b", "p2", "p3"),
		rec("d2b", 20*h, bot.OutcomeCategory, "", "p1", "p2", "p3"),
		rec("d2c", 21*h, bot.OutcomeNoMatch, "天気"),
		rec("d2d", 22*h, bot.OutcomeNoMatch, ""), // a sticker: no text to list
		// At Until: not counted.
		rec("late", 48*h, bot.OutcomeProgrammes, "late", "p9"),
	}
	rs[3].Channel, rs[5].Channel = "line", "line"
	rs[4].Lang = bot.English
	write(t, l, bot.LogBatch{Records: rs, Ballots: []bot.Ballot{
		{AnswerID: "d1a", Conversation: "conv-d1a", Vote: bot.VoteUp, At: day0.Add(5 * h)},
		{AnswerID: "d2a", Conversation: "conv-d2a", Vote: bot.VoteDown, At: day0.Add(23 * h)},
		{AnswerID: "late", Conversation: "conv-late", Vote: bot.VoteUp, At: day0.Add(49 * h)},
	}})
	q := bot.LogQuery{Since: day0, Until: day0.Add(48 * h), Zone: tokyo}
	c := counts(t, l, q)
	wantSlices := []bot.Slice{
		{Day: "2026-11-30", Outcome: bot.OutcomeNoMatch, Channel: "line", Lang: bot.Japanese, Questions: 1},
		{Day: "2026-11-30", Outcome: bot.OutcomeNoMatch, Channel: "web", Lang: bot.English, Questions: 1},
		{Day: "2026-11-30", Outcome: bot.OutcomeNoMatch, Channel: "web", Lang: bot.Japanese, Questions: 1},
		{Day: "2026-11-30", Outcome: bot.OutcomeProgrammes, Channel: "web", Lang: bot.Japanese, Questions: 1, Up: 1},
		{Day: "2026-12-01", Outcome: bot.OutcomeCategory, Channel: "web", Lang: bot.Japanese, Questions: 1},
		{Day: "2026-12-01", Outcome: bot.OutcomeNoMatch, Channel: "web", Lang: bot.Japanese, Questions: 2},
		{Day: "2026-12-01", Outcome: bot.OutcomeProgrammes, Channel: "line", Lang: bot.Japanese, Questions: 1, Down: 1},
	}
	if !reflect.DeepEqual(c.Slices, wantSlices) {
		t.Errorf("Slices =\n%+v\nwant\n%+v", c.Slices, wantSlices)
	}
	wantProgs := []bot.ProgrammeCount{
		{ID: "p2", Shown: 3, First: 1, Up: 1, Down: 1},
		{ID: "p1", Shown: 2, First: 2, Up: 1},
		{ID: "p3", Shown: 2, Down: 1},
	}
	if !reflect.DeepEqual(c.Programmes, wantProgs) {
		t.Errorf("Programmes = %+v\nwant %+v", c.Programmes, wantProgs)
	}
	if up, down := votes(c); up != 1 || down != 1 {
		t.Errorf("votes = %d up, %d down; want 1 and 1 (the vote on a question after Until is not counted)", up, down)
	}
	if len(c.Unanswered) != 2 {
		t.Fatalf("Unanswered = %+v; want 天気 ×3 and weather", c.Unanswered)
	}
	if u := c.Unanswered[0]; u.Text != "天気" || u.Count != 3 || u.Lang != bot.Japanese || !u.Last.Equal(day0.Add(21*h)) {
		t.Errorf("Unanswered[0] = %+v; want 天気 ×3, last at 21:00", u)
	}
	if u := c.Unanswered[1]; u.Text != "weather" || u.Count != 1 || u.Lang != bot.English {
		t.Errorf("Unanswered[1] = %+v; want weather ×1 in English", u)
	}
	// The same records with days in UTC: d2a falls on the first day.
	c = counts(t, l, bot.LogQuery{Since: day0, Until: day0.Add(48 * h)})
	days := map[string]int{}
	for _, s := range c.Slices {
		days[s.Day] += s.Questions
	}
	if days["2026-11-30"] != 8 || len(days) != 1 {
		t.Errorf("questions per UTC day = %v; want 8 on 2026-11-30", days)
	}
	// Counts count whole hours: from 1:30 to 3:10 is 1:00 to 4:00.
	c = counts(t, l, bot.LogQuery{Since: day0.Add(90 * time.Minute), Until: day0.Add(3*h + 10*time.Minute), Zone: tokyo})
	n := 0
	for _, s := range c.Slices {
		n += s.Questions
	}
	if n != 3 || len(c.Unanswered) != 1 || c.Unanswered[0].Count != 2 {
		t.Errorf("Counts(1:30, 3:10) = %d questions, unanswered %+v; want d1a, d1b, d1c: 3 questions, 天気 ×2", n, c.Unanswered)
	}
	// An empty range counts nothing and is no error.
	c = counts(t, l, bot.LogQuery{Since: day0.Add(100 * h), Until: day0.Add(200 * h), Zone: tokyo})
	if len(c.Slices)+len(c.Programmes)+len(c.Unanswered) != 0 {
		t.Errorf("Counts of an empty range = %+v; want nothing", c)
	}
}

func testUnansweredLimit(t *testing.T, l bot.QuestionLog) {
	var rs []bot.Record
	for i := range 30 {
		for j := range i + 1 {
			rs = append(rs, rec(fmt.Sprintf("u%d-%d", i, j), time.Duration(i)*time.Minute, bot.OutcomeNoMatch, fmt.Sprintf("question %02d", i)))
		}
	}
	write(t, l, bot.LogBatch{Records: rs})
	c := counts(t, l, bot.LogQuery{Since: all.Since, Until: all.Until, Unanswered: 5})
	if len(c.Unanswered) != 5 {
		t.Fatalf("%d unanswered texts with a limit of 5", len(c.Unanswered))
	}
	for i, u := range c.Unanswered {
		if want := fmt.Sprintf("question %02d", 29-i); u.Text != want || u.Count != 30-i {
			t.Errorf("Unanswered[%d] = %q ×%d; want %q ×%d", i, u.Text, u.Count, want, 30-i)
		}
	}
}

func testPrune(t *testing.T, l bot.QuestionLog) {
	var rs []bot.Record
	var bs []bot.Ballot
	for i := range 12_000 { // more than one chunk of any store
		r := rec(fmt.Sprintf("p%05d", i), time.Duration(i)*time.Second, bot.OutcomeProgrammes, "q", "p1", "p2")
		rs = append(rs, r)
		if i%10 == 0 {
			bs = append(bs, bot.Ballot{AnswerID: r.AnswerID, Conversation: r.Conversation, Vote: bot.VoteUp, At: r.At})
		}
	}
	write(t, l, bot.LogBatch{Records: rs, Ballots: bs})
	// Prune rounds down to the hour: 3:20 keeps the hour from 3:00.
	cut := day0.Add(3*time.Hour + 20*time.Minute)
	n, err := l.Prune(context.Background(), cut)
	if err != nil || n != 10_800 {
		t.Fatalf("Prune(3:20) = %d, %v; want the 10800 records before 3:00 deleted", n, err)
	}
	c := counts(t, l, bot.LogQuery{Since: all.Since, Until: all.Until})
	total := 0
	for _, s := range c.Slices {
		total += s.Questions
	}
	if up, _ := votes(c); total != 1200 || len(c.Programmes) != 2 || c.Programmes[0].Shown != 1200 || up != 120 {
		t.Errorf("after Prune: %d questions, programmes %+v, %d up; want 1200, p1 and p2 shown 1200 times, 120 up", total, c.Programmes, up)
	}
	if got := records(t, l, bot.RecordQuery{Since: all.Since, Until: all.Until, Limit: 5000}); len(got) != 1200 {
		t.Errorf("%d records after Prune; want 1200", len(got))
	}
	if n, err := l.Prune(context.Background(), cut); err != nil || n != 0 {
		t.Errorf("Prune again = %d, %v; want 0", n, err)
	}
}

func testUserText(t *testing.T, l bot.QuestionLog) {
	texts := []string{
		"'; DROP TABLE questions; --",
		`<script>alert("x")</script>&amp;`,
		"Robert'); DELETE FROM votes WHERE ('1'='1",
		"\u202etxt.exe ← bidi",
		"100% _wild_ \\ card",
		"絵文字😀と　全角スペース",
		"$1 ? :name @p",
	}
	var rs []bot.Record
	for i, s := range texts {
		rs = append(rs, rec(fmt.Sprintf("t%d", i), time.Duration(i)*time.Minute, bot.OutcomeNoMatch, s))
	}
	write(t, l, bot.LogBatch{Records: rs})
	got := records(t, l, all)
	if len(got) != len(texts) {
		t.Fatalf("%d records of %d; the log lost some", len(got), len(texts))
	}
	for i, r := range got {
		if want := texts[len(texts)-1-i]; r.Text != want {
			t.Errorf("record %d text = %q; want %q as written", i, r.Text, want)
		}
	}
	c := counts(t, l, bot.LogQuery{Since: all.Since, Until: all.Until})
	if len(c.Unanswered) != len(texts) {
		t.Errorf("%d unanswered texts; want %d", len(c.Unanswered), len(texts))
	}
}

func testConcurrent(t *testing.T, l bot.QuestionLog) {
	const writers, batches, per = 4, 5, 50
	var wg sync.WaitGroup
	errs := make(chan error, writers*batches)
	for w := range writers {
		wg.Go(func() {
			for b := range batches {
				var rs []bot.Record
				for i := range per {
					rs = append(rs, rec(fmt.Sprintf("w%d-b%d-%d", w, b, i), time.Duration(i)*time.Second, bot.OutcomeProgrammes, "q", "p1"))
				}
				if _, err := l.Write(context.Background(), bot.LogBatch{Records: rs}); err != nil {
					errs <- err
				}
			}
		})
	}
	// Reads while the writers write.
	for range 5 {
		if _, err := l.Counts(context.Background(), bot.LogQuery{Since: all.Since, Until: all.Until}); err != nil {
			t.Errorf("Counts during writes: %v", err)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent Write: %v", err)
	}
	c := counts(t, l, bot.LogQuery{Since: all.Since, Until: all.Until})
	if len(c.Programmes) != 1 || c.Programmes[0].Shown != writers*batches*per {
		t.Errorf("programmes after concurrent writes = %+v; want p1 shown %d times", c.Programmes, writers*batches*per)
	}
}

func testCanceled(t *testing.T, l bot.QuestionLog) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := l.Write(ctx, bot.LogBatch{Records: []bot.Record{rec("c1", time.Hour, bot.OutcomeMenu, "")}})
	if err == nil {
		t.Error("Write with a cancelled context succeeded")
	} else if !errors.Is(err, context.Canceled) {
		t.Logf("Write with a cancelled context: %v (not wrapping context.Canceled)", err)
	}
	if got := records(t, l, all); len(got) != 0 {
		t.Errorf("Write with a cancelled context stored %d records", len(got))
	}
}

// testCountsAgree writes generated records and votes (some changed, some
// refused, some batches retried), prunes, and checks the counts against
// the records read back.
func testCountsAgree(t *testing.T, l bot.QuestionLog) {
	start := day0
	span := 72 * time.Hour
	b := Generate(3000, start, span, 7)
	half := len(b.Records) / 2
	write(t, l, bot.LogBatch{Records: b.Records[:half]})
	write(t, l, bot.LogBatch{Records: b.Records, Ballots: b.Ballots}) // the first half again: skipped
	var more []bot.Ballot
	for i, v := range b.Ballots {
		switch i % 3 {
		case 0: // changed
			v.Vote = map[bot.Vote]bot.Vote{bot.VoteUp: bot.VoteDown, bot.VoteDown: bot.VoteUp}[v.Vote]
		case 1: // someone else's
			v.Conversation = "another"
		}
		more = append(more, v)
	}
	write(t, l, bot.LogBatch{Ballots: more})
	if _, err := l.Prune(context.Background(), start.Add(12*time.Hour)); err != nil {
		t.Fatal(err)
	}
	q := bot.LogQuery{Since: start, Until: start.Add(span), Zone: tokyo, Unanswered: 100_000}
	c := counts(t, l, q)
	rs := records(t, l, bot.RecordQuery{Since: start, Until: q.Until, Limit: 100_000})

	type sliceKey struct {
		day  string
		o    bot.Outcome
		ch   string
		lang bot.Lang
	}
	wantSlices := map[sliceKey]bot.Slice{}
	wantProgs := map[string]bot.ProgrammeCount{}
	wantTexts := map[string]int{}
	for _, r := range rs {
		k := sliceKey{r.At.Add(tokyo).UTC().Format(time.DateOnly), r.Outcome, r.Channel, r.Lang}
		s := wantSlices[k]
		s.Day, s.Outcome, s.Channel, s.Lang = k.day, k.o, k.ch, k.lang
		s.Questions++
		up, down := 0, 0
		switch r.Vote {
		case bot.VoteUp:
			up = 1
		case bot.VoteDown:
			down = 1
		}
		s.Up += up
		s.Down += down
		wantSlices[k] = s
		for i, id := range r.Programmes {
			p := wantProgs[id]
			p.ID = id
			p.Shown++
			if i == 0 {
				p.First++
			}
			p.Up += up
			p.Down += down
			wantProgs[id] = p
		}
		if r.Outcome == bot.OutcomeNoMatch && r.Text != "" {
			wantTexts[string(r.Lang)+"|"+r.Text]++
		}
	}
	if len(c.Slices) != len(wantSlices) {
		t.Errorf("%d slices; the records make %d", len(c.Slices), len(wantSlices))
	}
	for _, s := range c.Slices {
		if w := wantSlices[sliceKey{s.Day, s.Outcome, s.Channel, s.Lang}]; s != w {
			t.Errorf("slice %+v; the records make %+v", s, w)
		}
	}
	if len(c.Programmes) != len(wantProgs) {
		t.Errorf("%d programmes; the records show %d", len(c.Programmes), len(wantProgs))
	}
	for _, p := range c.Programmes {
		if w := wantProgs[p.ID]; p != w {
			t.Errorf("programme %+v; the records make %+v", p, w)
		}
	}
	if len(c.Unanswered) != len(wantTexts) {
		t.Errorf("%d unanswered texts; the records have %d", len(c.Unanswered), len(wantTexts))
	}
	for _, u := range c.Unanswered {
		if w := wantTexts[string(u.Lang)+"|"+u.Text]; u.Count != w {
			t.Errorf("unanswered %q ×%d; the records have it ×%d", u.Text, u.Count, w)
		}
	}
}
