package adapter

import (
	"context"
	"net/http/httptrace"
	"sync"
	"sync/atomic"
)

// Body is a request body (a LINE reply, a Slack post: 10–15 KB of JSON)
// kept in a pooled buffer and handed back to the pool once the transport
// is done with it. A body copied into a slice of its own for every post
// was about 15 % of the bytes the server allocated under cmd/loadgen,
// the largest share outside the engine.
//
// The transport may read a body after Do returns (an HTTP/1.1 connection
// still writing when the response came, an HTTP/2 stream writing beside
// its response), and reads it again for a retry of its own, so the
// buffer goes back only when the owner has released it (after the last
// Do returned) and every attempt that got a connection has written its
// request: the context of each call carries a trace (Context) that counts
// connections got (GotConn) against requests written (WroteRequest,
// called once the body is read, whether the write failed or not). An
// attempt that got a connection and never wrote leaves the count above
// zero: that buffer is left to the collector, never reused.
//
// Pass the bytes as a *bytes.Reader (http.NewRequest does): net/http
// writes a body it knows to be in memory with its headers, in one
// system call, and any other type of body after flushing the headers.
type Body struct {
	buf   []byte
	refs  atomic.Int64
	trace *httptrace.ClientTrace
}

// bodies are Bodies whose buffers are free.
var bodies sync.Pool

// maxPooledBody bounds the buffers kept: an odd large body is left to the
// collector.
const maxPooledBody = 256 << 10

// NewBody returns an empty body, owned by the caller until Release.
func NewBody() *Body {
	b, _ := bodies.Get().(*Body)
	if b == nil {
		b = &Body{buf: make([]byte, 0, 16<<10)}
		b.trace = &httptrace.ClientTrace{
			GotConn:      func(httptrace.GotConnInfo) { b.refs.Add(1) },
			WroteRequest: func(httptrace.WroteRequestInfo) { b.unref() },
		}
	}
	b.buf = b.buf[:0]
	b.refs.Store(1)
	return b
}

// Bytes is the body. They must not be changed once a request with them
// has been sent.
func (b *Body) Bytes() []byte { return b.buf }

// Append appends to the body with f (an append-style encoder) before any
// request is sent.
func (b *Body) Append(f func([]byte) []byte) { b.buf = f(b.buf) }

// Context returns ctx with the trace that counts the attempts of a call
// sending this body; every request made with the bytes must carry it.
func (b *Body) Context(ctx context.Context) context.Context {
	return httptrace.WithClientTrace(ctx, b.trace)
}

// Release gives up the owner's hold, after the last Do with the body has
// returned; the buffer goes back to the pool once no transport holds it.
func (b *Body) Release() { b.unref() }

func (b *Body) unref() {
	if b.refs.Add(-1) == 0 && cap(b.buf) <= maxPooledBody {
		bodies.Put(b)
	}
}
