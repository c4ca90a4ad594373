package slack

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"

	desk "github.com/supportbot/supportbot/internal/handoff"
	"github.com/supportbot/supportbot/internal/ratelimit"
	"github.com/supportbot/supportbot/internal/slack/slacktest"
)

// manifest is the part of a Slack app manifest the adapter depends on.
type manifest struct {
	Features struct {
		AppHome struct {
			HomeTab     bool `yaml:"home_tab_enabled"`
			MessagesTab bool `yaml:"messages_tab_enabled"`
			ReadOnly    bool `yaml:"messages_tab_read_only_enabled"`
		} `yaml:"app_home"`
		SlashCommands []struct {
			Command string `yaml:"command"`
			URL     string `yaml:"url"`
		} `yaml:"slash_commands"`
	} `yaml:"features"`
	OAuth struct {
		Scopes struct {
			Bot []string `yaml:"bot"`
		} `yaml:"scopes"`
	} `yaml:"oauth_config"`
	Settings struct {
		Events struct {
			RequestURL string   `yaml:"request_url"`
			BotEvents  []string `yaml:"bot_events"`
		} `yaml:"event_subscriptions"`
		Interactivity struct {
			Enabled    bool   `yaml:"is_enabled"`
			RequestURL string `yaml:"request_url"`
		} `yaml:"interactivity"`
		SocketMode bool `yaml:"socket_mode_enabled"`
	} `yaml:"settings"`
}

// TestManifestsMatchTheAdapter keeps deploy/slack in step with what the
// code handles: the events, the command, the scopes and the URLs.
func TestManifestsMatchTheAdapter(t *testing.T) {
	for _, tc := range []struct {
		file   string
		socket bool
	}{{"manifest.yaml", false}, {"manifest-socket.yaml", true}} {
		t.Run(tc.file, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("..", "..", "deploy", "slack", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			var m manifest
			if err := yaml.Unmarshal(raw, &m); err != nil {
				t.Fatal(err)
			}
			events := slices.Sorted(slices.Values(m.Settings.Events.BotEvents))
			if want := slices.Sorted(maps.Keys(eventScopes)); !slices.Equal(events, want) {
				t.Errorf("bot_events = %v; want %v", events, want)
			}
			// Exactly those the code uses: the staff channel's posts need
			// chat:write in a channel the bot was invited to, and /support
			// insights the command's own scope; chat:write.public would let
			// it post to any public channel uninvited, which the staff do
			// not need.
			if got, want := slices.Sorted(slices.Values(m.OAuth.Scopes.Bot)), usedScopes(t); !slices.Equal(got, want) {
				t.Errorf("bot scopes = %v; want exactly those the code uses, %v (TestEveryScopeIsUsed)", got, want)
			}
			if len(m.Features.SlashCommands) != 1 || m.Features.SlashCommands[0].Command != "/support" {
				t.Errorf("slash commands = %+v; want /support", m.Features.SlashCommands)
			}
			ah := m.Features.AppHome
			if !ah.HomeTab || !ah.MessagesTab || ah.ReadOnly {
				t.Errorf("app_home = %+v; want the Home tab and a writable Messages tab", ah)
			}
			if !m.Settings.Interactivity.Enabled {
				t.Error("interactivity disabled")
			}
			if m.Settings.SocketMode != tc.socket {
				t.Errorf("socket_mode_enabled = %v; want %v", m.Settings.SocketMode, tc.socket)
			}
			urls := map[string]string{
				"/slack/events":       m.Settings.Events.RequestURL,
				"/slack/interactions": m.Settings.Interactivity.RequestURL,
			}
			if len(m.Features.SlashCommands) == 1 {
				urls["/slack/commands"] = m.Features.SlashCommands[0].URL
			}
			for path, u := range urls {
				switch {
				case tc.socket && u != "":
					t.Errorf("Socket Mode manifest sets a request URL %q", u)
				case !tc.socket && (!strings.HasPrefix(u, "https://") || !strings.HasSuffix(u, path)):
					t.Errorf("request URL %q; want https://…%s", u, path)
				}
			}
		})
	}
}

