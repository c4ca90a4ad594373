package adapter

import (
	"net"
	"net/http"
	"time"
)

// NewHTTPClient is the client for platform APIs: every call has a
// deadline, and connections are reused. Replies go out concurrently (up
// to OUTBOUND_PENDING), so up to 256 idle connections a host are kept:
// with the default 2, or 32, a burst of replies dialled new connections
// and closed them again, 6 % of the server's CPU at 2,000 webhooks a
// second (profiled with cmd/loadgen). Over HTTP/2 (LINE's and Slack's
// APIs) requests share a few connections anyway.
//
// A connection over HTTP/2 that receives nothing for 30 s is pinged, and
// closed when the ping goes unanswered for 10 s or a write makes no
// progress for 10 s: a connection silently dropped on the way (a NAT or
// load balancer forgetting it) would otherwise take every call sent over
// it to its deadline, since HTTP/2 sends all calls to a host over one
// connection, where HTTP/1.1 would have failed one call and dialled anew.
func NewHTTPClient(timeout time.Duration) *http.Client {
	return newHTTPClient(timeout, h2Health{sendPing: 30 * time.Second, ping: 10 * time.Second, write: 10 * time.Second})
}

// h2Health is when an HTTP/2 connection is checked and given up.
type h2Health struct {
	sendPing time.Duration // ping after this long without a frame received
	ping     time.Duration // close when the ping is not answered in this long
	write    time.Duration // close when a write makes no progress for this long
}

func newHTTPClient(timeout time.Duration, h h2Health) *http.Client {
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          512,
			MaxIdleConnsPerHost:   256,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   5 * time.Second,
			ResponseHeaderTimeout: timeout,
			ExpectContinueTimeout: time.Second,
			// A reply (12 KB of Flex JSON, 10–15 KB of Block Kit JSON) goes
			// out in one write with its headers: with the default 4 KB
			// buffer every reply took two or more system calls. (A body
			// net/http does not know to be in memory, anything but a
			// *bytes.Reader, *bytes.Buffer or *strings.Reader, has its
			// headers flushed first and is copied through 32 KB allocated
			// per request.) Each
			// open connection keeps its buffer: 16 MB at most, with every
			// idle connection (MaxIdleConns) kept.
			WriteBufferSize: 32 << 10,
			HTTP2: &http.HTTP2Config{
				SendPingTimeout:  h.sendPing,
				PingTimeout:      h.ping,
				WriteByteTimeout: h.write,
			},
		},
	}
}
