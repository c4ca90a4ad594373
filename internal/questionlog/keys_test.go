package questionlog

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"testing"
)

// TestKeysReuseMACs checks that the hashes and tags made with pooled
// HMACs, used again and again, are those of a fresh HMAC each time.
func TestKeysReuseMACs(t *testing.T) {
	k := derive([]byte("0123456789abcdef0123456789abcdef"))
	fresh := func(key []byte, parts ...string) []byte {
		m := hmac.New(sha256.New, key)
		for i, p := range parts {
			if i > 0 {
				m.Write([]byte{0})
			}
			m.Write([]byte(p))
		}
		return m.Sum(nil)
	}
	for range 3 {
		for _, conv := range []string{"line:U1234", "slack:T1:C2:1700000000.000100", ""} {
			if got, want := k.conversation(conv), hex.EncodeToString(fresh(k.conv, conv)[:16]); got != want {
				t.Errorf("conversation(%q) = %s; want %s", conv, got, want)
			}
			if got, want := k.tagFor(conv, "AbCdEfGhIjKlMnOp"), base64.RawURLEncoding.EncodeToString(fresh(k.tag, conv, "AbCdEfGhIjKlMnOp")[:12]); got != want {
				t.Errorf("tagFor(%q) = %s; want %s", conv, got, want)
			}
		}
	}
	if !k.check("line:U1", "id", k.tagFor("line:U1", "id")) || k.check("line:U1", "id", k.tagFor("line:U2", "id")) {
		t.Error("check does not tell its own tag from another conversation's")
	}
}
