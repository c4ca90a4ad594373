package dialog

import (
	"fmt"
	"strings"
	"testing"

	"github.com/supportbot/supportbot/internal/bot"
)

// TestGist holds gist to what it was written as: the text without the
// offer of a person, then a numbered line per card, cut at
// bot.MaxAnswered bytes on a character.
func TestGist(t *testing.T) {
	want := func(a bot.Answer) string {
		var b strings.Builder
		b.WriteString(strings.TrimSuffix(a.Text, "\n"+msgHandoffOffer.in(a.Lang)))
		for i, c := range a.Cards {
			fmt.Fprintf(&b, "\n%d. %s", a.Offset+i+1, c.Title)
		}
		return cut(b.String(), bot.MaxAnswered)
	}
	long := strings.Repeat("情報セキュリティ", 30)
	cards := []bot.Card{{Title: "SECURITY ACTION"}, {Title: "サイバーセキュリティお助け隊"}, {Title: long}}
	for _, l := range []bot.Lang{bot.Japanese, bot.English} {
		offer := msgHandoffOffer.in(l)
		for _, text := range []string{"", "Here is what fits.", "答え\n" + offer, "\n" + offer, offer, "x" + offer, long} {
			for _, n := range []int{0, 1, 3} {
				for _, offset := range []int{0, 5, 97} {
					a := bot.Answer{Lang: l, Text: text, Cards: cards[:n], Offset: offset}
					if got, w := gist(a), want(a); got != w {
						t.Errorf("gist(%q, %d cards, offset %d) = %q; want %q", text, n, offset, got, w)
					}
				}
			}
		}
	}
}
