package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/handoff"
)

// Tickets checks that a handoff.Store keeps its contract. open is called
// once per subtest and must return an empty store that stays usable until
// the subtest ends.
func Tickets(t *testing.T, open func(t *testing.T) handoff.Store) {
	t.Run("OnePerPerson", func(t *testing.T) { testOnePerPerson(t, open(t)) })
	t.Run("RoundTrip", func(t *testing.T) { testTicketRoundTrip(t, open(t)) })
	t.Run("Order", func(t *testing.T) { testDeliveryOrder(t, open(t)) })
	t.Run("Dedupe", func(t *testing.T) { testMessageDedupe(t, open(t)) })
	t.Run("Transitions", func(t *testing.T) { testTransitions(t, open(t)) })
	t.Run("Rate", func(t *testing.T) { testRate(t, open(t)) })
	t.Run("Remind", func(t *testing.T) { testRemind(t, open(t)) })
	t.Run("Due", func(t *testing.T) { testDue(t, open(t)) })
	t.Run("Stream", func(t *testing.T) { testStream(t, open(t)) })
	t.Run("Concurrent", func(t *testing.T) { testTicketsConcurrent(t, open(t)) })
	t.Run("Canceled", func(t *testing.T) { testTicketsCanceled(t, open(t)) })
}

// t0 is when the suite's tickets open.
var t0 = time.Date(2026, 12, 1, 1, 2, 3, 4_000_000, time.UTC)

// keys numbers the messages' retry keys.
var keys atomic.Int64

func msg(side handoff.Side, kind handoff.Kind, source, text string) handoff.Message {
	return handoff.Message{Side: side, Kind: kind, Source: source, Text: text, At: t0, State: handoff.Pending,
		Key: fmt.Sprintf("123e4567-e89b-42d3-a456-%012d", keys.Add(1))}
}

func ticket(conv string) handoff.Ticket {
	return handoff.Ticket{Conversation: conv, Channel: "line", Lang: bot.Japanese, Opened: t0,
		Recent: bot.Recent{Lang: bot.Japanese, Questions: []string{"大阪の天気", "パスワードを盗まれたかも"}, Answer: "すみません、ご質問に合う取組は見つかりませんでした。"}}
}

func mustOpen(t *testing.T, s handoff.Store, tk handoff.Ticket, msgs ...handoff.Message) handoff.Ticket {
	t.Helper()
	got, err := s.Open(context.Background(), tk, msgs...)
	if err != nil {
		t.Fatalf("Open(%s): %v", tk.Conversation, err)
	}
	return got
}

func claimMessage(t *testing.T, s handoff.Store, id int64, side handoff.Side, now time.Time) (handoff.Message, error) {
	t.Helper()
	return s.Claim(context.Background(), id, side, now, now.Add(time.Minute))
}

func mustClaim(t *testing.T, s handoff.Store, id int64, side handoff.Side, now time.Time, want string) handoff.Message {
	t.Helper()
	m, err := claimMessage(t, s, id, side, now)
	if err != nil || m.Source != want {
		t.Fatalf("Claim(%d, %s) = %q, %v; want the message from %q", id, side, m.Source, err, want)
	}
	return m
}

