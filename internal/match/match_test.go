package match_test

import (
	"slices"
	"sync"
	"testing"

	"github.com/supportbot/supportbot/internal/analysis"
	"github.com/supportbot/supportbot/internal/catalog"
	"github.com/supportbot/supportbot/internal/dialog/dialogtest"
	"github.com/supportbot/supportbot/internal/match"
	"github.com/supportbot/supportbot/knowledge"
	"github.com/supportbot/supportbot/seeds"
)

var (
	once sync.Once
	ix   *match.Index
	an   *analysis.Analyzer
	err  error
)

func index(t testing.TB) (*match.Index, *analysis.Analyzer) {
	t.Helper()
	once.Do(func() {
		var cat *catalog.Catalog
		if cat, err = catalog.Load(knowledge.FS, seeds.FS); err != nil {
			return
		}
		if an, err = analysis.New(cat.Vocabulary); err != nil {
			return
		}
		ix = match.New(cat, an)
	})
	if err != nil {
		t.Fatal(err)
	}
	return ix, an
}

func TestRankTop(t *testing.T) {
	ix, an := index(t)
	tests := []struct {
		q   string
		top string
	}{
		{"セキュリティ・キャンプ", "security-camp"},
		{"せきゅりてぃきゃんぷ", "security-camp"},
		{"ＳｅｃＨａｃｋ３６５", "sechack365"},
		{"お助け隊", "otasuketai"},
		{"e-ネットキャラバン", "e-net-caravan"},
		{"SPREADの検定", "spread-supporter-exam"},
		{"金融機関向けの演習", "f-isac-regional-workshops"},
		{"Kansai security events", "kansai-cybersecurity-network"},
		{"factory IoT security guide", "iiot-first-step"},
		{"grants for NPOs in our region", "grafsec-grants"},
	}
	for _, tt := range tests {
		r := ix.Rank(an.Analyze(tt.q))
		if !r.Confident || len(r.Results) == 0 || r.Results[0].Initiative.ID != tt.top {
			got := "nothing"
			if len(r.Results) > 0 {
				got = r.Results[0].Initiative.ID
			}
			t.Errorf("Rank(%q) top = %s (confident %v); want %s", tt.q, got, r.Confident, tt.top)
		}
	}
}

func TestRankCategoryAndUrgent(t *testing.T) {
	ix, an := index(t)
	tests := []struct {
		q        string
		category string
		urgent   bool
	}{
		{"中小企業向けの支援を全部", "sme", false},
		{"youth", "youth", false},
		{"子ども向けの取組を一覧で", "youth", false},
		{"地域の取組", "regional", false},
		{"中小企業のセキュリティ相談窓口", "", false},
		{"ランサムウェアに感染した", "", true},
		{"my company got hacked", "", true},
	}
	for _, tt := range tests {
		r := ix.Rank(an.Analyze(tt.q))
		if r.Category != tt.category || r.Urgent != tt.urgent {
			t.Errorf("Rank(%q) = category %q urgent %v; want %q %v", tt.q, r.Category, r.Urgent, tt.category, tt.urgent)
		}
	}
}

// TestRankUrgentLeadsWithHelp: in trouble now, the programmes that help
// with trouble come before programmes that only share words with the
// message ("network" here).
func TestRankUrgentLeadsWithHelp(t *testing.T) {
	ix, an := index(t)
	for _, q := range []string{
		"ransomware is spreading in our office network",
		"社内ネットワークがウイルスに感染した",
		"we got hacked, is there a conference or network that can help",
	} {
		r := ix.Rank(an.Analyze(q))
		if !r.Urgent || len(r.Results) == 0 {
			t.Errorf("Rank(%q): urgent %v, %d results; want urgent with results", q, r.Urgent, len(r.Results))
			continue
		}
		if top := r.Results[0].Initiative; !slices.Contains(top.Kinds, "consultation") && !slices.Contains(top.Kinds, "incident-support") {
			t.Errorf("Rank(%q) leads with %s (kinds %v); want a consultation or incident-support programme", q, top.ID, top.Kinds)
		}
	}
}

func TestRankOutOfScope(t *testing.T) {
	ix, an := index(t)
	for _, q := range []string{"おすすめの映画", "電車の時刻表", "what time is it", "recommend a good restaurant", "明日の天気は？", "tell me a joke", "ゲームのおすすめ", ""} {
		if r := ix.Rank(an.Analyze(q)); r.Confident {
			t.Errorf("Rank(%q) confident with %s; want no programme", q, r.Results[0].Initiative.ID)
		}
	}
}

func TestRankExplains(t *testing.T) {
	ix, an := index(t)
	r := ix.Rank(an.Analyze("SecHack365"))
	if len(r.Results) == 0 || len(r.Results[0].Evidence) == 0 || r.Results[0].Evidence[0].Kind != "name" {
		t.Fatalf("Rank(SecHack365) evidence = %+v; want a name match first", r.Results)
	}
	for _, res := range r.Results {
		sum := 0.0
		for _, e := range res.Evidence {
			sum += e.Weight
		}
		if d := sum - res.Score; d > 0.05 || d < -0.05 {
			t.Errorf("%s: evidence sums to %.3f, score %.3f", res.Initiative.ID, sum, res.Score)
		}
	}
}

func BenchmarkRank(b *testing.B) {
	ix, an := index(b)
	q := an.Analyze("従業員5人でIT担当いないんだけど何からやればいい？")
	b.ReportAllocs()
	for b.Loop() {
		ix.Rank(q)
	}
}

// BenchmarkRankLoad ranks the load generator's twelve questions, analysed
// beforehand, one iteration all twelve: the matcher's share of the
// engine's work under load.
func BenchmarkRankLoad(b *testing.B) {
	ix, an := index(b)
	qs := make([]analysis.Query, len(dialogtest.LoadQuestions))
	for i, text := range dialogtest.LoadQuestions {
		qs[i] = an.Analyze(text)
	}
	b.ReportAllocs()
	for b.Loop() {
		for i := range qs {
			ix.Rank(qs[i])
		}
	}
}

// TestRankRefined checks that a question the bot asked back about, with
// the person's choice added, is not judged by the scope model: its words
// and the bot's own are answered, not turned away.
func TestRankRefined(t *testing.T) {
	ix, an := index(t)
	q := an.Analyze("job security in IT jobs")
	if r := ix.Rank(q); r.Scope.Out == 0 {
		t.Fatalf("Rank(%q): the scope model did not judge it about something else; pick a question it does", q.Text)
	}
	if r := ix.RankRefined(q); r.Scope.Out != 0 {
		t.Errorf("RankRefined(%q).Scope.Out = %v; want the scope model not asked", q.Text, r.Scope.Out)
	}
}
