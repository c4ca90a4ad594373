// Package jsonscan reads JSON of a plain shape in one pass, for the
// adapters' webhook decoders: LINE's and Slack's webhooks are read under
// load, and encoding/json's reflection and its validating pass first were
// 3 to 4 % of the server's CPU under cmd/loadgen. A Scanner gives up
// (false) on anything its caller could not be sure to read as
// encoding/json would: a string with an escape or invalid UTF-8, a number
// that is not a plain integer where one is read, a key differing from a
// known one in case only, values nested deeper than maxDepth, invalid
// JSON. The caller then decodes with encoding/json, and fuzz tests hold
// each decoder to encoding/json's result.
package jsonscan

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// New returns a Scanner at the start of b.
func New(b []byte) *Scanner { return &Scanner{b: b} }

// End reports whether only white space is left.
func (s *Scanner) End() bool {
	s.space()
	return s.i == len(s.b)
}

// Peek returns the next byte after white space, 0 at the end.
func (s *Scanner) Peek() byte {
	s.space()
	if s.i == len(s.b) {
		return 0
	}
	return s.b[s.i]
}

// Value reads any JSON value, as Skip, and returns its bytes within b.
func (s *Scanner) Value() ([]byte, bool) {
	s.space()
	start := s.i
	ok := s.Skip()
	return s.b[start:s.i], ok
}

// Scanner reads one JSON text, b, from i on.
type Scanner struct {
	b     []byte
	i     int
	depth int
}

// maxDepth bounds the nesting a Scanner follows; it gives up on deeper
// values.
const maxDepth = 64

func (s *Scanner) space() {
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\t' || s.b[s.i] == '\n' || s.b[s.i] == '\r') {
		s.i++
	}
}

// next skips space and reports whether the next byte is c, taking it if
// it is.
func (s *Scanner) next(c byte) bool {
	s.space()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// Object reads an object, calling member for each key (valid only during
// the call) with the scanner at its value; member reads the value and
// reports whether it could.
func (s *Scanner) Object(member func(key []byte) bool) bool {
	if !s.next('{') || s.depth >= maxDepth {
		return false
	}
	s.depth++
	defer func() { s.depth-- }()
	if s.next('}') {
		return true
	}
	for {
		key, ok := s.Raw()
		if !ok || !s.next(':') || !member(key) {
			return false
		}
		if s.next('}') {
			return true
		}
		if !s.next(',') {
			return false
		}
	}
}

// Array reads an array, calling elem with the scanner at each element.
func (s *Scanner) Array(elem func() bool) bool {
	if !s.next('[') || s.depth >= maxDepth {
		return false
	}
	s.depth++
	defer func() { s.depth-- }()
	if s.next(']') {
		return true
	}
	for {
		if !elem() {
			return false
		}
		if s.next(']') {
			return true
		}
		if !s.next(',') {
			return false
		}
	}
}

// Str reads a string without escapes, of valid UTF-8.
func (s *Scanner) Str() (string, bool) {
	v, ok := s.Raw()
	return string(v), ok
}

// Raw reads a string without escapes, of valid UTF-8, and returns its
// bytes within b.
func (s *Scanner) Raw() ([]byte, bool) {
	if !s.next('"') {
		return nil, false
	}
	start := s.i
	for ; s.i < len(s.b); s.i++ {
		switch c := s.b[s.i]; {
		case c == '"':
			v := s.b[start:s.i]
			s.i++
			return v, utf8.Valid(v)
		case c == '\\' || c < 0x20:
			return nil, false
		}
	}
	return nil, false
}

// Int reads a plain integer of bitSize bits.
func (s *Scanner) Int(bitSize int) (int64, bool) {
	s.space()
	start := s.i
	if s.i < len(s.b) && s.b[s.i] == '-' {
		s.i++
	}
	digits := s.i
	for s.i < len(s.b) && '0' <= s.b[s.i] && s.b[s.i] <= '9' {
		s.i++
	}
	if s.i == digits || s.b[digits] == '0' && s.i-digits > 1 {
		return 0, false // no digits, or a leading zero
	}
	if s.i < len(s.b) && (s.b[s.i] == '.' || s.b[s.i] == 'e' || s.b[s.i] == 'E') {
		return 0, false
	}
	n, err := strconv.ParseInt(string(s.b[start:s.i]), 10, bitSize)
	return n, err == nil
}

// Bool reads true or false.
func (s *Scanner) Bool() (bool, bool) {
	s.space()
	switch {
	case s.literal("true"):
		return true, true
	case s.literal("false"):
		return false, true
	}
	return false, false
}

func (s *Scanner) literal(lit string) bool {
	if len(s.b)-s.i < len(lit) || string(s.b[s.i:s.i+len(lit)]) != lit {
		return false
	}
	s.i += len(lit)
	return true
}

// SkipUnknown skips the value of a key that is none of known: a key that
// differs from one of them only in case is one of them to encoding/json,
// so it gives up.
func (s *Scanner) SkipUnknown(key []byte, known ...string) bool {
	for i := 0; i < len(key); i++ {
		if key[i] >= utf8.RuneSelf {
			return false // encoding/json folds some non-ASCII letters to ASCII ones (K, ſ)
		}
	}
	for _, k := range known {
		if bytes.EqualFold(key, []byte(k)) {
			return false
		}
	}
	return s.Skip()
}

// Skip reads any JSON value.
func (s *Scanner) Skip() bool {
	s.space()
	if s.i >= len(s.b) {
		return false
	}
	switch c := s.b[s.i]; {
	case c == '"':
		_, ok := s.Raw()
		return ok
	case c == '{':
		return s.Object(func([]byte) bool { return s.Skip() })
	case c == '[':
		return s.Array(s.Skip)
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	case c == '-' || '0' <= c && c <= '9':
		return s.number()
	}
	return false
}

// number reads a JSON number of any form.
func (s *Scanner) number() bool {
	digits := func() int {
		start := s.i
		for s.i < len(s.b) && '0' <= s.b[s.i] && s.b[s.i] <= '9' {
			s.i++
		}
		return s.i - start
	}
	if s.b[s.i] == '-' {
		s.i++
	}
	first := s.i
	if n := digits(); n == 0 || n > 1 && s.b[first] == '0' {
		return false
	}
	if s.i < len(s.b) && s.b[s.i] == '.' {
		s.i++
		if digits() == 0 {
			return false
		}
	}
	if s.i < len(s.b) && (s.b[s.i] == 'e' || s.b[s.i] == 'E') {
		s.i++
		if s.i < len(s.b) && (s.b[s.i] == '+' || s.b[s.i] == '-') {
			s.i++
		}
		if digits() == 0 {
			return false
		}
	}
	return true
}

// Seen marks the properties of an object read so far; a property twice
// gives up (encoding/json would merge or overwrite).
type Seen uint64

// First marks property bit (0 to 63) as read and reports whether it was
// not before.
func (m *Seen) First(bit int) bool {
	if *m&(1<<bit) != 0 {
		return false
	}
	*m |= 1 << bit
	return true
}

// SetStr reads a string into *dst, property bit of m.
func (s *Scanner) SetStr(m *Seen, bit int, dst *string) bool {
	if !m.First(bit) {
		return false
	}
	v, ok := s.Str()
	*dst = v
	return ok
}
