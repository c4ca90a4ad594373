package server

import (
	"io"
	"sync"
	"time"
)

// LogBuffer batches log lines on their way to a collector (stderr read by
// a container runtime): it writes at most every interval, when it holds
// logBufferSize bytes, right after a line at WARN or above (NewLoggerFormat
// flushes it then), and on Close. A system call per access line was 2 %
// of the server's CPU under load. A crash loses at most interval's worth
// of lines below WARN.
type LogBuffer struct {
	mu   sync.Mutex
	w    io.Writer
	buf  []byte
	err  error // the first write error, returned by later writes
	stop chan struct{}
	done chan struct{}
}

// logBufferSize is flushed at once; a second of access lines at 2,000
// webhooks a second is about half a megabyte.
const logBufferSize = 64 << 10

// NewLogBuffer writes to w every interval until Close.
func NewLogBuffer(w io.Writer, interval time.Duration) *LogBuffer {
	b := &LogBuffer{w: w, buf: make([]byte, 0, logBufferSize), stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(b.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				_ = b.Flush()
			case <-b.stop:
				return
			}
		}
	}()
	return b
}

// Write keeps p (one log line: slog writes a record at once) for the next
// flush.
func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err != nil {
		return 0, b.err
	}
	b.buf = append(b.buf, p...)
	if len(b.buf) >= logBufferSize {
		b.flushLocked()
	}
	return len(p), nil
}

// Flush writes what is kept.
func (b *LogBuffer) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.flushLocked()
	return b.err
}

func (b *LogBuffer) flushLocked() {
	if len(b.buf) == 0 || b.err != nil {
		return
	}
	_, b.err = b.w.Write(b.buf)
	b.buf = b.buf[:0]
}

// Close stops the timer and writes what is kept.
func (b *LogBuffer) Close() error {
	select {
	case <-b.stop:
	default:
		close(b.stop)
	}
	<-b.done
	return b.Flush()
}
