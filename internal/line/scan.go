package line

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// scanWebhook decodes a webhook of the plain shape LINE sends in one pass
// over the bytes, without encoding/json's reflection and its validating
// pass first (the two were 2 % of the server's CPU under cmd/loadgen).
// It gives up, ok false, on anything that is not plain: a string with an
// escape or invalid UTF-8, null, a property twice, a key that differs
// from a known one in case only, a value of another type than its field's,
// a number that is not a plain integer, invalid JSON. decodeWebhook then
// decodes the body with encoding/json and its rules, so that the result
// is always encoding/json's (FuzzScanWebhook holds it to that).
func scanWebhook(body []byte) (cb callback, ok bool) {
	s := scanner{b: body}
	ok = s.object(func(key []byte) bool {
		if string(key) != "events" {
			return s.skipUnknown(key, "events")
		}
		if cb.Events != nil {
			return false // twice
		}
		cb.Events = []event{}
		return s.array(func() bool {
			cb.Events = append(cb.Events, event{})
			return s.event(&cb.Events[len(cb.Events)-1])
		})
	})
	s.space()
	return cb, ok && s.i == len(s.b)
}

// scanner reads JSON from b at i.
type scanner struct {
	b     []byte
	i     int
	depth int
}

// maxScanDepth bounds the nesting scanWebhook follows; deeper bodies go
// to encoding/json.
const maxScanDepth = 64

func (s *scanner) space() {
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\t' || s.b[s.i] == '\n' || s.b[s.i] == '\r') {
		s.i++
	}
}

