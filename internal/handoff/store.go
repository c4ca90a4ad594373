package handoff

import (
	"context"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
)

// Store keeps tickets, their messages and the messages' delivery state.
// Implementations (internal/sqlite, internal/postgres) are safe for
// concurrent use, also by several processes sharing one database, and
// pass the contract suite in internal/storetest (Tickets). Times are kept
// to the millisecond. A transition and the messages that tell of it are
// written in one transaction: both, or on error neither.
type Store interface {
	// Open opens t (its ID, State and Thread are set by the store) with
	// msgs, unless t.Conversation has a ticket open or taken: then it
	// returns that ticket and ErrOpen, and adds nothing.
	Open(ctx context.Context, t Ticket, msgs ...Message) (Ticket, error)
	// Current returns the conversation's ticket that is open or taken, or
	// ErrNotFound.
	Current(ctx context.Context, conversation string) (Ticket, error)
	// Get returns a ticket, or ErrNotFound.
	Get(ctx context.Context, id int64) (Ticket, error)
	// ByThread returns the ticket whose thread is thread, or ErrNotFound.
	ByThread(ctx context.Context, thread string) (Ticket, error)
	// Take marks an open ticket taken by staff, adding msgs. When it is
	// not open (taken or closed already) it changes and adds nothing and
	// reports false, with the ticket as it is.
	Take(ctx context.Context, id int64, staff string, at time.Time, msgs ...Message) (Ticket, bool, error)
	// Close closes a ticket that is not closed, adding msgs; who is the
	// staff member's user id when by is ClosedByStaff. A closed ticket is
	// left as it is, and false reported.
	Close(ctx context.Context, id int64, by Closer, who string, at time.Time, msgs ...Message) (Ticket, bool, error)
	// Rate keeps v as the rating of a closed ticket of conversation that
	// has none yet, adding msgs; otherwise it changes nothing and reports
	// false.
	Rate(ctx context.Context, id int64, conversation string, v bot.Vote, msgs ...Message) (bool, error)
	// Remind records reminder n of a ticket that is still open (not taken)
	// and has had n-1, adding msgs; false when it has not (another
	// replica reminded first, or someone took it).
	Remind(ctx context.Context, id int64, n int, at time.Time, msgs ...Message) (bool, error)
	// Add adds a message, pending. When the ticket already has a message
	// for that side from the same Source it adds nothing and returns that
	// one with false. An empty Source is made unique.
	Add(ctx context.Context, m Message) (Message, bool, error)
	// Claim claims the first pending message of a ticket for side, in
	// order, if it is due at now (never claimed, or its claim or retry
	// time has passed), until until, counting an attempt. The messages
	// after it wait: ErrNotFound while it is claimed or not due, and when
	// none is pending.
	Claim(ctx context.Context, ticket int64, side Side, now, until time.Time) (Message, error)
	// Sent records a claimed message delivered; for a KindTicket message,
	// thread is the ticket's thread, kept with the ticket.
	Sent(ctx context.Context, id int64, at time.Time, thread string) error
	// Retry releases a claimed message until retry, when it is due again.
	Retry(ctx context.Context, id int64, retry time.Time) error
	// Fail gives a claimed message up.
	Fail(ctx context.Context, id int64, at time.Time) error
	// Due lists tickets with a pending message due at now, at most limit.
	Due(ctx context.Context, now time.Time, limit int) ([]Due, error)
	// Waiting lists tickets posted to the staff that nobody has taken,
	// oldest first, at most limit.
	Waiting(ctx context.Context, limit int) ([]Ticket, error)
	// Stream returns the messages for the person of the conversation's
	// tickets after the message after, oldest first, at most limit.
	Stream(ctx context.Context, conversation string, after int64, limit int) ([]Message, error)
}
