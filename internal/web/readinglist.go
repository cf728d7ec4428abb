package web

import (
	"bytes"
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
	IDs       []string // a chosen selection, such as the answer of /case
	Groups    []export.Group
	Total     int
	Facets    []facetView
	Downloads []download
	Selected  []selectedFilter
	ClearAll  string
}

// readingListFilter is the reading list's selection: facet values, and technology areas with
// the ids of the entries they keep (nil when no area is chosen).
type readingListFilter struct {
	Facets map[string][]string
	Areas  []string
	IDs    []string // the entries the technology areas keep; nil when no area is chosen
	Chosen []string // the entries picked by id (the answer of /case, for one); nil for all
}

// parseReadingList validates the reading list's filters with the search's rules.
func (st *state) parseReadingList(q url.Values) (readingListFilter, error) {
	v := url.Values{}
	for _, f := range readingListFacets {
		if vals, ok := q[f]; ok {
			v[f] = vals
		}
	}
	req, err := parseSearch(v)
	if err != nil {
		return readingListFilter{}, err
	}
	areas, ids, err := st.parseTechnology(q)
	if err != nil {
		return readingListFilter{}, err
	}
	chosen, err := st.parseListIDs(q)
	return readingListFilter{Facets: req.Filters, Areas: areas, IDs: ids, Chosen: chosen}, err
}

// keeps reports whether the filter's technology areas and chosen ids keep e.
func (f readingListFilter) keeps(e *content.Entry) bool {
	return (f.IDs == nil || slices.Contains(f.IDs, e.ID)) && (f.Chosen == nil || slices.Contains(f.Chosen, e.ID))
}

// query is the filter as URL parameters.
func (f readingListFilter) query() url.Values {
	q := url.Values{}
	for k, vals := range f.Facets {
		q[k] = vals
	}
	if len(f.Areas) > 0 {
		q["technology"] = f.Areas
	}
	if len(f.Chosen) > 0 {
		q["id"] = f.Chosen
	}
	return q
}

// readingList is the guidance the filter keeps, grouped as the export package does.
func (st *state) readingList(f readingListFilter) []export.Group {
	groups := export.ReadingList(st.catalog, f.Facets)
	if f.IDs == nil && f.Chosen == nil {
		return groups
	}
	var out []export.Group
	for _, g := range groups {
		var types []export.TypeGroup
		for _, tg := range g.Types {
			tg.Entries = slices.DeleteFunc(slices.Clone(tg.Entries), func(e *content.Entry) bool { return !f.keeps(e) })
			if len(tg.Entries) > 0 {
				types = append(types, tg)
			}
		}
		if len(types) > 0 {
			g.Types = types
			out = append(out, g)
		}
	}
	return out
}

// maxListIDs bounds the ids of a chosen reading list.
const maxListIDs = 200

// parseListIDs reads the optional repeatable id parameter: the reading list is then only
// those entries (the answer of /case, for one). Every id must exist.
func (st *state) parseListIDs(q url.Values) ([]string, error) {
	ids := q["id"]
	if len(ids) > maxListIDs {
		return nil, badRequest(fmt.Sprintf("id: give at most %d ids", maxListIDs))
	}
	var out []string
	for _, id := range ids {
		id = strings.TrimSpace(id)
		if id == "" || slices.Contains(out, id) {
			continue
		}
		if len(id) > maxParamLength || st.corpus.Get(id) == nil {
			return nil, badRequest(fmt.Sprintf("id: there is no entry with the id %q", truncate(id)))
		}
		out = append(out, id)
	}
	return out, nil
}

// facetCounts counts, for every facet, the guidance matching the other facets' selections
// (disjunctive counts, as in search).
func facetCountsFor(entries []*content.Entry, filters map[string][]string) map[string][]search.FacetCount {
	out := map[string][]search.FacetCount{}
	for _, f := range readingListFacets {
		n := map[string]int{}
		for _, e := range entries {
			if e.Matches(filters, f) {
				for _, v := range e.FacetValues(f) {
					n[v]++
				}
			}
		}
		for v, c := range n {
			out[f] = append(out[f], search.FacetCount{Value: v, Count: c})
		}
		slices.SortFunc(out[f], func(a, b search.FacetCount) int { return strings.Compare(a.Value, b.Value) })
	}
	return out
}

func (s *Server) handleReadingList(c echo.Context) error {
	st := s.state()
	rf, err := st.parseReadingList(c.QueryParams())
	if err != nil {
		return err
	}
	filters := rf.Facets
	groups := st.readingList(rf)
	p := readingListPage{basePage: s.base(c, "Reading list"), IDs: rf.Chosen, Groups: groups, Total: export.Len(groups)}
	var guidance, inAreas []*content.Entry
	for _, e := range st.corpus.Entries {
		if e.Kind == content.Guidance && (rf.Chosen == nil || slices.Contains(rf.Chosen, e.ID)) {
			inAreas = append(inAreas, e)
			if rf.keeps(e) {
				guidance = append(guidance, e)
			}
		}
	}
	counts := facetCountsFor(guidance, filters)
	q := rf.query()
	for _, f := range readingListFacets {
		p.Facets = append(p.Facets, facetView{Name: f, Label: facetLabels[f], Values: facetValues(f, counts[f], filters[f]), Open: len(filters[f]) > 0})
		for _, v := range filters[f] {
			rest := url.Values{}
			for k, vals := range q {
				rest[k] = slices.Clone(vals)
			}
			removeValue(rest, f, v)
			p.Selected = append(p.Selected, selectedFilter{Label: facetLabels[f] + ": " + valueLabel(f, v), Remove: withQuery("/reading-list", rest)})
		}
	}
	// The technology areas, counted over the guidance the other filters keep.
	td := st.tech()
	var kept []string
	for _, e := range inAreas {
		if e.Matches(filters, "") {
			kept = append(kept, e.ID)
		}
	}
	p.Facets = append(p.Facets, td.techFacet(td.areaCounts(kept), rf.Areas))
	for _, v := range rf.Areas {
		rest := rf.query()
		removeValue(rest, "technology", v)
		p.Selected = append(p.Selected, selectedFilter{Label: "Technology area: " + td.areaLabel(v), Remove: withQuery("/reading-list", rest)})
	}
	p.ClearAll = withQuery("/reading-list", url.Values{"id": rf.Chosen})
	for _, f := range export.Formats {
		p.Downloads = append(p.Downloads, download{Label: formatLabel[f.Name], Href: withQuery("/reading-list."+f.Ext, q)})
	}
	return s.render(c, http.StatusOK, "readinglist", p)
}

var formatLabel = map[string]string{"md": "Markdown", "csv": "CSV (spreadsheet)", "bibtex": "BibTeX", "ris": "RIS (Zotero, EndNote)", "json": "JSON"}

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

// handleReadingListExport serves /reading-list.{md,csv,bib,ris,json} with the page's filters.
func (s *Server) handleReadingListExport(f export.Format) echo.HandlerFunc {
	return func(c echo.Context) error {
		st := s.state()
		rf, err := st.parseReadingList(c.QueryParams())
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := export.Write(&buf, f, st.readingList(rf), export.Options{BaseURL: s.publicURL}); err != nil {
			return err
		}
		c.Response().Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="research-security-reading-list.%s"`, f.Ext))
		return c.Blob(http.StatusOK, f.MediaType, buf.Bytes())
	}
}
