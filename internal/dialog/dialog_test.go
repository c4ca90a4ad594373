package dialog_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/bot/bottest"
	"github.com/supportbot/supportbot/internal/dialog"
	"github.com/supportbot/supportbot/internal/dialog/dialogtest"
)

func ask(t *testing.T, b *dialog.Engine, conv, text string) bot.Answer {
	t.Helper()
	a, err := b.Answer(context.Background(), bot.Question{Conversation: conv, Text: text, Channel: "test"})
	if err != nil {
		t.Fatalf("Answer(%q): %v", text, err)
	}
	return a
}

func act(t *testing.T, b *dialog.Engine, conv string, a bot.Action) bot.Answer {
	t.Helper()
	ans, err := b.Answer(context.Background(), bot.Question{Conversation: conv, Action: &a, Channel: "test"})
	if err != nil {
		t.Fatalf("Answer(%+v): %v", a, err)
	}
	return ans
}

func hasAudience(c bot.Card, label string) bool {
	for _, a := range c.Audiences {
		if strings.Contains(a, label) {
			return true
		}
	}
	return false
}

func TestAnswerKinds(t *testing.T) {
	b := dialogtest.New(t)
	tests := []struct {
		q         string
		kind      bot.Kind
		lang      bot.Lang
		confident bool
	}{
		{"こんにちは", bot.KindGreeting, bot.Japanese, false},
		{"hello", bot.KindGreeting, bot.English, false},
		{"ありがとう", bot.KindThanks, bot.Japanese, false},
		{"使い方", bot.KindHelp, bot.Japanese, false},
		{"おすすめの映画", bot.KindNoMatch, bot.Japanese, false},
		{"recommend a good restaurant", bot.KindNoMatch, bot.English, false},
		{"子どものスマホが心配", bot.KindProgrammes, bot.Japanese, true},
		{"security camp", bot.KindProgrammes, bot.English, true},
		{"中小企業向けの支援を全部", bot.KindCategory, bot.Japanese, true},
		{"youth", bot.KindCategory, bot.English, true},
		{"ウイルスに感染したかも", bot.KindUrgent, bot.Japanese, true},
		{"my company got ransomware, who helps?", bot.KindUrgent, bot.English, true},
		{"スマホ", bot.KindClarify, bot.Japanese, true},
		{"certifications", bot.KindCategory, bot.English, true},
		{"せっこんに出たい", bot.KindProgrammes, bot.Japanese, true},
		{"🙂🙂🙂", bot.KindHelp, bot.Japanese, false},
		{"   ", bot.KindHelp, bot.Japanese, false},
		{"5", bot.KindHelp, bot.Japanese, false},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			a := ask(t, b, "", tt.q)
			if a.Kind != tt.kind || a.Lang != tt.lang || a.Confident != tt.confident {
				t.Errorf("Answer(%q) = kind %s lang %s confident %v; want %s %s %v", tt.q, a.Kind, a.Lang, a.Confident, tt.kind, tt.lang, tt.confident)
			}
			if a.Text == "" {
				t.Errorf("Answer(%q).Text is empty", tt.q)
			}
			if !a.Confident && len(a.Cards) > 0 {
				t.Errorf("Answer(%q) offers %d cards without confidence", tt.q, len(a.Cards))
			}
		})
	}
}

func TestNoMatchOffersCategoriesAndContacts(t *testing.T) {
	b := dialogtest.New(t)
	a := ask(t, b, "", "電車の時刻表")
	if len(a.Cards) != 0 {
		t.Fatalf("no-match answer has cards: %+v", a.Cards)
	}
	cats := 0
	for _, s := range a.Suggestions {
		if s.Action.Kind == bot.ActionCategory {
			cats++
		}
	}
	if cats == 0 || len(a.Contacts) == 0 {
		t.Errorf("no-match answer: %d category suggestions, %d contacts; want both", cats, len(a.Contacts))
	}
}

