// Package server owns supportbot's HTTP surface: NewServer builds the
// handler (routes.go lists every route), the middleware every request goes
// through (request id, access log, panic recovery, body limit, metrics),
// the health, readiness and metrics endpoints, and Service, which runs the
// HTTP server and drains in-flight work on shutdown. The channels (web,
// LINE, Slack) plug in as plain handlers built in cmd/supportbot: the
// server imports no adapter, store or engine.
package server
