package dialog

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/supportbot/supportbot/internal/analysis"
	"github.com/supportbot/supportbot/internal/bot"
)

// The conversation with a person (internal/handoff). The desk keeps the
// tickets and carries the messages; the engine says everything the person
// reads about it, in their language: the offer, what would be shared and
// with whom, the ticket opened (or saved for later), the staff's hours,
// the staff's replies, the end and the rating. The desk tells the engine
// where the conversation stands (bot.Question.Desk) and what it did
// (Say).

// The words of the handoff. 「終了」 and "end" are among the end words of
// the vocabulary (dialog.end); 「同意して相談する」 and 「相談を終わる」 are
// labels (dialog.labels).
var (
	msgHandoffConsent = msg{
		"相談員（サイバーセキュリティ支援ネットワークのスタッフ）におつなぎできます。\n相談員に伝わるのは、この会話での最近のご質問とボットの最後の回答、そしてこれから終了までにここに書くメッセージです。お名前やアカウントのIDは伝わりません。パスワードやカード番号は書かないでください。\n相談員はチーム用のチャット（Slack）で読み、ここに返事をします。よろしければ「%s」を選んでください。",
		"I can pass you to a person: the staff of the cybersecurity support network.\nThey will see your recent questions in this chat, my last answer, and what you write here from now until you end. Your name and account ID are not shared. Please do not write passwords or card numbers.\nThey read it in their team chat (Slack) and answer here. To go ahead, choose \"%s\".",
	}
	msgHandoffOpened = msg{
		"相談員に引き継ぎました（受付番号 %d）。ここに書いたメッセージは相談員に届き、返事もここに届きます。終えるときは「終了」と送ってください。",
		"Your request went to the staff (ticket %d). What you write here reaches them, and their replies come here. Send \"end\" when you are done.",
	}
	msgHandoffLater = msg{
		"いまは受付時間外のため、相談員からの返事は%s以降になります。",
		"It is outside the staff's hours now: expect an answer from %s.",
	}
	msgHandoffQueued = msg{
		"ご相談を保存しました（受付番号 %d）。いま相談員に届けられないため、届けられるようになりしだいお伝えします。このあと書いたメッセージもあわせてお伝えします。終えるときは「終了」と送ってください。",
		"Your request is saved (ticket %d). The staff cannot be reached right now; it will be passed on as soon as they can be, with what you write meanwhile. Send \"end\" when you are done.",
	}
	msgHandoffAlready = msg{
		"相談員とのやりとりが続いています（受付番号 %d）。ここに書くと相談員に届きます。終えるときは「終了」と送ってください。",
		"You are already talking with the staff (ticket %d). What you write here reaches them. Send \"end\" when you are done.",
	}
	msgHandoffMenu = msg{
		"相談員とのやりとり中です（受付番号 %d）。ここに書くと相談員に届きます。終えるときは「終了」と送ってください。",
		"You are talking with the staff (ticket %d). What you write here reaches them. Send \"end\" when you are done.",
	}
	msgHandoffUnavailable = msg{
		"すみません、いま相談員におつなぎできません。しばらくしてからもう一度お試しいただくか、次の相談窓口をご利用ください。",
		"Sorry, I cannot reach the staff right now. Please try again later, or use these contact points.",
	}
	msgHandoffOff = msg{
		"すみません、このチャットでは相談員におつなぎできません。次の相談窓口をご利用ください。",
		"Sorry, I cannot pass you to a person in this chat. These contact points can help.",
	}
	msgHandoffDeclined = msg{
		"相談員にはおつなぎせず、何も共有していません。知りたいことを書くか、下から分野を選んでください。",
		"I have not passed anything on. Write what you need, or pick an area below.",
	}
	msgHandoffTaken = msg{"相談員が担当になりました。返事をお待ちください。", "A member of the staff has taken your request. Their answer will come here."}
	msgHandoffReply = msg{"相談員より:\n%s", "From the staff:\n%s"}
	msgHandoffFile  = msg{
		"相談員がファイルを共有しましたが、このチャットではファイルをお届けできません。必要な場合は、内容を文章かリンクで送るよう、ここで相談員にお伝えください。",
		"The staff shared a file, which this chat cannot carry. If you need it, ask them here to send its contents as text or a link.",
	}
	msgHandoffClosed = msg{
		"相談員が対応を終了しました（受付番号 %d）。ご相談ありがとうございました。相談員の対応は役に立ちましたか？",
		"The staff have closed your request (ticket %d). Thank you for asking. Did their help work for you?",
	}
	msgHandoffEnded = msg{
		"相談員とのやりとりを終了し、相談員にもお伝えしました（受付番号 %d）。相談員の対応は役に立ちましたか？",
		"The chat with the staff has ended, and they have been told (ticket %d). Did their help work for you?",
	}
	msgHandoffRated       = msg{"ご評価ありがとうございます。相談員の対応の改善に役立てます。", "Thank you for rating: it helps the staff improve."}
	msgHandoffRateRefused = msg{"この評価は受け付けられませんでした。評価は、終了したご相談のあとのボタンからお送りください。", "That rating could not be accepted. Please rate with the buttons after a chat with the staff has ended."}
	msgHandoffNotOpen     = msg{"いま相談員とのやりとりはありません。知りたいことを書くか、下から分野を選んでください。", "You are not talking with the staff right now. Write what you need, or pick an area below."}
	msgHandoffNoFiles     = msg{
		"ファイルや画像、スタンプは相談員にお届けできません。内容を文章で書いてください。",
		"Files, images and stickers cannot be passed to the staff. Please describe it in words.",
	}
	msgHandoffOffer = msg{"相談員に直接聞くこともできます。", "You can also ask a person."}
)

