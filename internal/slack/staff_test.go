package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/bot"
	desk "github.com/supportbot/supportbot/internal/handoff"
	"github.com/supportbot/supportbot/internal/slack/slacktest"
)

const handoffChannel = "C0HANDOFF"

var jst = time.FixedZone("JST", 9*3600)

func sampleTicket() desk.Ticket {
	return desk.Ticket{
		ID: 12, Conversation: "line:U4af4980629a0b1c2d3e4f5a6b7c8d9e0", Channel: "line", Lang: bot.Japanese, State: desk.StateOpen,
		Opened: time.Date(2026, 12, 1, 18, 3, 0, 0, jst), Opens: time.Date(2026, 12, 2, 9, 0, 0, 0, jst),
		Recent: bot.Recent{Lang: bot.Japanese,
			Questions: []string{"取引先を名乗るメールの添付ファイルを開いてしまった", "<!channel> 会社のパソコンは大丈夫？ <https://evil.example|ここ>"},
			Answer:    "すみません、ご質問に合う取組は見つかりませんでした。言い換えるか、下から分野を選んでください。\n困っている場合は、次の相談窓口をご利用ください。"},
		Thread: "1761956000.000101",
	}
}

// TestGoldenTicket keeps the ticket as the staff see it: open (posted
// outside hours), taken, and closed — with the person's words escaped
// (no @channel, no link of theirs) and no platform id or name.
func TestGoldenTicket(t *testing.T) {
	open := sampleTicket()
	taken := open
	taken.State, taken.TakenBy = desk.StateTaken, "U0STAFF01"
	closed := taken
	closed.State, closed.ClosedBy, closed.Closer = desk.StateClosed, desk.ClosedByStaff, "U0STAFF01"
	for name, tk := range map[string]desk.Ticket{"ticket_open": open, "ticket_taken": taken, "ticket_closed": closed} {
		t.Run(name, func(t *testing.T) {
			m := ticketMessage(tk, jst)
			raw := rawJSON(m.Blocks) + m.Text
			for _, leak := range []string{"U4af4980629a0b1c2d3e4f5a6b7c8d9e0", "<!channel>", "<https://evil"} {
				if strings.Contains(raw, leak) {
					t.Errorf("the ticket shows %q", leak)
				}
			}
			golden(t, name, goldenMessage{Text: m.Text, Blocks: slackapi.Blocks{BlockSet: m.Blocks}})
		})
	}
}

func TestNoteTexts(t *testing.T) {
	tk := sampleTicket()
	tests := []struct {
		m    desk.Message
		want string
	}{
		{desk.Message{Kind: desk.KindText, Text: "<@U0STAFF01> & <b>help</b>", Files: 1}, "&lt;@U0STAFF01&gt; &amp; &lt;b&gt;help&lt;/b&gt;"},
		{desk.Message{Kind: desk.KindText, Text: "写真です", Files: 2}, "2件"},
		{desk.Message{Kind: desk.KindTaken, By: "U0STAFF01"}, "<@U0STAFF01> took this ticket"},
		{desk.Message{Kind: desk.KindClosed, By: string(desk.ClosedByPerson)}, "The person ended the chat"},
		{desk.Message{Kind: desk.KindClosed, By: "U0STAFF02"}, "<@U0STAFF02> closed the ticket"},
		{desk.Message{Kind: desk.KindClosed, By: string(desk.ClosedByUnfollow)}, "blocked the bot"},
		{desk.Message{Kind: desk.KindReminder, Text: "2"}, "Ticket #12 has not been taken yet (reminder 2)"},
		{desk.Message{Kind: desk.KindUndelivered}, "did not reach the person"},
		{desk.Message{Kind: desk.KindFile}, "Files do not reach the person"},
		{desk.Message{Kind: desk.KindLate}, "This ticket is closed"},
		{desk.Message{Kind: desk.KindRated, Text: "down"}, "👎"},
	}
	for _, tt := range tests {
		if got := noteText(tk, tt.m); !strings.Contains(got, tt.want) {
			t.Errorf("noteText(%s %q) = %q; want it to say %q", tt.m.Kind, tt.m.Text, got, tt.want)
		}
	}
}

