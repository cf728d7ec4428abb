package search

import (
	"context"
	"fmt"
	"html"
	"strings"
	"time"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/search/query"
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
}

// Results is one page of hits with the facet counts.
type Results struct {
	Total  int
	Hits   []Hit
	Facets map[string][]FacetCount // facet name -> values by count
	Took   time.Duration
}

// Hit is one matching entry. The caller looks up everything else about it by ID.
type Hit struct {
	ID      string
	Score   float64
	Snippet string // HTML: escaped text with <mark> around matched words; "" when none
}

// FacetCount is the number of hits with one facet value.
type FacetCount struct {
	Value string
	Count int
}

// fieldBoosts weigh where a word matches: a title match counts most, then the summary.
var fieldBoosts = []struct {
	field string
	boost float64
}{
	{"title", 4}, {"summary", 2}, {"meta", 1.5}, {"body", 1},
}

// Search runs r. Facet counts are disjunctive: each facet's counts are computed with the other
// facets' selections applied but not its own, so choosing a country keeps the other countries'
// counts visible.
func (ix *Index) Search(ctx context.Context, r Request) (*Results, error) {
	start := time.Now()
	text := ix.textQuery(r.Query)

	main := bleve.NewSearchRequestOptions(withFilters(text, r.Filters, ""), r.Size, (r.Page-1)*r.Size, false)
	main.SortBy(sortOrder(r.Sort, r.Query != ""))
	for _, f := range Facets {
		if len(r.Filters[f]) == 0 {
			main.AddFacet(f, bleve.NewFacetRequest(f, 500))
		}
	}
	if strings.TrimSpace(r.Query) != "" {
		main.Highlight = bleve.NewHighlightWithStyle("html")
		main.Highlight.AddField("body")
		main.Highlight.AddField("summary")
	}
	res, err := ix.idx.SearchInContext(ctx, main)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	out := &Results{Total: int(res.Total), Facets: map[string][]FacetCount{}}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, Hit{ID: h.ID, Score: h.Score, Snippet: snippet(h.Fragments)})
	}
	for name, fr := range res.Facets {
		out.Facets[name] = facetCounts(fr)
	}
	for _, f := range Facets {
		if len(r.Filters[f]) == 0 {
			continue
		}
		req := bleve.NewSearchRequestOptions(withFilters(text, r.Filters, f), 0, 0, false)
		req.AddFacet(f, bleve.NewFacetRequest(f, 500))
		fres, err := ix.idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("facet %s: %w", f, err)
		}
		out.Facets[f] = facetCounts(fres.Facets[f])
	}
	out.Took = time.Since(start)
	return out, nil
}

func facetCounts(fr *bleveFacetResult) []FacetCount {
	var out []FacetCount
	if fr == nil || fr.Terms == nil {
		return out
	}
	for _, t := range fr.Terms.Terms() {
		out = append(out, FacetCount{Value: t.Term, Count: t.Count})
	}
	return out
}

// withFilters joins the text query with every facet's selection except skip's.
func withFilters(text query.Query, filters map[string][]string, skip string) query.Query {
	parts := []query.Query{text}
	for _, f := range Facets {
		vals := filters[f]
		if f == skip || len(vals) == 0 {
			continue
		}
		var any []query.Query
		for _, v := range vals {
			tq := bleve.NewTermQuery(v)
			tq.SetField(f)
			any = append(any, tq)
		}
		parts = append(parts, bleve.NewDisjunctionQuery(any...))
	}
	if len(parts) == 1 {
		return text
	}
	return bleve.NewConjunctionQuery(parts...)
}

// textQuery turns what a user typed into a query: every word (or quoted phrase) must match in
// some field; where it matches decides the score. Words the analyzer drops (stop words) are
// ignored, and a query of nothing but those browses everything.
func (ix *Index) textQuery(q string) query.Query {
	var must []query.Query
	for _, part := range splitQuery(q) {
		if !ix.hasTokens(part.text) {
			continue
		}
		var should []query.Query
		for _, fb := range fieldBoosts {
			if part.phrase {
				pq := bleve.NewMatchPhraseQuery(part.text)
				pq.SetField(fb.field)
				pq.SetBoost(fb.boost)
				should = append(should, pq)
				continue
			}
			mq := bleve.NewMatchQuery(part.text)
			mq.SetField(fb.field)
			mq.SetBoost(fb.boost)
			should = append(should, mq)
		}
		must = append(must, bleve.NewDisjunctionQuery(should...))
	}
	if len(must) == 0 {
		return bleve.NewMatchAllQuery()
	}
	if len(must) > 1 {
		// The whole query as a phrase in the title lifts exact title matches to the top.
		title := bleve.NewMatchPhraseQuery(strings.Trim(q, `" `))
		title.SetField("title")
		title.SetBoost(8)
		return query.NewBooleanQuery(must, []query.Query{title}, nil)
	}
	return must[0]
}

func (ix *Index) hasTokens(s string) bool {
	a := ix.idx.Mapping().AnalyzerNamed(en.AnalyzerName)
	return a != nil && len(a.Analyze([]byte(s))) > 0
}

type queryPart struct {
	text   string
	phrase bool
}

// splitQuery splits q into words and "quoted phrases". Every other character of query syntax
// is just text: no input is an error.
func splitQuery(q string) []queryPart {
	var parts []queryPart
	for i, chunk := range strings.Split(q, `"`) {
		if i%2 == 1 && strings.TrimSpace(chunk) != "" {
			parts = append(parts, queryPart{text: strings.TrimSpace(chunk), phrase: true})
			continue
		}
		for _, w := range strings.FieldsFunc(chunk, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '\''
		}) {
			parts = append(parts, queryPart{text: w})
		}
	}
	return parts
}

func sortOrder(s string, hasQuery bool) []string {
	switch s {
	case SortNewest:
		return []string{"-date", "-_score", "title_sort"}
	case SortTitle:
		return []string{"title_sort", "-date"}
	}
	if !hasQuery {
		return []string{"-date", "title_sort"}
	}
	return []string{"-_score", "-date", "title_sort"}
}

// snippet picks the best highlighted fragment: the body's, else the summary's.
func snippet(fragments map[string][]string) string {
	for _, f := range []string{"body", "summary"} {
		if fs := fragments[f]; len(fs) > 0 && strings.Contains(fs[0], "<mark>") {
			return strings.TrimSpace(fs[0])
		}
	}
	return ""
}

// Excerpt returns the start of text, escaped, cut at a word boundary, for hits without a
// highlighted snippet.
func Excerpt(text string, max int) string {
	if len(text) > max {
		cut := strings.LastIndexByte(text[:max], ' ')
		if cut < max/2 {
			cut = max
		}
		text = strings.TrimRight(text[:cut], ",.;: ") + "…"
	}
	return html.EscapeString(text)
}
