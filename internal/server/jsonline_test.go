package server

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"math"
	"testing"
	"time"
)

// slogLine is what slog's own JSON handler writes for r, with the request
// id added as contextHandler adds it.
func slogLine(t testing.TB, r slog.Record, id string) string {
	t.Helper()
	var b bytes.Buffer
	if id != "" {
		r = r.Clone()
		r.AddAttrs(slog.String("request_id", id))
	}
	if err := slog.NewJSONHandler(&b, &slog.HandlerOptions{Level: slog.LevelDebug}).Handle(context.Background(), r); err != nil {
		t.Fatalf("slog: %v", err)
	}
	return b.String()
}

type textValuer struct{}

func (textValuer) LogValue() slog.Value { return slog.StringValue("valued") }

func TestJSONLine(t *testing.T) {
	at := time.Date(2026, 12, 2, 16, 16, 18, 861234500, time.UTC)
	tokyo := time.FixedZone("JST", 9*3600)
	plain := []struct {
		name  string
		time  time.Time
		level slog.Level
		msg   string
		attrs []slog.Attr
		id    string
	}{
		{"access line", at, slog.LevelInfo, "request", []slog.Attr{slog.String("method", "POST"), slog.String("route", "POST /line/webhook"),
			slog.Int("status", 200), slog.Int64("bytes", 0), slog.Float64("ms", 0.123)}, "0123456789abcdef"},
		{"no time, no id", time.Time{}, slog.LevelWarn, "webhook refused, LINE will redeliver", nil, ""},
		{"odd levels", at.In(tokyo), slog.LevelError + 2, "x", []slog.Attr{slog.Bool("ok", true)}, "id"},
		{"debug-1", at, slog.LevelDebug - 1, "", nil, ""},
		{"escapes", at, slog.LevelInfo, "a\"b\\c\n\r\t\x00\x1f\x7f <&> \u2028\u2029 日本語 \xff\xfe", []slog.Attr{
			slog.String("k\"ey\u2028", "v\xc3"), slog.String("html", "<script>&amp;</script>")}, "r\"id"},
		{"numbers", at, slog.LevelInfo, "n", []slog.Attr{slog.Int64("min", math.MinInt64), slog.Uint64("max", math.MaxUint64),
			slog.Float64("small", 1e-7), slog.Float64("tiny", 5e-324), slog.Float64("big", 1e21), slog.Float64("bigger", 1.5e300),
			slog.Float64("neg", -0.000001), slog.Float64("zero", 0), slog.Float64("negzero", math.Copysign(0, -1)),
			slog.Float64("third", 1.0/3), slog.Float64("int", 42)}, ""},
		{"durations and times", at, slog.LevelInfo, "d", []slog.Attr{slog.Duration("took", 1500*time.Millisecond),
			slog.Time("at", at.In(tokyo)), slog.Time("zero", time.Time{}), slog.Time("year9999", time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))}, ""},
	}
	for _, c := range plain {
		t.Run(c.name, func(t *testing.T) {
			r := slog.NewRecord(c.time, c.level, c.msg, 0)
			r.AddAttrs(c.attrs...)
			got, ok := appendJSONLine(nil, r, c.id)
			if !ok {
				t.Fatalf("appendJSONLine(%v) not done; want done", r)
			}
			if want := slogLine(t, r, c.id); string(got) != want {
				t.Errorf("appendJSONLine = %s; want slog's %s", got, want)
			}
		})
	}
	// Left to slog's handler.
	others := map[string]slog.Attr{
		"group":     slog.Group("g", slog.Int("a", 1)),
		"error":     slog.Any("err", errors.New("boom")),
		"any":       slog.Any("config", map[string]int{"a": 1}),
		"valuer":    slog.Any("v", textValuer{}),
		"empty key": slog.Int("", 1),
		"nan":       slog.Float64("f", math.NaN()),
		"inf":       slog.Float64("f", math.Inf(-1)),
		"year":      slog.Time("t", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)),
	}
	for name, a := range others {
		t.Run(name, func(t *testing.T) {
			r := slog.NewRecord(at, slog.LevelInfo, "m", 0)
			r.AddAttrs(slog.String("before", "x"), a)
			if got, ok := appendJSONLine(nil, r, "id"); ok {
				t.Errorf("appendJSONLine(%v) = %s, done; want it left to slog", r, got)
			}
		})
	}
}

