package dialog

import (
	"fmt"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/catalog"
)

// msg is a message in both languages.
type msg struct{ ja, en string }

func (m msg) in(l bot.Lang) string {
	if l == bot.English {
		return m.en
	}
	return m.ja
}

func (m msg) f(l bot.Lang, args ...any) string { return fmt.Sprintf(m.in(l), args...) }

// The bot's own words. Programme facts never appear here: they come from
// the knowledge base.
var (
	msgGreeting = msg{
		"こんにちは。サイバーセキュリティの支援制度を案内するボットです。\n中小企業、子ども・保護者・学校、若手人材、地域の取組から、あなたに合う取組と次にできることをお伝えします。\n知りたいことを短く書くか、下から分野を選んでください。（例：「従業員5人の会社で何から始めればいい？」「子どものスマホが心配」）",
		"Hello! I help you find Japan's cybersecurity support programmes.\nI cover small businesses, children, parents and schools, young talent, and regional activities, and tell you what you can do next.\nWrite what you need in a few words, or pick an area below (for example \"where should a 5-person company start?\" or \"my child's phone\").",
	}
	msgHelp = msg{
		"使い方：知りたいことを短く書いてください。\n・「中小企業向けの支援」「学校で出前授業」「CTFに参加したい」など\n・番号（1〜5）や「詳しく」で取組の詳細、「もっと」で続き、「メニュー」で分野の一覧\n・「English」で英語に切り替えます。\n被害にあっている場合は「困ったとき」を選んでください。",
		"How to ask: write what you need in a few words.\n- \"support for small businesses\", \"talks at our school\", \"CTF for students\"\n- a number (1-5) or \"details\" opens a programme, \"more\" shows the next ones, \"menu\" lists the areas\n- \"日本語\" switches to Japanese.\nIf something has happened to you, choose \"I'm in trouble\".",
	}
	msgEmpty = msg{
		"文字で質問を送ってください。たとえば「中小企業向けの支援」や「子どものスマホが心配」のように書いてください。",
		"Please send your question as text, for example \"support for small businesses\" or \"my child's smartphone\".",
	}
	msgUnsupported = msg{
		"スタンプや画像、位置情報にはお答えできません。知りたいことを文字で送るか、下から分野を選んでください。",
		"I can't read stickers, images or locations. Please write what you need, or pick an area below.",
	}
	msgAttachments = msg{
		"添付のファイルや画像は読めないため、文章にお答えします。",
		"I can't open files or images, so I'm answering your text.",
	}
	msgIntro = msg{
		"サイバーセキュリティの支援制度を案内するボットです。このグループでは、私宛てにメンションして質問してください（例：「@ボット 中小企業向けのセミナー」）。",
		"I'm a bot that finds Japan's cybersecurity support programmes. In this group, mention me with your question (for example \"@bot seminars for small businesses\").",
	}
	msgSlowDown = msg{
		"メッセージが続いたため、少しの間お答えを止めています。数秒待ってから、もう一度送ってください。",
		"You're sending messages faster than I can answer, so I've paused for a moment. Please wait a few seconds and send it again.",
	}
	msgThanks = msg{
		"どういたしまして。ほかにも知りたいことがあれば、いつでも書いてください。",
		"You're welcome. Write any time if you need anything else.",
	}
	msgLanguage = msg{
		"これから日本語でお答えします。知りたいことを書くか、分野を選んでください。",
		"I'll answer in English from now on. Write what you need, or pick an area.",
	}
	msgFound      = msg{"ご質問に合いそうな取組が%d件あります。", "I found %d programmes that may fit."}
	msgFoundOne   = msg{"ご質問に合いそうな取組が1件あります。", "I found one programme that may fit."}
	msgFoundPage  = msg{"ご質問に合いそうな取組が%d件あります。まず%d件を表示します。", "I found %d programmes that may fit. Here are the first %d."}
	msgCategory   = msg{"「%s」の取組は%d件です。", "There are %[2]d programmes for \"%[1]s\"."}
	msgCatPage    = msg{"「%s」の取組は%d件です。まず%d件を表示します。", "There are %[2]d programmes for \"%[1]s\". Here are the first %[3]d."}
	msgMore       = msg{"続きの%d件です（全%d件中%d〜%d件目）。", "Here are %d more (%d-%d of %d)."}
	msgNoMore     = msg{"これ以上の取組はありません。別の言葉で質問するか、分野を選んでください。", "There are no more programmes. Ask in other words, or pick an area."}
	msgNoMatch    = msg{"すみません、ご質問に合う取組は見つかりませんでした。言い換えるか、下から分野を選んでください。", "Sorry, I found no programme that fits your question. Try other words, or pick an area below."}
	msgOffTopic   = msg{"すみません、それについてはお答えできません。私はサイバーセキュリティの支援制度をご案内しています。下から分野を選ぶか、知りたいことを書いてください。", "Sorry, I can't help with that. I find cybersecurity support programmes. Pick an area below, or tell me what you need."}
	msgNoMatchAid = msg{"困っている場合は、次の相談窓口をご利用ください。", "If you are in trouble, these contact points can help."}
	msgUrgent     = msg{
		"被害にあった、またはその恐れがある場合は、まず下の相談窓口に連絡してください。命や身体に危険がある場合や犯罪が起きている最中は110番へ。",
		"If something has happened or may have happened, contact one of the desks below first. If anyone is in danger or a crime is under way, call 110.",
	}
	msgUrgentCards = msg{"あわせて、トラブル対応を支援する取組です。", "These programmes also help when trouble happens."}
	msgUrgentOther = msg{"あわせて、ご質問に関係しそうな取組です。", "These programmes may also be relevant to your question."}
	msgUrgentNone  = msg{"この計画の取組（中小企業、子ども・保護者・学校、地域の取組）には、このご相談に合うものはありません。下の窓口にご相談ください。", "None of this plan's programmes (for small businesses, for children, parents and schools, and for regions) fits this; the desks below can help."}
	msgDetails     = msg{"「%s」の詳細です。", "Details of \"%s\"."}
	msgClarify     = msg{"ご質問に近そうな取組を挙げました。もう少し教えてください。", "These programmes may be close to what you need. Tell me a little more:"}
	msgAskWho      = msg{"どなたのためのご質問ですか？（会社・お店、子ども・家庭、学校、地域の団体）", "Who is it for: a business, a child or family, a school, or a community group?"}
	msgAskWhen     = msg{"いま被害や困りごとが起きていますか？それとも備えたい・学びたいですか？", "Is something happening right now, or are you preparing?"}
	msgNoQuestion  = msg{"どのご質問への答えか分からなくなりました。もう一度、知りたいことを書いてください。", "I have lost track of the question that was about. Please write what you need again."}
	msgPlace       = msg{"「%s」だけを対象にした取組はありません。各地で参加できる取組が%d件あります。", "No programme is specific to %s. %d programmes run in any region."}
	msgArea        = msg{"「%s」では、%sの取組と、各地で参加できる取組があわせて%d件あります。", "In %s: the programmes of %s and those that run in any region, %d in all."}
	msgShowing     = msg{"まず%d件を表示します。", " Here are the first %d."}
	msgUnknownID   = msg{"その取組は見つかりませんでした。分野を選ぶか、知りたいことを書いてください。", "I couldn't find that programme. Pick an area, or tell me what you need."}
	msgNoCard      = msg{"%d番の取組はありません。表示した1〜%d番の番号を送ってください。", "There is no programme number %d. Send a number from 1 to %d."}
	msgNoCardMore  = msg{"続きは「もっと見る」で表示できます。", "Tap \"More\" to see further programmes."}
	msgNoSelection = msg{"どの取組のことか分かりませんでした。先に質問をしてから、番号（1〜5）を送ってください。", "I'm not sure which programme you mean. Ask a question first, then send a number (1-5)."}
	// The footer's date is the knowledge base's facts_checked (meta.yaml),
	// never a date written here.
	msgFooter       = msg{"取組の説明は2019年頃の国の行動計画に、現在の状況は%s時点で確認した公開情報に基づきます。最新の内容は各公式サイトでご確認ください。", "Programme descriptions follow Japan's national action plan of around 2019; current status is public information checked in %s. Check the official sites for the latest."}
	msgFeedbackUp   = msg{"ご評価ありがとうございます。今後の案内の改善に役立てます。", "Thank you for your feedback: it helps us improve these answers."}
	msgFeedbackDown = msg{
		"お役に立てず、すみません。別の言葉で質問し直すか、下から分野を選んでください。困っている場合は、次の相談窓口もご利用いただけます。",
		"Sorry that did not help. Try asking in other words, or pick an area below. If you are in trouble, these contact points can help.",
	}
	msgFeedbackRefused = msg{
		"この評価は受け付けられませんでした。評価は、あなたへの回答の下にあるボタンからお送りください。",
		"That rating could not be accepted. Please rate an answer with the buttons under an answer given to you.",
	}

	msgCitation   = msg{"出典: 行動計画 %s", "Source: action plan, %s"}
	msgLine       = msg{"%d行目", "line %d"}
	msgRelisted   = msg{"%d行目（再掲）", "line %d (re-listed)"}
	msgOwnerMin   = msg{"関係省庁の取組", "an initiative of the ministries"}
	msgOwnerOther = msg{"関係省庁以外の取組", "an initiative of another body"}
	msgNoStatus   = msg{"現在の状況は確認できていません。", "Current status not confirmed."}
	msgNoteNew    = msg{"行動計画の注記: %s", "Note in the plan: %s"}
)

// footer closes an answer: where its words come from, and the month the
// facts were last checked.
func (b turn) footer(l bot.Lang) string {
	return msgFooter.f(l, catalog.Month(b.cat.Meta.FactsChecked, string(l)))
}

// labels are the bot's own button and quick-reply labels. They live in the
// knowledge base (vocabulary.yaml, dialog.labels), where the lint keeps
// them within LINE's limit.
func (b turn) labels() *catalog.DialogLabels { return &b.cat.Vocabulary.Dialog.Labels }