func testOnePerPerson(t *testing.T, s handoff.Store) {
	ctx := context.Background()
	a := mustOpen(t, s, ticket("line:Ua"))
	if a.ID <= 0 || a.State != handoff.StateOpen || a.Thread != "" {
		t.Fatalf("Open = %+v; want a ticket numbered from 1, open, not posted", a)
	}
	again, err := s.Open(ctx, ticket("line:Ua"))
	if !errors.Is(err, handoff.ErrOpen) || again.ID != a.ID {
		t.Errorf("second Open = #%d, %v; want #%d and ErrOpen", again.ID, err, a.ID)
	}
	b := mustOpen(t, s, ticket("line:Ub"))
	if b.ID == a.ID {
		t.Errorf("two people got ticket #%d", a.ID)
	}
	if cur, err := s.Current(ctx, "line:Ua"); err != nil || cur.ID != a.ID {
		t.Errorf("Current(Ua) = #%d, %v; want #%d", cur.ID, err, a.ID)
	}
	if _, err := s.Current(ctx, "line:Unobody"); !errors.Is(err, handoff.ErrNotFound) {
		t.Errorf("Current(nobody) = %v; want ErrNotFound", err)
	}
	if _, err := s.Get(ctx, 1<<40); !errors.Is(err, handoff.ErrNotFound) {
		t.Errorf("Get(unknown) = %v; want ErrNotFound", err)
	}
	if _, err := s.ByThread(ctx, "1761956000.000001"); !errors.Is(err, handoff.ErrNotFound) {
		t.Errorf("ByThread(unknown) = %v; want ErrNotFound", err)
	}
	if _, _, err := s.Close(ctx, a.ID, handoff.ClosedByPerson, "", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Current(ctx, "line:Ua"); !errors.Is(err, handoff.ErrNotFound) {
		t.Errorf("Current after Close = %v; want ErrNotFound", err)
	}
	c := mustOpen(t, s, ticket("line:Ua"))
	if c.ID == a.ID || c.ID == b.ID {
		t.Errorf("a new ticket after the first closed got #%d again", c.ID)
	}
}

func testTicketRoundTrip(t *testing.T, s handoff.Store) {
	ctx := context.Background()
	in := ticket("web:AbC-_123xyz\u00e9")
	in.Channel, in.Lang = "web", bot.English
	in.Opens = t0.Add(14 * time.Hour)
	in.Recent = bot.Recent{Lang: bot.English, Questions: []string{"<script>alert(1)</script>", "'; DROP TABLE handoff_tickets; --", "😀 \x00 zero\u200bwidth"}, Answer: "multi\nline"}
	got := mustOpen(t, s, in, msg(handoff.SideStaff, handoff.KindTicket, "ticket", ""))
	want := in
	want.ID, want.State = got.ID, handoff.StateOpen
	want.Opened, want.Opens = t0.Truncate(time.Millisecond), in.Opens.Truncate(time.Millisecond)
	if !got.Opened.Equal(want.Opened) || !got.Opens.Equal(want.Opens) {
		t.Errorf("times = %v, %v; want %v, %v", got.Opened, got.Opens, want.Opened, want.Opens)
	}
	got.Opened, got.Opens = want.Opened, want.Opens
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Open = %+v\nwant %+v", got, want)
	}
	m := mustClaim(t, s, got.ID, handoff.SideStaff, t0, "ticket")
	if m.Kind != handoff.KindTicket || m.Attempts != 1 || m.Key == "" || m.State != handoff.Pending || !m.At.Equal(t0.Truncate(time.Millisecond)) {
		t.Errorf("claimed %+v; want the ticket's post, one attempt, with its key", m)
	}
	if err := s.Sent(ctx, m.ID, t0, "1761956000.000101"); err != nil {
		t.Fatal(err)
	}
	byThread, err := s.ByThread(ctx, "1761956000.000101")
	if err != nil || byThread.ID != got.ID || byThread.Thread != "1761956000.000101" {
		t.Errorf("ByThread = #%d %q, %v; want #%d with its thread", byThread.ID, byThread.Thread, err, got.ID)
	}
}

