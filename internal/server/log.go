package server

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"io"
	"log/slog"
	"math/rand/v2"
)

type ctxKey int

const requestIDKey ctxKey = iota

// WithRequestID returns ctx carrying a request id that every log line
// written with it will show.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// RequestID returns the request id carried by ctx, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// newRequestID returns 16 random hex digits. The id only tells requests
// apart in the log, so it comes from the runtime's fast generator, not
// crypto/rand (a system call per request under load).
func newRequestID() string {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], rand.Uint64())
	return hex.EncodeToString(b[:])
}

// LogFormat is how log lines are written.
type LogFormat int

// The formats.
const (
	LogJSON LogFormat = iota // one JSON object a line, for collectors
	LogText                  // key=value lines, for people at a terminal
)

// NewLogger returns a JSON logger at level whose lines carry the request id
// of the context they are logged with (logger.InfoContext(ctx, …)). A job
// that outlives its request keeps the id if it is given
// context.WithoutCancel(r.Context()).
func NewLogger(w io.Writer, level slog.Leveler) *slog.Logger {
	return NewLoggerFormat(w, level, LogJSON)
}

// NewLoggerFormat is NewLogger in format f: the same attributes, the
// request id included, as JSON or as text.
//
// When w is a *LogBuffer, a line at WARN or above is written at once,
// with the lines before it.
func NewLoggerFormat(w io.Writer, level slog.Leveler, f LogFormat) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	lb, _ := w.(*LogBuffer)
	if f == LogText {
		return slog.New(contextHandler{Handler: slog.NewTextHandler(w, opts), flush: lb})
	}
	// Lines appended here (jsonline.go) and lines written by slog's
	// handler go to one writer: a LogBuffer locks its writes, another
	// writer is locked here.
	if lb == nil {
		w = &lockedWriter{w: w}
	}
	return slog.New(contextHandler{Handler: slog.NewJSONHandler(w, opts), flush: lb, json: w})
}

// contextHandler adds the request id from the context to each record, and
// flushes the log buffer, if any, after a warning or an error.
type contextHandler struct {
	slog.Handler
	flush *LogBuffer
	// json is where the JSON handler writes, while the logger has no
	// attributes or groups of its own: a plain record is appended here
	// (appendJSONLine) rather than by slog's handler.
	json io.Writer
}

func (h contextHandler) Handle(ctx context.Context, r slog.Record) error {
	id := RequestID(ctx)
	err, done := h.handleJSON(r, id)
	if !done {
		if id != "" {
			r.AddAttrs(slog.String("request_id", id))
		}
		err = h.Handler.Handle(ctx, r)
	}
	if h.flush != nil && r.Level >= slog.LevelWarn {
		if ferr := h.flush.Flush(); err == nil {
			err = ferr
		}
	}
	return err
}

// handleJSON writes r as slog's JSON handler would, when it can
// (appendJSONLine); done is false when slog's handler must.
func (h contextHandler) handleJSON(r slog.Record, id string) (err error, done bool) {
	if h.json == nil {
		return nil, false
	}
	p := lineBuffers.Get().(*[]byte)
	b, ok := appendJSONLine((*p)[:0], r, id)
	if cap(b) <= maxLineBuffer {
		*p = b[:0]
		defer lineBuffers.Put(p)
	}
	if !ok {
		return nil, false
	}
	_, err = h.json.Write(b)
	return err, true
}

func (h contextHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return contextHandler{Handler: h.Handler.WithAttrs(as), flush: h.flush}
}

func (h contextHandler) WithGroup(name string) slog.Handler {
	return contextHandler{Handler: h.Handler.WithGroup(name), flush: h.flush}
}
