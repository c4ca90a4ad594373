package bot

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// A conversation handed to a person: when the bot cannot help, a person
// on LINE or the web chat may ask the support staff, who answer in Slack
// (internal/handoff is the desk between them). These are the words the
// desk and the engine exchange: the desk keeps the tickets and carries
// the messages; the engine (internal/dialog) says everything the person
// reads, in their language.

// Desk tells the engine where a conversation stands with the staff.
type Desk struct {
	// Offer: a person can be asked in this conversation (handoff is
	// configured and its channel can carry the staff's replies), so the
	// engine offers "Ask a person" where it helps: when nothing fits,
	// after a 👎, with urgent answers and in the menu.
	Offer bool
	// Ticket is the number of the conversation's open ticket, 0 when none
	// is open. While one is open the engine answers typed text only when it
	// asks for the menu or to end; anything else it answers with
	// KindRelayed, and the desk passes it to the staff.
	Ticket int64
}

// DeskEvent is something the desk did that the person is told about.
type DeskEvent string

// The desk's events.
const (
	DeskOpened      DeskEvent = "opened"       // a ticket was opened and posted to the staff
	DeskQueued      DeskEvent = "queued"       // a ticket was opened and saved; the staff's channel did not answer, so it is posted later
	DeskAlreadyOpen DeskEvent = "already_open" // one ticket per person: the open one goes on
	DeskUnavailable DeskEvent = "unavailable"  // no ticket could be opened (the database did not answer)
	DeskTaken       DeskEvent = "taken"        // a staff member took the ticket
	DeskReply       DeskEvent = "reply"        // a staff member's reply (DeskNote.Text)
	DeskFile        DeskEvent = "file"         // a staff member shared files the chat cannot carry (DeskNote.Files)
	DeskClosed      DeskEvent = "closed"       // the staff closed the ticket; the person may rate the help
	DeskEnded       DeskEvent = "ended"        // the person ended it; they may rate the help
	DeskRated       DeskEvent = "rated"        // a rating was kept
	DeskRateRefused DeskEvent = "rate_refused" // a rating for a ticket not this person's, not closed, or rated already
	DeskNotOpen     DeskEvent = "not_open"     // an end or consent with nothing to act on
)

// DeskNote is a desk event with what the engine needs to word it.
type DeskNote struct {
	Event  DeskEvent
	Ticket int64
	// Text is a staff member's reply (DeskReply), as plain text.
	Text string
	// Files counts the files a staff member shared (DeskFile, or beside
	// the Text of a DeskReply).
	Files int
	// Opens is when the staff are next in, in their time zone, for a
	// ticket opened outside their hours; zero within them.
	Opens time.Time
}

// Recent is what a conversation said lately, for a ticket: the person's
// last questions, oldest first, and a summary of the bot's last answer.
// It is user text.
type Recent struct {
	Lang      Lang
	Questions []string
	Answer    string
}

// RateValue encodes the value of an ActionRate button: a vote on the help
// of ticket ("up.12").
func RateValue(v Vote, ticket int64) string { return string(v) + "." + strconv.FormatInt(ticket, 10) }

// ErrBadRating is returned by ParseRate for a value that is not a rating.
var ErrBadRating = errors.New("bot: not a rating")

// ParseRate decodes a value made by RateValue. Nothing here says the
// ticket is the rater's: the desk checks.
func ParseRate(value string) (Vote, int64, error) {
	v, n, ok := strings.Cut(value, ".")
	if !ok || !Vote(v).Valid() || n == "" || len(n) > 18 || n[0] == '0' || strings.Trim(n, "0123456789") != "" {
		// Digits only: ParseInt would take a sign ("+1"), which does not
		// encode back to the same payload.
		return "", 0, ErrBadRating
	}
	id, err := strconv.ParseInt(n, 10, 64)
	if err != nil || id <= 0 {
		return "", 0, ErrBadRating
	}
	return Vote(v), id, nil
}
