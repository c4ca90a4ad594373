package main

import (
	"context"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/line"
	"github.com/supportbot/supportbot/internal/server"
	"github.com/supportbot/supportbot/internal/slack"
	"github.com/supportbot/supportbot/internal/web"
)

// channels are the adapters the settings turn on: the routes they serve
// and what runs beside the HTTP server (Slack's Socket Mode).
type channels struct {
	handlers   server.Handlers
	background []func(ctx context.Context) error
	// slack is the Slack adapter when Slack is on: the staff channel's
	// posts go through it.
	slack *slack.Adapter
}

// newChannels builds the web chat and every configured platform from one
// set of dependencies. A channel is on when its credentials are
// (line.Credentials, slack.Credentials); loadConfig has already refused
// half a set. insights, if set, answers /support insights in the staff
// channel.
func newChannels(c config, d adapter.Deps, insights slack.Insights) (channels, error) {
	var ch channels
	w, err := web.New(web.Config{Deps: d, Inflight: c.WebInflight})
	if err != nil {
		return channels{}, err
	}
	ch.handlers.Page, ch.handlers.Static, ch.handlers.Chat = w.Page(), w.Static(), w.Chat()
	if c.LINE.Enabled() {
		a, err := line.New(line.Config{Credentials: c.LINE, Deps: d})
		if err != nil {
			return channels{}, err
		}
		ch.handlers.LINE = a.Webhook()
	}
	if c.Slack.Enabled() {
		a, err := slack.New(slack.Config{Credentials: c.Slack, Deps: d, StaffChannel: c.StaffChannel, Insights: insights})
		if err != nil {
			return channels{}, err
		}
		if c.Slack.HTTP() {
			ch.handlers.SlackEvents, ch.handlers.SlackCommands, ch.handlers.SlackInteractions = a.Events(), a.Commands(), a.Interactions()
		}
		if c.Slack.SocketMode() {
			ch.background = append(ch.background, a.RunSocketMode)
		}
		ch.background = append(ch.background, a.Background)
		ch.slack = a
	}
	return ch, nil
}
