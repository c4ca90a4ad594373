package line

import (
	"bytes"
	"strings"
	"testing"

	"github.com/supportbot/supportbot/internal/bot"
)

// TestCardMemo checks that replies made with the card memo, first filling
// it and then from it, are byte for byte those made without it.
func TestCardMemo(t *testing.T) {
	memo := newCardMemo()
	for round := range 2 {
		for name, a := range sampleAnswers() {
			want, err := replyBody("token", render(a, "q"))
			if err != nil {
				t.Fatal(err)
			}
			msgs := renderCards(a, "q", memo)
			sameEncoding(t, msgs)
			got, err := replyBody("token", msgs)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("round %d: renderCards(%s) with the memo =\n%s\nwithout =\n%s", round, name, got, want)
			}
		}
	}
	if len(memo.m) == 0 {
		t.Error("the memo kept no card")
	}
}

// TestCardMemoChangedCard checks that a card changed under the same id
// (knowledge reloaded) is made anew, not taken from the memo.
func TestCardMemoChangedCard(t *testing.T) {
	memo := newCardMemo()
	a := sampleAnswers()["programmes_ja"]
	renderCards(a, "", memo)
	changed := a
	changed.Cards = append([]bot.Card(nil), a.Cards...)
	changed.Cards[0].Title = "改題された制度"
	body, err := replyBody("token", renderCards(changed, "", memo))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(body), "改題された制度") {
		t.Errorf("renderCards after the card changed =\n%s\nwant the new title", body)
	}
	want, err := replyBody("token", render(changed, ""))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(body, want) {
		t.Errorf("renderCards(changed) with the memo =\n%s\nwithout =\n%s", body, want)
	}
}

func BenchmarkRenderReply(b *testing.B) {
	a := sampleAnswers()["programmes_ja"]
	for _, bc := range []struct {
		name string
		memo *cardMemo
	}{{"anew", nil}, {"memo", newCardMemo()}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := replyBody("t", renderCards(a, "", bc.memo)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
