package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

// child is `supportbot serve` started by the load generator.
type child struct {
	cmd  *exec.Cmd
	url  string
	logs *logTally
	done chan struct{}
	err  error // of Wait, once done is closed
}

// startChild runs bin serve on a free loopback port with the channels
// pointed at the stand-ins. env holds extra KEY=VALUE settings, which win
// over the load generator's own.
func startChild(ctx context.Context, bin string, s *standIns, sec secrets, env []string, logTo io.Writer) (*child, error) {
	addr, err := freePort()
	if err != nil {
		return nil, err
	}
	// The question log goes to a directory of the child's own, removed
	// when it exits, not to ./data wherever the load generator runs.
	dataDir, err := os.MkdirTemp("", "loadgen-data-")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(),
		"PORT="+addr,
		"DATA_DIR="+dataDir,
		"LINE_CHANNEL_SECRET="+sec.lineSecret,
		"LINE_CHANNEL_ACCESS_TOKEN="+sec.lineToken,
		"LINE_API_BASE_URL="+s.lineURL,
		"SLACK_SIGNING_SECRET="+sec.slackSecret,
		"SLACK_BOT_TOKEN="+sec.slackToken,
		"SLACK_API_URL="+s.slackURL,
		// Load is spread over many synthetic users, each far below any
		// sensible limit; a high limit keeps the measurement about the
		// server. --env RATE_LIMIT=1 puts the default back.
		"RATE_LIMIT=100000",
		"RATE_BURST=100000",
	)
	if s.tls != nil {
		cmd.Env = append(cmd.Env, "SSL_CERT_FILE="+s.tls.certFile)
	}
	cmd.Env = append(cmd.Env, env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dataDir)
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	c := &child{cmd: cmd, url: "http://" + addr, logs: newLogTally(), done: make(chan struct{})}
	logged := make(chan struct{})
	go func() { c.logs.read(stderr, logTo); close(logged) }()
	go func() {
		<-logged // Wait closes the pipe: read it to the end first
		c.err = cmd.Wait()
		os.RemoveAll(dataDir)
		close(c.done)
	}()
	if err := waitReady(ctx, c.url, 60*time.Second, c.done); err != nil {
		c.kill()
		return nil, fmt.Errorf("%s serve: %w (last log lines:\n%s)", bin, err, c.logs.tail())
	}
	return c, nil
}

func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// waitReady polls /readyz until it answers 200.
func waitReady(ctx context.Context, base string, limit time.Duration, exited <-chan struct{}) error {
	deadline := time.Now().Add(limit)
	c := &http.Client{Timeout: time.Second}
	for time.Now().Before(deadline) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/readyz", nil)
		if res, err := c.Do(req); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-exited:
			return errors.New("exited before it was ready")
		case <-time.After(20 * time.Millisecond):
		}
	}
	return fmt.Errorf("not ready after %s", limit)
}

// stop sends SIGTERM and waits for the drain; it returns the exit error.
func (c *child) stop(timeout time.Duration) error {
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
		return c.err
	case <-time.After(timeout):
		c.kill()
		return fmt.Errorf("did not exit within %s of SIGTERM; killed", timeout)
	}
}

func (c *child) kill() {
	_ = c.cmd.Process.Kill()
	<-c.done
}

// rss reads the child's resident memory from /proc.
func (c *child) rss() (int64, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid))
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			var kb int64
			if _, err := fmt.Sscanf(strings.TrimSpace(v), "%d kB", &kb); err == nil {
				return kb << 10, true
			}
		}
	}
	return 0, false
}

// logTally counts the server's warning and error lines by message, so the
// report can show that failures were logged, and keeps the last lines for
// a failed start.
type logTally struct {
	mu     sync.Mutex
	counts map[string]int // "LEVEL msg" → lines
	last   []string
}

func newLogTally() *logTally { return &logTally{counts: map[string]int{}} }

// read tallies JSON log lines (log/slog's JSONHandler) until r ends,
// copying them to copyTo when it is not nil. It looks for the level and
// message by position instead of decoding each line: thousands of
// access lines a second pass through here.
func (t *logTally) read(r io.Reader, copyTo io.Writer) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if copyTo != nil {
			copyTo.Write(line)
			copyTo.Write([]byte{'\n'})
		}
		level := jsonField(line, "level")
		t.mu.Lock()
		if len(t.last) == 20 {
			t.last = t.last[1:]
		}
		t.last = append(t.last, string(line))
		if level == "WARN" || level == "ERROR" {
			t.counts[level+" "+jsonField(line, "msg")]++
		}
		t.mu.Unlock()
	}
	_, _ = io.Copy(io.Discard, r)
}

// snapshot returns the counts so far.
func (t *logTally) snapshot() map[string]int {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make(map[string]int, len(t.counts))
	for k, v := range t.counts {
		out[k] = v
	}
	return out
}

func (t *logTally) tail() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(t.last, "\n")
}

// formatCounts writes counts sorted by key, one "key ×n" per line.
func formatCounts(m map[string]int, indent string) string {
	if len(m) == 0 {
		return indent + "none\n"
	}
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(m)) {
		fmt.Fprintf(&b, "%s%s ×%d\n", indent, k, m[k])
	}
	return b.String()
}
