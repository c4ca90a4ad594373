package handoff_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/bot/bottest"
	"github.com/supportbot/supportbot/internal/dialog"
	"github.com/supportbot/supportbot/internal/dialog/dialogtest"
	"github.com/supportbot/supportbot/internal/handoff"
	"github.com/supportbot/supportbot/internal/sqlite"
	"github.com/supportbot/supportbot/internal/storetest"
)

// staff stands in for the staff's side: it records posts and notes, and
// fails the kinds fail says.
type staff struct {
	mu    sync.Mutex
	posts []handoff.Ticket
	notes []handoff.Message
	fail  func(handoff.Kind) error
}

func (s *staff) Post(_ context.Context, t handoff.Ticket) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		if err := s.fail(handoff.KindTicket); err != nil {
			return "", err
		}
	}
	s.posts = append(s.posts, t)
	return fmt.Sprintf("1761956000.%06d", t.ID), nil
}

func (s *staff) Note(_ context.Context, t handoff.Ticket, m handoff.Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		if err := s.fail(m.Kind); err != nil {
			return err
		}
	}
	if t.Thread == "" {
		return errors.New("note before the ticket's post")
	}
	s.notes = append(s.notes, m)
	return nil
}

func (s *staff) setFail(f func(handoff.Kind) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = f
}

// kinds lists the notes' kinds and texts.
func (s *staff) kinds() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, m := range s.notes {
		out = append(out, strings.TrimSuffix(string(m.Kind)+":"+m.Text, ":"))
	}
	return out
}

func (s *staff) postCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.posts)
}

// delivered is one message an outbox delivered.
type delivered struct {
	conv, key string
	a         bot.Answer
}

// outbox stands in for a channel: every conversation of prefix is
// reached; it records deliveries, delivering a key once as LINE does, and
// fails as fail says.
type outbox struct {
	prefix string
	mu     sync.Mutex
	got    []delivered
	keys   map[string]bool
	fail   error
}

func (o *outbox) Reaches(conv string) bool { return strings.HasPrefix(conv, o.prefix) }

func (o *outbox) Deliver(_ context.Context, conv string, a bot.Answer, key string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.fail != nil {
		return o.fail
	}
	if o.keys == nil {
		o.keys = map[string]bool{}
	}
	if o.keys[key] {
		return nil // accepted already (409): not delivered again
	}
	o.keys[key] = true
	o.got = append(o.got, delivered{conv, key, a})
	return nil
}

func (o *outbox) texts() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []string
	for _, d := range o.got {
		out = append(out, d.a.Text)
	}
	return out
}

// kit is a desk over the real engine and an SQLite store, with stand-ins
// for the staff and a LINE-like outbox.
type kit struct {
	desk   *handoff.Desk
	engine *dialog.Engine
	store  *sqlite.Tickets
	staff  *staff
	line   *outbox
	clock  *storetest.FakeClock
}

