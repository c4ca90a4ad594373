// Package server owns supportbot's HTTP surface: NewServer builds the
// handler (routes.go lists every route), the middleware every request goes
// through (request id, access log, panic recovery, body limit, metrics),
// the health, readiness and metrics endpoints, and Serve, which runs the
// HTTP server and drains in-flight work on shutdown. The channel adapters
// (web, LINE, Slack) plug in as handlers; the bot is wrapped here so every
// channel's answers are measured the same way without the core importing
// metrics.
package server
