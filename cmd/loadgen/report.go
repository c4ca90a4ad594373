package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"
)

// report is what a run came to, and the checks it passes or fails.
type report struct {
	opts options

	Rate          float64 `json:"rate"`
	Duration      string  `json:"duration"`
	SendSeconds   float64 `json:"send_seconds"`
	SettleSeconds float64 `json:"settle_seconds"`

	// Deliveries.
	Events       int     `json:"events"`        // distinct events sent
	Deliveries   int     `json:"deliveries"`    // webhooks sent, redeliveries included
	Accepted     int     `json:"accepted"`      // events the server took (200)
	Refused      int     `json:"refused"`       // events refused with 503 at every delivery
	Refusals     int     `json:"refusals"`      // 503 responses, redelivered events included
	Undelivered  int     `json:"undelivered"`   // events without any response (errors)
	Throughput   float64 `json:"throughput"`    // webhooks acknowledged (200 or 503) per second of sending
	AcceptedRate float64 `json:"accepted_rate"` // 200s per second of sending
	AckP50       float64 `json:"ack_p50_ms"`
	AckP90       float64 `json:"ack_p90_ms"`
	AckP99       float64 `json:"ack_p99_ms"`
	AckMax       float64 `json:"ack_max_ms"`
	LagP99       float64 `json:"scheduler_lag_p99_ms"` // how late the load generator sent
	// WorstSeconds are the seconds of the run with the slowest
	// acknowledgements: a tail spread over the run is load, one
	// concentrated in a few seconds is a stall (or other load).
	WorstSeconds []worstSecond `json:"worst_seconds"`
	PeakInflight int64         `json:"peak_inflight"` // deliveries awaiting a response at once

	// Replies.
	Replies        int     `json:"replies"`    // replies delivered, duplicates included
	Answered       int     `json:"answered"`   // accepted events with a reply
	Unanswered     int     `json:"unanswered"` // accepted events without
	Duplicated     int     `json:"duplicated"` // events with more than one reply (or reply attempt)
	RefusedButAns  int     `json:"refused_answered"`
	ReplyP50       float64 `json:"reply_p50_ms"` // first delivery → reply
	ReplyP99       float64 `json:"reply_p99_ms"`
	ReplyMax       float64 `json:"reply_max_ms"`
	ChattyEvents   int     `json:"chatty_events"`   // events of the chatty users (--chatty)
	ChattyAnswered int     `json:"chatty_answered"` // of them answered
	OthersUnans    int     `json:"others_unanswered"`
	LateLINE       int64   `json:"line_expired"`   // LINE replies refused: token older than a minute
	LateSlack      int     `json:"slack_over_60s"` // Slack replies more than a minute after the event

	// The server's own counts (/metrics), after minus before.
	Metrics        bool               `json:"metrics"`
	FailedCounted  float64            `json:"failed_counted"`
	FailedByReason map[string]float64 `json:"failed_by_reason"`
	RateLimited    float64            `json:"rate_limited"`
	// Shed counts Slack events acknowledged by an overloaded server and
	// not answered (a busy notice may have told the person);
	// LINENotices counts LINE events over the rate limit answered with a
	// notice instead (a reply, so not unanswered).
	Shed           float64            `json:"shed"`
	LINENotices    float64            `json:"line_notices"`
	Backpressure   map[string]float64 `json:"backpressure"`
	DuplicatesSeen float64            `json:"server_duplicates"`
	Outbound       map[string]float64 `json:"outbound_calls"`
	Lost           int                `json:"lost"`          // unanswered and not counted as failed or rate-limited
	Overcounted    int                `json:"overcounted"`   // counted as failed, yet answered
	Logged         map[string]int     `json:"logged_issues"` // WARN and ERROR log lines by message

	// Stand-ins.
	APICalls       int64            `json:"api_calls"`
	APICallsH2     int64            `json:"api_calls_http2"`
	Injected       map[string]int64 `json:"faults_injected"`
	LoadingCalls   int64            `json:"line_loading_calls"`
	APIConns       int64            `json:"api_connections"`
	ProfileCalls   int64            `json:"profile_calls"`   // LINE profiles and Slack users.info
	EphemeralCalls int64            `json:"ephemeral_calls"` // Slack notices
	UnknownReplies int64            `json:"unknown_replies"`
	BadAuth        int64            `json:"bad_auth"`
	OtherCalls     string           `json:"other_calls,omitempty"`

	Errors        map[string]int `json:"errors"`
	ShutdownError string         `json:"shutdown_error,omitempty"`

	// Resources.
	ServerCPU float64 `json:"server_cpu_cores"` // process_cpu_seconds_total per second of the run
	// ServerCPUPerEvent is the server's CPU time over the run (grace
	// included) per webhook delivered, in milliseconds: the throughput
	// figure that other load on the machine disturbs least.
	ServerCPUPerEvent float64 `json:"server_cpu_ms_per_event"`
	LoadgenCPU        float64 `json:"loadgen_cpu_cores"`  // this process's CPU per second of the run
	MachineCPU        float64 `json:"machine_cpu_cores"`  // all processes' (Linux), to spot other load
	OtherBusySecs     int     `json:"other_busy_seconds"` // seconds with more than 0.25 cores of other load
	OtherPeak         float64 `json:"other_peak_cores"`   // most other load in one second
	Samples           []point `json:"samples"`
	GoroutinesBefore  int     `json:"goroutines_before"`
	GoroutinesAfter   int     `json:"goroutines_after"`

	Failures []string `json:"failures"`
}

