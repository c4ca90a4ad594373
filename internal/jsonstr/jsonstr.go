// Package jsonstr appends JSON strings to byte slices exactly as
// encoding/json writes them, for the adapters that encode their replies
// by hand (LINE's Flex and Slack's Block Kit JSON), or as log/slog's
// JSONHandler does, for the log lines the server appends itself: byte
// for byte the same output, without reflection or garbage.
package jsonstr

import "unicode/utf8"

// AppendField appends key, then s as a JSON string.
func AppendField(dst []byte, key, s string) []byte {
	return AppendString(append(dst, key...), s)
}

// AppendString appends s as encoding/json writes a string with HTML
// escaping (its default): <, > and & as \u003c, \u003e, \u0026, control
// characters escaped, invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped.
func AppendString(dst []byte, s string) []byte {
	return appendString(dst, s, &htmlSafe, true)
}

// AppendLogString appends s as log/slog's JSONHandler writes a string:
// as AppendString does but with <, > and & as they are, and backspace and
// form feed as \u0008 and \u000c.
func AppendLogString(dst []byte, s string) []byte {
	return appendString(dst, s, &logSafe, false)
}

// appendString appends s quoted: the ASCII bytes safe marks as they are,
// \b and \f by those names when short, other control characters as
// \u00XX, invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped.
func appendString(dst []byte, s string, safe *[utf8.RuneSelf]bool, short bool) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if safe[b] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch {
			case b == '\\' || b == '"':
				dst = append(dst, '\\', b)
			case b == '\b' && short:
				dst = append(dst, '\\', 'b')
			case b == '\f' && short:
				dst = append(dst, '\\', 'f')
			case b == '\n':
				dst = append(dst, '\\', 'n')
			case b == '\r':
				dst = append(dst, '\\', 'r')
			case b == '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		// Most of a Japanese text is three-byte runes of E1–EC, EE and EF,
		// whose continuation bytes are any of 80–BF: skipped here without
		// decoding them (U+2028 and U+2029 among them are escaped below).
		if i+2 < len(s) && (b-0xE1 <= 0xEC-0xE1 || b == 0xEE || b == 0xEF) &&
			s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 && !(b == 0xE2 && s[i+1] == 0x80 && s[i+2]&^1 == 0xA8) {
			i += 3
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// htmlSafe marks the ASCII bytes encoding/json writes as they are with
// HTML escaping: printable, except ", \, <, > and &. logSafe marks those
// slog's JSONHandler writes as they are: printable, except " and \.
var htmlSafe, logSafe = func() (html, log [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		log[c] = c != '"' && c != '\\'
		html[c] = log[c] && c != '<' && c != '>' && c != '&'
	}
	return html, log
}()
