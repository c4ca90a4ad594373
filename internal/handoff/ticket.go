package handoff

import (
	"errors"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
)

// State is where a ticket stands.
type State string

// The states of a ticket: open (nobody took it yet), taken by a staff
// member, closed.
const (
	StateOpen   State = "open"
	StateTaken  State = "taken"
	StateClosed State = "closed"
)

// Closer says who closed a ticket.
type Closer string

// Who closes tickets.
const (
	ClosedByPerson   Closer = "person"   // the person ended it (「終了」, "end")
	ClosedByStaff    Closer = "staff"    // a staff member pressed Close
	ClosedByUnfollow Closer = "unfollow" // the person blocked the bot (LINE unfollow)
)

// Ticket is one person's request to talk with the staff.
type Ticket struct {
	// ID is the ticket number people and staff see (#12).
	ID int64
	// Conversation is the person's conversation id ("line:U…", "web:…"):
	// where replies go. It is never shown to the staff and never logged.
	Conversation string
	// Channel is the person's channel ("line", "web").
	Channel string
	// Lang is the person's language when they asked.
	Lang  bot.Lang
	State State
	// Opened is when the person agreed; Opens, when that was outside the
	// staff's hours, is when they are next in.
	Opened, Opens time.Time
	// TakenBy is the staff member who took it (their Slack user id).
	TakenBy string
	Taken   time.Time
	// Closed is when it closed, ClosedBy who closed it and Closer, for a
	// staff member, their user id.
	Closed   time.Time
	ClosedBy Closer
	Closer   string
	// Rating is the person's 👍/👎 on the help, "" until given.
	Rating bot.Vote
	// Recent is what the conversation said before: the person's last
	// questions and the bot's last answer (user text).
	Recent bot.Recent
	// Thread is the ticket's thread on the staff's side (Slack's ts of
	// the ticket post); "" until the ticket is posted.
	Thread string
	// Reminders counts the reminders posted while nobody took it.
	Reminders int
}

// Side is whom a message is for.
type Side string

// The two sides of a ticket.
const (
	SideStaff  Side = "staff"  // posted in the ticket's thread (Staff)
	SidePerson Side = "person" // delivered to the person (Outbox)
)

// Kind says what a message is.
type Kind string

// The kinds of message.
const (
	KindTicket      Kind = "ticket"      // staff: the ticket itself, which starts the thread
	KindText        Kind = "text"        // staff: the person's words; person: a staff member's reply
	KindFile        Kind = "file"        // person: a staff member shared only files; staff: files are not passed on
	KindTaken       Kind = "taken"       // both: a staff member took the ticket (By)
	KindClosed      Kind = "closed"      // both: the ticket closed (By: the Closer, and who)
	KindReminder    Kind = "reminder"    // staff: nobody took the ticket yet
	KindUndelivered Kind = "undelivered" // staff: a reply did not reach the person
	KindLate        Kind = "late"        // staff: a reply in the thread of a closed ticket was not passed on
	KindRated       Kind = "rated"       // staff: the person rated the help (Text: up or down)
)

// Delivery is where a message stands.
type Delivery string

// The delivery states.
const (
	Pending Delivery = "pending"
	Sent    Delivery = "sent"
	Failed  Delivery = "failed" // given up: the side it was for was told where it could be
)

// Message is something for one side of a ticket, kept until it is
// delivered.
type Message struct {
	// ID orders a ticket's messages and names them in the web chat's
	// stream (its event ids).
	ID     int64
	Ticket int64
	Side   Side
	Kind   Kind
	// Source identifies the message where it came from — the Slack ts of
	// a staff reply, the platform's id of the person's message — so that
	// the same one added twice is kept once. Add fills in a fresh one when
	// it is empty.
	Source string
	// Text is, for the staff, the person's words or a note's detail; for
	// the person, the answer they get, encoded (Answer).
	Text string
	// By is who did what a note tells: a staff member's user id, or a
	// Closer.
	By string
	// Files counts files that came with the message and are not passed
	// on.
	Files int
	At    time.Time
	State Delivery
	// Attempts counts the deliveries tried.
	Attempts int
	// Key is the same on every attempt to deliver the message: LINE's
	// X-Line-Retry-Key, so a retried push is delivered once.
	Key string
}

// Due names a ticket with a message for one side that is due to be
// delivered.
type Due struct {
	Ticket int64
	Side   Side
}

// Errors of the Store and the desk.
var (
	// ErrNotFound: no such ticket, no open ticket, or no message due.
	ErrNotFound = errors.New("handoff: not found")
	// ErrOpen: the conversation has a ticket open already (one per person).
	ErrOpen = errors.New("handoff: a ticket is open")
	// ErrRefused is wrapped by an Outbox that cannot reach the person and
	// never will with this message (blocked, over the message quota):
	// the message is given up and the staff are told.
	ErrRefused = errors.New("handoff: the person cannot be reached")
)
