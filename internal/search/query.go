package search

import (
	"context"
	"html"
	"slices"
	"strings"
	"time"

	"github.com/research-security-atlas/atlas/internal/content"
)

// Sort orders.
const (
	SortRelevance = "relevance"
	SortNewest    = "newest"
	SortTitle     = "title"
)

// Request is a validated search: the caller has checked lengths and vocabularies.
type Request struct {
	Query   string
	Filters map[string][]string // facet name -> selected values (OR within, AND across)
	Sort    string
	Page    int // from 1
	Size    int

	// IDs, when not nil, limits the request to these entries: any other entry neither matches
	// nor counts in the facets. An empty, non-nil IDs matches nothing. Filters that are not
	// facets of the index (a technology area, say) are resolved to ids by the caller.
	IDs []string
}

// Results is one page of hits with the facet counts.
type Results struct {
	Total  int
	Hits   []Hit
	Facets map[string][]FacetCount // facet name -> values by count
	Took   time.Duration

	// Suggestion is set when the query found nothing: the nearest query that finds something
	// with the same filters (each word the corpus does not know replaced by the nearest word it
	// does, or left out), and SuggestionTotal is how many hits it finds. "" and 0 otherwise.
	Suggestion      string
	SuggestionTotal int

	// CommonWordsOnly is set when the query has words but only ones too common to search for
	// ("how does the"): nothing is searched and Total is 0, so that the caller can say so
	// rather than list the whole corpus. A query with no words at all browses everything.
	CommonWordsOnly bool
}

// Hit is one matching entry. The caller looks up everything else about it by ID.
type Hit struct {
	ID      string
	Score   float64
	Snippet string // HTML: escaped text with <mark> around matched words; "" when none
	// Anchor is the id of the section of the entry the snippet comes from, for linking to
	// /docs/{id}#{anchor}; "" when the snippet comes from the summary or from the text before
	// the first heading, or there is no snippet.
	Anchor string
}

// FacetCount is the number of hits with one facet value.
type FacetCount struct {
	Value string
	Count int
}

// fieldBoosts weigh where a word matches: in the title, the summary, a country's national
// terms or a glossary entry's synonyms (terms), the body's sections, the entry's theme, type
// and guiding-question labels (tags), its issuer and country names (meta), or its title in the
// document's own language (original), for queries in that language.
var fieldBoosts = [numFields]float64{
	fieldTitle: 3, fieldSummary: 2, fieldTerms: 1, fieldSections: 0.85, fieldTags: 0.75, fieldMeta: 0.1,
	fieldOriginal: 2,
}

// Ranking weights, tuned against testdata/judgments.json (see docs/search.md).
const (
	textScale    = 0.25 // the units' BM25 sum, per unit of the query's weight (see textMatch)
	phraseScale  = 0.4  // a glossary term's words found together, on top of the words alone
	synonymScale = 0.3  // an equivalent glossary term, relative to the term as typed
	formScale    = 0.75 // another form of a word (definition for define)
	fuzzyScale   = 0.3  // a corpus word one or two letters from a misspelt word

	// A jurisdiction named in the query: its entries score jurisdictionScale times the name's
	// weight for it (divided among the jurisdictions an entry covers), about what a word in
	// the title and the summary scores.
	jurisdictionScale = 10.0

	// Fixed bonuses, added to the scaled text score (a few points for a good match).
	exactTitleBonus  = 5.0  // the whole query is the title
	titlePhraseBonus = 0.25 // the whole query is a phrase of the title
	titleWordsBonus  = 0.3  // every word of the query is in the title (shared by rarity)
	pairBonus        = 0.05 // two neighbouring query words side by side, anywhere
	titlePairBonus   = 0.4  // two neighbouring query words side by side in the title (by rarity)
	guidanceBonus    = 0.1  // guidance, for queries that name a kind of document
	typeBonus        = 0.15 // guidance of the type the query names
	typedTermBonus   = 0.25 // a glossary term as typed rather than an equivalent
	acronymBonus     = 1.0  // a word is the acronym in the title's parentheses (by rarity)
	// A query that covers at least questionCoverage of its weight with the words of one of the
	// workshop's guiding questions asks that question: the findings on it get questionBonus
	// times the share covered.
	questionCoverage = 0.5
	questionBonus    = 0.6

	// Priors, by which an entry's score is multiplied (see prior).
	supersededPrior = 0.8
	withdrawnPrior  = 0.6
	// Question concepts and technology areas are short definitional pages, and a concept's
	// body lists the titles of the frameworks that ask about it: they give way to the
	// documents on the same thing.
	conceptPrior  = 0.8
	techAreaPrior = 0.8
	// A milestone scores at most this share of the entry it dates, when both match.
	milestoneShare = 0.7
	// In a question, definitions (glossary terms, question concepts, technology areas) give way
	// to the documents and findings that answer it.
	questionDefinitionPrior = 0.8
)

const (
	maxAlternatives = 8   // equivalent terms added per glossary term in a query
	maxConcepts     = 4   // glossary terms expanded per query
	maxFuzzy        = 3   // corpus words tried per misspelt word
	maxForms        = 3   // other forms tried per word
	maxPairs        = 6   // neighbouring word pairs given a proximity bonus
	maxParts        = 16  // words and phrases of a query that count
	fuzzyMaxDF      = 1   // a word in more entries than this is taken as meant
	facetSize       = 500 // values listed per facet
)

