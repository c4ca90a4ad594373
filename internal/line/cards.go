package line

import (
	"slices"
	"sync"

	"github.com/supportbot/supportbot/internal/bot"
)

// cardMemo remembers the programme cards of carousels as renderFlex made
// them: the bubble, fitted to its share of the carousel, with its JSON
// (flexBubble.enc), by programme, language, number and share. A card's
// bubble depends on nothing else, and the engine hands out the same few
// cards again and again: making, measuring and encoding them again was
// most of the CPU of a LINE reply and most of its garbage (measured under
// cmd/loadgen), like Slack's blocks (internal/slack/cards.go).
//
// An entry is used only for a card equal, in everything cardBubble reads,
// to the one it was made from: a knowledge reload that changes a card
// makes its next bubble anew, so the memo needs no hook into the reload
// and can never show stale text. Cards with details are not kept. The
// bubbles are shared between replies and never changed after they are
// fitted.
type cardMemo struct {
	mu sync.Mutex
	m  map[cardKey]*cardEntry
}

type cardKey struct {
	id     string
	lang   bot.Lang
	n      int // the card's number
	budget int // the bubble's share of the carousel (fitBubble)
}

type cardEntry struct {
	card   bot.Card
	bubble *flexBubble // nil when the card could not be made to fit
	size   int
}

// maxMemoCards bounds the memo: the knowledge base has a few dozen
// programmes, numbered up to their count, in two languages, in carousels
// of one to maxBubbles cards. Past it (knowledge reloaded with new ids
// many times) the memo starts over.
const maxMemoCards = 4096

func newCardMemo() *cardMemo { return &cardMemo{m: make(map[cardKey]*cardEntry)} }

// fitCard returns the bubble of card c numbered n in language l, fitted
// to budget with its JSON kept, and its size; false when it cannot fit.
// A nil memo makes it every time.
func (m *cardMemo) fitCard(c bot.Card, n int, l bot.Lang, budget int) (*flexBubble, int, bool) {
	if m == nil || c.ID == "" || c.Detail != nil {
		b := cardBubble(c, n, l)
		size, ok := fitBubble(b, budget)
		return b, size, ok
	}
	k := cardKey{id: c.ID, lang: l, n: n, budget: budget}
	m.mu.Lock()
	e := m.m[k]
	m.mu.Unlock()
	if e == nil || !sameCard(e.card, c) {
		b := cardBubble(c, n, l)
		e = &cardEntry{card: c}
		var ok bool
		if e.size, ok = fitBubble(b, budget); ok {
			b.enc = appendBubble(nil, b)
			e.bubble = b
		}
		m.mu.Lock()
		if len(m.m) >= maxMemoCards {
			clear(m.m)
		}
		m.m[k] = e
		m.mu.Unlock()
	}
	return e.bubble, e.size, e.bubble != nil
}

// sameCard reports whether two cards without details make the same
// bubble: equal in every field cardBubble reads. Cards the engine made
// once for a knowledge version share their strings, which compare
// without reading them.
func sameCard(a, b bot.Card) bool {
	return a.ID == b.ID && a.Title == b.Title && a.Summary == b.Summary && a.Citation == b.Citation &&
		slices.Equal(a.Organizations, b.Organizations) && slices.Equal(a.Audiences, b.Audiences) &&
		slices.Equal(a.Regions, b.Regions) &&
		a.Detail == nil && b.Detail == nil &&
		slices.EqualFunc(a.Buttons, b.Buttons, bot.Button.Equal)
}
