package tally

import "time"

// dayString formats day d after 1970-01-01.
func dayString(d int64) string {
	return time.Unix(d*86400, 0).UTC().Format(time.DateOnly)
}