// weekdays name the days in Japanese, Sunday first.
var weekdays = [7]string{"日", "月", "火", "水", "木", "金", "土"}

// opens says when the staff are next in, in their own time zone.
func opens(l bot.Lang, t time.Time) string {
	if l == bot.English {
		return t.Format("Mon 2 Jan, 15:04 MST")
	}
	return fmt.Sprintf("%d月%d日（%s）%d:%02d", int(t.Month()), t.Day(), weekdays[t.Weekday()], t.Hour(), t.Minute())
}

// handoffTurn answers typed text while a ticket is open: the menu and the
// end words reach the bot; anything else is for the staff, and the bot
// says nothing (KindRelayed). It reads only the folded text, never the
// matcher.
func (b turn) handoffTurn(ctx context.Context, st *bot.State, q bot.Question) bot.Answer {
	l := b.lang(ctx, st, q, "")
	if q.Action != nil || q.Attachments > 0 && strings.TrimSpace(q.Text) == "" {
		return b.handoffMenu(l, bot.KindHandoff, msgHandoffNoFiles.in(l))
	}
	key := analysis.Fold(analysis.Normalize(q.Text))
	if b.endWords[key] || b.phrases[key] == intentMenu {
		// The words are one language's or the other's: "menu" asks in
		// English, 「メニュー」 in Japanese.
		l = b.lang(ctx, st, q, string(scriptLang(q.Text)))
	}
	switch {
	case b.endWords[key]:
		return b.ended(l, q.Desk.Ticket, msgHandoffEnded)
	case b.phrases[key] == intentMenu:
		return b.menu(l, bot.KindHelp, msgGreeting)
	}
	return bot.Answer{Lang: l, Kind: bot.KindRelayed}
}

// handoffAct answers the handoff's buttons as far as the engine can: the
// desk has acted on them first (opening, closing, rating) and said what
// it did through Say; a button that reaches the engine alone finds no
// desk, or nothing for it to do.
func (b turn) handoffAct(st *bot.State, q bot.Question, l bot.Lang) bot.Answer {
	d := q.Desk
	switch q.Action.Kind {
	case bot.ActionHandoff:
		switch {
		case d == nil || !d.Offer && d.Ticket == 0:
			return b.off(l)
		case d.Ticket != 0:
			return b.handoffMenu(l, bot.KindHandoff, msgHandoffAlready.f(l, d.Ticket))
		}
		return bot.Answer{Lang: l, Kind: bot.KindHandoff, Text: msgHandoffConsent.f(l, b.labels().Consent.In(string(l))),
			Suggestions: []bot.Suggestion{
				{Label: b.labels().Consent.In(string(l)), Action: bot.Action{Kind: bot.ActionConsent}},
				{Label: b.labels().Decline.In(string(l)), Action: bot.Action{Kind: bot.ActionDecline}},
			}}
	case bot.ActionDecline:
		return b.menu(l, bot.KindHandoff, msgHandoffDeclined)
	case bot.ActionEnd:
		if d != nil && d.Ticket != 0 {
			return b.ended(l, d.Ticket, msgHandoffEnded)
		}
		return b.menu(l, bot.KindHandoff, msgHandoffNotOpen)
	case bot.ActionRate:
		return b.menu(l, bot.KindHandoff, msgHandoffRateRefused)
	}
	// ActionConsent without a desk to open a ticket.
	return b.off(l)
}

