package line

import (
	"context"
	"testing"

	"github.com/supportbot/supportbot/internal/bot"
)

// knowledgeCards are programmes whose 2019 plan and present differ: お助け隊
// changed form, ネットモラルキャラバン隊 has no confirmed status, and NISC's
// handbook was published by a body since renamed. Their cards come from
// the shipped knowledge base, so a change of wording shows here.
var knowledgeCards = []string{"otasuketai", "net-moral-caravan", "nisc-handbook"}

// TestKnowledgeCardsGolden renders the details of knowledgeCards in both
// languages as the real bot answers them; go test -run
// TestKnowledgeCardsGolden -update rewrites testdata/golden/knowledge_*.
func TestKnowledgeCardsGolden(t *testing.T) {
	b, _, _ := realBot(t)
	for _, id := range knowledgeCards {
		for _, l := range []bot.Lang{bot.Japanese, bot.English} {
			name := "knowledge_" + id + "_" + string(l)
			t.Run(name, func(t *testing.T) {
				a, err := b.Answer(context.Background(), bot.Question{
					Conversation: "line:golden-" + name, Channel: "line", Lang: l,
					Action: &bot.Action{Kind: bot.ActionDetails, Value: id},
				})
				if err != nil {
					t.Fatal(err)
				}
				if a.Lang != l || len(a.Cards) != 1 {
					t.Fatalf("details of %s in %s = %s with %d cards", id, l, a.Lang, len(a.Cards))
				}
				golden(t, name, a)
			})
		}
	}
}

// TestPrivateTroubleGolden renders, as the real bot answers it, a private
// person's trouble in each language: the contact points for individuals
// in text, said plainly that no programme of the plan fits, and no Flex
// carousel (testdata/golden/private_*; go test -run
// TestPrivateTroubleGolden -update).
func TestPrivateTroubleGolden(t *testing.T) {
	b, _, _ := realBot(t)
	for l, q := range map[bot.Lang]string{
		bot.Japanese: "インスタ乗っ取られた、自分のアカウントです",
		bot.English:  "my gmail account got hacked, what do I do",
	} {
		name := "private_" + string(l)
		t.Run(name, func(t *testing.T) {
			a, err := b.Answer(context.Background(), bot.Question{Conversation: "line:golden-" + name, Channel: "line", Text: q})
			if err != nil {
				t.Fatal(err)
			}
			if a.Lang != l || a.Kind != bot.KindUrgent || len(a.Cards) != 0 || len(a.Contacts) == 0 {
				t.Fatalf("%q = %s %s with %d cards and %d contacts; want an urgent answer in %s with contacts and no card", q, a.Lang, a.Kind, len(a.Cards), len(a.Contacts), l)
			}
			golden(t, name, a)
		})
	}
}
