package search

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/research-security-atlas/atlas/internal/content"
)

// A search reads the index's postings from memory. When an index is opened, every text field's
// postings (the entries each term occurs in, with its positions and offsets) and field lengths
// are read from the bleve index once: the whole corpus takes about 20 ms and a few megabytes.
// A search then scores in Go, over arrays indexed by document number, instead of building and
// running a tree of bleve searchers: reading one term's postings from the index costs several
// microseconds, and a query needs dozens of them (every word in six fields, with its other forms,
// corrections and glossary equivalents). The bleve index stays what is built, checked and
// swapped on disk, and the one source of what is indexed.

// field is one of the text fields.
type field uint8

const (
	fieldTitle field = iota
	fieldSummary
	fieldTerms
	fieldSections
	fieldTags
	fieldMeta
	fieldOriginal // the title in the document's own language
	fieldNative   // the same, analysed in that language (native.go)
	numFields
)

var fieldNames = [numFields]string{"title", "summary", "terms", "sections", "tags", "meta", "original", "native"}

// loc is one occurrence of a term in a field.
type loc struct {
	pos        uint32 // position among the field value's terms, from 1
	section    uint32 // the value's array position: the section, for sections; 0 elsewhere
	start, end uint32 // byte offsets in the field value
}

// postingList is where one term occurs in one field: the documents, in ascending order, and
// the occurrences in each, in the order of the text.
type postingList struct {
	docs []int32
	off  []uint32 // the occurrences in docs[i] are locs[off[i]:off[i+1]]
	locs []loc
}

func (p *postingList) occurrences(i int) []loc { return p.locs[p.off[i]:p.off[i+1]] }

// find returns the index of doc in p.docs, or -1.
func (p *postingList) find(doc int32) int {
	i, ok := slices.BinarySearch(p.docs, doc)
	if !ok {
		return -1
	}
	return i
}

// termPostings are one term's postings in each field (nil where it does not occur), and its
// BM25 idf over the entries that have it in any field.
type termPostings struct {
	fields [numFields]*postingList
	idf    float64
}

// docInfo is what the search keeps of an entry, by document number: its id, the texts snippets
// are cut from (its summary and its sections as indexed, with their anchors), what it is
// filtered, counted and sorted by, and its ranking prior.
type docInfo struct {
	id        string
	summary   string
	sections  []string
	anchors   []string
	prior     float64
	question  string // a finding's guiding question
	countries []string
	date      string
	titleSort string
	facets    [][]uint16 // per facet (in the order of Facets), the ids of its values
}

// rankInfo is what the passes over a query's matching entries read of each, by document number,
// in an array of its own: read from docInfo (some 200 bytes an entry), 100,000 hits missed the
// cache on nearly every one.
type rankInfo struct {
	prior float64 // see prior
	dates int32   // for a milestone, the entry whose event it dates (its first related); else -1
	kind  rankKind
}

// rankKind is what the bonuses and priors tell apart of an entry's kind.
type rankKind uint8

const (
	rankOther      rankKind = iota
	rankGuidance            // lifted for queries that ask for a document
	rankFramework           // lifted for queries that ask for questions
	rankDefinition          // a glossary term, concept or technology area: gives way in questions
)

func rankKindOf(kind string) rankKind {
	switch {
	case kind == "guidance":
		return rankGuidance
	case kind == "framework":
		return rankFramework
	case questionKindPrior(kind) != 1:
		return rankDefinition
	}
	return rankOther
}

// facetValues interns one facet's values: each value has a small id.
type facetValues struct {
	ids    map[string]uint16
	values []string
}

func (fv *facetValues) id(v string) uint16 {
	if id, ok := fv.ids[v]; ok {
		return id
	}
	id := uint16(len(fv.values))
	fv.ids[v] = id
	fv.values = append(fv.values, v)
	return id
}

// memory is the index as a search reads it.
type memory struct {
	docs         []docInfo
	byID         map[string]int32
	terms        map[string]*termPostings
	lenNorm      [numFields][]float64 // each document's BM25 length normalisation, k1(1 - b + b·len/avgLen)
	facets       []facetValues        // in the order of Facets
	rank         []rankInfo           // by document number
	facetOffset  []int                // facet i's value v is counted at facetOffset[i]+v
	valueBits    []bitset             // at facetOffset[i]+v, the documents with facet i's value v
	valuesPerDoc float64              // the mean number of facet values of a document
	counting     counting             // how collect counts facets; countAuto but in tests
	titles       map[string][]int32   // lower-case title -> documents
	acronyms     map[string][]int32   // analysed acronym a title gives in parentheses -> documents
	// budget is how many more terms, postings and occurrences loading may read (see spend).
	budget int
	// browse holds the document orders of the empty query, made on first use (see orders).
	browse browseOrders
}

// loadBudget bounds what loading reads from an index built from corpus. Every term, posting
// and occurrence stands for at least one byte of the indexed text, so an index that yields more
// is damaged, and its reading stops instead of allocating without bound.
func loadBudget(corpus *content.Corpus) int {
	n := 1024
	for _, e := range corpus.Entries {
		d := newDocument(e)
		for _, t := range append([]string{d.Title, d.Summary, d.Meta, d.Terms, d.Tags}, d.Sections...) {
			n += 3 * (len(t) + 1)
		}
	}
	return n
}

