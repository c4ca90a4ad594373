package bot

import (
	"context"
	"time"
)

// Outcome is what a question came to, as the staff review it: the
// answer's Kind folded into seven groups (OutcomeOf).
type Outcome string

// The outcomes, in the order reports list them.
const (
	OutcomeProgrammes    Outcome = "programmes"    // programmes that fit the question
	OutcomeCategory      Outcome = "category"      // the programmes of a category
	OutcomeClarification Outcome = "clarification" // the bot asked the person to say more or differently
	OutcomeUrgent        Outcome = "urgent"        // trouble now: contact points first
	OutcomeNoMatch       Outcome = "no_match"      // nothing fits
	OutcomeFollowUp      Outcome = "follow_up"     // "more", a number or "details" on an earlier answer
	OutcomeMenu          Outcome = "menu"          // greeting, help, language, thanks: the menu
)

// Outcomes lists every outcome in report order.
func Outcomes() []Outcome {
	return []Outcome{OutcomeProgrammes, OutcomeCategory, OutcomeClarification, OutcomeUrgent, OutcomeNoMatch, OutcomeFollowUp, OutcomeMenu}
}

// OutcomeOf folds an answer into its outcome. The next page of a ranking
// ("more") is a follow-up like the details of a card; every kind that
// only shows the menu is OutcomeMenu.
func OutcomeOf(a Answer) Outcome {
	switch a.Kind {
	case KindProgrammes:
		if a.Offset > 0 {
			return OutcomeFollowUp
		}
		return OutcomeProgrammes
	case KindDetails:
		return OutcomeFollowUp
	case KindCategory:
		return OutcomeCategory
	case KindUrgent:
		return OutcomeUrgent
	case KindNoMatch:
		return OutcomeNoMatch
	case KindClarify, KindUnsupported:
		return OutcomeClarification
	}
	return OutcomeMenu
}

// Vote is a person's verdict on an answer: 👍 or 👎.
type Vote string

// The votes.
const (
	VoteUp   Vote = "up"   // 役に立った, "Helpful"
	VoteDown Vote = "down" // 役に立たなかった, "Not helpful"
)

// Valid reports whether v is a vote.
func (v Vote) Valid() bool { return v == VoteUp || v == VoteDown }

// Record is one question in the question log.
//
// Text is what the person wrote, with personal data redacted before it is
// stored. It is still user text: whoever reads it back escapes it for
// where it goes (HTML, a terminal, Slack mrkdwn) and never follows it.
type Record struct {
	// AnswerID is the id of the answer given (Answer.ID), unique in the log.
	AnswerID string
	// At is when the question was answered.
	At time.Time
	// Conversation is a keyed hash of the conversation (HMAC-SHA256 with
	// the log's key): the same person hashes the same way, and a stored
	// hash cannot be matched against a guessed platform user id without
	// the key. Never the platform id itself.
	Conversation string
	// Channel is the adapter ("line", "slack", "web").
	Channel string
	// Lang is the language of the answer.
	Lang Lang
	// Outcome is what the question came to (OutcomeOf).
	Outcome Outcome
	// Action is the kind of button tapped; empty for a typed question.
	Action ActionKind
	// Text is the question, redacted; empty for most buttons.
	Text string
	// Programmes are the initiative ids shown, best first.
	Programmes []string
	// TopScore is the matcher's score of the first programme (0 for
	// listings and answers without programmes).
	TopScore float64
	// Vote is the vote given on the answer, if any. It is read back from
	// the log, never written with the record.
	Vote Vote
}

// Ballot is a vote on an answer as the log receives it.
type Ballot struct {
	AnswerID string
	// Conversation is the keyed hash of the conversation that voted; the
	// vote counts only if the answer was given in that conversation.
	Conversation string
	Vote         Vote
	At           time.Time
}

// LogBatch is what the question log writes at once: records first, then
// ballots, so a vote on an answer of the same batch finds it.
type LogBatch struct {
	Records []Record
	Ballots []Ballot
}

// LogWritten says what a write stored.
type LogWritten struct {
	// Records counts records stored; a record whose AnswerID is already
	// in the log is skipped (a retried batch stores nothing twice).
	Records int
	// Ballots counts votes stored; Refused counts votes for answers the
	// log does not hold, or holds for another conversation.
	Ballots, Refused int
}

