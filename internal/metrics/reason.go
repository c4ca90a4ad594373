package metrics

// Reason labels why a platform request was refused (Rejected), work was
// shed at a limit (Backpressure) or a reply was given up (Failed). Every
// adapter names the same case the same way, so one alert or dashboard
// query covers LINE, Slack and the web chat alike.
type Reason string

// Refused before processing: Rejected.
const (
	ReasonMethod    Reason = "method"    // not POST
	ReasonTooLarge  Reason = "too_large" // body over the limit
	ReasonRead      Reason = "read"      // body unreadable
	ReasonSignature Reason = "signature" // missing or wrong signature
	ReasonStale     Reason = "stale"     // signed too long ago (replay window)
	ReasonMalformed Reason = "malformed" // verified, but not a request we understand
)

// Shed at a limit: Backpressure.
const (
	ReasonRateLimit Reason = "rate_limit" // the person's own rate limit
	ReasonQueue     Reason = "queue"      // the work queue is full
	ReasonShutdown  Reason = "shutdown"   // the server is stopping
	ReasonInflight  Reason = "inflight"   // too many web chat answers at once
	ReasonAppLimit  Reason = "app_rate_limited"
	ReasonShed      Reason = "shed" // both work queues full: acknowledged, not answered
)

// Given up: Failed.
const (
	ReasonAnswer      Reason = "answer"       // the bot gave no answer
	ReasonRender      Reason = "render"       // the answer could not be encoded for the platform
	ReasonClient      Reason = "client"       // the API client could not be built
	ReasonAck         Reason = "ack"          // a Socket Mode acknowledgement failed
	ReasonRateLimited Reason = "rate_limited" // the platform's 429, past the retries
	ReasonServerError Reason = "server_error" // the platform's 5xx, past the retries
	ReasonTimeout     Reason = "timeout"      // no response in time, past the retries
	ReasonNetwork     Reason = "network"      // no connection, past the retries
	ReasonRejected    Reason = "rejected"     // the platform refused the call (4xx, Slack's ok:false)
	ReasonExpired     Reason = "expired"      // a retry would come after the reply window or job deadline
	ReasonCanceled    Reason = "canceled"     // the job was cancelled (shutdown deadline)
	ReasonResponseURL Reason = "response_url" // a Slack response_url used up, expired or foreign
	ReasonStaleEvent  Reason = "stale_event"  // a redelivered event older than its reply token's life
	ReasonUnknown     Reason = "error"        // anything else
)

// Lost from the question log: LogDropped.
const (
	ReasonBufferFull    Reason = "buffer_full"    // the writer fell behind and its buffer was full
	ReasonStore         Reason = "store"          // the database failed the write, past the retries
	ReasonUnknownAnswer Reason = "unknown_answer" // a vote for an answer the log does not hold for that conversation
)