var errOverBudget = errors.New("the index holds more terms than its content has: it is damaged")

// spend takes n from the budget and reports whether any was left.
func (m *memory) spend(n int) bool {
	m.budget -= n
	return m.budget >= 0
}

// loadMemory reads idx's postings and joins them with what corpus says of each entry.
func loadMemory(idx bleve.Index, corpus *content.Corpus) (*memory, error) {
	adv, err := idx.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()

	m := &memory{byID: map[string]int32{}, terms: map[string]*termPostings{}, titles: map[string][]int32{},
		budget: loadBudget(corpus)}
	m.facets = make([]facetValues, len(Facets))
	for i := range m.facets {
		m.facets[i].ids = map[string]uint16{}
	}
	// Document numbers follow the index's own order, so that postings come sorted.
	docOf := map[string]int32{}
	ids, err := r.DocIDReaderAll()
	if err != nil {
		return nil, err
	}
	for {
		iid, err := ids.Next()
		if err != nil {
			ids.Close()
			return nil, err
		}
		if iid == nil {
			break
		}
		ext, err := r.ExternalID(iid)
		if err != nil {
			ids.Close()
			return nil, err
		}
		e := corpus.Get(ext)
		if e == nil {
			ids.Close()
			return nil, fmt.Errorf("index holds %q, which the content does not", ext)
		}
		n := int32(len(m.docs))
		docOf[string(iid)] = n
		m.byID[ext] = n
		m.docs = append(m.docs, m.newDocInfo(e))
		m.rank = append(m.rank, rankInfo{prior: prior(e.Status) * kindPrior(e.Kind), dates: -1, kind: rankKindOf(string(e.Kind))})
		m.titles[m.docs[n].titleSort] = append(m.titles[m.docs[n].titleSort], n)
		if o := strings.ToLower(e.OriginalTitle); o != "" && o != m.docs[n].titleSort {
			m.titles[o] = append(m.titles[o], n)
		}
	}
	ids.Close()
	for n := range m.docs {
		e := corpus.Get(m.docs[n].id)
		if e.Kind == content.Milestone && len(e.Related) > 0 {
			if r, ok := m.byID[e.Related[0]]; ok {
				m.rank[n].dates = r
			}
		}
		// A technology list names the edition it replaces rather than the old one its
		// successor: the old edition gives way as a superseded entry does.
		if e.Supersedes != "" {
			if old, ok := m.byID[e.Supersedes]; ok {
				m.rank[old].prior = min(m.rank[old].prior, supersededPrior)
			}
		}
	}
	m.facetOffset = make([]int, len(Facets)+1)
	for i := range Facets {
		m.facetOffset[i+1] = m.facetOffset[i] + len(m.facets[i].values)
	}
	m.valueBits = make([]bitset, m.facetOffset[len(Facets)])
	for k := range m.valueBits {
		m.valueBits[k] = newBitset(len(m.docs))
	}
	values := 0
	for n := range m.docs {
		for i, vs := range m.docs[n].facets {
			for _, v := range vs {
				m.valueBits[m.facetOffset[i]+int(v)].add(int32(n))
			}
			values += len(vs)
		}
	}
	m.valuesPerDoc = float64(values) / float64(max(len(m.docs), 1))
	for f := range numFields {
		length := make([]float32, len(m.docs)) // each document's field length, in terms
		if err := m.loadField(r, field(f), docOf, length); err != nil {
			return nil, err
		}
		// The mean length over the documents that have the field.
		sum, n := 0.0, 0
		for _, l := range length {
			if l > 0 {
				sum += float64(l)
				n++
			}
		}
		avg := 1.0
		if n > 0 {
			avg = sum / float64(n)
		}
		m.lenNorm[f] = make([]float64, len(m.docs))
		for doc, l := range length {
			m.lenNorm[f][doc] = bm25K1 * (1 - bm25B + bm25B*float64(l)/avg)
		}
	}
	// A term's idf counts the entries that have it anywhere.
	seen := make([]int, len(m.docs))
	k := 0
	for _, tp := range m.terms {
		k++
		n := 0
		for _, p := range tp.fields {
			if p == nil {
				continue
			}
			for _, d := range p.docs {
				if seen[d] != k {
					seen[d] = k
					n++
				}
			}
		}
		tp.idf = m.idf(n)
	}
	return m, nil
}

