package line_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/inmem"
	"github.com/supportbot/supportbot/internal/line"
	"github.com/supportbot/supportbot/internal/line/linetest"
	"github.com/supportbot/supportbot/internal/work"
)

// hello stands in for the bot: any bot.Answerer can be served on LINE.
type hello struct{}

func (hello) Answer(context.Context, bot.Question) (bot.Answer, error) {
	return bot.Answer{Lang: bot.Japanese, Kind: bot.KindGreeting, Text: "こんにちは"}, nil
}
func (hello) Forget(context.Context, string) error { return nil }

// The LINE Developers Console's "Verify" button posts a webhook with no
// events, signed with the channel secret: it gets 200. The same body
// signed with another secret gets 400.
func ExampleAdapter_Webhook() {
	pool := work.New(2, 16, nil)
	defer pool.Shutdown(context.Background())
	a, err := line.New(line.Config{
		Credentials: line.Credentials{ChannelSecret: "channel-secret", AccessToken: "channel-access-token"},
		Deps:        adapter.Deps{Bot: hello{}, Dedupe: inmem.NewDeduper(10*time.Minute, nil), Pool: pool},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	body := linetest.Body() // what "Verify" sends: no events
	for _, secret := range []string{"channel-secret", "another-channel-secret"} {
		req := httptest.NewRequest(http.MethodPost, "/line/webhook", bytes.NewReader(body))
		linetest.Sign(req.Header, secret, body)
		rec := httptest.NewRecorder()
		a.Webhook().ServeHTTP(rec, req)
		fmt.Println(rec.Code)
	}
	// Output:
	// 200
	// 400
}

func ExampleNew_missingSettings() {
	_, err := line.New(line.Config{Credentials: line.Credentials{ChannelSecret: "channel-secret"}})
	fmt.Println(err)
	// Output:
	// line: no channel access token
	// no bot
	// no de-duplication store
	// no work pool
}
