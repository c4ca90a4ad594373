package slack

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestAppendJSONBody checks that the request body is the JSON object of
// its fields, whatever their strings hold, with raw fields as they are.
func TestAppendJSONBody(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	for _, s := range []string{
		"", "plain", "a b&c=d+e%f", `quote " and \ backslash`, "<@U0USER001> <https://example.jp/?a=1&b=2|link>",
		"絵文字 🔐 and\nnew line\ttab", "\u2028\u2029", string(all[:128]),
	} {
		fields := []field{
			{name: "channel", value: "C0CHANNEL"}, {name: "text", value: s},
			{name: "blocks", raw: []byte(`[{"type":"divider"}]`)}, {name: "unfurl_links", raw: []byte("false")},
		}
		body := appendJSONBody(nil, fields)
		var got struct {
			Channel     string            `json:"channel"`
			Text        string            `json:"text"`
			Blocks      []json.RawMessage `json:"blocks"`
			UnfurlLinks *bool             `json:"unfurl_links"`
		}
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatalf("appendJSONBody(text %q) = %s: %v", s, body, err)
		}
		if got.Channel != "C0CHANNEL" || got.Text != s || len(got.Blocks) != 1 || got.UnfurlLinks == nil || *got.UnfurlLinks {
			t.Errorf("appendJSONBody(text %q) = %s; read back as %+v", s, body, got)
		}
	}
}

func BenchmarkAppendJSONBody(b *testing.B) {
	blocks := append(append([]byte("["), bytes.Repeat([]byte(`{"type":"section","text":{"type":"mrkdwn","text":"*中小企業の情報セキュリティ* 向けの支援 (IPA)"}},`), 60)...), `{"type":"divider"}]`...)
	fields := []field{{name: "channel", value: "C0CHANNEL"}, {name: "text", value: "中小企業向けの取組は6件です。"}, {name: "blocks", raw: blocks}}
	b.SetBytes(int64(len(blocks)))
	var dst []byte
	for b.Loop() {
		dst = appendJSONBody(dst[:0], fields)
	}
}

// FuzzReadResponse holds readResponse to json.NewDecoder(…).Decode over
// the same bytes: the same fields, the same error.
func FuzzReadResponse(f *testing.F) {
	for _, s := range []string{
		`{"ok":true,"channel":"C1","ts":"1761956000.000100"}`,
		`{"ok":false,"error":"invalid_blocks"}`,
		`{"ok":true,"ts":"1.2","message":{"text":"x","blocks":[{"type":"section"}]}} trailing`,
		`{"ok":true,"OK":false}`, `{"ok":true,"ok":false}`, `{"ok":1}`, `null`, `[]`, `{"error":"a\u0062c"}`, ``, `{"ok":tr`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, gerr := readResponse(bytes.NewReader(body))
		var want apiResponse
		werr := json.NewDecoder(bytes.NewReader(body)).Decode(&want)
		if (gerr == nil) != (werr == nil) || gerr != nil && gerr.Error() != werr.Error() {
			t.Fatalf("readResponse(%q) error = %v; want %v", body, gerr, werr)
		}
		if gerr == nil && got != want {
			t.Fatalf("readResponse(%q) = %+v; want %+v", body, got, want)
		}
	})
}

// BenchmarkReadResponse reads chat.postMessage's response as cmd/loadgen's
// stand-in sends it, in one pass and through encoding/json.
func BenchmarkReadResponse(b *testing.B) {
	body := []byte(`{"ok":true,"channel":"C0LOADGEN1","ts":"1761956000.000100"}`)
	if _, ok := scanResponse(body); !ok {
		b.Fatal("scanResponse: not ok")
	}
	b.Run("readResponse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := readResponse(bytes.NewReader(body)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out apiResponse
			if err := json.NewDecoder(bytes.NewReader(body)).Decode(&out); err != nil {
				b.Fatal(err)
			}
		}
	})
}
