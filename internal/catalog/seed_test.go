package catalog

import (
	"testing"

	"github.com/supportbot/supportbot/seeds"
)

func shippedSeed(t *testing.T) *Seed {
	t.Helper()
	data, err := seeds.FS.ReadFile(seeds.File)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseSeed(seeds.File, data)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestParseSeedBullets(t *testing.T) {
	s := shippedSeed(t)
	if got := len(s.Bullets); got != 31 {
		t.Fatalf("ParseSeed: %d bullets; want 31", got)
	}
	relisted := 0
	for _, b := range s.Bullets {
		if b.Relist {
			relisted++
		}
	}
	if relisted != 3 {
		t.Errorf("ParseSeed: %d re-listings; want 3", relisted)
	}
	tests := []struct {
		line    int
		section Section
		note    string
		relist  bool
		suffix  string
	}{
		{11, SectionSME, "2019年度新規、資料1-1", false, "(NISC)"},
		{13, SectionSME, "2018年度補正で措置、2019年度より実施、資料1-6", false, "(経済産業省、IPA)"},
		{15, SectionSME, "", false, "(経済産業省、IPA)"},
		{28, SectionYouth, "資料1-3", false, "(警察庁、都道府県警察)"},
		{40, SectionYouth, "", false, "(安心ネットづくり促進協議会)"},
		{49, SectionTalent, "", false, "総務省）"},
		{51, SectionTalent, "", false, "（NPO日本ネットワークセキュリティ協会（JNSA））"},
		{57, SectionRegional, "資料1-3", true, "（警察庁、都道府県警察）"},
		{58, SectionRegional, "", false, "（総務省等）"},
		{59, SectionRegional, "2018年度補正で措置、2019年度より実施、資料1-6", true, "（経済産業省、IPA）"},
		{60, SectionRegional, "資料1-6", false, "関西情報センター））"},
		{61, SectionRegional, "2019年度拡充", true, "佐世保工業高等専門学校）"},
		{65, SectionRegional, "", false, "（一般社団法人金融ISAC）"},
	}
	for _, tt := range tests {
		b, ok := s.Bullet(tt.line)
		if !ok {
			t.Errorf("Bullet(%d): not a bullet", tt.line)
			continue
		}
		if b.Section != tt.section || b.Note != tt.note || b.Relist != tt.relist {
			t.Errorf("Bullet(%d) = section %q note %q relist %v; want %q %q %v", tt.line, b.Section, b.Note, b.Relist, tt.section, tt.note, tt.relist)
		}
		if len(b.Body) < len(tt.suffix) || b.Body[len(b.Body)-len(tt.suffix):] != tt.suffix {
			t.Errorf("Bullet(%d).Body ends %q; want suffix %q", tt.line, b.Body, tt.suffix)
		}
	}
	for _, pair := range [][2]int{{28, 57}, {13, 59}, {38, 61}} {
		a, _ := s.Bullet(pair[0])
		b, _ := s.Bullet(pair[1])
		if !SameText(a.Body, b.Body) {
			t.Errorf("SameText(line %d, line %d) = false; want true:\n%q\n%q", pair[0], pair[1], a.Body, b.Body)
		}
	}
}
