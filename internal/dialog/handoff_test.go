package dialog_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/bot/bottest"
	"github.com/supportbot/supportbot/internal/dialog/dialogtest"
)

// offers reports whether an answer's first quick reply asks a person, and
// whether any does.
func offers(a bot.Answer) (first, any bool) {
	for i, s := range a.Suggestions {
		if s.Action.Kind == bot.ActionHandoff {
			return i == 0, true
		}
	}
	return false, false
}

// TestHandoffOffer: "Ask a person" is offered only when the desk says a
// person can be asked, and then first when nothing fits, after a 👎 and
// with urgent answers, and in the menu; never with programmes that fit,
// nor while a ticket is open.
func TestHandoffOffer(t *testing.T) {
	b := dialogtest.New(t)
	offer := &bot.Desk{Offer: true}
	open := &bot.Desk{Offer: true, Ticket: 7}
	tests := []struct {
		name        string
		q           bot.Question
		kind        bot.Kind
		first, any_ bool
	}{
		{"no match, no desk", bot.Question{Text: "大阪の天気を教えて"}, bot.KindNoMatch, false, false},
		{"no match", bot.Question{Text: "大阪の天気を教えて", Desk: offer}, bot.KindNoMatch, true, true},
		{"no match, English", bot.Question{Text: "what's the weather in Osaka", Desk: offer}, bot.KindNoMatch, true, true},
		{"after 👎", bot.Question{Action: &bot.Action{Kind: bot.ActionFeedback, Value: "down"}, Desk: offer}, bot.KindFeedback, true, true},
		{"after 👍", bot.Question{Action: &bot.Action{Kind: bot.ActionFeedback, Value: "up"}, Desk: offer}, bot.KindFeedback, false, true},
		{"urgent", bot.Question{Text: "ランサムウェアに感染した", Desk: offer}, bot.KindUrgent, true, true},
		{"menu", bot.Question{Action: &bot.Action{Kind: bot.ActionMenu}, Desk: offer}, bot.KindHelp, false, true},
		{"menu, no desk", bot.Question{Action: &bot.Action{Kind: bot.ActionMenu}}, bot.KindHelp, false, false},
		{"programmes", bot.Question{Text: "セキュリティ・キャンプ", Desk: offer}, bot.KindProgrammes, false, false},
		{"menu while open", bot.Question{Text: "メニュー", Desk: open}, bot.KindHelp, false, false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.q.Conversation, tt.q.Channel = "test:offer:"+string(rune('a'+i)), "test"
			a, err := b.Answer(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			first, any_ := offers(a)
			if a.Kind != tt.kind || first != tt.first || any_ != tt.any_ {
				t.Errorf("%s: kind %s, offer first %v, anywhere %v; want %s, %v, %v (suggestions %v)", tt.name, a.Kind, first, any_, tt.kind, tt.first, tt.any_, a.Suggestions)
			}
			if p := bottest.Problems(a); len(p) > 0 {
				t.Errorf("%s: %v", tt.name, p)
			}
		})
	}
}

