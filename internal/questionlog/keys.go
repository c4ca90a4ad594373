package questionlog

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"io"
	"sync"
	"time"
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
	// convMACs and tagMACs hold HMACs keyed with conv and tag, reset
	// between uses: hmac.New hashes its key anew and allocates two
	// SHA-256 states, for every answer and every logged question (1 % of
	// the bytes the server allocated under cmd/loadgen).
	convMACs, tagMACs sync.Pool
}

func derive(master []byte) *keys {
	d := func(label string) []byte {
		m := hmac.New(sha256.New, master)
		m.Write([]byte(label))
		return m.Sum(nil)
	}
	k := &keys{conv: d("supportbot question log: conversation v1"), tag: d("supportbot question log: feedback v1")}
	k.convMACs.New = func() any { return hmac.New(sha256.New, k.conv) }
	k.tagMACs.New = func() any { return hmac.New(sha256.New, k.tag) }
	return k
}

// mac returns the HMAC of the parts, each but the last followed by a zero
// byte, with a hash from pool.
func mac(pool *sync.Pool, sum *[sha256.Size]byte, parts ...string) []byte {
	m := pool.Get().(hash.Hash)
	m.Reset()
	for i, p := range parts {
		if i > 0 {
			m.Write([]byte{0})
		}
		io.WriteString(m, p)
	}
	out := m.Sum(sum[:0])
	pool.Put(m)
	return out
}

// conversation is the stored form of a conversation id: 128 bits of its
// HMAC, in hex.
func (k *keys) conversation(conv string) string {
	var sum [sha256.Size]byte
	return hex.EncodeToString(mac(&k.convMACs, &sum, conv)[:16])
}

// tagFor binds an answer id to the conversation it was given in: 96 bits
// of HMAC, URL-safe.
func (k *keys) tagFor(conv, answerID string) string {
	var sum [sha256.Size]byte
	return base64.RawURLEncoding.EncodeToString(mac(&k.tagMACs, &sum, conv, answerID)[:12])
}

// check reports whether tag is the tag of answerID in conv, in constant
// time.
func (k *keys) check(conv, answerID, tag string) bool {
	return hmac.Equal([]byte(tag), []byte(k.tagFor(conv, answerID)))
}

// idEncoding is URL-safe base64 with its alphabet in ASCII order, so
// that answer ids sort as their bytes do.
var idEncoding = base64.NewEncoding("-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz").WithPadding(base64.NoPadding)

// newID returns the id of an answer given at: 16 URL-safe characters,
// the Unix millisecond (48 bits) and then 48 random bits. Ids made
// later sort later, so the store's unique index on them grows at one
// end: random ids put each record of a batch on a page of its own all
// over that index, and the pages a batch changed were most of what
// SQLite wrote and checkpointed (BenchmarkWriteBatch, two runs each: 23.6
// → 13.4 µs of CPU a record). Nothing relies on an id being unguessable: a vote needs the
// tag, an HMAC over the id and the conversation. Two ids collide only
// within one millisecond, one pair in 2^48.
func newID(at time.Time) string {
	var b [12]byte
	binary.BigEndian.PutUint64(b[:8], uint64(at.UnixMilli())<<16)
	_, _ = rand.Read(b[6:]) // crypto/rand does not fail
	return idEncoding.EncodeToString(b[:])
}

// newKey returns a fresh log key.
func newKey() []byte {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return b
}
