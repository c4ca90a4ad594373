package main

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/handoff"
	"github.com/supportbot/supportbot/internal/line"
	"github.com/supportbot/supportbot/internal/metrics"
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
// channel; desk, if set, is the handoff desk whose staff side is Slack.
func newChannels(c config, d adapter.Deps, insights slack.Insights, desk *handoff.Desk, stopping <-chan struct{}) (channels, error) {
	var ch channels
	wc := web.Config{Deps: d, Inflight: c.WebInflight, Done: stopping}
	if desk != nil {
		wc.Events = desk
	}
	w, err := web.New(wc)
	if err != nil {
		return channels{}, err
	}
	ch.handlers.Page, ch.handlers.Static, ch.handlers.Chat, ch.handlers.Stream = w.Page(), w.Static(), w.Chat(), w.Stream()
	if c.LINE.Enabled() {
		a, err := line.New(line.Config{Credentials: c.LINE, Deps: d})
		if err != nil {
			return channels{}, err
		}
		ch.handlers.LINE = a.Webhook()
	}
	if c.Slack.Enabled() {
		sc := slack.Config{Credentials: c.Slack, Deps: d, StaffChannel: c.StaffChannel, Insights: insights}
		if desk != nil {
			sc.Handoff = slack.Handoff{Channel: c.HandoffChannel, Desk: desk}
		}
		a, err := slack.New(sc)
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

// newDesk builds the handoff desk: tickets in the database, the staff in
// the Slack channel, and an outbox for each channel that can reach a
// person outside a reply (LINE push, the web chat's stream).
func newDesk(c config, db database, engine handoff.Engine, client *http.Client, hm *metrics.Handoff, m *metrics.Metrics, log *slog.Logger) (*handoff.Desk, error) {
	deps := adapter.Deps{HTTPClient: client, Metrics: m, Logger: log}
	staff, err := slack.NewStaff(slack.StaffConfig{Credentials: c.Slack, Channel: c.HandoffChannel, Zone: c.HandoffHours.Location(), Deps: deps})
	if err != nil {
		return nil, err
	}
	outboxes := map[string]handoff.Outbox{web.Channel: web.Outbox{}}
	if c.LINE.Enabled() {
		push, err := line.NewPush(c.LINE, deps)
		if err != nil {
			return nil, err
		}
		outboxes["line"] = push
	}
	return handoff.New(handoff.Config{
		Store: db.tickets, Engine: engine, Staff: staff, Outboxes: outboxes,
		Hours: c.HandoffHours, Remind: c.HandoffRemind, Listen: db.listen,
		Metrics: hm, Logger: log,
	})
}
