// Package line is supportbot's LINE channel: it owns POST /line/webhook and
// everything LINE-shaped. It verifies the X-Line-Signature on the raw body,
// turns webhook events into bot.Questions (text, postbacks from our own
// buttons, follow, join, unfollow, stickers and media), acknowledges LINE at
// once and answers in the shared work pool, rendering each bot.Answer as a
// text message, a Flex carousel of programme cards and quick replies within
// every documented LINE limit (limits.go), and replying with the reply
// token through the official SDK's client, with bounded retries.
//
// Delivery is at least once from LINE and at most once from us: an event
// is recognised by its webhookEventId in the shared bot.Deduper when its
// job runs, so a webhook refused with 503 (full queue) and redelivered by
// LINE is answered exactly once; a redelivery older than its reply
// token's life is counted, not answered. Webhooks are read with the
// adapter's own types (events.go), held to the SDK's reading by the
// tests; replies are encoded by hand (encode.go), byte for byte what the
// SDK would send. The person's profile language answers when nothing else
// says which language to use; a person over their rate limit is told so
// once a minute with the reply token; a reply LINE refuses is sent again
// as plain text; in groups answers quote the message they answer.
package line
