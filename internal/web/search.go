package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/search"
)

// runSearch validates the request's parameters and searches within the server's time bound.
func (s *Server) runSearch(c echo.Context) (*state, search.Request, *search.Results, error) {
	st := s.state()
	req, err := st.searchRequest(c.QueryParams())
	if err != nil {
		return st, req, nil, err
	}
	ix := st.index
	if ix == nil {
		return st, req, nil, errNotReady
	}
	key := cacheKey(req)
	if res, ok := st.cache.get(key); ok {
		return st, req, res, nil
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), s.timeout)
	defer cancel()
	res, err := ix.Search(ctx, req)
	if err != nil {
		return st, req, nil, searchError(err)
	}
	st.cache.put(key, res)
	return st, req, res, nil
}

// searchError is what the user is told of a search that failed: one that ran out of time can
// be made smaller.
func searchError(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return &userError{http.StatusServiceUnavailable, "The search took too long. Try fewer words or filters."}
	}
	return err
}

// facetLabels names each facet for people.
var facetLabels = map[string]string{
	"country": "Country", "topic": "Workshop topic", "theme": "Theme", "stage": "Research stage",
	"phase": "Research phase", "type": "Type of document", "audience": "Audience", "kind": "Kind of entry",
	"year": "Year",
}

// facetVocab gives the facets whose values keep a fixed order and their labels.
var facetVocab = map[string]*content.Vocabulary{
	"topic": content.TopicVocab, "theme": content.ThemeVocab, "stage": content.StageFacetVocab,
	"phase": content.PhaseVocab, "type": content.TypeVocab, "audience": content.AudienceVocab,
	"kind": content.KindVocab,
}

// fixedOrder lists the facets shown in vocabulary order rather than by count.
var fixedOrder = map[string]bool{"topic": true, "stage": true, "phase": true, "audience": true, "kind": true}

func valueLabel(facet, v string) string {
	switch facet {
	case "country":
		return content.CountryName(v)
	case "year":
		return v
	}
	if voc := facetVocab[facet]; voc != nil {
		return voc.Label(v)
	}
	return v
}

type facetValue struct {
	Value    string `json:"value"`
	Label    string `json:"label"`
	Count    int    `json:"count"`
	Selected bool   `json:"selected"`
}

type facetView struct {
	Name   string
	Label  string
	Values []facetValue
	Open   bool // has a selection: shown expanded
}

// facetTop is how many values of the country facet are listed before "show all".
const facetTop = 10

// Top is the values listed first: for the country facet the facetTop with the most hits and
// every selected one; for the others, all.
func (f facetView) Top() []facetValue {
	top, _ := f.split()
	return top
}

// More is the rest of the country facet's values, listed under "show all" (a details element,
// which works without JavaScript).
func (f facetView) More() []facetValue {
	_, more := f.split()
	return more
}

func (f facetView) split() (top, more []facetValue) {
	if f.Name != "country" || len(f.Values) <= facetTop+2 {
		return f.Values, nil
	}
	for i, v := range f.Values {
		if i < facetTop || v.Selected {
			top = append(top, v)
		} else {
			more = append(more, v)
		}
	}
	return top, more
}

// facetValues merges the counts with the selection: a selected value stays listed, with its
// count, even when no hit has it.
func facetValues(name string, counts []search.FacetCount, selected []string) []facetValue {
	out := []facetValue{}
	seen := map[string]bool{}
	for _, fc := range counts {
		seen[fc.Value] = true
		out = append(out, facetValue{Value: fc.Value, Label: valueLabel(name, fc.Value), Count: fc.Count,
			Selected: slices.Contains(selected, fc.Value)})
	}
	for _, v := range selected {
		if !seen[v] {
			out = append(out, facetValue{Value: v, Label: valueLabel(name, v), Selected: true})
		}
	}
	switch {
	case fixedOrder[name]:
		voc := facetVocab[name]
		slices.SortStableFunc(out, func(a, b facetValue) int { return voc.Order(a.Value) - voc.Order(b.Value) })
	case name == "year":
		slices.SortStableFunc(out, func(a, b facetValue) int { return strings.Compare(b.Value, a.Value) })
	default:
		slices.SortStableFunc(out, func(a, b facetValue) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Label, b.Label)
		})
	}
	return out
}

