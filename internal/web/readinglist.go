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
	Groups    []export.Group
	Total     int
	Facets    []facetView
	Downloads []download
	Selected  []selectedFilter
	ClearAll  string
}

// parseReadingList validates the reading list's filters with the search's rules.
func parseReadingList(q url.Values) (map[string][]string, error) {
	v := url.Values{}
	for _, f := range readingListFacets {
		if vals, ok := q[f]; ok {
			v[f] = vals
		}
	}
	req, err := parseSearch(v)
	if err != nil {
		return nil, err
	}
	return req.Filters, nil
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
	filters, err := parseReadingList(c.QueryParams())
	if err != nil {
		return err
	}
	groups := export.ReadingList(st.catalog, filters)
	p := readingListPage{basePage: s.base(c, "Reading list"), Groups: groups, Total: export.Len(groups)}
	var guidance []*content.Entry
	for _, e := range st.corpus.Entries {
		if e.Kind == content.Guidance {
			guidance = append(guidance, e)
		}
	}
	counts := facetCountsFor(guidance, filters)
	q := url.Values{}
	for f, vals := range filters {
		q[f] = vals
	}
	for _, f := range readingListFacets {
		p.Facets = append(p.Facets, facetView{Name: f, Label: facetLabels[f], Values: facetValues(f, counts[f], filters[f]), Open: len(filters[f]) > 0})
		for _, v := range filters[f] {
			rest := url.Values{}
			for k, vals := range q {
				rest[k] = vals
			}
			removeValue(rest, f, v)
			p.Selected = append(p.Selected, selectedFilter{Label: facetLabels[f] + ": " + valueLabel(f, v), Remove: withQuery("/reading-list", rest)})
		}
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

// handleReadingListExport serves /reading-list.{md,csv,bib,ris,json} with the page's filters.
func (s *Server) handleReadingListExport(f export.Format) echo.HandlerFunc {
	return func(c echo.Context) error {
		st := s.state()
		filters, err := parseReadingList(c.QueryParams())
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := export.Write(&buf, f, export.ReadingList(st.catalog, filters), export.Options{BaseURL: s.baseURL(c)}); err != nil {
			return err
		}
		c.Response().Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="research-security-reading-list.%s"`, f.Ext))
		return c.Blob(http.StatusOK, f.MediaType, buf.Bytes())
	}
}

// baseURL is the configured public address, or the one the request came to.
func (s *Server) baseURL(c echo.Context) string {
	if s.publicURL != "" {
		return s.publicURL
	}
	scheme := "http"
	if c.Request().TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + c.Request().Host
}
