package slack

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/supportbot/supportbot/internal/bot"
	desk "github.com/supportbot/supportbot/internal/handoff"
)

// The staff's side of a ticket: the ticket as a message in the handoff
// channel, redrawn as it is taken and closed, and the notes in its thread.
// Staff read Japanese and English, so each label says both. The person's
// words are user text: escaped, never a mention or a link of ours. The
// person's platform id and name are never shown.

// Action ids of the ticket's buttons; the value is the ticket number.
const (
	actionTake  = "sb-ho-take"
	actionClose = "sb-ho-close"
)

var (
	wTicketTitle    = "相談 #%d / Ticket #%d"
	wChannel        = "*チャネル / Channel*\n%s"
	wLanguage       = "*言語 / Language*\n%s"
	wOpened         = "*受付 / Opened*\n%s"
	wStatus         = "*状態 / Status*\n%s"
	wWaiting        = "未対応 / Waiting"
	wTakenBy        = "担当 / Taken by <@%s>"
	wClosedBy       = map[desk.Closer]string{desk.ClosedByPerson: "完了（相談者が終了）/ Closed by the person", desk.ClosedByStaff: "完了 / Closed by <@%s>", desk.ClosedByUnfollow: "完了（相談者がブロック）/ Closed: the person blocked the bot"}
	wOutsideHours   = "*受付時間外 / Outside hours* — 相談者には %s 以降に返事があると伝えました / the person was told to expect an answer from %s."
	wLastQuestions  = "*最近の質問 / Last questions*"
	wLastAnswer     = "*ボットの最後の回答 / The bot's last answer*"
	wNothing        = "（なし / none）"
	wHowToReply     = "このスレッドに書いた返信は相談者に届きます（編集・削除は届きません）。相談者の名前やIDは共有されていません。 / Replies in this thread reach the person (edits and deletions do not). Their name and account ID are not shared."
	wTake           = "担当する / Take"
	wClose          = "完了 / Close"
	wConfirmTitle   = "相談を完了しますか？ / Close the ticket?"
	wConfirmText    = "相談者に終了を伝え、評価をお願いします。 / The person is told it is closed and asked to rate the help."
	wConfirmYes     = "完了する / Close"
	wConfirmNo      = "やめる / Cancel"
	wFromPerson     = "*相談者 / The person:*\n%s"
	wPersonFiles    = "（画像・ファイルが%d件ありましたが、転送されません / %d file(s) came too, which are not passed on）"
	wNoteTaken      = "<@%s> が担当します。 / <@%s> took this ticket."
	wNoteClosed     = map[desk.Closer]string{desk.ClosedByPerson: "相談者が終了しました。 / The person ended the chat.", desk.ClosedByStaff: "<@%s> が完了にしました。相談者に伝えました。 / <@%s> closed the ticket; the person was told.", desk.ClosedByUnfollow: "相談者がボットをブロック（友だち解除）したため、完了にしました。以後の返信は届きません。 / The person blocked the bot (unfollowed): the ticket is closed, and replies can no longer reach them."}
	wNoteReminder   = "相談 #%d はまだ誰も担当していません（%d回目のお知らせ）。 / Ticket #%d has not been taken yet (reminder %d)."
	wNoteUndeliver  = "⚠️ この返信は相談者に届きませんでした（ボットがブロックされたか、メッセージの送信上限に達しました）。 / This reply did not reach the person (they blocked the bot, or the message quota is used up)."
	wNoteFile       = "ファイルは相談者に届きません。相談者には共有があったことだけを伝え、内容を文章かリンクで送るよう案内しました。 / Files do not reach the person: they were told one was shared and to ask for its contents as text or a link."
	wNotStored      = "⚠️ この返信は保存できず、相談者に届いていません。少ししてからもう一度送ってください。 / This reply could not be stored and has not reached the person. Please send it again in a moment."
	wNoteLate       = "この相談は完了しているため、この返信は相談者に届いていません。 / This ticket is closed: the reply did not reach the person."
	wNoteRated      = map[bot.Vote]string{bot.VoteUp: "相談者の評価: 👍 役に立った / The person rated the help 👍", bot.VoteDown: "相談者の評価: 👎 役に立たなかった / The person rated the help 👎"}
	wChannelName    = map[string]string{"line": "LINE", "web": "Web chat / ウェブ"}
	wLanguageName   = map[bot.Lang]string{bot.Japanese: "日本語 / Japanese", bot.English: "英語 / English"}
	maxQuestionText = 500
	maxAnswerText   = 1200
)

