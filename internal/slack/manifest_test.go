package slack

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
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
			// message.channels and message.groups carry the staff's
			// replies in the threads of the handoff channel (public or
			// private); the adapter reads nothing else of them.
			if want := []string{"app_home_opened", "app_mention", "message.channels", "message.groups", "message.im"}; !slices.Equal(events, want) {
				t.Errorf("bot_events = %v; want %v", events, want)
			}
			// The scopes these need, and no others.
			scopes := slices.Sorted(slices.Values(m.OAuth.Scopes.Bot))
			if want := []string{"app_mentions:read", "channels:history", "chat:write", "commands", "groups:history", "im:history", "im:read", "im:write"}; !slices.Equal(scopes, want) {
				t.Errorf("bot scopes = %v; want exactly %v", scopes, want)
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
