package handoff

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Hours are the staff's hours: spans of the day per weekday in one time
// zone, with holidays off. Outside them a ticket is still opened and the
// person is told when to expect an answer; reminders count only the time
// within them. The zero Hours are always open.
type Hours struct {
	loc      *time.Location
	days     [7][]span // by time.Weekday, in order
	holidays map[string]bool
	spec     string
}

// span is [from, to) in minutes after midnight; to may be 1440.
type span struct{ from, to int }

// DefaultZone is the time zone of HANDOFF_HOURS when it names none.
const DefaultZone = "Asia/Tokyo"

var dayNames = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// maxSpec bounds HANDOFF_HOURS; maxHolidays the dates off.
const (
	maxSpec     = 1000
	maxHolidays = 1000
)

// ParseHours reads HANDOFF_HOURS and HANDOFF_HOLIDAYS. spec is one or
// more rules separated by ";" — days, then spans of the day — and the time
// zone last (DefaultZone when left out):
//
//	Mon-Fri 09:00-17:00 Asia/Tokyo
//	Mon-Fri 09:00-12:00,13:00-17:30; Sat 10:00-12:00 Asia/Tokyo
//	Mon,Wed,Fri 10:00-16:00
//
// Days are Mon … Sun (any case), a range (Mon-Fri, Sat-Mon) or a list; a
// span ends at 24:00 at the latest and after it starts. "" and "always"
// are every day, all day. holidays are dates (2026-12-31) on which the
// staff are off, in the zone of the spec.
func ParseHours(spec string, holidays []string) (Hours, error) {
	if len(spec) > maxSpec {
		return Hours{}, fmt.Errorf("handoff: hours: longer than %d bytes", maxSpec)
	}
	if len(holidays) > maxHolidays {
		return Hours{}, fmt.Errorf("handoff: holidays: more than %d dates", maxHolidays)
	}
	h := Hours{spec: strings.Join(strings.Fields(spec), " ")}
	fields := strings.Fields(spec)
	zone := DefaultZone
	if n := len(fields); n > 0 && !strings.ContainsAny(fields[n-1], ":;,") && !isDays(fields[n-1]) && !strings.EqualFold(fields[n-1], "always") {
		zone, fields = fields[n-1], fields[:n-1]
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return Hours{}, fmt.Errorf("handoff: hours: time zone %q: %w", zone, err)
	}
	h.loc = loc
	rules := strings.Join(fields, " ")
	if rules == "" || strings.EqualFold(rules, "always") {
		for d := range h.days {
			h.days[d] = []span{{0, 24 * 60}}
		}
	} else {
		for _, rule := range strings.Split(rules, ";") {
			if err := h.addRule(strings.TrimSpace(rule)); err != nil {
				return Hours{}, fmt.Errorf("handoff: hours %q: %w", rule, err)
			}
		}
	}
	open := false
	for d := range h.days {
		slices.SortFunc(h.days[d], func(a, b span) int { return a.from - b.from })
		for i := 1; i < len(h.days[d]); i++ {
			if h.days[d][i].from < h.days[d][i-1].to {
				return Hours{}, fmt.Errorf("handoff: hours: spans overlap on %s", time.Weekday(d))
			}
		}
		open = open || len(h.days[d]) > 0
	}
	if !open {
		return Hours{}, errors.New("handoff: hours: no day has hours")
	}
	for _, d := range holidays {
		d = strings.TrimSpace(d)
		if d == "" {
			continue
		}
		day, err := time.ParseInLocation(time.DateOnly, d, loc)
		if err != nil {
			return Hours{}, fmt.Errorf("handoff: holiday %q: want a date such as 2026-12-31", d)
		}
		if h.holidays == nil {
			h.holidays = map[string]bool{}
		}
		h.holidays[day.Format(time.DateOnly)] = true
	}
	return h, nil
}

// isDays reports whether s reads as days (Mon-Fri, Sat, Mon,Wed).
func isDays(s string) bool {
	_, err := parseDays(s)
	return err == nil
}

func (h *Hours) addRule(rule string) error {
	days, times, ok := strings.Cut(rule, " ")
	if !ok || strings.TrimSpace(times) == "" {
		return errors.New("want days and hours, such as Mon-Fri 09:00-17:00")
	}
	ds, err := parseDays(days)
	if err != nil {
		return err
	}
	for _, part := range strings.Split(strings.ReplaceAll(times, " ", ""), ",") {
		from, to, ok := strings.Cut(part, "-")
		if !ok {
			return fmt.Errorf("%q is not a span such as 09:00-17:00", part)
		}
		f, err1 := parseClock(from)
		t, err2 := parseClock(to)
		if err := errors.Join(err1, err2); err != nil {
			return err
		}
		if t <= f {
			return fmt.Errorf("%q ends before it starts", part)
		}
		for _, d := range ds {
			h.days[d] = append(h.days[d], span{f, t})
		}
	}
	return nil
}

