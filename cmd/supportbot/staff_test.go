package main

import (
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/catalog"
	"github.com/supportbot/supportbot/internal/slack/slacktest"
	"github.com/supportbot/supportbot/internal/sqlite"
)

// TestWeeklyDigestOnceAcrossReplicas: two replicas sharing one database
// (here one SQLite file, as two processes would) come up just after the
// digest's time: the staff channel gets one digest, of the week's
// questions.
func TestWeeklyDigestOnceAcrossReplicas(t *testing.T) {
	data := t.TempDir()
	api := slacktest.NewAPI(t)
	tokyo := time.FixedZone("JST", 9*3600)
	due := time.Now().In(tokyo).Add(-time.Minute)
	env := map[string]string{
		"DATA_DIR": data, "SLACK_SIGNING_SECRET": slackSecret, "SLACK_BOT_TOKEN": "xoxb-test-token", "SLACK_API_URL": api.APIURL(),
		"SLACK_STAFF_CHANNEL": staffChannel, "INSIGHTS_SCHEDULE": due.Format("Mon 15:04") + " Asia/Tokyo",
	}
	// A question of two days ago, in the log before the replicas start.
	db, err := sqlite.Open(t.Context(), filepath.Join(data, sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	rec := bot.Record{AnswerID: "a1", At: due.Add(-48 * time.Hour), Conversation: "c1", Channel: "line", Lang: bot.Japanese,
		Outcome: bot.OutcomeNoMatch, Text: "量子暗号について知りたい"}
	if _, err := sqlite.NewQuestionLog(db).Write(t.Context(), bot.LogBatch{Records: []bot.Record{rec}}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	a := startRun(t, []string{"serve"}, env)
	b := startRun(t, []string{"serve"}, env)
	posts := api.WaitFor(t, "chat.postMessage", 1)
	time.Sleep(500 * time.Millisecond) // room for a wrong second post
	if n := api.Count("chat.postMessage"); n != 1 {
		t.Fatalf("%d posts to the staff channel; want one digest from two replicas", n)
	}
	p := posts[0]
	blocks, _ := json.Marshal(p.Blocks(t))
	if p.Form.Get("channel") != staffChannel || !strings.Contains(p.Text(), "週間レポート") || !strings.Contains(string(blocks), "量子暗号について知りたい") {
		t.Errorf("post: %s %q; want the digest in the staff channel", p.Form.Get("channel"), p.Text())
	}
	logs := a.stderr.String() + b.stderr.String()
	if c := strings.Count(logs, `"msg":"weekly digest posted"`); c != 1 {
		t.Errorf("%d replicas say they posted the digest; want 1", c)
	}
	if !strings.Contains(logs, `"msg":"weekly digest scheduled"`) {
		t.Error("no replica logs the schedule")
	}
}

// TestStaffChannelSettings: the staff channel needs Slack and a channel
// id; the schedule is checked at start.
func TestStaffChannelSettings(t *testing.T) {
	slackOn := map[string]string{"SLACK_SIGNING_SECRET": slackSecret, "SLACK_BOT_TOKEN": "xoxb-t0ken"}
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"no Slack", map[string]string{"SLACK_STAFF_CHANNEL": "C0STAFF01"}, "SLACK_STAFF_CHANNEL is set but Slack is not"},
		{"a channel name", with(slackOn, "SLACK_STAFF_CHANNEL", "#staff"), `SLACK_STAFF_CHANNEL: "#staff" is not a channel id`},
		{"a user id", with(slackOn, "SLACK_STAFF_CHANNEL", "U0USER001"), "is not a channel id"},
		{"a bad weekday", with(slackOn, "INSIGHTS_SCHEDULE", "Someday 09:00"), `INSIGHTS_SCHEDULE: "Someday" is not a weekday`},
		{"a bad zone", with(slackOn, "INSIGHTS_SCHEDULE", "Mon 09:00 Asia/Atlantis"), `"Asia/Atlantis" is not a time zone`},
		{"a bad time", map[string]string{"INSIGHTS_SCHEDULE": "Mon 9am"}, `"9am" is not a time`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(context.Background(), []string{"serve"}, fakeEnv(tt.env), nil, io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("run = %v; want an error containing %q", err, tt.want)
			}
		})
	}
	env := &environment{ctx: context.Background(), stderr: io.Discard, getenv: fakeEnv(nil)}
	c, err := loadConfig(env, "serve", nil)
	if err != nil || c.InsightsSchedule.String() != "Mon 09:00 Asia/Tokyo" {
		t.Errorf("default schedule = %v, %v; want Mon 09:00 Asia/Tokyo", c.InsightsSchedule, err)
	}
	c, err = loadConfig(env, "serve", []string{"--insights-schedule=off"})
	if err != nil || !c.InsightsSchedule.IsZero() {
		t.Errorf("--insights-schedule=off = %v, %v; want no schedule", c.InsightsSchedule, err)
	}
}

