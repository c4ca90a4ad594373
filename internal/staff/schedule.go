package staff

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Schedule is a time of the week in a time zone: "Mon 09:00 Asia/Tokyo".
// The zero Schedule is off.
type Schedule struct {
	Weekday      time.Weekday
	Hour, Minute int
	// Loc is the zone the weekday and time are read in; nil: off.
	Loc *time.Location
}

// DefaultZone is the zone of a schedule that names none: the staff's.
const DefaultZone = "Asia/Tokyo"

var weekdays = map[string]time.Weekday{}

func init() {
	for d := time.Sunday; d <= time.Saturday; d++ {
		weekdays[strings.ToLower(d.String())] = d
		weekdays[strings.ToLower(d.String()[:3])] = d
	}
}

// ParseSchedule reads "<weekday> <HH:MM> [<zone>]": an English weekday,
// whole or its first three letters, in any case; a 24-hour time; an IANA
// zone (default Asia/Tokyo). "Local" is refused: a container's local zone
// is whatever its image says.
func ParseSchedule(s string) (Schedule, error) {
	f := strings.Fields(s)
	if len(f) < 2 || len(f) > 3 {
		return Schedule{}, fmt.Errorf("%q is not a weekday, a time and a zone, such as \"Mon 09:00 Asia/Tokyo\"", s)
	}
	wd, ok := weekdays[strings.ToLower(f[0])]
	if !ok {
		return Schedule{}, fmt.Errorf("%q is not a weekday (Mon, Tue, … or Monday, Tuesday, …)", f[0])
	}
	hh, mm, ok := strings.Cut(f[1], ":")
	h, herr := strconv.Atoi(hh)
	m, merr := strconv.Atoi(mm)
	if !ok || herr != nil || merr != nil || len(mm) != 2 || h < 0 || h > 23 || m < 0 || m > 59 {
		return Schedule{}, fmt.Errorf("%q is not a time from 00:00 to 23:59", f[1])
	}
	zone := DefaultZone
	if len(f) == 3 {
		zone = f[2]
	}
	if zone == "Local" || zone == "" {
		return Schedule{}, errors.New(`name the zone ("Asia/Tokyo", "UTC"), not Local`)
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return Schedule{}, fmt.Errorf("%q is not a time zone (IANA names such as Asia/Tokyo)", zone)
	}
	return Schedule{Weekday: wd, Hour: h, Minute: m, Loc: loc}, nil
}

// IsZero reports whether the schedule is off.
func (s Schedule) IsZero() bool { return s.Loc == nil }

// String writes the schedule as ParseSchedule reads it.
func (s Schedule) String() string {
	if s.IsZero() {
		return "off"
	}
	return fmt.Sprintf("%s %02d:%02d %s", s.Weekday.String()[:3], s.Hour, s.Minute, s.Loc)
}

// Last is the latest time of the schedule at or before now. The time is
// read on the wall clock of the zone, so a zone that moves its clocks
// keeps the hour people expect.
func (s Schedule) Last(now time.Time) time.Time {
	t := now.In(s.Loc)
	back := (int(t.Weekday()) - int(s.Weekday) + 7) % 7
	at := time.Date(t.Year(), t.Month(), t.Day()-back, s.Hour, s.Minute, 0, 0, s.Loc)
	if at.After(now) {
		at = time.Date(t.Year(), t.Month(), t.Day()-back-7, s.Hour, s.Minute, 0, 0, s.Loc)
	}
	return at
}

// Next is the first time of the schedule after now.
func (s Schedule) Next(now time.Time) time.Time {
	last := s.Last(now)
	return time.Date(last.Year(), last.Month(), last.Day()+7, s.Hour, s.Minute, 0, 0, s.Loc)
}

// Week names the ISO week of t in the schedule's zone, "2026-W49": the
// key of a week's digest, so that a schedule changed mid-week still posts
// once that week.
func (s Schedule) Week(t time.Time) string {
	y, w := t.In(s.Loc).ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}
