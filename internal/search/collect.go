// Stage 4, collect: takes the scores (or none, for the empty query) and a request's filters,
// ids, sort and page, and gives Results: the hits that pass the filters, the disjunctive facet
// counts, the hits ordered (see memory.order) and the page cut, each hit with its snippet.

package search

import (
	"slices"
	"strings"
	"sync"

	"github.com/research-security-atlas/atlas/internal/content"
)

// collect filters the entries tm matches (every entry when tm is nil), counts the facets (an
// entry that fails only one facet's selection counts for that facet), orders the hits and cuts
// the page.
func (ix *Index) collect(tm *textMatch, r Request, sc *scratch) *Results {
	m := ix.mem
	f := ix.filter(r)
	in := m.only(r.IDs)
	var counts []int
	hits := sc.hits[:0]
	total := 0
	var pass bitset // the entries that pass, when the facets are counted by bitsets
	switch {
	case tm == nil && f == nil && in == nil:
		// Browsing everything: every entry is a hit, and the counts are those of every entry,
		// made once (see allCounts).
		counts, total = m.allCounts(), len(m.docs)
	case in == nil && !slices.Contains(r.Reach, "int") && m.countsByBits(tm):
		counts, pass = m.countBits(tm, f, sc)
		total = pass.count()
		if tm != nil {
			for _, n := range tm.scores.on {
				if s := tm.scores.v[n]; s > 0 && pass.has(n) {
					hits = append(hits, scored{n, s})
				}
			}
		}
		sc.hits = hits
	default:
		counts = sc.counts(m.facetOffset[len(Facets)])
		count := func(d *docInfo, only int) {
			for i, vs := range d.facets {
				if only >= 0 && i != only {
					continue
				}
				for _, v := range vs {
					counts[m.facetOffset[i]+int(v)]++
				}
			}
		}
		visit := func(n int32, s float64) {
			if in != nil && !in[n] {
				return
			}
			d := &m.docs[n]
			fails, facet := f.fails(d)
			if fails == 0 && outOfReach(d, r) {
				fails, facet = 1, 0 // it fails the country selection, Facets[0]
			}
			switch fails {
			case 0:
				count(d, -1)
				total++
				if tm != nil {
					hits = append(hits, scored{n, s})
				}
			case 1:
				count(d, facet)
			}
		}
		if tm != nil {
			// Only the entries the query wrote a score for can match.
			for _, n := range tm.scores.on {
				if s := tm.scores.v[n]; s > 0 {
					visit(n, s)
				}
			}
		} else {
			// The empty query needs no list of hits: its page is read off a precomputed order.
			for n := range m.docs {
				visit(int32(n), 1)
			}
		}
		sc.hits = hits
	}
	out := &Results{Total: total, Facets: make(map[string][]FacetCount, len(Facets))}
	nvalues := 0
	for _, c := range counts {
		if c > 0 {
			nvalues++
		}
	}
	all := make([]FacetCount, 0, nvalues) // one allocation for every facet's counts
	for i, name := range Facets {
		from := len(all)
		for v, c := range counts[m.facetOffset[i]:m.facetOffset[i+1]] {
			if c > 0 {
				all = append(all, FacetCount{Value: m.facets[i].values[v], Count: c})
			}
		}
		fcs := all[from:len(all):len(all)]
		slices.SortFunc(fcs, func(a, b FacetCount) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Value, b.Value)
		})
		if len(fcs) == 0 {
			fcs = nil
		}
		out.Facets[name] = fcs[:min(len(fcs), facetSize)]
	}
	from := (r.Page - 1) * r.Size
	if r.Size <= 0 || from < 0 || from >= total {
		return out
	}
	var page []scored
	if tm == nil {
		page = m.browsePage(r.Sort, from, r.Size, func(n int32) bool {
			if pass != nil {
				return pass.has(n)
			}
			if in != nil && !in[n] {
				return false
			}
			fails, _ := f.fails(&m.docs[n])
			return fails == 0 && !outOfReach(&m.docs[n], r)
		})
	} else {
		order := m.order(r.Sort, true)
		page = topK(hits, from+r.Size, order)[from:]
	}
	out.Hits = make([]Hit, len(page))
	for i, h := range page {
		out.Hits[i] = Hit{ID: m.docs[h.doc].id, Score: h.score}
		if tm != nil {
			out.Hits[i].Snippet, out.Hits[i].Anchor = ix.snippet(h.doc, tm.leaves, sc)
		}
	}
	return out
}

