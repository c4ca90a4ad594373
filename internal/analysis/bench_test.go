package analysis

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/supportbot/supportbot/internal/catalog"
	"github.com/supportbot/supportbot/knowledge"
	"github.com/supportbot/supportbot/seeds"
)

var (
	shippedOnce sync.Once
	shippedCat  *catalog.Catalog
	shippedErr  error
)

// shippedCatalog loads the shipped knowledge once per test binary.
func shippedCatalog(tb testing.TB) *catalog.Catalog {
	tb.Helper()
	shippedOnce.Do(func() { shippedCat, shippedErr = catalog.Load(knowledge.FS, seeds.FS) })
	if shippedErr != nil {
		tb.Fatalf("catalog.Load: %v", shippedErr)
	}
	return shippedCat
}

// shippedAnalyzer is an analyser of the shipped vocabulary, with the
// programmes' terms as its dictionary, as the engine builds it.
func shippedAnalyzer(tb testing.TB) *Analyzer {
	tb.Helper()
	cat := shippedCatalog(tb)
	var terms []string
	for _, in := range cat.Initiatives {
		terms = append(terms, in.Name.EN)
		terms = append(terms, in.Aliases.All()...)
		terms = append(terms, in.Keywords.All()...)
	}
	a, err := New(cat.Vocabulary, WithDictionary(terms...))
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

// catalogLexicon holds the terms the matcher looks for beside the
// vocabulary's: programme names, aliases and keywords, situation cues,
// and the facets' words (as written), each term its own ref.
func catalogLexicon(tb testing.TB) *Lexicon {
	tb.Helper()
	cat := shippedCatalog(tb)
	l := NewLexicon(cat.Vocabulary.Capitals...)
	ref := 0
	add := func(exact bool, terms ...string) {
		for _, t := range terms {
			if exact {
				l.AddExact(t, ref)
			} else {
				l.Add(t, ref)
			}
			ref++
		}
	}
	for _, in := range cat.Initiatives {
		add(false, in.Name.JA, in.Name.EN)
		add(false, in.Aliases.All()...)
		add(false, in.Keywords.All()...)
	}
	for _, s := range cat.Situations {
		for _, c := range s.Cues {
			add(false, c.JA...)
			add(false, c.EN...)
		}
	}
	for i := range cat.Taxonomy.Organizations {
		add(true, cat.Taxonomy.Organizations[i].Names()...)
	}
	for _, a := range cat.Taxonomy.Audiences {
		add(true, a.Terms.All()...)
	}
	for _, k := range cat.Taxonomy.Kinds {
		add(true, k.Terms.All()...)
	}
	return l
}

// questions reads the questions of the JSON Lines files matching pattern
// (relative to this package), in order.
func questions(tb testing.TB, pattern string) []string {
	tb.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		tb.Fatalf("no files match %s (%v)", pattern, err)
	}
	var out []string
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			tb.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var rec struct {
				Q string `json:"q"`
			}
			if len(sc.Bytes()) == 0 {
				continue
			}
			if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
				tb.Fatalf("%s: %v", name, err)
			}
			out = append(out, rec.Q)
		}
		f.Close()
		if err := sc.Err(); err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
	}
	return out
}

// benchQuestions are the load generator's twelve questions
// (dialogtest.LoadQuestions, which this package cannot import), split by
// language.
var benchQuestions = map[string][]string{
	"ja": {
		"中小企業向けの支援",
		"従業員5人でIT担当いないんだけど何からやればいい？",
		"子どものスマホが心配",
		"CTFに参加したい",
		"学校で出前授業をしてほしい",
		"詐欺にあったかもしれない",
		"地域でセキュリティの勉強会を開きたい",
	},
	"en": {
		"support for small businesses",
		"free security training for teachers at our school",
		"my kid got a scam message on their phone",
		"how can students join a security contest",
		"help",
	},
}

// BenchmarkAnalyze analyses the load generator's questions of a
// language, one iteration all of them.
func BenchmarkAnalyze(b *testing.B) {
	a := shippedAnalyzer(b)
	for _, lang := range []string{"ja", "en"} {
		b.Run(lang, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, s := range benchQuestions[lang] {
					a.Analyze(s)
				}
			}
		})
	}
}

// BenchmarkFindAll scans analysed questions with the vocabulary's lexicon
// and with the matcher's terms (names, keywords, cues, facets), one
// iteration every question of the development set of a language.
func BenchmarkFindAll(b *testing.B) {
	a := shippedAnalyzer(b)
	lexicons := []struct {
		name string
		lex  *Lexicon
	}{{"vocabulary", a.lex}, {"catalog", catalogLexicon(b)}}
	qs := map[string][]Query{}
	for _, s := range questions(b, "../evaluate/testdata/dev.jsonl") {
		q := a.Analyze(s)
		if q.Lang == "en" {
			qs["en"] = append(qs["en"], q)
		} else {
			qs["ja"] = append(qs["ja"], q)
		}
	}
	for _, l := range lexicons {
		for _, lang := range []string{"ja", "en"} {
			b.Run(l.name+"/"+lang, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					for i := range qs[lang] {
						l.lex.FindAll(&qs[lang][i])
					}
				}
			})
		}
	}
}
