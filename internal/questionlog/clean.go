package questionlog

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/supportbot/supportbot/internal/redact"
)

// MaxText bounds a stored question in characters, like the analyser's
// cut (analysis.MaxRunes): the matcher never read past it either.
const MaxText = 1000

// clean makes a question fit to keep: valid UTF-8; control, format and
// bidirectional characters (which could rearrange or hide text where
// staff read it) turned into spaces and runs of space squeezed; personal
// data redacted; cut to MaxText characters. The result is still user
// text.
func clean(s string) string {
	if !plain(s) {
		s = squeeze(s)
	}
	s = redact.Text(s)
	if utf8.RuneCountInString(s) > MaxText {
		i, n := 0, 0
		for i = range s {
			if n == MaxText {
				break
			}
			n++
		}
		s = s[:i]
	}
	return s
}

// squeeze makes s valid UTF-8, turns control, format and space characters
// into single spaces between words, and drops them at either end.
func squeeze(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.IsSpace(r) {
			if !space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return strings.TrimRight(b.String(), " ")
}

// plain reports whether squeeze would leave s as it is, as it does most
// questions: valid UTF-8 whose only control, format or space characters
// are single ASCII spaces between words. It reads ASCII without the
// unicode tables, and copies nothing (the question log's writer cleans
// every question it writes).
func plain(s string) bool {
	space := true // a space at the start is dropped
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			switch {
			case c == ' ':
				if space {
					return false
				}
				space = true
			case c < 0x20 || c == 0x7f:
				return false
			default:
				space = false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.IsSpace(r) {
			return false
		}
		space = false
		i += n
	}
	return !space || s == ""
}
