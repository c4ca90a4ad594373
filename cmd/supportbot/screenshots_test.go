package main

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"math/rand/v2"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/browsertest"
	"github.com/supportbot/supportbot/internal/dialog/dialogtest"
	"github.com/supportbot/supportbot/internal/questionlog"
	"github.com/supportbot/supportbot/internal/sqlite"
)

// What people ask in the screenshots' week: programmes found, areas,
// trouble, and questions the knowledge has nothing for (with their
// near-duplicates), in Japanese and English.
var (
	answeredQuestions = []string{
		"中小企業向けの支援", "子どものスマホが心配", "CTFに参加したい", "ランサムウェアに感染したかも",
		"support for small businesses", "security seminars for parents", "若手のセキュリティ人材育成",
		"地域のセキュリティ勉強会", "情報セキュリティの教材を探している", "セキュリティ対策の自己宣言をしたい",
		"高校生向けのハッカソン", "ネットいじめの相談先",
	}
	unansweredQuestions = []string{
		"量子暗号について知りたい", "量子暗号って何？", "大阪の天気", "補助金で太陽光パネル", "太陽光パネルの補助金",
		"おすすめのウイルス対策ソフトは？", "how do I reset my password", "Wi-Fiが遅い", "確定申告のやり方",
	}
)

// TestAdminScreenshots makes the README's screenshots of the admin page
// (docs/admin-ja.png, docs/admin-en.png) and of `supportbot insights`
// (docs/insights-cli.png) from a question log made by the bot itself:
//
//	SCREENSHOT_DIR=$PWD/docs go test ./cmd/supportbot -run AdminScreenshots -count=1
//
// Today's questions and votes go through the web chat's API of a server
// started with run; the six days before are asked of the same engine
// and question log with the log's clock set back (the server has no
// clock to set). Install fonts-noto-cjk (and fonts-noto-color-emoji) for
// the Japanese text and the emoji to show. Without SCREENSHOT_DIR the
// test is skipped: the admin page's own browser test checks the page.
func TestAdminScreenshots(t *testing.T) {
	out := os.Getenv("SCREENSHOT_DIR")
	if out == "" {
		t.Skip("set SCREENSHOT_DIR to make the README's screenshots")
	}
	ctx := browsertest.Start(t, browsertest.Options{Lang: "ja-JP", Timeout: 3 * time.Minute})
	data := t.TempDir()
	rng := rand.New(rand.NewPCG(12, 2026))
	pastDays(t, data, rng)

	in := startRun(t, []string{"serve"}, map[string]string{
		"DATA_DIR": data, "ADMIN_TOKEN": adminToken, "RATE_LIMIT": "1000", "RATE_BURST": "1000",
	})
	for i := range 28 {
		q := pick(rng, answeredQuestions)
		if i%4 == 0 {
			q = pick(rng, unansweredQuestions)
		}
		b, _ := json.Marshal(map[string]string{"text": q})
		a := in.ask(t, string(b))
		if a.Answer.Feedback != nil && rng.IntN(3) == 0 {
			vote := a.Answer.Feedback.Up
			if rng.IntN(3) == 0 {
				vote = a.Answer.Feedback.Down
			}
			in.ask(t, `{"session":"`+a.Session+`","action":`+action(vote)+`}`)
		}
	}
	time.Sleep(time.Second) // the writer flushes every 250 ms

	_, port, _ := net.SplitHostPort(strings.TrimPrefix(in.URL, "http://"))
	base := "http://localhost:" + port // Secure cookies over plain HTTP: localhost only
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(base+"/admin/login"),
		chromedp.SendKeys(chromedp.CSS("#token"), adminToken),
		chromedp.Submit(chromedp.CSS("#token")),
		chromedp.WaitVisible(chromedp.CSS("#h-overview")),
	)
	if err != nil {
		t.Fatalf("log in: %v", err)
	}
	for _, l := range []string{"ja", "en"} {
		err := chromedp.Do(ctx,
			chromedp.Navigate(base+"/admin/?lang="+l+"&days=7"),
			chromedp.WaitVisible(chromedp.CSS("#h-unanswered")),
		)
		if err != nil {
			t.Fatalf("admin page (%s): %v", l, err)
		}
		browsertest.Audit(t, ctx, "on the page with the bot's own log, "+l)
		if err := chromedp.Do(ctx, browsertest.Shot("admin-"+l, true)); err != nil {
			t.Fatal(err)
		}
	}

	// The command line, drawn as a terminal would show it.
	stdout, stderr, err := runCLI(t, "", "insights", "--data-dir", data, "--top", "8")
	if err != nil {
		t.Fatalf("insights: %v\n%s", err, stderr)
	}
	term := `<!doctype html><meta charset="utf-8"><body style="margin:0;background:#1e1e1e">` +
		`<pre style="margin:0;padding:16px 20px;color:#e6e6e6;font:14px/1.45 'Noto Sans Mono CJK JP',monospace">` +
		"$ supportbot insights --top 8\n" + html.EscapeString(stdout) + "</pre>"
	err = chromedp.Do(ctx,
		chromedp.EmulateViewport(1000, 400),
		chromedp.Navigate("data:text/html;charset=utf-8,"+url.PathEscape(term)),
		browsertest.Shot("insights-cli", true),
	)
	if err != nil {
		t.Fatalf("insights screenshot: %v", err)
	}
	t.Logf("screenshots in %s", out)
}

// pastDays asks the engine, behind the question log on data's database,
// the questions of the six days before today, with the log's clock set
// to each day's hours, and votes on some answers.
func pastDays(t *testing.T, data string, rng *rand.Rand) {
	t.Helper()
	db, err := sqlite.Open(t.Context(), filepath.Join(data, sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mu sync.Mutex
	now := time.Now()
	l, err := questionlog.New(questionlog.Config{Store: sqlite.NewQuestionLog(db), Secrets: db,
		Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return now }})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Ready(t.Context()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = l.Run(ctx) }()
	b := l.Wrap(dialogtest.New(t))
	jst := time.FixedZone("JST", 9*3600)
	today := time.Now().In(jst)
	midnight := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, jst)
	for d := 6; d >= 1; d-- {
		n := 14 + rng.IntN(20)
		if wd := midnight.AddDate(0, 0, -d).Weekday(); wd == time.Saturday || wd == time.Sunday {
			n /= 3 // the staff's week: fewer questions at the weekend
		}
		for i := range n {
			mu.Lock()
			now = midnight.AddDate(0, 0, -d).Add(time.Duration(8*60+rng.IntN(12*60)) * time.Minute)
			mu.Unlock()
			q := pick(rng, answeredQuestions)
			if rng.IntN(5) == 0 {
				q = pick(rng, unansweredQuestions)
			}
			conv := fmt.Sprintf("%s:screens-%d-%d", pick(rng, []string{"line", "line", "web", "slack"}), d, i)
			a, err := b.Answer(t.Context(), bot.Question{Text: q, Conversation: conv, Channel: strings.Split(conv, ":")[0]})
			if err != nil {
				t.Fatal(err)
			}
			if a.Feedback != nil && rng.IntN(3) == 0 {
				vote := a.Feedback.Up
				if rng.IntN(4) == 0 {
					vote = a.Feedback.Down
				}
				if _, err := b.Answer(t.Context(), bot.Question{Action: &vote, Conversation: conv, Channel: strings.Split(conv, ":")[0]}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	cancel()
	<-done // the writer writes what is queued before it returns
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }
