package catalog

import (
	"strings"
	"sync"
	"testing"

	"github.com/supportbot/supportbot/knowledge"
	"github.com/supportbot/supportbot/seeds"
)

// The bilingual review of the knowledge base (shared/knowledge-review.md)
// found wrong names, unsupported claims and awkward wording. Each row is
// checked here against the shipped knowledge, beside the lint rules that
// now catch whole classes of them (lint_time.go). Every check failed on
// the text the review read.

var (
	shippedOnce sync.Once
	shipped     *Catalog
	shippedErr  error
)

func shippedCatalog(t *testing.T) *Catalog {
	t.Helper()
	shippedOnce.Do(func() { shipped, shippedErr = Load(knowledge.FS, seeds.FS) })
	if shippedErr != nil {
		t.Fatal(shippedErr)
	}
	return shipped
}

// readable is every text of an initiative a person reads, in one language.
func readable(in *Initiative, lang string) string {
	parts := []string{in.Name.In(lang), in.Summary.In(lang), in.NextStep.In(lang)}
	if in.Status != nil {
		parts = append(parts, in.Status.Text.In(lang))
	}
	for _, f := range in.Facts {
		parts = append(parts, f.Text.In(lang))
	}
	return strings.Join(parts, "\n")
}

func TestReviewRows(t *testing.T) {
	c := shippedCatalog(t)
	in := func(id string) *Initiative {
		t.Helper()
		x, ok := c.Initiative(id)
		if !ok {
			t.Fatalf("no initiative %q", id)
		}
		return x
	}
	org := func(id string) *Organization {
		t.Helper()
		o, ok := c.Organization(id)
		if !ok {
			t.Fatalf("no organization %q", id)
		}
		return o
	}
	cat := func(id string) Category {
		t.Helper()
		x, ok := c.Category(id)
		if !ok {
			t.Fatalf("no category %q", id)
		}
		return x
	}
	url := func(in *Initiative) string {
		if in.URL == nil {
			return ""
		}
		return in.URL.URL
	}
	type row struct {
		name      string
		text      func() string
		want      []string // each must appear
		forbidden []string // none may appear
	}
	rows := []row{
		// wrong
		{"categories youth, talent: English quick replies within LINE's 20", func() string { return cat("youth").Short.EN + "|" + cat("talent").Short.EN },
			[]string{"Children & schools|Young talent"}, nil},
		{"good-net: its own English name", func() string { return org("good-net").Display("en") + "\n" + readable(in("good-net-leaflets"), "en") },
			[]string{"Japan Internet Safety Promotion Association (JISPA)"}, []string{"Council for the Promotion of a Safer Internet"}},
		{"iiot-first-step: the official English title", func() string { return in("iiot-first-step").Name.EN + "\n" + in("iiot-first-step").Summary.EN },
			[]string{"Cyber Security First Step for Introducing IIoT to the Factory"}, []string{"Security First Step for introducing industrial IoT in factories"}},
		{"nisc: shown as the National Cybersecurity Office", func() string { return org("nisc").Display("en") + "\n" + org("nisc").Display("ja") },
			[]string{"National Cybersecurity Office (NCO, formerly NISC)", "国家サイバー統括室（旧NISC）"}, []string{"内閣サイバーセキュリティセンター"}},
		{"nisc-handbook: NISC as the body that was", func() string { return readable(in("nisc-handbook"), "ja") + readable(in("nisc-handbook"), "en") },
			[]string{"NISC（現・国家サイバー統括室）", "now the National Cybersecurity Office", "国家サイバー統括室（NCO）に改組"}, []string{"NISCのハンドブックのページで"}},
		// unsupported
		{"otasuketai, net-moral-caravan, train-the-trainer-seminar: the plan in the past", func() string {
			var b strings.Builder
			for _, id := range []string{"otasuketai", "net-moral-caravan", "train-the-trainer-seminar"} {
				b.WriteString(in(id).Summary.JA + "\n" + in(id).Summary.EN + "\n")
			}
			return b.String()
		}, []string{"地域で実証するとしていました", "was to go on holding the Net Moral Caravan", "were to hold \"train-the-trainer\" seminars"},
			[]string{"実証します", "MEXT continues", "続けて行います", "METI and IPA hold"}},
		{"police-cyber-volunteers: one Kanagawa page is no proof for every force", func() string {
			return readable(in("police-cyber-volunteers"), "ja") + readable(in("police-cyber-volunteers"), "en")
		},
			[]string{"設けている都道府県警察もあります（例：神奈川県警察）", "some forces have a page"},
			[]string{"各都道府県警察が", "都道府県警察はそれぞれ", "Each prefectural police force", "each prefectural police force"}},
		{"otasuketai fact 2: an undated page in the past", func() string {
			for _, f := range in("otasuketai").Facts {
				if f.Source == "https://www.meti.go.jp/policy/netsecurity/otasuketai_jissho.html" {
					return f.Text.JA + "\n" + f.Text.EN
				}
			}
			return ""
		},
			[]string{"募集していました（ページに日付はなく、2025年以降のものです）", "METI's undated page (from 2025 or later) invited"}, []string{"募っています", "METI invites"}},
		{"tcyss next_step.ja: news of 2016 and 2022 in the past", func() string { return in("tcyss").NextStep.JA },
			[]string{"答えていた窓口です（2016年・2022年の報道による）"}, []string{"答える窓口ですが"}},
		// awkward
		{"information-security-contest: no made-up romanisation", func() string { return readable(in("information-security-contest"), "en") },
			[]string{"IPA school contest on information security (ひろげよう情報セキュリティコンクール)"}, []string{"Hiroge-yo"}},
		{"information ethics, explained once per card", func() string {
			return in("information-security-contest").Summary.EN + "\n" + in("teacher-moral-education-training").Summary.EN
		}, []string{"information ethics (情報モラル: responsible conduct on the internet) and security", "information ethics (情報モラル: responsible conduct on the internet) and teaching with ICT"}, []string{"information morals"}},
		{"security-action: benefits for declaring; where to check", func() string { return readable(in("security-action"), "en") + readable(in("security-action"), "ja") },
			[]string{"create benefits for declaring", "公募要領"}, []string{"pay off", "ここでは確認できていません"}},
		{"nisc-handbook: plain wording", func() string { return readable(in("nisc-handbook"), "en") + readable(in("nisc-handbook"), "ja") },
			[]string{"to help them understand what to do", "理解を深めてもらう", "それまで別冊だった"}, []string{"spreads understanding", "理解を広げます", "別冊子"}},
		{"otasuketai next_step.ja: サービス once, paid", func() string { return in("otasuketai").NextStep.JA },
			[]string{"民間事業者の登録サービス（有料・月額）から選んでご契約ください"}, []string{"サービスを提供する民間事業者のサービス"}},
		{"stop-think-connect: plain wording and the alliance's site", func() string { return in("stop-think-connect").Summary.EN + "\n" + url(in("stop-think-connect")) },
			[]string{"helps small businesses train their staff in security", "https://staysafeonline.org/"}, []string{"helps security education"}},
		{"police: one name, polite requests", func() string {
			return readable(in("police-cyber-volunteers"), "en") + readable(in("sasebo-kosen-cyber-volunteers"), "ja")
		},
			[]string{"Police cybercrime-prevention talks and volunteers", "長崎県警察にご連絡ください"}, []string{"cyber-crime prevention seminars and cyber crime", "連絡してください"}},
		{"mic-regional-lectures: plain wording", func() string { return in("mic-regional-lectures").Summary.EN },
			[]string{"to help people learn about"}, []string{"So that people widely learn"}},
		{"grafsec-grants: plain wording and the operator's site", func() string {
			return in("grafsec-grants").Summary.EN + in("grafsec-grants").Summary.JA + url(in("grafsec-grants"))
		}, []string{"to boost their activities", "活動の活性化を後押し", "http://www.grafsec.or.jp/"}, []string{"livelier", "活動を活発にします"}},
		{"grafsec-national-conference: cancelled or postponed", func() string {
			return readable(in("grafsec-national-conference"), "en") + readable(in("grafsec-national-conference"), "ja")
		},
			[]string{"cancelled or postponed", "設立5周年の2020年度全国大会（3月予定）は", "中止・延期されました"}, []string{"3月開催（5周年）で予定されていた"}},
		{"lines 21, 18, 19: the verified facts of 2026-12 used", func() string {
			return url(in("iiot-first-step")) + url(in("supporter-lecturer-dispatch")) + readable(in("sme-learning-website"), "ja") + readable(in("iiot-first-step"), "ja")
		}, []string{"https://www.jpcert.or.jp/ics/ics-community.html", "https://www.ipa.go.jp/security/security-action/promotion/index.html", "情報セキュリティ対策支援サイト", "中小企業の情報セキュリティ対策ガイドライン", "2024年4月4日"}, nil},
		{"tcyss summary.ja: 窓口 once", func() string { return in("tcyss").Summary.JA },
			[]string{"電子申請・電話・対面で相談を受け付ける窓口"}, []string{"窓口で相談を受ける"}},
		{"e-net-caravan, safe-ict-slogan-contest: no charge; one name", func() string {
			return readable(in("e-net-caravan"), "en") + readable(in("e-net-caravan"), "ja") + in("safe-ict-slogan-contest").Name.EN
		}, []string{"There is no charge for the lecturer or travel.", "講師謝金・交通費はかかりません", "Slogan contest on safe and secure ICT use"},
			[]string{"fee and travel are free", "謝金・交通費は無料", "use of information and communications"}},
		{"FY2019 notes in both languages", func() string {
			var b strings.Builder
			for _, id := range []string{"nisc-handbook", "otasuketai", "teacher-moral-education-training", "sasebo-kosen-cyber-volunteers"} {
				b.WriteString(in(id).Summary.JA + "\n" + in(id).Summary.EN + "\n")
			}
			return b.String()
		}, []string{"（2019年度新規）", "(new in FY2019)", "2019年度から実施", "from FY2019", "（2019年度拡充）", "(expanded in FY2019)"}, nil},
		{"f-isac, anshin-council, mic-bureaus: no doubled names", func() string {
			return org("f-isac").Display("en") + "|" + org("anshin-council").Display("en") + "|" + org("mic-bureaus").Display("en")
		}, []string{"Financials ISAC Japan|Council for Safe and Secure Information and Communications|MIC regional bureaus of telecommunications"}, nil},
		{"ncsa: now the National Cybersecurity Alliance", func() string { return org("ncsa").Display("en") + "\n" + org("ncsa").Display("ja") },
			[]string{"US National Cybersecurity Alliance (formerly National Cyber Security Alliance)", "米国のNational Cybersecurity Alliance（旧National Cyber Security Alliance）"}, nil},
		{"security-camp-council: no unconfirmed legal form", func() string { return org("security-camp-council").Display("ja") },
			[]string{"セキュリティ・キャンプ協議会"}, []string{"一般社団法人"}},
		{"kinds and audiences: one style", func() string {
			return c.Kind("onsite-lecture").EN + "|" + c.Audience("general-public").EN + "|" + c.Kind("website").EN
		},
			[]string{"on-site lectures|general public|websites"}, nil},
	}
	for _, r := range rows {
		got := r.text()
		for _, w := range r.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: lacks %q in:\n%s", r.name, w, got)
			}
		}
		for _, f := range r.forbidden {
			if strings.Contains(got, f) {
				t.Errorf("%s: still says %q in:\n%s", r.name, f, got)
			}
		}
	}
	// The youth category no longer lists the talent programmes (SecHack365,
	// Security Camp, SECCON) under 「子ども・保護者・学校」.
	for _, x := range c.InCategory("youth") {
		if x.InSection(SectionTalent) && !x.InSection(SectionYouth) {
			t.Errorf("category youth lists %s, a talent programme", x.ID)
		}
	}
}

