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
// runs, so a retry of one we already took is answered once. Overload never
// fails a delivery (Slack turns off the subscriptions of an app that fails
// most of them): an event that finds the queue full waits in the pool's
// overflow queue, and past that is shed with a short busy notice to its
// author (native.go). The person's Slack locale (users.info) gives the
// language when nothing else does; a person over their rate limit is told
// so once a minute; blocks Slack refuses are sent again as text.
package slack
