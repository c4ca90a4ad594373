package line

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/line/line-bot-sdk-go/v8/linebot/messaging_api"

	"github.com/supportbot/supportbot/internal/bot"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// sample answers are fixed here, not taken from the matcher, so that a
// change in ranking never changes a golden file.

func sampleCard(l bot.Lang, id, title, url string) bot.Card {
	details := bot.Action{Kind: bot.ActionDetails, Value: id}
	c := bot.Card{ID: id, Title: title, URL: url}
	if l == bot.English {
		c.Buttons = []bot.Button{{Label: "Details", Action: &details}}
		if url != "" {
			c.Buttons = append(c.Buttons, bot.Button{Label: "Official site", URL: url})
		}
		return c
	}
	c.Buttons = []bot.Button{{Label: "詳しく", Action: &details}}
	if url != "" {
		c.Buttons = append(c.Buttons, bot.Button{Label: "公式サイト", URL: url})
	}
	return c
}

func categories(l bot.Lang) []bot.Suggestion {
	labels := []string{"中小企業向け", "子ども・保護者・学校", "若手人材の育成", "地域の取組"}
	if l == bot.English {
		labels = []string{"Small businesses", "Children, parents and schools", "Young security talent", "Regional activities"}
	}
	var s []bot.Suggestion
	for i, id := range []string{"sme", "youth", "talent", "regional"} {
		s = append(s, bot.Suggestion{Label: labels[i], Action: bot.Action{Kind: bot.ActionCategory, Value: id}})
	}
	return s
}

// sampleID and sampleTag stand for an answer id and the question log's
// tag: the adapter carries them, it never reads them.
const (
	sampleID  = "AbCdEfGhIjKlMnOp"
	sampleTag = "TagTagTagTagTag0"
)

