package analysis

import (
	"slices"
	"strings"
)

// trie is a double array (Aoe, 1989) over the bytes of a lexicon's keys:
// the child of node s by byte c is node base(s)+c when that node's check
// is s, so a walk through the question takes two loads a byte and hashes
// nothing. Every key ends in one of the end labels below, bytes that
// valid UTF-8 never holds (keys are folded text and stems, always valid);
// the node an end label leads to holds the key's entry, and the low bits
// of a node's base say which end labels it has, so a walk looks only for
// those.
type trie struct {
	nodes []trieNode
	// lists holds each entry's terms as indexes into the lexicon's terms
	// of its kind, in the order added: entry e's are
	// lists[starts[e]:starts[e+1]].
	starts []int32
	lists  []int32
}

type trieNode struct {
	// base is where the node's children begin, shifted by endBits, with
	// its has* marks in the low bits; for the node an end label leads
	// to, its entry, shifted alike.
	base  int32
	check int32 // the parent; free: -1, the root: -2
}

// The end labels.
const (
	endEN     = 0xFD // the first stem of a Latin term
	endSingle = 0xFE // a Japanese term of one rune, found as a whole word
	endJA     = 0xFF // a Japanese term of two runes or more
)

// The marks in the low bits of a node's base: the node ends a key of
// that kind.
const (
	hasEN = 1 << iota
	hasSingle
	hasJA
	endBits = 3
)

// endKey is key with an end label.
func endKey(key string, label byte) string { return key + string([]byte{label}) }

// endMark is the mark of an end label.
func endMark(label byte) int32 { return 1 << (label - endEN) }

// child returns the node reached from s by byte c, or -1.
func (t *trie) child(s int32, c byte) int32 {
	n := t.nodes[s].base>>endBits + int32(c)
	if uint(n) < uint(len(t.nodes)) && t.nodes[n].check == s {
		return n
	}
	return -1
}

// walk follows key from the root and returns the node it ends at, or -1.
func (t *trie) walk(key string) int32 {
	s := int32(0)
	for i := 0; i < len(key) && s >= 0; i++ {
		s = t.child(s, key[i])
	}
	return s
}

// ends returns the terms of s's key under an end label; s must be marked
// with it.
func (t *trie) ends(s int32, label byte) []int32 {
	e := t.entry(s, label)
	return t.lists[t.starts[e]:t.starts[e+1]]
}

// entry returns the entry of s's key under an end label s is marked with.
func (t *trie) entry(s int32, label byte) int32 {
	return t.nodes[t.nodes[s].base>>endBits+int32(label)].base >> endBits
}

// trieKey is a key of the trie, its end label included, with its terms.
type trieKey struct {
	key   string
	terms []int32
}

// newTrie builds the trie of keys, which it sorts. The keys ending in
// label inherit, besides their own terms, those of the keys with that
// label that begin them: a walk then reports the deepest key it passed.
func newTrie(keys []trieKey, inherit byte) trie {
	slices.SortFunc(keys, func(a, b trieKey) int { return strings.Compare(a.key, b.key) })
	b := newTrieBuilder(keys)
	if len(keys) > 0 {
		b.place(0, 0, len(keys), 0)
	}
	last := len(b.nodes) - 1
	for last > 0 && b.nodes[last].check == -1 {
		last--
	}
	t := trie{nodes: slices.Clone(b.nodes[:last+1]), starts: make([]int32, 0, len(keys)+1)}
	lists := make([][]int32, len(keys))
	n := 0
	for e, k := range keys {
		lists[e] = k.terms
		if k.key[len(k.key)-1] == inherit {
			var terms []int32
			for s, i := int32(0), 0; i < len(k.key)-1; i++ {
				// Inside the key: every node on its way is there.
				if s = t.child(s, k.key[i]); t.nodes[s].base&endMark(inherit) != 0 && i < len(k.key)-2 {
					terms = append(terms, keys[t.entry(s, inherit)].terms...)
				}
			}
			if terms != nil {
				lists[e] = append(terms, k.terms...)
				slices.Sort(lists[e])
			}
		}
		n += len(lists[e])
	}
	t.lists = make([]int32, 0, n)
	for _, l := range lists {
		t.starts = append(t.starts, int32(len(t.lists)))
		t.lists = append(t.lists, l...)
	}
	t.starts = append(t.starts, int32(len(t.lists)))
	return t
}

