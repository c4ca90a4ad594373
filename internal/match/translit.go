package match

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/supportbot/supportbot/internal/analysis"
	"github.com/supportbot/supportbot/internal/catalog"
)

// soundIndex holds the Latin names of programmes and organisations by
// their sound keys (analysis.SoundKey), for names written in kana:
// 「せっこん」 is SECCON, 「グラフセック」 Grafsec. The keys go through the
// same weighted-bigram matching as names with typos, so a kana spelling
// a little off still meets its name.
type soundIndex struct {
	names   *fuzzyNames
	targets []soundTarget // fuzzyNames doc → what the name names
	// readings holds the Japanese names by the sound keys of their
	// readings (catalog.Catalog.Readings, analysis.ReadingKey), for names
	// written in romaji or in kana alone: "internet anzen kyoshitsu",
	// 「けいさつ」.
	readings       *fuzzyNames
	readingTargets []soundTarget
	readingTerms   []string         // the names as written
	readingKanji   []bool           // the name holds kanji
	readingKeys    map[string][]int // reading key → readingTargets
	// readingStarts are the openings of the readings (readingOpening):
	// a stretch of kana is read from a rune only where one begins, so a
	// question's particles (が, に) cost no sound key each.
	readingStarts map[[2]rune]bool
}

// soundTarget is a programme (doc ≥ 0) or an organisation facet.
type soundTarget struct {
	doc   int
	facet Facet
}

// soundWordsMax bounds the words of a name given a sound key: long
// official names are not written in kana.
const soundWordsMax = 3