func TestUrgentLeadsWithContacts(t *testing.T) {
	b := dialogtest.New(t)
	a := ask(t, b, "", "詐欺にあったかもしれない")
	if a.Kind != bot.KindUrgent || len(a.Contacts) == 0 {
		t.Fatalf("Answer(詐欺) = kind %s with %d contacts; want urgent with contacts", a.Kind, len(a.Contacts))
	}
	found188 := false
	for _, c := range a.Contacts {
		if c.Phone == "188" {
			found188 = true
		}
	}
	if !found188 {
		t.Errorf("fraud answer contacts %+v; want the consumer hotline 188", a.Contacts)
	}
}

// TestUrgentHelpFitsTheAsker: trouble at a firm brings the help desks for
// firms; trouble for a parent brings the contact points and the
// programmes for parents, never the SME help desks.
func TestUrgentHelpFitsTheAsker(t *testing.T) {
	b := dialogtest.New(t)
	smeDesks := map[string]bool{}
	for _, in := range dialogtest.Catalog(t).Initiatives {
		if slices.Contains(in.Kinds, "consultation") || slices.Contains(in.Kinds, "incident-support") {
			smeDesks[in.ID] = true
		}
	}
	firm := ask(t, b, "", "会社のパソコンがランサムウェアに感染した")
	if firm.Kind != bot.KindUrgent || len(firm.Cards) == 0 || !smeDesks[firm.Cards[0].ID] {
		t.Errorf("firm in trouble: kind %s, cards %v; want urgent, led by a help desk", firm.Kind, cardIDs(firm.Cards))
	}
	parent := ask(t, b, "", "うちの子がネットでいじめられてるみたい")
	if parent.Kind != bot.KindUrgent || len(parent.Contacts) == 0 {
		t.Fatalf("parent in trouble: kind %s, %d contacts; want urgent with contacts", parent.Kind, len(parent.Contacts))
	}
	for _, c := range parent.Cards {
		if smeDesks[c.ID] {
			t.Errorf("parent in trouble offered %s, a help desk for firms", c.ID)
		}
	}
	if len(parent.Cards) == 0 || !hasAudience(parent.Cards[0], "保護者") {
		t.Errorf("parent in trouble: cards %v; want programmes for parents after the contacts", cardIDs(parent.Cards))
	}
	orgDesks := map[string]bool{}
	for _, c := range dialogtest.Catalog(t).Contacts {
		if c.Organisations {
			orgDesks[c.URL] = true
		}
	}
	if len(orgDesks) == 0 {
		t.Fatal("no contact point is marked organisations")
	}
	// A person's own account taken over: the plan has nothing for them
	// (the scope model learned it from the labelled questions), so the
	// contact points for individuals, said plainly, and no programme. A
	// shop's account is a firm's trouble.
	for _, q := range []string{
		"インスタのアカウント乗っ取られた。どうやって取り戻すの", "My Facebook account got hacked and I can't log in",
		"自分のFacebookが乗っ取られたみたい", "my gmail account got hacked, what do I do", "アマゾンの偽サイトでカード番号入れちゃった",
	} {
		own := ask(t, b, "", q)
		if own.Kind != bot.KindUrgent || len(own.Cards) != 0 || !strings.Contains(own.Text, msgNone(own.Lang)) {
			t.Errorf("%q: kind %s, cards %v, text %q; want urgent, no programme, said so", q, own.Kind, cardIDs(own.Cards), own.Text)
		}
		if !slices.ContainsFunc(own.Contacts, func(c bot.Contact) bool { return strings.Contains(c.URL, "ipa.go.jp/security/anshin") }) {
			t.Errorf("%q: contacts %+v; want IPA's desk for individuals", q, own.Contacts)
		}
		for _, c := range own.Contacts {
			if orgDesks[c.URL] {
				t.Errorf("%q: contacts include %s, a desk only for organisations", q, c.Name)
			}
		}
	}
	shop := ask(t, b, "", "居酒屋のインスタ乗っ取られた、店のアカウントです")
	if shop.Kind != bot.KindUrgent || len(shop.Cards) == 0 || !smeDesks[shop.Cards[0].ID] {
		t.Errorf("shop's account taken over: kind %s, cards %v; want urgent, led by a help desk", shop.Kind, cardIDs(shop.Cards))
	}
	if !slices.ContainsFunc(shop.Contacts, func(c bot.Contact) bool { return orgDesks[c.URL] }) {
		t.Errorf("shop's account taken over: contacts %+v; want the desks for organisations too", shop.Contacts)
	}
}

