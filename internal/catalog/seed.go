package catalog

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Section names a part of the seed's "(2) 重点的な対象とその内容".
type Section string

// The seed's sections. Section ② has two lists: crime prevention and
// morals (youth) and talent development (talent).
const (
	SectionSME      Section = "sme"      // ① 中小企業
	SectionYouth    Section = "youth"    // ② 若年層, list ii
	SectionTalent   Section = "talent"   // ② 若年層, list iii
	SectionRegional Section = "regional" // ③ 地域における取組の支援
)

// Bullet is one "- " line of the seed.
type Bullet struct {
	File    string
	Line    int     // 1-based line number in File
	Section Section // "" when the bullet precedes every known heading
	Text    string  // the line after "- ", trailing spaces removed
	Body    string  // Text without a trailing note and the （再掲） marker
	Note    string  // 2019年度新規、資料1-1 …: the next line, or the tail of a ③ bullet
	Relist  bool    // marked （再掲）: a re-listing of an earlier bullet
}

// Seed is a parsed seed file.
type Seed struct {
	File    string
	Lines   []string // Lines[i] is line i+1
	Bullets []Bullet
	byLine  map[int]int
}

// Bullet returns the bullet on a 1-based line.
func (s *Seed) Bullet(line int) (Bullet, bool) {
	i, ok := s.byLine[line]
	if !ok {
		return Bullet{}, false
	}
	return s.Bullets[i], true
}

const relistMark = "（再掲）"

// ParseSeed reads a seed document. It never fails on content: a seed with no
// bullets parses to a Seed with none, which Lint reports.
func ParseSeed(file string, data []byte) (*Seed, error) {
	s := &Seed{File: file, byLine: map[int]int{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		s.Lines = append(s.Lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("catalog: read seed %s: %w", file, err)
	}
	var section Section
	for i, raw := range s.Lines {
		line := strings.TrimRight(raw, " \t\u3000")
		switch {
		case strings.HasPrefix(line, "#"):
			section = nextSection(section, strings.TrimSpace(strings.TrimLeft(line, "#")))
		case strings.HasPrefix(line, "- "):
			b := Bullet{File: file, Line: i + 1, Section: section, Text: strings.TrimSpace(line[2:])}
			b.Body, b.Note, b.Relist = splitBullet(b.Text)
			if b.Note == "" && i+1 < len(s.Lines) {
				b.Note = noteLine(s.Lines[i+1])
			}
			s.byLine[b.Line] = len(s.Bullets)
			s.Bullets = append(s.Bullets, b)
		}
	}
	return s, nil
}

// nextSection follows the seed's headings: ①②③ open a focus group, and the
// second list of ② ("iii. …") is talent development.
func nextSection(cur Section, heading string) Section {
	switch {
	case strings.HasPrefix(heading, "①"):
		return SectionSME
	case strings.HasPrefix(heading, "②"):
		return SectionYouth
	case strings.HasPrefix(heading, "③"):
		return SectionRegional
	case strings.HasPrefix(heading, "iii.") && cur == SectionYouth:
		return SectionTalent
	}
	return cur
}

// noteLine returns the note on the line after a bullet ("資料1-3"), or "".
func noteLine(line string) string {
	t := strings.TrimSpace(line)
	if t == "" || strings.HasPrefix(t, "-") || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "※") {
		return ""
	}
	return t
}

// splitBullet separates a bullet's body from a note written at its end
// after a closing parenthesis and a space (the style of section ③), and
// from the （再掲） marker.
func splitBullet(text string) (body, note string, relist bool) {
	body = text
	for _, close := range []string{"） ", ") "} {
		if i := strings.LastIndex(body, close); i >= 0 {
			tail := strings.TrimSpace(body[i+len(close):])
			if tail != "" && !strings.ContainsAny(tail, "()（）") {
				note = tail
				body = strings.TrimSpace(body[:i+len(close)])
				break
			}
		}
	}
	if strings.HasSuffix(body, relistMark) || strings.HasSuffix(body, "(再掲)") {
		relist = true
		body = strings.TrimSuffix(strings.TrimSuffix(body, relistMark), "(再掲)")
	}
	return body, note, relist
}

// SameText reports whether two seed texts say the same thing once width
// variants (the seed mixes full-width and ASCII parentheses) are folded.
func SameText(a, b string) bool {
	return norm.NFKC.String(strings.TrimSpace(a)) == norm.NFKC.String(strings.TrimSpace(b))
}