type countryRef struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type hitView struct {
	Entry     *content.Entry
	Href      string
	Anchor    string
	Snippet   template.HTML
	Score     float64
	Countries []countryRef
	// AppliesVia is, in a scope=applies search, the body ("eu", "oecd", "g7", "int") through
	// which the entry reaches the selected countries; "" for their own entries.
	AppliesVia string
}

func (st *state) hitViews(req search.Request, res *search.Results) []hitView {
	var out []hitView
	for _, h := range res.Hits {
		e := st.corpus.Get(h.ID)
		if e == nil {
			continue // the index and the corpus are built together; this cannot happen
		}
		snip := h.Snippet
		if snip == "" {
			text := e.Summary
			if text == "" {
				text = e.Text
			}
			snip = search.Excerpt(text, 240)
		}
		href := entryHref(e)
		// A topic's page is laid out anew, so the sections of its body have no anchors there.
		if h.Anchor != "" && e.Kind != content.Topic {
			href += "#" + url.PathEscape(h.Anchor)
		}
		out = append(out, hitView{Entry: e, Href: href, Anchor: h.Anchor,
			Snippet: template.HTML(snip), Score: h.Score, Countries: countryRefs(e.Countries),
			AppliesVia: appliesVia(e, req)})
	}
	return out
}

func countryRefs(codes []string) []countryRef {
	out := []countryRef{}
	for _, c := range content.SortCountries(codes) {
		out = append(out, countryRef{Code: c, Name: content.CountryName(c)})
	}
	return out
}

type pageLink struct {
	Number  int
	Href    string
	Current bool
	Gap     bool
}

type searchPage struct {
	basePage
	Request  search.Request
	Total    int
	Hits     []hitView
	Facets   []facetView
	Pages    []pageLink
	Prev     string
	Next     string
	First    int
	Last     int
	Sorts    []sortOption
	Selected []selectedFilter
	ClearAll string
	FeedURL  string
	// DidYouMean is a nearby query that finds something, offered when this one finds nothing.
	DidYouMean      string
	DidYouMeanURL   string
	DidYouMeanTotal int
	// CommonWordsOnly is set when the query's words are all too common to search for.
	CommonWordsOnly bool
	// Applies is set for scope=applies: the form keeps the box ticked and hits from above are marked.
	Applies bool
}

type sortOption struct {
	Value, Label string
	Selected     bool
}

type selectedFilter struct {
	Label  string
	Remove string // URL of the same search without this value
}

