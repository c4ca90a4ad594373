// Package handoff is the desk between a person the bot cannot help and
// the support staff: a person on LINE or the web chat asks for a person,
// agrees to what will be shared, and a ticket is posted to the staff (in
// Slack); their replies in the ticket's thread reach the person, and what
// the person writes reaches the thread, until either side ends it.
//
// The package is channel-neutral: it imports no SDK and no store. It owns
// the rules — one open ticket per person, the staff's hours and holidays,
// reminders for tickets nobody took, who may rate what — and the
// contracts of the parts around it: Store keeps tickets, messages and
// their delivery state (internal/sqlite, internal/postgres; the suite in
// internal/storetest); Staff is the staff's side (internal/slack);
// Outbox reaches the person (internal/line pushes, internal/web streams);
// Engine is the bot, which words everything the person reads
// (internal/dialog).
//
// Desk is a bot.Answerer around the engine (the gate): it tells the
// engine where each conversation stands (bot.Question.Desk), so that
// "Ask a person" is offered where it helps and, while a ticket is open,
// the person's text is relayed instead of answered; it acts on consent,
// the end and ratings.
//
// Every message is written to the Store before it is delivered, and
// delivered from there: in order per ticket and side, claimed so that one
// replica sends it, retried with the same key (LINE's X-Line-Retry-Key)
// after a failure, and swept up by any replica when the one that wrote it
// stopped. A staff reply is stored under its Slack ts, so a retried event
// or a copy seen by two replicas is delivered once.
package handoff
