package questionlog_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/questionlog"
	"github.com/supportbot/supportbot/internal/sqlite"
)

// The log wraps any Answerer: answers get an id and, when they show
// programmes, 👍/👎 that only their own conversation can use.
func ExampleLog_Wrap() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, sqlite.FileName))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	l, _ := questionlog.New(questionlog.Config{Store: sqlite.NewQuestionLog(db), Secrets: db})
	_ = l.Ready(context.Background()) // loads, or generates and keeps, the key
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = l.Run(ctx) }() // the writer
	defer func() { stop(); <-done }()

	b := l.Wrap(voteEcho{})
	a, _ := b.Answer(context.Background(), bot.Question{Conversation: "web:alice", Text: "中小企業の相談", Channel: "web"})
	fmt.Println(len(a.ID), a.Feedback != nil)

	// Bob taps Alice's 👍: refused, and the engine hears no vote; Alice's
	// own tap is recorded, and the engine hears "up".
	for _, conv := range []string{"web:bob", "web:alice"} {
		reply, _ := b.Answer(context.Background(), bot.Question{Conversation: conv, Action: &a.Feedback.Up, Channel: "web"})
		fmt.Printf("%s: %s\n", conv, reply.Text)
	}
	// Output:
	// 16 true
	// web:bob: the engine hears vote ""
	// web:alice: the engine hears vote "up"
}

// voteEcho answers like textBot, and a vote by saying what it heard.
type voteEcho struct{ textBot }

func (e voteEcho) Answer(ctx context.Context, q bot.Question) (bot.Answer, error) {
	if q.Action != nil && q.Action.Kind == bot.ActionFeedback {
		return bot.Answer{Lang: bot.English, Kind: bot.KindFeedback, Text: fmt.Sprintf("the engine hears vote %q", q.Action.Value)}, nil
	}
	return e.textBot.Answer(ctx, q)
}