// TestStaffChannelWithoutQuestionLog: with QUESTION_LOG=off there is no
// digest, but refused reloads still reach the staff channel and
// /support insights says why it has nothing.
func TestStaffChannelWithoutQuestionLog(t *testing.T) {
	dir := knowledgeDir(t)
	api := slacktest.NewAPI(t)
	in := startRun(t, []string{"serve"}, map[string]string{
		"QUESTION_LOG": "off", "KNOWLEDGE_DIR": dir, "KNOWLEDGE_POLL": "off", "ADMIN_TOKEN": adminToken,
		"SLACK_SIGNING_SECRET": slackSecret, "SLACK_BOT_TOKEN": "xoxb-test-token", "SLACK_API_URL": api.APIURL(),
		"SLACK_STAFF_CHANNEL": staffChannel,
	})
	editFile(t, dir, sechackFile, "  ja: SecHack365\n", "")
	if code, _ := in.admin(t, "POST", "/admin/reload"); code != 422 {
		t.Fatalf("reload of a broken edit = %d; want 422", code)
	}
	if p := api.WaitFor(t, "chat.postMessage", 1)[0]; !strings.Contains(p.Text(), "refused") {
		t.Errorf("staff channel post %q; want the refusal", p.Text())
	}
	if typ, said := in.slashCommand(t, api, "insights", staffChannel); typ != "ephemeral" || !strings.Contains(said, "only in the staff channel") {
		t.Errorf("/support insights without a log = %s %s", typ, said)
	}
	if !strings.Contains(in.stderr.String(), "weekly digest off: the question log is off") {
		t.Error("the log does not say why there is no digest")
	}
	if page := in.page(t, "/admin/?lang=en"); !strings.Contains(page, "The question log is off") {
		t.Error("the admin page does not say the log is off")
	}
}

func with(m map[string]string, k, v string) map[string]string {
	out := map[string]string{k: v}
	for key, val := range m {
		out[key] = val
	}
	return out
}

// TestStaffInsightsViews: the admin page's report and the staff digest
// are the CLI's summary, with the programmes and areas named from the
// knowledge, days in Japan, and the download the CLI's lines.
func TestStaffInsightsViews(t *testing.T) {
	dir := logDir(t)
	db, err := sqlite.Open(t.Context(), filepath.Join(dir, sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	day := time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC) // 2026-12-01 in Japan
	if _, err := sqlite.NewQuestionLog(db).Write(t.Context(), bot.LogBatch{Records: []bot.Record{{
		AnswerID: "s1", At: day.Add(5 * time.Hour), Conversation: "c-s1", Channel: "web", Lang: bot.Japanese,
		Outcome: bot.OutcomeProgrammes, Text: "若手のハッカソン", Programmes: []string{"sechack365"},
	}}}); err != nil {
		t.Fatal(err)
	}
	cat, err := loadCatalog("")
	if err != nil {
		t.Fatal(err)
	}
	in := staffInsights{log: sqlite.NewQuestionLog(db), catalog: func() *catalog.Catalog { return cat }}
	since, until := day, day.Add(48*time.Hour)

	r, err := in.Report(t.Context(), since, until)
	if err != nil {
		t.Fatal(err)
	}
	if r.Questions != 8 || r.NoMatch != 3 || len(r.Days) != 2 || !r.Days[0].Date.Equal(day) || len(r.Outcomes) != 7 {
		t.Errorf("report: %d questions, %d no match, days %+v, %d outcomes; want 8, 3, two days from 2026-12-01 JST, 7", r.Questions, r.NoMatch, r.Days, len(r.Outcomes))
	}
	named := map[string]string{}
	for _, p := range r.Programmes {
		named[p.ID] = p.Name.JA + "|" + p.Name.EN
	}
	if !strings.HasPrefix(named["sechack365"], "SecHack365|SecHack365") || named["programme-01"] != "|" {
		t.Errorf("programme names %v; want SecHack365 named, an unknown id left unnamed", named)
	}
	if len(r.Categories) == 0 || r.Categories[0].Name.JA == "" || r.Categories[0].Name.EN == "" {
		t.Errorf("areas %+v; want them named in both languages", r.Categories)
	}

	d, err := in.Digest(t.Context(), since, until)
	if err != nil {
		t.Fatal(err)
	}
	if d.Questions != r.Questions || len(d.Unanswered) != len(r.Unanswered) || len(d.Days) != 2 || !d.Days[1].Date.Equal(day.Add(24*time.Hour)) {
		t.Errorf("digest %+v differs from the report", d)
	}
	for _, p := range d.Programmes {
		if p.Name == "" {
			t.Errorf("digest programme without a name: %+v", p)
		}
	}

	var b strings.Builder
	if err := in.WriteUnanswered(t.Context(), since, until, &b); err != nil {
		t.Fatal(err)
	}
	cli, _, err := runCLI(t, "", append([]string{"insights", "--unanswered-jsonl", "--data-dir", dir}, insightsRange...)...)
	if err != nil || b.String() != cli {
		t.Errorf("download:\n%s\nCLI (%v):\n%s", b.String(), err, cli)
	}
}
