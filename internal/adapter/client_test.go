package adapter

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// h2Server is a TLS server speaking HTTP/2, as the platforms' APIs do,
// counting the connections it accepts.
func h2Server(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true}`)
	}))
	srv.EnableHTTP2 = true
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, &conns
}

// trusting points c at srv's certificate.
func trusting(c *http.Client, srv *httptest.Server) *http.Client {
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	c.Transport.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: pool}
	return c
}

func get(ctx context.Context, c *http.Client, url string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	res, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res, err
}

// Over TLS the client negotiates HTTP/2, and concurrent calls share one
// connection.
func TestHTTPClientSpeaksHTTP2(t *testing.T) {
	srv, conns := h2Server(t)
	c := trusting(NewHTTPClient(5*time.Second), srv)
	res, err := get(t.Context(), c, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if res.ProtoMajor != 2 {
		t.Fatalf("protocol %s, want HTTP/2", res.Proto)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for range 32 {
		wg.Go(func() {
			res, err := get(t.Context(), c, srv.URL)
			if err == nil && res.ProtoMajor != 2 {
				err = errors.New("not over HTTP/2: " + res.Proto)
			}
			if err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("33 calls over %d connections, want 1", n)
	}
}

// silentProxy forwards TCP connections to a backend. Told to forget
// them, it keeps the connections it has open and forwards nothing more on
// them, as a NAT or load balancer that forgot a connection does; new
// connections are forwarded.
type silentProxy struct {
	ln        net.Listener
	backend   string
	accepted  atomic.Int64
	forgotten atomic.Int64  // connections numbered up to this are silent
	closed    chan struct{} // a client closed a connection
}

// forget silences every connection accepted so far.
func (p *silentProxy) forget() { p.forgotten.Store(p.accepted.Load()) }

func newSilentProxy(t *testing.T, backend string) *silentProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &silentProxy{ln: ln, backend: backend, closed: make(chan struct{}, 16)}
	t.Cleanup(func() { ln.Close() })
	go p.serve()
	return p
}

func (p *silentProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		n := p.accepted.Add(1)
		b, err := net.Dial("tcp", p.backend)
		if err != nil {
			c.Close()
			continue
		}
		go func() { // client → backend; its end is the client closing
			p.pipe(n, b, c)
			c.Close()
			b.Close()
			p.closed <- struct{}{}
		}()
		go func() { p.pipe(n, c, b); c.Close(); b.Close() }()
	}
}

// pipe copies from src to dst for connection number conn until it is
// forgotten, then reads and drops.
func (p *silentProxy) pipe(conn int64, dst io.Writer, src io.Reader) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 && conn > p.forgotten.Load() {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// A connection that goes silent is found out by a ping and closed, so
// the next call dials a new one instead of waiting out its deadline on a
// dead connection that all calls to the host share.
func TestHTTPClientDropsSilentConnection(t *testing.T) {
	srv, _ := h2Server(t)
	p := newSilentProxy(t, srv.Listener.Addr().String())
	url := "https://" + p.ln.Addr().String()
	c := trusting(newHTTPClient(5*time.Second, h2Health{sendPing: 100 * time.Millisecond, ping: 100 * time.Millisecond, write: time.Second}), srv)

	res, err := get(t.Context(), c, url)
	if err != nil {
		t.Fatal(err)
	}
	if res.ProtoMajor != 2 {
		t.Fatalf("protocol %s, want HTTP/2", res.Proto)
	}
	p.forget()
	select {
	case <-p.closed:
	case <-time.After(10 * time.Second):
		t.Fatal("the silent connection was not closed by the client (no health check)")
	}

	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
	defer cancel()
	if _, err := get(ctx, c, url); err != nil {
		t.Fatalf("call after the silent connection was dropped: %v", err)
	}
	if n := p.accepted.Load(); n != 2 {
		t.Errorf("%d connections, want 2 (the dropped one and a new one)", n)
	}
}

// With the health check off (the transport's default), the same call
// waits on the dead connection until its deadline: the behaviour the
// check is there to avoid.
func TestHTTPClientWithoutHealthCheckWaits(t *testing.T) {
	if testing.Short() {
		t.Skip("waits out a 1 s deadline")
	}
	srv, _ := h2Server(t)
	p := newSilentProxy(t, srv.Listener.Addr().String())
	url := "https://" + p.ln.Addr().String()
	c := trusting(newHTTPClient(time.Second, h2Health{}), srv)
	if _, err := get(t.Context(), c, url); err != nil {
		t.Fatal(err)
	}
	p.forget()
	time.Sleep(300 * time.Millisecond) // longer than the checked client needs to notice
	if _, err := get(t.Context(), c, url); err == nil {
		t.Fatal("a call over the connection that went silent succeeded; the proxy did not drop anything")
	}
	if n := p.accepted.Load(); n != 1 {
		t.Errorf("%d connections, want the one that went silent", n)
	}
}