// ticketMessage is the ticket as posted, and redrawn, in the handoff
// channel; times are shown in zone.
func ticketMessage(t desk.Ticket, zone *time.Location) message {
	title := fmt.Sprintf(wTicketTitle, t.ID, t.ID)
	var status string
	switch t.State {
	case desk.StateTaken:
		status = fmt.Sprintf(wTakenBy, safeID(t.TakenBy))
	case desk.StateClosed:
		status = wClosedBy[t.ClosedBy]
		if strings.Contains(status, "%s") {
			status = fmt.Sprintf(status, safeID(t.Closer))
		}
	default:
		status = wWaiting
	}
	channelName := wChannelName[t.Channel]
	if channelName == "" {
		channelName = escape(t.Channel)
	}
	langName := wLanguageName[t.Lang]
	if langName == "" {
		langName = escape(string(t.Lang))
	}
	fields := []*slackapi.TextBlockObject{
		mrkdwn(fmt.Sprintf(wChannel, channelName)),
		mrkdwn(fmt.Sprintf(wLanguage, langName)),
		mrkdwn(fmt.Sprintf(wOpened, t.Opened.In(zone).Format("2006-01-02 15:04 MST"))),
		mrkdwn(fmt.Sprintf(wStatus, status)),
	}
	blocks := []slackapi.Block{
		slackapi.NewHeaderBlock(plain(title)),
		slackapi.NewSectionBlock(nil, fields, nil),
	}
	if !t.Opens.IsZero() {
		when := t.Opens.In(zone).Format("2006-01-02 15:04 MST")
		blocks = append(blocks, slackapi.NewSectionBlock(mrkdwn(fmt.Sprintf(wOutsideHours, when, when)), nil, nil))
	}
	questions := wNothing
	if len(t.Recent.Questions) > 0 {
		var lines []string
		for _, q := range t.Recent.Questions {
			lines = append(lines, quote(q, maxQuestionText))
		}
		questions = strings.Join(lines, "\n")
	}
	answer := wNothing
	if strings.TrimSpace(t.Recent.Answer) != "" {
		answer = quote(t.Recent.Answer, maxAnswerText)
	}
	blocks = append(blocks,
		slackapi.NewSectionBlock(mrkdwn(fitMarkup(wLastQuestions+"\n"+questions, maxSectionText)), nil, nil),
		slackapi.NewSectionBlock(mrkdwn(fitMarkup(wLastAnswer+"\n"+answer, maxSectionText)), nil, nil),
	)
	blocks = append(blocks, contextBlocks(wHowToReply)...)
	if t.State != desk.StateClosed {
		value := strconv.FormatInt(t.ID, 10)
		var buttons []slackapi.BlockElement
		if t.State == desk.StateOpen {
			take := slackapi.NewButtonBlockElement(actionTake, value, plain(wTake))
			take.Style = slackapi.StylePrimary
			buttons = append(buttons, take)
		}
		closeButton := slackapi.NewButtonBlockElement(actionClose, value, plain(wClose))
		closeButton.Style = slackapi.StyleDanger
		closeButton.Confirm = slackapi.NewConfirmationBlockObject(plain(wConfirmTitle), plain(wConfirmText), plain(wConfirmYes), plain(wConfirmNo))
		buttons = append(buttons, closeButton)
		blocks = append(blocks, slackapi.NewActionBlock("sb-ho-actions", buttons...))
	}
	text := fmt.Sprintf("%s — %s, %s: %s", title, stripMarks(channelName), stripMarks(langName), stripMarks(status))
	return message{Text: fitMarkup(text, maxFallbackText), Blocks: blocks}
}

// noteText is a message in a ticket's thread: the person's words, or what
// happened.
func noteText(t desk.Ticket, m desk.Message) string {
	switch m.Kind {
	case desk.KindText:
		s := fmt.Sprintf(wFromPerson, quote(m.Text, maxSectionText-200))
		if m.Files > 0 {
			s += "\n" + fmt.Sprintf(wPersonFiles, m.Files, m.Files)
		}
		return s
	case desk.KindTaken:
		return fmt.Sprintf(wNoteTaken, safeID(m.By), safeID(m.By))
	case desk.KindClosed:
		s := wNoteClosed[desk.Closer(m.By)]
		if s == "" {
			s = wNoteClosed[desk.ClosedByStaff]
		}
		if strings.Contains(s, "%s") {
			s = fmt.Sprintf(s, safeID(m.By), safeID(m.By))
		}
		return s
	case desk.KindReminder:
		n, _ := strconv.Atoi(m.Text)
		return fmt.Sprintf(wNoteReminder, t.ID, n, t.ID, n)
	case desk.KindUndelivered:
		return wNoteUndeliver
	case desk.KindFile:
		return wNoteFile
	case desk.KindLate:
		return wNoteLate
	case desk.KindRated:
		return wNoteRated[bot.Vote(m.Text)]
	}
	return ""
}

// quote is user text as a mrkdwn quote, escaped and cut.
func quote(s string, max int) string {
	s = strings.TrimSpace(s)
	if units(s) > max {
		s = string([]rune(s)[:max/2]) + ellipsis
	}
	lines := strings.Split(escape(s), "\n")
	for i, l := range lines {
		lines[i] = "> " + l
	}
	return strings.Join(lines, "\n")
}

// safeID is a Slack id fit for <@…>, or a placeholder.
func safeID(id string) string {
	if slackID(id) {
		return id
	}
	return "USLACKBOT"
}

// stripMarks is a label without mrkdwn's asterisks, for the fallback.
func stripMarks(s string) string { return strings.ReplaceAll(s, "*", "") }
