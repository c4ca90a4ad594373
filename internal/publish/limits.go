package publish

import (
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Limits bound what a knowledge directory may hold. The shipped knowledge
// is about 150 KB in 31 files with YAML nested 7 deep and no aliases, and
// its regression files hold under 600 questions; the defaults leave tens
// of times that and still keep a reload (read, lint, build, score) within
// about 2 s on two cores.
type Limits struct {
	MaxBytes     int64 // all files together
	MaxFileBytes int64 // one file
	MaxFiles     int   // files and directories
	// MaxDepth bounds YAML nesting, aliases followed.
	MaxDepth int
	// MaxAliasNodes bounds the YAML nodes aliases may add to one file
	// beyond those written: a "billion laughs" file of a few hundred
	// bytes expands to billions.
	MaxAliasNodes int64
	// MaxQuestions bounds the questions of all regression files: each is
	// answered twice (new and running version) during a reload.
	MaxQuestions int
}

// DefaultLimits are the limits of a zero Config.Limits.
func DefaultLimits() Limits {
	return Limits{
		MaxBytes:      10 << 20,
		MaxFileBytes:  1 << 20,
		MaxFiles:      1000,
		MaxDepth:      64,
		MaxAliasNodes: 10_000,
		MaxQuestions:  5000,
	}
}

func (l Limits) orDefault() Limits {
	d := DefaultLimits()
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = d.MaxFileBytes
	}
	if l.MaxFiles <= 0 {
		l.MaxFiles = d.MaxFiles
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxAliasNodes <= 0 {
		l.MaxAliasNodes = d.MaxAliasNodes
	}
	if l.MaxQuestions <= 0 {
		l.MaxQuestions = d.MaxQuestions
	}
	return l
}

// limitError is a directory over one of its Limits.
type limitError struct{ msg string }

func (e *limitError) Error() string { return e.msg }

func limitErrorf(format string, args ...any) error {
	return &limitError{fmt.Sprintf(format, args...)}
}

func isLimit(err error) bool {
	var le *limitError
	return errors.As(err, &le)
}

// checkYAML refuses YAML nested deeper than lim.MaxDepth or whose aliases
// expand it by more than lim.MaxAliasNodes, before anything decodes it
// into values (which expands every alias). It parses into yaml.Node, which
// keeps an alias as a reference. Syntax errors are left to the lint, which
// names their line.
func checkYAML(name string, data []byte, lim Limits) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil
	}
	m := measure{lim: lim, seen: map[*yaml.Node]shape{}, open: map[*yaml.Node]bool{}}
	written := countWritten(&doc)
	s, err := m.shape(&doc)
	switch {
	case err != nil:
		return fmt.Errorf("%s: %w", name, err)
	case s.depth > lim.MaxDepth:
		return limitErrorf("%s: YAML nested %d deep; at most %d", name, s.depth, lim.MaxDepth)
	case s.nodes-written > lim.MaxAliasNodes:
		return limitErrorf("%s: aliases expand %d YAML nodes into more than %d (at most %d more than written): a YAML bomb?",
			name, written, s.nodes, lim.MaxAliasNodes)
	}
	return nil
}

// shape is a YAML tree's size and depth with its aliases expanded.
type shape struct {
	nodes int64
	depth int
}

// measure computes shapes once per node (an anchor used a million times
// is measured once) and stops as soon as a limit is passed, so that a
// bomb costs no more than a legitimate file.
type measure struct {
	lim  Limits
	seen map[*yaml.Node]shape
	open map[*yaml.Node]bool // being measured: an alias back to it is a cycle
}

func (m *measure) shape(n *yaml.Node) (shape, error) {
	if s, ok := m.seen[n]; ok {
		return s, nil
	}
	if m.open[n] {
		return shape{}, limitErrorf("an alias refers to the node that contains it (line %d)", n.Line)
	}
	m.open[n] = true
	defer delete(m.open, n)
	s := shape{nodes: 1, depth: 1}
	children := n.Content
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		children = []*yaml.Node{n.Alias}
		s.nodes = 0
	}
	for _, c := range children {
		cs, err := m.shape(c)
		if err != nil {
			return shape{}, err
		}
		s.nodes += cs.nodes
		s.depth = max(s.depth, cs.depth+1)
		// Stop early: past these, the file is refused whatever the rest.
		if s.nodes > 1<<40 || s.depth > m.lim.MaxDepth+1 {
			break
		}
	}
	if n.Kind == yaml.AliasNode {
		s.depth-- // an alias stands in its target's place
	}
	m.seen[n] = s
	return s, nil
}

// countWritten counts the nodes as written, aliases not followed.
func countWritten(n *yaml.Node) int64 {
	c := int64(1)
	for _, k := range n.Content {
		c += countWritten(k)
	}
	return c
}

// refusalLines keeps a long list (lint problems) readable in a log line,
// a JSON status and a Slack post: the first max lines and a count.
func refusalLines(lines []string, max int) string {
	if len(lines) <= max {
		return strings.Join(lines, "\n")
	}
	return strings.Join(lines[:max], "\n") + fmt.Sprintf("\n… and %d more", len(lines)-max)
}