// off says a person cannot be asked here, with the contact points.
func (b turn) off(l bot.Lang) bot.Answer {
	return b.menuWithContacts(l, bot.KindHandoff, msgHandoffOff)
}

// handoffMenu is a message while a ticket is open, with the end button and
// the menu.
func (b turn) handoffMenu(l bot.Lang, kind bot.Kind, text string) bot.Answer {
	return bot.Answer{Lang: l, Kind: kind, Text: text, Suggestions: []bot.Suggestion{
		{Label: b.labels().End.In(string(l)), Action: bot.Action{Kind: bot.ActionEnd}},
		{Label: b.labels().Menu.In(string(l)), Action: bot.Action{Kind: bot.ActionMenu}},
	}}
}

// ended closes a conversation with the staff in words, and asks whether
// their help worked.
func (b turn) ended(l bot.Lang, ticket int64, m msg) bot.Answer {
	up, down := bot.FeedbackLabels(l)
	return bot.Answer{Lang: l, Kind: bot.KindHandoff, Text: m.f(l, ticket), Suggestions: []bot.Suggestion{
		{Label: up, Action: bot.Action{Kind: bot.ActionRate, Value: bot.RateValue(bot.VoteUp, ticket)}},
		{Label: down, Action: bot.Action{Kind: bot.ActionRate, Value: bot.RateValue(bot.VoteDown, ticket)}},
		{Label: b.labels().Menu.In(string(l)), Action: bot.Action{Kind: bot.ActionMenu}},
	}}
}

// offerSuggestion is the "Ask a person" quick reply, when the desk says a
// person can be asked and none is being talked to.
func (b turn) offerSuggestion(l bot.Lang) []bot.Suggestion {
	if b.desk == nil || !b.desk.Offer || b.desk.Ticket != 0 {
		return nil
	}
	return []bot.Suggestion{{Label: b.labels().Handoff.In(string(l)), Action: bot.Action{Kind: bot.ActionHandoff}}}
}

// withOffer puts "Ask a person" first among an answer's quick replies
// (nothing fits, a 👎, trouble now), and says so; an offer already among
// them (the menu's) moves to the front.
func (b turn) withOffer(a bot.Answer) bot.Answer {
	s := b.offerSuggestion(a.Lang)
	if s == nil {
		return a
	}
	a.Text += "\n" + msgHandoffOffer.in(a.Lang)
	for _, o := range a.Suggestions {
		if o.Action.Kind != bot.ActionHandoff {
			s = append(s, o)
		}
	}
	a.Suggestions = s
	return a
}

// Say words what the desk did, for the person of a conversation in
// language l: a ticket opened or saved for later, a staff member's reply
// or file, the end, a rating. It implements the handoff desk's Engine.
func (e *Engine) Say(l bot.Lang, n bot.DeskNote) bot.Answer {
	b := turn{e.k.Load(), e.pageSize, nil}
	if !l.Valid() {
		l = bot.Japanese
	}
	switch n.Event {
	case bot.DeskOpened:
		text := msgHandoffOpened.f(l, n.Ticket)
		if !n.Opens.IsZero() {
			text += "\n" + msgHandoffLater.f(l, opens(l, n.Opens))
		}
		return b.handoffMenu(l, bot.KindHandoff, text)
	case bot.DeskQueued:
		return b.handoffMenu(l, bot.KindHandoff, msgHandoffQueued.f(l, n.Ticket))
	case bot.DeskAlreadyOpen:
		return b.handoffMenu(l, bot.KindHandoff, msgHandoffAlready.f(l, n.Ticket))
	case bot.DeskUnavailable:
		return b.menuWithContacts(l, bot.KindHandoff, msgHandoffUnavailable)
	// The staff's words come with the end button, so a person on LINE
	// can end with a tap.
	case bot.DeskTaken:
		return b.handoffMenu(l, bot.KindStaff, msgHandoffTaken.in(l))
	case bot.DeskReply:
		text := msgHandoffReply.f(l, n.Text)
		if n.Files > 0 {
			text += "\n\n" + msgHandoffFile.in(l)
		}
		return b.handoffMenu(l, bot.KindStaff, text)
	case bot.DeskFile:
		return b.handoffMenu(l, bot.KindStaff, msgHandoffFile.in(l))
	case bot.DeskClosed:
		a := b.ended(l, n.Ticket, msgHandoffClosed)
		a.Kind = bot.KindStaff
		return a
	case bot.DeskEnded:
		return b.ended(l, n.Ticket, msgHandoffEnded)
	case bot.DeskRated:
		return b.menu(l, bot.KindHandoff, msgHandoffRated)
	case bot.DeskRateRefused:
		return b.menu(l, bot.KindHandoff, msgHandoffRateRefused)
	}
	return b.menu(l, bot.KindHandoff, msgHandoffNotOpen)
}

