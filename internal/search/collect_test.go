package search

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestTopK checks that the heap selection gives the first k hits of a full sort, ties
// included, for every k.
func TestTopK(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	order := func(a, b scored) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.doc, b.doc))
	}
	for _, n := range []int{0, 1, 7, 100, 1000} {
		hits := make([]scored, n)
		for i := range hits {
			hits[i] = scored{int32(i), float64(r.IntN(10))} // many ties
		}
		r.Shuffle(n, func(i, j int) { hits[i], hits[j] = hits[j], hits[i] })
		want := slices.Clone(hits)
		slices.SortFunc(want, order)
		for _, k := range []int{1, 3, 20, 60, n} {
			got := topK(slices.Clone(hits), k, order)
			if w := want[:min(k, n)]; !slices.Equal(got, w) {
				t.Errorf("n=%d k=%d: got %v, want %v", n, k, got, w)
			}
		}
	}
}