// next skips space and reports whether the next byte is c, taking it if
// it is.
func (s *scanner) next(c byte) bool {
	s.space()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// object reads an object, calling member for each key (valid only during
// the call) with the scanner at its value; member reads the value and
// reports whether it could.
func (s *scanner) object(member func(key []byte) bool) bool {
	if !s.next('{') || s.depth >= maxScanDepth {
		return false
	}
	s.depth++
	defer func() { s.depth-- }()
	if s.next('}') {
		return true
	}
	for {
		key, ok := s.raw()
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

// array reads an array, calling elem with the scanner at each element.
func (s *scanner) array(elem func() bool) bool {
	if !s.next('[') || s.depth >= maxScanDepth {
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

// str reads a string without escapes, of valid UTF-8.
func (s *scanner) str() (string, bool) {
	v, ok := s.raw()
	return string(v), ok
}

// raw reads a string without escapes, of valid UTF-8, and returns its
// bytes within b.
func (s *scanner) raw() ([]byte, bool) {
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

// integer reads a plain integer of bitSize bits.
func (s *scanner) integer(bitSize int) (int64, bool) {
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

// boolean reads true or false.
func (s *scanner) boolean() (bool, bool) {
	s.space()
	switch {
	case s.literal("true"):
		return true, true
	case s.literal("false"):
		return false, true
	}
	return false, false
}

func (s *scanner) literal(lit string) bool {
	if len(s.b)-s.i < len(lit) || string(s.b[s.i:s.i+len(lit)]) != lit {
		return false
	}
	s.i += len(lit)
	return true
}

// skipUnknown skips the value of a key that is none of known: a key that
// differs from one of them only in case is one of them to encoding/json,
// so it gives up.
func (s *scanner) skipUnknown(key []byte, known ...string) bool {
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
	return s.skip()
}

// skip reads any JSON value.
func (s *scanner) skip() bool {
	s.space()
	if s.i >= len(s.b) {
		return false
	}
	switch c := s.b[s.i]; {
	case c == '"':
		_, ok := s.raw()
		return ok
	case c == '{':
		return s.object(func([]byte) bool { return s.skip() })
	case c == '[':
		return s.array(s.skip)
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
func (s *scanner) number() bool {
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

// seen marks the properties of an object read so far; a property twice
// gives up (encoding/json would merge or overwrite).
type seen uint32

func (m *seen) first(bit int) bool {
	if *m&(1<<bit) != 0 {
		return false
	}
	*m |= 1 << bit
	return true
}

// setStr reads a string into *dst, the property numbered bit.
func (s *scanner) setStr(m *seen, bit int, dst *string) bool {
	if !m.first(bit) {
		return false
	}
	v, ok := s.str()
	*dst = v
	return ok
}

var eventKeys = []string{"type", "mode", "timestamp", "webhookEventId", "replyToken", "source", "deliveryContext", "message", "postback"}

func (s *scanner) event(ev *event) bool {
	var m seen
	return s.object(func(key []byte) bool {
		switch string(key) {
		case "type":
			return s.setStr(&m, 0, &ev.Type)
		case "mode":
			return s.setStr(&m, 1, &ev.Mode)
		case "timestamp":
			var ok bool
			ev.Timestamp, ok = s.integer(64)
			return m.first(2) && ok
		case "webhookEventId":
			return s.setStr(&m, 3, &ev.WebhookEventID)
		case "replyToken":
			return s.setStr(&m, 4, &ev.ReplyToken)
		case "source":
			ev.Source = new(eventSource)
			return m.first(5) && s.source(ev.Source)
		case "deliveryContext":
			ev.DeliveryContext = new(deliveryContext)
			var dm seen
			return m.first(6) && s.object(func(key []byte) bool {
				if string(key) != "isRedelivery" {
					return s.skipUnknown(key, "isRedelivery")
				}
				var ok bool
				ev.DeliveryContext.IsRedelivery, ok = s.boolean()
				return dm.first(0) && ok
			})
		case "message":
			ev.Message = new(eventMessage)
			return m.first(7) && s.message(ev.Message)
		case "postback":
			ev.Postback = new(postback)
			var pm seen
			return m.first(8) && s.object(func(key []byte) bool {
				if string(key) != "data" {
					return s.skipUnknown(key, "data")
				}
				return s.setStr(&pm, 0, &ev.Postback.Data)
			})
		}
		return s.skipUnknown(key, eventKeys...)
	})
}

var sourceKeys = []string{"type", "userId", "groupId", "roomId"}

func (s *scanner) source(src *eventSource) bool {
	var m seen
	return s.object(func(key []byte) bool {
		switch string(key) {
		case "type":
			return s.setStr(&m, 0, &src.Type)
		case "userId":
			return s.setStr(&m, 1, &src.UserID)
		case "groupId":
			return s.setStr(&m, 2, &src.GroupID)
		case "roomId":
			return s.setStr(&m, 3, &src.RoomID)
		}
		return s.skipUnknown(key, sourceKeys...)
	})
}

var (
	messageKeys   = []string{"type", "text", "quoteToken", "mention"}
	mentioneeKeys = []string{"index", "length", "type", "isSelf"}
)

func (s *scanner) message(msg *eventMessage) bool {
	var m seen
	return s.object(func(key []byte) bool {
		switch string(key) {
		case "type":
			return s.setStr(&m, 0, &msg.Type)
		case "text":
			return s.setStr(&m, 1, &msg.Text)
		case "quoteToken":
			return s.setStr(&m, 2, &msg.QuoteToken)
		case "mention":
			if !m.first(3) {
				return false
			}
			msg.Mention = new(mention)
			var mm seen
			return s.object(func(key []byte) bool {
				if string(key) != "mentionees" {
					return s.skipUnknown(key, "mentionees")
				}
				if !mm.first(0) {
					return false
				}
				msg.Mention.Mentionees = []mentionee{}
				return s.array(func() bool {
					msg.Mention.Mentionees = append(msg.Mention.Mentionees, mentionee{})
					return s.mentionee(&msg.Mention.Mentionees[len(msg.Mention.Mentionees)-1])
				})
			})
		}
		return s.skipUnknown(key, messageKeys...)
	})
}

func (s *scanner) mentionee(me *mentionee) bool {
	var m seen
	return s.object(func(key []byte) bool {
		switch string(key) {
		case "index", "length":
			bit, dst := 0, &me.Index
			if string(key) == "length" {
				bit, dst = 1, &me.Length
			}
			n, ok := s.integer(32)
			*dst = int32(n)
			return m.first(bit) && ok
		case "type":
			return s.setStr(&m, 2, &me.Type)
		case "isSelf":
			var ok bool
			me.IsSelf, ok = s.boolean()
			return m.first(3) && ok
		}
		return s.skipUnknown(key, mentioneeKeys...)
	})
}
