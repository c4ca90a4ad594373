package bot

import (
	"context"
	"errors"
)

// ErrNoState is returned by ConversationStore.Load when a conversation has
// no state (never seen, forgotten or expired).
var ErrNoState = errors.New("bot: no conversation state")

// State is what the bot remembers of a conversation between turns, so that
// "more", a number or "details" refer to the last answer.
type State struct {
	// Lang is the reply language; LangChosen marks an explicit choice
	// ("English", 「日本語」) that outranks detection.
	Lang       Lang `json:"lang,omitempty"`
	LangChosen bool `json:"lang_chosen,omitempty"`
	// Results are the initiative ids of the last ranking or category, best
	// first; Shown is how many of them have been shown.
	Results []string `json:"results,omitempty"`
	Shown   int      `json:"shown,omitempty"`
	// Offset is the index in Results of the first card of the last page,
	// so "2" or 「2番」 picks the second card shown.
	Offset int `json:"offset,omitempty"`
	// Last is the id of the initiative whose details were shown last.
	Last string `json:"last,omitempty"`
	// Asked is the question of the last answer when that answer asked
	// back (KindClarify): a tapped choice (ActionRefine) refines it. Empty
	// otherwise. It is the person's own text, kept only until the next
	// answer and cut to MaxAsked bytes.
	Asked string `json:"asked,omitempty"`
	// Recent are the person's last questions (at most MaxRecent, each cut
	// to MaxRecentBytes) and Answered a summary of the bot's last answer:
	// what a ticket shows the staff when the person asks for a person
	// (Recent). They are the person's own text and expire with the state.
	Recent   []string `json:"recent,omitempty"`
	Answered string   `json:"answered,omitempty"`
}

// MaxAsked bounds State.Asked: a clarified question is short, and state
// is stored per conversation.
const MaxAsked = 600

// Bounds of State.Recent and State.Answered.
const (
	MaxRecent      = 3
	MaxRecentBytes = 300
	MaxAnswered    = 600
)

// ConversationStore keeps State per conversation, with expiry: a
// conversation idle longer than the store's TTL starts afresh.
// Implementations must be safe for concurrent use. With a context already
// done, a call either does its work or fails with an error wrapping the
// context's error and changes nothing. internal/storetest checks all of
// this for every store.
type ConversationStore interface {
	// Load returns the state of a conversation, or ErrNoState. The caller
	// owns the State returned: changing it changes nothing stored.
	Load(ctx context.Context, conversation string) (State, error)
	// Save stores the whole state (a copy) and restarts its expiry.
	Save(ctx context.Context, conversation string, s State) error
	// Delete forgets a conversation; deleting an unknown one is no error.
	Delete(ctx context.Context, conversation string) error
}

// Deduper remembers platform event ids so that a redelivered or retried
// event is answered once. Implementations must be safe for concurrent use.
type Deduper interface {
	// FirstSeen records key and reports true the first time it is seen
	// within the store's window, false for every repeat: of callers racing
	// on one key, exactly one sees it first. With a context already done,
	// it either does its work or returns false and an error wrapping the
	// context's error, recording nothing, so that the event is answered
	// when it comes again.
	FirstSeen(ctx context.Context, key string) (bool, error)
}

// Answerer is what adapters need of the bot.
type Answerer interface {
	// Answer replies to one turn. "Nothing fits" is an Answer, not an
	// error; an error means the bot could not answer at all.
	Answer(ctx context.Context, q Question) (Answer, error)
	// Forget drops what the bot remembers of a conversation (LINE unfollow).
	Forget(ctx context.Context, conversation string) error
}
