package bot

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestActionPayloadRoundTrip(t *testing.T) {
	for _, a := range []Action{
		{Kind: ActionDetails, Value: "sechack365"},
		{Kind: ActionMore},
		{Kind: ActionCategory, Value: "sme"},
		{Kind: ActionLang, Value: "en"},
		{Kind: ActionAsk, Value: "中小企業:向けの支援"},
	} {
		p := a.Payload()
		got, err := ParseAction(p)
		if err != nil || got != a {
			t.Errorf("ParseAction(%q) = %+v, %v; want %+v", p, got, err, a)
		}
	}
}

func TestActionPayloadBounded(t *testing.T) {
	a := Action{Kind: ActionAsk, Value: strings.Repeat("あ", 500)}
	p := a.Payload()
	if len(p) > MaxPayload || !utf8.ValidString(p) {
		t.Fatalf("Payload() = %d bytes (valid %v); want at most %d, valid UTF-8", len(p), utf8.ValidString(p), MaxPayload)
	}
	if _, err := ParseAction(p); err != nil {
		t.Errorf("ParseAction(long payload) = %v", err)
	}
}

func TestParseActionRejects(t *testing.T) {
	for _, p := range []string{"", "details:x", "sb1:", "sb1:nope:x", "sb1:" + strings.Repeat("x", 400)} {
		if _, err := ParseAction(p); !errors.Is(err, ErrBadPayload) {
			t.Errorf("ParseAction(%q) err = %v; want ErrBadPayload", p, err)
		}
	}
}

func FuzzParseAction(f *testing.F) {
	for _, s := range []string{"sb1:details:sechack365", "sb1:more", "sb1:lang:en", "x", "sb1:ask:\xff", "sb1:feedback:up.AbCd.EfGh", "sb1:feedback:down..x", "sb1:rate:up.12", "sb1:rate:down.0", "sb1:rate:up.+1", "sb1:consent"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAction(s)
		if err != nil {
			return
		}
		if !knownActions[a.Kind] {
			t.Fatalf("ParseAction(%q) accepted unknown kind %q", s, a.Kind)
		}
		if b, err := ParseAction(a.Payload()); err != nil || b != a {
			t.Fatalf("round trip of %+v = %+v, %v", a, b, err)
		}
		if a.Kind == ActionFeedback {
			if v, id, tag, err := ParseBallot(a.Value); err == nil && BallotValue(v, id, tag) != a.Value {
				t.Fatalf("ParseBallot(%q) = %q, %q, %q; does not encode back", a.Value, v, id, tag)
			}
		}
		if a.Kind == ActionRate {
			if v, id, err := ParseRate(a.Value); err == nil && RateValue(v, id) != a.Value {
				t.Fatalf("ParseRate(%q) = %q, %d; does not encode back", a.Value, v, id)
			}
		}
	})
}

func TestBallotRoundTrip(t *testing.T) {
	f := FeedbackFor("AbCdEfGhIjKlMnOp", "tag_-123")
	for want, a := range map[Vote]Action{VoteUp: f.Up, VoteDown: f.Down} {
		got, err := ParseAction(a.Payload())
		if err != nil || got != a {
			t.Fatalf("ParseAction(%q) = %+v, %v; want %+v", a.Payload(), got, err, a)
		}
		v, id, tag, err := ParseBallot(got.Value)
		if err != nil || v != want || id != "AbCdEfGhIjKlMnOp" || tag != "tag_-123" {
			t.Errorf("ParseBallot(%q) = %q, %q, %q, %v", got.Value, v, id, tag, err)
		}
	}
}

func TestParseBallotRejects(t *testing.T) {
	for _, s := range []string{
		"", "up", "down", "up.id", "sideways.id.tag", "up..tag", "up.id.", "up.id.tag.extra",
		"up.i d.tag", "up.id.t/g", "up.id.t+g", "up." + strings.Repeat("a", 65) + ".tag", "UP.id.tag", "up.ｉｄ.tag",
	} {
		if _, _, _, err := ParseBallot(s); !errors.Is(err, ErrBadBallot) {
			t.Errorf("ParseBallot(%q) err = %v; want ErrBadBallot", s, err)
		}
	}
}

func TestRateRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		v  Vote
		id int64
	}{{VoteUp, 1}, {VoteDown, 12}, {VoteUp, 1<<53 + 1}} {
		s := RateValue(tc.v, tc.id)
		v, id, err := ParseRate(s)
		if err != nil || v != tc.v || id != tc.id {
			t.Errorf("ParseRate(%q) = %q, %d, %v; want %q, %d", s, v, id, err, tc.v, tc.id)
		}
	}
	for _, s := range []string{"", "up", "up.", "up.0", "up.012", "up.-3", "sideways.3", "up.3.4", "up.99999999999999999999", "up. 3", "up.+1", "down.+12"} {
		if _, _, err := ParseRate(s); !errors.Is(err, ErrBadRating) {
			t.Errorf("ParseRate(%q) = %v; want ErrBadRating", s, err)
		}
	}
}

func BenchmarkPayload(b *testing.B) {
	actions := []Action{{Kind: ActionDetails, Value: "sechack365"}, {Kind: ActionMore}, {Kind: ActionCategory, Value: "sme"}, {Kind: ActionMenu}}
	b.ReportAllocs()
	for b.Loop() {
		for _, a := range actions {
			payloadSink = a.Payload()
		}
	}
}

var payloadSink string
