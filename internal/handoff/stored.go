package handoff

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
)

// recentJSON is how a ticket's Recent is kept, alike in every store.
type recentJSON struct {
	Lang      bot.Lang `json:"lang,omitempty"`
	Questions []string `json:"questions,omitempty"`
	Answer    string   `json:"answer,omitempty"`
}

// EncodeRecent is a ticket's Recent as the stores keep it (JSON).
func EncodeRecent(r bot.Recent) ([]byte, error) {
	return json.Marshal(recentJSON(r))
}

// DecodeRecent reads what EncodeRecent wrote.
func DecodeRecent(b []byte) (bot.Recent, error) {
	var r recentJSON
	if err := json.Unmarshal(b, &r); err != nil {
		return bot.Recent{}, fmt.Errorf("ticket's recent: %w", err)
	}
	return bot.Recent(r), nil
}

// NewSource is a fresh message source or retry key for a store to give a
// message that came without one: "m:" and 24 hex digits.
func NewSource() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand does not fail
	return "m:" + hex.EncodeToString(b[:])
}

// Millis is a ticket's time as the stores keep it: Unix milliseconds, 0
// for the zero time.
func Millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// FromMillis reads what Millis wrote.
func FromMillis(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v)
}
