package line

import "sync"

// members remembers which conversations each group or room has had (one
// per person who asked there), so that all of them can be forgotten when
// the bot leaves. The conversation store keeps state under hashed keys
// and cannot list a group's, hence this index. It is per process and
// bounded: past maxGroups the index starts afresh, past maxMembers a
// group's newest askers are not added; whatever it misses expires with
// STATE_TTL.
type members struct {
	mu         sync.Mutex
	maxGroups  int
	maxMembers int
	m          map[string]map[string]struct{}
}

func newMembers(maxGroups, maxMembers int) *members {
	return &members{maxGroups: maxGroups, maxMembers: maxMembers, m: map[string]map[string]struct{}{}}
}

// add records that conv asked in group.
func (g *members) add(group, conv string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	set, ok := g.m[group]
	if !ok {
		if len(g.m) >= g.maxGroups {
			clear(g.m)
		}
		set = map[string]struct{}{}
		g.m[group] = set
	}
	if len(set) < g.maxMembers {
		set[conv] = struct{}{}
	}
}

// take returns and forgets the conversations of group.
func (g *members) take(group string) []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	set := g.m[group]
	delete(g.m, group)
	out := make([]string, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	return out
}
