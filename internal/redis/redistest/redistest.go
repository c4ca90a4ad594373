// Package redistest starts a throwaway redis-server for a test, or uses
// the one REDIS_URL names, or skips the test saying how to get one.
//
// A port picked as free can be taken by another test process before
// redis-server binds it; a server that then answers on that port may be
// someone else's. Start therefore checks that the server answering is the
// process it started (INFO's process_id) and tries another port when the
// one it picked was taken.
package redistest

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Server is a redis-server a test uses.
type Server struct {
	// URL is the server's address as REDIS_URL takes it.
	URL  string
	path string // redis-server binary; "" for REDIS_URL's server
	port int
	cmd  *exec.Cmd
	exit chan error
}

// attempts is how many free ports Start tries before it gives up.
const attempts = 5

// Start returns a redis-server of the test's own, stopped at cleanup; or
// REDIS_URL's when redis-server is not installed; or skips.
func Start(t testing.TB) *Server {
	t.Helper()
	path, err := exec.LookPath("redis-server")
	if err != nil {
		if u := os.Getenv("REDIS_URL"); u != "" {
			return &Server{URL: u}
		}
		t.Skip("no Redis: install redis-server (apt-get install redis-server; .ci/run does) or set REDIS_URL")
	}
	s := &Server{path: path}
	t.Cleanup(s.Stop)
	var last error
	for range attempts {
		s.port = freePort(t)
		if last = s.start(); last == nil {
			s.URL = fmt.Sprintf("redis://127.0.0.1:%d/0", s.port)
			return s
		}
	}
	t.Fatalf("redistest: %v", last)
	return nil
}

// Stoppable skips the test when the server is not one it can stop and
// restart (REDIS_URL's).
func (s *Server) Stoppable(t testing.TB) {
	t.Helper()
	if s.path == "" {
		t.Skip("the test needs a redis-server it can stop; REDIS_URL's cannot be")
	}
}

// Stop kills a server the test started; a no-op otherwise.
func (s *Server) Stop() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.exit
	s.cmd = nil
}

// Restart starts the server again, empty, on the same port (so clients
// holding its URL reconnect).
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.Stoppable(t)
	s.Stop()
	if err := s.start(); err != nil {
		t.Fatalf("redistest: restart: %v", err)
	}
}

// start runs redis-server on s.port and waits until it answers as itself.
func (s *Server) start() error {
	cmd := exec.Command(s.path, "--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--protected-mode", "yes")
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start redis-server: %w", err)
	}
	exit := make(chan error, 1)
	go func() { exit <- cmd.Wait() }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case err := <-exit:
			// Typically "Address already in use": another process took the port.
			return fmt.Errorf("redis-server on port %d exited: %v", s.port, err)
		default:
		}
		if pid, err := serverPID(s.port); err == nil && pid == cmd.Process.Pid {
			s.cmd, s.exit = cmd, exit
			return nil
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-exit
			return fmt.Errorf("redis-server on port %d did not answer within 10s", s.port)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// serverPID asks the server on port for its process id.
func serverPID(port int) (int, error) {
	c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), time.Second)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := fmt.Fprint(c, "INFO server\r\n"); err != nil {
		return 0, err
	}
	r := bufio.NewReader(c)
	head, err := r.ReadString('\n')
	if err != nil {
		return 0, err
	}
	if !strings.HasPrefix(head, "$") {
		return 0, fmt.Errorf("INFO: %q", strings.TrimSpace(head))
	}
	for {
		l, err := r.ReadString('\n')
		if err != nil {
			return 0, err
		}
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), "process_id:"); ok {
			return strconv.Atoi(v)
		}
	}
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
