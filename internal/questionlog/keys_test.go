package questionlog

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
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

// TestNewIDOrdered checks that answer ids are ballot tokens, distinct, and
// sort by the time they were made, down to the millisecond.
func TestNewIDOrdered(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	seen := map[string]bool{}
	prev := ""
	for i, d := range []time.Duration{0, 0, time.Millisecond, 2 * time.Millisecond, time.Second, 63 * time.Second, time.Hour, 24 * time.Hour, 400 * 24 * time.Hour} {
		at := t0.Add(d)
		id := newID(at)
		if len(id) != 16 || seen[id] {
			t.Errorf("newID(%v) = %q; want 16 characters, not seen before", at, id)
		}
		seen[id] = true
		if _, got, _, err := bot.ParseBallot("up." + id + ".tag"); err != nil || got != id {
			t.Errorf("ParseBallot(up.%s.tag) = %q, %v; want the id back", id, got, err)
		}
		if b, err := idEncoding.DecodeString(id); err != nil || time.UnixMilli(int64(b[0])<<40|int64(b[1])<<32|int64(b[2])<<24|int64(b[3])<<16|int64(b[4])<<8|int64(b[5])).UTC() != at {
			t.Errorf("newID(%v) = %q does not begin with its millisecond (%v)", at, id, err)
		}
		if i > 0 && d > 0 && id <= prev {
			t.Errorf("newID(%v) = %q sorts before the id of a millisecond earlier, %q", at, id, prev)
		}
		prev = id
	}
}
