// Package slack is supportbot's Slack channel: it owns POST /slack/events,
// /slack/commands and /slack/interactions, and the same features over
// Socket Mode. Every request is verified on its raw, size-bounded body with
// the signing secret (v0 scheme, five-minute replay window) before it is
// parsed; events are acknowledged at once and answered in the shared work
// pool; app_mention is answered in its thread, message.im in the DM,
// app_home_opened with a published Home tab; /support answers ephemerally
// with a button to share the answer to the channel; our buttons come back
// as block_actions carrying bot.Action payloads. For the support-network
// staff it posts the weekly digest and refused knowledge reloads to their
// channel and answers /support insights there (staff.go, digest.go), from
// plain data its caller makes: it imports neither the question log nor
// the insights. Answers are rendered as
// Block Kit within every documented limit (limits.go) with a plain-text
// fallback, and sent through slack-go with bounded retries (429 honours
// Retry-After, 5xx backs off).
//
// Delivery is at least once from Slack and at most once from us: an event
// is recognised by its event_id in the shared bot.Deduper when its job
// runs, so an event refused with 503 (full queue) and retried by Slack is
// answered exactly once, and so is a retry of one we already took.
package slack
