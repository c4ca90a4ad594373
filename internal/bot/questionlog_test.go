package bot_test

import (
	"testing"
	"time"

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

func TestLogQueryHours(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2026, 12, 1, h, m, 0, 0, time.UTC) }
	base := bot.HourOf(at(0, 0))
	tests := []struct {
		since, until time.Time
		from, to     int64 // relative to base
	}{
		{at(0, 0), at(3, 0), 0, 3},
		{at(0, 30), at(3, 0), 0, 3},
		{at(0, 30), at(3, 1), 0, 4},
		{at(5, 0), at(5, 0), 5, 5},
	}
	for _, tt := range tests {
		from, to := bot.LogQuery{Since: tt.since, Until: tt.until}.Hours()
		if from-base != tt.from || to-base != tt.to {
			t.Errorf("Hours(%v, %v) = [%d, %d); want [%d, %d)", tt.since.Format("15:04"), tt.until.Format("15:04"), from-base, to-base, tt.from, tt.to)
		}
	}
	if h := bot.HourOf(time.Date(1969, 12, 31, 23, 30, 0, 0, time.UTC)); h != -1 {
		t.Errorf("HourOf(1969-12-31 23:30) = %d; want -1", h)
	}
	if z := (bot.LogQuery{Zone: 9*time.Hour + 20*time.Minute}).ZoneHours(); z != 9 {
		t.Errorf("ZoneHours(9h20m) = %d; want 9", z)
	}
}