// msgNone is the start of the answer's sentence that no programme fits
// trouble now.
func msgNone(l bot.Lang) string {
	if l == bot.English {
		return "None of this plan's programmes"
	}
	return "この計画の取組"
}

func cardIDs(cards []bot.Card) []string {
	var ids []string
	for _, c := range cards {
		ids = append(ids, c.ID)
	}
	return ids
}

func TestParentsFirst(t *testing.T) {
	b := dialogtest.New(t)
	a := ask(t, b, "", "子どものスマホが心配")
	if len(a.Cards) == 0 || !hasAudience(a.Cards[0], "保護者") {
		t.Fatalf("first card for 子どものスマホが心配 = %+v; want a programme for parents", a.Cards)
	}
}

func TestConversationFollowUps(t *testing.T) {
	b := dialogtest.New(t)
	const conv = "test:followups"
	first := act(t, b, conv, bot.Action{Kind: bot.ActionCategory, Value: "youth"})
	if first.Kind != bot.KindCategory || len(first.Cards) != 5 || !first.HasMore() {
		t.Fatalf("category youth = kind %s, %d cards, more %v; want 5 cards and more", first.Kind, len(first.Cards), first.HasMore())
	}
	more := ask(t, b, conv, "もっと")
	if more.Offset != 5 || len(more.Cards) == 0 || more.Cards[0].ID == first.Cards[0].ID {
		t.Fatalf("もっと = offset %d, %d cards; want the next page", more.Offset, len(more.Cards))
	}
	// Cards are numbered across pages: the second page starts at 6.
	pick := ask(t, b, conv, "7")
	if pick.Kind != bot.KindDetails || pick.Cards[0].ID != more.Cards[1].ID || pick.Cards[0].Detail == nil {
		t.Fatalf("7 = kind %s card %v; want details of %s", pick.Kind, pick.Cards, more.Cards[1].ID)
	}
	if pick.Cards[0].Detail.SeedText == "" {
		t.Error("details have no seed text")
	}
	again := ask(t, b, conv, "詳しく")
	if again.Kind != bot.KindDetails || again.Cards[0].ID != pick.Cards[0].ID {
		t.Errorf("詳しく after a pick = %s %v; want the same programme", again.Kind, again.Cards)
	}
	menu := ask(t, b, conv, "メニュー")
	if menu.Kind != bot.KindHelp || len(menu.Suggestions) == 0 {
		t.Errorf("メニュー = %s with %d suggestions; want the menu", menu.Kind, len(menu.Suggestions))
	}
}

func TestLanguageSwitchSticks(t *testing.T) {
	b := dialogtest.New(t)
	const conv = "test:lang"
	if a := ask(t, b, conv, "English"); a.Kind != bot.KindLanguage || a.Lang != bot.English {
		t.Fatalf("English = %s %s; want language en", a.Kind, a.Lang)
	}
	a := ask(t, b, conv, "中小企業のセキュリティ相談窓口")
	if a.Lang != bot.English || len(a.Cards) == 0 || strings.ContainsAny(a.Cards[0].Summary, "のをは") {
		t.Errorf("after choosing English, a Japanese question was answered in %s: %q", a.Lang, a.Text)
	}
	if a := ask(t, b, conv, "日本語"); a.Lang != bot.Japanese {
		t.Errorf("日本語 = %s; want ja", a.Lang)
	}
}

func TestMoreWithoutHistory(t *testing.T) {
	b := dialogtest.New(t)
	a := ask(t, b, "test:fresh", "more")
	if a.Confident || len(a.Cards) != 0 {
		t.Errorf("more without history = %+v; want no cards", a)
	}
	a = ask(t, b, "test:fresh", "3")
	if a.Kind == bot.KindDetails {
		t.Errorf("3 without history opened details")
	}
}

