package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
	"github.com/supportbot/supportbot/internal/sqlite"
)

func ExampleNewQuestionLog() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, sqlite.FileName)) // creates it and applies the migrations
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	l := sqlite.NewQuestionLog(db)
	at := time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)
	w, _ := l.Write(ctx, bot.LogBatch{
		Records: []bot.Record{
			{AnswerID: "a1", At: at, Conversation: "hash-of-alice", Channel: "line", Lang: bot.Japanese, Outcome: bot.OutcomeProgrammes, Text: "中小企業の相談", Programmes: []string{"otasuketai"}},
			{AnswerID: "a2", At: at, Conversation: "hash-of-bob", Channel: "web", Lang: bot.Japanese, Outcome: bot.OutcomeNoMatch, Text: "大阪の天気"},
		},
		Ballots: []bot.Ballot{
			{AnswerID: "a1", Conversation: "hash-of-alice", Vote: bot.VoteUp, At: at},
			{AnswerID: "a1", Conversation: "hash-of-bob", Vote: bot.VoteDown, At: at}, // not Bob's answer
		},
	})
	fmt.Printf("%d records, %d votes, %d refused\n", w.Records, w.Ballots, w.Refused)
	c, _ := l.Counts(ctx, bot.LogQuery{Since: at, Until: at.Add(time.Hour), Zone: 9 * time.Hour})
	fmt.Printf("%s: %+v\n", c.Slices[0].Day, c.Programmes[0])
	fmt.Printf("unanswered: %q ×%d\n", c.Unanswered[0].Text, c.Unanswered[0].Count)
	// Output:
	// 2 records, 1 votes, 1 refused
	// 2026-12-01: {ID:otasuketai Shown:1 First:1 Up:1 Down:0}
	// unanswered: "大阪の天気" ×1
}