// TestLoggerJSONLines: a logger from NewLoggerFormat writes every line as
// slog's JSON handler does, whether appended here or left to slog, with
// the request id last and the logger's own attributes where slog puts
// them.
func TestLoggerJSONLines(t *testing.T) {
	var got, want bytes.Buffer
	log := NewLoggerFormat(&got, slog.LevelDebug, LogJSON)
	ref := slog.New(slog.NewJSONHandler(&want, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx := WithRequestID(context.Background(), "abc")
	at := time.Date(2026, 12, 2, 16, 0, 0, 5, time.UTC)
	for _, l := range []struct {
		log, ref *slog.Logger
	}{{log, ref}, {log.With("component", "question_log"), ref.With("component", "question_log")}, {log.WithGroup("g"), ref.WithGroup("g")}} {
		for _, attrs := range [][]slog.Attr{
			{slog.String("method", "POST"), slog.Int("status", 200), slog.Float64("ms", 1.25)},
			{slog.Any("err", errors.New("boom")), slog.Int("n", 3)},
			{slog.Group("grp", slog.String("a", "b"))},
			nil,
		} {
			for _, id := range []context.Context{ctx, context.Background()} {
				r := slog.NewRecord(at, slog.LevelInfo, "line", 0)
				r.AddAttrs(attrs...)
				if err := l.log.Handler().Handle(id, r); err != nil {
					t.Fatal(err)
				}
				if rid := RequestID(id); rid != "" {
					r = r.Clone()
					r.AddAttrs(slog.String("request_id", rid))
				}
				if err := l.ref.Handler().Handle(id, r); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if got.String() != want.String() {
		t.Errorf("NewLoggerFormat wrote\n%s\nwant slog's\n%s", got.String(), want.String())
	}
}

// FuzzJSONLine holds appendJSONLine to slog's JSON handler: for every
// record it writes, the same bytes.
func FuzzJSONLine(f *testing.F) {
	f.Add("request", "method", "POST", "ms", 0.123, int64(200), uint64(7), int64(1500000), true, int64(1764692178861234500), "0123456789abcdef", 0)
	f.Add("a\"b\\\n\u2028\xff", "k\x00", "<&>", "", math.Inf(1), int64(-1), uint64(0), int64(0), false, int64(0), "", 8)
	f.Add("", "", "", "x", 1e-7, int64(math.MinInt64), uint64(math.MaxUint64), int64(-1), false, int64(-62135596800000000), "id", -4)
	f.Fuzz(func(t *testing.T, msg, k1, v1, k2 string, fl float64, i int64, u uint64, d int64, b bool, ns int64, id string, level int) {
		tm := time.Unix(0, ns).UTC()
		r := slog.NewRecord(tm, slog.Level(level), msg, 0)
		r.AddAttrs(slog.String(k1, v1), slog.Float64(k2, fl), slog.Int64("i", i), slog.Uint64("u", u),
			slog.Duration("d", time.Duration(d)), slog.Bool("b", b), slog.Time("t", tm.In(time.FixedZone("", int(i%50000)))))
		got, ok := appendJSONLine(nil, r, id)
		if !ok {
			return
		}
		if want := slogLine(t, r, id); string(got) != want {
			t.Errorf("appendJSONLine = %s; want slog's %s", got, want)
		}
	})
}

func BenchmarkAccessLine(b *testing.B) {
	for _, name := range []string{"slog", "appended"} { // benchstat -col /line
		b.Run("line="+name, func(b *testing.B) {
			lb := NewLogBuffer(discard{}, time.Hour)
			defer lb.Close()
			log := NewLoggerFormat(lb, slog.LevelInfo, LogJSON)
			if name == "slog" {
				log = slog.New(contextHandler{Handler: slog.NewJSONHandler(lb, nil), flush: lb})
			}
			ctx := WithRequestID(context.Background(), newRequestID())
			b.ReportAllocs()
			for b.Loop() {
				if name == "slog" {
					log.LogAttrs(ctx, slog.LevelInfo, "request", slog.String("method", "POST"), slog.String("route", "POST /line/webhook"),
						slog.Int("status", 200), slog.Int64("bytes", 0), slog.Float64("ms", 0.123))
					continue
				}
				// as observe writes it
				line := slog.NewRecord(time.Now(), slog.LevelInfo, "request", 0)
				line.AddAttrs(slog.String("method", "POST"), slog.String("route", "POST /line/webhook"),
					slog.Int("status", 200), slog.Int64("bytes", 0), slog.Float64("ms", 0.123))
				_ = log.Handler().Handle(ctx, line)
			}
		})
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