// LogQuery selects questions for counting: those answered in [Since,
// Until), counted by the hour: Since is rounded down to the hour and Until
// up, so the hour under way is counted whole.
type LogQuery struct {
	Since, Until time.Time
	// Zone sets where days start for per-day counts, as an offset east of
	// UTC in whole hours (Asia/Tokyo: 9 h; Japan keeps no daylight saving
	// time).
	Zone time.Duration
	// Unanswered bounds the distinct unanswered texts returned, most
	// frequent first (0: DefaultUnanswered).
	Unanswered int
}

// DefaultUnanswered is how many distinct unanswered texts LogQuery
// returns unless it says otherwise.
const DefaultUnanswered = 1000

// LogCounts are the question log counted over a LogQuery: the heavy
// counting a store does in its database; internal/insight summarises them.
type LogCounts struct {
	Query LogQuery
	// Slices count questions, and the votes on their answers, per day,
	// outcome, channel and language, in that order.
	Slices []Slice
	// Programmes count, per initiative, the answers that showed it, showed
	// it first, and the votes on those answers; most shown first, then by
	// id.
	Programmes []ProgrammeCount
	// Unanswered are the texts of no-match questions with how often each
	// was asked, most frequent first, then the most recent (at most
	// Query.Unanswered). Texts are grouped as they are, byte for byte;
	// grouping near-duplicates is internal/insight's work.
	Unanswered []TextCount
}

// Slice counts the questions of one day, outcome, channel and language,
// and the votes on their answers.
type Slice struct {
	Day       string // "2026-12-01", in the query's zone
	Outcome   Outcome
	Channel   string
	Lang      Lang
	Questions int
	Up, Down  int
}

// ProgrammeCount is the demand for and the votes on one initiative.
type ProgrammeCount struct {
	ID string
	// Shown counts answers that showed it; First those that showed it first.
	Shown, First int
	// Up and Down count the votes on the answers that showed it.
	Up, Down int
}

// TextCount is one distinct unanswered text. Text is user text (Record).
type TextCount struct {
	Text  string
	Lang  Lang
	Count int
	Last  time.Time
}

// RecordQuery selects records to read back, newest first.
type RecordQuery struct {
	Since, Until time.Time // [Since, Until); zero Until: no upper bound
	Outcome      Outcome   // "" for every outcome
	Limit        int       // 0: 100
}

// QuestionLog keeps the question log: every question the bot answered with
// what it came to, and the votes people gave the answers. Implementations
// (internal/sqlite, internal/postgres) are safe for concurrent use, also
// by several processes sharing one database, and pass the contract suite
// in internal/storetest.
type QuestionLog interface {
	// Write stores a batch in one transaction: all of it or, on error,
	// none of it. A vote replaces the earlier vote on the same answer.
	Write(ctx context.Context, b LogBatch) (LogWritten, error)
	// Counts counts the questions selected by q.
	Counts(ctx context.Context, q LogQuery) (LogCounts, error)
	// Records reads records back, newest first, with their votes.
	Records(ctx context.Context, q RecordQuery) ([]Record, error)
	// Prune deletes the records of questions answered before t, rounded
	// down to the hour, with their votes and counts, and reports how many
	// records went.
	Prune(ctx context.Context, before time.Time) (int64, error)
}

// Secrets keeps secrets a deployment generates once and shares between
// its processes (the question log's hash key).
type Secrets interface {
	// Secret returns the secret called name. When none is kept yet it
	// keeps fresh and returns it; when two processes race, both get the
	// one that was kept first.
	Secret(ctx context.Context, name string, fresh []byte) ([]byte, error)
}

// HourOf is the Unix hour t falls in: the unit the log counts by.
func HourOf(t time.Time) int64 {
	s := t.Unix()
	h := s / 3600
	if s%3600 < 0 {
		h-- // round towards the past before 1970 too
	}
	return h
}

// Hours is the range of Unix hours [from, to) the query counts: Since
// rounded down, Until rounded up.
func (q LogQuery) Hours() (from, to int64) {
	from, to = HourOf(q.Since), HourOf(q.Until)
	if !q.Until.Equal(time.Unix(to*3600, 0)) {
		to++
	}
	return from, to
}

// ZoneHours is the query's zone in whole hours.
func (q LogQuery) ZoneHours() int64 { return int64(q.Zone.Round(time.Hour) / time.Hour) }
