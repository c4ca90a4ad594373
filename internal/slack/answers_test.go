package slack

import (
	"strings"

	"github.com/supportbot/supportbot/internal/bot"
)

// Fixed answers, shaped as the bot gives them, for golden files and the
// transport tests. They are built here rather than taken from the live
// matcher so the golden Block Kit changes only when rendering does.

func details(id string) *bot.Action { return &bot.Action{Kind: bot.ActionDetails, Value: id} }

func menuSuggestions(l bot.Lang, more bool) []bot.Suggestion {
	var s []bot.Suggestion
	if more {
		s = append(s, bot.Suggestion{Label: pick(l, "もっと見る", "More"), Action: bot.Action{Kind: bot.ActionMore}})
	}
	for _, c := range []struct{ id, ja, en string }{
		{"sme", "中小企業向け", "Small businesses"},
		{"youth", "子ども・保護者・学校", "Children, parents and schools"},
		{"talent", "若手人材の育成", "Young security talent"},
		{"regional", "地域の取組", "Regional activities"},
	} {
		s = append(s, bot.Suggestion{Label: pick(l, c.ja, c.en), Action: bot.Action{Kind: bot.ActionCategory, Value: c.id}})
	}
	other := "en"
	if l == bot.English {
		other = "ja"
	}
	return append(s,
		bot.Suggestion{Label: pick(l, "メニュー", "Menu"), Action: bot.Action{Kind: bot.ActionMenu}},
		bot.Suggestion{Label: pick(l, "English", "日本語"), Action: bot.Action{Kind: bot.ActionLang, Value: other}},
	)
}

func pick(l bot.Lang, ja, en string) string {
	if l == bot.English {
		return en
	}
	return ja
}

const footerJA = "情報は2019年頃の国の行動計画と、2026年11月時点で確認した公開情報に基づきます。最新の内容は各公式サイトでご確認ください。"

// sampleID and sampleTag stand for an answer id and the question log's
// tag: the adapter carries them, it never reads them.
const (
	sampleID  = "AbCdEfGhIjKlMnOp"
	sampleTag = "TagTagTagTagTag0"
)

func sampleProgrammes() bot.Answer {
	return bot.Answer{
		ID: sampleID, Feedback: bot.FeedbackFor(sampleID, sampleTag),
		Lang: bot.Japanese, Kind: bot.KindCategory, Confident: true, Total: 7,
		Text: "「地域の取組」の取組は7件です。まず2件を表示します。",
		Cards: []bot.Card{
			{
				ID: "mic-regional-lectures", Title: "地域のセキュリティセミナー",
				Organizations: []string{"総務省"}, Audiences: []string{"中小企業", "地方公共団体"},
				Regions: []string{"全国"}, Kinds: []string{"セミナー・講習"},
				Summary:  "各地の総合通信局が、地域の企業や自治体向けにセキュリティセミナーを開いています。",
				NextStep: "お住まいの地域の総合通信局の案内を確認してください。",
				URL:      "https://www.soumu.go.jp/main_sosiki/cybersecurity/",
				Citation: "出典: 行動計画 60行目",
				Sources:  []bot.Source{{File: "000_686e6c36ef81ccbc.txt", Line: 60}},
				Buttons: []bot.Button{
					{Label: "詳しく", Action: details("mic-regional-lectures")},
					{Label: "公式サイト", URL: "https://www.soumu.go.jp/main_sosiki/cybersecurity/"},
				},
			},
			{
				ID: "kansai-cybersecurity-network", Title: "関西サイバーセキュリティ・ネットワーク",
				Organizations: []string{"近畿経済産業局", "近畿総合通信局"}, Audiences: []string{"中小企業", "支援機関"},
				Regions:  []string{"近畿"},
				Summary:  "関西の産学官が連携し、セミナーや人材育成の場をつくっています。",
				Status:   "活動中（2026-11確認）",
				Citation: "出典: 行動計画 61行目",
				Sources:  []bot.Source{{File: "000_686e6c36ef81ccbc.txt", Line: 61}},
				Buttons:  []bot.Button{{Label: "詳しく", Action: details("kansai-cybersecurity-network")}},
			},
		},
		Suggestions: menuSuggestions(bot.Japanese, true),
		Footer:      footerJA,
	}
}

func sampleDetails() bot.Answer {
	return bot.Answer{
		ID: sampleID, Feedback: bot.FeedbackFor(sampleID, sampleTag),
		Lang: bot.English, Kind: bot.KindDetails, Confident: true,
		Text: "Details of \"SecHack365\".",
		Cards: []bot.Card{{
			ID: "sechack365", Title: "SecHack365",
			Organizations: []string{"National Institute of Information and Communications Technology (NICT)"},
			Audiences:     []string{"Students and young people under 25"},
			Kinds:         []string{"Training programme"},
			Summary:       "A year-long programme in which young people build security tools with mentors.",
			URL:           "https://sechack365.nict.go.jp/",
			Citation:      "Source: action plan, line 47",
			Sources:       []bot.Source{{File: "000_686e6c36ef81ccbc.txt", Line: 47}},
			Buttons:       []bot.Button{{Label: "Official site", URL: "https://sechack365.nict.go.jp/"}},
			Detail: &bot.Detail{
				SeedText: "若年層のセキュリティ人材を発掘・育成する「SecHack365」を実施。",
				Notes:    []string{"New in FY2019"},
				Owner:    "an initiative of the ministries",
				Facts: []bot.Fact{
					{Text: "Applications open every spring.", Source: "https://sechack365.nict.go.jp/", Seen: "2026-11"},
				},
			},
		}},
		Suggestions: menuSuggestions(bot.English, false),
		Footer:      "Based on Japan's national action plan (around 2019) and public information checked in November 2026. Check the official sites for the latest.",
	}
}

