package questionlog

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// keyName names the generated key in bot.Secrets.
const keyName = "log_hash_key"

// MinKey is the shortest LOG_HASH_KEY accepted, in bytes.
const MinKey = 16

// keys are the two keys derived from the log's key: one hashes
// conversations, one tags ballots. Deriving them keeps a hash in the
// database from serving as a tag.
type keys struct {
	conv, tag []byte
}

func derive(master []byte) *keys {
	d := func(label string) []byte {
		m := hmac.New(sha256.New, master)
		m.Write([]byte(label))
		return m.Sum(nil)
	}
	return &keys{conv: d("supportbot question log: conversation v1"), tag: d("supportbot question log: feedback v1")}
}

// conversation is the stored form of a conversation id: 128 bits of its
// HMAC, in hex.
func (k *keys) conversation(conv string) string {
	m := hmac.New(sha256.New, k.conv)
	m.Write([]byte(conv))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// tagFor binds an answer id to the conversation it was given in: 96 bits
// of HMAC, URL-safe.
func (k *keys) tagFor(conv, answerID string) string {
	m := hmac.New(sha256.New, k.tag)
	m.Write([]byte(conv))
	m.Write([]byte{0})
	m.Write([]byte(answerID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:12])
}

// check reports whether tag is the tag of answerID in conv, in constant
// time.
func (k *keys) check(conv, answerID, tag string) bool {
	return hmac.Equal([]byte(tag), []byte(k.tagFor(conv, answerID)))
}

// newID returns a random answer id: 96 bits, 16 URL-safe characters.
func newID() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand does not fail
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// newKey returns a fresh log key.
func newKey() []byte {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return b
}
