package handoff

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"
)

// errNotPosted: a note for a ticket whose post has not reached the staff
// yet waits for it.
var errNotPosted = errors.New("handoff: the ticket is not posted yet")

// errNoOutbox: no outbox for the ticket's channel on this process.
var errNoOutbox = errors.New("handoff: no outbox for the channel")

// bookkeeping bounds the store calls that record a delivery, which go on
// when the delivery's own context has ended.
const bookkeeping = 5 * time.Second

// drainWait is how long Run waits, when it stops, for background
// deliveries under way before it cancels them; a cancelled one is
// delivered later by another replica, or after the next start.
const drainWait = 5 * time.Second

// deliver delivers the due messages of a ticket for side, in order, until
// none is due or one fails (the rest wait behind it: order is kept).
func (d *Desk) deliver(ctx context.Context, ticket int64, side Side) {
	for ctx.Err() == nil {
		now := d.now()
		m, err := d.store.Claim(ctx, ticket, side, now, now.Add(claimFor))
		if errors.Is(err, ErrNotFound) {
			return
		}
		if err != nil {
			d.trouble(ctx, "messages not claimed", err)
			return
		}
		if !d.send(ctx, m) {
			return
		}
	}
}

// send delivers one claimed message and records how it went; false when
// it is to be tried again later.
func (d *Desk) send(ctx context.Context, m Message) bool {
	t, err := d.store.Get(ctx, m.Ticket)
	var thread string
	if err == nil {
		switch {
		case m.Side == SidePerson:
			err = d.toPerson(ctx, t, m)
		case m.Kind == KindTicket:
			thread, err = d.staff.Post(ctx, t)
			if err == nil && thread == "" {
				err = errors.New("handoff: the staff's side returned no thread")
			}
		case t.Thread == "":
			err = errNotPosted
		default:
			err = d.staff.Note(ctx, t, m)
		}
	}
	bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), bookkeeping)
	defer cancel()
	now := d.now()
	switch {
	case err == nil:
		if serr := d.store.Sent(bctx, m.ID, now, thread); serr != nil {
			d.trouble(ctx, "delivery not recorded: it may be delivered again", serr)
		}
		d.metrics.Delivery(string(m.Side), "sent", now.Sub(m.At))
		return true
	case m.Side == SidePerson && (errors.Is(err, ErrRefused) || m.Attempts >= giveUp):
		if serr := d.store.Fail(bctx, m.ID, now); serr != nil {
			d.trouble(ctx, "failed delivery not recorded", serr)
			return false
		}
		d.metrics.Delivery(string(m.Side), "failed", now.Sub(m.At))
		d.log.WarnContext(ctx, "message did not reach the person; the staff are told", "ticket", m.Ticket, "kind", m.Kind, "attempts", m.Attempts, "err", err)
		note := d.fill(Message{Ticket: m.Ticket, Side: SideStaff, Kind: KindUndelivered, Source: "undelivered:" + strconv.FormatInt(m.ID, 10), By: m.By})
		if _, _, err := d.store.Add(bctx, note); err != nil {
			d.trouble(ctx, "undelivered note not kept", err)
		} else {
			d.kick(m.Ticket, SideStaff)
		}
		return true
	}
	retry := now.Add(backoff(m.Attempts))
	if serr := d.store.Retry(bctx, m.ID, retry); serr != nil {
		d.trouble(ctx, "retry not recorded", serr)
	}
	d.metrics.Delivery(string(m.Side), "retry", 0)
	d.trouble(ctx, fmt.Sprintf("delivery to the %s failed; tried again later", m.Side), err)
	return false
}

// toPerson delivers a message through the outbox of the ticket's channel.
func (d *Desk) toPerson(ctx context.Context, t Ticket, m Message) error {
	ob := d.outboxes[t.Channel]
	if ob == nil {
		return errNoOutbox
	}
	var a Event
	if err := json.Unmarshal([]byte(m.Text), &a.Answer); err != nil {
		return fmt.Errorf("%w: message %d does not decode: %w", ErrRefused, m.ID, err)
	}
	return ob.Deliver(ctx, t.Conversation, a.Answer, m.Key)
}

