package questionlog

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"中小企業向けの支援", "中小企業向けの支援"},
		{"  spaces\tand\nlines  ", "spaces and lines"},
		{"全角　スペース", "全角 スペース"},
		{"ctrl\x00\x1b[31mred\x1b[0m", "ctrl [31mred [0m"},
		{"bidi \u202egnp.exe\u202c trick", "bidi gnp.exe trick"},
		{"zero\u200bwidth", "zero width"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
		{"電話 090-1234-5678", "電話 [phone]"},
		{"番号\u200b090-1234-5678", "番号 [phone]"}, // a hidden character does not hide a number
	}
	for _, tt := range tests {
		if got := clean(tt.in); got != tt.want {
			t.Errorf("clean(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
	long := strings.Repeat("あ", MaxText+10)
	if got := clean(long); utf8.RuneCountInString(got) != MaxText {
		t.Errorf("clean(%d characters) kept %d; want %d", MaxText+10, utf8.RuneCountInString(got), MaxText)
	}
	// Redaction comes before the cut: a number across the cut is gone, not
	// kept in part.
	edge := strings.Repeat("a", MaxText-5) + " 4111 1111 1111 1111"
	if got := clean(edge); strings.Contains(got, "4111") {
		t.Errorf("clean kept part of a card number across the cut: %q", got[len(got)-20:])
	}
}

// FuzzClean holds plain to squeeze: a question plain lets through is one
// squeeze leaves as it is.
func FuzzClean(f *testing.F) {
	for _, s := range []string{"", " ", "a", "a b", "a  b", " a", "a ", "中小企業向けの支援", "全角　スペース", "zero\u200bwidth",
		"bad \xff utf8", "tab\there", "del\x7f", "c1\u0085next", "nbsp\u00a0x", "help", "free security training for teachers"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if plain(s) {
			if got := squeeze(s); got != s {
				t.Errorf("plain(%q), but squeeze gives %q", s, got)
			}
		} else if got := squeeze(s); !plain(got) {
			t.Errorf("squeeze(%q) = %q, which plain refuses", s, got)
		}
	})
}
