package web_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/supportbot/supportbot/internal/web"
)

// FuzzChat: any body gets a well-formed reply or a clean 4xx with a JSON
// error, never a panic or a 5xx.
//
//	go test ./internal/web -run '^$' -fuzz FuzzChat -fuzztime 60s
func FuzzChat(f *testing.F) {
	for _, seed := range []string{
		`{"text":"中小企業向けの支援"}`,
		`{"session":"AAAAAAAAAAAAAAAAAAAAAA","action":{"kind":"more"}}`,
		`{"action":{"kind":"details","value":"sechack365"},"lang":"en"}`,
		`{"action":{"kind":"ask","value":"CTF"}}`,
		`{"text":"\u0000\u001b[31m\ud83d\ude00 mixed 日本語 English"}`,
		`{"text":` + strings.Repeat("[", 200) + strings.Repeat("]", 200) + `}`,
		`{"text":"a"}{"text":"b"}`,
		"{\"text\":\"\xff\xfe\"}",
		`null`, `[]`, `"x"`, ``, `{`,
	} {
		f.Add("application/json", seed)
	}
	f.Add("text/plain", `{"text":"a"}`)
	h := web.Chat(web.Config{Bot: newBot(f)})
	f.Fuzz(func(t *testing.T, contentType, body string) {
		r := httptest.NewRequest("POST", "/api/chat", strings.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		var out map[string]json.RawMessage
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
			t.Fatalf("status %d with a body that is not JSON: %q", w.Code, w.Body)
		}
		switch {
		case w.Code == 200:
			if out["answer"] == nil || out["session"] == nil {
				t.Fatalf("200 without answer or session: %s", w.Body)
			}
		case w.Code >= 400 && w.Code < 500:
			if out["error"] == nil {
				t.Fatalf("%d without an error message: %s", w.Code, w.Body)
			}
		default:
			t.Fatalf("status %d for %q: %s", w.Code, body, w.Body)
		}
	})
}
