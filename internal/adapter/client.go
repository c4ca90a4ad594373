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
func NewHTTPClient(timeout time.Duration) *http.Client {
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
		},
	}
}