func sampleAnswers() map[string]bot.Answer {
	parents := sampleCard(bot.Japanese, "e-net-caravan", "e-ネットキャラバン", "https://www.fmmc.or.jp/e-netcaravan/")
	parents.Organizations = []string{"一般財団法人マルチメディア振興センター（FMMC）", "総務省", "文部科学省"}
	parents.Audiences = []string{"保護者", "教員・教職員", "児童・生徒"}
	parents.Summary = "インターネットの安心・安全な使い方について、保護者や教職員、児童・生徒向けに無料の出前講座を行います。"
	parents.Citation = "出典: 行動計画 30行目"
	moral := sampleCard(bot.Japanese, "net-moral-caravan", "ネットモラルキャラバン隊", "")
	moral.Organizations = []string{"文部科学省"}
	moral.Audiences = []string{"保護者"}
	moral.Regions = []string{"東京都"}
	moral.Summary = "保護者を対象に、子どものスマートフォン利用のルールづくりを学ぶ講座を開きます。"
	moral.Citation = "出典: 行動計画 31行目、44行目（再掲）"

	jaFollow := append([]bot.Suggestion{{Label: "もっと見る", Action: bot.Action{Kind: bot.ActionMore}}}, categories(bot.Japanese)...)
	jaFollow = append(jaFollow,
		bot.Suggestion{Label: "メニュー", Action: bot.Action{Kind: bot.ActionMenu}},
		bot.Suggestion{Label: "English", Action: bot.Action{Kind: bot.ActionLang, Value: "en"}})
	footerJA := "情報は2019年頃の国の行動計画と、2026年11月時点で確認した公開情報に基づきます。最新の内容は各公式サイトでご確認ください。"

	detail := sampleCard(bot.Japanese, "sechack365", "SecHack365", "https://sechack365.nict.go.jp/")
	detail.Buttons = detail.Buttons[1:]
	detail.Organizations = []string{"国立研究開発法人情報通信研究機構（NICT）", "総務省"}
	detail.Audiences = []string{"若手人材（25歳以下・学生など）", "児童・生徒"}
	detail.Kinds = []string{"研修・育成プログラム"}
	detail.Summary = "25歳以下の若手ICT人材を対象に、1年をかけて高度なセキュリティ技術を本格的に指導するプログラムです。"
	detail.NextStep = "公式サイトで募集要項を確認してください。"
	detail.Status = "実施中。（2026-11時点）"
	detail.Citation = "出典: 行動計画 49行目"
	detail.Detail = &bot.Detail{
		SeedText: "25歳以下の若年ICT人材を対象としたSecHack365を通じ、高度なセキュリティ技術を本格的に指導することで、セキュリティノベーターの育成に取り組む。",
		Notes:    []string{"行動計画の注記: 2019年度新規"},
		Owner:    "関係省庁の取組",
		Facts: []bot.Fact{
			{Text: "受講料は無料です。", Source: "https://sechack365.nict.go.jp/", Seen: "2026-11"},
			{Text: "報道発表による。", Source: "総務省 報道資料", Seen: "2025-04"},
		},
	}

	camp := sampleCard(bot.English, "security-camp", "Security Camp", "https://www.security-camp.or.jp/")
	camp.Organizations = []string{"Security Camp Council", "IPA"}
	camp.Audiences = []string{"young talent (students, people aged 25 or under)"}
	camp.Summary = "A free training camp for students who want to learn security in depth."
	camp.Citation = "Source: action plan, line 50"
	enFollow := append(categories(bot.English),
		bot.Suggestion{Label: "Menu", Action: bot.Action{Kind: bot.ActionMenu}},
		bot.Suggestion{Label: "日本語", Action: bot.Action{Kind: bot.ActionLang, Value: "ja"}})

	police := sampleCard(bot.Japanese, "police-cyber-volunteers", "サイバー防犯ボランティア", "")
	police.Organizations = []string{"都道府県警察"}
	police.Audiences = []string{"ボランティア"}
	police.Summary = "地域で被害防止の広報や相談対応を支えるボランティア活動です。"
	police.Citation = "出典: 行動計画 60行目"

	return map[string]bot.Answer{
		"programmes_ja": {
			ID: sampleID, Feedback: bot.FeedbackFor(sampleID, sampleTag),
			Lang: bot.Japanese, Kind: bot.KindProgrammes, Confident: true, Total: 7,
			Text:  "ご質問に合いそうな取組が7件あります。まず2件を表示します。",
			Cards: []bot.Card{parents, moral}, Suggestions: jaFollow, Footer: footerJA,
		},
		"details_ja": {
			ID: sampleID, Feedback: bot.FeedbackFor(sampleID, sampleTag),
			Lang: bot.Japanese, Kind: bot.KindDetails, Confident: true,
			Text: "「SecHack365」の詳細です。", Cards: []bot.Card{detail}, Suggestions: jaFollow[1:], Footer: footerJA,
		},
		"programmes_en": {
			ID: sampleID, Feedback: bot.FeedbackFor(sampleID, sampleTag),
			Lang: bot.English, Kind: bot.KindProgrammes, Confident: true, Total: 1,
			Text: "I found one programme that may fit.", Cards: []bot.Card{camp}, Suggestions: enFollow,
			Footer: "Based on Japan's national action plan (around 2019). Check the official sites for the latest.",
		},
		"urgent_ja": {
			Lang: bot.Japanese, Kind: bot.KindUrgent, Confident: true, Total: 1,
			Text: "被害にあった、またはその恐れがある場合は、まず下の相談窓口に連絡してください。\nあわせて、トラブル対応を支援する取組です。",
			Contacts: []bot.Contact{
				{Name: "警察相談専用電話", What: "犯罪や事故に当たるか分からない相談", Phone: "#9110"},
				{Name: "IPA 情報セキュリティ安心相談窓口", What: "ウイルスや不正アクセスの相談", Phone: "03-5978-7509", URL: "https://www.ipa.go.jp/security/anshin/"},
			},
			Cards: []bot.Card{police}, Suggestions: jaFollow[1:], Footer: footerJA,
		},
		"greeting_ja": {
			Lang: bot.Japanese, Kind: bot.KindGreeting,
			Text: "こんにちは。サイバーセキュリティの支援制度を案内するボットです。\n知りたいことを短く書くか、下から分野を選んでください。",
			Suggestions: append(categories(bot.Japanese),
				bot.Suggestion{Label: "困ったとき", Action: bot.Action{Kind: bot.ActionTrouble}},
				bot.Suggestion{Label: "使い方", Action: bot.Action{Kind: bot.ActionHelp}},
				bot.Suggestion{Label: "English", Action: bot.Action{Kind: bot.ActionLang, Value: "en"}}),
		},
	}
}

// sameEncoding fails unless the reply body appendReply makes of msgs is
// byte for byte what encoding/json makes of it.
func sameEncoding(t testing.TB, msgs []messaging_api.MessageInterface) {
	t.Helper()
	want, err := json.Marshal(struct {
		ReplyToken           string                           `json:"replyToken"`
		NotificationDisabled bool                             `json:"notificationDisabled"`
		Messages             []messaging_api.MessageInterface `json:"messages"`
	}{ReplyToken: "token<&>", Messages: msgs})
	if err != nil {
		t.Fatal(err)
	}
	got, ok := appendReply(nil, "token<&>", msgs)
	if !ok {
		t.Fatal("appendReply cannot encode what render made")
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("appendReply =\n%s\nencoding/json =\n%s", got, want)
	}
}