func (s *Server) handleSearchPage(c echo.Context) error {
	st, req, res, err := s.runSearch(c)
	if err != nil {
		return err
	}
	// A page past the last: a 404 that links to the last page, not an empty list.
	if last := (res.Total + req.Size - 1) / req.Size; res.Total > 0 && req.Page > last {
		return &linkedError{err: notFound(fmt.Sprintf("This search has %s on %s; there is no page %d.", plural(res.Total, "result"), plural(last, "page"), req.Page)).(*userError),
			linkHref: searchURL(c.QueryParams(), func(v url.Values) { v.Set("page", strconv.Itoa(last)) }), linkText: fmt.Sprintf("Go to the last page, page %d", last)}
	}
	title := "Search"
	if req.Query != "" {
		title = "Search: " + req.Query
	}
	p := searchPage{basePage: s.base(c, title), Request: req, Total: res.Total, Hits: st.hitViews(req, res)}
	p.Query = req.Query
	p.Applies = c.QueryParam("scope") == "applies"
	for _, f := range search.Facets {
		fv := facetView{Name: f, Label: facetLabels[f], Values: facetValues(f, res.Facets[f], req.Filters[f]),
			Open: len(req.Filters[f]) > 0}
		p.Facets = append(p.Facets, fv)
		for _, v := range req.Filters[f] {
			p.Selected = append(p.Selected, selectedFilter{Label: facetLabels[f] + ": " + valueLabel(f, v),
				Remove: searchURL(c.QueryParams(), func(q url.Values) { removeValue(q, f, v) })})
		}
	}
	areas, _, _ := st.parseTechnology(c.QueryParams()) // already validated by runSearch
	ctx, cancel := context.WithTimeout(c.Request().Context(), s.timeout)
	defer cancel()
	tf, err := st.technologyFacet(ctx, req, areas)
	if err != nil {
		return err
	}
	p.Facets = append(p.Facets, tf)
	for _, v := range areas {
		p.Selected = append(p.Selected, selectedFilter{Label: tf.Label + ": " + st.tech().areaLabel(v),
			Remove: searchURL(c.QueryParams(), func(q url.Values) { removeValue(q, "technology", v) })})
	}
	p.ClearAll = searchURL(url.Values{"q": {req.Query}}, nil)
	p.FeedURL = strings.Replace(searchURL(c.QueryParams(), func(v url.Values) {
		v.Del("page")
		v.Del("sort")
		v.Del("size")
		for name := range v { // the feed refuses what it does not read
			if !slices.Contains(searchParams, name) {
				v.Del(name)
			}
		}
	}), "/search", "/feed.atom", 1)
	for _, o := range []sortOption{{Value: search.SortRelevance, Label: "Relevance"}, {Value: search.SortNewest, Label: "Newest first"}, {Value: search.SortTitle, Label: "Title A–Z"}} {
		o.Selected = o.Value == req.Sort
		p.Sorts = append(p.Sorts, o)
	}
	p.CommonWordsOnly = res.CommonWordsOnly
	if res.Total == 0 && res.Suggestion != "" {
		p.DidYouMean, p.DidYouMeanTotal = res.Suggestion, res.SuggestionTotal
		p.DidYouMeanURL = searchURL(c.QueryParams(), func(v url.Values) { v.Set("q", res.Suggestion); v.Del("page") })
	}
	p.paginate(c.QueryParams(), req, res.Total)
	return s.render(c, http.StatusOK, "search", p)
}

func (p *searchPage) paginate(q url.Values, req search.Request, total int) {
	pages := (total + req.Size - 1) / req.Size
	if total > 0 {
		p.First = (req.Page-1)*req.Size + 1
		p.Last = min(req.Page*req.Size, total)
	}
	if pages <= 1 {
		return
	}
	at := func(n int) string {
		return searchURL(q, func(v url.Values) { v.Set("page", strconv.Itoa(n)) })
	}
	if req.Page > 1 {
		p.Prev = at(min(req.Page-1, pages))
	}
	if req.Page < pages {
		p.Next = at(req.Page + 1)
	}
	gap := false
	for n := 1; n <= pages; n++ {
		if n == 1 || n == pages || (n >= req.Page-2 && n <= req.Page+2) {
			p.Pages = append(p.Pages, pageLink{Number: n, Href: at(n), Current: n == req.Page})
			gap = false
		} else if !gap {
			p.Pages = append(p.Pages, pageLink{Gap: true})
			gap = true
		}
	}
}

// searchURL is /search with q's parameters, changed by edit; an empty page or q is left out.
func searchURL(q url.Values, edit func(url.Values)) string {
	v := url.Values{}
	for k, vals := range q {
		v[k] = append([]string(nil), vals...)
	}
	if edit != nil {
		edit(v)
	}
	for _, k := range []string{"q", "page", "sort"} {
		if v.Get(k) == "" || (k == "page" && v.Get(k) == "1") || (k == "sort" && v.Get(k) == search.SortRelevance) {
			v.Del(k)
		}
	}
	if len(v) == 0 {
		return "/search"
	}
	return "/search?" + v.Encode()
}

func removeValue(q url.Values, key, value string) {
	var keep []string
	for _, v := range q[key] {
		if v != value {
			keep = append(keep, v)
		}
	}
	q[key] = keep
	q.Del("page")
}
