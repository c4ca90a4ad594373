package bot_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
)

func TestTmpQuestionCost(t *testing.T) {
	b := newBot(t)
	qs := []string{
		"中小企業向けの支援",
		"従業員5人でIT担当いないんだけど何からやればいい？",
		"子どものスマホが心配",
		"CTFに参加したい",
		"学校で出前授業をしてほしい",
		"詐欺にあったかもしれない",
		"地域でセキュリティの勉強会を開きたい",
		"support for small businesses",
		"free security training for teachers at our school",
		"my kid got a scam message on their phone",
		"how can students join a security contest",
		"help",
	}
	for _, q := range qs {
		start := time.Now()
		for i := 0; i < 200; i++ {
			b.Answer(context.Background(), bot.Question{Conversation: fmt.Sprint("c", i), Text: q, Channel: "x"})
		}
		fmt.Printf("%8.0fµs %s\n", float64(time.Since(start).Microseconds())/200, q)
	}
}
