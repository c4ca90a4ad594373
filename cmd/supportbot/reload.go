package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"time"

	"github.com/supportbot/supportbot/internal/admin"
	"github.com/supportbot/supportbot/internal/metrics"
	"github.com/supportbot/supportbot/internal/publish"
)

// reloadOnSignal reloads the knowledge directory at every SIGHUP until ctx
// ends. Signals that arrive during a reload are folded into one more.
func reloadOnSignal(ctx context.Context, hup <-chan os.Signal, pub *publish.Publisher, log *slog.Logger) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
		}
		if _, err := pub.Reload(ctx, publish.TriggerSignal); errors.Is(err, publish.ErrNoDirectory) {
			log.InfoContext(ctx, "SIGHUP: no KNOWLEDGE_DIR, nothing to reload")
		}
	}
}

// knowledgeMetrics counts every reload and follows the live version.
func knowledgeMetrics(km *metrics.Knowledge, pub *publish.Publisher) func(context.Context, publish.Attempt) {
	return func(_ context.Context, a publish.Attempt) {
		km.Reload(string(a.Result), string(a.Check))
		live := pub.Status().Live
		km.Live(live.ID, live.Source, live.Initiatives, live.LoadedAt)
	}
}

// knowledgeAdmin shows the publisher to the admin surface, which imports
// neither it nor the engine (admin.Knowledge).
type knowledgeAdmin struct{ p *publish.Publisher }

func (k knowledgeAdmin) KnowledgeStatus(context.Context) admin.KnowledgeStatus {
	st := k.p.Status()
	out := admin.KnowledgeStatus{
		Version: st.Live.ID, Source: st.Live.Source, LoadedAt: st.Live.LoadedAt, Trigger: string(st.Live.Trigger),
		Initiatives: st.Live.Initiatives, Directory: st.Dir, Reloads: map[string]int{},
		LastReload: adminReload(st.LastAttempt), LastRefused: adminReload(st.LastRefused),
	}
	if st.Poll > 0 {
		out.Poll = st.Poll.String()
	}
	for r, n := range st.Reloads {
		out.Reloads[string(r)] = n
	}
	for _, f := range st.Live.Scores {
		out.Scores = append(out.Scores, admin.FileScore{File: f.File, Questions: f.Questions, Hit1: f.Scores.Hit1, Hit3: f.Scores.Hit3,
			Rejection: f.Scores.Rejection, FalseRejection: f.Scores.FalseRejection, Floor: f.Floor})
	}
	return out
}

func (k knowledgeAdmin) Reload(ctx context.Context) (admin.Reload, error) {
	a, err := k.p.Reload(ctx, publish.TriggerAdmin)
	if errors.Is(err, publish.ErrNoDirectory) {
		return admin.Reload{}, admin.ErrNotReloadable
	}
	if err != nil {
		return admin.Reload{}, err
	}
	return *adminReload(&a), nil
}

func adminReload(a *publish.Attempt) *admin.Reload {
	if a == nil {
		return nil
	}
	return &admin.Reload{Result: string(a.Result), Trigger: string(a.Trigger), Version: a.Version, Running: a.Running,
		Check: string(a.Check), Reason: a.Reason, At: a.At.UTC().Truncate(time.Millisecond), TookMS: a.Took.Milliseconds()}
}