// renderJSON is what the SDK sends for render(a), decoded for checks and
// indented for golden files.
func renderJSON(t testing.TB, a bot.Answer) ([]message, []byte) {
	t.Helper()
	sameEncoding(t, render(a, "q-token"))
	sameEncoding(t, renderPlain(a, ""))
	raw, err := json.Marshal(render(a, ""))
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	var msgs []message
	if err := json.Unmarshal(raw, &msgs); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, raw, "", "  "); err != nil {
		t.Fatal(err)
	}
	out.WriteByte('\n')
	return msgs, out.Bytes()
}

// TestRenderGolden compares the messages sent for fixed answers with
// testdata/golden; go test -run TestRenderGolden -update rewrites them.
func TestRenderGolden(t *testing.T) {
	for name, a := range sampleAnswers() {
		t.Run(name, func(t *testing.T) { golden(t, name, a) })
	}
}

// golden renders a, checks the messages against LINE's limits and
// compares them with testdata/golden/name.json, or rewrites it with
// -update.
func golden(t *testing.T, name string, a bot.Answer) {
	t.Helper()
	msgs, got := renderJSON(t, a)
	checkMessages(t, msgs)
	path := filepath.Join("testdata", "golden", name+".json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		test, _, _ := strings.Cut(t.Name(), "/")
		t.Errorf("render(%s) differs from %s; run go test -run %s -update and review the diff", name, path, test)
	}
}

func TestRenderShape(t *testing.T) {
	answers := sampleAnswers()
	tests := []struct {
		name  string
		types []string // message types in order
		flex  string   // flex container type, if any
	}{
		{"programmes_ja", []string{"text", "flex", "text"}, "carousel"},
		{"details_ja", []string{"text", "flex", "text"}, "bubble"},
		{"urgent_ja", []string{"text", "flex", "text"}, "carousel"},
		{"greeting_ja", []string{"text"}, ""},
	}
	for _, tt := range tests {
		msgs, _ := renderJSON(t, answers[tt.name])
		var types []string
		for _, m := range msgs {
			types = append(types, m["type"].(string))
			if m["type"] == "flex" {
				if got := m["contents"].(map[string]any)["type"]; got != tt.flex {
					t.Errorf("%s: flex container %v; want %s", tt.name, got, tt.flex)
				}
			}
		}
		if strings.Join(types, ",") != strings.Join(tt.types, ",") {
			t.Errorf("%s: message types %v; want %v", tt.name, types, tt.types)
		}
		if _, ok := msgs[len(msgs)-1]["quickReply"]; !ok {
			t.Errorf("%s: no quick replies on the last message", tt.name)
		}
	}
}

func TestRenderButtons(t *testing.T) {
	a := sampleAnswers()["programmes_ja"]
	msgs, _ := renderJSON(t, a)
	bubbles := msgs[1]["contents"].(map[string]any)["contents"].([]any)
	for i, b := range bubbles {
		var kinds []string
		for _, c := range b.(map[string]any)["footer"].(map[string]any)["contents"].([]any) {
			act := c.(map[string]any)["action"].(map[string]any)
			kinds = append(kinds, act["type"].(string)+":"+act["label"].(string))
			want := (bot.Action{Kind: bot.ActionDetails, Value: a.Cards[i].ID}).Payload()
			if act["type"] == "postback" && act["data"] != want {
				t.Errorf("bubble %d: details data %v", i, act["data"])
			}
		}
		want := "postback:詳しく"
		if a.Cards[i].URL != "" {
			want += ",uri:公式サイト"
		}
		if got := strings.Join(kinds, ","); got != want {
			t.Errorf("bubble %d buttons %s; want %s (公式サイト only with a verified URL)", i, got, want)
		}
	}
}