// documentWords are words with which people ask for a document rather than a statement, each
// with the types of guidance it names (none for a word that names no one type). A query with one
// of them lifts guidance over findings, and entries of the types named a little more.
var documentWords = map[string][]string{
	"guideline": {"guideline"}, "guidelines": {"guideline"}, "guidance": {"guideline"},
	"manual": {"guideline"}, "handbook": {"guideline"},
	"framework": {"framework"}, "frameworks": {"framework"},
	"toolkit": {"toolkit"}, "toolkits": {"toolkit"}, "tool": {"toolkit", "self-assessment"},
	"tools": {"toolkit", "self-assessment"}, "self-assessment": {"self-assessment"},
	"checklist": {"checklist"}, "checklists": {"checklist"},
	"law": {"legislation"}, "laws": {"legislation"}, "act": {"legislation"}, "acts": {"legislation"},
	"legislation": {"legislation"}, "bill": {"legislation"}, "regulation": {"legislation"},
	"portal": {"portal"}, "portals": {"portal"}, "website": {"portal"}, "database": {"portal"},
	"report": {"report"}, "reports": {"report"}, "paper": {"report"},
	"strategy": {"strategy"}, "strategies": {"strategy"},
	"recommendation": {"recommendation"}, "recommendations": {"recommendation"},
	"principles": {"principles"}, "statement": {"statement"},
	"program": {"programme"}, "programs": {"programme"},
	"training": {"training"}, "course": {"training"}, "courses": {"training"}, "modules": {"training"},
	"policy": nil, "policies": nil, "order": nil, "directive": nil, "memorandum": nil, "scheme": nil,
	"list": nil, "lists": nil,
}

// Search runs r. Facet counts are disjunctive: each facet's counts are computed with the other
// facets' selections applied but not its own, so choosing a country keeps the other countries'
// counts visible. The hits and every facet's counts come from one pass over the entries the
// text matches.
func (ix *Index) Search(ctx context.Context, r Request) (*Results, error) {
	start := time.Now()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sc := getScratch(len(ix.mem.docs))
	defer putScratch(sc)
	tm, err := ix.textMatch(ctx, r.Query, sc)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if tm == nil && len(splitQuery(r.Query)) > 0 {
		return &Results{Facets: map[string][]FacetCount{}, CommonWordsOnly: true, Took: time.Since(start)}, nil
	}
	out := ix.collect(tm, r, sc)
	if tm != nil {
		sc.release(tm.scores)
		if out.Total == 0 {
			ix.didYouMean(ctx, r, out, sc)
		}
	}
	// A suggestion cut short by ctx would be wrong; the whole answer is then late anyway.
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out.Took = time.Since(start)
	return out, nil
}

// filter is a request's facet selections: for each facet with a selection (in the order of
// Facets), whether each of its value ids is selected; nil for a facet without one.
type filter [][]bool

func (ix *Index) filter(filters map[string][]string) filter {
	var f filter
	for i, name := range Facets {
		vals := filters[name]
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

// scored is a hit before it is ordered.
type scored struct {
	doc   int32
	score float64
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

// count is the number of entries tm matches that pass r's filters and ids.
func (ix *Index) count(tm *textMatch, r Request) int {
	f := ix.filter(r.Filters)
	in := ix.mem.only(r.IDs)
	n := 0
	for d, s := range tm.scores {
		if s > 0 && (in == nil || in[d]) {
			if fails, _ := f.fails(&ix.mem.docs[d]); fails == 0 {
				n++
			}
		}
	}
	return n
}

// collect filters the entries tm matches (every entry when tm is nil), counts the facets (an
// entry that fails only one facet's selection counts for that facet), orders the hits and cuts
// the page.
func (ix *Index) collect(tm *textMatch, r Request, sc *scratch) *Results {
	m := ix.mem
	f := ix.filter(r.Filters)
	in := m.only(r.IDs)
	counts := sc.counts(m.facetOffset[len(Facets)])
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
	hits := sc.hits[:0]
	for n := range m.docs {
		if in != nil && !in[n] {
			continue
		}
		s := 1.0
		if tm != nil {
			if s = tm.scores[n]; s <= 0 {
				continue
			}
		}
		d := &m.docs[n]
		switch fails, facet := f.fails(d); fails {
		case 0:
			count(d, -1)
			hits = append(hits, scored{int32(n), s})
		case 1:
			count(d, facet)
		}
	}
	sc.hits = hits
	out := &Results{Total: len(hits), Facets: make(map[string][]FacetCount, len(Facets))}
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
	if r.Size <= 0 || from < 0 || from >= len(hits) {
		return out
	}
	order := m.order(r.Sort, tm != nil || strings.TrimSpace(r.Query) != "")
	slices.SortFunc(hits, order)
	page := hits[from:min(from+r.Size, len(hits))]
	out.Hits = make([]Hit, len(page))
	for i, h := range page {
		out.Hits[i] = Hit{ID: m.docs[h.doc].id, Score: h.score}
		if tm != nil {
			out.Hits[i].Snippet, out.Hits[i].Anchor = ix.snippet(h.doc, tm.leaves, sc)
		}
	}
	return out
}

// Excerpt returns the start of text, escaped, cut at a word boundary, for hits without a
// highlighted snippet.
func Excerpt(text string, max int) string {
	return html.EscapeString(content.Shorten(text, max))
}
