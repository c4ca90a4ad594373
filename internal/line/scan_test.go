package line

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/supportbot/supportbot/internal/line/linetest"
)

// webhookNames are the fixtures under testdata/webhook.
var webhookNames = []string{
	"verify", "text", "redelivery", "postback", "postback_foreign", "follow", "unfollow", "join", "sticker",
	"image", "location", "group_mention", "group_other_mention", "group_sticker", "room_mention", "standby",
	"unsend", "batch", "leave",
}

// TestScanWebhookFixtures: every fixture, and the bodies cmd/loadgen
// sends, are read by the scanner, as encoding/json reads them.
func TestScanWebhookFixtures(t *testing.T) {
	bodies := map[string][]byte{
		"loadgen text":     linetest.Body(linetest.Text(linetest.UserID, "中小企業向けの支援")),
		"loadgen mention":  linetest.Body(linetest.GroupMention(linetest.GroupID, linetest.UserID, "サポートボット", "CTFに参加したい")),
		"loadgen postback": linetest.Body(linetest.Postback(linetest.UserID, "sb1:menu")),
	}
	for _, name := range webhookNames {
		bodies[name] = fixture(t, name)
	}
	for name, body := range bodies {
		got, ok := scanWebhook(body)
		if !ok {
			t.Errorf("%s: scanWebhook gave up on\n%s", name, body)
			continue
		}
		var want callback
		if err := json.Unmarshal(body, &want); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: scanWebhook = %+v; encoding/json %+v", name, got, want)
		}
	}
}

// TestScanWebhookGivesUp: bodies whose reading by encoding/json the
// scanner does not follow go to encoding/json.
func TestScanWebhookGivesUp(t *testing.T) {
	for _, body := range []string{
		``, `null`, `[]`, `{"events":null}`, `{"events":[],"events":[]}`, `{"Events":[]}`, `{"events":[{"Type":"message"}]}`,
		`{"events":[{"type":"message","type":"follow"}]}`, `{"events":[{"message":{"text":"a\nb"}}]}`,
		`{"events":[{"timestamp":1.5}]}`, `{"events":[{"timestamp":01}]}`, `{"events":[{"timestamp":"1"}]}`,
		`{"events":[{"source":null}]}`, `{"events":[{"message":{"text":"\xff"}}]}`, `{"events":[]} x`,
		`{"events":[1]}`, `{"x":[1,]}`, `{"x":tru}`, `{"events":[{"deliveryContext":{"isRedelivery":1}}]}`,
		`{"events":[{"message":{"mention":{"mentionees":[{"index":2147483648}]}}}]}`, `{"ſvents":[]}`,
	} {
		if cb, ok := scanWebhook([]byte(body)); ok {
			t.Errorf("scanWebhook(%q) = %+v, true; want false", body, cb)
		}
	}
}

// FuzzScanWebhook: whenever the scanner reads a body, encoding/json reads
// it without error and to the same callback.
func FuzzScanWebhook(f *testing.F) {
	for _, name := range webhookNames {
		f.Add(fixture(f, name))
	}
	for _, body := range []string{`{"events":[{"type":"message","message":{"type":"text","text":"a","mention":{"mentionees":[{"index":0,"length":1,"type":"user","isSelf":true}]}},"timestamp":-0,"x":[{"y":1e-3},true,null,"z"]}]}`} {
		f.Add([]byte(body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, ok := scanWebhook(body)
		if !ok {
			return
		}
		var want callback
		if err := json.Unmarshal(body, &want); err != nil {
			t.Fatalf("scanWebhook(%q) read a body encoding/json refuses: %v", body, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("scanWebhook(%q) = %+v; encoding/json %+v", body, got, want)
		}
	})
}