func TestActionsFromButtons(t *testing.T) {
	b := dialogtest.New(t)
	a := act(t, b, "test:act", bot.Action{Kind: bot.ActionDetails, Value: "sechack365"})
	if a.Kind != bot.KindDetails || a.Cards[0].ID != "sechack365" || a.Cards[0].URL == "" {
		t.Errorf("details sechack365 = %s %+v", a.Kind, a.Cards)
	}
	a = act(t, b, "test:act", bot.Action{Kind: bot.ActionDetails, Value: "no-such-programme"})
	if a.Kind == bot.KindDetails {
		t.Error("details of an unknown id returned details")
	}
	for _, kind := range []bot.ActionKind{bot.ActionGreet, bot.ActionIntro, bot.ActionUnsupported, bot.ActionHelp, bot.ActionMenu, bot.ActionTrouble} {
		a := act(t, b, "test:act", bot.Action{Kind: kind})
		if a.Text == "" || len(a.Suggestions) == 0 {
			t.Errorf("action %s: text %q, %d suggestions", kind, a.Text, len(a.Suggestions))
		}
	}
}

func TestCardsCarryOnlyVerifiedLinksAndSources(t *testing.T) {
	b := dialogtest.New(t)
	for _, c := range dialogtest.Catalog(t).Taxonomy.Categories {
		a := act(t, b, "", bot.Action{Kind: bot.ActionCategory, Value: c.ID})
		for _, card := range a.Cards {
			in, _ := dialogtest.Catalog(t).Initiative(card.ID)
			if (in.URL == nil) != (card.URL == "") {
				t.Errorf("card %s URL %q; knowledge URL %v", card.ID, card.URL, in.URL)
			}
			if len(card.Sources) == 0 || card.Citation == "" {
				t.Errorf("card %s has no source citation", card.ID)
			}
		}
	}
}

func TestBadInputIsBounded(t *testing.T) {
	b := dialogtest.New(t)
	inputs := []string{
		strings.Repeat("中小企業のセキュリティ", 10000), // about 100 KB
		"\xff\xfe\xfd invalid",
		strings.Repeat("🙂", 30000),
		"\x00\x01\x02",
	}
	for _, in := range inputs {
		start := time.Now()
		a := ask(t, b, "", in)
		if a.Text == "" {
			t.Errorf("Answer(%d bytes) has no text", len(in))
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("Answer(%d bytes) took %v", len(in), d)
		}
	}
}

// failingStore fails every call, like Redis during an outage.
type failingStore struct{}

func (failingStore) Load(context.Context, string) (bot.State, error) {
	return bot.State{}, errors.New("down")
}
func (failingStore) Save(context.Context, string, bot.State) error { return errors.New("down") }
func (failingStore) Delete(context.Context, string) error          { return errors.New("down") }

func TestStoreOutageStillAnswers(t *testing.T) {
	b := dialogtest.WithStore(t, failingStore{})
	a := ask(t, b, "c", "セキュリティ・キャンプ")
	if !a.Confident || len(a.Cards) == 0 {
		t.Errorf("answer during a store outage = %+v; want programmes", a)
	}
	if err := b.Forget(context.Background(), "c"); err == nil {
		t.Error("Forget during an outage returned no error")
	}
}

func TestCancelledContext(t *testing.T) {
	b := dialogtest.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := b.Answer(ctx, bot.Question{Text: "CTF"}); err == nil {
		t.Error("Answer with a cancelled context returned no error")
	}
}

