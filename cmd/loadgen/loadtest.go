package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"
)

// childShutdown bounds the started server's drain after SIGTERM; its own
// SHUTDOWN_TIMEOUT is 20 s by default.
const childShutdown = 30 * time.Second

// loadTest runs one load test as o says and returns its report.
func loadTest(ctx context.Context, o options, stderr io.Writer) (*report, error) {
	log := slog.New(slog.NewTextHandler(stderr, nil))
	d := ids{nonce: strings.ToUpper(randomHex(4)), base: time.Now().Unix()}
	events := newEventLog(o.sch.total())
	st, err := startStandIns(d, events, o.faults, o.sec, o.lineAPI, o.slackAPI, o.tls, log)
	if err != nil {
		return nil, err
	}
	defer st.close()

	rep := newReport(o)
	target := o.target
	var ch *child
	if o.server != "" {
		var logTo io.Writer
		if o.logTo != "" {
			f, err := os.Create(o.logTo)
			if err != nil {
				return nil, err
			}
			bw := bufio.NewWriterSize(f, 256<<10)
			defer f.Close()
			defer bw.Flush()
			logTo = bw
		}
		if ch, err = startChild(ctx, o.server, st, o.sec, o.env, logTo); err != nil {
			return nil, err
		}
		defer func() {
			select {
			case <-ch.done:
			default:
				ch.kill()
			}
		}()
		target = ch.url
		log.Info("server started", "url", target, "pid", ch.cmd.Process.Pid, "env", strings.Join(o.env, " "))
	} else if err := waitReady(ctx, target, 10*time.Second, nil); err != nil {
		return nil, fmt.Errorf("target %s: %w", target, err)
	}
	log.Info("stand-ins", "line", st.lineURL, "slack", st.slackURL)

	mon := &monitor{client: &http.Client{Timeout: 5 * time.Second}, child: ch, events: events}
	if o.metricsPath != "" {
		mon.url = target + o.metricsPath
	}
	before := mon.sample(ctx, 0)
	rep.Samples = append(rep.Samples, before.point)
	var logsBefore map[string]int
	if ch != nil {
		logsBefore = ch.logs.snapshot()
	}

	cpuBefore, machineBefore := selfCPU(), machineCPU()
	pid := 0
	if ch != nil {
		pid = ch.cmd.Process.Pid
	}
	cpu := watchCPU(ctx, pid)
	defer cpu.stop()
	snd := newSender(target, o.sec, d, events, o.timeout)
	snd.redeliver, snd.redeliverAfter = o.redeliver, o.redeliverAfter
	start := time.Now()
	sampling, stopSampling := context.WithCancel(ctx)
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		mon.every(sampling, start, o.sampleEvery, o.verbose, log, func(p point) { rep.Samples = append(rep.Samples, p) })
	}()

	log.Info("sending", "rate", o.sch.rate, "duration", o.sch.duration.String(), "events", o.sch.total(), "faults", o.faults.any())
	sent, took := snd.run(ctx, o.sch)
	rep.SendSeconds = took.Seconds()
	snd.wait(ctx)
	log.Info("sent; waiting for replies", "events", sent, "took", took.Round(time.Millisecond).String())
	rep.SettleSeconds = mon.settle(ctx, time.Now().Add(o.grace)).Seconds()
	stopSampling()
	<-sampled

	after := mon.sample(ctx, time.Since(start))
	rep.Samples = append(rep.Samples, after.point)
	if el := time.Since(start).Seconds(); el > 0 {
		rep.LoadgenCPU = (selfCPU() - cpuBefore).Seconds() / el
		if m := machineCPU(); m > 0 && machineBefore > 0 {
			rep.MachineCPU = (m - machineBefore).Seconds() / el
		}
	}
	// Goroutines after the run, once idle keep-alive connections (each
	// holds goroutines on both ends) are closed: what is left beyond the
	// idle count before the run would be a leak.
	snd.client.CloseIdleConnections()
	st.line.SetKeepAlivesEnabled(false)
	st.slack.SetKeepAlivesEnabled(false)
	// Connections wind down over a few seconds: wait (up to 15 s) until
	// the count is back to where it was.
	idle := after
	for range 30 {
		if !sleep(ctx, 500*time.Millisecond) {
			return nil, ctx.Err()
		}
		mon.client.CloseIdleConnections()
		idle = mon.sample(ctx, time.Since(start))
		if idle.goroutines <= before.goroutines+goroutineSlack/2 {
			break
		}
	}
	rep.GoroutinesBefore, rep.GoroutinesAfter = before.goroutines, idle.goroutines

	if ch != nil {
		if err := ch.stop(childShutdown); err != nil {
			rep.ShutdownError = err.Error()
		}
		rep.Logged = diffCounts(ch.logs.snapshot(), logsBefore)
	}
	rep.fill(events, snd, st, before.s, after.s)
	rep.noteOtherLoad(cpu)
	return rep, nil
}

