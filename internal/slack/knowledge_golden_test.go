package slack

import (
	"context"
	"testing"

	slackapi "github.com/slack-go/slack"

	"github.com/supportbot/supportbot/internal/bot"
)

// TestKnowledgeCardsGolden renders, as the real bot answers them, the
// details of three programmes whose 2019 plan and present differ: お助け隊
// changed form, ネットモラルキャラバン隊 has no confirmed status, and NISC's
// handbook was published by a body since renamed. The cards come from the
// shipped knowledge base, so a change of wording shows in
// testdata/golden/knowledge_* (go test -run TestKnowledgeCardsGolden -update).
func TestKnowledgeCardsGolden(t *testing.T) {
	b := realBot(t)
	for _, id := range []string{"otasuketai", "net-moral-caravan", "nisc-handbook"} {
		for _, l := range []bot.Lang{bot.Japanese, bot.English} {
			name := "knowledge_" + id + "_" + string(l)
			t.Run(name, func(t *testing.T) {
				a, err := b.Answer(context.Background(), bot.Question{
					Conversation: "slack:golden-" + name, Channel: "slack", Lang: l,
					Action: &bot.Action{Kind: bot.ActionDetails, Value: id},
				})
				if err != nil {
					t.Fatal(err)
				}
				if a.Lang != l || len(a.Cards) != 1 {
					t.Fatalf("details of %s in %s = %s with %d cards", id, l, a.Lang, len(a.Cards))
				}
				m := render(a, renderOptions{})
				golden(t, name, goldenMessage{Text: m.Text, Blocks: slackapi.Blocks{BlockSet: m.Blocks}})
			})
		}
	}
}
