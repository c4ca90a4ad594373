package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/slack/slacktest"
)

// staffChannel is the staff's channel in these tests: the stand-in's
// channel, where slash commands come from by default.
const staffChannel = slacktest.ChannelID

// TestStaffWalk is issue 12's walk, through the real server (run, with a
// DATA_DIR and a KNOWLEDGE_DIR of its own, Slack pointed at a stand-in):
// a question finds nothing; a 👎 on another answer; `insights --json`
// lists both, and so do the admin page and /support insights in the
// staff channel; staff add a keyword to a programme in KNOWLEDGE_DIR and
// reload; the same question now finds it; a broken edit is refused while
// answers continue, shown on /admin and posted to the staff channel.
func TestStaffWalk(t *testing.T) {
	dir, data := knowledgeDir(t), t.TempDir()
	api := slacktest.NewAPI(t)
	in := startRun(t, []string{"serve"}, map[string]string{
		"KNOWLEDGE_DIR": dir, "KNOWLEDGE_POLL": "off", "ADMIN_TOKEN": adminToken, "DATA_DIR": data,
		"RATE_LIMIT": "1000", "RATE_BURST": "1000",
		"SLACK_SIGNING_SECRET": slackSecret, "SLACK_BOT_TOKEN": "xoxb-test-token", "SLACK_API_URL": api.APIURL(),
		"SLACK_STAFF_CHANNEL": staffChannel, "INSIGHTS_SCHEDULE": "off",
	})

	// 1. Ask: nothing fits.
	if got := in.firstCard(t, quantumQuestion); got != "" {
		t.Fatalf("before the edit %q finds %s; want nothing", quantumQuestion, got)
	}
	// 2. 👎 on another answer.
	other := in.ask(t, `{"text":"子どものスマホが心配"}`)
	if other.Answer.Feedback == nil || len(other.Answer.Cards) == 0 {
		t.Fatalf("programme answer without 👍/👎: %+v", other.Answer)
	}
	in.ask(t, `{"session":"`+other.Session+`","action":`+action(other.Answer.Feedback.Down)+`}`)

	// 3. insights --json lists both, once the writer has written them
	// (it batches every 250 ms).
	var s struct {
		Questions  int `json:"questions"`
		Unanswered []struct {
			Text  string `json:"text"`
			Count int    `json:"count"`
		} `json:"unanswered"`
		Feedback   struct{ Up, Down int } `json:"feedback"`
		Programmes []struct {
			ID   string `json:"id"`
			Down int    `json:"down"`
		} `json:"programmes"`
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		stdout, stderr, err := runCLI(t, "", "insights", "--json", "--since", "1h", "--data-dir", data, "--knowledge", dir)
		if err != nil {
			t.Fatalf("insights: %v\n%s", err, stderr)
		}
		if err := json.Unmarshal([]byte(stdout), &s); err != nil {
			t.Fatal(err)
		}
		if s.Feedback.Down == 1 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The 👎 counts against every programme the answer showed.
	disliked := map[string]bool{}
	for _, p := range s.Programmes {
		if p.Down == 1 {
			disliked[p.ID] = true
		}
	}
	if s.Questions != 2 || len(s.Unanswered) != 1 || s.Unanswered[0].Text != quantumQuestion || s.Feedback.Down != 1 ||
		len(disliked) != len(other.Answer.Cards) || !disliked[other.Answer.Cards[0].ID] {
		t.Fatalf("insights --json = %+v; want 2 questions, %s unanswered, a 👎 on the %d programmes of the other answer", s, quantumQuestion, len(other.Answer.Cards))
	}

	// The admin page and the staff channel say the same.
	page := in.page(t, "/admin/?lang=ja")
	for _, want := range []string{quantumQuestion, "答えられなかった質問", "制度ごとの評価"} {
		if !strings.Contains(page, want) {
			t.Errorf("/admin/ lacks %q", want)
		}
	}
	typ, text := in.slashCommand(t, api, "insights", staffChannel)
	if typ != "in_channel" || !strings.Contains(text, quantumQuestion) || !strings.Contains(text, "👎 1") {
		t.Errorf("/support insights in the staff channel = %s %.300s; want the digest with the question and the 👎", typ, text)
	}
	if typ, text := in.slashCommand(t, api, "insights", "C0ELSEWHERE"); typ != "ephemeral" || !strings.Contains(text, "only in the staff channel") || strings.Contains(text, quantumQuestion) {
		t.Errorf("/support insights elsewhere = %s %.300s; want a note for the person alone", typ, text)
	}

	// 4. Staff add a keyword and reload: the same question now finds it.
	_, st := in.admin(t, "GET", "/admin/knowledge")
	first := st["version"]
	editFile(t, dir, sechackFile, sechackKeywords, withQuantum)
	code, res := in.admin(t, "POST", "/admin/reload")
	if code != 200 || res["result"] != "ok" || res["trigger"] != "admin" {
		t.Fatalf("POST /admin/reload = %d %v; want 200 ok", code, res)
	}
	if got := in.firstCard(t, quantumQuestion); got != "sechack365" {
		t.Fatalf("after the edit %q finds %q; want sechack365", quantumQuestion, got)
	}

	// 5. A broken edit, while people keep asking: refused, and answers
	// go on from the running version.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var answers []string
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				got := in.firstCard(t, quantumQuestion)
				mu.Lock()
				answers = append(answers, got)
				mu.Unlock()
			}
		})
	}
	editFile(t, dir, sechackFile, "  ja: SecHack365\n", "")
	code, res = in.admin(t, "POST", "/admin/reload")
	close(stop)
	wg.Wait()
	if code != 422 || res["result"] != "refused" || res["check"] != "lint" || !strings.Contains(res["reason"].(string), "initiatives/sechack365.yaml:") {
		t.Fatalf("POST /admin/reload of a broken edit = %d %v; want 422 refused by the lint naming the file", code, res)
	}
	for _, got := range answers {
		if got != "sechack365" {
			t.Fatalf("an answer during the refused reload found %q; want sechack365 from the running version", got)
		}
	}
	t.Logf("%d answers during the refused reload, all from the running version", len(answers))

	// Shown on /admin, counted in /metrics, posted to the staff channel.
	_, st = in.admin(t, "GET", "/admin/knowledge")
	refused, _ := st["last_refused"].(map[string]any)
	if st["version"] == first || st["trigger"] != "admin" || refused == nil || refused["check"] != "lint" || refused["at"] == "" {
		t.Errorf("GET /admin/knowledge = %v; want the edited version live and the lint refusal with its time", st)
	}
	if page := in.page(t, "/admin/?lang=en"); !strings.Contains(page, "Last refused version") || !strings.Contains(page, "initiatives/sechack365.yaml:") {
		t.Error("/admin/ does not show the refused reload and its reason")
	}
	m := in.metrics(t)
	for _, want := range []string{
		`supportbot_knowledge_reloads_total{check="",result="ok"} 1`,
		`supportbot_knowledge_reloads_total{check="lint",result="refused"} 1`,
		`supportbot_knowledge_info{source="` + dir + `",version="` + st["version"].(string) + `"} 1`,
		`supportbot_knowledge_initiatives 28`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	posts := api.WaitFor(t, "chat.postMessage", 1)
	if p := posts[0]; p.Form.Get("channel") != staffChannel || !strings.Contains(p.Text(), "Knowledge update refused (lint)") || !strings.Contains(p.Text(), "initiatives/sechack365.yaml:") {
		t.Errorf("staff channel post: %s %q; want the refusal with its reason", p.Form.Get("channel"), p.Text())
	}
	logs := in.stderr.String()
	for _, secret := range []string{adminToken, slackSecret, "xoxb-test-token", quantumQuestion} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log shows %q", secret)
		}
	}
}

// page gets an admin page with the token and returns its HTML.
func (in *instance) page(t *testing.T, path string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", in.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("GET %s = %d %s", path, res.StatusCode, b)
	}
	return string(b)
}

// slashCommand sends a signed /support with text from channel and
// returns the response's type and everything it says (text and blocks).
func (in *instance) slashCommand(t *testing.T, api *slacktest.API, text, channel string) (typ, said string) {
	t.Helper()
	c := slacktest.SlashCommand("/support", text, api.ResponseURL("insights"))
	c.ChannelID = channel
	body := c.Body()
	req, _ := http.NewRequest("POST", in.URL+"/slack/commands", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	slacktest.Sign(req.Header, slackSecret, time.Now(), body)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var r struct {
		ResponseType string `json:"response_type"`
		Text         string `json:"text"`
	}
	if res.StatusCode != 200 || json.Unmarshal(b, &r) != nil {
		t.Fatalf("POST /slack/commands = %d %s", res.StatusCode, b)
	}
	return r.ResponseType, string(b)
}