// newStaff is the staff's side against the harness's stand-in.
func newStaff(t *testing.T, h *harness) *Staff {
	t.Helper()
	s, err := NewStaff(StaffConfig{Credentials: Credentials{BotToken: testBotToken, APIURL: h.api.APIURL()}, Channel: handoffChannel, Zone: jst,
		Deps: adapter.Deps{HTTPClient: h.api.Client()}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestStaffPostsAndNotes(t *testing.T) {
	h := newHarness(t, nil)
	s := newStaff(t, h)
	ctx := context.Background()
	tk := sampleTicket()
	tk.Thread = ""
	thread, err := s.Post(ctx, tk)
	if err != nil || thread == "" {
		t.Fatalf("Post = %q, %v", thread, err)
	}
	post := h.api.Calls("chat.postMessage")[0]
	if post.Form.Get("channel") != handoffChannel || post.Form.Get("thread_ts") != "" || post.Auth != "Bearer "+testBotToken {
		t.Errorf("ticket posted as %v", post.Form)
	}
	tk.Thread, tk.State, tk.TakenBy = thread, desk.StateTaken, "U0STAFF01"
	if err := s.Note(ctx, tk, desk.Message{Kind: desk.KindTaken, By: "U0STAFF01"}); err != nil {
		t.Fatal(err)
	}
	update := h.api.Calls("chat.update")
	if len(update) != 1 || update[0].Form.Get("ts") != thread || strings.Contains(update[0].Form.Get("blocks"), actionTake) {
		t.Errorf("chat.update %v; want the ticket redrawn without Take", update)
	}
	if err := s.Note(ctx, tk, desk.Message{Kind: desk.KindReminder, Text: "1"}); err != nil {
		t.Fatal(err)
	}
	notes := h.api.Thread(thread)
	if len(notes) != 2 || !strings.Contains(notes[0].Text(), "took this ticket") || notes[1].Form.Get("reply_broadcast") != "true" {
		t.Errorf("thread %v; want the taken note, then the reminder sent to the channel too", slacktest.Ops(notes))
	}
	if _, err := NewStaff(StaffConfig{Credentials: Credentials{BotToken: testBotToken}, Channel: "#support"}); err == nil {
		t.Error("NewStaff accepted a channel name for an id")
	}
}

// recordingDesk is the desk as the adapter sees it, recording its calls.
type recordingDesk struct {
	mu      sync.Mutex
	replies []desk.StaffMessage
	actions []string
}

func (d *recordingDesk) FromStaff(_ context.Context, m desk.StaffMessage) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.replies = append(d.replies, m)
	return nil
}

func (d *recordingDesk) Take(_ context.Context, id int64, staff string) (desk.Ticket, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.actions = append(d.actions, "take "+staff)
	return desk.Ticket{ID: id}, nil
}

func (d *recordingDesk) Close(_ context.Context, id int64, staff string) (desk.Ticket, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.actions = append(d.actions, "close "+staff)
	return desk.Ticket{ID: id}, nil
}

// TestStaffEvents: thread replies in the handoff channel reach the desk,
// once per event (Slack's retries are recognised), with files counted;
// edits, deletions, bots, the ticket post itself, other channels and
// mentions in a ticket's thread do not, and neither does the bot answer
// them.
func TestStaffEvents(t *testing.T) {
	d := &recordingDesk{}
	h := newHarness(t, nil, func(c *Config) { c.Handoff = Handoff{Channel: handoffChannel, Desk: d} })
	const thread = "1761956000.000101"
	reply := slacktest.ThreadReply(handoffChannel, "U0STAFF01", thread, "パスワードを変えて <https://www.ipa.go.jp|IPA> を見てください")
	file := slacktest.ThreadFile(handoffChannel, "U0STAFF01", thread, "", slacktest.File{ID: "F0FILE001", Name: "手順.pdf", Mimetype: "application/pdf", Filetype: "pdf", URLPrivate: "https://files.slack.com/files-pri/T0TEAM001-F0FILE001/tejun.pdf"})
	for _, body := range [][]byte{
		reply.Body(),
		reply.Body(), // Slack's retry of the same event
		file.Body(),
		slacktest.ThreadEdit(handoffChannel, "U0STAFF01", thread, reply.Event.TS, "訂正").Body(),
		slacktest.ThreadReply(handoffChannel, "U0STAFF01", thread, "ボットから").ByBot("B0BOT0001").Body(),
		slacktest.ThreadReply("C0OTHER01", "U0STAFF01", thread, "別のチャンネル").Body(),
		slacktest.Mention(handoffChannel, "U0STAFF01", "top level is a question").Body(),
	} {
		if rec := h.event(body, "X-Slack-Retry-Num", "1"); rec.Code != http.StatusOK {
			t.Fatalf("event: %d %s", rec.Code, rec.Body)
		}
	}
	mention := slacktest.Mention(handoffChannel, "U0STAFF01", "in a thread")
	mention.Event.ThreadTS = thread
	h.event(mention.Body())
	h.drain()
	if len(d.replies) != 2 {
		t.Fatalf("desk got %+v; want the reply once and the file", d.replies)
	}
	if r := d.replies[0]; r.Thread != thread || r.ID != reply.Event.TS || r.User != "U0STAFF01" || r.Text != "パスワードを変えて IPA を見てください" || r.Files != 0 {
		t.Errorf("reply %+v", r)
	}
	if f := d.replies[1]; f.Text != "" || f.Files != 1 {
		t.Errorf("file-only reply %+v; want no text and one file", f)
	}
	// The top-level mention is answered as a question; nothing else is.
	if asked := h.bot.asked(); len(asked) != 1 || asked[0].Text != "top level is a question" {
		t.Errorf("the bot was asked %+v; want only the top-level mention", asked)
	}
}

func TestStaffButtons(t *testing.T) {
	d := &recordingDesk{}
	h := newHarness(t, nil, func(c *Config) { c.Handoff = Handoff{Channel: handoffChannel, Desk: d} })
	rurl := h.api.ResponseURL("ticket")
	take := slacktest.ClickOn(handoffChannel, "1761956000.000101", "U0STAFF01", actionTake, "12", rurl)
	for _, p := range []slacktest.BlockActions{
		take, take, // a double delivery of one click
		slacktest.ClickOn(handoffChannel, "1761956000.000101", "U0STAFF02", actionClose, "12", rurl),
		slacktest.ClickOn("C0OTHER01", "1761956000.000101", "U0STAFF02", actionClose, "12", rurl),
		slacktest.ClickOn(handoffChannel, "1761956000.000101", "U0STAFF02", actionClose, "twelve", rurl),
	} {
		if rec := h.interaction(mustJSON(t, p)); rec.Code != http.StatusOK {
			t.Fatalf("interaction: %d", rec.Code)
		}
	}
	h.drain()
	if want := []string{"take U0STAFF01", "close U0STAFF02"}; strings.Join(d.actions, "|") != strings.Join(want, "|") {
		t.Errorf("desk got %q; want %q", d.actions, want)
	}
	if len(h.bot.asked()) != 0 {
		t.Errorf("a ticket button reached the bot: %+v", h.bot.asked())
	}
}

func TestStaffMessagePure(t *testing.T) {
	base := func() *slackevents.MessageEvent {
		return &slackevents.MessageEvent{Type: "message", User: "U0STAFF01", Text: "hi", Channel: handoffChannel, ChannelType: "channel",
			TimeStamp: "1761956100.000200", ThreadTimeStamp: "1761956000.000101"}
	}
	tests := []struct {
		name string
		edit func(*slackevents.MessageEvent)
		ok   bool
	}{
		{"reply", func(*slackevents.MessageEvent) {}, true},
		{"broadcast reply", func(e *slackevents.MessageEvent) { e.SubType = "thread_broadcast" }, true},
		{"the thread's parent", func(e *slackevents.MessageEvent) { e.ThreadTimeStamp = e.TimeStamp }, false},
		{"not in a thread", func(e *slackevents.MessageEvent) { e.ThreadTimeStamp = "" }, false},
		{"edited", func(e *slackevents.MessageEvent) { e.SubType = "message_changed" }, false},
		{"deleted", func(e *slackevents.MessageEvent) { e.SubType = "message_deleted" }, false},
		{"a bot", func(e *slackevents.MessageEvent) { e.BotID = "B0BOT0001" }, false},
		{"ourselves", func(e *slackevents.MessageEvent) { e.User = slacktest.BotUserID }, false},
		{"empty", func(e *slackevents.MessageEvent) { e.Text = "<@U0BOT0001>" }, false},
	}
	for _, tt := range tests {
		e := base()
		tt.edit(e)
		if _, ok := staffMessage(e, slacktest.BotUserID); ok != tt.ok {
			t.Errorf("%s: staffMessage ok = %v; want %v", tt.name, ok, tt.ok)
		}
	}
	var cb slackapi.InteractionCallback
	if err := json.Unmarshal(mustJSON(t, slacktest.ClickOn(handoffChannel, "1", "U0STAFF01", actionTake, "7", "")), &cb); err != nil {
		t.Fatal(err)
	}
	if act, id, user, ok := staffAction(cb, handoffChannel); !ok || act != actionTake || id != 7 || user != "U0STAFF01" {
		t.Errorf("staffAction = %q %d %q %v", act, id, user, ok)
	}
	if _, _, _, ok := staffAction(cb, ""); ok {
		t.Error("staffAction without a handoff channel took the click")
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestStaffFixtures plans the documented shapes of the staff's events
// (testdata/events/message_channels_*, message_groups_*): a reply in a
// public channel's thread, files alone in a private channel's, an edit.
func TestStaffFixtures(t *testing.T) {
	h := newHarness(t, nil)
	tests := []struct {
		file, channel string
		want          *desk.StaffMessage
	}{
		{"events/message_channels_thread_reply.json", "C0CHAN001", &desk.StaffMessage{Thread: "1761956000.000101", ID: "1761956100.000200", User: "U0STAFF01",
			Text: "ご連絡ありがとうございます。まずパスワードを変更し、IPAの安心相談窓口もご覧ください。"}},
		{"events/message_groups_file_share.json", "G0PRIVATE1", &desk.StaffMessage{Thread: "1761956000.000101", ID: "1761956150.000300", User: "U0STAFF01", Files: 1}},
		{"events/message_channels_thread_edit.json", "C0CHAN001", nil},
		{"events/message_channels_thread_reply.json", "C0ELSEWHERE", nil},
	}
	for _, tt := range tests {
		ev, err := slackevents.ParseEvent(h.fixture(tt.file), slackevents.OptionNoVerifyToken())
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		w, ok := planEvent(ev, tt.channel)
		switch {
		case tt.want == nil && ok:
			t.Errorf("%s in %s planned %+v; want ignored", tt.file, tt.channel, w)
		case tt.want != nil && (!ok || w.staff == nil || *w.staff != *tt.want):
			t.Errorf("%s planned %+v, %v; want %+v", tt.file, w.staff, ok, *tt.want)
		}
	}
}