func TestConcurrentAnswers(t *testing.T) {
	b := dialogtest.New(t)
	qs := []string{"子どものスマホが心配", "security camp", "もっと", "1", "中小企業向けの支援を全部", "hello"}
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 20 {
				q := qs[(i+j)%len(qs)]
				if _, err := b.Answer(context.Background(), bot.Question{Conversation: "c" + string(rune('a'+i%4)), Text: q}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestSwapWhileAnswering replaces the knowledge again and again while
// answers run: every answer is whole (no error, well formed) and the
// engine ends on the last version swapped in.
func TestSwapWhileAnswering(t *testing.T) {
	e := dialogtest.New(t)
	versions := make([]*dialog.Knowledge, 2)
	for i := range versions {
		k, err := dialog.NewKnowledge(dialogtest.Catalog(t))
		if err != nil {
			t.Fatal(err)
		}
		versions[i] = k
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; ctx.Err() == nil; j++ {
				a, err := e.Answer(context.Background(), bot.Question{Conversation: fmt.Sprint("swap", i), Text: []string{"security camp", "もっと", "2"}[j%3]})
				if err != nil {
					t.Error(err)
					return
				}
				if p := bottest.Problems(a); len(p) > 0 {
					t.Errorf("answer during a swap: %v", p)
					return
				}
			}
		}()
	}
	for i := range 30 {
		old := e.Swap(versions[i%len(versions)])
		if old == nil {
			t.Fatal("Swap returned no previous version")
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	wg.Wait()
	if e.Knowledge() != versions[29%len(versions)] {
		t.Error("Knowledge() is not the last version swapped in")
	}
}

// TestCardNumbersAcrossPages: after "more" shows cards 6–10, a number
// means the card labelled with it, on either page, however it is
// written; a number no card carries gets a hint, not another programme.
func TestCardNumbersAcrossPages(t *testing.T) {
	b := dialogtest.New(t)
	const conv = "test:numbers"
	first := act(t, b, conv, bot.Action{Kind: bot.ActionCategory, Value: "youth"})
	more := ask(t, b, conv, "もっと")
	if more.Offset != 5 || len(more.Cards) < 2 {
		t.Fatalf("もっと = offset %d, %d cards; want a second page", more.Offset, len(more.Cards))
	}
	for _, tt := range []struct {
		text string
		want string
	}{
		{"2", first.Cards[1].ID},
		{"②", first.Cards[1].ID},
		{"2番", first.Cards[1].ID},
		{"#2", first.Cards[1].ID},
		{"no. 2", first.Cards[1].ID},
		{"No.7", more.Cards[1].ID},
		{"7番目", more.Cards[1].ID},
		{"6", more.Cards[0].ID},
	} {
		a := ask(t, b, conv, tt.text)
		if a.Kind != bot.KindDetails || len(a.Cards) != 1 || a.Cards[0].ID != tt.want {
			t.Errorf("%q = %s %v; want details of %s", tt.text, a.Kind, cardIDs(a.Cards), tt.want)
		}
	}
	shown := more.Offset + len(more.Cards)
	beyond := fmt.Sprint(shown + 1)
	a := ask(t, b, conv, beyond)
	if a.Kind == bot.KindDetails || len(a.Cards) > 0 || !strings.Contains(a.Text, fmt.Sprint(shown)) {
		t.Errorf("%s (beyond the %d cards shown) = %s %q; want a hint naming 1–%d", beyond, shown, a.Kind, a.Text, shown)
	}
}

// TestGreetingWithAWord: a greeting and words that ask for nothing are a
// greeting; a greeting before a question is answered as the question.
func TestGreetingWithAWord(t *testing.T) {
	b := dialogtest.New(t)
	for _, text := range []string{"Hello, world", "hi bot", "hey there, bot", "good morning, supportbot", "こんにちは、ボットさん", "こんにちは！よろしく"} {
		if a := ask(t, b, "", text); a.Kind != bot.KindGreeting {
			t.Errorf("%q = %s %q; want the greeting", text, a.Kind, a.Text)
		}
	}
	for _, text := range []string{"hello, is there security training for teachers?", "こんにちは。子どものスマホが心配です"} {
		if a := ask(t, b, "", text); a.Kind == bot.KindGreeting || len(a.Cards) == 0 {
			t.Errorf("%q = %s with %d cards; want programmes", text, a.Kind, len(a.Cards))
		}
	}
	if a := ask(t, b, "", "hello, what's the weather in Osaka"); a.Kind == bot.KindGreeting || a.Confident {
		t.Errorf("a greeting before an off-topic question = %s, confident %v; want no programme and no greeting", a.Kind, a.Confident)
	}
}

// TestAttachments: words that came with a file are answered, saying the
// file is not read; a file alone gets the hint to write instead.
func TestAttachments(t *testing.T) {
	b := dialogtest.New(t)
	a, err := b.Answer(context.Background(), bot.Question{Text: "this is a phishing mail, right? what do I do", Attachments: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(a.Text, "I can't open files") || len(a.Cards)+len(a.Contacts) == 0 {
		t.Errorf("text with a file = %s %q, %d cards; want the note, then the answer", a.Kind, a.Text, len(a.Cards))
	}
	a, err = b.Answer(context.Background(), bot.Question{Attachments: 2, Lang: bot.Japanese})
	if err != nil {
		t.Fatal(err)
	}
	if a.Kind != bot.KindUnsupported {
		t.Errorf("a file alone = %s %q; want the hint to write", a.Kind, a.Text)
	}
}

// TestNewOverBuiltKnowledge: an engine made over a version built
// beforehand answers from that very version (a reload checks a version
// with such an engine before it goes live).
func TestNewOverBuiltKnowledge(t *testing.T) {
	k, err := dialog.NewKnowledge(dialogtest.Catalog(t))
	if err != nil {
		t.Fatal(err)
	}
	e, err := dialog.New(dialog.Config{Knowledge: k})
	if err != nil {
		t.Fatal(err)
	}
	if e.Knowledge() != k {
		t.Error("Knowledge() is not the version the engine was made over")
	}
	a, err := e.Answer(context.Background(), bot.Question{Text: "SecHack365に応募したい"})
	if err != nil || !a.Confident || len(a.Cards) == 0 {
		t.Errorf("Answer = %+v, %v; want programmes", a.Kind, err)
	}
}

// TestFeedback covers the engine's words for a vote the question log has
// recorded ("up", "down") or refused (""), and a raw ballot that reached
// the engine without a log to check it.
func TestFeedback(t *testing.T) {
	b := dialogtest.New(t)
	tests := []struct {
		value    string
		lang     bot.Lang
		contacts bool
		text     string
	}{
		{"up", bot.Japanese, false, "ありがとう"},
		{"down", bot.Japanese, true, "すみません"},
		{"", bot.Japanese, false, "受け付けられませんでした"},
		{"up.AbCdEfGhIjKlMnOp.tag", bot.Japanese, false, "受け付けられませんでした"},
		{"sideways", bot.English, false, "could not be accepted"},
		{"down", bot.English, true, "did not help"},
	}
	for _, tt := range tests {
		t.Run(tt.value+"/"+string(tt.lang), func(t *testing.T) {
			q := bot.Question{Conversation: "test:fb", Lang: tt.lang, Channel: "test", Action: &bot.Action{Kind: bot.ActionFeedback, Value: tt.value}}
			if tt.lang == bot.English {
				q.Conversation = "test:fb:en"
			}
			a, err := b.Answer(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			if a.Kind != bot.KindFeedback || !strings.Contains(a.Text, tt.text) {
				t.Errorf("feedback %q = %s %q; want kind feedback saying %q", tt.value, a.Kind, a.Text, tt.text)
			}
			if got := len(a.Contacts) > 0; got != tt.contacts {
				t.Errorf("feedback %q: contact points %v; want %v", tt.value, got, tt.contacts)
			}
			if len(a.Suggestions) == 0 || a.Confident || len(a.Cards) > 0 {
				t.Errorf("feedback %q: %d suggestions, confident %v, %d cards; want the menu and no cards", tt.value, len(a.Suggestions), a.Confident, len(a.Cards))
			}
			if p := bottest.Problems(a); len(p) > 0 {
				t.Errorf("feedback %q: %v", tt.value, p)
			}
		})
	}
}

// TestSlowDownSpeaksTheirLanguage: a rate-limit notice is in the language
// of the words that went over the limit, even before any answer saved one.
func TestSlowDownSpeaksTheirLanguage(t *testing.T) {
	b := dialogtest.New(t)
	for _, tt := range []struct {
		text string
		want bot.Lang
	}{{"more please", bot.English}, {"もっと見せて", bot.Japanese}} {
		a, err := b.Answer(context.Background(), bot.Question{Conversation: "test:slow:" + tt.text, Text: tt.text, Action: &bot.Action{Kind: bot.ActionSlowDown}})
		if err != nil {
			t.Fatal(err)
		}
		if a.Kind != bot.KindSlowDown || a.Lang != tt.want {
			t.Errorf("notice for %q = %s in %s; want slow_down in %s", tt.text, a.Kind, a.Lang, tt.want)
		}
	}
}
