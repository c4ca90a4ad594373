package slack

import (
	"hash/maphash"
	"slices"
	"sync"

	slackapi "github.com/slack-go/slack"

	"github.com/supportbot/supportbot/internal/bot"
)

// cardMemo remembers the blocks of programme cards as appendCardBlocks
// made them, by programme, language and number. A card's blocks depend on
// nothing else, and the engine hands out the same few cards again and
// again: rendering them was a third of the CPU of a Slack answer, and
// most of its garbage (measured under cmd/loadgen).
//
// An entry is used only for a card equal, in everything appendCardBlocks
// reads, to the one it was made from: a knowledge reload that changes a
// card makes its next rendering anew, so the memo needs no hook into the
// reload and can never show stale text. Cards with details (one per
// answer, asked for one at a time) are not kept. The blocks are shared
// between messages and never changed (fitBlocksText copies before
// shortening).
type cardMemo struct {
	mu sync.Mutex
	m  map[cardKey]*cardEntry
	// json holds the JSON of every block of the entries of m, by block
	// (a pointer), for appendBlocks: encoding the same cards for every
	// post was a third of the encoding of a message (measured under
	// cmd/loadgen). Read without the lock, by every post.
	json sync.Map // slackapi.Block → []byte
	// sugg are the blocks of lists of suggestions (suggestions), by
	// suggestionsKey; their JSON is in json too.
	sugg map[uint64]*suggestionsEntry
}

type cardKey struct {
	id   string
	lang bot.Lang
	n    int
}

type cardEntry struct {
	card   bot.Card
	blocks []slackapi.Block
	text   int
}

// maxMemoCards bounds the memo: the knowledge base has a few dozen
// programmes, numbered up to their count, in two languages. Past it
// (knowledge reloaded with new ids many times) the memo starts over.
const maxMemoCards = 4096

func newCardMemo() *cardMemo { return &cardMemo{m: make(map[cardKey]*cardEntry)} }

// appendCard is appendCardBlocks through the memo; a nil memo renders
// every time.
func (m *cardMemo) appendCard(dst []slackapi.Block, l bot.Lang, c bot.Card, n int) ([]slackapi.Block, int) {
	if m == nil || c.ID == "" || c.Detail != nil {
		return appendCardBlocks(dst, l, c, n)
	}
	k := cardKey{id: c.ID, lang: l, n: n}
	m.mu.Lock()
	e := m.m[k]
	m.mu.Unlock()
	if e == nil || !sameCard(e.card, c) {
		blocks, text := appendCardBlocks(nil, l, c, n)
		fresh := &cardEntry{card: c, blocks: blocks, text: text}
		m.mu.Lock()
		if len(m.m) >= maxMemoCards {
			clear(m.m)
			clear(m.sugg)
			m.json.Clear()
		}
		if old := m.m[k]; old != nil {
			for _, b := range old.blocks {
				m.json.Delete(b)
			}
		}
		m.m[k] = fresh
		for _, b := range blocks {
			if raw, ok := appendBlock(nil, b); ok {
				m.json.Store(b, raw)
			}
		}
		m.mu.Unlock()
		e = fresh
	}
	return append(dst, e.blocks...), e.text
}

// sameCard reports whether two cards without details render alike: equal
// in every field appendCardBlocks reads. Cards the engine made once for a
// knowledge version share their strings, which compare without reading
// them.
func sameCard(a, b bot.Card) bool {
	return a.Title == b.Title && a.Summary == b.Summary && a.NextStep == b.NextStep &&
		a.Status == b.Status && a.Citation == b.Citation &&
		slices.Equal(a.Organizations, b.Organizations) && slices.Equal(a.Audiences, b.Audiences) &&
		slices.Equal(a.Regions, b.Regions) && slices.Equal(a.Kinds, b.Kinds) &&
		a.Detail == nil && b.Detail == nil &&
		slices.EqualFunc(a.Buttons, b.Buttons, bot.Button.Equal)
}

// appendBlocks is appendBlocks (encode.go) with the JSON of the memo's
// blocks appended as it was kept; a nil memo encodes every block.
func (m *cardMemo) appendBlocks(dst []byte, blocks []slackapi.Block) (out []byte, ok bool) {
	if m == nil || blocks == nil {
		return appendBlocks(dst, blocks)
	}
	dst = append(dst, '[')
	for i, b := range blocks {
		if i > 0 {
			dst = append(dst, ',')
		}
		if raw, kept := m.json.Load(b); kept {
			dst = append(dst, raw.([]byte)...)
			continue
		}
		if dst, ok = appendBlock(dst, b); !ok {
			return dst, false
		}
	}
	return append(dst, ']'), true
}

// suggestions is suggestionBlocks through the memo: the quick replies
// of an answer are one of a few lists (the categories, the next steps
// of a kind of answer), and rendering and encoding their buttons for
// every post was a third of the allocations of a Slack answer (measured
// under cmd/loadgen). An entry is used only for a list equal in every
// field to the one it was made from, as with cards; a nil memo renders
// every time.
func (m *cardMemo) suggestions(ss []bot.Suggestion) []slackapi.Block {
	if m == nil || len(ss) == 0 {
		return suggestionBlocks(ss)
	}
	k := suggestionsKey(ss)
	m.mu.Lock()
	e := m.sugg[k]
	m.mu.Unlock()
	if e != nil && slices.Equal(e.ss, ss) {
		return e.blocks
	}
	fresh := &suggestionsEntry{ss: slices.Clone(ss), blocks: suggestionBlocks(ss)}
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.sugg) >= maxMemoSuggestions {
		for _, old := range m.sugg {
			for _, b := range old.blocks {
				m.json.Delete(b)
			}
		}
		clear(m.sugg)
	}
	if old := m.sugg[k]; old != nil {
		for _, b := range old.blocks {
			m.json.Delete(b)
		}
	}
	if m.sugg == nil {
		m.sugg = make(map[uint64]*suggestionsEntry)
	}
	m.sugg[k] = fresh
	for _, b := range fresh.blocks {
		if raw, ok := appendBlock(nil, b); ok {
			m.json.Store(b, raw)
		}
	}
	return fresh.blocks
}

type suggestionsEntry struct {
	ss     []bot.Suggestion
	blocks []slackapi.Block
}

// maxMemoSuggestions bounds the lists kept; past it the memo of lists
// starts over.
const maxMemoSuggestions = 1024

// suggestionsSeed keys the memo of suggestion lists.
var suggestionsSeed = maphash.MakeSeed()

// suggestionsKey hashes every field of a list of suggestions.
func suggestionsKey(ss []bot.Suggestion) uint64 {
	var h maphash.Hash
	h.SetSeed(suggestionsSeed)
	for _, s := range ss {
		for _, f := range [...]string{s.Label, s.Short, string(s.Action.Kind), s.Action.Value} {
			h.WriteString(f)
			h.WriteByte(0)
		}
	}
	return h.Sum64()
}
