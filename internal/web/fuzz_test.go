package web_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/bot/bottest"
	"github.com/supportbot/supportbot/internal/bounds"
	"github.com/supportbot/supportbot/internal/web"
)

// FuzzChat: any body gets, within the time and memory budget
// (internal/bounds), either a 200 with a session and a well-formed answer
// (checkAnswer) or a clean 4xx with a JSON error; never a panic or a 5xx.
// Besides the seeds below, testdata/fuzz/FuzzChat holds hostile bodies: 100
// KB messages (refused: over 64 KiB), 5,000 escaped emoji (at the limit),
// 10,000-deep JSON, invalid UTF-8, NULs, bidi and zero-width marks, mixed
// scripts.
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
	h := newChat(f, web.Config{Deps: adapter.Deps{Bot: newBot(f)}}).Chat()
	f.Fuzz(func(t *testing.T, contentType, body string) {
		r := httptest.NewRequest("POST", "/api/chat", strings.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		w := httptest.NewRecorder()
		if err := bounds.Within("POST /api/chat", func() { h.ServeHTTP(w, r) }); err != nil {
			t.Fatalf("%v for a body of %d bytes", err, len(body))
		}
		if !utf8.Valid(w.Body.Bytes()) {
			t.Fatalf("status %d with a body that is not UTF-8", w.Code)
		}
		var out map[string]json.RawMessage
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
			t.Fatalf("status %d with a body that is not JSON: %.200q", w.Code, w.Body)
		}
		switch {
		case w.Code == 200:
			var res web.Response
			if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || res.Session == "" || out["answer"] == nil {
				t.Fatalf("200 without answer or session: %.200s", w.Body)
			}
			if problems := bottest.Problems(res.Answer); len(problems) > 0 {
				t.Fatalf("answer to %.80q is not well formed: %v", body, problems)
			}
		case w.Code >= 400 && w.Code < 500:
			var e web.Error
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error == "" || len(out) != 1 {
				t.Fatalf("%d without just an error message: %.200s", w.Code, w.Body)
			}
		default:
			t.Fatalf("status %d for %.80q: %.200s", w.Code, body, w.Body)
		}
	})
}