// TestHandoffWhileOpen: while a ticket is open, typed text goes to the
// staff and the bot says nothing; the menu and the end words still reach
// it, in either language; buttons still work.
func TestHandoffWhileOpen(t *testing.T) {
	b := dialogtest.New(t)
	open := &bot.Desk{Offer: true, Ticket: 12}
	tests := []struct {
		text   string
		action bot.ActionKind
		kind   bot.Kind
		says   string
	}{
		{text: "パスワードを変えたほうがいいですか", kind: bot.KindRelayed},
		{text: "中小企業向けの支援", kind: bot.KindRelayed},
		{text: "ありがとう", kind: bot.KindRelayed},
		{text: "終了", kind: bot.KindHandoff, says: "終了し"},
		{text: "  おわり ", kind: bot.KindHandoff, says: "受付番号 12"},
		{text: "End", kind: bot.KindHandoff, says: "ticket 12"},
		{text: "メニュー", kind: bot.KindHelp, says: "やりとり中です（受付番号 12）"},
		{text: "menu", kind: bot.KindHelp, says: "You are talking with the staff (ticket 12)"},
		{action: bot.ActionEnd, kind: bot.KindHandoff, says: "受付番号 12"},
		{action: bot.ActionHandoff, kind: bot.KindHandoff, says: "続いています"},
		{action: bot.ActionUnsupported, kind: bot.KindHandoff, says: "お届けできません"},
		{action: bot.ActionCategory, kind: bot.KindCategory},
	}
	for _, tt := range tests {
		name := tt.text + string(tt.action)
		t.Run(name, func(t *testing.T) {
			q := bot.Question{Conversation: "test:open:" + name, Channel: "test", Text: tt.text, Desk: open}
			if tt.action != "" {
				q.Action = &bot.Action{Kind: tt.action}
				if tt.action == bot.ActionCategory {
					q.Action.Value = "sme"
				}
			}
			a, err := b.Answer(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			if a.Kind != tt.kind || !strings.Contains(a.Text, tt.says) {
				t.Errorf("Answer(%q) = %s %q; want %s saying %q", name, a.Kind, a.Text, tt.kind, tt.says)
			}
			if p := bottest.Problems(a); len(p) > 0 {
				t.Errorf("Answer(%q): %v", name, p)
			}
			if tt.says == "受付番号 12" || tt.says == "ticket 12" {
				var rates int
				for _, s := range a.Suggestions {
					if s.Action.Kind == bot.ActionRate {
						if v, id, err := bot.ParseRate(s.Action.Value); err != nil || id != 12 || !v.Valid() {
							t.Errorf("rating button %+v; want a vote on ticket 12", s.Action)
						}
						rates++
					}
				}
				if rates != 2 {
					t.Errorf("the end offers %d rating buttons; want 👍 and 👎", rates)
				}
			}
		})
	}
}

// TestHandoffConsent: asking for a person shows what is shared and with
// whom before anything is, with a button to agree and one to cancel.
func TestHandoffConsent(t *testing.T) {
	b := dialogtest.New(t)
	for _, l := range []bot.Lang{bot.Japanese, bot.English} {
		a, err := b.Answer(context.Background(), bot.Question{Conversation: "test:consent:" + string(l), Lang: l, Channel: "line",
			Action: &bot.Action{Kind: bot.ActionHandoff}, Desk: &bot.Desk{Offer: true}})
		if err != nil {
			t.Fatal(err)
		}
		want := map[bot.Lang][]string{
			bot.Japanese: {"最近のご質問", "ボットの最後の回答", "これから終了までに", "お名前やアカウントのIDは伝わりません", "Slack", "同意して相談する"},
			bot.English:  {"recent questions", "my last answer", "from now until you end", "name and account ID are not shared", "Slack", "Agree and ask"},
		}[l]
		for _, w := range want {
			if !strings.Contains(a.Text, w) {
				t.Errorf("%s consent %q lacks %q", l, a.Text, w)
			}
		}
		if len(a.Suggestions) != 2 || a.Suggestions[0].Action.Kind != bot.ActionConsent || a.Suggestions[1].Action.Kind != bot.ActionDecline {
			t.Errorf("%s consent suggestions %v; want agree, cancel", l, a.Suggestions)
		}
		d, _ := b.Answer(context.Background(), bot.Question{Conversation: "test:consent:" + string(l), Lang: l, Channel: "line", Action: &bot.Action{Kind: bot.ActionDecline}})
		if d.Kind != bot.KindHandoff || len(d.Suggestions) == 0 {
			t.Errorf("%s decline = %s %q; want the handoff's words and the menu", l, d.Kind, d.Text)
		}
	}
	// Without a desk, nobody can be asked: said plainly, with contact points.
	a := act(t, b, "test:consent:off", bot.Action{Kind: bot.ActionConsent})
	if a.Kind != bot.KindHandoff || len(a.Contacts) == 0 {
		t.Errorf("consent without a desk = %s with %d contacts; want the handoff's words and contact points", a.Kind, len(a.Contacts))
	}
}

// TestSay: every desk event is worded in both languages, well formed.
func TestSay(t *testing.T) {
	b := dialogtest.New(t)
	tokyo := time.FixedZone("JST", 9*3600)
	opensAt := time.Date(2026, 12, 7, 9, 0, 0, 0, tokyo)
	tests := []struct {
		note   bot.DeskNote
		kind   bot.Kind
		ja, en string
	}{
		{bot.DeskNote{Event: bot.DeskOpened, Ticket: 3}, bot.KindHandoff, "受付番号 3", "ticket 3"},
		{bot.DeskNote{Event: bot.DeskOpened, Ticket: 3, Opens: opensAt}, bot.KindHandoff, "12月7日（月）9:00以降", "from Mon 7 Dec, 09:00 JST"},
		{bot.DeskNote{Event: bot.DeskQueued, Ticket: 4}, bot.KindHandoff, "保存しました", "saved"},
		{bot.DeskNote{Event: bot.DeskAlreadyOpen, Ticket: 4}, bot.KindHandoff, "続いています", "already"},
		{bot.DeskNote{Event: bot.DeskUnavailable}, bot.KindHandoff, "おつなぎできません", "cannot reach"},
		{bot.DeskNote{Event: bot.DeskTaken, Ticket: 4}, bot.KindStaff, "担当", "taken"},
		{bot.DeskNote{Event: bot.DeskReply, Ticket: 4, Text: "パスワードを変えてください"}, bot.KindStaff, "相談員より:\nパスワードを変えてください", "From the staff:\nパスワードを変えてください"},
		{bot.DeskNote{Event: bot.DeskReply, Ticket: 4, Text: "見てください", Files: 1}, bot.KindStaff, "ファイルをお届けできません", "cannot carry"},
		{bot.DeskNote{Event: bot.DeskFile, Ticket: 4, Files: 2}, bot.KindStaff, "文章かリンクで", "as text or a link"},
		{bot.DeskNote{Event: bot.DeskClosed, Ticket: 4}, bot.KindStaff, "終了しました（受付番号 4）", "closed your request (ticket 4)"},
		{bot.DeskNote{Event: bot.DeskEnded, Ticket: 4}, bot.KindHandoff, "終了し", "has ended"},
		{bot.DeskNote{Event: bot.DeskRated}, bot.KindHandoff, "ありがとう", "Thank you"},
		{bot.DeskNote{Event: bot.DeskRateRefused}, bot.KindHandoff, "受け付けられません", "could not be accepted"},
		{bot.DeskNote{Event: bot.DeskNotOpen}, bot.KindHandoff, "ありません", "not talking"},
	}
	for _, tt := range tests {
		for l, want := range map[bot.Lang]string{bot.Japanese: tt.ja, bot.English: tt.en} {
			a := b.Say(l, tt.note)
			if a.Kind != tt.kind || a.Lang != l || !strings.Contains(a.Text, want) {
				t.Errorf("Say(%s, %+v) = %s %s %q; want %s saying %q", l, tt.note, a.Kind, a.Lang, a.Text, tt.kind, want)
			}
			if p := bottest.Problems(a); len(p) > 0 {
				t.Errorf("Say(%s, %s): %v", l, tt.note.Event, p)
			}
		}
	}
}

// TestRecent: a ticket shows the person's last three questions and the
// gist of the bot's last answer to a question, not the handoff's own
// words or a vote's reply.
func TestRecent(t *testing.T) {
	b := dialogtest.New(t)
	const conv = "test:recent"
	for _, q := range []string{"こんにちは", "子どものスマホが心配", "セキュリティ・キャンプ", "大阪の天気を教えて"} {
		if _, err := b.Answer(context.Background(), bot.Question{Conversation: conv, Channel: "test", Text: q, Desk: &bot.Desk{Offer: true}}); err != nil {
			t.Fatal(err)
		}
	}
	act(t, b, conv, bot.Action{Kind: bot.ActionFeedback, Value: "down"})
	if a, _ := b.Answer(context.Background(), bot.Question{Conversation: conv, Channel: "test", Action: &bot.Action{Kind: bot.ActionHandoff}, Desk: &bot.Desk{Offer: true}}); a.Kind != bot.KindHandoff {
		t.Fatalf("ActionHandoff = %s", a.Kind)
	}
	r := b.Recent(context.Background(), conv)
	if want := []string{"子どものスマホが心配", "セキュリティ・キャンプ", "大阪の天気を教えて"}; strings.Join(r.Questions, "|") != strings.Join(want, "|") {
		t.Errorf("Recent questions = %q; want %q", r.Questions, want)
	}
	if strings.Contains(r.Answer, "相談員") {
		t.Errorf("Recent answer = %q; want the answer without the offer of a person", r.Answer)
	}
	if !strings.Contains(r.Answer, "見つかりませんでした") && !strings.Contains(r.Answer, "お答えできません") {
		t.Errorf("Recent answer = %q; want the no-match answer to the last question", r.Answer)
	}
	if r.Lang != bot.Japanese {
		t.Errorf("Recent lang = %q; want ja", r.Lang)
	}
	if r := b.Recent(context.Background(), "test:recent:never"); len(r.Questions) != 0 || r.Answer != "" {
		t.Errorf("Recent of a new conversation = %+v; want nothing", r)
	}
}
