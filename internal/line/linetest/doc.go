// Package linetest stands in for LINE in tests and in cmd/loadgen: it signs
// webhook bodies as LINE does (sign.go), builds webhook bodies shaped like
// LINE's documented event objects (webhook.go), and serves a stand-in for
// the Messaging API that records every call and can be told to misbehave
// (api.go), with the error bodies LINE answers with.
//
// It links nothing of the bot — no engine, analysis, matcher or adapter —
// so a load generator can import it without carrying the bot along.
package linetest