type trieBuilder struct {
	keys  []trieKey // sorted
	nodes []trieNode
	// The free nodes tried for a first child, in a list: next and prev
	// link them, -1 ends it. A node tried in vain triesPerNode times
	// leaves the list (it stays free for other children): otherwise
	// every search would walk the holes no node's children fit around,
	// and building would take time growing with the square of the keys.
	next, prev []int32
	head, tail int32
	tries      []uint8 // per node, the times it was tried in vain
	listed     []bool  // per node, whether it is in the list
	groups     []trieGroup
}

// triesPerNode is how often a free node is tried for a first child
// before it leaves the list.
const triesPerNode = 16

func newTrieBuilder(keys []trieKey) *trieBuilder {
	// A node a byte of a key at most, and some room.
	n := 512
	for _, k := range keys {
		n += len(k.key)
	}
	b := &trieBuilder{keys: keys, nodes: make([]trieNode, 1, n), next: make([]int32, 1, n), prev: make([]int32, 1, n), head: -1, tail: -1,
		tries: make([]uint8, 1, n), listed: make([]bool, 1, n)}
	b.nodes[0].check = -2
	b.next[0], b.prev[0] = -1, -1
	return b
}

// trieGroup is the keys of a node that go on by one byte.
type trieGroup struct {
	label  byte
	lo, hi int
}

// place lays out the children of node s, which holds keys[lo:hi], all
// sharing their first depth bytes, and the nodes below them.
func (b *trieBuilder) place(s int32, lo, hi, depth int) {
	// The groups go on a stack shared by the whole walk: a slice per
	// node was most of the allocations of building.
	first := len(b.groups)
	for i := lo; i < hi; {
		c := b.keys[i].key[depth]
		j := i + 1
		for j < hi && b.keys[j].key[depth] == c {
			j++
		}
		b.groups = append(b.groups, trieGroup{c, i, j})
		i = j
	}
	last := len(b.groups)
	base := b.base(b.groups[first:last])
	for _, g := range b.groups[first:last] {
		b.take(int32(base + int(g.label)))
		b.nodes[base+int(g.label)].check = s
	}
	marks := int32(0)
	for k := first; k < last; k++ {
		g := b.groups[k] // by index: the nodes below grow the stack
		n := base + int(g.label)
		if g.label >= endEN {
			// An end label is a key's last byte, and keys are unique.
			b.nodes[n].base = int32(g.lo) << endBits
			marks |= endMark(g.label)
			continue
		}
		b.place(int32(n), g.lo, g.hi, depth+1)
	}
	b.nodes[s].base = int32(base)<<endBits | marks
	b.groups = b.groups[:first]
}

// base returns the first base at which every group's node is free,
// trying the free nodes in turn for the first group's and growing the
// array as needed.
func (b *trieBuilder) base(groups []trieGroup) int {
	first := int32(groups[0].label)
	for p := b.head; ; {
		if p < 0 {
			p = int32(len(b.nodes))
			b.grow(len(b.nodes) + 256)
		}
		if base := int(p - first); base >= 1 {
			b.grow(base + 256)
			free := true
			for _, g := range groups[1:] {
				if b.nodes[base+int(g.label)].check != -1 {
					free = false
					break
				}
			}
			if free {
				return base
			}
		}
		next := b.next[p] // after growing, which may have lengthened the list
		if b.tries[p]++; b.tries[p] == triesPerNode {
			b.take(p)
		}
		p = next
	}
}

// grow makes the array n nodes long, the new ones free.
func (b *trieBuilder) grow(n int) {
	for i := int32(len(b.nodes)); int(i) < n; i++ {
		b.nodes = append(b.nodes, trieNode{check: -1})
		b.next = append(b.next, -1)
		b.prev = append(b.prev, b.tail)
		b.tries = append(b.tries, 0)
		b.listed = append(b.listed, true)
		if b.tail >= 0 {
			b.next[b.tail] = i
		} else {
			b.head = i
		}
		b.tail = i
	}
}

// take removes node i from the free list, if it is there.
func (b *trieBuilder) take(i int32) {
	if !b.listed[i] {
		return
	}
	b.listed[i] = false
	if p := b.prev[i]; p >= 0 {
		b.next[p] = b.next[i]
	} else {
		b.head = b.next[i]
	}
	if n := b.next[i]; n >= 0 {
		b.prev[n] = b.prev[i]
	} else {
		b.tail = b.prev[i]
	}
}
