package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/line"
	"github.com/supportbot/supportbot/internal/metrics"
	"github.com/supportbot/supportbot/internal/ratelimit"
	"github.com/supportbot/supportbot/internal/slack"
	"github.com/supportbot/supportbot/internal/work"
)

// Channels are the platform adapters' handlers; nil ones are not mounted.
type Channels struct {
	Line              http.Handler // POST /line/webhook
	SlackEvents       http.Handler // POST /slack/events
	SlackCommands     http.Handler // POST /slack/commands
	SlackInteractions http.Handler // POST /slack/interactions
	// SocketMode receives Slack events over a WebSocket instead of HTTP
	// (SLACK_APP_TOKEN); nil when not configured.
	SocketMode func(ctx context.Context) error
}

// ChannelConfig is the platform settings and what the adapters share.
// A channel is enabled by its credentials; half a set is an error the
// caller reports before this is called (see cmd/supportbot config).
type ChannelConfig struct {
	LineChannelSecret, LineAccessToken, LineAPIBaseURL            string
	SlackSigningSecret, SlackBotToken, SlackAppToken, SlackAPIURL string

	Bot        bot.Answerer
	Dedupe     bot.Deduper
	Pool       *work.Pool
	Limiter    *ratelimit.Limiter
	Metrics    *metrics.Metrics
	Logger     *slog.Logger
	HTTPClient *http.Client
}

// LineEnabled reports whether LINE is configured.
func (c ChannelConfig) LineEnabled() bool { return c.LineChannelSecret != "" }

// SlackEnabled reports whether Slack is configured.
func (c ChannelConfig) SlackEnabled() bool { return c.SlackBotToken != "" }

// NewChannels builds the adapters of the configured channels. Slack's
// HTTP routes are mounted only with a signing secret; Socket Mode runs
// only with an app token.
func NewChannels(c ChannelConfig) (Channels, error) {
	var ch Channels
	if c.LineEnabled() {
		h, err := line.NewHandler(line.Config{
			ChannelSecret: c.LineChannelSecret, AccessToken: c.LineAccessToken, APIBaseURL: c.LineAPIBaseURL,
			Bot: c.Bot, Dedupe: c.Dedupe, Pool: c.Pool, Limiter: c.Limiter, Metrics: c.Metrics,
			Logger: c.Logger, HTTPClient: c.HTTPClient,
		})
		if err != nil {
			return Channels{}, fmt.Errorf("line: %w", err)
		}
		ch.Line = h
	}
	if c.SlackEnabled() {
		apiURL := c.SlackAPIURL
		if apiURL != "" && !strings.HasSuffix(apiURL, "/") {
			apiURL += "/" // the Slack client joins method names onto it
		}
		a, err := slack.New(slack.Config{
			SigningSecret: c.SlackSigningSecret, BotToken: c.SlackBotToken, AppToken: c.SlackAppToken, APIURL: apiURL,
			Bot: c.Bot, Dedupe: c.Dedupe, Pool: c.Pool, Limiter: c.Limiter, Metrics: c.Metrics,
			Logger: c.Logger, HTTPClient: c.HTTPClient,
		})
		if err != nil {
			return Channels{}, fmt.Errorf("slack: %w", err)
		}
		if c.SlackSigningSecret != "" {
			ch.SlackEvents, ch.SlackCommands, ch.SlackInteractions = a.Events(), a.Commands(), a.Interactions()
		}
		if c.SlackAppToken != "" {
			ch.SocketMode = a.RunSocketMode
		}
	}
	return ch, nil
}
