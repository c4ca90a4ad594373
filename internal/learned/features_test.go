package learned_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/supportbot/supportbot/internal/dialog/dialogtest"
	"github.com/supportbot/supportbot/internal/learned"
)

// TestPhrases checks which questions have phrases: an English question
// has one for each two content words side by side (stop words between
// them do not part them); a Japanese one has none, even with English
// words in it.
func TestPhrases(t *testing.T) {
	an := dialogtest.Knowledge(t).Analyzer()
	for _, tt := range []struct {
		q    string
		want []string
	}{
		{"Do I need a security deposit for my flat?", []string{"secur deposit", "deposit flat"}},
		{"safety of food", []string{"safeti food"}},
		{"phishing", nil},
		{"SNSのアカウントが乗っ取られた", nil},
		{"会社のPCがvirusにやられた", nil},
	} {
		q := an.Analyze(tt.q)
		var got []string
		for _, f := range learned.Features(&q, an.Concepts()) {
			if p, ok := strings.CutPrefix(f, learned.Phrase); ok {
				got = append(got, p)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q: phrases %q, want %q", tt.q, got, tt.want)
		}
	}
}
