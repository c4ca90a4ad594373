package handoff

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
)

// Engine is the bot as the desk needs it: it answers, and it words what
// the desk did for the person (internal/dialog's Engine).
type Engine interface {
	bot.Answerer
	// Ends reports whether a question asks to end the conversation with
	// the staff (the end words, or the end button).
	Ends(q bot.Question) bool
	// Say words a desk event for the person, in language l.
	Say(l bot.Lang, n bot.DeskNote) bot.Answer
	// Recent is what a conversation asked lately and the gist of the
	// bot's last answer, with its language.
	Recent(ctx context.Context, conversation string) bot.Recent
}

// Staff is the staff's side (internal/slack).
type Staff interface {
	// Post posts a ticket and returns its thread. It is called again for
	// a ticket whose post failed.
	Post(ctx context.Context, t Ticket) (thread string, err error)
	// Note posts a message in the ticket's thread — the person's words,
	// or what happened — and redraws the ticket when its state changed.
	Note(ctx context.Context, t Ticket, m Message) error
}

// Outbox reaches the person on one channel (internal/line, internal/web).
type Outbox interface {
	// Reaches reports whether a conversation can get messages outside a
	// reply, and so may ask a person (LINE: a one-to-one chat).
	Reaches(conversation string) bool
	// Deliver sends an answer to the person. key is the same on every
	// attempt to deliver one message, so that a platform that knows
	// retry keys delivers it once. An error wrapping ErrRefused gives the
	// message up (the person blocked the bot, the quota is used up); any
	// other is tried again later.
	Deliver(ctx context.Context, conversation string, a bot.Answer, key string) error
}

// Counter counts what the desk does: events (opened, queued, taken,
// closed_person …) and each delivery's result (sent, retry, failed) with,
// when sent, how long the message waited. The desk knows no metrics
// library; internal/metrics' Handoff is one.
type Counter interface {
	Event(event string)
	Delivery(side, result string, waited time.Duration)
}

type nopCounter struct{}

func (nopCounter) Event(string)                           {}
func (nopCounter) Delivery(string, string, time.Duration) {}

// Config configures a Desk.
type Config struct {
	Store  Store
	Engine Engine
	Staff  Staff
	// Outboxes reach people, by channel ("line", "web"). A conversation
	// of another channel is never offered a person.
	Outboxes map[string]Outbox
	// Hours are the staff's (zero: always in); Remind is how much of them
	// may pass before a ticket nobody took is bumped in its thread (0:
	// never), at most MaxReminders times.
	Hours  Hours
	Remind time.Duration
	// Listen, when set, calls back with a conversation's key (Key) when
	// another process added a message for its person: PostgreSQL's
	// LISTEN, so a web chat stream on this replica hears of a reply that
	// reached another. It runs until ctx ends, reconnecting as it needs.
	Listen func(ctx context.Context, heard func(key string)) error
	// PostWait bounds how long agreeing waits for the ticket to reach the
	// staff before the person is told it is saved and will be passed on
	// (0: DefaultPostWait).
	PostWait time.Duration
	// Metrics counts what the desk does (internal/metrics' Handoff); nil
	// counts nothing.
	Metrics Counter
	Logger  *slog.Logger
	Now     func() time.Time
}

// Defaults and bounds of the desk.
const (
	DefaultPostWait = 3 * time.Second
	// DefaultRemind is HANDOFF_REMIND's default.
	DefaultRemind = 15 * time.Minute
	// MaxReminders bounds the reminders of one ticket.
	MaxReminders = 3
	// sweepEvery is how often every replica looks for messages due (a
	// failed delivery's retry, or one whose replica stopped);
	// remindEvery how often for tickets to bump.
	sweepEvery  = 2 * time.Second
	remindEvery = 30 * time.Second
	// claimFor is how long a claimed message is left to its replica
	// before another may deliver it: longer than a delivery with its
	// retries (adapter.DefaultPolicy, within OUTBOUND_TIMEOUT each).
	claimFor = 2 * time.Minute
	// giveUp is the attempts after which a message for the person is
	// given up (about a day of back-off); messages for the staff are
	// tried until the staff's side answers again.
	giveUp = 24
	// inflight bounds the deliveries started in the background at once;
	// beyond it the sweep takes the rest.
	inflight = 256
)

