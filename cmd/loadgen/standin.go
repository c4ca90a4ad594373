package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/supportbot/supportbot/internal/line/linetest"
	"github.com/supportbot/supportbot/internal/slack/slacktest"
)

// faults are the probabilities with which a stand-in misbehaves on one
// call. They are drawn independently of each other in this order, so
// their sum is the share of calls that do not simply succeed.
type faults struct {
	Drop       float64       // read the request, then close the connection without answering
	RateLimit  float64       // 429 with Retry-After
	ServerErr  float64       // 500, 502 or 503
	Slow       float64       // answer normally after SlowDelay
	RetryAfter time.Duration // the Retry-After of a 429, in whole seconds
	SlowDelay  time.Duration
}

func (f faults) any() bool { return f.Drop+f.RateLimit+f.ServerErr+f.Slow > 0 }

// fault is what one call gets.
type fault uint8

const (
	faultNone fault = iota
	faultDrop
	faultRateLimit
	faultServerErr
	faultSlow
)

func (f faults) draw() fault {
	x := rand.Float64()
	for _, c := range []struct {
		p float64
		f fault
	}{{f.Drop, faultDrop}, {f.RateLimit, faultRateLimit}, {f.ServerErr, faultServerErr}, {f.Slow, faultSlow}} {
		if x < c.p {
			return c.f
		}
		x -= c.p
	}
	return faultNone
}

// bodies holds request buffers: replies are kilobytes each, thousands a
// second, and the stand-ins share the machine with the server.
var bodies = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 32<<10)) }}

// lineTokenLife is how long LINE accepts a reply token: "Reply tokens
// must be used within one minute after receiving the webhook." The
// stand-in refuses later replies as LINE would, so a reply that misses
// the platform's deadline shows up as a failure, not as delivered.
const lineTokenLife = time.Minute

// standIns are local stand-ins for the LINE Messaging API and the Slack
// Web API. They record every reply against the event it answers and
// inject faults.
//
// What the platforms say — paths, error bodies, 429s, a sent reply — comes
// from the test kits (linetest, slacktest), as do the webhooks and their
// signatures. The rest is a load run's own, which the kits' stand-ins,
// built for tests, do not do at 2,000 events a second: they keep every
// call whole and decode it under one lock (gigabytes over a long run),
// while these read each body into a pooled buffer, scan it for the one
// field that names the event (ids encode the event's index, so no lookup
// table), count atomically, and hold LINE to its one-minute, single-use
// reply tokens; and they listen on given addresses with server timeouts
// (for --target, a server started elsewhere) and draw their faults at
// random, dropped connections among them.
type standIns struct {
	ids      ids
	events   *eventLog
	faults   faults
	lineTok  string // expected bearer token
	slackTok string

	line, slack *http.Server
	tls         *standInTLS // nil: plain HTTP/1.1
	lineURL     string      // base URL, no trailing slash
	slackURL    string      // Web API base, with trailing slash

	// Counters, for the report.
	calls      atomic.Int64 // every request, faults included
	h2calls    atomic.Int64 // of them, over HTTP/2
	conns      atomic.Int64 // connections the server opened to the stand-ins
	injected   [5]atomic.Int64
	loading    atomic.Int64 // LINE loading-animation calls
	expired    atomic.Int64 // LINE replies refused: token older than a minute
	reused     atomic.Int64 // LINE replies with a token already used
	unknown    atomic.Int64 // replies that match no event of this run
	badAuth    atomic.Int64
	profiles   atomic.Int64 // LINE profile and Slack users.info calls
	ephemeral  atomic.Int64 // Slack notices only the asker sees
	otherCalls sync.Map     // path → *atomic.Int64, for calls we do not model
}

// startStandIns listens on two addresses (loopback, port 0 for any) and
// serves until close.
func startStandIns(d ids, events *eventLog, f faults, sec secrets, lineAddr, slackAddr string, useTLS bool, log *slog.Logger) (*standIns, error) {
	s := &standIns{ids: d, events: events, faults: f, lineTok: sec.lineToken, slackTok: sec.slackToken}
	var err error
	if useTLS {
		if s.tls, err = newStandInTLS(); err != nil {
			return nil, err
		}
	}
	if s.line, s.lineURL, err = serveOn(lineAddr, http.HandlerFunc(s.serveLINE), s.tls, &s.conns, log); err != nil {
		s.tls.close()
		return nil, err
	}
	if s.slack, s.slackURL, err = serveOn(slackAddr, http.HandlerFunc(s.serveSlack), s.tls, &s.conns, log); err != nil {
		s.line.Close()
		s.tls.close()
		return nil, err
	}
	s.slackURL += "/api/"
	return s, nil
}