// backoff is the wait before attempt n+1: 2 s doubling to 5 minutes.
func backoff(attempts int) time.Duration {
	d := 2 * time.Second << min(max(attempts-1, 0), 10)
	return min(d, 5*time.Minute)
}

// kick delivers a ticket's due messages for side in the background,
// unless as many deliveries as inflight are under way or the desk is
// stopping: then the sweep takes them.
func (d *Desk) kick(ticket int64, side Side) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stopped {
		return
	}
	select {
	case d.slots <- struct{}{}:
	default:
		return
	}
	d.running.Add(1)
	go func() {
		defer d.running.Done()
		defer func() { <-d.slots }()
		ctx, cancel := context.WithTimeout(d.bg, claimFor)
		defer cancel()
		d.deliver(ctx, ticket, side)
	}()
}

// Run delivers what is due — messages whose delivery failed and is due
// again, and those a replica that stopped left behind — every sweepEvery,
// bumps tickets nobody took every remindEvery, and hears other replicas'
// messages (Config.Listen), until ctx ends. Then it lets deliveries under
// way finish for a moment, cancels the rest (they stay in the store) and
// returns.
func (d *Desk) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	if d.listen != nil {
		wg.Go(func() {
			if err := d.listen(ctx, d.hub.signal); err != nil && ctx.Err() == nil {
				d.log.WarnContext(ctx, "not listening to other replicas: web chat streams see their replies within a poll", "err", err)
			}
		})
	}
	sweep := time.NewTicker(sweepEvery)
	defer sweep.Stop()
	remind := time.NewTicker(remindEvery)
	defer remind.Stop()
	d.sweep(ctx)
	d.reminders(ctx)
	for {
		select {
		case <-ctx.Done():
			d.drain()
			return nil
		case <-sweep.C:
			d.sweep(ctx)
		case <-remind.C:
			d.reminders(ctx)
		}
	}
}

// drain stops background deliveries: none new, those under way given
// drainWait, then cancelled.
func (d *Desk) drain() {
	d.mu.Lock()
	d.stopped = true
	d.mu.Unlock()
	done := make(chan struct{})
	go func() { d.running.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(drainWait):
		d.cancel()
		<-done
	}
}

// sweep starts the deliveries that are due.
func (d *Desk) sweep(ctx context.Context) {
	due, err := d.store.Due(ctx, d.now(), inflight)
	if err != nil {
		if ctx.Err() == nil {
			d.trouble(ctx, "due messages not read", err)
		}
		return
	}
	for _, x := range due {
		d.kick(x.Ticket, x.Side)
	}
}

// reminders bumps, within the staff's hours, each ticket nobody has taken
// once Remind of those hours has passed since it was opened, and again
// after each further Remind, at most MaxReminders times. Replicas race
// for each reminder; the store lets one win.
func (d *Desk) reminders(ctx context.Context) {
	now := d.now()
	if d.remind <= 0 || !d.hours.Open(now) {
		return
	}
	waiting, err := d.store.Waiting(ctx, 500)
	if err != nil {
		if ctx.Err() == nil {
			d.trouble(ctx, "tickets to remind of not read", err)
		}
		return
	}
	for _, t := range waiting {
		n := t.Reminders + 1
		if n > MaxReminders {
			continue
		}
		due := d.hours.After(t.Opened, time.Duration(n)*d.remind)
		if due.IsZero() || now.Before(due) {
			continue
		}
		note := d.fill(Message{Side: SideStaff, Kind: KindReminder, Source: "reminder:" + strconv.Itoa(n), Text: strconv.Itoa(n)})
		ok, err := d.store.Remind(ctx, t.ID, n, now, note)
		if err != nil {
			d.trouble(ctx, "reminder not recorded", err)
			continue
		}
		if ok {
			d.metrics.Event("reminded")
			d.kick(t.ID, SideStaff)
		}
	}
}