// TestRenderLimits feeds the renderer answers far over every LINE limit
// and checks that what it sends is within all of them.
func TestRenderLimits(t *testing.T) {
	long := strings.Repeat("長い説明文。😀", 2000) // astral characters count twice
	var cards []bot.Card
	for i := range 20 {
		c := sampleCard(bot.Japanese, strings.Repeat("x", 400), long[:300], "https://example.com/"+strings.Repeat("a", i*60))
		c.Summary = long
		c.Organizations = []string{long[:600]}
		c.Audiences = []string{"保護者"}
		c.Citation = long[:900]
		cards = append(cards, c)
	}
	var sugg []bot.Suggestion
	for i := range 30 {
		sugg = append(sugg, bot.Suggestion{
			Label:  strings.Repeat("とても長いラベル", i+1),
			Action: bot.Action{Kind: bot.ActionAsk, Value: long},
		})
	}
	var contacts []bot.Contact
	for range 50 {
		contacts = append(contacts, bot.Contact{Name: long[:300], What: long[:300], Phone: "#9110", URL: "https://example.com/"})
	}
	details := cards[0]
	details.Detail = &bot.Detail{SeedText: long + long, Notes: []string{long}, Facts: []bot.Fact{{Text: long, Source: "https://example.com/" + long, Seen: "2026-11"}}}
	for _, a := range []bot.Answer{
		{Lang: bot.Japanese, Kind: bot.KindProgrammes, Text: long, Cards: cards, Contacts: contacts, Suggestions: sugg, Footer: long},
		{Lang: bot.Japanese, Kind: bot.KindDetails, Text: long, Cards: []bot.Card{details}, Suggestions: sugg, Footer: long},
	} {
		msgs, _ := renderJSON(t, a)
		checkMessages(t, msgs)
		if a.Kind == bot.KindProgrammes {
			n := len(msgs[1]["contents"].(map[string]any)["contents"].([]any))
			if n != maxBubbles {
				t.Errorf("%d bubbles for %d cards; want %d, each shortened to fit", n, len(cards), maxBubbles)
			}
			items := msgs[len(msgs)-1]["quickReply"].(map[string]any)["items"].([]any)
			if len(items) != maxQuickReplies {
				t.Errorf("%d quick replies for %d suggestions; want %d", len(items), len(sugg), maxQuickReplies)
			}
		}
	}
}

func TestRenderDropsBadLinks(t *testing.T) {
	for _, u := range []string{"javascript:alert(1)", "ftp://example.com/", "https://", "https://example.com/" + strings.Repeat("a", maxURI)} {
		c := sampleCard(bot.Japanese, "x", "タイトル", u)
		c.Summary = "概要"
		msgs, _ := renderJSON(t, bot.Answer{Lang: bot.Japanese, Kind: bot.KindProgrammes, Text: "t", Cards: []bot.Card{c}})
		checkMessages(t, msgs)
		footer := msgs[1]["contents"].(map[string]any)["contents"].([]any)[0].(map[string]any)["footer"].(map[string]any)
		if n := len(footer["contents"].([]any)); n != 1 {
			t.Errorf("URL %.40q: %d buttons; want only 詳しく", u, n)
		}
	}
}

func TestRenderEmpty(t *testing.T) {
	if msgs := render(bot.Answer{}, ""); len(msgs) != 0 {
		t.Errorf("render(empty answer) = %d messages; want none", len(msgs))
	}
}

func TestCut(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 3, "abc"},
		{"abcd", 3, "ab…"},
		{"あいうえお", 4, "あいう…"},
		{"😀😀😀", 4, "😀…"}, // 😀 is 2 units: never split
		{"😀😀😀", 6, "😀😀😀"},
		{"ab cd", 4, "ab…"},
		{"abc", 0, ""},
	}
	for _, tt := range tests {
		got := cut(tt.in, tt.n)
		if got != tt.want {
			t.Errorf("cut(%q, %d) = %q; want %q", tt.in, tt.n, got, tt.want)
		}
		if units(got) > tt.n {
			t.Errorf("cut(%q, %d) is %d units", tt.in, tt.n, units(got))
		}
	}
}

// TestRenderNumbersAcrossPages: the cards of a second page are numbered
// on from the first (No.6, No.7 …), as the bot reads a typed number.
func TestRenderNumbersAcrossPages(t *testing.T) {
	a := sampleAnswers()["programmes_ja"]
	a.Offset, a.Total = 5, 5+len(a.Cards)
	b, err := json.Marshal(render(a, ""))
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Cards {
		if want := fmt.Sprintf(`"text":"No.%d"`, 6+i); !strings.Contains(string(b), want) {
			t.Errorf("second page lacks %s", want)
		}
	}
	if strings.Contains(string(b), `"text":"No.1"`) {
		t.Error("second page numbers a card No.1")
	}
}