// serveOn serves h on addr, with timeouts like a real API's front end,
// counting the connections it accepts in conns: a server that keeps its
// connections dials few (dialling was 6 % of its CPU once). With t it
// speaks HTTPS, HTTP/2 or HTTP/1.1 as the client's ALPN asks.
func serveOn(addr string, h http.Handler, t *standInTLS, conns *atomic.Int64, log *slog.Logger) (*http.Server, string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("stand-in: %w", err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       90 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
		ConnState: func(_ net.Conn, st http.ConnState) {
			if st == http.StateNew {
				conns.Add(1)
			}
		},
	}
	if t != nil {
		srv.TLSConfig = t.config.Clone()
		go func() { _ = srv.ServeTLS(ln, "", "") }()
		return srv, "https://" + ln.Addr().String(), nil
	}
	go func() { _ = srv.Serve(ln) }()
	return srv, "http://" + ln.Addr().String(), nil
}

func (s *standIns) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = s.line.Shutdown(ctx)
	_ = s.slack.Shutdown(ctx)
	s.tls.close()
}

// count counts a call, and whether it came over HTTP/2.
func (s *standIns) count(r *http.Request) {
	s.calls.Add(1)
	if r.ProtoMajor == 2 {
		s.h2calls.Add(1)
	}
}

// misbehave applies a drawn fault, answering as p's API does. It reports
// true when the call has been answered (or dropped) and must not be
// processed; a slow call sleeps and then goes on, unless the client gives
// up first.
func (s *standIns) misbehave(w http.ResponseWriter, r *http.Request, p platform) bool {
	f := s.faults.draw()
	if f == faultNone {
		return false
	}
	s.injected[f].Add(1)
	switch f {
	case faultDrop:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return true
			}
		}
		panic(http.ErrAbortHandler) // no hijacking (HTTP/2): abort the stream instead
	case faultRateLimit:
		if p == lineEvent {
			linetest.WriteRateLimited(w, s.faults.RetryAfter)
		} else {
			slacktest.WriteRateLimited(w, s.faults.RetryAfter)
		}
		return true
	case faultServerErr:
		codes := []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable}
		if code := codes[rand.N(len(codes))]; p == lineEvent {
			linetest.WriteError(w, code, linetest.MsgServerError)
		} else {
			slacktest.WriteServerError(w, code)
		}
		return true
	case faultSlow:
		t := time.NewTimer(s.faults.SlowDelay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return true // the client gave up: nothing was delivered
		}
	}
	return false
}

// readBody reads a request's body (up to 1 MiB) into a buffer of bodies,
// which the caller puts back.
func readBody(r *http.Request) (*bytes.Buffer, error) {
	buf := bodies.Get().(*bytes.Buffer)
	buf.Reset()
	_, err := buf.ReadFrom(io.LimitReader(r.Body, 1<<20))
	return buf, err
}

