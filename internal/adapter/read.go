package adapter

import (
	"errors"
	"io"
	"net/http"
)

// ReadBody reads a webhook's body, at most limit bytes (more is an
// *http.MaxBytesError, as http.MaxBytesReader gives). When the request
// says its length, the body is read into a slice of that size: io.ReadAll
// starts at 512 bytes and grows, three allocations and copies for a
// webhook of a kilobyte or two.
func ReadBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	body := http.MaxBytesReader(w, r.Body, limit)
	n := r.ContentLength
	if n <= 0 || n > limit {
		return io.ReadAll(body)
	}
	// One byte more, so that EOF is read without growing.
	b := make([]byte, 0, n+1)
	for {
		m, err := body.Read(b[len(b):cap(b)])
		b = b[:len(b)+m]
		if errors.Is(err, io.EOF) {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // longer than it said: grow as io.ReadAll does
		}
	}
}
