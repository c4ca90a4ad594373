package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/sqlite"
)

// webAnswer is a web chat reply with the question log's parts.
type webAnswer struct {
	Session string `json:"session"`
	Answer  struct {
		ID    string `json:"id"`
		Kind  string `json:"kind"`
		Text  string `json:"text"`
		Cards []struct {
			ID string `json:"id"`
		} `json:"cards"`
		Contacts []struct{}    `json:"contacts"`
		Feedback *bot.Feedback `json:"feedback"`
	} `json:"answer"`
}

func (in *instance) ask(t *testing.T, body string) webAnswer {
	t.Helper()
	res, err := http.Post(in.URL+"/api/chat", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var a webAnswer
	if err := json.NewDecoder(res.Body).Decode(&a); err != nil || res.StatusCode != 200 {
		t.Fatalf("POST /api/chat %s = %d, %v", body, res.StatusCode, err)
	}
	return a
}

func (in *instance) metric(t *testing.T, line string) bool {
	t.Helper()
	res, err := http.Get(in.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return strings.Contains(string(b), line)
}

func action(a bot.Action) string {
	b, _ := json.Marshal(a)
	return string(b)
}

// TestServeQuestionLog runs serve with nothing configured but DATA_DIR:
// questions are logged in SQLite, programme answers carry 👍/👎, a vote
// on one's own answer is recorded and one on another's refused, and
// `insights --json` over the same directory lists them all.
func TestServeQuestionLog(t *testing.T) {
	dir := t.TempDir()
	in := startRun(t, []string{"serve"}, map[string]string{"DATA_DIR": dir})
	mine := in.ask(t, `{"text":"子どものスマホが心配です。電話は090-1234-5678"}`)
	if mine.Answer.ID == "" || mine.Answer.Feedback == nil || len(mine.Answer.Cards) == 0 {
		t.Fatalf("programme answer: id %q, feedback %v; want both", mine.Answer.ID, mine.Answer.Feedback)
	}
	none := in.ask(t, `{"session":"`+mine.Session+`","text":"大阪の天気"}`)
	if none.Answer.Kind != "no_match" || none.Answer.Feedback != nil {
		t.Errorf("no-match answer: kind %s, feedback %v; want no_match without 👍/👎", none.Answer.Kind, none.Answer.Feedback)
	}
	theirs := in.ask(t, `{"text":"中小企業向けの支援"}`)

	down := in.ask(t, `{"session":"`+mine.Session+`","action":`+action(mine.Answer.Feedback.Down)+`}`)
	if down.Answer.Kind != "feedback" || len(down.Answer.Contacts) == 0 || strings.Contains(down.Answer.Text, "受け付けられません") {
		t.Errorf("my 👎 = %s %q with %d contact points; want the follow-up with contact points", down.Answer.Kind, down.Answer.Text, len(down.Answer.Contacts))
	}
	refused := in.ask(t, `{"session":"`+mine.Session+`","action":`+action(theirs.Answer.Feedback.Up)+`}`)
	if !strings.Contains(refused.Answer.Text, "受け付けられませんでした") {
		t.Errorf("👍 on someone else's answer = %q; want it refused", refused.Answer.Text)
	}
	if !in.metric(t, `supportbot_feedback_total{result="refused",vote="up"} 1`) || !in.metric(t, `supportbot_feedback_total{result="accepted",vote="down"} 1`) {
		t.Error("/metrics does not count one refused 👍 and one accepted 👎")
	}
	if err := in.shutdown(t); err != nil {
		t.Fatalf("shutdown: %v\n%s", err, in.stderr)
	}
	if strings.Contains(in.stderr.String(), "090-1234-5678") {
		t.Error("the log holds the phone number")
	}

	// The writer drained at shutdown: everything is in the file.
	stdout, stderr, err := runCLI(t, "", "insights", "--json", "--since", "1h", "--data-dir", dir)
	if err != nil {
		t.Fatalf("insights: %v\n%s", err, stderr)
	}
	var s struct {
		Questions  int `json:"questions"`
		Unanswered []struct {
			Text string `json:"text"`
		} `json:"unanswered"`
		Feedback struct{ Up, Down int } `json:"feedback"`
	}
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatal(err)
	}
	if s.Questions != 3 || len(s.Unanswered) != 1 || s.Unanswered[0].Text != "大阪の天気" || s.Feedback.Down != 1 || s.Feedback.Up != 0 {
		t.Errorf("insights = %+v; want 3 questions, 大阪の天気 unanswered, one 👎", s)
	}
	db, err := sqlite.Open(t.Context(), filepath.Join(dir, sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rs, err := sqlite.NewQuestionLog(db).Records(t.Context(), bot.RecordQuery{Since: time.Now().Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if strings.Contains(r.Text, "090-1234-5678") || strings.Contains(r.Conversation, mine.Session) {
			t.Errorf("stored %+v; want the number redacted and the session hashed", r)
		}
	}
}

func TestServeQuestionLogOff(t *testing.T) {
	dir := t.TempDir()
	in := startRun(t, []string{"serve"}, map[string]string{"DATA_DIR": dir, "QUESTION_LOG": "off"})
	a := in.ask(t, `{"text":"子どものスマホが心配"}`)
	if a.Answer.ID != "" || a.Answer.Feedback != nil {
		t.Errorf("with QUESTION_LOG=off the answer has id %q and feedback %v; want neither", a.Answer.ID, a.Answer.Feedback)
	}
	in.shutdown(t)
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("QUESTION_LOG=off wrote %d files to DATA_DIR", len(entries))
	}
}

// TestServeDatabaseDown starts serve with a PostgreSQL that does not
// answer: it serves and is ready (the database is no readiness
// dependency), answers without 👍/👎, counts what it cannot log, and never
// prints the password.
func TestServeDatabaseDown(t *testing.T) {
	in := startRun(t, []string{"serve"}, map[string]string{
		"DATABASE_URL": "postgres://supportbot:hunter2@127.0.0.1:1/supportbot?connect_timeout=1",
	})
	res, err := http.Get(in.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("/readyz = %d with the database down; want 200", res.StatusCode)
	}
	start := time.Now()
	a := in.ask(t, `{"text":"子どものスマホが心配"}`)
	if took := time.Since(start); took > time.Second || len(a.Answer.Cards) == 0 {
		t.Errorf("answer took %v with %d cards; want a normal answer, fast", took, len(a.Answer.Cards))
	}
	if a.Answer.Feedback != nil {
		t.Error("answer offers 👍/👎 with no key to check them")
	}
	deadline := time.Now().Add(20 * time.Second)
	for !in.metric(t, `supportbot_question_log_dropped_total{kind="record",reason="store"} 1`) {
		if time.Now().After(deadline) {
			t.Fatalf("the lost question was not counted\n%s", in.stderr)
		}
		time.Sleep(100 * time.Millisecond)
	}
	in.shutdown(t)
	logs := in.stderr.String()
	if strings.Contains(logs, "hunter2") {
		t.Error("the log prints the database password")
	}
	if !strings.Contains(logs, "database unreachable at start") {
		t.Errorf("no warning that the database is unreachable:\n%s", logs)
	}
}

func TestServeDataDirUnwritable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	err := run(t.Context(), []string{"serve"}, fakeEnv(map[string]string{"PORT": "0", "DATA_DIR": filepath.Join(file, "data")}), nil, io.Discard, &stderr)
	if err == nil || !strings.Contains(err.Error(), "QUESTION_LOG=off") {
		t.Errorf("serve with an unusable DATA_DIR = %v; want an error saying what to do", err)
	}
}
