// Package slacktest stands in for Slack in tests and in cmd/loadgen: it
// signs requests as Slack does (sign.go), builds Events API callbacks,
// slash command forms and interaction payloads shaped like Slack's
// (payloads.go), and serves a stand-in for the Web API and for
// response_url hooks that records every call and can be told to fail
// (api.go), with the error bodies Slack answers with.
//
// It links nothing of the bot — no engine, analysis, matcher or adapter —
// so a load generator can import it without carrying the bot along.
package slacktest