// Desk is the handoff desk. It is a bot.Answerer around the engine (see
// Answer); the staff's side calls FromStaff, Take and Close; the web
// chat's stream reads Events and Subscribe. Run delivers what is due and
// reminds; it is safe for concurrent use.
type Desk struct {
	store    Store
	engine   Engine
	staff    Staff
	outboxes map[string]Outbox
	hours    Hours
	remind   time.Duration
	listen   func(context.Context, func(string)) error
	postWait time.Duration
	metrics  Counter
	log      *slog.Logger
	now      func() time.Time

	hub     hub
	slots   chan struct{}  // background deliveries under way
	running sync.WaitGroup // background deliveries, waited for when Run stops
	mu      sync.Mutex     // guards stopped against running.Add
	stopped bool           // Run has stopped: no new background deliveries
	// bg is the context of background deliveries, cancelled when Run
	// stops and they do not finish in time.
	bg     context.Context
	cancel context.CancelFunc
	warn   throttle
}

// New checks the configuration.
func New(cfg Config) (*Desk, error) {
	var errs []error
	if cfg.Store == nil {
		errs = append(errs, errors.New("no store"))
	}
	if cfg.Engine == nil {
		errs = append(errs, errors.New("no engine"))
	}
	if cfg.Staff == nil {
		errs = append(errs, errors.New("no staff side"))
	}
	if len(cfg.Outboxes) == 0 {
		errs = append(errs, errors.New("no outbox: no channel can reach a person"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("handoff: %w", err)
	}
	d := &Desk{
		store: cfg.Store, engine: cfg.Engine, staff: cfg.Staff, outboxes: cfg.Outboxes,
		hours: cfg.Hours, remind: cfg.Remind, listen: cfg.Listen, postWait: cfg.PostWait,
		metrics: cfg.Metrics, log: cfg.Logger, now: cfg.Now,
		hub: hub{subs: map[string]map[chan struct{}]bool{}}, slots: make(chan struct{}, inflight),
	}
	d.bg, d.cancel = context.WithCancel(context.Background())
	if d.metrics == nil {
		d.metrics = nopCounter{}
	}
	if d.postWait <= 0 {
		d.postWait = DefaultPostWait
	}
	if d.log == nil {
		d.log = slog.New(slog.DiscardHandler)
	}
	d.log = d.log.With("component", "handoff")
	if d.now == nil {
		d.now = time.Now
	}
	d.warn.every = time.Minute
	return d, nil
}

// Answer implements bot.Answerer: it tells the engine where the
// conversation stands with the staff and acts on what the person asks of
// the desk. A conversation whose channel cannot reach a person goes to
// the engine untouched. A store that does not answer is logged (once a
// minute) and the engine answers as if no desk were there.
func (d *Desk) Answer(ctx context.Context, q bot.Question) (bot.Answer, error) {
	ob := d.outboxes[q.Channel]
	if ob == nil || !ob.Reaches(q.Conversation) {
		return d.engine.Answer(ctx, q)
	}
	cur, err := d.store.Current(ctx, q.Conversation)
	switch {
	case errors.Is(err, ErrNotFound):
		cur = Ticket{}
	case err != nil:
		d.trouble(ctx, "tickets unavailable: answering without the desk", err)
		return d.engine.Answer(ctx, q)
	}
	if q.Action != nil {
		switch q.Action.Kind {
		case bot.ActionConsent:
			return d.consent(ctx, q, cur)
		case bot.ActionRate:
			return d.rate(ctx, q)
		}
	}
	if cur.ID != 0 && d.engine.Ends(q) {
		return d.end(ctx, q, cur)
	}
	q.Desk = &bot.Desk{Offer: true, Ticket: cur.ID}
	a, err := d.engine.Answer(ctx, q)
	if err != nil {
		return a, err
	}
	if cur.ID != 0 {
		a.Ticket = cur.ID
		if a.Silent() {
			if err := d.relay(ctx, cur, q); err != nil {
				d.trouble(ctx, "message not passed to the staff", err)
				a = d.engine.Say(d.lang(ctx, q, cur.Lang), bot.DeskNote{Event: bot.DeskUnavailable})
				a.Ticket = cur.ID
			}
		}
	}
	return a, nil
}

// Forget implements bot.Answerer: a person who unfollows (blocks the bot)
// can no longer be reached, so their open ticket closes and the staff are
// told; then the engine forgets the conversation.
func (d *Desk) Forget(ctx context.Context, conversation string) error {
	cur, err := d.store.Current(ctx, conversation)
	switch {
	case errors.Is(err, ErrNotFound):
	case err != nil:
		d.trouble(ctx, "tickets unavailable: an unfollow did not close its ticket", err)
	default:
		note := Message{Side: SideStaff, Kind: KindClosed, By: string(ClosedByUnfollow)}
		if _, changed, err := d.store.Close(ctx, cur.ID, ClosedByUnfollow, "", d.now(), d.fill(note)); err != nil {
			d.trouble(ctx, "ticket not closed on unfollow", err)
		} else if changed {
			d.metrics.Event("closed_unfollow")
			d.log.InfoContext(ctx, "ticket closed: the person unfollowed", "ticket", cur.ID)
			d.deliver(ctx, cur.ID, SideStaff)
		}
	}
	return d.engine.Forget(ctx, conversation)
}

// lang is the person's language: the conversation's, else the ticket's
// or the question's hint.
func (d *Desk) lang(ctx context.Context, q bot.Question, fallback bot.Lang) bot.Lang {
	return pickLang(d.engine.Recent(ctx, q.Conversation).Lang, fallback, q.Lang)
}

// pickLang is the first valid of the conversation's language, the
// fallback and the question's hint, else Japanese.
func pickLang(conversation, fallback, hint bot.Lang) bot.Lang {
	for _, l := range []bot.Lang{conversation, fallback, hint} {
		if l.Valid() {
			return l
		}
	}
	return bot.Japanese
}

// consent opens a ticket for a person who agreed, unless one is open, and
// tries to post it to the staff for a moment: the person is told it went
// to the staff, or that it is saved and will be passed on.
func (d *Desk) consent(ctx context.Context, q bot.Question, cur Ticket) (bot.Answer, error) {
	recent := d.engine.Recent(ctx, q.Conversation)
	l := pickLang(recent.Lang, recent.Lang, q.Lang) // the conversation loaded once
	if cur.ID != 0 {
		a := d.engine.Say(l, bot.DeskNote{Event: bot.DeskAlreadyOpen, Ticket: cur.ID})
		a.Ticket = cur.ID
		return a, nil
	}
	now := d.now()
	t := Ticket{Conversation: q.Conversation, Channel: q.Channel, Lang: l, Opened: now, Recent: recent}
	if !d.hours.Open(now) {
		t.Opens = d.hours.Next(now)
	}
	t, err := d.store.Open(ctx, t, d.fill(Message{Side: SideStaff, Kind: KindTicket, Source: "ticket"}))
	switch {
	case errors.Is(err, ErrOpen):
		// Agreed twice at once (a double tap on two replicas).
		a := d.engine.Say(l, bot.DeskNote{Event: bot.DeskAlreadyOpen, Ticket: t.ID})
		a.Ticket = t.ID
		return a, nil
	case err != nil:
		d.trouble(ctx, "ticket not opened", err)
		return d.engine.Say(l, bot.DeskNote{Event: bot.DeskUnavailable}), nil
	}
	d.log.InfoContext(ctx, "ticket opened", "ticket", t.ID, "channel", t.Channel, "conv", bot.HashID(q.Conversation), "in_hours", t.Opens.IsZero())
	pctx, cancel := context.WithTimeout(ctx, d.postWait)
	d.deliver(pctx, t.ID, SideStaff)
	cancel()
	event := bot.DeskOpened
	if posted, err := d.store.Get(ctx, t.ID); err != nil || posted.Thread == "" {
		event = bot.DeskQueued
		d.log.WarnContext(ctx, "ticket saved, not yet posted to the staff: it is posted when they answer", "ticket", t.ID)
	}
	d.metrics.Event(string(event))
	n := bot.DeskNote{Event: event, Ticket: t.ID}
	if !t.Opens.IsZero() {
		n.Opens = t.Opens.In(d.hours.Location())
	}
	a := d.engine.Say(l, n)
	a.Ticket = t.ID
	return a, nil
}

// end closes the ticket at the person's word, tells the staff, and asks
// the person to rate the help.
func (d *Desk) end(ctx context.Context, q bot.Question, cur Ticket) (bot.Answer, error) {
	l := d.lang(ctx, q, cur.Lang)
	note := d.fill(Message{Side: SideStaff, Kind: KindClosed, By: string(ClosedByPerson)})
	_, changed, err := d.store.Close(ctx, cur.ID, ClosedByPerson, "", d.now(), note)
	if err != nil {
		return bot.Answer{}, fmt.Errorf("handoff: end ticket %d: %w", cur.ID, err)
	}
	if changed {
		d.metrics.Event("closed_person")
		d.log.InfoContext(ctx, "ticket closed by the person", "ticket", cur.ID)
		d.kick(cur.ID, SideStaff)
	}
	return d.engine.Say(l, bot.DeskNote{Event: bot.DeskEnded, Ticket: cur.ID}), nil
}

// rate keeps a 👍/👎 on a closed ticket of the person's own, once.
func (d *Desk) rate(ctx context.Context, q bot.Question) (bot.Answer, error) {
	l := d.lang(ctx, q, "")
	v, id, err := bot.ParseRate(q.Action.Value)
	ok := false
	if err == nil {
		note := d.fill(Message{Side: SideStaff, Kind: KindRated, Text: string(v)})
		if ok, err = d.store.Rate(ctx, id, q.Conversation, v, note); err != nil {
			d.trouble(ctx, "rating not kept", err)
		}
	}
	if !ok {
		return d.engine.Say(l, bot.DeskNote{Event: bot.DeskRateRefused}), nil
	}
	d.metrics.Event("rated_" + string(v))
	d.kick(id, SideStaff)
	return d.engine.Say(l, bot.DeskNote{Event: bot.DeskRated, Ticket: id}), nil
}

// relay passes the person's words to the ticket's thread.
func (d *Desk) relay(ctx context.Context, t Ticket, q bot.Question) error {
	m := d.fill(Message{Ticket: t.ID, Side: SideStaff, Kind: KindText, Text: q.Text, Files: q.Attachments})
	if q.ID != "" {
		m.Source = "person:" + q.ID
	}
	if _, added, err := d.store.Add(ctx, m); err != nil {
		return fmt.Errorf("handoff: relay to ticket %d: %w", t.ID, err)
	} else if added {
		d.kick(t.ID, SideStaff)
	}
	return nil
}

// fill gives a new message its time, state and retry key.
func (d *Desk) fill(m Message) Message {
	m.At, m.State, m.Key = d.now(), Pending, newKey()
	return m
}

// person is a message for the person: an answer the engine worded,
// encoded.
func (d *Desk) person(t Ticket, kind Kind, source, by string, n bot.DeskNote) Message {
	a := d.engine.Say(t.Lang, n)
	b, _ := json.Marshal(a) // an Answer of strings, numbers and slices always encodes
	return d.fill(Message{Ticket: t.ID, Side: SidePerson, Kind: kind, Source: source, Text: string(b), By: by})
}

// trouble logs a failure of the store or a side, once a minute per kind.
func (d *Desk) trouble(ctx context.Context, msg string, err error) {
	if d.warn.allow(msg, d.now()) {
		d.log.WarnContext(ctx, msg, "err", err, "note", "logged at most once a minute")
	}
}

// newKey is a retry key: a random UUID (version 4) in hexadecimal, as
// LINE's X-Line-Retry-Key wants it.
func newKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand does not fail
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// throttle lets a kind of log line through once per period.
type throttle struct {
	mu    sync.Mutex
	every time.Duration
	last  map[string]time.Time
}

func (t *throttle) allow(key string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.last == nil {
		t.last = map[string]time.Time{}
	}
	if last, ok := t.last[key]; ok && now.Sub(last) < t.every {
		return false
	}
	t.last[key] = now
	return true
}
