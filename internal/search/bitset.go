package search

import "math/bits"

// A bitset is a set of document numbers, one bit each. Each facet value has one, made when the
// index is opened (memory.valueBits), so that a query with many hits counts a facet value as the
// population of its bitset and the hits' (a few thousand machine words at 100,000 entries)
// instead of visiting every hit's values.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) add(d int32)           { b[d>>6] |= 1 << (uint(d) & 63) }
func (b bitset) has(d int32) bool      { return b[d>>6]&(1<<(uint(d)&63)) != 0 }
func (b bitset) or(c bitset)           { orInto(b, c) }
func (b bitset) and(c bitset)          { andInto(b, c) }
func (b bitset) andNot(c bitset)       { andNotInto(b, c) }
func (b bitset) copyOf(c bitset)       { copy(b, c) }
func (b bitset) count() int            { return countAnd(b, nil) }
func (b bitset) countAnd(c bitset) int { return countAnd(b, c) }

// fill sets the first n bits.
func (b bitset) fill(n int) {
	for i := range b {
		b[i] = ^uint64(0)
	}
	if r := n & 63; r != 0 {
		b[len(b)-1] = 1<<uint(r) - 1
	}
}

func orInto(b, c bitset) {
	for i := range b {
		b[i] |= c[i]
	}
}

func andInto(b, c bitset) {
	for i := range b {
		b[i] &= c[i]
	}
}

func andNotInto(b, c bitset) {
	for i := range b {
		b[i] &^= c[i]
	}
}

// countAnd is the number of bits set in both b and c (in b, when c is nil).
func countAnd(b, c bitset) int {
	n := 0
	if c == nil {
		for _, w := range b {
			n += bits.OnesCount64(w)
		}
		return n
	}
	c = c[:len(b)]
	for i, w := range b {
		n += bits.OnesCount64(w & c[i])
	}
	return n
}
