package bot_test

import (
	"testing"

	"github.com/supportbot/supportbot/internal/bot"
)

func TestOutcomeOf(t *testing.T) {
	tests := []struct {
		a    bot.Answer
		want bot.Outcome
	}{
		{bot.Answer{Kind: bot.KindProgrammes}, bot.OutcomeProgrammes},
		{bot.Answer{Kind: bot.KindProgrammes, Offset: 5}, bot.OutcomeFollowUp},
		{bot.Answer{Kind: bot.KindDetails}, bot.OutcomeFollowUp},
		{bot.Answer{Kind: bot.KindCategory}, bot.OutcomeCategory},
		{bot.Answer{Kind: bot.KindUrgent}, bot.OutcomeUrgent},
		{bot.Answer{Kind: bot.KindNoMatch}, bot.OutcomeNoMatch},
		{bot.Answer{Kind: bot.KindClarify}, bot.OutcomeClarification},
		{bot.Answer{Kind: bot.KindUnsupported}, bot.OutcomeClarification},
		{bot.Answer{Kind: bot.KindGreeting}, bot.OutcomeMenu},
		{bot.Answer{Kind: bot.KindHelp}, bot.OutcomeMenu},
		{bot.Answer{Kind: bot.KindLanguage}, bot.OutcomeMenu},
		{bot.Answer{Kind: bot.KindThanks}, bot.OutcomeMenu},
		{bot.Answer{Kind: bot.KindIntro}, bot.OutcomeMenu},
		{bot.Answer{Kind: bot.KindFeedback}, bot.OutcomeMenu},
	}
	seen := map[bot.Outcome]bool{}
	for _, tt := range tests {
		if got := bot.OutcomeOf(tt.a); got != tt.want {
			t.Errorf("OutcomeOf(kind %s, offset %d) = %s; want %s", tt.a.Kind, tt.a.Offset, got, tt.want)
		}
		seen[tt.want] = true
	}
	for _, o := range bot.Outcomes() {
		if !seen[o] {
			t.Errorf("no kind comes to outcome %s", o)
		}
	}
}
