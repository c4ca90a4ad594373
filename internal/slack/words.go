package slack

import (
	"fmt"

	"github.com/supportbot/supportbot/internal/bot"
)

// words is a phrase of the Slack adapter's own in both languages. The bot
// core owns everything it says about programmes and the captions of a
// card's fields (bot.Caption); these are only the hints that exist because
// of Slack (sharing, the Home tab, busy).
type words struct{ ja, en string }

func (w words) in(l bot.Lang) string {
	if l == bot.English {
		return w.en
	}
	return w.ja
}

func (w words) f(l bot.Lang, args ...any) string { return fmt.Sprintf(w.in(l), args...) }

var (
	wOmitted  = words{"ほか%d件は表示しきれませんでした。「もっと見る」や分野のボタンからご覧ください。", "%d more did not fit here; use \"More\" or an area button to see them."}
	wShare    = words{"チャンネルに共有", "Share to channel"}
	wSharedBy = words{"<@%s> さんが共有しました", "Shared by <@%s>"}

	wHomeTitle = words{"サイバーセキュリティ支援制度の案内", "Cybersecurity support programmes"}
	wHomeWays  = words{
		"*Slackでの聞き方*\n• このアプリにDMで質問する（上の「メッセージ」タブ）\n• チャンネルで私にメンションする（例：`@supportbot 地域のセミナー`）— スレッドでお答えします\n• どこでも `/support 質問` — あなただけに表示され、チャンネルに共有もできます",
		"*How to ask in Slack*\n• Send me a direct message (the Messages tab above)\n• Mention me in a channel (for example `@supportbot local seminars`); I answer in the thread\n• Type `/support your question` anywhere; only you see the answer, and you can share it to the channel",
	}
	wHomeAreas = words{"*分野から探す*", "*Browse by area*"}

	// Said at once, in the acknowledgement, when an answer cannot be
	// started.
	wBusy = words{"ただいま混み合っています。少し待ってからもう一度お試しください。", "I'm busy right now. Please try again in a moment."}
	// Said, only to the person, when an overloaded server sheds their
	// question.
	wBusyLater = words{"ただいま混み合っていて、このご質問にはお答えできませんでした。数分後にもう一度送ってください。", "I'm overloaded and couldn't answer this question. Please send it again in a few minutes."}
	wSlowDown  = words{"質問が続いています。少し待ってからもう一度お試しください。", "That's a lot of questions at once. Please wait a moment and try again."}
)

// bilingual joins both languages, for messages sent before the language of
// the person is known.
func bilingual(w words) string { return w.ja + "\n" + w.en }
