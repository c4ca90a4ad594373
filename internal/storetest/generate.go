package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/supportbot/supportbot/internal/bot"
)

// Programmes are the initiative ids Generate shows: 28, like the
// knowledge base.
var Programmes = func() []string {
	ids := make([]string, 28)
	for i := range ids {
		ids[i] = fmt.Sprintf("programme-%02d", i+1)
	}
	return ids
}()

// unansweredStems are no-match questions Generate varies, so that the
// unanswered list has near-duplicates to group and a long tail.
var unansweredStems = []string{
	"補助金で太陽光パネルを買いたい", "大阪の天気", "おすすめのウイルス対策ソフトは？", "パスワードを忘れた",
	"weather in Osaka", "recommend antivirus software", "how do I reset my password", "Wi-Fiが遅い",
	"確定申告のやり方", "スマホの機種変更", "Excelのマクロ", "VPN おすすめ",
}

// Generate returns n records over [start, start+span), shaped like a
// busy month: most questions find programmes, about one in eight finds
// nothing, a few are urgent; LINE is the busiest channel and one question
// in five is in English; about one answer in thirty gets a vote. The same
// seed gives the same records.
func Generate(n int, start time.Time, span time.Duration, seed uint64) bot.LogBatch {
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	var b bot.LogBatch
	for i := range n {
		r := bot.Record{
			AnswerID:     fmt.Sprintf("g%x-%08d", seed, i),
			At:           start.Add(time.Duration(rng.Int64N(int64(span)))).Truncate(time.Millisecond),
			Conversation: fmt.Sprintf("%032x", rng.Uint64()%50_000),
			Channel:      pick(rng, []string{"line", "line", "line", "web", "web", "slack"}),
			Lang:         pick(rng, []bot.Lang{bot.Japanese, bot.Japanese, bot.Japanese, bot.Japanese, bot.English}),
		}
		switch p := rng.IntN(100); {
		case p < 45:
			r.Outcome, r.Text = bot.OutcomeProgrammes, "中小企業向けのセキュリティ相談"
			r.Programmes = sample(rng, 1+rng.IntN(5))
			r.TopScore = 10 + 20*rng.Float64()
		case p < 55:
			r.Outcome, r.Action = bot.OutcomeCategory, bot.ActionCategory
			r.Programmes = sample(rng, 5)
		case p < 60:
			r.Outcome, r.Text = bot.OutcomeUrgent, "ウイルスに感染したかも"
			r.Programmes = sample(rng, 2)
		case p < 73:
			r.Outcome = bot.OutcomeNoMatch
			r.Text = unansweredStems[rng.IntN(len(unansweredStems))]
			if rng.IntN(3) == 0 { // the long tail: variants seen once or twice
				r.Text += fmt.Sprintf(" (%d)", rng.IntN(5000))
			}
		case p < 88:
			r.Outcome, r.Action = bot.OutcomeFollowUp, bot.ActionMore
			r.Programmes = sample(rng, 5)
		case p < 93:
			r.Outcome, r.Text = bot.OutcomeClarification, "5"
		default:
			r.Outcome, r.Action = bot.OutcomeMenu, bot.ActionMenu
		}
		b.Records = append(b.Records, r)
		if len(r.Programmes) > 0 && rng.IntN(30) == 0 {
			v := bot.VoteUp
			if rng.IntN(4) == 0 {
				v = bot.VoteDown
			}
			b.Ballots = append(b.Ballots, bot.Ballot{AnswerID: r.AnswerID, Conversation: r.Conversation, Vote: v, At: r.At.Add(time.Minute)})
		}
	}
	return b
}

// Fill writes n generated records (Generate) to l in batches of 2,000.
func Fill(ctx context.Context, l bot.QuestionLog, n int, start time.Time, span time.Duration) error {
	const batch = 2000
	for i := 0; i < n; i += batch {
		b := Generate(min(batch, n-i), start, span, uint64(i/batch+1))
		if _, err := l.Write(ctx, b); err != nil {
			return fmt.Errorf("fill: records %d to %d: %w", i, i+len(b.Records), err)
		}
	}
	return nil
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// sample picks k distinct programmes.
func sample(rng *rand.Rand, k int) []string {
	out := make([]string, 0, k)
	for _, i := range rng.Perm(len(Programmes))[:k] {
		out = append(out, Programmes[i])
	}
	return out
}
