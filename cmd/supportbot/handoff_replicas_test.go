package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/line/linetest"
	"github.com/supportbot/supportbot/internal/postgres/pgtest"
	"github.com/supportbot/supportbot/internal/slack/slacktest"
)

// pgSchema returns a PostgreSQL URL with a schema of its own for one test
// (dropped after), or skips, as internal/postgres's tests find it.
var pgSchema = pgtest.SchemaURL

// webPerson is someone on the web chat, reading its stream.
type webPerson struct {
	session string
	mu      sync.Mutex
	got     map[int64]string // event id → text
	order   []int64
	last    int64
}

func (p *webPerson) ask(t *testing.T, in *instance, body string) chatReply {
	t.Helper()
	if p.session != "" {
		body = `{"session":"` + p.session + `",` + body[1:]
	}
	code, r := in.chat(t, body)
	if code != 200 {
		t.Fatalf("POST /api/chat %s = %d %+v", body, code, r)
	}
	p.session = r.Session
	return r
}

// listen reads in's stream from the last event seen until ctx ends.
func (p *webPerson) listen(ctx context.Context, t *testing.T, in *instance) <-chan struct{} {
	done := make(chan struct{})
	p.mu.Lock()
	last := p.last
	p.mu.Unlock()
	req, _ := http.NewRequestWithContext(ctx, "GET", in.URL+"/api/stream?session="+p.session, nil)
	req.Header.Set("Last-Event-ID", fmt.Sprint(last))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(done)
		defer res.Body.Close()
		rd := bufio.NewReader(res.Body)
		var id int64
		for {
			line, err := rd.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimSpace(line)
			switch {
			case strings.HasPrefix(line, "id: "):
				fmt.Sscan(strings.TrimPrefix(line, "id: "), &id)
			case strings.HasPrefix(line, "data: "):
				var a struct {
					Text string `json:"text"`
				}
				_ = json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &a)
				p.mu.Lock()
				if _, dup := p.got[id]; dup {
					p.got[id] = "DUPLICATE: " + a.Text
				} else {
					p.got[id] = a.Text
					p.order = append(p.order, id)
				}
				p.last = max(p.last, id)
				p.mu.Unlock()
			}
		}
	}()
	return done
}

// waitFor waits until the stream has shown text.
func (p *webPerson) waitFor(t *testing.T, text string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		p.mu.Lock()
		for _, got := range p.got {
			if strings.Contains(got, text) {
				p.mu.Unlock()
				return
			}
		}
		p.mu.Unlock()
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the web stream did not show %q within 15 s; it showed %v", text, p.got)
}