func newReport(o options) *report {
	return &report{opts: o, Rate: o.sch.rate, Duration: o.sch.duration.String()}
}

// fill computes the report from the events, the sender, the stand-ins and
// two scrapes of /metrics.
func (r *report) fill(log *eventLog, snd *sender, st *standIns, before, after sample) {
	var replyLat []time.Duration
	for i := range log.events() {
		ev := &log.events()[i]
		r.Events++
		r.Deliveries += int(ev.deliveries.Load())
		n := int(ev.replies.Load())
		r.Replies += n
		if n > 1 {
			r.Duplicated++
		}
		switch outcome(ev.status.Load()) {
		case accepted:
			r.Accepted++
			if n == 0 {
				r.Unanswered++
			} else {
				r.Answered++
			}
			if r.opts.sch.chatty > 0 && ev.user == 0 {
				r.ChattyEvents++
				if n > 0 {
					r.ChattyAnswered++
				}
			} else if n == 0 {
				r.OthersUnans++
			}
		case refused:
			r.Refused++
			if n > 0 {
				r.RefusedButAns++
			}
		default:
			r.Undelivered++
		}
		if n > 0 {
			d := time.Duration(ev.repliedAt.Load() - ev.sentAt.Load())
			replyLat = append(replyLat, d)
			if ev.platform == slackEvent && d > time.Minute {
				r.LateSlack++
			}
		}
	}
	snd.mu.Lock()
	lat := slices.Clone(snd.latencies)
	lag := slices.Clone(snd.lag)
	r.Errors = snd.errs
	snd.mu.Unlock()
	r.WorstSeconds = worst(snd)
	slices.Sort(lat)
	slices.Sort(lag)
	slices.Sort(replyLat)
	r.AckP50, r.AckP90, r.AckP99, r.AckMax = ms(pct(lat, 50)), ms(pct(lat, 90)), ms(pct(lat, 99)), ms(pct(lat, 100))
	r.LagP99 = ms(pct(lag, 99))
	r.ReplyP50, r.ReplyP99, r.ReplyMax = ms(pct(replyLat, 50)), ms(pct(replyLat, 99)), ms(pct(replyLat, 100))
	r.PeakInflight = snd.peak.Load()
	r.Refusals = int(snd.refusals.Load())
	if r.SendSeconds > 0 {
		r.Throughput = float64(len(lat)) / r.SendSeconds
		r.AcceptedRate = float64(r.Accepted) / r.SendSeconds
	}

	r.APICalls = st.calls.Load()
	r.APICallsH2 = st.h2calls.Load()
	r.Injected = map[string]int64{}
	for f, name := range []string{"", "drop", "429", "5xx", "slow"} {
		if n := st.injected[f].Load(); name != "" && n > 0 {
			r.Injected[name] = n
		}
	}
	r.LoadingCalls = st.loading.Load()
	r.APIConns = st.conns.Load()
	r.ProfileCalls = st.profiles.Load()
	r.EphemeralCalls = st.ephemeral.Load()
	r.LateLINE = st.expired.Load()
	r.UnknownReplies = st.unknown.Load()
	r.BadAuth = st.badAuth.Load()
	r.OtherCalls = st.otherCounts()

	r.Metrics = after.series != nil && before.series != nil
	if r.Metrics {
		r.FailedByReason = after.delta(before, "supportbot_outbound_failures_total")
		r.FailedCounted = sumValues(r.FailedByReason)
		r.Backpressure = after.delta(before, "supportbot_backpressure_total")
		for k, v := range r.Backpressure {
			switch {
			case strings.Contains(k, `limit="rate`):
				r.RateLimited += v
			case strings.Contains(k, `limit="shed"`):
				r.Shed += v
			}
		}
		for k, v := range after.delta(before, "supportbot_notices_total") {
			if strings.Contains(k, `platform="line"`) && strings.Contains(k, `reason="rate_limit"`) {
				r.LINENotices += v
			}
		}
		r.DuplicatesSeen = sumValues(after.delta(before, "supportbot_duplicate_events_total"))
		r.Outbound = after.delta(before, "supportbot_outbound_calls_total")
		if secs := after.at.Sub(before.at).Seconds(); secs > 0 {
			cpu := after.sum("process_cpu_seconds_total") - before.sum("process_cpu_seconds_total")
			r.ServerCPU = cpu / secs
			if r.Deliveries > 0 {
				r.ServerCPUPerEvent = 1000 * cpu / float64(r.Deliveries)
			}
		}
	}
	explained := int(math.Round(r.FailedCounted + r.RateLimited - r.LINENotices + r.Shed))
	r.Lost = max(0, r.Unanswered-explained)
	r.Overcounted = max(0, explained-r.Unanswered)
	r.check()
}