func sampleNoMatch() bot.Answer {
	return bot.Answer{
		Lang: bot.Japanese, Kind: bot.KindNoMatch,
		Text: "すみません、ご質問に合う取組は見つかりませんでした。言い換えるか、下から分野を選んでください。\n困っている場合は、次の相談窓口をご利用ください。",
		Contacts: []bot.Contact{
			{Name: "警察相談専用電話", What: "犯罪や事故にならない相談", Phone: "#9110", URL: "https://www.gov-online.go.jp/useful/article/201309/2.html"},
			{Name: "IPA 情報セキュリティ安心相談窓口", What: "ウイルスや不正アクセスの相談", Phone: "03-5978-7509", URL: "https://www.ipa.go.jp/security/anshin/"},
		},
		Suggestions: menuSuggestions(bot.Japanese, false),
	}
}

func sampleHelp(l bot.Lang) bot.Answer {
	if l != bot.English {
		l = bot.Japanese
	}
	return bot.Answer{
		Lang: l, Kind: bot.KindHelp,
		Text: pick(l,
			"使い方：知りたいことを短く書いてください。\n・「中小企業向けの支援」「学校で出前授業」など\n・「English」で英語に切り替えます。",
			"How to ask: write what you need in a few words.\n- \"support for small businesses\", \"talks at our school\"\n- \"日本語\" switches to Japanese."),
		Suggestions: menuSuggestions(l, false),
	}
}

// sampleHostile carries text that would be markup if it were not escaped.
func sampleHostile() bot.Answer {
	a := sampleProgrammes()
	a.Text = "<!channel> 注意 & <https://evil.example|ここ> を押して"
	a.Cards = a.Cards[:1]
	a.Cards[0].Title = "*bold* <@U0ATTACK1> & co"
	a.Cards[0].Summary = "a > b < c &amp; d"
	a.Cards[0].URL = "javascript:alert(1)"
	a.Cards[0].Buttons = []bot.Button{{Label: "詳しく", Action: details("x")}, {Label: "公式サイト", URL: "javascript:alert(1)"}}
	return a
}

// sampleHuge exceeds every limit at once.
func sampleHuge() bot.Answer {
	long := strings.Repeat("長い説明文。", 1000) // 6,000 characters
	a := bot.Answer{Lang: bot.Japanese, Kind: bot.KindProgrammes, Confident: true, Total: 60,
		Text:   strings.Repeat("見出し", 100) + "\n" + long,
		Footer: long,
	}
	for i := range 60 {
		a.Cards = append(a.Cards, bot.Card{
			ID: "card", Title: strings.Repeat("題", 400),
			Organizations: []string{strings.Repeat("組織", 1500)}, Audiences: []string{long},
			Regions: []string{"全国"}, Kinds: []string{"a", "b"}, Status: long,
			Summary: long, NextStep: long, URL: "https://example.org/" + strings.Repeat("p", 4000),
			Citation: long,
			Buttons: []bot.Button{
				{Label: strings.Repeat("ボタン", 50), Action: details(strings.Repeat("x", 5000))},
				{Label: "公式サイト", URL: "https://example.org/" + strings.Repeat("p", 4000)},
				{Label: "", Action: details("empty-label")},
			},
			Detail: &bot.Detail{SeedText: long, Notes: []string{long, long}, Owner: long,
				Facts: []bot.Fact{{Text: long, Source: "https://example.org/fact", Seen: "2026-11"}}},
		})
		_ = i
	}
	for i := range 40 {
		a.Suggestions = append(a.Suggestions, bot.Suggestion{Label: strings.Repeat("候補", 60), Action: bot.Action{Kind: bot.ActionCategory, Value: "c" + strings.Repeat("v", i)}})
	}
	for range 30 {
		a.Contacts = append(a.Contacts, bot.Contact{Name: strings.Repeat("窓口", 100), What: long, Phone: "0120-000-000", URL: "https://example.org/c"})
	}
	return a
}

func sampleUrgent() bot.Answer {
	a := sampleNoMatch()
	a.Kind = bot.KindUrgent
	a.Confident = true
	a.Text = "被害にあった、またはその恐れがある場合は、まず下の相談窓口に連絡してください。\nあわせて、トラブル対応を支援する取組です。"
	a.Cards = sampleProgrammes().Cards[:1]
	a.Total = 1
	a.Footer = footerJA
	a.ID, a.Feedback = sampleID, bot.FeedbackFor(sampleID, sampleTag)
	return a
}
