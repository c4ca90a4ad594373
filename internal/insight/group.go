package insight

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/supportbot/supportbot/internal/bot"
)

// Group is unanswered questions that say the same thing: near-duplicates
// (other spacing, width, case, punctuation, kana, a word more or less)
// count together.
type Group struct {
	// Text is the wording asked most often; Examples are other wordings,
	// most asked first. Both are user text.
	Text     string    `json:"text"`
	Count    int       `json:"count"`
	Lang     bot.Lang  `json:"lang"`
	Examples []string  `json:"examples,omitempty"`
	Last     time.Time `json:"last"`
}

// Similar is how alike two questions must be to share a group: the Dice
// coefficient of their character bigrams, after folding. 0.6 joins
// 「補助金で太陽光パネル」 and 「太陽光パネルの補助金」 (0.78) and keeps
// 「大阪の天気」 apart from 「大阪の観光」 (0.5).
const Similar = 0.6

// GroupUnanswered groups unanswered texts, most asked first, and returns at most
// limit groups with at most examples other wordings each.
func GroupUnanswered(texts []bot.TextCount, limit, examples int) []Group {
	type member struct {
		bot.TextCount
		key   string
		grams map[string]bool
	}
	members := make([]member, 0, len(texts))
	for _, t := range texts {
		k := fold(t.Text)
		members = append(members, member{TextCount: t, key: k, grams: bigrams(k)})
	}
	slices.SortStableFunc(members, func(a, b member) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), b.Last.Compare(a.Last), cmp.Compare(a.Text, b.Text))
	})
	type group struct {
		head   member
		count  int
		last   time.Time
		others []member
	}
	var groups []*group
	byGram := map[string][]int{} // bigram → groups whose head has it
	byKey := map[string]int{}
	for _, m := range members {
		best, score := -1, 0.0
		if g, ok := byKey[m.key]; ok {
			best, score = g, 1
		} else {
			seen := map[int]bool{}
			for gram := range m.grams {
				for _, gi := range byGram[gram] {
					if seen[gi] {
						continue
					}
					seen[gi] = true
					if s := dice(m.grams, groups[gi].head.grams); s > score {
						best, score = gi, s
					}
				}
			}
		}
		if best >= 0 && score >= Similar {
			g := groups[best]
			g.count += m.Count
			if m.Last.After(g.last) {
				g.last = m.Last
			}
			g.others = append(g.others, m)
			continue
		}
		groups = append(groups, &group{head: m, count: m.Count, last: m.Last})
		gi := len(groups) - 1
		byKey[m.key] = gi
		for gram := range m.grams {
			byGram[gram] = append(byGram[gram], gi)
		}
	}
	slices.SortStableFunc(groups, func(a, b *group) int {
		return cmp.Or(cmp.Compare(b.count, a.count), b.last.Compare(a.last), cmp.Compare(a.head.Text, b.head.Text))
	})
	out := make([]Group, 0, min(limit, len(groups)))
	for _, g := range groups[:min(limit, len(groups))] {
		og := Group{Text: g.head.Text, Count: g.count, Lang: g.head.Lang, Last: g.last.UTC()}
		seen := map[string]bool{g.head.Text: true}
		for _, m := range g.others {
			if len(og.Examples) == examples {
				break
			}
			if !seen[m.Text] {
				seen[m.Text] = true
				og.Examples = append(og.Examples, m.Text)
			}
		}
		out = append(out, og)
	}
	return out
}

// fold is what is compared: NFKC, lower case, letters and digits only,
// katakana as hiragana.
func fold(s string) string {
	s = strings.ToLower(norm.NFKC.String(s))
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'ァ' && r <= 'ヶ':
			b.WriteRune(r - 'ァ' + 'ぁ')
		case unicode.IsLetter(r) || unicode.IsNumber(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// bigrams are the pairs of neighbouring characters of s; a single
// character stands for itself.
func bigrams(s string) map[string]bool {
	rs := []rune(s)
	out := make(map[string]bool, len(rs))
	if len(rs) == 1 {
		out[s] = true
	}
	for i := 0; i+1 < len(rs); i++ {
		out[string(rs[i:i+2])] = true
	}
	return out
}

func dice(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	common := 0
	for g := range a {
		if b[g] {
			common++
		}
	}
	return 2 * float64(common) / float64(len(a)+len(b))
}
