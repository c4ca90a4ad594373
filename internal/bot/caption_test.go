package bot_test

import (
	"fmt"
	"testing"

	"github.com/supportbot/supportbot/internal/bot"
)

func TestCaptionsComplete(t *testing.T) {
	ja, en := bot.Captions(bot.Japanese), bot.Captions(bot.English)
	if len(ja) != len(en) || len(ja) == 0 {
		t.Fatalf("%d Japanese and %d English captions", len(ja), len(en))
	}
	for c, w := range ja {
		if w == "" || en[c] == "" || w == en[c] {
			t.Errorf("caption %s = %q / %q; want both languages", c, w, en[c])
		}
	}
}

func ExampleAsOf() {
	fmt.Println(bot.AsOf(bot.Japanese, "2026-11"))
	fmt.Println(bot.AsOf(bot.English, "2026-11"))
	// Output:
	// 2026-11時点
	// as of 2026-11
}