// parseDays reads Mon, Mon-Fri (also across the week's end: Sat-Mon) or
// Mon,Wed,Fri.
func parseDays(s string) ([]time.Weekday, error) {
	var out []time.Weekday
	for _, part := range strings.Split(s, ",") {
		from, to, isRange := strings.Cut(part, "-")
		f, ok1 := dayNames[strings.ToLower(from)]
		t, ok2 := f, true
		if isRange {
			t, ok2 = dayNames[strings.ToLower(to)]
		}
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("%q is not a day or days such as Mon-Fri", part)
		}
		for d := f; ; d = (d + 1) % 7 {
			out = append(out, d)
			if d == t {
				break
			}
		}
	}
	return out, nil
}

// parseClock reads HH:MM (00:00 to 24:00) as minutes after midnight.
func parseClock(s string) (int, error) {
	hh, mm, ok := strings.Cut(s, ":")
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi(mm)
	if !ok || err1 != nil || err2 != nil || len(mm) != 2 || len(hh) < 1 || len(hh) > 2 || h < 0 || m < 0 || m > 59 || h > 24 || h == 24 && m != 0 {
		return 0, fmt.Errorf("%q is not a time of day such as 09:00", s)
	}
	return h*60 + m, nil
}

// String is the spec as given, spaces tidied; "always" for the zero Hours.
func (h Hours) String() string {
	if h.loc == nil || h.spec == "" {
		return "always"
	}
	return h.spec
}

// Location is the zone of the hours (UTC for the zero Hours).
func (h Hours) Location() *time.Location {
	if h.loc == nil {
		return time.UTC
	}
	return h.loc
}

// Open reports whether the staff are in at t.
func (h Hours) Open(t time.Time) bool {
	_, ok := h.current(t)
	return ok
}

// current returns the end of the span t falls in.
func (h Hours) current(t time.Time) (end time.Time, ok bool) {
	if h.loc == nil {
		return time.Time{}, true
	}
	lt := t.In(h.loc)
	if h.holidays[lt.Format(time.DateOnly)] {
		return time.Time{}, false
	}
	m := lt.Hour()*60 + lt.Minute()
	for _, s := range h.days[lt.Weekday()] {
		if s.from <= m && m < s.to {
			return h.at(lt, s.to), true
		}
	}
	return time.Time{}, false
}

// at is the instant minutes after midnight on the day of lt.
func (h Hours) at(lt time.Time, minutes int) time.Time {
	y, mo, d := lt.Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, h.loc).Add(time.Duration(minutes) * time.Minute)
}

// searchDays bounds the days Next looks ahead: a year, and the holidays
// on top.
const searchDays = 366 + maxHolidays

// Next is t when the staff are in, else when they are next in; the zero
// time if they never are (every day ahead a holiday, which ParseHours
// cannot make).
func (h Hours) Next(t time.Time) time.Time {
	if h.Open(t) {
		return t
	}
	lt := t.In(h.loc)
	for i := 0; i < searchDays; i++ {
		day := h.at(lt, 0).AddDate(0, 0, i)
		if h.holidays[day.Format(time.DateOnly)] {
			continue
		}
		for _, s := range h.days[day.Weekday()] {
			if start := h.at(day, s.from); start.After(t) {
				return start
			}
		}
	}
	return time.Time{}
}

// After is when d of the staff's hours will have passed since t: a ticket
// opened on Friday at 16:50 with Mon-Fri 09:00-17:00 has had 15 minutes
// of them on Monday at 09:05. The zero time when the hours never come.
func (h Hours) After(t time.Time, d time.Duration) time.Time {
	if h.loc == nil {
		return t.Add(d)
	}
	cursor := t
	for range 4 * searchDays {
		end, ok := h.current(cursor)
		if !ok {
			if cursor = h.Next(cursor); cursor.IsZero() {
				return time.Time{}
			}
			continue
		}
		if left := end.Sub(cursor); d <= left {
			return cursor.Add(d)
		} else {
			d -= left
		}
		cursor = end
	}
	return time.Time{}
}
