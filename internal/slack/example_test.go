package slack_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/catalog"
	"github.com/supportbot/supportbot/internal/dialog"
	"github.com/supportbot/supportbot/internal/inmem"
	"github.com/supportbot/supportbot/internal/slack"
	"github.com/supportbot/supportbot/internal/slack/slacktest"
	"github.com/supportbot/supportbot/internal/work"
	"github.com/supportbot/supportbot/knowledge"
	"github.com/supportbot/supportbot/seeds"
)

// An app_mention is acknowledged at once and answered in its thread by
// the work pool; a stand-in for the Web API (SLACK_API_URL) records the
// post.
func ExampleAdapter_Events() {
	var mu sync.Mutex
	var posts []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var post struct {
			Channel  string            `json:"channel"`
			ThreadTS string            `json:"thread_ts"`
			Blocks   []json.RawMessage `json:"blocks"`
		}
		_ = json.NewDecoder(r.Body).Decode(&post) // chat.postMessage takes JSON
		mu.Lock()
		posts = append(posts, fmt.Sprintf("%s channel=%s thread_ts=%s blocks=%t",
			path.Base(r.URL.Path), post.Channel, post.ThreadTS, len(post.Blocks) > 0))
		mu.Unlock()
		fmt.Fprint(w, `{"ok":true,"channel":"C1","ts":"1700000001.000200"}`)
	}))
	defer api.Close()

	cat, err := catalog.Load(knowledge.FS, seeds.FS)
	if err != nil {
		fmt.Println(err)
		return
	}
	b, err := dialog.New(dialog.Config{Catalog: cat, Store: inmem.NewConversations(time.Hour, nil)})
	if err != nil {
		fmt.Println(err)
		return
	}
	pool := work.New(2, 8, nil)
	a, err := slack.New(slack.Config{
		Credentials: slack.Credentials{SigningSecret: "signing-secret", BotToken: "xoxb-example", APIURL: api.URL + "/api/"},
		Deps:        adapter.Deps{Bot: b, Dedupe: inmem.NewDeduper(time.Hour, nil), Pool: pool},
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	body := `{"type":"event_callback","team_id":"T1","event_id":"Ev1",` +
		`"event":{"type":"app_mention","user":"U1","channel":"C1","text":"<@U0BOT> local seminars","ts":"1700000000.000100"}}`
	req := httptest.NewRequest(http.MethodPost, "/slack/events", strings.NewReader(body))
	// Slack signs "v0:<timestamp>:<body>" with the app's signing secret.
	slacktest.Sign(req.Header, "signing-secret", time.Now(), []byte(body))

	w := httptest.NewRecorder()
	a.Events().ServeHTTP(w, req)
	fmt.Println("ack:", w.Code)

	_ = pool.Shutdown(context.Background()) // waits for the answer to be posted
	for _, p := range posts {
		fmt.Println(p)
	}
	// Output:
	// ack: 200
	// chat.postMessage channel=C1 thread_ts=1700000000.000100 blocks=true
}
