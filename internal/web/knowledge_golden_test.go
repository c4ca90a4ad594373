package web_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/web"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// TestKnowledgeCardsGolden asks the chat API, as the page does, for the
// details of three programmes whose 2019 plan and present differ: お助け隊
// changed form, ネットモラルキャラバン隊 has no confirmed status, and NISC's
// handbook was published by a body since renamed. The answer (the session
// aside) is compared with testdata/golden/knowledge_*; go test -run
// TestKnowledgeCardsGolden -update rewrites them.
func TestKnowledgeCardsGolden(t *testing.T) {
	h := newChat(t, web.Config{Deps: adapter.Deps{Bot: newBot(t)}}).Chat()
	for _, id := range []string{"otasuketai", "net-moral-caravan", "nisc-handbook"} {
		for _, lang := range []string{"ja", "en"} {
			name := "knowledge_" + id + "_" + lang
			t.Run(name, func(t *testing.T) {
				w := post(t, h, "application/json", `{"action":{"kind":"details","value":"`+id+`"},"lang":"`+lang+`"}`)
				if w.Code != 200 {
					t.Fatalf("status = %d; want 200 (%s)", w.Code, w.Body)
				}
				var r struct {
					Answer json.RawMessage `json:"answer"`
				}
				if err := json.Unmarshal(w.Body.Bytes(), &r); err != nil {
					t.Fatal(err)
				}
				var got bytes.Buffer
				if err := json.Indent(&got, r.Answer, "", "  "); err != nil {
					t.Fatal(err)
				}
				got.WriteByte('\n')
				path := filepath.Join("testdata", "golden", name+".json")
				if *update {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run with -update to create it)", err)
				}
				if !bytes.Equal(got.Bytes(), want) {
					t.Errorf("answer differs from %s; run go test -run TestKnowledgeCardsGolden -update and review the diff\ngot:\n%s", path, got.Bytes())
				}
			})
		}
	}
}
