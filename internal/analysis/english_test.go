package analysis

import (
	"strings"
	"testing"
)

// TestEnglishSorted checks that the word list is in byte order, which
// isEnglish's binary search relies on, and that every word of it is
// found and a few others are not.
func TestEnglishSorted(t *testing.T) {
	starts := englishStarts()
	if len(starts) < 20000 {
		t.Fatalf("%d English words; want the whole list", len(starts))
	}
	prev := ""
	for _, at := range starts {
		w := englishLine(at)
		if w <= prev {
			t.Fatalf("english.txt: %q after %q: the list must be sorted in byte order (LC_ALL=C sort -u)", w, prev)
		}
		if !isEnglish(w) {
			t.Errorf("isEnglish(%q) = false for a word of the list", w)
		}
		prev = w
	}
	for _, w := range []string{"colleague", "provide"} {
		if !isEnglish(w) {
			t.Errorf("isEnglish(%q) = false", w)
		}
	}
	for _, w := range []string{"", "#", "seccon", "otasuketai", strings.Repeat("z", 30), "aaaa0"} {
		if isEnglish(w) {
			t.Errorf("isEnglish(%q) = true", w)
		}
	}
}
