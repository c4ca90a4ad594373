package server

import (
	"io"
	"log/slog"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/supportbot/supportbot/internal/jsonstr"
)

// A JSON log line is appended here, byte for byte what slog's
// JSONHandler writes, when the record holds only plain values (strings,
// numbers, booleans, durations and times) and the logger has no
// attributes or groups of its own: the access line of every webhook, and
// most other lines. slog's handler writes floats through
// encoding/json.Marshal (the access line's "ms"), and goes through its
// general state for each attribute: the access line was 2 % of the
// server's CPU at 2,000 webhooks a second (cmd/loadgen). Anything else
// goes to slog's handler. FuzzJSONLine holds the two to the same bytes.

// lineBuffers hold a line while it is appended; one grown past
// maxLineBuffer (a panic's stack) is left to the collector.
var lineBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

const maxLineBuffer = 16 << 10

// lockedWriter serialises writes to a writer that is not safe for
// concurrent use, so that lines appended here and lines written by
// slog's handler (which locks only its own writes) never interleave.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// appendJSONLine appends r and, if id is not empty, a request_id
// attribute after r's own, as slog.NewJSONHandler(w, &slog.HandlerOptions{…})
// writes them without ReplaceAttr or AddSource, and a newline. It
// reports false, with dst unspecified, when r holds anything it does not
// write alike: a group, a LogValuer, a value of kind Any, an attribute
// without a key, a float that is not finite or a time outside years
// 0–9999.
func appendJSONLine(dst []byte, r slog.Record, id string) ([]byte, bool) {
	dst = append(dst, '{')
	if !r.Time.IsZero() {
		if y := r.Time.Year(); y < 0 || y >= 10000 {
			return dst, false
		}
		dst = append(dst, `"time":"`...)
		dst = r.Time.AppendFormat(dst, time.RFC3339Nano)
		dst = append(dst, `",`...)
	}
	dst = append(dst, `"level":`...)
	dst = jsonstr.AppendLogString(dst, r.Level.String())
	dst = append(dst, `,"msg":`...)
	dst = jsonstr.AppendLogString(dst, r.Message)
	ok := true
	r.Attrs(func(a slog.Attr) bool {
		dst, ok = appendJSONAttr(dst, a)
		return ok
	})
	if !ok {
		return dst, false
	}
	if id != "" {
		dst = append(dst, `,"request_id":`...)
		dst = jsonstr.AppendLogString(dst, id)
	}
	return append(dst, '}', '\n'), true
}

// appendJSONAttr appends ,"key":value for a plain attribute.
func appendJSONAttr(dst []byte, a slog.Attr) ([]byte, bool) {
	if a.Key == "" {
		return dst, false
	}
	dst = append(dst, ',')
	dst = jsonstr.AppendLogString(dst, a.Key)
	dst = append(dst, ':')
	v := a.Value
	switch v.Kind() {
	case slog.KindString:
		dst = jsonstr.AppendLogString(dst, v.String())
	case slog.KindInt64:
		dst = strconv.AppendInt(dst, v.Int64(), 10)
	case slog.KindUint64:
		dst = strconv.AppendUint(dst, v.Uint64(), 10)
	case slog.KindFloat64:
		f := v.Float64()
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return dst, false
		}
		dst = appendJSONFloat(dst, f)
	case slog.KindBool:
		dst = strconv.AppendBool(dst, v.Bool())
	case slog.KindDuration:
		dst = strconv.AppendInt(dst, int64(v.Duration()), 10)
	case slog.KindTime:
		t := v.Time()
		if y := t.Year(); y < 0 || y >= 10000 {
			return dst, false
		}
		dst = append(dst, '"')
		dst = t.AppendFormat(dst, time.RFC3339Nano)
		dst = append(dst, '"')
	default:
		return dst, false
	}
	return dst, true
}

// appendJSONFloat appends a finite float64 as encoding/json writes it.
func appendJSONFloat(dst []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' {
		// e-09 to e-9, as encoding/json does
		if n := len(dst); n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst
}