// check lists what the run failed.
func (r *report) check() {
	f := func(format string, args ...any) { r.Failures = append(r.Failures, fmt.Sprintf(format, args...)) }
	if r.Events == 0 {
		f("no events were sent")
	}
	if r.Duplicated > 0 {
		f("%d events answered more than once", r.Duplicated)
	}
	if r.Lost > 0 {
		if r.Metrics {
			f("%d accepted events were silently lost: %d unanswered, %.0f counted as failed, %.0f rate-limited (%.0f of them told so on LINE) and %.0f shed in /metrics",
				r.Lost, r.Unanswered, r.FailedCounted, r.RateLimited, r.LINENotices, r.Shed)
		} else {
			f("%d accepted events unanswered (no /metrics to account for them)", r.Lost)
		}
	}
	if r.Overcounted > 0 {
		f("/metrics counts %d more failed or rate-limited replies than events went unanswered", r.Overcounted)
	}
	if r.opts.sch.chatty > 0 && float64(r.OthersUnans) > r.FailedCounted {
		f("%d events of other users than the chatty ones went unanswered (%.0f counted as failed): the rate limit is not per user", r.OthersUnans, r.FailedCounted)
	}
	if n := sumInts(r.Errors); n > 0 {
		f("%d deliveries failed without a 200 or 503", n)
	}
	if r.UnknownReplies > 0 || r.BadAuth > 0 {
		f("the stand-ins got %d replies to no event of this run and %d calls with the wrong token", r.UnknownReplies, r.BadAuth)
	}
	if r.LateSlack > 0 {
		f("%d Slack replies came more than a minute after their event", r.LateSlack)
	}
	if r.GoroutinesBefore >= 0 && r.GoroutinesAfter > r.GoroutinesBefore+goroutineSlack {
		f("%d goroutines after the run against %d before: a leak?", r.GoroutinesAfter, r.GoroutinesBefore)
	}
	if r.ShutdownError != "" {
		f("server shutdown: %s", r.ShutdownError)
	}
	if o := r.opts; o.maxP99 > 0 && r.AckP99 > ms(o.maxP99) {
		f("p99 acknowledgement latency %.1f ms is over %s", r.AckP99, o.maxP99)
	}
	if o := r.opts; o.minThroughput > 0 && r.Throughput < o.minThroughput*o.sch.rate {
		f("throughput %.0f/s is under %.0f%% of %.0f/s", r.Throughput, 100*o.minThroughput, o.sch.rate)
	}
	if o := r.opts; o.maxRefused >= 0 && r.Events > 0 && float64(r.Refused) > o.maxRefused*float64(r.Events) {
		f("%d events (%.2f%%) refused with 503, more than %.2f%%", r.Refused, 100*float64(r.Refused)/float64(r.Events), 100*o.maxRefused)
	}
}

