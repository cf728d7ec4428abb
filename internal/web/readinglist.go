package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/export"
	"github.com/research-security-atlas/atlas/internal/search"
)

// readingListFacets are the filters of the reading list: the search facets that apply to guidance.
var readingListFacets = []string{"country", "topic", "theme", "stage", "phase", "type", "audience", "year"}

type download struct {
	Label, Href string
}

type readingListPage struct {
	basePage
	Groups    []export.Group
	Total     int
	Facets    []facetView
	Downloads []download
	Selected  []selectedFilter
	ClearAll  string

	Words      string          // the words searched for
	Picked     []string        // hand-picked ids, kept by the form
	Kinds      map[string]bool // the kinds listed
	Superseded bool
}

// readingListQuery is what the reading list's URL asks for: the facets, and the selection —
// hand-picked ids, findings, superseded entries, words to search for.
type readingListQuery struct {
	Filters map[string][]string
	Sel     export.Selection
	Q       string
	Areas   []string   // technology areas chosen
	areaIDs []string   // the entries those areas keep; nil when none is chosen
	params  url.Values // the parameters that define the list, for download and chip links
}

// parseReadingList validates the reading list's parameters with the search's rules, and checks
// that every hand-picked id is a guidance entry or a finding.
func (st *state) parseReadingList(q url.Values) (readingListQuery, error) {
	var rq readingListQuery
	v := url.Values{}
	for _, f := range readingListFacets {
		if vals, ok := q[f]; ok {
			v[f] = vals
		}
	}
	v["q"] = q["q"]
	v["kind"] = q["kind"]
	req, err := parseSearch(v)
	if err != nil {
		return rq, err
	}
	rq.Filters, rq.Q = req.Filters, req.Query
	for _, k := range req.Filters["kind"] {
		if k != string(content.Guidance) && k != string(content.Finding) {
			return rq, badRequest(fmt.Sprintf("kind %q cannot be in the reading list: use guidance or finding", k))
		}
		rq.Sel.Kinds = append(rq.Sel.Kinds, content.Kind(k))
	}
	delete(rq.Filters, "kind")
	ids := q["id"]
	if len(ids) > maxValues {
		return rq, badRequest(fmt.Sprintf("id is given %d times; at most %d entries can be picked", len(ids), maxValues))
	}
	for _, id := range ids {
		id = strings.TrimSpace(id)
		if id == "" || slices.Contains(rq.Sel.IDs, id) {
			continue
		}
		e := st.corpus.Get(id)
		if e == nil || len(id) > maxParamLength {
			return rq, badRequest(fmt.Sprintf("id %q: there is no entry with this id", truncate(id)))
		}
		if e.Kind != content.Guidance && e.Kind != content.Finding {
			return rq, badRequest(fmt.Sprintf("id %q is a %s; the reading list holds guidance and findings", id, strings.ToLower(content.KindVocab.Label(string(e.Kind)))))
		}
		rq.Sel.IDs = append(rq.Sel.IDs, id)
	}
	switch sup := q.Get("superseded"); sup {
	case "", "0":
	case "1":
		rq.Sel.Superseded = true
	default:
		return rq, badRequest(fmt.Sprintf("superseded %q: use 1 to keep superseded, rescinded and withdrawn entries", truncate(sup)))
	}
	rq.params = url.Values{}
	for f, vals := range rq.Filters {
		rq.params[f] = vals
	}
	if rq.Q != "" {
		rq.params.Set("q", rq.Q)
	}
	for _, k := range rq.Sel.Kinds {
		rq.params.Add("kind", string(k))
	}
	rq.params["id"] = rq.Sel.IDs
	if rq.Sel.Superseded {
		rq.params.Set("superseded", "1")
	}
	areas, areaIDs, err := st.parseTechnology(q)
	if err != nil {
		return rq, err
	}
	rq.Areas, rq.areaIDs = areas, areaIDs
	if len(areas) > 0 {
		rq.params["technology"] = areas
	}
	return rq, nil
}

// applyAreas narrows the selection to the entries the chosen technology areas keep.
func (rq *readingListQuery) applyAreas() {
	if rq.areaIDs == nil {
		return
	}
	only := map[string]bool{}
	for _, id := range rq.areaIDs {
		if rq.Sel.Only == nil || rq.Sel.Only[id] {
			only[id] = true
		}
	}
	rq.Sel.Only = only
}

// searchReadingList narrows the selection to the hits of the query's words, when it has any.
func (s *Server) searchReadingList(c echo.Context, rq *readingListQuery) error {
	if rq.Q == "" {
		return nil
	}
	st := s.state()
	if st.index == nil {
		return errNotReady
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), s.timeout)
	defer cancel()
	res, err := st.index.Search(ctx, search.Request{Query: rq.Q, Filters: map[string][]string{}, Sort: search.SortRelevance, Page: 1, Size: max(1, st.corpus.Len())})
	if err != nil {
		return err
	}
	rq.Sel.Only = map[string]bool{}
	for _, h := range res.Hits {
		rq.Sel.Only[h.ID] = true
	}
	return nil
}