// serveLINE answers POST /v2/bot/message/reply and the loading animation.
// A reply is delivered when its token belongs to an event of this run, is
// unused and younger than a minute; otherwise LINE's 400 "Invalid reply
// token".
func (s *standIns) serveLINE(w http.ResponseWriter, r *http.Request) {
	s.count(r)
	buf, err := readBody(r)
	defer bodies.Put(buf)
	if err != nil {
		return
	}
	body := buf.Bytes()
	if r.Header.Get("Authorization") != "Bearer "+s.lineTok {
		s.badAuth.Add(1)
		linetest.WriteError(w, http.StatusUnauthorized, linetest.MsgAuthFailed)
		return
	}
	if s.misbehave(w, r, lineEvent) {
		return
	}
	switch r.URL.Path {
	case linetest.PathLoading:
		s.loading.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, "{}")
		return
	case linetest.PathReply:
	default:
		if user, ok := strings.CutPrefix(r.URL.Path, linetest.PathProfile); ok {
			// Every other synthetic user's phone is in English.
			s.profiles.Add(1)
			lang := "ja"
			if n := len(user); n > 0 && (user[n-1]-'0')%2 == 1 {
				lang = "en"
			}
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"displayName":"loadgen","userId":%q,"language":%q}`, user, lang)
			return
		}
		s.other(r.URL.Path)
		linetest.WriteError(w, http.StatusNotFound, linetest.MsgNotFound)
		return
	}
	token := jsonField(body, "replyToken")
	i, ok := s.ids.lineIndex(token)
	ev := s.events.get(i)
	if !ok || ev == nil || ev.platform != lineEvent || !bytes.Contains(body, []byte(`"messages":[{`)) {
		s.unknown.Add(1)
		linetest.WriteError(w, http.StatusBadRequest, linetest.MsgInvalidReplyToken)
		return
	}
	if time.Since(ev.firstSent()) > lineTokenLife {
		s.expired.Add(1)
		linetest.WriteError(w, http.StatusBadRequest, linetest.MsgInvalidReplyToken)
		return
	}
	if n := ev.reply(); n > 1 {
		// The server tried to answer one event twice. LINE refuses the
		// second use of a token; it is a duplicate all the same.
		s.reused.Add(1)
		linetest.WriteError(w, http.StatusBadRequest, linetest.MsgInvalidReplyToken)
		return
	}
	w.Header().Set("X-Line-Request-Id", fmt.Sprintf("loadgen-%d", i))
	linetest.WriteSent(w, strconv.Itoa(600000000000000000+i))
}

// serveSlack answers chat.postMessage (JSON, as the adapter posts it;
// form-encoded, as slack-go sends the other methods) and, with ok:true,
// any other method.
func (s *standIns) serveSlack(w http.ResponseWriter, r *http.Request) {
	s.count(r)
	buf, err := readBody(r)
	defer bodies.Put(buf)
	if err != nil {
		return
	}
	body := buf.Bytes()
	field := formField
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		field = jsonField
	}
	if r.Header.Get("Authorization") != "Bearer "+s.slackTok && field(body, "token") != s.slackTok {
		s.badAuth.Add(1)
		slacktest.WriteError(w, "invalid_auth")
		return
	}
	if s.misbehave(w, r, slackEvent) {
		return
	}
	switch r.URL.Path {
	case "/api/chat.postMessage":
	case "/api/users.info":
		s.profiles.Add(1)
		user := field(body, "user")
		slacktest.WriteOK(w, fmt.Sprintf(`{"ok":true,"user":{"id":%q,"team_id":%q,"name":"loadgen","locale":"en-US"}}`, user, slackTeam))
		return
	case "/api/chat.postEphemeral":
		s.ephemeral.Add(1)
		slacktest.WriteOK(w, `{"ok":true,"message_ts":"1761956000.000100"}`)
		return
	default:
		s.other(r.URL.Path)
		slacktest.WriteOK(w, `{"ok":true}`)
		return
	}
	channel, ts := field(body, "channel"), field(body, "thread_ts")
	i, ok := s.ids.slackIndex(channel, ts)
	ev := s.events.get(i)
	if !ok || ev == nil || ev.platform != slackEvent || field(body, "text") == "" {
		s.unknown.Add(1)
		slacktest.WriteError(w, "thread_not_found")
		return
	}
	ev.reply()
	slacktest.WriteOK(w, fmt.Sprintf(`{"ok":true,"channel":%q,"ts":"%d.%06d"}`, channel, time.Now().Unix(), i%1_000_000))
}

func (s *standIns) other(path string) {
	c, _ := s.otherCalls.LoadOrStore(path, new(atomic.Int64))
	c.(*atomic.Int64).Add(1)
}

// jsonField finds "name":"value" in a JSON body without decoding it all
// (a reply carries kilobytes of Flex JSON; the token comes first). Good
// for values without escapes, such as reply tokens.
func jsonField(body []byte, name string) string {
	key := []byte(`"` + name + `":"`)
	i := bytes.Index(body, key)
	if i < 0 {
		return ""
	}
	rest := body[i+len(key):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return ""
	}
	return string(rest[:j])
}

// formField finds one field of a form-encoded body without decoding the
// rest (the blocks are the bulk of a chat.postMessage).
func formField(body []byte, name string) string {
	for len(body) > 0 {
		var pair []byte
		pair, body, _ = bytes.Cut(body, []byte("&"))
		k, v, _ := bytes.Cut(pair, []byte("="))
		if string(k) == name {
			s, err := url.QueryUnescape(string(v))
			if err != nil {
				return ""
			}
			return s
		}
	}
	return ""
}

// otherCounts lists calls to paths the stand-ins do not model.
func (s *standIns) otherCounts() string {
	var parts []string
	s.otherCalls.Range(func(k, v any) bool {
		parts = append(parts, fmt.Sprintf("%s×%d", k, v.(*atomic.Int64).Load()))
		return true
	})
	return strings.Join(parts, " ")
}
