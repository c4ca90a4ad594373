package staff_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/supportbot/supportbot/internal/staff"
)

func TestParseSchedule(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{in: "Mon 09:00 Asia/Tokyo", want: "Mon 09:00 Asia/Tokyo"},
		{in: "monday 9:30", want: "Mon 09:30 Asia/Tokyo"},
		{in: "  FRI   17:05   UTC ", want: "Fri 17:05 UTC"},
		{in: "Sun 00:00 America/New_York", want: "Sun 00:00 America/New_York"},
		{in: "Sat 23:59 Europe/London", want: "Sat 23:59 Europe/London"},
		{in: "", err: "is not a weekday, a time and a zone"},
		{in: "Mon", err: "is not a weekday, a time and a zone"},
		{in: "Mon 09:00 Asia/Tokyo extra", err: "is not a weekday, a time and a zone"},
		{in: "Mo 09:00", err: `"Mo" is not a weekday`},
		{in: "月 09:00", err: "is not a weekday"},
		{in: "Mon 24:00", err: `"24:00" is not a time`},
		{in: "Mon 09:60", err: `"09:60" is not a time`},
		{in: "Mon 9", err: `"9" is not a time`},
		{in: "Mon 09:0", err: `"09:0" is not a time`},
		{in: "Mon -1:00", err: `"-1:00" is not a time`},
		{in: "Mon 09:00 Mars/Olympus", err: `"Mars/Olympus" is not a time zone`},
		{in: "Mon 09:00 Local", err: "not Local"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			s, err := staff.ParseSchedule(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("ParseSchedule(%q) = %v, %v; want an error containing %q", tt.in, s, err, tt.err)
				}
				return
			}
			if err != nil || s.String() != tt.want {
				t.Errorf("ParseSchedule(%q) = %v, %v; want %s", tt.in, s, err, tt.want)
			}
		})
	}
}

func TestScheduleLastNext(t *testing.T) {
	tokyo := mustParse(t, "Mon 09:00 Asia/Tokyo")
	ny := mustParse(t, "Sun 02:30 America/New_York")
	jst := time.FixedZone("JST", 9*3600)
	tests := []struct {
		name       string
		s          staff.Schedule
		now        time.Time
		last, next string // RFC 3339
	}{
		{"just before", tokyo, time.Date(2026, 11, 30, 8, 59, 59, 0, jst), "2026-11-23T09:00:00+09:00", "2026-11-30T09:00:00+09:00"},
		{"on the minute", tokyo, time.Date(2026, 11, 30, 9, 0, 0, 0, jst), "2026-11-30T09:00:00+09:00", "2026-12-07T09:00:00+09:00"},
		{"midweek", tokyo, time.Date(2026, 12, 3, 15, 0, 0, 0, jst), "2026-11-30T09:00:00+09:00", "2026-12-07T09:00:00+09:00"},
		{"Sunday night", tokyo, time.Date(2026, 12, 6, 23, 0, 0, 0, jst), "2026-11-30T09:00:00+09:00", "2026-12-07T09:00:00+09:00"},
		{"given in UTC", tokyo, time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), "2026-11-30T09:00:00+09:00", "2026-12-07T09:00:00+09:00"},
		{"across the year", tokyo, time.Date(2027, 1, 2, 12, 0, 0, 0, jst), "2026-12-28T09:00:00+09:00", "2027-01-04T09:00:00+09:00"},
		// New York skips 02:00–03:00 on 2026-03-08; time.Date reads the
		// missing 02:30 as 01:30 EST: the digest still comes that Sunday.
		{"clocks forward", ny, time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC), "2026-03-08T01:30:00-05:00", "2026-03-15T02:30:00-04:00"},
		{"clocks back", ny, time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC), "2026-11-01T02:30:00-05:00", "2026-11-08T02:30:00-05:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			last, next := tt.s.Last(tt.now), tt.s.Next(tt.now)
			if got := last.Format(time.RFC3339); got != tt.last {
				t.Errorf("%v.Last(%v) = %s; want %s", tt.s, tt.now, got, tt.last)
			}
			if got := next.Format(time.RFC3339); got != tt.next {
				t.Errorf("%v.Next(%v) = %s; want %s", tt.s, tt.now, got, tt.next)
			}
			if last.After(tt.now) || !next.After(tt.now) {
				t.Errorf("Last %v, Next %v do not bracket %v", last, next, tt.now)
			}
		})
	}
}

func TestScheduleWeek(t *testing.T) {
	s := mustParse(t, "Sun 23:30 Asia/Tokyo")
	// Sunday 23:30 in Tokyo is still Sunday there (ISO week 49) though
	// UTC has it on the same Sunday, 14:30; Monday 00:30 in Tokyo is
	// week 50 though UTC still says Sunday.
	for at, want := range map[time.Time]string{
		time.Date(2026, 12, 6, 14, 30, 0, 0, time.UTC): "2026-W49",
		time.Date(2026, 12, 6, 15, 30, 0, 0, time.UTC): "2026-W50",
		time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC):    "2026-W53",
	} {
		if got := s.Week(at); got != want {
			t.Errorf("Week(%v) = %s; want %s", at, got, want)
		}
	}
}

func mustParse(t *testing.T, s string) staff.Schedule {
	t.Helper()
	sch, err := staff.ParseSchedule(s)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func ExampleSchedule() {
	s, err := staff.ParseSchedule("Mon 09:00")
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC) // a Wednesday
	fmt.Println(s)
	fmt.Println("last", s.Last(now).Format("Mon 2006-01-02 15:04 MST"), s.Week(s.Last(now)))
	fmt.Println("next", s.Next(now).Format("Mon 2006-01-02 15:04 MST"))
	// Output:
	// Mon 09:00 Asia/Tokyo
	// last Mon 2026-11-30 09:00 JST 2026-W49
	// next Mon 2026-12-07 09:00 JST
}