func newSoundIndex(cat *catalog.Catalog) *soundIndex {
	si := &soundIndex{names: newFuzzyNames()}
	si.names.sound = true
	add := func(name string, t soundTarget) {
		n := analysis.Normalize(name)
		if analysis.HasJapanese(n) {
			return
		}
		words := strings.FieldsFunc(n, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') })
		if len(words) == 0 || len(words) > soundWordsMax {
			return
		}
		var key strings.Builder
		for _, w := range words {
			key.WriteString(analysis.SoundKey(w))
		}
		if utf8.RuneCountInString(key.String()) < fuzzyMinRunes {
			return
		}
		si.names.addKey(key.String(), name, len(si.targets))
		si.targets = append(si.targets, t)
	}
	si.readings = newFuzzyNames()
	si.readings.sound = true
	si.readingKeys = map[string][]int{}
	si.readingStarts = map[[2]rune]bool{}
	read := func(name string, t soundTarget) {
		r, ok := cat.Readings[name]
		if !ok {
			return
		}
		key := analysis.ReadingKey(r)
		if len(key) < fuzzyMinRunes {
			return
		}
		si.readingKeys[key] = append(si.readingKeys[key], len(si.readingTargets))
		rs := []rune(r)
		o := readingOpening(rs)
		si.readingStarts[o] = true
		// A name opening with a Latin vowel (eネットキャラバン) may be
		// written with the vowel in kana (えねっと…).
		for _, k := range vowelKana[o[0]] {
			si.readingStarts[[2]rune{k, o[1]}] = true
		}
		if len(key) >= readingFuzzyRunes {
			si.readings.addKey(key, name, len(si.readingTargets))
		}
		si.readingTargets = append(si.readingTargets, t)
		si.readingTerms = append(si.readingTerms, name)
		si.readingKanji = append(si.readingKanji, strings.ContainsFunc(name, analysis.IsKanji))
	}
	// Every name goes to both indexes; each keeps the ones it can read
	// (Latin names by sound, Japanese names by their readings).
	for d, in := range cat.Initiatives {
		for _, name := range append([]string{in.Name.JA, in.Name.EN}, in.Aliases.All()...) {
			add(name, soundTarget{doc: d})
			read(name, soundTarget{doc: d})
		}
	}
	for i := range cat.Taxonomy.Organizations {
		o := &cat.Taxonomy.Organizations[i]
		for _, name := range o.Names() {
			t := soundTarget{doc: -1, facet: Facet{Type: ByOrganization, ID: o.ID, Term: name}}
			add(name, t)
			read(name, t)
		}
	}
	si.names.finish()
	si.readings.finish()
	return si
}

// translit finds names written in the other script: Latin names in kana
// (by sound key, or letter by letter: 「アイピーエー」 is IPA) and
// Japanese names in romaji ("otasuketai", "sekyuriti kyanpu"). Only what
// no known term explains is read so: セキュリティ is a word of the
// vocabulary, not SECUNITY misspelt. A programme name found so counts as
// a name found despite typos, an organisation as a facet; either puts the
// question in the domain.
func (rk *ranker) translit() {
	if rk.named {
		return
	}
	ix := rk.ix
	found := map[int]float64{}
	term := map[int]string{}
	hit := func(d int, t string, share float64) {
		if share > found[d] {
			found[d], term[d] = share, t
		}
	}
	facetHit := func(f Facet, h analysis.Hit) {
		for _, g := range rk.r.Facets {
			if g.Type == f.Type && g.ID == f.ID {
				return
			}
		}
		rk.r.Facets = append(rk.r.Facets, f)
		for d := range ix.docs {
			if ix.member(d, f) {
				rk.add(d, TranslitEvidence, f.Term, wFacetOrg, true)
			}
		}
		rk.cover(h)
		rk.facetSpans = append(rk.facetSpans, span{latin: h.Latin, start: h.Start, end: h.End})
		rk.dom.known = append(rk.dom.known, h)
		if ix.facet.anchor[f.ID] {
			rk.dom.anchors = append(rk.dom.anchors, h)
		}
	}
	sounded := func(t soundTarget, fh fuzzyHit, h analysis.Hit) {
		if t.doc >= 0 {
			hit(t.doc, fh.term, fh.share)
			rk.cover(h)
		} else {
			facetHit(t.facet, h)
		}
	}
	folded, marks := rk.q.Key, rk.q.Scripts
	if marks == nil {
		folded, marks = analysis.FoldScript(rk.q.Text)
	}
	if folded != rk.q.Key || len(rk.runes) != len(marks) {
		return // cannot happen: the key is the fold of the text
	}
	key := rk.runes
	for _, run := range rk.kanaRuns(key, marks) {
		text := string(key[run.start:run.end])
		h := analysis.Hit{Term: text, Start: run.start, End: run.end}
		// Letter names: アイピーエー, シーティーエフ.
		if letters, n := analysis.Acronym(text); letters != "" {
			lq := analysis.LatinQuery(letters)
			ah := analysis.Hit{Term: text, Start: run.start, End: run.start + n}
			for _, nh := range ix.names.Find(&lq) {
				hit(nh.Ref, nh.Term, 1)
				rk.cover(ah)
			}
			for _, fh := range ix.facet.lex.Find(&lq) {
				if ref := ix.facet.refs[fh.Ref]; ref.typ == ByOrganization {
					facetHit(Facet{Type: ByOrganization, ID: ref.id, Term: fh.Term}, ah)
				}
			}
		}
		sound := analysis.SoundKey(analysis.Romaji(text))
		if letters, n := analysis.Acronym(text); letters != "" && n < run.end-run.start {
			// Letters, then a word: ジェイピーサート is JP + CERT.
			sound = analysis.SoundKey(letters) + analysis.SoundKey(analysis.Romaji(string(key[run.start+n:run.end])))
		}
		katakana := marks[run.start]&analysis.Hiragana == 0
		for _, fh := range ix.sound.names.find(sound, &rk.fuzzyBuf) {
			if fh.share < translitMin {
				continue
			}
			if katakana && len(sound) > ix.sound.names.runes[fh.name]+fuzzySlack {
				// A katakana run is one word: a name that is only its
				// beginning is another word's (スプレッド of スプレッドシート).
				continue
			}
			sounded(ix.sound.targets[fh.doc], fh, h)
		}
	}
	// Japanese names written in kana alone (いんたーねっとあんぜん
	// きょうしつ, けいさつ, 「e-ねっときゃらばん」), by their readings: a
	// stretch of kana and Latin letters, across separators.
	for _, run := range rk.readingRuns(key, marks) {
		h := analysis.Hit{Term: string(key[run.start:run.end]), Start: run.start, End: run.end}
		for p := run.start; p < run.end; p++ {
			if (p == run.start || marks[p]&analysis.Break != 0 || marks[p]&analysis.Hiragana != marks[p-1]&analysis.Hiragana) && ix.sound.readingStarts[readingOpening(key[p:run.end])] {
				// A name of katakana and Latin letters written in katakana
				// is the lexicon's to find, and one that only begins a
				// katakana word is another word (スプレッド of
				// スプレッドシート).
				katakana := marks[p]&analysis.Hiragana == 0 && analysis.IsKatakana(key[p])
				ix.sound.readAt(analysis.ReadingKey(string(key[p:run.end])), p == run.start, katakana, &rk.fuzzyBuf, func(t soundTarget, fh fuzzyHit) { sounded(t, fh, h) })
			}
		}
	}
	// Romaji: runs of Latin words that read as kana and are no English
	// word of the knowledge base.
	for _, run := range rk.romajiRuns() {
		kq := analysis.KanaQuery(run.kana)
		for _, nh := range ix.names.Find(&kq) {
			hit(nh.Ref, nh.Term, 1)
			rk.cover(analysis.Hit{Latin: true, Start: run.start, End: run.end})
		}
		for _, fh := range ix.fuzzy.find(kq.Key, &rk.fuzzyBuf) {
			hit(fh.doc, fh.term, fh.share)
			rk.cover(analysis.Hit{Latin: true, Start: run.start, End: run.end})
		}
		// Japanese names by their readings, the run with the word before
		// and after it: "internet anzen kyoshitsu" is インターネット安全教室
		// with its English first word, "keisatsu" is 警察.
		for _, w := range rk.romajiWindows(run) {
			h := analysis.Hit{Latin: true, Start: w.start, End: w.end}
			ix.sound.readAt(analysis.ReadingKey(strings.Join(rk.q.Words[w.start:w.end], "")), true, false, &rk.fuzzyBuf, func(t soundTarget, fh fuzzyHit) { sounded(t, fh, h) })
		}
	}
	for d, share := range found {
		rk.add(d, TranslitEvidence, term[d], wTranslit*share, true)
		rk.dom.fuzzy = true
		rk.transliterated = true
	}
}

// readAt calls found with each Japanese name whose reading a stretch of
// a question begins with, read as the sound key key: whole, from a word's
// start (けいさつの…, "keisatsu"; not the イーネット ending ねんきんネット,
// nor 安心協 inside "shinkansen"). A long name (readingFuzzyRunes or
// more) is also found despite a slip anywhere, as names with typos are,
// when fuzzy is set: "internet anzen kyoshitsu" holds most of
// インターネット安全教室 read aloud, but no vowel of ト. With kanjiOnly,
// only names holding kanji are read.
func (si *soundIndex) readAt(key string, fuzzy, kanjiOnly bool, buf *fuzzyScratch, found func(soundTarget, fuzzyHit)) {
	for n := fuzzyMinRunes; n <= len(key); n++ {
		for _, id := range si.readingKeys[key[:n]] {
			if si.readingKanji[id] || !kanjiOnly {
				found(si.readingTargets[id], fuzzyHit{doc: id, term: si.readingTerms[id], share: 1})
			}
		}
	}
	if !fuzzy {
		return
	}
	for _, fh := range si.readings.find(key, buf) {
		if fh.share >= readingFuzzyMin && !strings.HasPrefix(key, si.readings.key[fh.name]) && (si.readingKanji[fh.doc] || !kanjiOnly) {
			found(si.readingTargets[fh.doc], fh)
		}
	}
}

// kanaRuns returns the stretches of the key written in one kana script
// (katakana with its long-vowel marks, or hiragana) with no separator
// inside (セキュリティ、ミニマム is two words), at least
// translitMinRunes long, that known terms do not wholly explain: in
// 「東京の中小企業向けのセキュリティ」 neither の nor the word セキュリティ
// is read as a name, but セキュリティアクション is.
func (rk *ranker) kanaRuns(key []rune, marks []analysis.Script) []span {
	var out []span
	start := -1
	for i := 0; i <= len(key); i++ {
		kana := i < len(key) && (key[i] >= 'ァ' && key[i] <= 'ヺ' || key[i] == 'ー')
		if start >= 0 && (!kana || marks[i]&analysis.Hiragana != marks[start]&analysis.Hiragana || marks[i]&analysis.Break != 0) {
			if s := (span{start: start, end: i}); i-start >= translitMinRunes && !rk.allCovered(s) {
				out = append(out, s)
			}
			start = -1
		}
		if kana && start < 0 {
			start = i
		}
	}
	return out
}

// readingOpening is how a reading or a stretch of the key (kana folded to
// katakana) opens: its first rune and the next that is not a long vowel
// or a small kana, so that けーさつ, ケイサツ and きょうしつ, キョウシツ open
// alike. Latin letters open as written.
func readingOpening(rs []rune) [2]rune {
	var o [2]rune
	if len(rs) == 0 {
		return o
	}
	o[0] = unicode.ToLower(rs[0])
	for _, r := range rs[1:] {
		if !strings.ContainsRune("ーァィゥェォャュョッイウ", r) {
			o[1] = unicode.ToLower(r)
			break
		}
	}
	return o
}

// vowelKana are the kana a Latin vowel opening a name is read as.
var vowelKana = map[rune][]rune{'a': {'ア', 'エ'}, 'e': {'エ', 'イ'}, 'i': {'イ', 'ア'}, 'o': {'オ'}, 'u': {'ウ', 'ユ'}}

// readingRuns returns the stretches of the key written in kana, Latin
// letters and digits (no kanji), separators or not, at least
// translitMinRunes long and holding kana, that known terms do not wholly
// explain: where a Japanese name may be written as it is read.
func (rk *ranker) readingRuns(key []rune, marks []analysis.Script) []span {
	var out []span
	start, kana := -1, false
	for i := 0; i <= len(key); i++ {
		in := i < len(key) && !analysis.IsKanji(key[i])
		if start >= 0 && !in {
			if s := (span{start: start, end: i}); kana && i-start >= translitMinRunes && !rk.allCovered(s) {
				out = append(out, s)
			}
			start, kana = -1, false
		}
		if in && start < 0 {
			start = i
		}
		kana = kana || in && analysis.IsKatakana(key[i])
	}
	return out
}

// allCovered reports whether every rune of a stretch of the key lies in
// a stretch a known term explains (セキュリティ alone is a word; in
// セキュリティアクション it is part of a name).
func (rk *ranker) allCovered(s span) bool {
	for i := s.start; i < s.end; i++ {
		if !rk.runeCovered(i) {
			return false
		}
	}
	return true
}

// runeCovered reports whether rune i of the key lies inside a stretch a
// known term explains.
func (rk *ranker) runeCovered(i int) bool {
	for _, c := range rk.covered {
		if !c.latin && c.start <= i && i < c.end {
			return true
		}
	}
	return false
}

// romajiRun is a stretch of Latin words of the question (word indexes)
// read as kana.
type romajiRun struct {
	start, end int
	kana       string
}

// romajiRuns returns the runs of question words that read as romaji and
// are no word the knowledge base uses, at least translitMinRunes kana
// long.
func (rk *ranker) romajiRuns() []romajiRun {
	var out []romajiRun
	var cur romajiRun
	flush := func() {
		if utf8.RuneCountInString(cur.kana) >= translitMinRunes {
			out = append(out, cur)
		}
		cur = romajiRun{}
	}
	for i, w := range rk.q.Words {
		k, ok := analysis.LatinKana(w)
		if !ok || rk.ix.an.Known(w) || rk.q.Fixed != nil && i < len(rk.q.Fixed) && rk.q.Fixed[i] {
			flush()
			continue
		}
		if cur.kana == "" {
			cur.start = i
		}
		cur.kana += k
		cur.end = i + 1
	}
	flush()
	return out
}

// romajiWindows are the stretches of words a romaji run is read in for a
// Japanese name: the run, and the run with the word before it, after it
// or both (a name's English word: "internet" of "internet anzen
// kyoshitsu", "e" of "e-netto kyaraban").
func (rk *ranker) romajiWindows(run romajiRun) []romajiRun {
	out := []romajiRun{run}
	before, after := run.start > 0, run.end < len(rk.q.Words)
	if before {
		out = append(out, romajiRun{start: run.start - 1, end: run.end})
	}
	if after {
		out = append(out, romajiRun{start: run.start, end: run.end + 1})
	}
	if before && after {
		out = append(out, romajiRun{start: run.start - 1, end: run.end + 1})
	}
	return out
}