// methodScopes are the bot scopes each Web API method the adapter calls
// requires ("Required scopes" of docs.slack.dev/reference/methods/…).
// A method the adapter starts calling must be added here, with its scope,
// and the manifests then ask for it.
var methodScopes = map[string][]string{
	"chat.postMessage":      {"chat:write"}, // answers in channels, threads, DMs and the app's DM (channel = user id)
	"chat.postEphemeral":    {"chat:write"}, // rate-limit and busy notices only the asker sees
	"chat.update":           {"chat:write"}, // a handoff ticket redrawn as it is taken and closed
	"users.info":            {"users:read"}, // the person's locale, with include_locale=true
	"views.publish":         nil,            // the Home tab: "No scopes required"
	slacktest.OpResponseURL: nil,            // slash command and button answers: a webhook, no token
}

// eventScopes are the bot events the manifests subscribe to and the scope
// each needs ("Required scopes" of docs.slack.dev/reference/events/…).
var eventScopes = map[string]string{
	"app_mention":     "app_mentions:read",
	"message.im":      "im:history",
	"app_home_opened": "",
	// The staff's replies in the threads of the handoff channel, public or
	// private; the adapter reads nothing else of these channels.
	"message.channels": "channels:history",
	"message.groups":   "groups:history",
}

// commandScope is what a slash command (/support) needs.
const commandScope = "commands"

// usedScopes is every scope the methods, events and command need.
func usedScopes(t *testing.T) []string {
	t.Helper()
	set := map[string]bool{commandScope: true}
	for _, ss := range methodScopes {
		for _, s := range ss {
			set[s] = true
		}
	}
	for _, s := range eventScopes {
		if s != "" {
			set[s] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// TestEveryScopeIsUsed proves each scope the manifests ask for: it drives
// the adapter through everything it does (a mention, a DM, the Home tab,
// /support, a button, sharing, a rate-limit notice, a locale lookup)
// against the Web API stand-in, and checks that every method it called
// is in methodScopes and every method there was called, so that the
// scopes derived from them (usedScopes, which TestManifestsMatchTheAdapter
// holds the manifests to) are exactly the scopes the code needs.
func TestEveryScopeIsUsed(t *testing.T) {
	var mu sync.Mutex
	called := map[string]bool{}
	record := func(h *harness) {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range h.api.All() {
			called[c.Op] = true
		}
	}
	lim := ratelimit.New(0.0001, 1, 100, nil)
	h := newHarness(t, realBot(t), func(c *Config) { c.Limiter = lim })
	h.api.SetUser(slacktest.User{ID: slacktest.UserID, TeamID: slacktest.TeamID, Name: "alex", Locale: "en-US"})
	h.event(h.fixture("events/app_home_opened.json"))                                        // views.publish, users.info
	h.event(h.fixture("events/app_mention.json"))                                            // chat.postMessage
	h.event(slacktest.DirectMessage(slacktest.DMChannelID, slacktest.UserID, "more").Body()) // over the limit: chat.postEphemeral
	h.drain()
	record(h)

	h = newHarness(t, realBot(t))
	h.event(h.fixture("events/message_im.json"))
	h.command(h.fixture("commands/support.form"))
	h.interaction(h.fixture("interactions/block_actions.json"))
	h.interaction(h.fixture("interactions/block_actions_share.json")) // response_url
	h.drain()
	record(h)

	// The handoff desk's staff side: a ticket posted, then redrawn.
	h = newHarness(t, nil)
	staff := newStaff(t, h)
	tk := sampleTicket()
	tk.Thread = ""
	thread, err := staff.Post(context.Background(), tk) // chat.postMessage
	if err != nil {
		t.Fatal(err)
	}
	tk.Thread, tk.State, tk.TakenBy = thread, desk.StateTaken, "U0STAFF01"
	if err := staff.Note(context.Background(), tk, desk.Message{Kind: desk.KindTaken, By: "U0STAFF01"}); err != nil { // chat.update
		t.Fatal(err)
	}
	record(h)

	for op := range called {
		if _, ok := methodScopes[op]; !ok {
			t.Errorf("the adapter calls %s, which methodScopes does not list: add it with its scope", op)
		}
	}
	for op := range methodScopes {
		if !called[op] {
			t.Errorf("methodScopes lists %s, which the adapter did not call: remove it (and its scope if nothing else needs it)", op)
		}
	}
	t.Logf("methods called: %v; scopes: %v", slices.Sorted(maps.Keys(called)), usedScopes(t))
}
