package catalog

import (
	"fmt"
	"strconv"
	"time"
)

// MetaFile holds facts about the knowledge base itself.
const MetaFile = "meta.yaml"

// DefaultMaxFactsAge is how old facts_checked may grow before the lint and
// the server warn: about six months.
const DefaultMaxFactsAge = 180 * 24 * time.Hour

// Meta is the knowledge base's own record (meta.yaml).
type Meta struct {
	// FactsChecked is the day (YYYY-MM-DD) by which every link, status and
	// fact had last been checked against its source. Answers say "as of"
	// its month; no `seen` date may be older than its month, so raising it
	// means checking the facts again.
	FactsChecked string `yaml:"facts_checked" json:"facts_checked"`

	line int // of facts_checked in MetaFile, for warnings
}

// Checked returns FactsChecked as a time (zero if the knowledge base was
// not loaded from a valid meta.yaml).
func (m Meta) Checked() time.Time {
	t, _ := time.Parse(time.DateOnly, m.FactsChecked)
	return t
}

// StaleFacts returns a warning when facts_checked is more than maxAge
// before now: the answers would go on saying "as of" a date long past.
// It is a warning, not a problem: the knowledge base still loads.
func (c *Catalog) StaleFacts(now time.Time, maxAge time.Duration) (Problem, bool) {
	checked := c.Meta.Checked()
	if checked.IsZero() || now.Sub(checked) <= maxAge {
		return Problem{}, false
	}
	days := int(now.Sub(checked).Hours() / 24)
	return Problem{File: MetaFile, Line: c.Meta.line, Msg: fmt.Sprintf(
		"warning: facts_checked %s is %d days old (more than %d): check the links, statuses and facts against their sources, update their seen dates and facts_checked",
		c.Meta.FactsChecked, days, int(maxAge.Hours()/24))}, true
}

// Month writes a date of the knowledge base ("2026-11" or "2026-11-28")
// as a reader says it: 2026年11月, November 2026. Anything else is
// returned as it is.
func Month(date, lang string) string {
	if len(date) < 7 || date[4] != '-' {
		return date
	}
	y, err1 := strconv.Atoi(date[:4])
	m, err2 := strconv.Atoi(date[5:7])
	if err1 != nil || err2 != nil || m < 1 || m > 12 {
		return date
	}
	if lang == "en" {
		return time.Month(m).String() + " " + strconv.Itoa(y)
	}
	return strconv.Itoa(y) + "年" + strconv.Itoa(m) + "月"
}

// seenAt is a seen date and where it was written, for the facts_checked
// rule.
type seenAt struct {
	file string
	line int
	seen string
}

func (l *loader) loadMeta() {
	m := &l.c.Meta
	root, ok := l.decode(MetaFile, m)
	if !ok {
		return
	}
	m.line = pos(root, "facts_checked")
	if m.FactsChecked == "" {
		l.errf(MetaFile, m.line, "missing facts_checked (YYYY-MM-DD): the day the links, statuses and facts were last checked")
		return
	}
	if _, err := time.Parse(time.DateOnly, m.FactsChecked); err != nil {
		l.errf(MetaFile, m.line, "facts_checked %q is not a date (YYYY-MM-DD)", m.FactsChecked)
	}
}

// checkFactsChecked holds facts_checked to the seen dates: the answers say
// every fact was checked as of its month, so none may have been seen
// before it.
func (l *loader) checkFactsChecked() {
	checked := l.c.Meta.Checked()
	if checked.IsZero() {
		return
	}
	month := checked.Format("2006-01")
	for _, s := range l.seen {
		if len(s.seen) >= 7 && s.seen[:7] < month {
			l.errf(s.file, s.line, "seen %s is older than facts_checked %s (%s): check it again and update seen, or keep facts_checked at the oldest check", s.seen, l.c.Meta.FactsChecked, MetaFile)
		}
	}
}