// goroutineSlack is how many more goroutines than before the run the
// server may have once idle: a connection or two still closing.
const goroutineSlack = 10

func (r *report) passed() bool { return len(r.Failures) == 0 }

// write prints the report for people.
func (r *report) write(w io.Writer) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("load:        %.0f events/s for %s (sent in %.2fs), LINE share %.2f, %d users/platform\n",
		r.Rate, r.Duration, r.SendSeconds, r.opts.sch.lineShare, r.opts.sch.users)
	p("sent:        %d events, %d deliveries (%d redeliveries)\n", r.Events, r.Deliveries, r.Deliveries-r.Events)
	p("accepted:    %d   refused (503 at every delivery): %d   503 responses: %d   no response: %d\n",
		r.Accepted, r.Refused, r.Refusals, r.Undelivered)
	p("throughput:  %.0f acknowledged/s (%.0f accepted/s)\n", r.Throughput, r.AcceptedRate)
	p("ack latency: p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms   (sender lag p99 %.2f ms, peak in flight %d)\n",
		r.AckP50, r.AckP90, r.AckP99, r.AckMax, r.LagP99, r.PeakInflight)
	if len(r.WorstSeconds) > 0 {
		p("worst secs: ")
		for _, w := range r.WorstSeconds {
			p(" [t=%ds max %.0f ms, %d of %d over 10 ms", w.At, w.MaxMs, w.Over10ms, w.N)
			if w.Other >= 0 {
				p(", other load %.2f cores", w.Other)
			}
			p("]")
		}
		p("\n")
	}
	p("replies:     %d received for %d accepted events: answered %d, unanswered %d, duplicated %d (refused yet answered %d)\n",
		r.Replies, r.Accepted, r.Answered, r.Unanswered, r.Duplicated, r.RefusedButAns)
	p("reply delay: p50 %.1f ms  p99 %.1f ms  max %.1f ms   (LINE token expired %d, Slack over 60 s %d)\n",
		r.ReplyP50, r.ReplyP99, r.ReplyMax, r.LateLINE, r.LateSlack)
	if r.opts.sch.chatty > 0 {
		p("chatty:      %d accepted events from the chatty users, %d answered; other users' accepted events unanswered: %d\n",
			r.ChattyEvents, r.ChattyAnswered, r.OthersUnans)
	}
	if r.Metrics {
		p("server:      failed and counted %.0f (%s)\n", r.FailedCounted, formatDelta(r.FailedByReason))
		p("             back-pressure %s; duplicates skipped %.0f\n", formatDelta(r.Backpressure), r.DuplicatesSeen)
		p("             outbound calls %s\n", formatDelta(r.Outbound))
	} else {
		p("server:      no /metrics\n")
	}
	p("lost:        %d (unanswered and not counted as failed)\n", r.Lost)
	p("platform:    %d API calls (%d over HTTP/2) over %d connections, faults injected %v, LINE loading calls %d, profile lookups %d, Slack ephemeral notices %d",
		r.APICalls, r.APICallsH2, r.APIConns, r.Injected, r.LoadingCalls, r.ProfileCalls, r.EphemeralCalls)
	if r.OtherCalls != "" {
		p(", other calls %s", r.OtherCalls)
	}
	p("\n")
	if r.Logged != nil {
		p("server log (WARN/ERROR lines during the run):\n%s", formatCounts(r.Logged, "             "))
	}
	if len(r.Errors) > 0 {
		p("errors:\n%s", formatCounts(r.Errors, "             "))
	}
	if len(r.Samples) > 0 {
		first, last := r.Samples[0], r.Samples[len(r.Samples)-1]
		p("cpu:         server %.2f cores (%.3f ms per event), load generator %.2f cores, whole machine %.2f of %d (other load %.2f; %d seconds over 0.25, peak %.2f)\n",
			r.ServerCPU, r.ServerCPUPerEvent, r.LoadgenCPU, r.MachineCPU, runtime.NumCPU(), max(0, r.MachineCPU-r.ServerCPU-r.LoadgenCPU), r.OtherBusySecs, r.OtherPeak)
		p("resources:   RSS %.1f MB before, %.1f MB at the end (peak %.1f MB); goroutines %d before, %d at the end, %d idle after\n",
			mb(first.RSSBytes), mb(last.RSSBytes), mb(peakRSS(r.Samples)), first.Goroutines, last.Goroutines, r.GoroutinesAfter)
		if len(r.Samples) > 2 {
			p("samples:     %6s %8s %8s %10s %8s %13s %8s %9s %9s\n", "t", "RSS MB", "heap MB", "goroutines", "inflight", "conversations", "dedupe", "ratelimit", "answered")
			for _, s := range r.Samples {
				p("             %6.0f %8.1f %8.1f %10d %8d %13d %8d %9d %9d\n", s.Seconds, mb(s.RSSBytes), mb(s.HeapBytes), s.Goroutines, s.Inflight, s.Conversations, s.Dedupe, s.RateKeys, s.Replies)
			}
		}
	}
	if r.passed() {
		p("result:      PASS\n")
		return
	}
	p("result:      FAIL\n")
	for _, f := range r.Failures {
		p("  - %s\n", f)
	}
}

