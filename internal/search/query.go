// The query path, top to bottom: Search (this file) takes a Request and gives Results.
//
//	parse.go     the text typed → query parts (words, "quoted phrases", stop words dropped)
//	plan.go      parts → leaves, glossary and jurisdiction units, typo corrections, did-you-mean
//	evaluate.go  the plan over the postings → a score per entry, with the bonuses and priors
//	collect.go   scores → filtered, ordered hits, facet counts and the page
//	snippet.go   a hit and the query's leaves → its highlighted snippet
//
// The ranking weights are in evaluate.go; docs/search.md ("What happens to a query") describes
// each step.

package search

import (
	"context"
	"time"
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

	// Reach, with a country selected, widens the country selection by the bodies whose rules
	// reach the selected countries (the contract's scope=applies: "eu" for an EU member state,
	// "oecd", "g7", and "int" for international instruments). An international entry that also
	// names countries is admitted only when it names one of the selected countries, as in the
	// case helper (content.Catalog.Reach).
	Reach []string
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
	tm, err := ix.match(ctx, r.Query, sc)
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
