// Package catalog loads and validates supportbot's knowledge base against
// the seed document it is derived from. It owns the Initiative type and the
// rules that keep the dataset honest: every seed bullet covered exactly once,
// verbatim text identical to the seed, both languages present, every
// reference resolvable. Nothing else in the project reads the YAML.
package catalog

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

// Catalog is a validated knowledge base.
type Catalog struct {
	Initiatives []*Initiative // in seed order
	Taxonomy    Taxonomy
	Vocabulary  Vocabulary
	Situations  []Situation
	Contacts    []Contact
	// UrgentTopics are the contact topics every answer to trouble shows,
	// NoMatchTopics those of a "nothing fits" answer (contacts.yaml).
	UrgentTopics, NoMatchTopics []string
	Seeds                       map[string]*Seed
	Meta                        Meta
	// Readings are how Japanese names of programmes and organisations
	// are read, in katakana (ReadingsFile); nil without the file.
	Readings map[string]string

	byID   map[string]*Initiative
	orgs   map[string]*Organization
	labels map[string]map[string]Text // list → id → label
}

// Initiative returns the initiative with the given id.
func (c *Catalog) Initiative(id string) (*Initiative, bool) {
	in, ok := c.byID[id]
	return in, ok
}

// Organization returns an organisation by id.
func (c *Catalog) Organization(id string) (*Organization, bool) {
	o, ok := c.orgs[id]
	return o, ok
}

// Audience returns the label of an audience id.
func (c *Catalog) Audience(id string) Text { return c.labels["audiences"][id] }

// Kind returns the label of a kind id.
func (c *Catalog) Kind(id string) Text { return c.labels["kinds"][id] }

// Region returns the label of a region id.
func (c *Catalog) Region(id string) Text { return c.labels["regions"][id] }

// Category returns a category by id.
func (c *Catalog) Category(id string) (Category, bool) {
	for _, cat := range c.Taxonomy.Categories {
		if cat.ID == id {
			return cat, true
		}
	}
	return Category{}, false
}

// InCategory returns the initiatives of a category, in seed order.
func (c *Catalog) InCategory(id string) []*Initiative {
	cat, ok := c.Category(id)
	if !ok {
		return nil
	}
	var out []*Initiative
	for _, in := range c.Initiatives {
		for _, s := range cat.Sections {
			if in.InSection(s) {
				out = append(out, in)
				break
			}
		}
	}
	return out
}

// Problem is one finding of Lint, reported as file:line: message.
type Problem struct {
	File string
	Line int
	Msg  string
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Msg)
}

// Problems is the error Load returns when the knowledge base is invalid.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return "catalog: invalid knowledge base:\n" + strings.Join(lines, "\n")
}

// Load reads and validates a knowledge directory and the seeds it cites.
// Any problem makes it fail with Problems.
func Load(knowledge, seeds fs.FS) (*Catalog, error) {
	c, problems := load(knowledge, seeds)
	if len(problems) > 0 {
		return nil, problems
	}
	return c, nil
}

// Lint reports every problem of a knowledge directory, sorted by file and
// line. An empty result means Load succeeds.
func Lint(knowledge, seeds fs.FS) Problems {
	_, problems := load(knowledge, seeds)
	return problems
}

func load(knowledge, seeds fs.FS) (*Catalog, Problems) {
	l := &loader{knowledge: knowledge, seeds: seeds, c: &Catalog{Seeds: map[string]*Seed{}}}
	l.run()
	sort.SliceStable(l.problems, func(i, j int) bool {
		a, b := l.problems[i], l.problems[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	return l.c, l.problems
}
