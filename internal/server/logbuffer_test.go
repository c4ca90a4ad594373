package server

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// lockedBuffer is a bytes.Buffer safe for the buffer's timer goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestLogBuffer: info lines wait for the timer or Close; a warning is
// written at once with the lines before it; nothing is lost or reordered.
func TestLogBuffer(t *testing.T) {
	defer goleak.VerifyNone(t)
	var out lockedBuffer
	lb := NewLogBuffer(&out, time.Hour)
	log := NewLoggerFormat(lb, slog.LevelInfo, LogJSON)
	log.Info("first")
	log.Info("second")
	if got := out.String(); got != "" {
		t.Fatalf("written before a flush: %q", got)
	}
	log.Warn("trouble")
	got := out.String()
	if strings.Count(got, "\n") != 3 || strings.Index(got, "first") > strings.Index(got, "trouble") {
		t.Fatalf("after a warning: %q; want all three lines in order", got)
	}
	log.Info("last")
	if err := lb.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "last") {
		t.Errorf("Close lost a line: %q", out.String())
	}
}

func TestLogBufferTimer(t *testing.T) {
	defer goleak.VerifyNone(t)
	var out lockedBuffer
	lb := NewLogBuffer(&out, 10*time.Millisecond)
	defer lb.Close()
	NewLoggerFormat(lb, slog.LevelInfo, LogJSON).Info("hello")
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "hello") {
		if time.Now().After(deadline) {
			t.Fatal("the timer never wrote the line")
		}
		time.Sleep(time.Millisecond)
	}
}
