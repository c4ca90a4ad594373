package sqlite

import (
	"encoding/json"
	"math/bits"
	"testing"

	"github.com/supportbot/supportbot/internal/bot"
)

// TestAppendProgrammes holds the JSON written by hand to json.Marshal's.
func TestAppendProgrammes(t *testing.T) {
	for _, ids := range [][]string{
		nil, {}, {"sechack365"}, {"security-camp", "e-net-caravan", "cyber_patrol.2"}, {""},
		{"a<b"}, {"a&b", "ok"}, {`quote"d`}, {`back\slash`}, {"tab\there"}, {"del\x7f"}, {"日本語"}, {"bad\xff"}, {"line\u2028sep"},
	} {
		want, err := json.Marshal(ids)
		if ids == nil {
			want = []byte("[]")
		}
		if got := appendProgrammes([]byte("x"), ids); err != nil || string(got) != "x"+string(want) {
			t.Errorf("appendProgrammes(x, %q) = %s; want x%s", ids, got, want)
		}
	}
}

// TestChunks checks that chunks cuts every batch size into the prepared
// sizes, in order and whole.
func TestChunks(t *testing.T) {
	for n := range 3*insertRows + 2 {
		rs := make([]bot.Record, n)
		for i := range rs {
			rs[i].TopScore = float64(i)
		}
		next, pieces := 0, 0
		for c := range chunks(rs) {
			if len(c) == 0 || len(c) > insertRows || bits.OnesCount(uint(len(c))) != 1 {
				t.Fatalf("chunks of %d: a chunk of %d; want a power of two up to %d", n, len(c), insertRows)
			}
			for _, r := range c {
				if int(r.TopScore) != next {
					t.Fatalf("chunks of %d: record %v where %d was due", n, r.TopScore, next)
				}
				next++
			}
			pieces++
		}
		if next != n || pieces > n/insertRows+bits.Len(uint(insertRows)) {
			t.Errorf("chunks of %d: %d records in %d chunks; want all, in at most %d", n, next, pieces, n/insertRows+bits.Len(uint(insertRows)))
		}
	}
}
