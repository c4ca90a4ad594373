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
	s = redact.Text(strings.TrimRight(b.String(), " "))
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
