package adapter

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strconv"
	"sync"
	"testing"
	"time"
)

// bodyOf is the body of post n: its number, over and over, about 12 KB
// (200 KB for every tenth post, past HTTP/2's first flow-control window,
// so that its stream is still being written when the response comes), so
// that a buffer reused while the transport still read it shows as a body
// with two numbers, or as a data race.
func bodyOf(dst []byte, n int) []byte {
	size := 12 << 10
	if n%10 == 3 {
		size = 200 << 10
	}
	for len(dst) < size {
		dst = strconv.AppendInt(dst, int64(n), 10)
		dst = append(dst, ';')
	}
	return dst
}

// checkBody reports whether b is one post's body, whole.
func checkBody(b []byte) error {
	parts := bytes.Split(bytes.TrimSuffix(b, []byte(";")), []byte(";"))
	if len(parts) == 0 || len(b) < 12<<10 {
		return fmt.Errorf("body of %d bytes", len(b))
	}
	for _, p := range parts {
		if !bytes.Equal(p, parts[0]) {
			return fmt.Errorf("body mixes posts %s and %s", parts[0], p)
		}
	}
	return nil
}

// TestBodyReuse posts pooled bodies from many goroutines at a server
// that answers some posts before reading them, drops some connections
// and fails others, over HTTP/1.1 and HTTP/2: every body that arrives is
// one post's, whole. Run it with -race too: a buffer handed back while
// the transport read it is a data race with the next post that takes it.
func TestBodyReuse(t *testing.T) {
	for _, h2 := range []bool{false, true} {
		t.Run(map[bool]string{false: "HTTP/1.1", true: "HTTP/2"}[h2], func(t *testing.T) {
			var mu sync.Mutex
			var bad []error
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n, _ := strconv.Atoi(r.URL.Query().Get("n"))
				switch n % 10 {
				case 3: // answered before the body is read
					w.WriteHeader(http.StatusTooManyRequests)
					http.NewResponseController(w).Flush()
					time.Sleep(time.Millisecond)
					return
				case 7: // the connection dropped without an answer
					if hj, ok := w.(http.Hijacker); ok {
						if c, _, err := hj.Hijack(); err == nil {
							c.Close()
							return
						}
					}
					panic(http.ErrAbortHandler)
				}
				b, err := io.ReadAll(r.Body)
				if err == nil {
					err = checkBody(b)
				}
				if err != nil {
					mu.Lock()
					bad = append(bad, err)
					mu.Unlock()
				}
				if n%10 == 5 {
					w.WriteHeader(http.StatusBadGateway)
				}
			}))
			srv.EnableHTTP2 = h2
			if h2 {
				srv.StartTLS()
			} else {
				srv.Start()
			}
			defer srv.Close()
			client := NewHTTPClient(5 * time.Second)
			if h2 {
				client = srv.Client()
			}
			var wg sync.WaitGroup
			for g := range 8 {
				wg.Go(func() {
					for i := range 150 {
						n := g*1000 + i
						b := NewBody()
						b.Append(func(dst []byte) []byte { return bodyOf(dst, n) })
						req, err := http.NewRequestWithContext(b.Context(context.Background()), http.MethodPost, srv.URL+"/?n="+strconv.Itoa(n), bytes.NewReader(b.Bytes()))
						if err != nil {
							t.Error(err)
							b.Release()
							return
						}
						if res, err := client.Do(req); err == nil {
							_, _ = io.Copy(io.Discard, res.Body)
							res.Body.Close()
						}
						b.Release()
					}
				})
			}
			wg.Wait()
			for _, err := range bad {
				t.Error(err)
			}
		})
	}
}

// TestBodyRefs: the buffer goes back only after the owner's release and
// every connection's write.
func TestBodyRefs(t *testing.T) {
	b := NewBody()
	b.trace.GotConn(httptrace.GotConnInfo{})
	b.Release()
	if got := b.refs.Load(); got != 1 {
		t.Fatalf("refs after a connection and the release = %d; want 1 (the write pending)", got)
	}
	b.trace.WroteRequest(httptrace.WroteRequestInfo{})
	if got := b.refs.Load(); got != 0 {
		t.Fatalf("refs after the write = %d; want 0", got)
	}
}
