package publish_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/publish"
	"github.com/supportbot/supportbot/internal/web"
)

var reloadCount = flag.Int("reloads", 0, "reloads in TestReloadsUnderLoad (0: 100, or 25 with -race)")

// reloadTarget is the target for one reload of the full knowledge
// with its regression files.
const reloadTarget = 2 * time.Second

// TestReloadsUnderLoad publishes 100 versions (-reloads), alternately with and
// without a keyword, while 8 clients keep asking through the web chat,
// about 300 questions a second in all: no request fails, every reload goes
// live, answers follow the versions, and reloads stay within the target.
// (BenchmarkReload measures a reload with the full regression set.)
func TestReloadsUnderLoad(t *testing.T) {
	const clients, pause = 8, 20 * time.Millisecond
	reloads := *reloadCount
	if reloads <= 0 {
		reloads = 100
		if raceEnabled {
			// The race detector makes a reload about ten times slower:
			// 100 take several minutes on two cores. -reloads=100 runs
			// them all.
			reloads = 25
		}
	}
	dir := copyKnowledge(t)
	p := open(t, publish.Config{Dir: dir})
	chat, err := web.New(web.Config{Deps: adapter.Deps{Bot: p.Engine()}, Inflight: 1024})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(chat.Chat())
	defer srv.Close()

	questions := []string{quantumQuestion, "中小企業向けの支援", "security camp for students", "子どものスマホが心配", "もっと", "今日の天気は？"}
	var answered, failed, withSechack, without atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			client := &http.Client{Timeout: 10 * time.Second}
			for n := i; ; n++ {
				select {
				case <-stop:
					return
				case <-time.After(pause):
				}
				q := questions[n%len(questions)]
				body, _ := json.Marshal(map[string]string{"session": fmt.Sprintf("loadsession%08d", i), "text": q})
				res, err := client.Post(srv.URL, "application/json", strings.NewReader(string(body)))
				if err != nil {
					failed.Add(1)
					t.Errorf("POST: %v", err)
					return
				}
				data, err := io.ReadAll(res.Body)
				res.Body.Close()
				var reply struct {
					Answer struct {
						Kind  string `json:"kind"`
						Cards []struct {
							ID string `json:"id"`
						} `json:"cards"`
					} `json:"answer"`
				}
				if err != nil || res.StatusCode != 200 || json.Unmarshal(data, &reply) != nil || reply.Answer.Kind == "" {
					failed.Add(1)
					t.Errorf("POST %q = %d %v: %.200s", q, res.StatusCode, err, data)
					return
				}
				answered.Add(1)
				if q == quantumQuestion {
					if len(reply.Answer.Cards) > 0 && reply.Answer.Cards[0].ID == "sechack365" {
						withSechack.Add(1)
					} else {
						without.Add(1)
					}
				}
			}
		})
	}
	took := make([]time.Duration, 0, reloads)
	for i := range reloads {
		if i%2 == 0 {
			edit(t, dir, sechackFile, replace(t, sechackKeywords, withQuantum))
		} else {
			edit(t, dir, sechackFile, replace(t, withQuantum, sechackKeywords))
		}
		a := reload(t, p)
		if a.Result != publish.ResultOK {
			t.Fatalf("reload %d = %s (%s: %s); want ok", i+1, a.Result, a.Check, a.Reason)
		}
		took = append(took, a.Took)
	}
	close(stop)
	wg.Wait()
	slices.Sort(took)
	t.Logf("%d reloads under load: median %v, max %v; %d answers, %d failed; the quantum question found SecHack365 %d times, nothing %d times",
		reloads, took[len(took)/2], took[len(took)-1], answered.Load(), failed.Load(), withSechack.Load(), without.Load())
	if failed.Load() > 0 {
		t.Errorf("%d requests failed during the reloads; want none", failed.Load())
	}
	if withSechack.Load() == 0 || without.Load() == 0 {
		t.Errorf("the quantum question found SecHack365 %d times and nothing %d times; want both (answers follow the versions)", withSechack.Load(), without.Load())
	}
	if st := p.Status(); st.Reloads[publish.ResultOK] != reloads {
		t.Errorf("Status().Reloads = %v; want %d ok", st.Reloads, reloads)
	}
	// The median, not the slowest: on a shared machine one reload can
	// wait for a CPU whatever the code does.
	if med := took[len(took)/2]; med > reloadTarget && !raceEnabled {
		t.Errorf("median reload took %v; want at most %v", med, reloadTarget)
	}
}

// BenchmarkReload publishes the full knowledge with the full regression
// set (the built-in 64 questions and 523 in eval/): read, check limits,
// lint, build, answer every question with the new version, swap. Each
// iteration is a new version, so none is "unchanged".
func BenchmarkReload(b *testing.B) {
	dir := copyKnowledge(b)
	withHeldout(b, dir)
	p := open(b, publish.Config{Dir: dir})
	ctx := context.Background()
	i := 0
	for b.Loop() {
		b.StopTimer()
		if i%2 == 0 {
			edit(b, dir, sechackFile, replace(b, sechackKeywords, withQuantum))
		} else {
			edit(b, dir, sechackFile, replace(b, withQuantum, sechackKeywords))
		}
		i++
		b.StartTimer()
		a, err := p.Reload(ctx, publish.TriggerAdmin)
		if err != nil || a.Result != publish.ResultOK {
			b.Fatalf("Reload = %s %v (%s)", a.Result, err, a.Reason)
		}
	}
}
