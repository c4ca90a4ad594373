// Package bot is supportbot's channel-neutral core. An adapter turns a
// platform event into a Question; Bot.Answer runs analysis, matching and the
// dialog and returns an Answer: plain data (text, programme cards, contact
// points, quick-reply suggestions, actions with payloads) that the LINE,
// Slack and web adapters render without knowing how matching works.
//
// The package imports no platform SDK. Conversation state and event
// de-duplication are contracts (ConversationStore, Deduper) implemented in
// memory by internal/inmem and on Redis by internal/redis.
package bot
