// Package redact removes personal data from text before it is kept: e-mail
// addresses, phone numbers (Japanese and international formats, in
// half- or full-width characters), URLs with a query string or fragment,
// and long runs of digits such as card, account and My Number numbers.
// Each is replaced by a placeholder that says what was there.
//
// It is pure and knows nothing of the bot: the question log calls Text on
// every question before it is stored. Names, addresses and numbers
// written in kanji are not recognised; the README says so.
package redact

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// The placeholders. None contains a digit, an at sign or a URL, so Text
// leaves text it has redacted as it is.
const (
	Email  = "[email]"
	Phone  = "[phone]"
	URL    = "[url]"
	Number = "[number]"
)

// LongRun is the fewest digits that make a number personal data: bank
// account numbers in Japan have 7, postal codes 7, card numbers 14 to 19,
// My Number 12. Shorter numbers (110, #9110, 2019年, 5人) stay.
const LongRun = 7

var (
	// A URL runs to the first space or bracket; Japanese text often
	// follows a URL without a space, so the ideographic punctuation that
	// ends a sentence ends it too.
	urlRE = regexp.MustCompile(`(?i)(?:https?://|www\.)[^\s<>"'` + "`" + `「」『』（）()【】\[\]{}、。！，]+`)
	// An address in ASCII or full-width letters, with either at sign.
	emailRE = regexp.MustCompile(`[A-Za-z0-9._%+\-Ａ-Ｚａ-ｚ０-９＿．]+[@＠][A-Za-z0-9\-Ａ-Ｚａ-ｚ０-９]+(?:[.．][A-Za-z0-9\-Ａ-Ｚａ-ｚ０-９]+)+`)
)

// Text returns s with personal data replaced by the placeholders.
// Redacting its result again changes nothing.
func Text(s string) string {
	// Most questions hold no URL and no address: the checks below cost a
	// scan each, the regular expressions far more.
	if hasURL(s) {
		s = urlRE.ReplaceAllStringFunc(s, func(u string) string {
			if strings.ContainsAny(u, "?#？") {
				return URL
			}
			return u
		})
	}
	if strings.ContainsAny(s, "@＠") {
		s = emailRE.ReplaceAllLiteralString(s, Email)
	}
	return numbers(s)
}

// hasURL reports whether s may hold what urlRE matches: "http" or "www."
// in any case.
func hasURL(s string) bool {
	for i := 0; i+3 < len(s); i++ {
		switch c := s[i] | 0x20; c {
		case 'h':
			if i+4 <= len(s) && strings.EqualFold(s[i:i+4], "http") {
				return true
			}
		case 'w':
			if strings.EqualFold(s[i:i+4], "www.") {
				return true
			}
		}
	}
	return false
}

// numbers replaces phone numbers and long runs of digits. A run is digits
// in groups joined by at most three separators (spaces, hyphens of every
// width and the long-vowel mark people type for one, brackets), with an
// optional + or opening bracket in front: 090-1234-5678, (03) 1234-5678,
// +81 90 1234 5678, ０３－１２３４－５６７８, 4111 1111 1111 1111.
func numbers(s string) string {
	var b strings.Builder
	last := 0 // s[last:] is not yet written
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !digit(r) && !(lead(r) && digitAt(s, i+n)) {
			i += n
			continue
		}
		end, groups := scanRun(s, i)
		if kind := classify(s[i:end], groups); kind != "" {
			if b.Len() == 0 {
				b.Grow(len(s))
			}
			b.WriteString(s[last:i])
			b.WriteString(kind)
			last = end
		}
		i = end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// scanRun reads the run that starts at i and returns where it ends and
// the number of digits in each group.
func scanRun(s string, i int) (end int, groups []int) {
	if r, n := utf8.DecodeRuneInString(s[i:]); lead(r) {
		i += n
	}
	for {
		g := 0
		for i < len(s) {
			r, n := utf8.DecodeRuneInString(s[i:])
			if !digit(r) {
				break
			}
			g++
			i += n
		}
		groups = append(groups, g)
		end = i
		// Up to three separators, then more digits, continue the run.
		j, seps := i, 0
		for j < len(s) && seps < 3 {
			r, n := utf8.DecodeRuneInString(s[j:])
			if !separator(r) {
				break
			}
			j += n
			seps++
		}
		if seps == 0 || !digitAt(s, j) {
			return end, groups
		}
		i = j
	}
}

// classify says what a run is: Phone, Number, or "" to keep it.
func classify(run string, groups []int) string {
	total := 0
	for _, g := range groups {
		total += g
	}
	first, _ := utf8.DecodeRuneInString(strings.TrimLeft(run, "(（"))
	switch {
	case (first == '+' || first == '＋') && total >= 8 && total <= 15:
		return Phone
	case (first == '0' || first == '０') && (total == 10 || total == 11):
		return Phone
	case len(groups) == 3 && groups[0] == 4 && groups[1] <= 2 && groups[2] <= 2:
		return "" // a date: 2026-12-01
	case total >= LongRun:
		return Number
	}
	return ""
}

func digit(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }

// lead may open a run: the + of an international number, a bracket
// around an area code.
func lead(r rune) bool { return r == '+' || r == '＋' || r == '(' || r == '（' }

func digitAt(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return digit(r)
}

func separator(r rune) bool {
	switch r {
	case ' ', '\u00a0', '\u3000', // spaces
		'-', '‐', '‑', '‒', '–', '—', '―', '−', '－', '﹣', // hyphens and dashes
		'ー', 'ｰ', // the long-vowel mark, often typed for a hyphen
		'(', ')', '（', '）':
		return true
	}
	return false
}
