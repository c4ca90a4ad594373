package main

import (
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// TestServeTextLogsForPeople: with LOG_FORMAT=text (what auto picks on a
// terminal) the log is key=value lines, and start-up says where to open
// the chat.
func TestServeTextLogsForPeople(t *testing.T) {
	in := startRun(t, []string{"serve"}, map[string]string{"LOG_FORMAT": "text"})
	if err := in.shutdown(t); err != nil {
		t.Fatal(err)
	}
	port := in.URL[strings.LastIndex(in.URL, ":")+1:]
	logs := in.stderr.String()
	want := "msg=ready url=http://localhost:" + port
	if !strings.Contains(logs, want) {
		t.Errorf("log lacks %q:\n%s", want, logs)
	}
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		if strings.HasPrefix(line, "{") || !strings.HasPrefix(line, "time=") {
			t.Errorf("log line is not a text line: %s", line)
		}
	}
}

// TestServeJSONLogsSayWhereToOpen: off a terminal the log stays JSON, and
// its ready line carries the chat's URL too.
func TestServeJSONLogsSayWhereToOpen(t *testing.T) {
	in := startRun(t, []string{"serve"}, nil)
	if err := in.shutdown(t); err != nil {
		t.Fatal(err)
	}
	port := in.URL[strings.LastIndex(in.URL, ":")+1:]
	for _, l := range in.stderr.lines(t) {
		if l["msg"] == "ready" {
			if got, want := l["url"], "http://localhost:"+port; got != want {
				t.Errorf("ready url = %v; want %s", got, want)
			}
			return
		}
	}
	t.Errorf("no ready line:\n%s", in.stderr)
}

func TestChatURL(t *testing.T) {
	for _, tt := range []struct {
		addr string
		want string
	}{
		{"0.0.0.0:8080", "http://localhost:8080"},
		{"[::]:8080", "http://localhost:8080"},
		{"[::1]:8080", "http://localhost:8080"},
		{"127.0.0.1:9000", "http://127.0.0.1:9000"},
		{"192.0.2.10:80", "http://192.0.2.10:80"},
	} {
		a, err := net.ResolveTCPAddr("tcp", tt.addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := chatURL(a); got != tt.want {
			t.Errorf("chatURL(%s) = %s; want %s", tt.addr, got, tt.want)
		}
	}
}

func TestPprofAddr(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"", "", true},
		{"6060", "127.0.0.1:6060", true},
		{":6060", "127.0.0.1:6060", true},
		{"localhost:6060", "localhost:6060", true},
		{"0.0.0.0:6060", "0.0.0.0:6060", true},
		{"[::1]:6060", "[::1]:6060", true},
		{"pprof", "", false},
		{"host:port", "", false},
	} {
		got, err := pprofAddr(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("pprofAddr(%q) = %q, %v; want %q (ok %v)", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// TestServeProfiler: PPROF_ADDR serves /debug/pprof/ on its own
// (loopback) port and nothing of it on the public one; without it no
// profiler listens.
func TestServeProfiler(t *testing.T) {
	port := freePort(t)
	in := startRun(t, []string{"serve"}, map[string]string{"PPROF_ADDR": strconv.Itoa(port)})
	get := func(url string) (int, string) {
		t.Helper()
		res, err := http.Get(url)
		if err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, body := get("http://127.0.0.1:" + strconv.Itoa(port) + "/debug/pprof/"); code != 200 || !strings.Contains(body, "goroutine") {
		t.Errorf("profiler index = %d %.80q; want 200 listing the profiles", code, body)
	}
	if code, _ := get("http://127.0.0.1:" + strconv.Itoa(port) + "/debug/pprof/heap?debug=1"); code != 200 {
		t.Errorf("heap profile = %d; want 200", code)
	}
	if code, _ := get(in.URL + "/debug/pprof/"); code != http.StatusNotFound {
		t.Errorf("public port /debug/pprof/ = %d; want 404", code)
	}
	if err := in.shutdown(t); err != nil {
		t.Errorf("run = %v; want a clean shutdown with the profiler on", err)
	}
	if _, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port)); err == nil {
		t.Error("profiler still listening after shutdown")
	}
}
