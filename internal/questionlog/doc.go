// Package questionlog keeps the question log around a bot.Answerer, the
// way adapter.Measure counts answers: the engine and the adapters know
// nothing of it.
//
// Log.Wrap returns an Answerer that gives every answer an id, asks for
// 👍/👎 on answers that show programmes (with a tag that binds the vote
// to the conversation, so nobody can vote on another conversation's
// answer or make up an id), checks and queues the votes, and queues a
// record of every question. Log.Run writes the queue in batches, off the
// answer path: redacting personal data (internal/redact), hashing the
// conversation with the log's key (HMAC-SHA256), and deleting records
// past their retention. A database that is slow or down never holds up an
// answer: the queue is bounded, a batch that keeps failing is dropped,
// and every loss is counted in /metrics and logged at most once a minute.
package questionlog
