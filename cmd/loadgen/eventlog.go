package main

import (
	"sync/atomic"
	"time"
)

// outcome is what the server finally said to an event's deliveries.
type outcome int32

const (
	pending  outcome = iota
	accepted         // 200: the server must answer it exactly once
	refused          // 503 every time: the platform would deliver it again later
	failed           // another status, or no response
)

// event is one synthetic platform event and what became of it. Fields
// written after creation are atomic: senders, the stand-ins and the
// report read them concurrently.
type event struct {
	platform      platform
	question      uint8
	user, channel int32

	sentAt     atomic.Int64 // Unix nanoseconds of the first delivery
	status     atomic.Int32 // outcome
	lastCode   atomic.Int32 // HTTP status of the last delivery (0: none)
	deliveries atomic.Int32
	replies    atomic.Int32
	repliedAt  atomic.Int64 // Unix nanoseconds of the first reply
}

func (e *event) firstSent() time.Time { return time.Unix(0, e.sentAt.Load()) }

// reply records a reply and returns how many the event has had.
func (e *event) reply() int32 {
	n := e.replies.Add(1)
	if n == 1 {
		e.repliedAt.Store(time.Now().UnixNano())
	}
	return n
}

// eventLog holds every event of a run, indexed by the number its ids
// carry. It is allocated once for the run's events; an index is
// visible to the stand-ins once its event has been created.
type eventLog struct {
	all     []event
	created atomic.Int64
}

func newEventLog(capacity int) *eventLog { return &eventLog{all: make([]event, capacity)} }

// add fills in the next event and returns its index, or -1 when the log
// is full.
func (l *eventLog) add(p platform, question uint8, user, channel int32) (int, *event) {
	i := int(l.created.Load())
	if i >= len(l.all) {
		return -1, nil
	}
	e := &l.all[i]
	e.platform, e.question, e.user, e.channel = p, question, user, channel
	l.created.Store(int64(i + 1)) // only the scheduler adds
	return i, e
}

// get returns event i, or nil when there is none.
func (l *eventLog) get(i int) *event {
	if i < 0 || i >= int(l.created.Load()) {
		return nil
	}
	return &l.all[i]
}

func (l *eventLog) events() []event { return l.all[:l.created.Load()] }
