package admin

import (
	"testing"
)

// TestCheckToken: only the token itself is let in. The comparison is
// constant-time by construction (both sides hashed to 32 bytes, then
// subtle.ConstantTimeCompare); a timing test would only measure the
// machine's noise.
func TestCheckToken(t *testing.T) {
	const tok = "0123456789abcdef0123"
	a, err := New(Config{Token: tok, Knowledge: nopKnowledge{}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		presented string
		want      bool
	}{
		{tok, true},
		{"", false},
		{tok[:len(tok)-1], false},
		{tok + "0", false},
		{"1" + tok[1:], false},
		{tok[:len(tok)-1] + "4", false},
		{string(make([]byte, 4096)), false},
	}
	for _, tt := range tests {
		if got := a.checkToken(tt.presented); got != tt.want {
			t.Errorf("checkToken(%q) = %v; want %v", tt.presented, got, tt.want)
		}
	}
}
