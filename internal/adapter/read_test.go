package adapter

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestReadBody(t *testing.T) {
	body := strings.Repeat(`{"events":[]}`, 100)
	for _, c := range []struct {
		name    string
		length  int64 // the request's ContentLength
		limit   int64
		wantErr bool
	}{
		{"length given", int64(len(body)), 1 << 20, false},
		{"length unknown", -1, 1 << 20, false},
		{"length zero", 0, 1 << 20, false},
		{"shorter than the body", 10, 1 << 20, false},
		{"longer than the body", int64(len(body)) + 10, 1 << 20, false},
		{"over the limit", int64(len(body)), 100, true},
		{"over the limit, length unknown", -1, 100, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
			r.ContentLength = c.length
			got, err := ReadBody(httptest.NewRecorder(), r, c.limit)
			if c.wantErr {
				if _, ok := errors.AsType[*http.MaxBytesError](err); !ok {
					t.Errorf("ReadBody = %d bytes, %v; want an *http.MaxBytesError", len(got), err)
				}
				return
			}
			if err != nil || string(got) != body {
				t.Errorf("ReadBody = %d bytes, %v; want the %d bytes of the body", len(got), err, len(body))
			}
		})
	}
}

func BenchmarkReadBody(b *testing.B) {
	body := bytes.Repeat([]byte("x"), 1500)                // a LINE or Slack webhook
	for _, name := range []string{"ReadAll", "ReadBody"} { // benchstat -col /read
		b.Run("read="+name, func(b *testing.B) {
			b.ReportAllocs()
			w := httptest.NewRecorder()
			for b.Loop() {
				r := &http.Request{Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body))}
				var err error
				if name == "ReadAll" {
					_, err = io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
				} else {
					_, err = ReadBody(w, r, 1<<20)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