func testDeliveryOrder(t *testing.T, s handoff.Store) {
	ctx := context.Background()
	tk := mustOpen(t, s, ticket("line:Uorder"), msg(handoff.SideStaff, handoff.KindTicket, "ticket", ""))
	for _, src := range []string{"a", "b"} {
		if _, added, err := s.Add(ctx, withTicket(msg(handoff.SideStaff, handoff.KindText, src, src), tk.ID)); err != nil || !added {
			t.Fatalf("Add(%s) = %v, %v", src, added, err)
		}
	}
	if _, _, err := s.Add(ctx, withTicket(msg(handoff.SidePerson, handoff.KindText, "p", "{}"), tk.ID)); err != nil {
		t.Fatal(err)
	}
	first := mustClaim(t, s, tk.ID, handoff.SideStaff, t0, "ticket")
	if _, err := claimMessage(t, s, tk.ID, handoff.SideStaff, t0); !errors.Is(err, handoff.ErrNotFound) {
		t.Errorf("Claim while the first is claimed = %v; want ErrNotFound (the others wait)", err)
	}
	// The other side does not wait for this one.
	mustClaim(t, s, tk.ID, handoff.SidePerson, t0, "p")
	// A claim that ran out is due again.
	again := mustClaim(t, s, tk.ID, handoff.SideStaff, t0.Add(2*time.Minute), "ticket")
	if again.Attempts != 2 {
		t.Errorf("claimed again: %d attempts; want 2", again.Attempts)
	}
	if err := s.Sent(ctx, first.ID, t0, "1761956000.000102"); err != nil {
		t.Fatal(err)
	}
	now := t0.Add(3 * time.Minute)
	a := mustClaim(t, s, tk.ID, handoff.SideStaff, now, "a")
	if err := s.Retry(ctx, a.ID, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := claimMessage(t, s, tk.ID, handoff.SideStaff, now); !errors.Is(err, handoff.ErrNotFound) {
		t.Errorf("Claim before the retry = %v; want ErrNotFound (b waits behind a)", err)
	}
	a = mustClaim(t, s, tk.ID, handoff.SideStaff, now.Add(2*time.Hour), "a")
	if err := s.Fail(ctx, a.ID, now); err != nil {
		t.Fatal(err)
	}
	b := mustClaim(t, s, tk.ID, handoff.SideStaff, now.Add(2*time.Hour), "b")
	if err := s.Sent(ctx, b.ID, now, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := claimMessage(t, s, tk.ID, handoff.SideStaff, now.Add(3*time.Hour)); !errors.Is(err, handoff.ErrNotFound) {
		t.Errorf("Claim with nothing pending = %v; want ErrNotFound", err)
	}
	if got, _ := s.Get(ctx, tk.ID); got.Thread != "1761956000.000102" {
		t.Errorf("a message sent without a thread changed the ticket's thread to %q", got.Thread)
	}
}

func withTicket(m handoff.Message, id int64) handoff.Message {
	m.Ticket = id
	return m
}

func testMessageDedupe(t *testing.T, s handoff.Store) {
	ctx := context.Background()
	tk := mustOpen(t, s, ticket("line:Udedupe"))
	first, added, err := s.Add(ctx, withTicket(msg(handoff.SidePerson, handoff.KindText, "staff:1761956001.000200", "{}"), tk.ID))
	if err != nil || !added || first.ID == 0 {
		t.Fatalf("Add = %+v, %v, %v", first, added, err)
	}
	again, added, err := s.Add(ctx, withTicket(msg(handoff.SidePerson, handoff.KindText, "staff:1761956001.000200", `{"text":"other"}`), tk.ID))
	if err != nil || added || again.ID != first.ID || again.Text != "{}" {
		t.Errorf("Add of the same source = #%d %q added %v, %v; want #%d as first kept, not added", again.ID, again.Text, added, err, first.ID)
	}
	if _, added, err := s.Add(ctx, withTicket(msg(handoff.SideStaff, handoff.KindText, "staff:1761956001.000200", ""), tk.ID)); err != nil || !added {
		t.Errorf("Add of the same source for the other side = %v, %v; want added", added, err)
	}
	x, _, _ := s.Add(ctx, withTicket(msg(handoff.SideStaff, handoff.KindText, "", "x"), tk.ID))
	y, added, err := s.Add(ctx, withTicket(msg(handoff.SideStaff, handoff.KindText, "", "y"), tk.ID))
	if err != nil || !added || x.ID == y.ID || x.Source == "" || x.Source == y.Source {
		t.Errorf("two messages without a source: #%d %q and #%d %q, %v; want both kept apart", x.ID, x.Source, y.ID, y.Source, err)
	}
}

func testTransitions(t *testing.T, s handoff.Store) {
	ctx := context.Background()
	tk := mustOpen(t, s, ticket("line:Utake"), msg(handoff.SideStaff, handoff.KindTicket, "ticket", ""))
	m := mustClaim(t, s, tk.ID, handoff.SideStaff, t0, "ticket")
	if err := s.Sent(ctx, m.ID, t0, "1761956000.000103"); err != nil {
		t.Fatal(err)
	}
	if w := waiting(t, s); !w[tk.ID] {
		t.Errorf("Waiting lacks #%d, open and posted", tk.ID)
	}
	taken, changed, err := s.Take(ctx, tk.ID, "U0STAFF01", t0.Add(time.Minute), msg(handoff.SideStaff, handoff.KindTaken, "", ""))
	if err != nil || !changed || taken.State != handoff.StateTaken || taken.TakenBy != "U0STAFF01" || !taken.Taken.Equal(t0.Add(time.Minute).Truncate(time.Millisecond)) {
		t.Fatalf("Take = %+v, %v, %v; want taken by U0STAFF01", taken, changed, err)
	}
	if _, changed, err := s.Take(ctx, tk.ID, "U0STAFF02", t0.Add(2*time.Minute), msg(handoff.SideStaff, handoff.KindTaken, "", "")); err != nil || changed {
		t.Errorf("Take of a taken ticket = %v, %v; want no change", changed, err)
	}
	if w := waiting(t, s); w[tk.ID] {
		t.Errorf("Waiting lists #%d, taken", tk.ID)
	}
	if cur, err := s.Current(ctx, "line:Utake"); err != nil || cur.ID != tk.ID {
		t.Errorf("Current of a taken ticket = #%d, %v; want #%d", cur.ID, err, tk.ID)
	}
	closed, changed, err := s.Close(ctx, tk.ID, handoff.ClosedByStaff, "U0STAFF01", t0.Add(3*time.Minute),
		msg(handoff.SideStaff, handoff.KindClosed, "", ""), msg(handoff.SidePerson, handoff.KindClosed, "", "{}"))
	if err != nil || !changed || closed.State != handoff.StateClosed || closed.ClosedBy != handoff.ClosedByStaff || closed.Closer != "U0STAFF01" {
		t.Fatalf("Close = %+v, %v, %v", closed, changed, err)
	}
	if _, changed, err := s.Close(ctx, tk.ID, handoff.ClosedByPerson, "", t0.Add(4*time.Minute), msg(handoff.SidePerson, handoff.KindClosed, "", "{}")); err != nil || changed {
		t.Errorf("Close of a closed ticket = %v, %v; want no change", changed, err)
	}
	// One taken note, one closed note for the staff: a transition that
	// changes nothing adds nothing.
	var staff []handoff.Kind
	for range 5 {
		m, err := claimMessage(t, s, tk.ID, handoff.SideStaff, t0.Add(time.Hour))
		if err != nil {
			break
		}
		staff = append(staff, m.Kind)
		_ = s.Sent(ctx, m.ID, t0, "")
	}
	if want := []handoff.Kind{handoff.KindTaken, handoff.KindClosed}; !reflect.DeepEqual(staff, want) {
		t.Errorf("staff messages %v; want %v", staff, want)
	}
	if _, _, err := s.Take(ctx, 1<<40, "U0STAFF01", t0); !errors.Is(err, handoff.ErrNotFound) {
		t.Errorf("Take(unknown) = %v; want ErrNotFound", err)
	}
}

func waiting(t *testing.T, s handoff.Store) map[int64]bool {
	t.Helper()
	ws, err := s.Waiting(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]bool{}
	for _, w := range ws {
		out[w.ID] = true
	}
	return out
}

func testRate(t *testing.T, s handoff.Store) {
	ctx := context.Background()
	tk := mustOpen(t, s, ticket("web:rater"))
	rate := func(id int64, conv string, v bot.Vote) bool {
		t.Helper()
		ok, err := s.Rate(ctx, id, conv, v, msg(handoff.SideStaff, handoff.KindRated, "", string(v)))
		if err != nil {
			t.Fatalf("Rate(#%d, %s, %q): %v", id, conv, v, err)
		}
		return ok
	}
	if rate(tk.ID, "web:rater", bot.VoteUp) {
		t.Error("an open ticket was rated")
	}
	if _, _, err := s.Close(ctx, tk.ID, handoff.ClosedByPerson, "", t0); err != nil {
		t.Fatal(err)
	}
	if rate(tk.ID, "web:someone-else", bot.VoteUp) {
		t.Error("someone else's ticket was rated")
	}
	if rate(tk.ID, "web:rater", "sideways") {
		t.Error("a made-up vote was kept")
	}
	if rate(1<<40, "web:rater", bot.VoteUp) {
		t.Error("an unknown ticket was rated")
	}
	if !rate(tk.ID, "web:rater", bot.VoteDown) {
		t.Fatal("the person's closed ticket was not rated")
	}
	if rate(tk.ID, "web:rater", bot.VoteUp) {
		t.Error("a ticket was rated twice")
	}
	if got, _ := s.Get(ctx, tk.ID); got.Rating != bot.VoteDown {
		t.Errorf("rating %q; want down", got.Rating)
	}
	n := 0
	for {
		m, err := claimMessage(t, s, tk.ID, handoff.SideStaff, t0.Add(time.Hour))
		if err != nil {
			break
		}
		n++
		_ = s.Sent(ctx, m.ID, t0, "")
	}
	if n != 1 {
		t.Errorf("%d rating notes for the staff; want 1", n)
	}
}

func testRemind(t *testing.T, s handoff.Store) {
	ctx := context.Background()
	tk := mustOpen(t, s, ticket("line:Uremind"))
	remind := func(n int) bool {
		t.Helper()
		ok, err := s.Remind(ctx, tk.ID, n, t0.Add(time.Duration(n)*15*time.Minute), msg(handoff.SideStaff, handoff.KindReminder, fmt.Sprintf("reminder:%d", n), ""))
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if remind(2) {
		t.Error("reminder 2 before reminder 1")
	}
	if !remind(1) {
		t.Fatal("reminder 1 refused")
	}
	if remind(1) {
		t.Error("reminder 1 twice (another replica's)")
	}
	if !remind(2) {
		t.Error("reminder 2 refused")
	}
	if got, _ := s.Get(ctx, tk.ID); got.Reminders != 2 {
		t.Errorf("Reminders = %d; want 2", got.Reminders)
	}
	if _, _, err := s.Take(ctx, tk.ID, "U0STAFF01", t0); err != nil {
		t.Fatal(err)
	}
	if remind(3) {
		t.Error("a taken ticket was reminded of")
	}
}

func testDue(t *testing.T, s handoff.Store) {
	ctx := context.Background()
	a := mustOpen(t, s, ticket("line:Udue1"), msg(handoff.SideStaff, handoff.KindTicket, "ticket", ""))
	b := mustOpen(t, s, ticket("line:Udue2"), msg(handoff.SidePerson, handoff.KindText, "p", "{}"))
	due := func(now time.Time) map[handoff.Due]bool {
		t.Helper()
		ds, err := s.Due(ctx, now, 100)
		if err != nil {
			t.Fatal(err)
		}
		out := map[handoff.Due]bool{}
		for _, d := range ds {
			out[d] = true
		}
		return out
	}
	da, db := handoff.Due{Ticket: a.ID, Side: handoff.SideStaff}, handoff.Due{Ticket: b.ID, Side: handoff.SidePerson}
	if d := due(t0); !d[da] || !d[db] {
		t.Errorf("Due = %v; want both tickets", d)
	}
	m := mustClaim(t, s, a.ID, handoff.SideStaff, t0, "ticket")
	if d := due(t0); d[da] || !d[db] {
		t.Errorf("Due with a's message claimed = %v; want only b", d)
	}
	if d := due(t0.Add(2 * time.Minute)); !d[da] {
		t.Errorf("Due after a's claim ran out = %v; want a", d)
	}
	if err := s.Sent(ctx, m.ID, t0, "1761956000.000104"); err != nil {
		t.Fatal(err)
	}
	if d := due(t0.Add(2 * time.Minute)); d[da] {
		t.Errorf("Due after a's message was sent = %v; want not a", d)
	}
}

func testStream(t *testing.T, s handoff.Store) {
	ctx := context.Background()
	const conv = "web:streamer"
	first := mustOpen(t, s, ticket(conv), msg(handoff.SidePerson, handoff.KindTaken, "", `{"text":"1"}`), msg(handoff.SideStaff, handoff.KindTicket, "ticket", ""))
	if _, _, err := s.Add(ctx, withTicket(msg(handoff.SidePerson, handoff.KindText, "", `{"text":"2"}`), first.ID)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Close(ctx, first.ID, handoff.ClosedByStaff, "U0STAFF01", t0, msg(handoff.SidePerson, handoff.KindClosed, "", `{"text":"3"}`)); err != nil {
		t.Fatal(err)
	}
	other := mustOpen(t, s, ticket("web:someone-else"), msg(handoff.SidePerson, handoff.KindText, "", `{"text":"not yours"}`))
	_ = other
	second := mustOpen(t, s, ticket(conv))
	if _, _, err := s.Add(ctx, withTicket(msg(handoff.SidePerson, handoff.KindText, "", `{"text":"4"}`), second.ID)); err != nil {
		t.Fatal(err)
	}
	texts := func(after int64, limit int) ([]string, int64) {
		t.Helper()
		ms, err := s.Stream(ctx, conv, after, limit)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		last := after
		for _, m := range ms {
			if m.Side != handoff.SidePerson || m.ID <= last {
				t.Errorf("Stream returned %+v after #%d", m, last)
			}
			out = append(out, m.Text)
			last = m.ID
		}
		return out, last
	}
	all, _ := texts(0, 100)
	if want := []string{`{"text":"1"}`, `{"text":"2"}`, `{"text":"3"}`, `{"text":"4"}`}; !reflect.DeepEqual(all, want) {
		t.Errorf("Stream = %q; want %q", all, want)
	}
	page, last := texts(0, 2)
	rest, _ := texts(last, 100)
	if len(page) != 2 || !reflect.DeepEqual(append(page, rest...), all) {
		t.Errorf("Stream by pages = %q + %q; want %q", page, rest, all)
	}
	if none, _ := texts(1<<40, 100); len(none) != 0 {
		t.Errorf("Stream after the last = %q; want nothing", none)
	}
}

func testTicketsConcurrent(t *testing.T, s handoff.Store) {
	ctx := context.Background()
	const n = 8
	var wg sync.WaitGroup
	ids := make([]int64, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			tk, err := s.Open(ctx, ticket("line:Urace"), msg(handoff.SideStaff, handoff.KindTicket, "ticket", ""))
			ids[i], errs[i] = tk.ID, err
		})
	}
	wg.Wait()
	opened := 0
	for i := range n {
		switch {
		case errs[i] == nil:
			opened++
		case !errors.Is(errs[i], handoff.ErrOpen):
			t.Errorf("racing Open #%d: %v", i, errs[i])
		}
		if ids[i] != ids[0] {
			t.Errorf("racing Open #%d = ticket #%d; want #%d like the others", i, ids[i], ids[0])
		}
	}
	if opened != 1 {
		t.Errorf("%d racing Opens succeeded; want 1", opened)
	}
	// One claim wins; one Add of a source wins.
	claimed := make([]bool, n)
	added := make([]bool, n)
	for i := range n {
		wg.Go(func() {
			_, err := claimMessage(t, s, ids[0], handoff.SideStaff, t0)
			claimed[i] = err == nil
			_, added[i], _ = s.Add(ctx, withTicket(msg(handoff.SidePerson, handoff.KindText, "staff:1761956002.000300", "{}"), ids[0]))
		})
	}
	wg.Wait()
	count := func(bs []bool) (c int) {
		for _, b := range bs {
			if b {
				c++
			}
		}
		return c
	}
	if c := count(claimed); c != 1 {
		t.Errorf("%d racing Claims won; want 1", c)
	}
	if c := count(added); c != 1 {
		t.Errorf("%d racing Adds of one source added it; want 1", c)
	}
}

func testTicketsCanceled(t *testing.T, s handoff.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Open(ctx, ticket("line:Ucanceled")); err == nil || errors.Is(err, handoff.ErrOpen) {
		t.Errorf("Open with a done context = %v; want an error", err)
	}
	if _, err := s.Current(context.Background(), "line:Ucanceled"); !errors.Is(err, handoff.ErrNotFound) {
		t.Errorf("Current after a cancelled Open = %v; want ErrNotFound (nothing kept)", err)
	}
}