func newKit(t testing.TB, cfg handoff.Config) *kit {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	k := &kit{engine: dialogtest.New(t), store: sqlite.NewTickets(db), staff: &staff{}, line: &outbox{prefix: "line:U"}, clock: storetest.NewFakeClock()}
	if cfg.Store == nil {
		cfg.Store = k.store
	}
	cfg.Engine, cfg.Staff = k.engine, k.staff
	cfg.Outboxes = map[string]handoff.Outbox{"line": k.line}
	if cfg.Now == nil {
		cfg.Now = k.clock.Now
	}
	k.desk, err = handoff.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// ask asks the desk as the LINE adapter would.
func (k *kit) ask(t *testing.T, conv string, text string, act *bot.Action) bot.Answer {
	t.Helper()
	a, err := k.desk.Answer(context.Background(), bot.Question{Conversation: conv, Channel: "line", Text: text, Action: act})
	if err != nil {
		t.Fatalf("Answer(%q, %+v): %v", text, act, err)
	}
	if p := bottest.Problems(a); len(p) > 0 {
		t.Fatalf("Answer(%q, %+v) is not well formed: %v", text, act, p)
	}
	k.desk.Wait(context.Background())
	return a
}

func suggests(a bot.Answer, kind bot.ActionKind) *bot.Action {
	for _, s := range a.Suggestions {
		if s.Action.Kind == kind {
			return &s.Action
		}
	}
	return nil
}

const conv = "line:U4af4980629a0b1c2d3e4f5a6b7c8d9e0"

// open walks a person from a question nothing fits to an open ticket.
func (k *kit) open(t *testing.T) bot.Answer {
	t.Helper()
	a := k.ask(t, conv, "隣の家の犬がうるさい", nil)
	offer := suggests(a, bot.ActionHandoff)
	if a.Kind != bot.KindNoMatch || offer == nil {
		t.Fatalf("no match = %s with %v; want Ask a person offered", a.Kind, a.Suggestions)
	}
	a = k.ask(t, conv, "", offer)
	consent := suggests(a, bot.ActionConsent)
	if consent == nil {
		t.Fatalf("offer = %q with %v; want the consent", a.Text, a.Suggestions)
	}
	return k.ask(t, conv, "", consent)
}

func TestConsentOpensTicket(t *testing.T) {
	k := newKit(t, handoff.Config{})
	a := k.open(t)
	if a.Kind != bot.KindHandoff || a.Ticket != 1 || !strings.Contains(a.Text, "受付番号 1") || strings.Contains(a.Text, "以降") {
		t.Fatalf("consent = %s #%d %q; want the ticket opened, in hours", a.Kind, a.Ticket, a.Text)
	}
	if k.staff.postCount() != 1 {
		t.Fatalf("%d tickets posted; want 1", k.staff.postCount())
	}
	posted := k.staff.posts[0]
	if posted.Conversation != conv || posted.Channel != "line" || posted.Lang != bot.Japanese ||
		!slices.Equal(posted.Recent.Questions, []string{"隣の家の犬がうるさい"}) || posted.Recent.Answer == "" {
		t.Errorf("posted %+v; want the person's question and the bot's answer", posted)
	}
	// One open ticket per person.
	again := k.ask(t, conv, "", &bot.Action{Kind: bot.ActionConsent})
	if again.Ticket != 1 || !strings.Contains(again.Text, "続いています") || k.staff.postCount() != 1 {
		t.Errorf("a second consent = #%d %q, %d posts; want the open one, one post", again.Ticket, again.Text, k.staff.postCount())
	}
}

func TestRelayAndReplies(t *testing.T) {
	k := newKit(t, handoff.Config{})
	k.open(t)
	for _, text := range []string{"パスワードを変えた方がいいですか", "中小企業向けの支援", "ありがとう"} {
		if a := k.ask(t, conv, text, nil); !a.Silent() || a.Ticket != 1 {
			t.Fatalf("Answer(%q) while open = %s #%d; want relayed, silent", text, a.Kind, a.Ticket)
		}
	}
	// A platform that redelivers an event relays it once.
	for range 2 {
		if _, err := k.desk.Answer(context.Background(), bot.Question{Conversation: conv, Channel: "line", Text: "もう一度", ID: "01EVENT"}); err != nil {
			t.Fatal(err)
		}
		k.desk.Wait(context.Background())
	}
	want := []string{"text:パスワードを変えた方がいいですか", "text:中小企業向けの支援", "text:ありがとう", "text:もう一度"}
	if got := k.staff.kinds(); !slices.Equal(got, want) {
		t.Errorf("thread got %q; want %q in order", got, want)
	}
	// The menu still reaches the bot.
	if a := k.ask(t, conv, "メニュー", nil); a.Kind != bot.KindHelp || a.Ticket != 1 || suggests(a, bot.ActionEnd) == nil {
		t.Errorf("menu while open = %s #%d; want the menu with the end button", a.Kind, a.Ticket)
	}
	// A staff reply reaches the person once, even when Slack retries the
	// event and a second replica (another desk on the same store) sees it.
	other, err := handoff.New(handoff.Config{Store: k.store, Engine: k.engine, Staff: k.staff, Outboxes: map[string]handoff.Outbox{"line": k.line}, Now: k.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, d := range []*handoff.Desk{k.desk, other, k.desk, other} {
		wg.Go(func() {
			if err := d.FromStaff(context.Background(), handoff.StaffMessage{Thread: "1761956000.000001", ID: "1761956100.000200", User: "U0STAFF01", Text: "パスワードを変えて、二段階認証を設定してください。"}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := k.line.texts(); len(got) != 1 || got[0] != "相談員より:\nパスワードを変えて、二段階認証を設定してください。" {
		t.Errorf("the person got %q; want the reply once", got)
	}
	if d := k.line.got[0]; d.conv != conv || len(d.key) != 36 || d.a.Kind != bot.KindStaff {
		t.Errorf("delivered %+v; want a staff answer to the person with a UUID retry key", d)
	}
	// A reply in a thread that is no ticket's is not for anyone.
	if err := k.desk.FromStaff(context.Background(), handoff.StaffMessage{Thread: "1700000000.000001", ID: "1761956100.000300", Text: "hi"}); err != nil || len(k.line.texts()) != 1 {
		t.Errorf("a reply elsewhere = %v, %d deliveries; want ignored", err, len(k.line.texts()))
	}
}

func TestEndAndRate(t *testing.T) {
	k := newKit(t, handoff.Config{})
	k.open(t)
	a := k.ask(t, conv, "終了", nil)
	up := suggests(a, bot.ActionRate)
	if a.Kind != bot.KindHandoff || a.Ticket != 0 || up == nil || !strings.Contains(a.Text, "終了し") {
		t.Fatalf("終了 = %s #%d %q; want ended, with a rating", a.Kind, a.Ticket, a.Text)
	}
	if tk, _ := k.store.Get(context.Background(), 1); tk.State != handoff.StateClosed || tk.ClosedBy != handoff.ClosedByPerson {
		t.Errorf("ticket %+v; want closed by the person", tk)
	}
	if got := k.staff.kinds(); !slices.Equal(got, []string{"closed"}) {
		t.Errorf("thread got %q; want the close", got)
	}
	// After the end, text is a question again.
	if a := k.ask(t, conv, "セキュリティ・キャンプ", nil); a.Kind != bot.KindProgrammes {
		t.Errorf("after the end = %s; want programmes", a.Kind)
	}
	if a := k.ask(t, "line:Uother", "", up); !strings.Contains(a.Text, "受け付けられません") {
		t.Errorf("someone else's rating = %q; want refused", a.Text)
	}
	if a := k.ask(t, conv, "", up); !strings.Contains(a.Text, "ありがとう") {
		t.Errorf("rating = %q; want thanks", a.Text)
	}
	if a := k.ask(t, conv, "", up); !strings.Contains(a.Text, "受け付けられません") {
		t.Errorf("a second rating = %q; want refused", a.Text)
	}
	if tk, _ := k.store.Get(context.Background(), 1); tk.Rating != bot.VoteUp {
		t.Errorf("rating kept %q; want up", tk.Rating)
	}
	if got := k.staff.kinds(); !slices.Equal(got, []string{"closed", "rated:up"}) {
		t.Errorf("thread got %q; want the close and the rating", got)
	}
}

func TestStaffTakeAndClose(t *testing.T) {
	k := newKit(t, handoff.Config{})
	k.open(t)
	ctx := context.Background()
	tk, err := k.desk.Take(ctx, 1, "U0STAFF01")
	if err != nil || tk.State != handoff.StateTaken || tk.TakenBy != "U0STAFF01" {
		t.Fatalf("Take = %+v, %v", tk, err)
	}
	if _, err := k.desk.Take(ctx, 1, "U0STAFF02"); err != nil {
		t.Fatal(err)
	}
	tk, err = k.desk.Close(ctx, 1, "U0STAFF02")
	if err != nil || tk.State != handoff.StateClosed || tk.Closer != "U0STAFF02" {
		t.Fatalf("Close = %+v, %v", tk, err)
	}
	k.desk.Wait(ctx)
	if got := k.staff.kinds(); !slices.Equal(got, []string{"taken", "closed"}) {
		t.Errorf("thread got %q; want taken once, closed", got)
	}
	got := k.line.texts()
	if len(got) != 2 || !strings.Contains(got[0], "担当") || !strings.Contains(got[1], "相談員が対応を終了しました") {
		t.Errorf("the person got %q; want taken, then closed", got)
	}
	if d := k.line.got[1]; suggests(d.a, bot.ActionRate) == nil {
		t.Errorf("the close %q asks no rating", d.a.Text)
	}
	if _, err := k.desk.Close(ctx, 99, "U0STAFF01"); !errors.Is(err, handoff.ErrNotFound) {
		t.Errorf("Close(unknown) = %v; want ErrNotFound", err)
	}
}

// TestSlackDown: when the staff's side does not answer, the person is told
// the request is saved; it is posted, with what they wrote meanwhile, in
// order, once the staff's side answers again.
func TestSlackDown(t *testing.T) {
	k := newKit(t, handoff.Config{PostWait: 200 * time.Millisecond})
	down := errors.New("slack: chat.postMessage: server_error after 4 attempts")
	k.staff.setFail(func(handoff.Kind) error { return down })
	a := k.open(t)
	if a.Ticket != 1 || !strings.Contains(a.Text, "保存しました") {
		t.Fatalf("consent with Slack down = #%d %q; want saved for later", a.Ticket, a.Text)
	}
	k.ask(t, conv, "まだですか", nil)
	k.staff.setFail(nil)
	// The sweep finds them after their retry time.
	k.clock.Advance(time.Minute)
	handoff.Sweep(k.desk, context.Background())
	k.desk.Wait(context.Background())
	if k.staff.postCount() != 1 || !slices.Equal(k.staff.kinds(), []string{"text:まだですか"}) {
		t.Errorf("after Slack came back: %d posts, notes %q; want the ticket, then the message", k.staff.postCount(), k.staff.kinds())
	}
}

func TestPushRefused(t *testing.T) {
	k := newKit(t, handoff.Config{})
	k.open(t)
	k.line.fail = fmt.Errorf("line: push: 429 You have reached your monthly limit.: %w", handoff.ErrRefused)
	if err := k.desk.FromStaff(context.Background(), handoff.StaffMessage{Thread: "1761956000.000001", ID: "1761956100.000400", User: "U0STAFF01", Text: "お待たせしました"}); err != nil {
		t.Fatal(err)
	}
	k.desk.Wait(context.Background())
	if got := k.staff.kinds(); !slices.Equal(got, []string{"undelivered"}) {
		t.Errorf("thread got %q; want told the reply did not reach the person", got)
	}
}

func TestStaffFileOnly(t *testing.T) {
	k := newKit(t, handoff.Config{})
	k.open(t)
	if err := k.desk.FromStaff(context.Background(), handoff.StaffMessage{Thread: "1761956000.000001", ID: "1761956100.000500", User: "U0STAFF01", Files: 1}); err != nil {
		t.Fatal(err)
	}
	k.desk.Wait(context.Background())
	if got := k.line.texts(); len(got) != 1 || !strings.Contains(got[0], "ファイルをお届けできません") {
		t.Errorf("the person got %q; want a note that a file was shared", got)
	}
	if got := k.staff.kinds(); !slices.Equal(got, []string{"file"}) {
		t.Errorf("thread got %q; want told files are not passed on", got)
	}
}

func TestReplyAfterClose(t *testing.T) {
	k := newKit(t, handoff.Config{})
	k.open(t)
	k.ask(t, conv, "終了", nil)
	if err := k.desk.FromStaff(context.Background(), handoff.StaffMessage{Thread: "1761956000.000001", ID: "1761956100.000600", User: "U0STAFF01", Text: "もう一点"}); err != nil {
		t.Fatal(err)
	}
	k.desk.Wait(context.Background())
	if got := k.line.texts(); len(got) != 0 {
		t.Errorf("the person got %q after the end; want nothing", got)
	}
	if got := k.staff.kinds(); !slices.Equal(got, []string{"closed", "late"}) {
		t.Errorf("thread got %q; want told the reply was not passed on", got)
	}
}

func TestUnfollowClosesTicket(t *testing.T) {
	k := newKit(t, handoff.Config{})
	k.open(t)
	if err := k.desk.Forget(context.Background(), conv); err != nil {
		t.Fatal(err)
	}
	k.desk.Wait(context.Background())
	if tk, _ := k.store.Get(context.Background(), 1); tk.State != handoff.StateClosed || tk.ClosedBy != handoff.ClosedByUnfollow {
		t.Errorf("after unfollow %+v; want closed by unfollow", tk)
	}
	if got := k.staff.kinds(); !slices.Equal(got, []string{"closed"}) {
		t.Errorf("thread got %q; want told", got)
	}
}

func TestOutsideHours(t *testing.T) {
	// The fake clock starts on Tuesday 2026-12-01 09:00 UTC: 18:00 in Tokyo.
	hours, err := handoff.ParseHours("Mon-Fri 09:00-17:00 Asia/Tokyo", nil)
	if err != nil {
		t.Fatal(err)
	}
	k := newKit(t, handoff.Config{Hours: hours, Remind: 15 * time.Minute})
	a := k.open(t)
	if !strings.Contains(a.Text, "12月2日（水）9:00以降") || k.staff.postCount() != 1 {
		t.Errorf("consent outside hours = %q, %d posts; want the ticket posted and when to expect an answer", a.Text, k.staff.postCount())
	}
	ctx := context.Background()
	// Reminders count only the hours: none overnight, the first at 09:15.
	k.clock.Advance(14 * time.Hour) // 08:00 in Tokyo
	handoff.Reminders(k.desk, ctx)
	k.clock.Advance(75 * time.Minute) // 09:15
	handoff.Reminders(k.desk, ctx)
	handoff.Reminders(k.desk, ctx)
	k.desk.Wait(ctx)
	if got := k.staff.kinds(); !slices.Equal(got, []string{"reminder:1"}) {
		t.Errorf("thread got %q; want one reminder at 09:15", got)
	}
	if _, err := k.desk.Take(ctx, 1, "U0STAFF01"); err != nil {
		t.Fatal(err)
	}
	k.clock.Advance(time.Hour)
	handoff.Reminders(k.desk, ctx)
	k.desk.Wait(ctx)
	if got := k.staff.kinds(); !slices.Equal(got, []string{"reminder:1", "taken"}) {
		t.Errorf("thread got %q; want no reminder once taken", got)
	}
}

func TestNotOffered(t *testing.T) {
	k := newKit(t, handoff.Config{})
	for _, q := range []bot.Question{
		{Conversation: "line:group:Ca56f94637c1d2e3f4a5b6c7d8e9f0a1b:U4af4980629a0b1c2d3e4f5a6b7c8d9e0", Channel: "line", Text: "隣の家の犬がうるさい"},
		{Conversation: "slack:T0TEAM001:U0USER001", Channel: "slack", Text: "隣の家の犬がうるさい"},
	} {
		a, err := k.desk.Answer(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if suggests(a, bot.ActionHandoff) != nil {
			t.Errorf("%s: Ask a person offered where no reply could reach", q.Conversation)
		}
	}
}

// failingStore is a store whose every call fails: a database that is down.
type failingStore struct{ handoff.Store }

func (failingStore) Current(context.Context, string) (handoff.Ticket, error) {
	return handoff.Ticket{}, errors.New("postgres: connection refused")
}

func TestStoreDownStillAnswers(t *testing.T) {
	k := newKit(t, handoff.Config{Store: failingStore{}})
	a := k.ask(t, conv, "セキュリティ・キャンプ", nil)
	if a.Kind != bot.KindProgrammes || suggests(a, bot.ActionHandoff) != nil {
		t.Errorf("with the store down = %s; want the bot's answer, no offer", a.Kind)
	}
}

func TestEventsAndSubscribe(t *testing.T) {
	k := newKit(t, handoff.Config{})
	k.open(t)
	signal, stop := k.desk.Subscribe(conv)
	defer stop()
	if err := k.desk.FromStaff(context.Background(), handoff.StaffMessage{Thread: "1761956000.000001", ID: "1761956100.000700", User: "U0STAFF01", Text: "こんにちは"}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-signal:
	case <-time.After(time.Second):
		t.Fatal("no signal for the reply")
	}
	es, err := k.desk.Events(context.Background(), conv, 0, 0)
	if err != nil || len(es) != 1 || es[0].Answer.Text != "相談員より:\nこんにちは" || es[0].Kind != handoff.KindText {
		t.Fatalf("Events = %+v, %v; want the reply", es, err)
	}
	if more, _ := k.desk.Events(context.Background(), conv, es[0].ID, 0); len(more) != 0 {
		t.Errorf("Events after the last = %+v; want none", more)
	}
}
