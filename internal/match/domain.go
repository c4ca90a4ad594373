package match

import (
	"slices"
	"strings"

	"github.com/supportbot/supportbot/internal/analysis"
)

// decide settles what the question is: anchored in the domain or not,
// off the domain (then nothing is offered and no category asked for),
// and whether it asks for a whole category.
func (rk *ranker) decide() {
	rk.r.Anchored, rk.offDomain = rk.domain(rk.dom, len(rk.r.Unknown))
	if !rk.offDomain {
		rk.r.Category = rk.category()
	}
}

// category decides whether the question asks for a whole category: a
// "list all" word with a category, or a category alone ("youth",
// 中小企業向けの支援) with nothing more specific. A programme's name, or
// concepts naming different categories, ask for no category.
func (rk *ranker) category() string {
	cats := rk.catHits
	if len(cats) == 0 || rk.named {
		return ""
	}
	first := cats[0]
	for _, c := range cats[1:] {
		if c != first {
			return ""
		}
	}
	if rk.listAllHits > 0 {
		return first
	}
	if rk.specificConcepts == 0 && rk.uncovered == 0 {
		return first
	}
	return ""
}

// domain gathers what tells a question for this bot from one about
// something else that happens to share words with it (補助金 in
// 「補助金で太陽光パネル」, 保険 in 「介護保険の相談窓口」).
type domain struct {
	anchors []analysis.Hit // programme names and anchor concepts found
	known   []analysis.Hit // every term that counted
	fuzzy   bool           // a programme name found despite typos
}

// domain reports whether the question is anchored in the domain, and
// whether it is off the domain: not anchored, and with at least as many
// nouns the knowledge base never uses as places known terms explain.
//
// A known term that a foreign noun modifies, in a compound where the
// foreign noun comes first (保険 in 介護保険, 診断 in 健康診断), names
// another thing and explains nothing. Where the known term comes first
// (地銀 in 地銀勤務) it still tells who is asking.
func (rk *ranker) domain(d domain, unexplained int) (anchored, off bool) {
	modified := rk.modifiedCompounds()
	inside := func(h analysis.Hit) bool {
		if h.Latin {
			return false
		}
		text := rk.spanText(h)
		for _, c := range modified {
			at := strings.Index(c.key, text)
			if at < 0 || len(c.key) == len(text) {
				continue
			}
			for _, f := range c.foreign {
				if i := strings.Index(c.key, f); i >= 0 && i < at {
					return true
				}
			}
		}
		return false
	}
	// An anchor that only describes a foreign head (防犯 in 防犯カメラ: a
	// camera) does not anchor either.
	describes := func(h analysis.Hit) bool {
		if h.Latin {
			return false
		}
		text := rk.spanText(h)
		for _, c := range modified {
			head := c.parts[len(c.parts)-1]
			if strings.Contains(c.key, text) && !strings.Contains(text, head) && slices.Contains(c.foreign, head) {
				return true
			}
		}
		return false
	}
	anchored = d.fuzzy
	for _, h := range d.anchors {
		if !inside(h) && !describes(h) {
			anchored = true
		}
	}
	type at struct {
		latin bool
		start int
	}
	places := map[at]bool{}
	for _, h := range d.known {
		if !inside(h) {
			places[at{h.Latin, h.Start}] = true
		}
	}
	return anchored, !anchored && unexplained > 0 && unexplained >= len(places)
}

// compound is a noun compound of the question with the parts the
// knowledge base never uses.
type compound struct {
	key     string
	parts   []string
	foreign []string
}

// modifiedCompounds returns the compounds that join a noun the knowledge
// base never uses with others.
func (rk *ranker) modifiedCompounds() []compound {
	var out []compound
	for _, t := range rk.q.Tokens {
		if !t.Compound {
			continue
		}
		c := compound{key: t.Key, parts: t.Parts}
		for _, p := range t.Parts {
			if rk.ix.df[p] == 0 && !rk.ix.an.Stopword(p) && !isNumber(p) && !rk.partCovered(p) {
				c.foreign = append(c.foreign, p)
			}
		}
		if len(c.foreign) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// partCovered reports whether a folded part lies inside a known term.
func (rk *ranker) partCovered(p string) bool {
	runes := []rune(rk.q.Key)
	for _, c := range rk.covered {
		if !c.latin && c.end <= len(runes) && strings.Contains(string(runes[c.start:c.end]), p) {
			return true
		}
	}
	return false
}

// spanText returns the folded text a Japanese hit covers.
func (rk *ranker) spanText(h analysis.Hit) string {
	runes := []rune(rk.q.Key)
	if h.End > len(runes) || h.Start > h.End {
		return ""
	}
	return string(runes[h.Start:h.End])
}