// valueSet is the bitset of the entries with the value v of facet, nil when none has it.
func (m *memory) valueSet(facet, v string) bitset {
	i := slices.Index(Facets, facet)
	if i < 0 {
		return nil
	}
	id, ok := m.facets[i].ids[v]
	if !ok {
		return nil
	}
	return m.valueBits[m.facetOffset[i]+int(id)]
}

// counting is how collect counts facets: by the cheaper way for the request, or, to test one
// against the other, always hit by hit or always by bitsets.
type counting uint8

const (
	countAuto counting = iota
	countPerHit
	countByBits
)

// countsByBits reports whether the facets of what tm matches (every entry, when tm is nil) are
// cheaper to count by the values' bitsets than hit by hit: each value's bitset costs a word per
// 64 entries, each hit its number of values.
func (m *memory) countsByBits(tm *textMatch) bool {
	switch m.counting {
	case countPerHit:
		return false
	case countByBits:
		return true
	}
	hits := len(m.docs)
	if tm != nil {
		hits = len(tm.scores.on)
	}
	return float64(hits)*m.valuesPerDoc > float64(len(m.valueBits)*((len(m.docs)+63)/64))
}

// countBits counts the facets as collect does hit by hit, with bitsets: an entry that passes
// every selection counts for every facet, one that fails only facet i's selection for facet i.
// It returns the counts and the entries that pass.
func (m *memory) countBits(tm *textMatch, f filter, sc *scratch) ([]int, bitset) {
	matched := sc.bitset(0, len(m.docs))
	if tm == nil {
		matched.fill(len(m.docs))
	} else {
		clear(matched)
		for _, n := range tm.scores.on {
			if tm.scores.v[n] > 0 {
				matched.add(n)
			}
		}
	}
	pass := sc.bitset(1, len(m.docs))
	pass.copyOf(matched)
	sel := make([]bitset, len(Facets))
	for i, vs := range f {
		if vs == nil {
			continue
		}
		sel[i] = sc.bitset(2+i, len(m.docs))
		clear(sel[i])
		for v, on := range vs {
			if on {
				sel[i].or(m.valueBits[m.facetOffset[i]+v])
			}
		}
		pass.and(sel[i])
	}
	counts := sc.counts(m.facetOffset[len(Facets)])
	onlyFails := sc.bitset(2+len(Facets), len(m.docs))
	for i := range Facets {
		base := pass
		if sel[i] != nil {
			// The entries that fail facet i's selection and no other.
			onlyFails.copyOf(matched)
			onlyFails.andNot(sel[i])
			for j, s := range sel {
				if j != i && s != nil {
					onlyFails.and(s)
				}
			}
			onlyFails.or(pass)
			base = onlyFails
		}
		for k := m.facetOffset[i]; k < m.facetOffset[i+1]; k++ {
			counts[k] = base.countAnd(m.valueBits[k])
		}
	}
	return counts, pass
}

// filter is a request's facet selections: for each facet with a selection (in the order of
// Facets), whether each of its value ids is selected; nil for a facet without one.
type filter [][]bool

func (ix *Index) filter(r Request) filter {
	var f filter
	for i, name := range Facets {
		vals := r.Filters[name]
		if name == "country" && len(vals) > 0 {
			vals = append(slices.Clip(vals), r.Reach...)
		}
		if len(vals) == 0 {
			continue
		}
		if f == nil {
			f = make(filter, len(Facets))
		}
		fv := &ix.mem.facets[i]
		f[i] = make([]bool, len(fv.values))
		for _, v := range vals {
			if id, ok := fv.ids[v]; ok {
				f[i][id] = true
			}
		}
	}
	return f
}

// outOfReach reports whether d passes r's country selection only as an international entry
// ("int" in r.Reach) while naming countries, none of them selected: such an instrument
// concerns the countries it names.
func outOfReach(d *docInfo, r Request) bool {
	if !slices.Contains(r.Reach, "int") || !slices.Contains(d.countries, "int") {
		return false
	}
	names := false
	for _, c := range d.countries {
		switch {
		case slices.Contains(r.Filters["country"], c), c != "int" && slices.Contains(r.Reach, c):
			return false
		case content.CountryName(c) != "" && !content.IsBody(c):
			names = true
		}
	}
	return names
}

