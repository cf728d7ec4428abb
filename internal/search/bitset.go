package search

import "math/bits"

// A bitset is a set of document numbers, one bit each. Each facet value has one, made when the
// index is opened (memory.valueBits), so that a query with many hits counts a facet value as the
// population of its bitset and the hits' (a few thousand machine words at 100,000 entries)
// instead of visiting every hit's values.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) add(d int32)      { b[d>>6] |= 1 << (uint(d) & 63) }
func (b bitset) has(d int32) bool { return b[d>>6]&(1<<(uint(d)&63)) != 0 }
func (b bitset) copyOf(c bitset)  { copy(b, c) }

// each calls fn for every document in b from lo to hi (excluded), in order.
func (b bitset) each(lo, hi int32, fn func(d int32)) {
	for w := lo >> 6; w <= (hi-1)>>6 && int(w) < len(b); w++ {
		word := b[w]
		if w == lo>>6 {
			word &= ^uint64(0) << (uint(lo) & 63)
		}
		for word != 0 {
			d := w<<6 | int32(bits.TrailingZeros64(word))
			if d >= hi {
				return
			}
			fn(d)
			word &= word - 1
		}
	}
}

// fill sets the first n bits.
func (b bitset) fill(n int) {
	for i := range b {
		b[i] = ^uint64(0)
	}
	if r := n & 63; r != 0 {
		b[len(b)-1] = 1<<uint(r) - 1
	}
}

func (b bitset) or(c bitset) {
	for i := range b {
		b[i] |= c[i]
	}
}

func (b bitset) and(c bitset) {
	for i := range b {
		b[i] &= c[i]
	}
}

func (b bitset) andNot(c bitset) {
	for i := range b {
		b[i] &^= c[i]
	}
}

// count is the number of bits set.
func (b bitset) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// countAnd is the number of bits set in both b and c.
func (b bitset) countAnd(c bitset) int {
	n := 0
	c = c[:len(b)]
	for i, w := range b {
		n += bits.OnesCount64(w & c[i])
	}
	return n
}