// TestHandoffReplicas: two `serve` processes share PostgreSQL; the LINE
// and web conversations go back and forth while each replica gets events,
// one of them is restarted in the middle, and a staff reply is left
// undelivered by a replica that stops. Every message reaches its side
// once: nothing lost, nothing doubled. A web stream on one replica shows
// replies that arrived on the other (LISTEN/NOTIFY).
func TestHandoffReplicas(t *testing.T) {
	r := newRig(t, map[string]string{"DATABASE_URL": pgSchema(t), "SHUTDOWN_TIMEOUT": "10s"})
	a := startRun(t, []string{"serve"}, r.env)
	b := startRun(t, []string{"serve"}, r.env)

	// A web person opens ticket 1 through A and listens on A.
	web := &webPerson{got: map[int64]string{}}
	web.ask(t, a, `{"text":"隣の家の犬がうるさくて眠れない"}`)
	web.ask(t, a, `{"action":{"kind":"handoff"}}`)
	if got := web.ask(t, a, `{"action":{"kind":"consent"}}`); got.Answer.Kind != "handoff" {
		t.Fatalf("consent = %+v", got)
	}
	webThread := r.ticket(t, 1).TS
	streamCtx, stopStream := context.WithCancel(context.Background())
	streamDone := web.listen(streamCtx, t, a)

	// A LINE person opens ticket 2 through B.
	user := linetest.UserID
	lineThread, _ := r.openTicket(t, b, user, 2)

	staff := func(in *instance, thread, text string) slacktest.Callback {
		ev := slacktest.ThreadReply(handoffChannel, staffUser, thread, text)
		r.sendSlack(t, in, "/slack/events", ev.Body())
		return ev
	}
	// Replies reach the web stream on A whichever replica Slack calls,
	// also when both see the same event.
	ev := staff(b, webThread, "web reply 1 (to B)")
	r.sendSlack(t, a, "/slack/events", ev.Body(), "X-Slack-Retry-Num", "1")
	web.waitFor(t, "web reply 1 (to B)")
	staff(a, webThread, "web reply 2 (to A)")
	web.waitFor(t, "web reply 2 (to A)")
	// LINE: replies and the person's words through both replicas.
	ev = staff(a, lineThread.TS, "line reply 1 (to A)")
	r.sendSlack(t, b, "/slack/events", ev.Body(), "X-Slack-Retry-Num", "1")
	r.sendLINE(t, a, linetest.Text(user, "line person 1 (to A)"))
	r.sendLINE(t, b, linetest.Text(user, "line person 2 (to B)"))
	web.ask(t, b, `{"text":"web person 1 (to B)"}`)
	r.pushes(t, user, 1)
	r.thread(t, lineThread.TS, "line person 2 (to B)")
	r.thread(t, webThread, "web person 1 (to B)")

	// A stops in the middle of the conversation; the web stream reconnects
	// to B from its last event; the conversation goes on through B; then A
	// starts again.
	if err := a.shutdown(t); err != nil {
		t.Errorf("shutdown A: %v", err)
	}
	<-streamDone
	streamDone = web.listen(streamCtx, t, b)
	staff(b, webThread, "web reply 3 (to B, A down)")
	web.waitFor(t, "web reply 3 (to B, A down)")
	r.sendLINE(t, b, linetest.Text(user, "line person 3 (to B, A down)"))
	staff(b, lineThread.TS, "line reply 2 (to B, A down)")
	a2 := startRun(t, []string{"serve"}, r.env)
	staff(a2, lineThread.TS, "line reply 3 (to A again)")
	r.sendLINE(t, a2, linetest.Text(user, "line person 4 (to A again)"))
	web.ask(t, a2, `{"text":"web person 2 (to A again)"}`)
	staff(a2, webThread, "web reply 4 (to A again)")
	web.waitFor(t, "web reply 4 (to A again)")

	// A reply whose push fails on B, and B stops before it succeeds: it
	// waits in the database, and A delivers it with the same retry key.
	r.line.Refuse(user, 0, "")
	r.line.Respond(func(w http.ResponseWriter, c linetest.Call, _ int) {
		if c.Path == linetest.PathPush {
			linetest.WriteError(w, http.StatusInternalServerError, linetest.MsgServerError)
			return
		}
		linetest.WriteSent(w, "1")
	})
	staff(b, lineThread.TS, "line reply 4 (B fails to push, then stops)")
	deadline := time.Now().Add(10 * time.Second)
	for len(failedPushes(r.line)) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if err := b.shutdown(t); err != nil {
		t.Errorf("shutdown B: %v", err)
	}
	r.line.Respond(nil)
	r.pushes(t, user, 4)
	stopStream()
	<-streamDone

	// Every staff reply reached the LINE person once, in order.
	var pushed []string
	for _, c := range r.line.Pushes() {
		if c.Push.To == user {
			pushed = append(pushed, strings.TrimSpace(lineMessages(t, c.Push.Messages).text))
		}
	}
	want := []string{"line reply 1 (to A)", "line reply 2 (to B, A down)", "line reply 3 (to A again)", "line reply 4 (B fails to push, then stops)"}
	if len(pushed) != len(want) {
		t.Errorf("LINE pushes %q; want each of %q once", pushed, want)
	}
	for i, w := range want {
		if i < len(pushed) && !strings.HasSuffix(pushed[i], w) {
			t.Errorf("push %d = %q; want %q", i, pushed[i], w)
		}
	}
	// The reply B failed to push was pushed by A with B's retry key.
	if failed := failedPushes(r.line); len(failed) > 0 {
		pushes := r.line.Pushes()
		if last := pushes[len(pushes)-1]; last.RetryKey != failed[0].RetryKey {
			t.Errorf("the reply left by B was pushed with key %q; B tried %q", last.RetryKey, failed[0].RetryKey)
		}
	}
	// Every word of the person reached the thread once.
	for thread, words := range map[string][]string{
		lineThread.TS: {"line person 1 (to A)", "line person 2 (to B)", "line person 3 (to B, A down)", "line person 4 (to A again)"},
		webThread:     {"web person 1 (to B)", "web person 2 (to A again)"},
	} {
		for _, w := range words {
			r.thread(t, thread, w)
			n := 0
			for _, c := range r.slack.Thread(thread) {
				if strings.Contains(c.Text(), w) {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%q posted %d times in the thread; want once", w, n)
			}
		}
	}
	// The web stream showed each reply once, across the reconnect.
	web.mu.Lock()
	defer web.mu.Unlock()
	var texts []string
	for _, id := range web.order {
		texts = append(texts, web.got[id])
	}
	wantWeb := []string{"web reply 1 (to B)", "web reply 2 (to A)", "web reply 3 (to B, A down)", "web reply 4 (to A again)"}
	if len(texts) != len(wantWeb) {
		t.Errorf("the web stream showed %q; want each of %q once", texts, wantWeb)
	}
	for i, w := range wantWeb {
		if i < len(texts) && !strings.HasSuffix(texts[i], w) {
			t.Errorf("web event %d = %q; want %q", i, texts[i], w)
		}
	}
}

// failedPushes are the pushes the stand-in answered with a failure.
func failedPushes(api *linetest.API) []linetest.Call {
	var out []linetest.Call
	for _, c := range api.Calls(linetest.PathPush) {
		if c.Status >= 500 {
			out = append(out, c)
		}
	}
	return out
}