// TestTwoVoices reads every card as a person would: the summary tells the
// 2019 plan, the status tells now, with its date, and no summary of a
// programme not known to run as planned reads as today's offer.
func TestTwoVoices(t *testing.T) {
	c := shippedCatalog(t)
	for _, in := range c.Initiatives {
		if !strings.HasPrefix(in.Summary.JA, planVoiceJA) || !strings.HasPrefix(in.Summary.EN, planVoiceEN) {
			t.Errorf("%s: summary not in the plan's voice:\n%s\n%s", in.ID, in.Summary.JA, in.Summary.EN)
		}
		if in.State() != StateRunning {
			if m := presentJA(in.Summary.JA) + presentEN(in.Summary.EN); m != "" {
				t.Errorf("%s (%s): summary in the present tense (%s)", in.ID, in.State(), m)
			}
		}
		if in.Status != nil && (in.Status.Seen == "" || in.Status.State == "") {
			t.Errorf("%s: status without its date or state", in.ID)
		}
		if len(in.LintAllow) > 0 {
			t.Errorf("%s: lint_allow %v in the shipped knowledge; fix the text instead", in.ID, in.LintAllow)
		}
	}
	if got := c.Meta.FactsChecked; got == "" {
		t.Error("no facts_checked in meta.yaml")
	}
}
