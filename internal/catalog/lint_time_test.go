package catalog

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestPresentTense(t *testing.T) {
	for _, tt := range []struct {
		text, want string
	}{
		{"文部科学省が「ネットモラルキャラバン隊」を続けて行います。", "続けて"},
		{"中小企業のニーズに合ったサービスを地域で実証します。", "します"},
		{"講師を派遣しています。", "しています"},
		{"2019年の計画では、対策集を作り、理解を広めます。", "…ます"},
		{"2019年の計画では、対策集を作るとしていました。", ""},
		{"2019年の計画では、4,347人が参加しました。", ""},
		// A title in quotes is not the summary's own tense.
		{"2019年の計画では、「続けて学びます」という講座を開くとしていました。", ""},
	} {
		if got := presentJA(tt.text); got != tt.want {
			t.Errorf("presentJA(%q) = %q; want %q", tt.text, got, tt.want)
		}
	}
	for _, tt := range []struct {
		text, want string
	}{
		{"MEXT continues the Net Moral Caravan for parents.", "continues"},
		{"FMMC, MIC and MEXT keep running it; METI runs a trial.", "runs"},
		{"The council will hold a contest.", "will"},
		{"Seminars are held across Japan.", "are held"},
		{"Under the 2019 plan, MEXT was to go on holding the Net Moral Caravan.", ""},
		{`Under the 2019 plan, JPCERT/CC was to promote "Security Keeps Running".`, ""},
	} {
		if got := presentEN(tt.text); got != tt.want {
			t.Errorf("presentEN(%q) = %q; want %q", tt.text, got, tt.want)
		}
	}
}

// TestLintAllowSilences checks the escape hatch: with a reason, lint_allow
// silences a rule for one initiative.
func TestLintAllowSilences(t *testing.T) {
	kb := overlay(t, "").(fstest.MapFS)
	b := string(kb["initiatives/b.yaml"].Data)
	b = strings.Replace(b, `summary: {ja: 2019年の計画では、セミナーを開くとしていました。, en: "Under the 2019 plan, seminars were to be held."}`,
		`summary: {ja: 「続けて学ぶセミナー」を開きます。, en: "The seminars are held every year."}`, 1)
	kb["initiatives/b.yaml"] = &fstest.MapFile{Data: []byte(b)}
	if ps := Lint(kb, os.DirFS("testdata/lint/seed")); len(ps) != 4 {
		t.Fatalf("present-tense summary: %d problems; want 4 (plan voice and tense, both languages):\n%v", len(ps), ps)
	}
	b += "lint_allow:\n  plan-voice: a fixture of the escape hatch\n  summary-tense: a fixture of the escape hatch\n"
	kb["initiatives/b.yaml"] = &fstest.MapFile{Data: []byte(b)}
	for _, p := range Lint(kb, os.DirFS("testdata/lint/seed")) {
		t.Errorf("with lint_allow: %s", p)
	}
}

func TestLineSafe(t *testing.T) {
	for _, tt := range []struct {
		raw     string
		ok      bool
		suggest string
	}{
		{"https://www.ipa.go.jp/security/sme/otasuketai/otasuketai-faq.html", true, ""},
		{"https://example.org/search?q=%E3%81%82&x=1#top", true, ""},
		{"https://example.org/ハンドブック", false, "https://example.org/%E3%83%8F%E3%83%B3%E3%83%89%E3%83%96%E3%83%83%E3%82%AF"},
		{"https://example.org/a b.html", false, "https://example.org/a%20b.html"},
		{"https://example.org/100%", false, ""},
		{"https://example.org/a|b", false, "https://example.org/a%7Cb"},
	} {
		ok, suggest := lineSafe(tt.raw)
		if ok != tt.ok || suggest != tt.suggest {
			t.Errorf("lineSafe(%q) = %v, %q; want %v, %q", tt.raw, ok, suggest, tt.ok, tt.suggest)
		}
	}
}

func TestOrganizationDisplay(t *testing.T) {
	nco := &Organization{Name: Text{"国家サイバー統括室", "National Cybersecurity Office"}, Short: Text{EN: "NCO"}, Former: Text{"NISC", "NISC"}}
	ipa := &Organization{Name: Text{"独立行政法人情報処理推進機構", "Information-technology Promotion Agency, Japan"}, Short: Text{"IPA", "IPA"}}
	isac := &Organization{Name: Text{"一般社団法人金融ISAC", "Financials ISAC Japan"}, Short: Text{JA: "金融ISAC"}}
	for _, tt := range []struct {
		o          *Organization
		lang, want string
	}{
		{nco, "ja", "国家サイバー統括室（旧NISC）"},
		{nco, "en", "National Cybersecurity Office (NCO, formerly NISC)"},
		{ipa, "ja", "独立行政法人情報処理推進機構（IPA）"},
		{ipa, "en", "Information-technology Promotion Agency, Japan (IPA)"},
		// A short form in one language is never shown in the other.
		{isac, "ja", "一般社団法人金融ISAC"},
		{isac, "en", "Financials ISAC Japan"},
	} {
		if got := tt.o.Display(tt.lang); got != tt.want {
			t.Errorf("Display(%s) = %q; want %q", tt.lang, got, tt.want)
		}
	}
}

func TestStaleFacts(t *testing.T) {
	c, err := Load(overlay(t, ""), os.DirFS("testdata/lint/seed"))
	if err != nil {
		t.Fatal(err)
	}
	checked := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	if _, stale := c.StaleFacts(checked.AddDate(0, 0, 180), DefaultMaxFactsAge); stale {
		t.Error("facts 180 days old are stale; want them fresh up to the limit")
	}
	p, stale := c.StaleFacts(checked.AddDate(0, 0, 181), DefaultMaxFactsAge)
	if !stale || p.String() != "meta.yaml:1: warning: facts_checked 2026-11-28 is 181 days old (more than 180): check the links, statuses and facts against their sources, update their seen dates and facts_checked" {
		t.Errorf("StaleFacts after 181 days = %q, %v; want a warning naming meta.yaml:1", p, stale)
	}
	if _, stale := c.StaleFacts(checked.AddDate(0, 0, 31), 30*24*time.Hour); !stale {
		t.Error("a 30-day limit did not warn after 31 days")
	}
}

func TestUnits(t *testing.T) {
	for s, want := range map[string]int{"Young talent": 12, "Children, parents and schools": 29, "子ども・保護者・学校": 10, "🔒鍵": 3} {
		if got := units(s); got != want {
			t.Errorf("units(%q) = %d; want %d", s, got, want)
		}
	}
}

func ExampleMonth() {
	fmt.Println(Month("2026-11-28", "ja"))
	fmt.Println(Month("2026-11", "en"))
	fmt.Println(Month("around 2019", "en"))
	// Output:
	// 2026年11月
	// November 2026
	// around 2019
}