func (r *report) writeJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// pct is the p-th percentile of sorted durations (nearest rank).
func pct(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
func mb(b int64) float64         { return float64(b) / (1 << 20) }

func peakRSS(ps []point) int64 {
	var m int64
	for _, p := range ps {
		m = max(m, p.RSSBytes)
	}
	return m
}

func sumValues(m map[string]float64) float64 {
	var t float64
	for _, v := range m {
		t += v
	}
	return t
}

func sumInts(m map[string]int) int {
	t := 0
	for _, v := range m {
		t += v
	}
	return t
}

// worstSecond is one second of the run by its slowest acknowledgement.
type worstSecond struct {
	At       int64 `json:"t"` // seconds from the first
	unix     int64
	Other    float64 `json:"other_load_cores"` // CPU of other processes in that second (-1: unknown)
	N        int     `json:"n"`
	Over10ms int     `json:"over_10ms"`
	MaxMs    float64 `json:"max_ms"`
}

// worst returns the three seconds with the slowest acknowledgements.
func worst(snd *sender) []worstSecond {
	snd.mu.Lock()
	defer snd.mu.Unlock()
	first := int64(math.MaxInt64)
	for t := range snd.perSecond {
		first = min(first, t)
	}
	var all []worstSecond
	for t, s := range snd.perSecond {
		all = append(all, worstSecond{At: t - first, unix: t, N: s.n, Over10ms: s.over10ms, MaxMs: ms(s.max), Other: -1})
	}
	slices.SortFunc(all, func(a, b worstSecond) int { return cmp.Compare(b.MaxMs, a.MaxMs) })
	return all[:min(3, len(all))]
}

// noteOtherLoad adds what the CPU watch saw to the worst seconds.
func (r *report) noteOtherLoad(w *cpuWatch) {
	w.stop()
	<-w.done
	r.OtherBusySecs, r.OtherPeak = w.busySeconds(0.25)
	for i := range r.WorstSeconds {
		if v, ok := w.at(r.WorstSeconds[i].unix); ok {
			r.WorstSeconds[i].Other = v
		}
	}
}