// facetCounts counts, for every facet, the guidance matching the other facets' selections
// (disjunctive counts, as in search).
func facetCountsFor(entries []*content.Entry, filters map[string][]string) map[string][]search.FacetCount {
	out := map[string][]search.FacetCount{}
	for f, n := range content.CountFacets(entries, filters, readingListFacets) {
		for v, c := range n {
			out[f] = append(out[f], search.FacetCount{Value: v, Count: c})
		}
		slices.SortFunc(out[f], func(a, b search.FacetCount) int { return strings.Compare(a.Value, b.Value) })
	}
	return out
}

func (s *Server) handleReadingList(c echo.Context) error {
	st := s.state()
	rq, err := st.parseReadingList(c.QueryParams())
	if err != nil {
		return err
	}
	if err := s.searchReadingList(c, &rq); err != nil {
		return err
	}
	filters := rq.Filters
	// The technology areas are counted over what the other filters keep, as facets are.
	beforeAreas := rq.Sel
	rq.applyAreas()
	groups := export.Select(st.catalog, filters, rq.Sel)
	p := readingListPage{basePage: s.base(c, "Reading list"), Groups: groups, Total: export.Len(groups),
		Picked: rq.Sel.IDs, Superseded: rq.Sel.Superseded}
	p.Words = rq.Q
	p.Kinds = map[string]bool{}
	for _, k := range rq.Sel.Kinds {
		p.Kinds[string(k)] = true
	}
	if len(p.Kinds) == 0 {
		p.Kinds["guidance"] = true
	}
	var candidates []*content.Entry
	for _, e := range st.corpus.Entries {
		if (e.Kind == content.Guidance || e.Kind == content.Finding) && rq.Sel.Admits(e) {
			candidates = append(candidates, e)
		}
	}
	counts := facetCountsFor(candidates, filters)
	q := rq.params
	without := func(f func(url.Values)) string {
		rest := url.Values{}
		for k, vals := range q {
			rest[k] = slices.Clone(vals)
		}
		f(rest)
		return withQuery("/reading-list", rest)
	}
	if rq.Q != "" {
		p.Selected = append(p.Selected, selectedFilter{Label: "Words: " + rq.Q, Remove: without(func(v url.Values) { v.Del("q") })})
	}
	if n := len(rq.Sel.IDs); n > 0 {
		p.Selected = append(p.Selected, selectedFilter{Label: fmt.Sprintf("Hand-picked: %d entries", n), Remove: without(func(v url.Values) { v.Del("id") })})
	}
	if p.Kinds["finding"] {
		p.Selected = append(p.Selected, selectedFilter{Label: "With workshop findings", Remove: without(func(v url.Values) { v.Del("kind") })})
	}
	if rq.Sel.Superseded {
		p.Selected = append(p.Selected, selectedFilter{Label: "With superseded entries", Remove: without(func(v url.Values) { v.Del("superseded") })})
	}
	for _, f := range readingListFacets {
		p.Facets = append(p.Facets, facetView{Name: f, Label: facetLabels[f], Values: facetValues(f, counts[f], filters[f]), Open: len(filters[f]) > 0})
		for _, v := range filters[f] {
			p.Selected = append(p.Selected, selectedFilter{Label: facetLabels[f] + ": " + valueLabel(f, v), Remove: without(func(rest url.Values) { removeValue(rest, f, v) })})
		}
	}
	td := st.tech()
	var kept []string
	for _, e := range st.corpus.Entries {
		if e.Kind == content.Guidance && beforeAreas.Admits(e) && e.Matches(filters, "") {
			kept = append(kept, e.ID)
		}
	}
	p.Facets = append(p.Facets, td.techFacet(td.areaCounts(kept), rq.Areas))
	for _, v := range rq.Areas {
		p.Selected = append(p.Selected, selectedFilter{Label: "Technology area: " + td.areaLabel(v), Remove: without(func(rest url.Values) { removeValue(rest, "technology", v) })})
	}
	p.ClearAll = "/reading-list"
	for _, f := range export.Formats {
		p.Downloads = append(p.Downloads, download{Label: formatLabel[f.Name], Href: withQuery("/reading-list."+f.Ext, q)})
	}
	return s.render(c, http.StatusOK, "readinglist", p)
}

var formatLabel = map[string]string{"md": "Markdown", "csv": "CSV (spreadsheet)", "bibtex": "BibTeX", "ris": "RIS (Zotero, EndNote)", "json": "JSON", "csl": "CSL-JSON (citation processors, Zotero)"}

func withQuery(path string, q url.Values) string {
	for k, v := range q {
		if len(v) == 0 {
			delete(q, k)
		}
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// handleReadingListExport serves /reading-list.{md,csv,bib,ris,json,csl.json} with the page's selection.
func (s *Server) handleReadingListExport(f export.Format) echo.HandlerFunc {
	return func(c echo.Context) error {
		st := s.state()
		rq, err := st.parseReadingList(c.QueryParams())
		if err != nil {
			return err
		}
		if err := s.searchReadingList(c, &rq); err != nil {
			return err
		}
		rq.applyAreas()
		var buf bytes.Buffer
		if err := export.Write(&buf, f, export.Select(st.catalog, rq.Filters, rq.Sel), export.Options{BaseURL: s.publicURL}); err != nil {
			return err
		}
		c.Response().Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="research-security-reading-list.%s"`, f.Ext))
		return c.Blob(http.StatusOK, f.MediaType, buf.Bytes())
	}
}
