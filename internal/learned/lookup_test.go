package learned

import (
	"io"
	"strings"
	"testing"
)

// TestLookup holds the shared lookup of the shipped models to their
// index maps: every feature of each found at its index on its side,
// none of the other model's features and no near miss found.
func TestLookup(t *testing.T) {
	s := shipped()
	if s.scopeErr != nil || s.programmesErr != nil {
		t.Fatalf("shipped models: %v, %v", s.scopeErr, s.programmesErr)
	}
	if s.scope.look != s.programmes.look {
		t.Fatal("the shipped models do not share their lookup")
	}
	look := s.scope.look
	// The index maps, which a model keeps only while it is built.
	scope, err := parseScope(shippedScopeFile)
	if err != nil {
		t.Fatal(err)
	}
	programmes, err := parseProgrammes(shippedProgrammesFile)
	if err != nil {
		t.Fatal(err)
	}
	sides := [2]map[string]int32{scopeSide: scope.index, programmesSide: programmes.index}
	for side, index := range sides {
		for f, want := range index {
			if i, ok := look.find([]byte(f), side); !ok || i != want {
				t.Fatalf("find(%q, %d) = %d, %v; want %d, true", f, side, i, ok, want)
			}
			for _, g := range []string{f + "x", f[:len(f)-1], f + "\x00", "\x00" + f} {
				_, in := index[g]
				if i, ok := look.find([]byte(g), side); ok != in || ok && i != index[g] {
					t.Fatalf("find(%q, %d) = %d, %v; want %d, %v", g, side, i, ok, index[g], in)
				}
			}
			_, other := sides[1-side][f]
			if _, ok := look.find([]byte(f), 1-side); ok != other {
				t.Fatalf("find(%q, %d): found %v; want %v", f, 1-side, ok, other)
			}
		}
	}
	// Written from the lookup, the models are the files they were read from.
	for file, m := range map[string]interface{ Write(w io.Writer) error }{shippedScopeFile: s.scope, shippedProgrammesFile: s.programmes} {
		var b strings.Builder
		if err := m.Write(&b); err != nil {
			t.Fatal(err)
		}
		if b.String() != file {
			t.Errorf("%T.Write differs from the file it was read from", m)
		}
	}
	// A model of its own has a lookup of its own.
	own := newLookup(map[string]int32{"b:料金": 7}, nil)
	if i, ok := own.find([]byte("b:料金"), scopeSide); !ok || i != 7 {
		t.Errorf("find(b:料金) = %d, %v; want 7, true", i, ok)
	}
	if _, ok := own.find([]byte("b:料金"), programmesSide); ok {
		t.Error("find(b:料金) on the other side found it")
	}
}
