package match_test

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/supportbot/supportbot/internal/analysis"
	"github.com/supportbot/supportbot/internal/catalog"
	"github.com/supportbot/supportbot/internal/match"
	"github.com/supportbot/supportbot/knowledge"
	"github.com/supportbot/supportbot/seeds"
)

// readingsPath is knowledge/readings.yaml from this package.
const readingsPath = "../../knowledge/" + catalog.ReadingsFile

// TestReadings holds knowledge/readings.yaml to the names of the
// knowledge base read with the full dictionary: every Japanese name of a
// programme or an organisation the dictionary can read, and nothing else.
// After a name is added or changed:
//
//	go test ./internal/match -run TestReadings -update
func TestReadings(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the full dictionary")
	}
	cat, err := catalog.Load(knowledge.FS, seeds.FS)
	if err != nil {
		t.Fatal(err)
	}
	rd, err := analysis.NewReader()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, in := range cat.Initiatives {
		names = append(names, in.Name.JA)
		names = append(names, in.Aliases.JA...)
	}
	for _, o := range cat.Taxonomy.Organizations {
		names = append(names, o.Names()...)
	}
	slices.Sort(names)
	names = slices.Compact(names)
	want := map[string]string{}
	var b bytes.Buffer
	b.WriteString(readingsHeader)
	for _, n := range names {
		if r, ok := rd.Reading(n); ok {
			want[n] = r
			fmt.Fprintf(&b, "  %q: %s\n", n, r)
		}
	}
	if *update {
		if err := os.WriteFile(readingsPath, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for n, r := range want {
		if got := cat.Readings[n]; got != r {
			t.Errorf("reading of %q: %q in %s, %q by the dictionary (run with -update)", n, got, catalog.ReadingsFile, r)
		}
	}
	for n := range cat.Readings {
		if _, ok := want[n]; !ok {
			t.Errorf("%s reads %q, which is no name of the knowledge base (run with -update)", catalog.ReadingsFile, n)
		}
	}
}

const readingsHeader = `# How the Japanese names of programmes and organisations are read aloud,
# in katakana (Latin letters and digits as written), so that a name
# written in romaji ("internet anzen kyoshitsu", "keisatsu") or in kana
# alone (いんたーねっとあんぜんきょうしつ) is found. Made from the full IPA
# dictionary, which the bot does not load: after adding or renaming a
# name, run
#
#   go test ./internal/match -run TestReadings -update
#
# A name the dictionary cannot read (an unknown word in kanji) has no
# reading; add none by hand for it unless you are sure how it is read.
readings:
`

// TestRankByReading finds Japanese names written as they are read — in
// romaji, beside the English word of the name, or in kana alone — and
// not in other words that share their sounds.
func TestRankByReading(t *testing.T) {
	ix, an := index(t)
	tests := []struct {
		q     string
		top   string // the first programme; "" when no reading may be found
		facet string // an organisation facet the reading names
	}{
		{"internet anzen kyoshitsu near me", "internet-safety-class", ""},
		{"Internet Anzen Kyōshitsu schedule", "internet-safety-class", ""},
		{"e-netto kyaraban no moushikomi houhou", "e-net-caravan", ""},
		{"けいさつのとりくみ", "", "npa"},
		{"Does keisatsu do seminar about cyber hanzai for local residents?", "", "npa"},
		{"soumushou no torikumi", "", "mic"},
		{"wifi password on the shinkansen?", "", ""},
		{"ねんきんネットの登録のしかたがさっぱりわからん", "", ""},
		{"管理職向けのメンタルヘルス研修を探しています", "", ""},
		{"スプレッドシートの関数がわからない", "", ""},
	}
	for _, tt := range tests {
		r := ix.Rank(an.Analyze(tt.q))
		var read []string
		for _, res := range r.Results {
			for _, e := range res.Evidence {
				if e.Kind == match.TranslitEvidence {
					read = append(read, res.Initiative.ID)
				}
			}
		}
		if tt.top != "" {
			if !r.Confident || r.Results[0].Initiative.ID != tt.top || !slices.Contains(read, tt.top) {
				t.Errorf("%q: want %s first, found by its reading; got confident=%v, read %v", tt.q, tt.top, r.Confident, read)
			}
		}
		if tt.facet != "" && !slices.ContainsFunc(r.Facets, func(f match.Facet) bool { return f.Type == match.ByOrganization && f.ID == tt.facet }) {
			t.Errorf("%q: want the organisation %s among the facets; got %v", tt.q, tt.facet, r.Facets)
		}
		if tt.top == "" && tt.facet == "" && len(read) > 0 {
			t.Errorf("%q: nothing may be read as a name; read %v", tt.q, read)
		}
	}
}
