package slack

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/supportbot/supportbot/internal/slack/slacktest"
)

// TestScanEnvelopeFixtures: every events fixture the one-pass reading
// takes is read by the scanner, as encoding/json reads it.
func TestScanEnvelopeFixtures(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "events", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	scanned := 0
	for _, p := range paths {
		body, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var want answerableEnvelope
		if json.Unmarshal(body, &want) != nil {
			continue
		}
		got, ok := scanEnvelope(body)
		if !ok {
			continue
		}
		scanned++
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: scanEnvelope = %+v; encoding/json %+v", p, got, want)
		}
	}
	if scanned == 0 {
		t.Error("the scanner read no fixture")
	}
	c := slacktest.Mention("C0CHANNEL1", "U0USER001", "<@U0BOT0001> 中小企業向けの支援") // as cmd/loadgen sends
	c.Authorizations = []slacktest.Authorization{{TeamID: "T0TEAM001", UserID: "U0BOT0001", IsBot: true}}
	if _, ok := scanEnvelope(c.Body()); !ok {
		t.Errorf("scanEnvelope gave up on a mention:\n%s", c.Body())
	}
}

// TestScanEnvelopeGivesUp: bodies whose reading by encoding/json the
// scanner does not follow go to encoding/json.
func TestScanEnvelopeGivesUp(t *testing.T) {
	for _, body := range []string{
		``, `null`, `{"type":"event_callback","type":"x"}`, `{"Type":"event_callback"}`, `{"event":null}`,
		`{"event":{"text":"a\nb"}}`, `{"event":{"message":null}}`, `{"event":{"files":[1]}}`, `{"event_time":1.5}`,
		`{"authed_users":[1]}`, `{"event":{"edited":{"TS":"1"}}}`, `{} {}`,
	} {
		if env, ok := scanEnvelope([]byte(body)); ok {
			t.Errorf("scanEnvelope(%q) = %+v, true; want false", body, env)
		}
	}
}

// FuzzScanEnvelope: whenever the scanner reads a body, encoding/json
// reads it without error and to the same envelope.
func FuzzScanEnvelope(f *testing.F) {
	addFixtures(f, "events", func(b []byte) []byte { return b })
	f.Add([]byte(`{"type":"event_callback","event_time":-0,"authed_users":["U1"],"authorizations":[{"is_bot":true,"x":[1e3,null]}],"event":{"type":"message","files":[{"a":1}],"message":{"b":[]},"edited":{"user":"U1","ts":"1"}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		got, ok := scanEnvelope(body)
		if !ok {
			return
		}
		var want answerableEnvelope
		if err := json.Unmarshal(body, &want); err != nil {
			t.Fatalf("scanEnvelope(%q) read a body encoding/json refuses: %v", body, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("scanEnvelope(%q) = %+v; encoding/json %+v", body, got, want)
		}
	})
}

func BenchmarkParseAnswerable(b *testing.B) {
	c := slacktest.Mention("C0CHANNEL1", "U0USER001", "<@U0BOT0001> 中小企業向けの支援")
	c.Authorizations = []slacktest.Authorization{{TeamID: "T0TEAM001", UserID: "U0BOT0001", IsBot: true}}
	body := c.Body()
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var env answerableEnvelope
			if err := json.Unmarshal(body, &env); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("scan", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := scanEnvelope(body); !ok {
				b.Fatal("scanEnvelope gave up")
			}
		}
	})
}
