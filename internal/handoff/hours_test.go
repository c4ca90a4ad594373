package handoff

import (
	"strings"
	"testing"
	"time"
)

var jst = time.FixedZone("JST", 9*3600)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, jst)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseHours(t *testing.T) {
	tests := []struct {
		spec     string
		holidays []string
		err      string
	}{
		{spec: ""},
		{spec: "always"},
		{spec: "Mon-Fri 09:00-17:00 Asia/Tokyo"},
		{spec: "mon-fri 09:00-12:00, 13:00-17:30; Sat 10:00-12:00 Asia/Tokyo"},
		{spec: "Mon,Wed,Fri 10:00-16:00"},
		{spec: "Sat-Mon 00:00-24:00 UTC"},
		{spec: "Mon-Fri 09:00-17:00", holidays: []string{"2026-12-31", " ", "2027-01-01"}},
		{spec: "Mon-Fri 9:00-17:00"},
		{spec: "Mon-Fri 09:00-17:00 Mars/Olympus", err: "time zone"},
		{spec: "Mon-Fry 09:00-17:00", err: "not a day"},
		{spec: "Mon-Fri", err: "want days and hours"},
		{spec: "Mon-Fri 17:00-09:00", err: "ends before it starts"},
		{spec: "Mon-Fri 09:00-25:00", err: "not a time of day"},
		{spec: "Mon-Fri 09:00-24:01", err: "not a time of day"},
		{spec: "Mon-Fri 09:00-9:5", err: "not a time of day"},
		{spec: "Mon 09:00-12:00,11:00-13:00", err: "overlap"},
		{spec: "Mon-Fri 09:00-17:00", holidays: []string{"31/12/2026"}, err: "want a date"},
		{spec: strings.Repeat("Mon 09:00-10:00;", 100), err: "longer than"},
	}
	for _, tt := range tests {
		_, err := ParseHours(tt.spec, tt.holidays)
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("ParseHours(%q, %q) = %v; want nil", tt.spec, tt.holidays, err)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("ParseHours(%q, %q) = %v; want an error saying %q", tt.spec, tt.holidays, err, tt.err)
		}
	}
}

func TestHours(t *testing.T) {
	h, err := ParseHours("Mon-Fri 09:00-12:00,13:00-17:00 Asia/Tokyo", []string{"2026-12-31"})
	if err != nil {
		t.Fatal(err)
	}
	// 2026-12-04 is a Friday; 2026-12-31 a Thursday, a holiday.
	tests := []struct {
		t     string
		open  bool
		next  string
		after string // after 15 minutes of hours
	}{
		{"2026-12-04 10:00", true, "2026-12-04 10:00", "2026-12-04 10:15"},
		{"2026-12-04 11:50", true, "2026-12-04 11:50", "2026-12-04 13:05"},
		{"2026-12-04 12:30", false, "2026-12-04 13:00", "2026-12-04 13:15"},
		{"2026-12-04 16:50", true, "2026-12-04 16:50", "2026-12-07 09:05"},
		{"2026-12-04 17:00", false, "2026-12-07 09:00", "2026-12-07 09:15"},
		{"2026-12-05 10:00", false, "2026-12-07 09:00", "2026-12-07 09:15"},
		{"2026-12-30 18:00", false, "2027-01-01 09:00", "2027-01-01 09:15"},
		{"2026-12-31 10:00", false, "2027-01-01 09:00", "2027-01-01 09:15"},
		{"2026-12-04 08:59", false, "2026-12-04 09:00", "2026-12-04 09:15"},
	}
	for _, tt := range tests {
		when := at(tt.t)
		if got := h.Open(when); got != tt.open {
			t.Errorf("Open(%s) = %v; want %v", tt.t, got, tt.open)
		}
		if got := h.Next(when); !got.Equal(at(tt.next)) {
			t.Errorf("Next(%s) = %s; want %s", tt.t, got.In(jst).Format("2006-01-02 15:04"), tt.next)
		}
		if got := h.After(when, 15*time.Minute); !got.Equal(at(tt.after)) {
			t.Errorf("After(%s, 15m) = %s; want %s", tt.t, got.In(jst).Format("2006-01-02 15:04"), tt.after)
		}
	}
	var always Hours
	now := at("2026-12-05 03:00")
	if !always.Open(now) || !always.Next(now).Equal(now) || !always.After(now, time.Hour).Equal(now.Add(time.Hour)) || always.String() != "always" {
		t.Errorf("the zero Hours are not always open")
	}
}

// FuzzParseHours: any HANDOFF_HOURS either is refused or gives hours that
// agree with themselves: Next is open and not before, After is not before
// and lands within the hours or at a span's end.
func FuzzParseHours(f *testing.F) {
	for _, s := range []string{"Mon-Fri 09:00-17:00 Asia/Tokyo", "Sat-Mon 00:00-24:00 UTC", "mon 1:00-2:00;tue 23:59-24:00", "always", "", "Mon-Fri 09:00-12:00,13:00-17:00 Europe/London"} {
		f.Add(s, "2026-12-31", int64(1_796_000_000), int64(900))
	}
	f.Fuzz(func(t *testing.T, spec, holiday string, unix, seconds int64) {
		h, err := ParseHours(spec, []string{holiday})
		if err != nil {
			return
		}
		when := time.Unix(unix%(1<<34), 0)
		next := h.Next(when)
		if next.IsZero() {
			return // every day ahead a holiday cannot be written, but the search is bounded anyway
		}
		if next.Before(when) || !h.Open(next) {
			t.Fatalf("%q: Next(%v) = %v: before it, or closed", spec, when, next)
		}
		d := time.Duration(seconds%(7*24*3600)) * time.Second
		if d < 0 {
			d = -d
		}
		if after := h.After(when, d); !after.IsZero() && after.Before(when) {
			t.Fatalf("%q: After(%v, %v) = %v, before it", spec, when, d, after)
		}
	})
}