// loadField reads every term's postings in one field, and each document's length in it into
// length.
func (m *memory) loadField(r index.IndexReader, f field, docOf map[string]int32, length []float32) error {
	dict, err := r.FieldDict(fieldNames[f])
	if err != nil {
		return err
	}
	var terms []string
	for {
		e, err := dict.Next()
		if err != nil {
			dict.Close()
			return err
		}
		if e == nil {
			break
		}
		if !m.spend(1) {
			dict.Close()
			return errOverBudget
		}
		terms = append(terms, e.Term)
	}
	dict.Close()
	ctx := context.Background()
	var tfd index.TermFieldDoc
	for _, term := range terms {
		tfr, err := r.TermFieldReader(ctx, []byte(term), fieldNames[f], true, true, true)
		if err != nil {
			return err
		}
		p := &postingList{off: []uint32{0}}
		sorted := true
		for {
			d, err := tfr.Next(&tfd)
			if err != nil {
				tfr.Close()
				return err
			}
			if d == nil {
				break
			}
			doc, ok := docOf[string(d.ID)]
			if !ok {
				continue
			}
			if !m.spend(1 + len(d.Vectors)) {
				tfr.Close()
				return errOverBudget
			}
			if n := len(p.docs); n > 0 && p.docs[n-1] >= doc {
				sorted = false
			}
			p.docs = append(p.docs, doc)
			for _, v := range d.Vectors {
				l := loc{pos: uint32(v.Pos), start: uint32(v.Start), end: uint32(v.End)}
				if len(v.ArrayPositions) > 0 {
					l.section = uint32(v.ArrayPositions[0])
				}
				p.locs = append(p.locs, l)
			}
			p.off = append(p.off, uint32(len(p.locs)))
			// The norm is 1/sqrt(the field's length in terms), all of its values together.
			if d.Norm > 0 {
				length[doc] = float32(math.Round(1 / (d.Norm * d.Norm)))
			}
		}
		tfr.Close()
		if len(p.docs) == 0 {
			continue
		}
		if !sorted {
			p.sort()
		}
		p.textOrder()
		tp := m.terms[term]
		if tp == nil {
			tp = &termPostings{}
			m.terms[term] = tp
		}
		tp.fields[f] = p
	}
	return nil
}

// textOrder puts each document's occurrences in text order (by section, then position), which
// phraseAt relies on, where the index gave them otherwise.
func (p *postingList) textOrder() {
	before := func(a, b loc) int { return cmp.Or(cmp.Compare(a.section, b.section), cmp.Compare(a.pos, b.pos)) }
	for i := range p.docs {
		if o := p.occurrences(i); !slices.IsSortedFunc(o, before) {
			slices.SortFunc(o, before)
		}
	}
}

// sort orders p by document, for an index whose postings do not follow its document order.
func (p *postingList) sort() {
	idx := make([]int, len(p.docs))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return p.docs[idx[a]] < p.docs[idx[b]] })
	q := postingList{off: []uint32{0}}
	for _, i := range idx {
		q.docs = append(q.docs, p.docs[i])
		q.locs = append(q.locs, p.occurrences(i)...)
		q.off = append(q.off, uint32(len(q.locs)))
	}
	*p = q
}

func (m *memory) newDocInfo(e *content.Entry) docInfo {
	d := newDocument(e)
	di := docInfo{
		id: e.ID, summary: e.Summary, sections: d.Sections, question: e.Question, countries: e.Countries, date: d.Date, titleSort: d.TitleSort,
		facets: make([][]uint16, len(Facets)),
	}
	for _, s := range e.Sections {
		di.anchors = append(di.anchors, s.Anchor)
	}
	for i, f := range Facets {
		for _, v := range e.FacetValues(f) {
			if v == "" || slices.Contains(di.facets[i], m.facets[i].id(v)) {
				continue
			}
			di.facets[i] = append(di.facets[i], m.facets[i].id(v))
		}
	}
	return di
}

// prior is what an entry's score is multiplied by whatever the query: a superseded or withdrawn
// document gives way to the current one.
func prior(status string) float64 {
	switch status {
	case "superseded":
		return supersededPrior
	case "withdrawn":
		return withdrawnPrior
	}
	return 1
}

// kindPrior is what an entry's score is multiplied by for its kind.
func kindPrior(k content.Kind) float64 {
	switch k {
	case content.Concept:
		return conceptPrior
	case content.TechArea:
		return techAreaPrior
	}
	return 1
}

// order returns the comparison of hits for a sort order: the sort's keys, then the id.
func (m *memory) order(sort string, hasQuery bool) func(a, b scored) int {
	byScore := func(a, b scored) int { return cmp.Compare(b.score, a.score) }
	byDate := func(a, b scored) int { return cmp.Compare(m.docs[b.doc].date, m.docs[a.doc].date) }
	byTitle := func(a, b scored) int { return cmp.Compare(m.docs[a.doc].titleSort, m.docs[b.doc].titleSort) }
	byID := func(a, b scored) int { return cmp.Compare(m.docs[a.doc].id, m.docs[b.doc].id) }
	var keys []func(a, b scored) int
	switch {
	case sort == SortNewest:
		keys = []func(a, b scored) int{byDate, byScore, byTitle, byID}
	case sort == SortTitle:
		keys = []func(a, b scored) int{byTitle, byDate, byID}
	case !hasQuery:
		keys = []func(a, b scored) int{byDate, byTitle, byID}
	default:
		keys = []func(a, b scored) int{byScore, byDate, byTitle, byID}
	}
	return func(a, b scored) int {
		for _, k := range keys {
			if c := k(a, b); c != 0 {
				return c
			}
		}
		return 0
	}
}
