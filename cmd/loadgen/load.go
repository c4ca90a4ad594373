package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/supportbot/supportbot/internal/line/linetest"
	"github.com/supportbot/supportbot/internal/slack/slacktest"
)

// secrets are the channel credentials shared by the server and the load
// generator.
type secrets struct {
	lineSecret, lineToken, slackSecret, slackToken string
}

// sender delivers events to the server, open-loop: the scheduler starts
// each delivery at its time and never waits for a response.
type sender struct {
	target string
	sec    secrets
	ids    ids
	events *eventLog
	client *http.Client

	redeliver      int           // deliveries after the first, for a 503 or no response
	redeliverAfter time.Duration // wait before each

	wg       sync.WaitGroup // deliveries and redeliveries under way
	inflight atomic.Int64
	peak     atomic.Int64
	refusals atomic.Int64 // 503 responses

	mu        sync.Mutex
	latencies []time.Duration   // acknowledgement latency of every delivery
	perSecond map[int64]*second // the same by the second the delivery started in
	errs      map[string]int    // error → count, for the report
	lag       []time.Duration   // scheduler lateness, sampled
}

func newSender(target string, sec secrets, d ids, events *eventLog, timeout time.Duration) *sender {
	return &sender{
		target: target, sec: sec, ids: d, events: events,
		client: &http.Client{
			Timeout: timeout,
			Transport: &http.Transport{
				DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
				MaxIdleConns:        1024,
				MaxIdleConnsPerHost: 1024,
				IdleConnTimeout:     60 * time.Second,
				DisableCompression:  true,
			},
		},
		errs:      map[string]int{},
		perSecond: map[int64]*second{},
	}
}

// schedule is what the scheduler sends: rate events a second for
// duration, a share lineShare of them from LINE, from users users (Slack
// users post in one of channels channels).
type schedule struct {
	rate      float64
	duration  time.Duration
	lineShare float64
	users     int
	channels  int
	// chatty is the share of events sent by one user of each platform
	// (user 0), to see the per-user rate limit hold them back alone.
	chatty float64
}

func (s schedule) total() int { return int(s.rate * s.duration.Seconds()) }

// run sends the schedule and returns when every delivery has been made
// (redeliveries are still under way then; see wait) or ctx ends.
func (s *sender) run(ctx context.Context, sch schedule) (sent int, took time.Duration) {
	start := time.Now()
	interval := time.Duration(float64(time.Second) / sch.rate)
	total := sch.total()
	rng := rand.New(rand.NewPCG(uint64(start.UnixNano()), 7))
	timer := time.NewTimer(0)
	defer timer.Stop()
	for i := 0; i < total; {
		due := start.Add(time.Duration(i) * interval)
		if wait := time.Until(due); wait > 0 {
			timer.Reset(wait)
			select {
			case <-ctx.Done():
				return i, time.Since(start)
			case <-timer.C:
			}
		}
		// Send every event that is due: a late wake-up catches up at
		// once rather than shifting the schedule.
		now := time.Now()
		for ; i < total && !start.Add(time.Duration(i)*interval).After(now); i++ {
			p := slackEvent
			if rng.Float64() < sch.lineShare {
				p = lineEvent
			}
			q := uint8(rng.IntN(len(questions)))
			user, channel := int32(0), int32(rng.IntN(sch.channels))
			if sch.users > 1 && rng.Float64() >= sch.chatty {
				user = 1 + int32(rng.IntN(sch.users-1))
			}
			idx, ev := s.events.add(p, q, user, channel)
			if ev == nil {
				return i, time.Since(start)
			}
			if i%64 == 0 {
				s.mu.Lock()
				s.lag = append(s.lag, now.Sub(start.Add(time.Duration(i)*interval)))
				s.mu.Unlock()
			}
			s.wg.Add(1)
			go s.deliver(ctx, idx, ev, 0)
		}
	}
	return total, time.Since(start)
}

// deliver makes delivery n (0: the first) of event i, and schedules the
// next when the server refuses it and redelivery is on.
func (s *sender) deliver(ctx context.Context, i int, ev *event, n int) {
	defer s.wg.Done()
	if cur := s.inflight.Add(1); cur > s.peak.Load() {
		s.peak.Store(cur) // a racy maximum is close enough for a report
	}
	defer s.inflight.Add(-1)

	now := time.Now()
	if n == 0 {
		ev.sentAt.Store(now.UnixNano())
	}
	ev.deliveries.Add(1)
	var (
		body []byte
		path string
		h    = http.Header{"Content-Type": {"application/json"}, "User-Agent": {"supportbot-loadgen"}}
	)
	q := questions[ev.question]
	switch ev.platform {
	case lineEvent:
		body, path = s.ids.lineBody(i, int(ev.user), q, n > 0, ev.firstSent()), "/line/webhook"
		linetest.Sign(h, s.sec.lineSecret, body)
	case slackEvent:
		body, path = s.ids.slackBody(i, int(ev.user), int(ev.channel), q, ev.firstSent()), "/slack/events"
		slacktest.Sign(h, s.sec.slackSecret, now, body)
		if n > 0 {
			h.Set("X-Slack-Retry-Num", strconv.Itoa(n))
			h.Set("X-Slack-Retry-Reason", "http_error")
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.target+path, bytes.NewReader(body))
	if err != nil {
		s.fail(ev, err.Error())
		return
	}
	req.Header = h
	start := time.Now()
	res, err := s.client.Do(req)
	code := 0
	if err == nil {
		code = res.StatusCode
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	latency := time.Since(start)
	ev.lastCode.Store(int32(code))
	switch {
	case code == http.StatusOK:
		s.record(start, latency)
		ev.status.Store(int32(accepted))
		return
	case code == http.StatusServiceUnavailable:
		s.record(start, latency) // a refusal is an acknowledgement too, and should be as quick
		s.refusals.Add(1)
		ev.status.CompareAndSwap(int32(pending), int32(refused))
	case err != nil:
		if ctx.Err() != nil {
			return
		}
		s.fail(ev, errorClass(err))
	default:
		s.fail(ev, fmt.Sprintf("HTTP %d from %s", code, path))
		return // a 4xx will not get better by sending it again
	}
	if n >= s.redeliver || ctx.Err() != nil {
		return
	}
	s.wg.Add(1)
	time.AfterFunc(s.redeliverAfter, func() { s.deliver(ctx, i, ev, n+1) })
}

// second is what the acknowledgements of one second of the run came to.
type second struct {
	n, over10ms int
	max         time.Duration
}

func (s *sender) record(at time.Time, d time.Duration) {
	s.mu.Lock()
	s.latencies = append(s.latencies, d)
	sec := s.perSecond[at.Unix()]
	if sec == nil {
		sec = &second{}
		s.perSecond[at.Unix()] = sec
	}
	sec.n++
	sec.max = max(sec.max, d)
	if d > 10*time.Millisecond {
		sec.over10ms++
	}
	s.mu.Unlock()
}

func (s *sender) fail(ev *event, why string) {
	ev.status.CompareAndSwap(int32(pending), int32(failed))
	s.mu.Lock()
	s.errs[why]++
	s.mu.Unlock()
}

// errorClass names a transport error without the URL and port that make
// every message unique.
func errorClass(err error) string {
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed"
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return op.Op + ": " + op.Err.Error()
	}
	return err.Error()
}

// wait returns when every delivery and redelivery has been made, or ctx
// ends.
func (s *sender) wait(ctx context.Context) {
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
}
