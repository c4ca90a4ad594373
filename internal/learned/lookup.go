package learned

import (
	"encoding/binary"
	"math/bits"
	"slices"
)

// lookup finds the models' features at answer time, as their index
// maps do: every question looks up a few dozen features in each model,
// most of them not there, and a map of strings pays for each with a
// probe of its control bytes, the key's header and the key's bytes
// (three reads of memory the last question left cold). A feature of up
// to 15 bytes (a pair of Japanese characters is 8, "t:" and a word of
// four kanji 14: 85 % of the scope model's features, 96 % of the
// programme model's) is its own key here, packed with its length into
// two words of the slot that holds its index, so a probe reads one slot
// and compares no bytes; a longer one is looked up in long.
//
// The shipped models share one lookup, a slot holding a feature's index
// in each: the matcher asks both about most questions, and the second
// finds the slots the first has just read.
type lookup struct {
	slots []slot // open addressing, linear probing, at most 60 % full
	long  map[string][2]int32
}

// The models' places in a slot.
const (
	scopeSide      = 0
	programmesSide = 1
)

// slot holds a packed feature and its index + 1 in each model (0: not
// in that model); a slot with neither is empty.
type slot struct {
	k0, k1 uint64
	i      [2]int32
}

// packed is the most bytes a feature packs into a slot's key.
const packed = 15

// newLookup builds the lookup of the models' indexes (feature → its
// index), by side; either may be nil.
func newLookup(scope, programmes map[string]int32) *lookup {
	n := 0
	for side, index := range [2]map[string]int32{scope, programmes} {
		for f := range index {
			if len(f) <= packed && (side == scopeSide || !has(scope, f)) {
				n++
			}
		}
	}
	// 60 % full: a feature not there (most of a question's) is found
	// missing in 3.6 probes on average, all of them in a cache line or two;
	// half full would take 0.7 MB more for the shipped models, a third 1.6.
	l := &lookup{
		slots: make([]slot, n*5/3+1),
		long:  map[string][2]int32{},
	}
	for side, index := range [2]map[string]int32{scope, programmes} {
		for f, i := range index {
			if len(f) > packed {
				v := l.long[f]
				v[side] = i + 1
				l.long[f] = v
				continue
			}
			s := l.slot(pack(f))
			s.k0, s.k1 = pack(f)
			s.i[side] = i + 1
		}
	}
	return l
}

func has(m map[string]int32, f string) bool {
	_, ok := m[f]
	return ok
}

// pack packs a feature of up to 15 bytes with its length: distinct
// features make distinct keys.
func pack[F string | []byte](f F) (k0, k1 uint64) {
	var b [16]byte
	copy(b[:], f)
	b[15] = byte(len(f))
	return binary.LittleEndian.Uint64(b[:8]), binary.LittleEndian.Uint64(b[8:])
}

// unpack is the feature pack packed.
func unpack(k0, k1 uint64) string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], k0)
	binary.LittleEndian.PutUint64(b[8:], k1)
	return string(b[:b[15]])
}

// slot returns the slot of a packed feature, or the empty slot where it
// would go.
func (l *lookup) slot(k0, k1 uint64) *slot {
	hi, lo := bits.Mul64(k0^0x9e3779b97f4a7c15, k1^0xbf58476d1ce4e5b9)
	// The hash scaled to the table's length (its high 64 bits times the
	// length, over 2⁶⁴), then the slots from there on.
	h, _ := bits.Mul64((hi^lo)*0x94d049bb133111eb, uint64(len(l.slots)))
	for {
		s := &l.slots[h]
		if s.i == [2]int32{} || s.k0 == k0 && s.k1 == k1 {
			return s
		}
		if h++; h == uint64(len(l.slots)) {
			h = 0
		}
	}
}

// find returns the index of feature f in the model on side, and whether
// that model has it.
func (l *lookup) find(f []byte, side int) (int32, bool) { return find(l, f, side) }

// findString is find of a string.
func (l *lookup) findString(f string, side int) (int32, bool) { return find(l, f, side) }

func find[F string | []byte](l *lookup, f F, side int) (int32, bool) {
	var i int32
	if len(f) > packed {
		i = l.long[string(f)][side]
	} else {
		i = l.slot(pack(f)).i[side]
	}
	return i - 1, i != 0
}

// features returns the features of the model on side, in byte order.
func (l *lookup) features(side int) []string {
	var fs []string
	for _, s := range l.slots {
		if s.i[side] != 0 {
			fs = append(fs, unpack(s.k0, s.k1))
		}
	}
	for f, i := range l.long {
		if i[side] != 0 {
			fs = append(fs, f)
		}
	}
	slices.Sort(fs)
	return fs
}
