package search

import (
	"math"
	"slices"
	"sync"
)

// BM25, per field: a term scores idf × tf(k1+1) / (tf + k1(1 - b + b·len/avgLen)) in a field,
// with idf = ln(1 + (N - df + 0.5)/(df + 0.5)) over the N entries and the df entries that have
// the term in any field, len the field's length in terms and avgLen its mean over the entries
// that have the field. (bleve's own BM25 divides by the field's vocabulary per document instead
// of its mean length, which sinks every long entry.)
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// idf is BM25's inverse document frequency of a term in df of the entries.
func (m *memory) idf(df int) float64 {
	n := float64(len(m.docs))
	return math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
}

// tfNorm is BM25's saturated, length-normalised term frequency of tf occurrences in doc's f.
func (m *memory) tfNorm(f field, tf float64, doc int32) float64 {
	avg := m.avgLen[f]
	if avg == 0 {
		avg = 1
	}
	return tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*float64(m.length[f][doc])/avg))
}

// leaf is a word or a phrase: its analysed terms and their positions (a stop word inside a
// phrase leaves a gap: "transfer of knowledge" is transfer at 0, knowledg at 2). Only the
// positions' differences matter.
type leaf struct {
	terms []string
	rel   []uint32
}

// leafOf analyses text into a leaf; ok is false when the analyzer keeps nothing of it.
func (ix *Index) leafOf(text string) (leaf, bool) {
	toks := ix.text.Analyze([]byte(text))
	if len(toks) == 0 {
		return leaf{}, false
	}
	l := leaf{terms: make([]string, len(toks)), rel: make([]uint32, len(toks))}
	for i, t := range toks {
		l.terms[i] = string(t.Term)
		l.rel[i] = uint32(t.Position - toks[0].Position)
	}
	return l, true
}

func termLeaf(t string) leaf { return leaf{terms: []string{t}, rel: []uint32{0}} }

// each calls fn for every document in which l occurs in f, with the number of occurrences
// (for a phrase, of the whole phrase).
func (m *memory) each(l leaf, f field, fn func(doc int32, tf int)) {
	// A phrase of up to eight terms, the usual case, needs no allocation.
	var buf [8]*postingList
	lists := buf[:]
	if len(l.terms) > len(buf) {
		lists = make([]*postingList, len(l.terms))
	}
	for i, t := range l.terms {
		tp := m.terms[t]
		if tp == nil || tp.fields[f] == nil {
			return
		}
		lists[i] = tp.fields[f]
	}
	first := lists[0]
	if len(l.terms) == 1 {
		for i, d := range first.docs {
			fn(d, int(first.off[i+1]-first.off[i]))
		}
		return
	}
	var cbuf [8]int
	cursor := cbuf[:]
	if len(l.terms) > len(cbuf) {
		cursor = make([]int, len(l.terms))
	}
	for i, d := range first.docs {
		found := true
		for k := 1; k < len(l.terms); k++ {
			p := lists[k]
			c := cursor[k]
			for c < len(p.docs) && p.docs[c] < d {
				c++
			}
			cursor[k] = c
			if c == len(p.docs) {
				return
			}
			if p.docs[c] != d {
				found = false
				break
			}
		}
		if !found {
			continue
		}
		tf := 0
		for _, o := range first.occurrences(i) {
			if phraseAt(l, lists[:len(l.terms)], cursor[:len(l.terms)], o) {
				tf++
			}
		}
		if tf > 0 {
			fn(d, tf)
		}
	}
}

// phraseAt reports whether l's other terms follow the first term's occurrence o, in the
// documents at cursor of their lists.
func phraseAt(l leaf, lists []*postingList, cursor []int, o loc) bool {
	for k := 1; k < len(l.terms); k++ {
		want := o.pos + l.rel[k] - l.rel[0]
		hit := false
		for _, x := range lists[k].occurrences(cursor[k]) {
			if x.section == o.section && x.pos == want {
				hit = true
				break
			}
		}
		if !hit {
			return false
		}
	}
	return true
}

// idfSum is a leaf's weight: the sum of its terms' idf (a phrase weighs as its words). It is
// 0 when a term does not occur in f, where the leaf cannot match.
func (m *memory) idfSum(l leaf, f field) float64 {
	s := 0.0
	for _, t := range l.terms {
		tp := m.terms[t]
		if tp == nil || tp.fields[f] == nil {
			return 0
		}
		s += tp.idf
	}
	return s
}

// add adds to acc, for every document in which l occurs in f, w times its BM25 score there.
func (m *memory) add(acc []float64, l leaf, f field, w float64) {
	idf := m.idfSum(l, f)
	if idf == 0 {
		return
	}
	m.each(l, f, func(doc int32, tf int) {
		acc[doc] += w * idf * m.tfNorm(f, float64(tf), doc)
	})
}

// mark sets acc to c for every document in which l occurs in one of fields.
func (m *memory) mark(acc []float64, l leaf, c float64, fields ...field) {
	for _, f := range fields {
		m.each(l, f, func(doc int32, _ int) { acc[doc] = c })
	}
}

// scratch is one search's working memory: arrays of a score per document, reused through a
// pool so that a search allocates little.
type scratch struct {
	n     int
	free  [][]float64
	ints  []int
	hits  []scored
	marks []mark
}

var scratchPool sync.Pool

func getScratch(n int) *scratch {
	if s, ok := scratchPool.Get().(*scratch); ok && s.n == n {
		return s
	}
	return &scratch{n: n}
}

func putScratch(s *scratch) { scratchPool.Put(s) }

// array returns a zeroed array of a float per document.
func (s *scratch) array() []float64 {
	if k := len(s.free); k > 0 {
		a := s.free[k-1]
		s.free = s.free[:k-1]
		clear(a)
		return a
	}
	return make([]float64, s.n)
}

// release gives arrays back for reuse.
func (s *scratch) release(as ...[]float64) {
	for _, a := range as {
		if len(a) > 0 && !slices.ContainsFunc(s.free, func(b []float64) bool { return &b[0] == &a[0] }) {
			s.free = append(s.free, a)
		}
	}
}

// counts returns a zeroed slice of n ints.
func (s *scratch) counts(n int) []int {
	if cap(s.ints) < n {
		s.ints = make([]int, n)
	}
	s.ints = s.ints[:n]
	clear(s.ints)
	return s.ints
}