// fails returns how many facets' selections d fails, counting up to two, and the last of them.
func (f filter) fails(d *docInfo) (n, facet int) {
	for i, sel := range f {
		if sel == nil {
			continue
		}
		ok := false
		for _, v := range d.facets[i] {
			if sel[v] {
				ok = true
				break
			}
		}
		if !ok {
			n++
			facet = i
			if n == 2 {
				return n, facet
			}
		}
	}
	return n, facet
}

// only is, for each entry, whether ids has it; nil when ids is nil (every entry may match).
func (m *memory) only(ids []string) []bool {
	if ids == nil {
		return nil
	}
	in := make([]bool, len(m.docs))
	for _, id := range ids {
		if d, ok := m.byID[id]; ok {
			in[d] = true
		}
	}
	return in
}

// scored is a hit before it is ordered.
type scored struct {
	doc   int32
	score float64
}

// count is the number of entries tm matches that pass r's filters and ids.
func (ix *Index) count(tm *textMatch, r Request) int {
	f := ix.filter(r)
	in := ix.mem.only(r.IDs)
	n := 0
	for _, d := range tm.scores.on {
		if s := tm.scores.v[d]; s > 0 && (in == nil || in[d]) {
			if fails, _ := f.fails(&ix.mem.docs[d]); fails == 0 && !outOfReach(&ix.mem.docs[d], r) {
				n++
			}
		}
	}
	return n
}

// topK orders the first k hits as a full sort by order would, leaving the rest unordered, and
// returns them: a heap of the k best so far, so that showing 20 hits of 10,000 does not sort
// 10,000. order must be a total order (ties broken by id), as the result is then the same.
func topK[T any](hits []T, k int, order func(a, b T) int) []T {
	if k >= len(hits)/4 {
		slices.SortFunc(hits, order)
		return hits[:min(k, len(hits))]
	}
	// hits[:k] is a heap whose root is the worst of the k best so far.
	worse := func(i, j int) bool { return order(hits[i], hits[j]) > 0 }
	down := func(i, n int) {
		for {
			c := 2*i + 1
			if c >= n {
				return
			}
			if c+1 < n && worse(c+1, c) {
				c++
			}
			if !worse(c, i) {
				return
			}
			hits[i], hits[c] = hits[c], hits[i]
			i = c
		}
	}
	for i := k/2 - 1; i >= 0; i-- {
		down(i, k)
	}
	for j := k; j < len(hits); j++ {
		if order(hits[j], hits[0]) < 0 {
			hits[0], hits[j] = hits[j], hits[0]
			down(0, k)
		}
	}
	top := hits[:k]
	slices.SortFunc(top, order)
	return top
}

// browseOrders are the empty query's orders of every document, made once: newest first (the
// default), and by title.
type browseOrders struct {
	once          sync.Once
	newest, title []int32

	countsOnce sync.Once
	counts     []int // every entry's facet values counted, at facetOffset (see allCounts)
}

// allCounts is the facet counts of every entry, as collect counts the hits of a request without
// a query, filter or ids; made on first use, read-only after.
func (m *memory) allCounts() []int {
	m.browse.countsOnce.Do(func() {
		m.browse.counts = make([]int, m.facetOffset[len(Facets)])
		for n := range m.docs {
			for i, vs := range m.docs[n].facets {
				for _, v := range vs {
					m.browse.counts[m.facetOffset[i]+int(v)]++
				}
			}
		}
	})
	return m.browse.counts
}

// browsePage returns the page of the empty query's hits in sort's order: the documents that
// pass, from the from-th, at most size of them. It reads the precomputed order and stops at the
// page's end.
func (m *memory) browsePage(sort string, from, size int, pass func(int32) bool) []scored {
	m.browse.once.Do(func() {
		all := make([]scored, len(m.docs))
		for n := range all {
			all[n] = scored{int32(n), 1}
		}
		ids := func(o func(a, b scored) int) []int32 {
			slices.SortFunc(all, o)
			out := make([]int32, len(all))
			for i, h := range all {
				out[i] = h.doc
			}
			return out
		}
		m.browse.newest = ids(m.order(SortNewest, false))
		m.browse.title = ids(m.order(SortTitle, false))
	})
	order := m.browse.newest
	if sort == SortTitle {
		order = m.browse.title
	}
	var page []scored
	seen := 0
	for _, n := range order {
		if !pass(n) {
			continue
		}
		if seen >= from {
			page = append(page, scored{n, 1})
			if len(page) == size {
				break
			}
		}
		seen++
	}
	return page
}