// Recent returns what a conversation asked lately and a summary of the
// bot's last answer, for a ticket; it implements the handoff desk's
// Engine. A conversation without state (expired, or a store that is down)
// has nothing recent.
func (e *Engine) Recent(ctx context.Context, conversation string) bot.Recent {
	st := e.load(ctx, conversation)
	return bot.Recent{Lang: st.Lang, Questions: append([]string(nil), st.Recent...), Answer: st.Answered}
}

// remember keeps a question and the gist of its answer for a ticket: the
// last bot.MaxRecent questions a person typed, and the last answer to a
// question (not the desk's words, a vote's reply or the menu).
func rememberTurn(st *bot.State, q bot.Question, a bot.Answer) {
	if q.Action == nil || q.Action.Kind == bot.ActionAsk {
		text := strings.TrimSpace(q.Text)
		if q.Action != nil {
			text = strings.TrimSpace(q.Action.Value)
		}
		if text != "" {
			// Clipped: the loaded state may share its array with the
			// store's copy and with a concurrent turn of the same person,
			// so appending must never write into it.
			st.Recent = append(slices.Clip(st.Recent), cut(text, bot.MaxRecentBytes))
			if n := len(st.Recent); n > bot.MaxRecent {
				st.Recent = append([]string(nil), st.Recent[n-bot.MaxRecent:]...)
			}
		}
	}
	switch a.Kind {
	case bot.KindProgrammes, bot.KindCategory, bot.KindDetails, bot.KindUrgent, bot.KindNoMatch, bot.KindClarify:
		st.Answered = gist(a)
	}
}

// gist is an answer as a ticket shows it: its text and the titles of its
// cards, within bot.MaxAnswered bytes.
//
// It is made for every answer, so it is written into one buffer of the
// size it needs, without fmt.
func gist(a bot.Answer) string {
	text := a.Text
	// The offer of a person is the desk's, not the answer's.
	if offer := msgHandoffOffer.in(a.Lang); len(text) > len(offer) && strings.HasSuffix(text, offer) && text[len(text)-len(offer)-1] == '\n' {
		text = text[:len(text)-len(offer)-1]
	}
	if len(a.Cards) == 0 {
		return cut(text, bot.MaxAnswered)
	}
	size := len(text)
	for _, c := range a.Cards {
		size += len("\n000. ") + len(c.Title)
	}
	var b strings.Builder
	b.Grow(size)
	b.WriteString(text)
	for i, c := range a.Cards {
		b.WriteByte('\n')
		b.WriteString(strconv.Itoa(a.Offset + i + 1))
		b.WriteString(". ")
		b.WriteString(c.Title)
	}
	return cut(b.String(), bot.MaxAnswered)
}

// scriptLang is the language of a short command by its script: English
// when it has no letter beyond ASCII, else Japanese.
func scriptLang(s string) bot.Lang {
	for _, r := range s {
		if r >= 0x80 {
			return bot.Japanese
		}
	}
	return bot.English
}

// Ends reports whether q asks to end a conversation with the staff: the
// end button, or text that is one of the end words (「終了」, "end"). It
// implements the handoff desk's Engine.
func (e *Engine) Ends(q bot.Question) bool {
	if q.Action != nil {
		return q.Action.Kind == bot.ActionEnd
	}
	return e.k.Load().endWords[analysis.Fold(analysis.Normalize(q.Text))]
}
