package handoff

import (
	"context"
	"errors"
	"fmt"

	"github.com/supportbot/supportbot/internal/bot"
)

// StaffMessage is a staff member's message in a ticket's thread.
type StaffMessage struct {
	// Thread is the thread it was written in (Slack's thread_ts).
	Thread string
	// ID is the message's own id (Slack's ts): a retried event, or the
	// same event seen by two replicas, carries the same one.
	ID string
	// User is the staff member (their Slack user id).
	User string
	// Text is what they wrote, as plain text; Files counts files shared
	// with it.
	Text  string
	Files int
}

// FromStaff passes a staff member's message in a ticket's thread to the
// person, once: a message already taken (Slack retried the event, or
// another replica saw it) is not passed on again. A message in a thread
// that is no ticket's is ignored; one in a closed ticket's thread is not
// passed on, and the thread is told. Files cannot be carried: the person
// gets a note that something was shared, and the thread is told.
func (d *Desk) FromStaff(ctx context.Context, sm StaffMessage) error {
	if sm.Thread == "" || sm.ID == "" {
		return nil
	}
	t, err := d.store.ByThread(ctx, sm.Thread)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("handoff: staff message: %w", err)
	}
	source := "staff:" + sm.ID
	if t.State == StateClosed {
		note := d.fill(Message{Ticket: t.ID, Side: SideStaff, Kind: KindLate, Source: "late:" + sm.ID, By: sm.User})
		if _, added, err := d.store.Add(ctx, note); err != nil {
			return fmt.Errorf("handoff: staff message on closed ticket %d: %w", t.ID, err)
		} else if added {
			d.deliver(ctx, t.ID, SideStaff)
		}
		return nil
	}
	n := bot.DeskNote{Event: bot.DeskReply, Ticket: t.ID, Text: sm.Text, Files: sm.Files}
	kind := KindText
	if sm.Text == "" {
		n.Event, kind = bot.DeskFile, KindFile
	}
	_, added, err := d.store.Add(ctx, d.person(t, kind, source, sm.User, n))
	if err != nil {
		return fmt.Errorf("handoff: staff message to ticket %d: %w", t.ID, err)
	}
	if !added {
		d.log.DebugContext(ctx, "staff message already taken", "ticket", t.ID)
		return nil
	}
	d.metrics.Event("staff_reply")
	d.hub.signal(Key(t.Conversation))
	if sm.Files > 0 {
		note := d.fill(Message{Ticket: t.ID, Side: SideStaff, Kind: KindFile, Source: "file:" + sm.ID, Files: sm.Files, By: sm.User})
		if _, _, err := d.store.Add(ctx, note); err != nil {
			d.trouble(ctx, "file note not kept", err)
		}
		d.kick(t.ID, SideStaff)
	}
	d.deliver(ctx, t.ID, SidePerson)
	return nil
}

// Take marks a ticket taken by a staff member: the thread says who, the
// ticket is redrawn, and the person is told someone is on it. Taking a
// ticket taken or closed already changes nothing.
func (d *Desk) Take(ctx context.Context, id int64, staff string) (Ticket, error) {
	t, err := d.store.Get(ctx, id)
	if err != nil {
		return Ticket{}, fmt.Errorf("handoff: take ticket %d: %w", id, err)
	}
	msgs := []Message{
		d.fill(Message{Side: SideStaff, Kind: KindTaken, By: staff}),
		d.person(t, KindTaken, "", staff, bot.DeskNote{Event: bot.DeskTaken, Ticket: id}),
	}
	t, changed, err := d.store.Take(ctx, id, staff, d.now(), msgs...)
	if err != nil {
		return Ticket{}, fmt.Errorf("handoff: take ticket %d: %w", id, err)
	}
	if changed {
		d.metrics.Event("taken")
		d.log.InfoContext(ctx, "ticket taken", "ticket", id)
		d.hub.signal(Key(t.Conversation))
		d.kick(id, SideStaff)
		d.deliver(ctx, id, SidePerson)
	}
	return t, nil
}

// Close closes a ticket at a staff member's word: the person is told and
// asked to rate the help, the thread says who closed it. Closing a closed
// ticket changes nothing.
func (d *Desk) Close(ctx context.Context, id int64, staff string) (Ticket, error) {
	t, err := d.store.Get(ctx, id)
	if err != nil {
		return Ticket{}, fmt.Errorf("handoff: close ticket %d: %w", id, err)
	}
	msgs := []Message{
		d.fill(Message{Side: SideStaff, Kind: KindClosed, By: staff}),
		d.person(t, KindClosed, "", staff, bot.DeskNote{Event: bot.DeskClosed, Ticket: id}),
	}
	t, changed, err := d.store.Close(ctx, id, ClosedByStaff, staff, d.now(), msgs...)
	if err != nil {
		return Ticket{}, fmt.Errorf("handoff: close ticket %d: %w", id, err)
	}
	if changed {
		d.metrics.Event("closed_staff")
		d.log.InfoContext(ctx, "ticket closed by the staff", "ticket", id)
		d.hub.signal(Key(t.Conversation))
		d.kick(id, SideStaff)
		d.deliver(ctx, id, SidePerson)
	}
	return t, nil
}
