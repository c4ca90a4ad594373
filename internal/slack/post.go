package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	slackapi "github.com/slack-go/slack"
)

// chat.postMessage is sent here rather than through slack-go, with the
// same form fields and the same errors. slack-go builds the form through
// url.Values.Encode, which copies and re-escapes the blocks JSON several
// times: some 100 KB of garbage for every answer, the largest share of
// the server's allocations under load, and the garbage collector's work
// grew with it until acknowledgements queued behind it (measured with
// cmd/loadgen). Here the form is written once into a pooled buffer.

// formField is one field of a form-encoded request: value, or raw when
// it is set.
type formField struct {
	name, value string
	raw         []byte
}

// formBuffers hold request bodies; a body goes back when the transport
// closes it, which may be after Do returns.
var formBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// pooledBody is a request body from formBuffers.
type pooledBody struct {
	*bytes.Reader
	buf  *bytes.Buffer
	once sync.Once
}

func (b *pooledBody) Close() error {
	b.once.Do(func() { formBuffers.Put(b.buf) })
	return nil
}

// postForm calls a Web API method with a form-encoded body and the bot
// token in the Authorization header. Its errors are slack-go's, so that
// retryable classifies them alike: *slackapi.RateLimitedError for a 429
// with Retry-After, slackapi.StatusCodeError for another status than
// 200, slackapi.SlackErrorResponse for "ok": false, or the transport's.
// It returns the ts of the message a call posted or updated.
func (a *Adapter) postForm(ctx context.Context, method string, fields []formField) (ts string, err error) {
	buf := formBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	for i, f := range fields {
		if i > 0 {
			buf.WriteByte('&')
		}
		buf.WriteString(url.QueryEscape(f.name))
		buf.WriteByte('=')
		if f.raw != nil {
			appendQueryEscape(buf, f.raw)
		} else {
			appendQueryEscape(buf, f.value)
		}
	}
	body := &pooledBody{Reader: bytes.NewReader(buf.Bytes()), buf: buf}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.apiURL+method, body)
	if err != nil {
		body.Close()
		return "", err
	}
	req.ContentLength = int64(buf.Len())
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+a.token)
	res, err := a.http.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	if res.StatusCode == http.StatusTooManyRequests && res.Header.Get("Retry-After") != "" {
		secs, err := strconv.ParseInt(res.Header.Get("Retry-After"), 10, 64)
		if err != nil {
			return "", err
		}
		return "", &slackapi.RateLimitedError{RetryAfter: time.Duration(secs) * time.Second}
	}
	if res.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10)) // so the connection is reused
		return "", slackapi.StatusCodeError{Code: res.StatusCode, Status: res.Status}
	}
	var out struct {
		OK    bool   `json:"ok"`
		Error string `json:"error"`
		TS    string `json:"ts"`
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(&out); err != nil {
		return "", err
	}
	if !out.OK {
		return "", slackapi.SlackErrorResponse{Err: out.Error}
	}
	return out.TS, nil
}

// appendQueryEscape writes s escaped as url.QueryEscape does, without the
// intermediate string, appending to the buffer's free space (grown once
// for the worst case, every byte escaped) rather than a byte at a time
// through the buffer's methods.
func appendQueryEscape[S string | []byte](buf *bytes.Buffer, s S) {
	const hex = "0123456789ABCDEF"
	buf.Grow(3 * len(s))
	dst := buf.AvailableBuffer()
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case unreserved[c]:
			dst = append(dst, c)
		case c == ' ':
			dst = append(dst, '+')
		default:
			dst = append(dst, '%', hex[c>>4], hex[c&15])
		}
	}
	buf.Write(dst)
}

// unreserved marks the bytes url.QueryEscape leaves as they are.
var unreserved = func() (t [256]bool) {
	for c := range 256 {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~'
	}
	return t
}()
