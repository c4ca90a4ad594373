package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/supportbot/supportbot/internal/adapter"
	"github.com/supportbot/supportbot/internal/jsonscan"
	"github.com/supportbot/supportbot/internal/jsonstr"
)

// chat.postMessage and chat.update are sent here rather than through
// slack-go, with the same fields and the same errors, as a JSON body
// (Slack's Web API takes JSON for write methods with the token in the
// Authorization header). slack-go builds a form through url.Values.Encode,
// which copies and re-escapes the blocks JSON several times: some 100 KB
// of garbage for every answer, the largest share of the server's
// allocations under load (measured with cmd/loadgen). A form written once
// into a pooled buffer still escaped every byte of the blocks (2 % of the
// server's CPU) and, as a body net/http did not know to be in memory, had
// its headers flushed in a system call of their own and its body copied
// through a 32 KB buffer allocated for each request. The JSON body is
// half the size, written once into a pooled buffer (adapter.Body), and
// sent with its headers in one write.

// field is one field of a request: value, a JSON string, or raw, JSON as
// it is (the blocks, a boolean), when it is set.
type field struct {
	name, value string
	raw         []byte
}

// blockBuffers hold the blocks JSON of a message while it is sent.
var blockBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// appendJSONBody appends the JSON object of the fields to dst.
func appendJSONBody(dst []byte, fields []field) []byte {
	dst = append(dst, '{')
	for i, f := range fields {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = jsonstr.AppendString(dst, f.name)
		dst = append(dst, ':')
		if f.raw != nil {
			dst = append(dst, f.raw...)
		} else {
			dst = jsonstr.AppendString(dst, f.value)
		}
	}
	return append(dst, '}')
}

// postJSON calls a Web API method with a JSON body and the bot token in
// the Authorization header. Its errors are slack-go's, so that retryable
// classifies them alike: *slackapi.RateLimitedError for a 429 with
// Retry-After, slackapi.StatusCodeError for another status than 200,
// slackapi.SlackErrorResponse for "ok": false, or the transport's. It
// returns the ts of the message a call posted or updated.
func (a *Adapter) postJSON(ctx context.Context, method string, fields []field) (ts string, err error) {
	// Written into a pooled buffer that goes back to the pool once the
	// transport is done with it (adapter.Body), and sent as a
	// *bytes.Reader, which net/http writes with the headers.
	body := adapter.NewBody()
	defer body.Release()
	body.Append(func(b []byte) []byte { return appendJSONBody(b, fields) })
	req, err := http.NewRequestWithContext(body.Context(ctx), http.MethodPost, a.apiURL+method, bytes.NewReader(body.Bytes()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Authorization", "Bearer "+a.token)
	res, err := a.http.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		// Read to the end so that the connection is reused: a body closed
		// unread closes it, and under load every 429 dialled a new one.
		_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	}
	if res.StatusCode == http.StatusTooManyRequests && res.Header.Get("Retry-After") != "" {
		secs, err := strconv.ParseInt(res.Header.Get("Retry-After"), 10, 64)
		if err != nil {
			return "", err
		}
		return "", &slackapi.RateLimitedError{RetryAfter: time.Duration(secs) * time.Second}
	}
	if res.StatusCode != http.StatusOK {
		return "", slackapi.StatusCodeError{Code: res.StatusCode, Status: res.Status}
	}
	out, err := readResponse(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return "", err
	}
	if !out.OK {
		return "", slackapi.SlackErrorResponse{Err: out.Error}
	}
	return out.TS, nil
}

// apiResponse is what postJSON reads of a Web API response.
type apiResponse struct {
	OK    bool   `json:"ok"`
	Error string `json:"error"`
	TS    string `json:"ts"`
}

// responseBuffers hold a response body while it is read.
var responseBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// readResponse reads a Web API response as json.NewDecoder(r).Decode
// would: the first JSON value, whatever follows it. The body is read
// whole (so its connection goes back to the pool) and scanned in one
// pass (scanResponse) when it has the plain shape Slack sends; anything
// else goes through encoding/json, over the same bytes and the same read
// error, so the result is always encoding/json's (FuzzReadResponse).
// Decoding through reflection was 1.2 % of the server's CPU under
// cmd/loadgen, for a response of three fields; Slack's own responses
// also carry the whole message posted.
func readResponse(r io.Reader) (apiResponse, error) {
	buf := responseBuffers.Get().(*bytes.Buffer)
	defer responseBuffers.Put(buf)
	buf.Reset()
	_, rerr := buf.ReadFrom(r)
	if out, ok := scanResponse(buf.Bytes()); ok {
		return out, nil
	}
	var src io.Reader = bytes.NewReader(buf.Bytes())
	if rerr != nil {
		src = io.MultiReader(src, failingReader{rerr})
	}
	var out apiResponse
	err := json.NewDecoder(src).Decode(&out)
	return out, err
}

// scanResponse reads a response of the plain shape (jsonscan) in one
// pass; false on anything else, a property given twice included.
func scanResponse(body []byte) (out apiResponse, ok bool) {
	s := jsonscan.New(body)
	var m jsonscan.Seen
	ok = s.Object(func(key []byte) bool {
		switch string(key) {
		case "ok":
			v, ok := s.Bool()
			out.OK = v
			return m.First(0) && ok
		case "error":
			return s.SetStr(&m, 1, &out.Error)
		case "ts":
			return s.SetStr(&m, 2, &out.TS)
		}
		return s.SkipUnknown(key, "ok", "error", "ts")
	})
	return out, ok
}

// failingReader returns its error: what a body whose reading failed
// gave encoding/json after its bytes.
type failingReader struct{ err error }

func (f failingReader) Read([]byte) (int, error) { return 0, f.err }
