package line

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/dialog/dialogtest"
	"github.com/supportbot/supportbot/internal/handoff"
	"github.com/supportbot/supportbot/internal/line/linetest"
)

const pushKey = "123e4567-e89b-42d3-a456-426614174000"

func newPush(t *testing.T, api *linetest.API) *Push {
	t.Helper()
	p, err := NewPush(Credentials{ChannelSecret: testSecret, AccessToken: "test-token", APIBaseURL: api.URL()}, adapter.Deps{HTTPClient: api.Client()})
	if err != nil {
		t.Fatal(err)
	}
	p.caller.Policy.Base = 1 // retry at once
	return p
}

func TestPushReaches(t *testing.T) {
	p := newPush(t, linetest.NewAPI(t))
	for conv, want := range map[string]bool{
		"line:" + linetest.UserID:                                true,
		"line:group:" + linetest.GroupID + ":" + linetest.UserID: false,
		"line:room:R1:" + linetest.UserID:                        false,
		"line:U4AF4980629A0B1C2D3E4F5A6B7C8D9E0":                 false,
		"web:" + linetest.UserID:                                 false,
		"line:U123":                                              false,
	} {
		if got := p.Reaches(conv); got != want {
			t.Errorf("Reaches(%q) = %v; want %v", conv, got, want)
		}
	}
}

// TestPushRetryKey: a push carries its retry key on every attempt; LINE
// delivers a key once, so a push retried after a 5xx, or sent again by
// another replica, reaches the person once.
func TestPushRetryKey(t *testing.T) {
	api := linetest.NewAPI(t)
	p := newPush(t, api)
	staff := dialogtest.New(t).Say(bot.Japanese, bot.DeskNote{Event: bot.DeskReply, Ticket: 3, Text: "パスワードを変えてください"})
	ctx := context.Background()
	conv := "line:" + linetest.UserID
	api.Respond(func(w http.ResponseWriter, c linetest.Call, n int) {
		if n == 1 {
			linetest.WriteError(w, http.StatusInternalServerError, linetest.MsgServerError)
			return
		}
		api.Respond(nil)
		linetest.WriteSent(w, "1")
	})
	if err := p.Deliver(ctx, conv, staff, pushKey); err != nil {
		t.Fatalf("Deliver after a 500 = %v; want delivered", err)
	}
	// Again, as the desk on another replica would after a crash.
	if err := p.Deliver(ctx, conv, staff, pushKey); err != nil {
		t.Fatalf("Deliver of an accepted key = %v; want nil (409: delivered before)", err)
	}
	calls := api.Calls(linetest.PathPush)
	if len(calls) != 3 || calls[0].Status != 500 || calls[1].Status != 200 || calls[2].Status != 409 {
		t.Fatalf("push calls answered %v; want 500, 200, 409", statuses(calls))
	}
	for _, c := range calls {
		if c.RetryKey != pushKey || c.Push.To != linetest.UserID || c.Auth != "Bearer test-token" {
			t.Errorf("push %+v; want the key, the user and the token on every attempt", c)
		}
	}
	if n := len(api.Pushes()); n != 1 {
		t.Errorf("%d pushes delivered; want 1", n)
	}
}

func statuses(cs []linetest.Call) []int {
	out := make([]int, len(cs))
	for i, c := range cs {
		out[i] = c.Status
	}
	return out
}

func TestPushRefused(t *testing.T) {
	ans := bot.Answer{Lang: bot.Japanese, Kind: bot.KindStaff, Text: "相談員より:\nこんにちは"}
	tests := []struct {
		name    string
		status  int
		msg     string
		refused bool
		calls   int
	}{
		{"quota used up", http.StatusTooManyRequests, linetest.MsgMonthlyLimit, true, 1},
		{"unknown user", http.StatusBadRequest, linetest.MsgFailedToSend, true, 1},
		{"forbidden", http.StatusForbidden, "Access to this API is not available for your account", true, 1},
		{"server error until the retries run out", http.StatusBadGateway, linetest.MsgServerError, false, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := linetest.NewAPI(t)
			p := newPush(t, api)
			api.Refuse(linetest.UserID, tt.status, tt.msg)
			err := p.Deliver(context.Background(), "line:"+linetest.UserID, ans, pushKey)
			if err == nil || errors.Is(err, handoff.ErrRefused) != tt.refused {
				t.Errorf("Deliver = %v; want an error, refused for good: %v", err, tt.refused)
			}
			if n := len(api.Calls(linetest.PathPush)); n != tt.calls {
				t.Errorf("%d push calls; want %d", n, tt.calls)
			}
		})
	}
	p := newPush(t, linetest.NewAPI(t))
	if err := p.Deliver(context.Background(), "line:group:"+linetest.GroupID, ans, pushKey); !errors.Is(err, handoff.ErrRefused) {
		t.Errorf("Deliver to a group = %v; want refused", err)
	}
}

// TestPushGolden keeps the push bodies the staff's side causes as LINE
// receives them: a reply, and the close with its rating quick replies.
func TestPushGolden(t *testing.T) {
	e := dialogtest.New(t)
	for name, a := range map[string]bot.Answer{
		"push_reply_ja":  e.Say(bot.Japanese, bot.DeskNote{Event: bot.DeskReply, Ticket: 12, Text: "パスワードを変更し、二段階認証を設定してください。"}),
		"push_closed_en": e.Say(bot.English, bot.DeskNote{Event: bot.DeskClosed, Ticket: 12}),
		"push_file_ja":   e.Say(bot.Japanese, bot.DeskNote{Event: bot.DeskFile, Ticket: 12, Files: 1}),
	} {
		t.Run(name, func(t *testing.T) {
			api := linetest.NewAPI(t)
			if err := newPush(t, api).Deliver(context.Background(), "line:"+linetest.UserID, a, pushKey); err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := json.Indent(&got, api.Pushes()[0].Body, "", "  "); err != nil {
				t.Fatal(err)
			}
			got.WriteByte('\n')
			path := filepath.Join("testdata", "golden", name+".json")
			if *update {
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("push body differs from %s; run go test ./internal/line -run TestPushGolden -update and review the diff\n%s", path, got.String())
			}
		})
	}
}