// sleep waits d or until ctx ends; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func diffCounts(after, before map[string]int) map[string]int {
	out := map[string]int{}
	for k, v := range after {
		if d := v - before[k]; d > 0 {
			out[k] = d
		}
	}
	return out
}

// monitor samples the server while the load runs.
type monitor struct {
	client *http.Client
	url    string // /metrics, or "" not to scrape
	child  *child
	events *eventLog
}

// point is one sample of the server, for the report.
type point struct {
	Seconds       float64 `json:"t"`
	RSSBytes      int64   `json:"rss_bytes"`
	HeapBytes     int64   `json:"heap_inuse_bytes"`
	Goroutines    int     `json:"goroutines"`
	Inflight      int     `json:"inflight_jobs"`
	Conversations int     `json:"state_conversations"`
	Dedupe        int     `json:"state_dedupe"`
	RateKeys      int     `json:"state_ratelimit"`
	Events        int     `json:"events_sent"`
	Replies       int     `json:"events_answered"`
}

type scraped struct {
	point
	s          sample
	goroutines int
	ok         bool
}

func (m *monitor) sample(ctx context.Context, at time.Duration) scraped {
	out := scraped{point: point{Seconds: at.Seconds(), Goroutines: -1, Inflight: -1, Conversations: -1, Dedupe: -1, RateKeys: -1}, goroutines: -1}
	if m.url != "" {
		if s, err := scrape(ctx, m.client, m.url); err == nil {
			out.s, out.ok = s, true
			out.RSSBytes = int64(s.sum("process_resident_memory_bytes"))
			out.HeapBytes = int64(s.sum("go_memstats_heap_inuse_bytes"))
			if s.has("go_goroutines") {
				out.Goroutines = int(s.sum("go_goroutines"))
				out.goroutines = out.Goroutines
			}
			if s.has("supportbot_inflight_jobs") {
				out.Inflight = int(s.sum("supportbot_inflight_jobs"))
			}
			if s.has("supportbot_state_entries") {
				out.Conversations = int(s.sum("supportbot_state_entries", `store="conversations"`))
				out.Dedupe = int(s.sum("supportbot_state_entries", `store="dedupe"`))
				out.RateKeys = int(s.sum("supportbot_state_entries", `store="ratelimit"`))
			}
		}
	}
	if m.child != nil {
		if rss, ok := m.child.rss(); ok {
			out.RSSBytes = rss
		}
	}
	evs := m.events.events()
	out.Events = len(evs)
	for i := range evs {
		if evs[i].replies.Load() > 0 {
			out.Replies++
		}
	}
	return out
}

// every samples every d until ctx ends, passing each point to keep, and
// logs progress (every second with verbose).
func (m *monitor) every(ctx context.Context, start time.Time, d time.Duration, verbose bool, log *slog.Logger, keep func(point)) {
	tick := time.Second
	if !verbose {
		tick = d
	}
	if tick <= 0 {
		<-ctx.Done()
		return
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	next := d
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		el := time.Since(start)
		p := m.sample(ctx, el)
		if ctx.Err() != nil {
			return // the scrape was cut short: not a sample
		}
		if d > 0 && el >= next-tick/2 {
			keep(p.point)
			next += d
		}
		log.Info("progress", "t", el.Round(time.Second).String(), "events", p.Events, "answered", p.Replies,
			"rss_mb", p.RSSBytes>>20, "goroutines", p.Goroutines, "inflight", p.Inflight,
			"conversations", p.Conversations, "dedupe", p.Dedupe)
	}
}

// settle waits until every accepted event has a reply, or the server has
// no job left (what is unanswered then stays so), or deadline.
func (m *monitor) settle(ctx context.Context, deadline time.Time) time.Duration {
	start := time.Now()
	idle := 0
	for time.Now().Before(deadline) {
		unanswered := 0
		evs := m.events.events()
		for i := range evs {
			if outcome(evs[i].status.Load()) == accepted && evs[i].replies.Load() == 0 {
				unanswered++
			}
		}
		if unanswered == 0 {
			break
		}
		if m.url != "" {
			if s, err := scrape(ctx, m.client, m.url); err == nil && s.has("supportbot_inflight_jobs") && s.sum("supportbot_inflight_jobs") == 0 {
				idle++
			} else {
				idle = 0
			}
			if idle >= 3 {
				break
			}
		}
		if !sleep(ctx, 200*time.Millisecond) {
			break
		}
	}
	return time.Since(start)
}
