package web

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/search"
)

type apiHit struct {
	ID           string `json:"id"`
	Kind         string `json:"kind"`
	Title        string `json:"title"`
	Href         string `json:"href"`
	Anchor       string `json:"anchor,omitempty"`
	SourceURL    string `json:"source_url,omitempty"`
	SourceStatus string `json:"source_status,omitempty"`
	// SourceChecked: with source_status, the day the source address was looked for.
	SourceChecked string   `json:"source_checked,omitempty"`
	Summary       string   `json:"summary,omitempty"`
	Status        string   `json:"status,omitempty"`
	Published     string   `json:"published,omitempty"`
	LastVerified  string   `json:"last_verified,omitempty"`
	Countries     []string `json:"countries"`
	Topics        []string `json:"topics"`
	Themes        []string `json:"themes"`
	Stages        []string `json:"stages"`
	Phases        []string `json:"phases"`
	Type          string   `json:"type,omitempty"`
	Audiences     []string `json:"audiences"`
	Issuer        string   `json:"issuer,omitempty"`
	Year          int      `json:"year,omitempty"`
	Snippet       string   `json:"snippet"`
	Score         float64  `json:"score"`
	// AppliesVia: in a scope=applies search, the body through which the entry reaches the
	// selected countries ("eu", "oecd", "g7", "int"); left out for their own entries.
	AppliesVia string `json:"applies_via,omitempty"`
}

type apiSearch struct {
	Query      string `json:"query"`
	Suggestion string `json:"suggestion,omitempty"`
	// CommonWordsOnly: the query's words are all too common to search for; nothing was searched.
	CommonWordsOnly bool                    `json:"common_words_only,omitempty"`
	Total           int                     `json:"total"`
	Page            int                     `json:"page"`
	Size            int                     `json:"size"`
	Hits            []apiHit                `json:"hits"`
	Facets          map[string][]facetValue `json:"facets"`
}

// statusOf is a guidance entry's status, active when none is given; "" for other kinds.
func statusOf(e *content.Entry) string {
	switch {
	case e.Kind != content.Guidance:
		return ""
	case e.Status == "":
		return "active"
	}
	return e.Status
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (s *Server) handleAPISearch(c echo.Context) error {
	start := time.Now()
	st := s.state()
	req, err := st.searchRequest(c.QueryParams())
	if err != nil {
		return err
	}
	// The answer without its timing is cached whole: a repeated search costs a map lookup.
	key := "api-search " + cacheKey(req)
	if st.index != nil {
		if p, ok := st.pages.get(key); ok {
			return writeAPISearch(c, p.body, time.Since(start))
		}
	}
	st, req, res, err := s.runSearch(c)
	if err != nil {
		return err
	}
	out := apiSearch{Query: req.Query, Total: res.Total, Page: req.Page, Size: req.Size,
		Hits: []apiHit{}, Facets: map[string][]facetValue{}}
	if res.Total == 0 {
		out.Suggestion = res.Suggestion
		out.CommonWordsOnly = res.CommonWordsOnly
	}
	for _, h := range st.hitViews(req, res) {
		e := h.Entry
		out.Hits = append(out.Hits, apiHit{ID: e.ID, Kind: string(e.Kind), Title: e.Title, Href: h.Href, Anchor: h.Anchor,
			SourceURL: e.SourceURL, SourceStatus: e.SourceStatus, SourceChecked: e.SourceChecked, Summary: e.Summary, Status: statusOf(e),
			Published: e.Published, LastVerified: e.LastVerified, Countries: nonNil(e.Countries), Topics: nonNil(e.Topics), Themes: nonNil(e.Themes),
			Stages: nonNil(e.Stages), Phases: nonNil(e.Phases), Type: e.Type, Audiences: nonNil(e.Audiences),
			Issuer: e.Issuer, Year: e.Year(), Snippet: string(h.Snippet), Score: h.Score, AppliesVia: h.AppliesVia})
	}
	for _, f := range search.Facets {
		out.Facets[f] = facetValues(f, res.Facets[f], req.Filters[f])
	}
	areas, _, _ := st.parseTechnology(c.QueryParams()) // already validated by runSearch
	ctx, cancel := context.WithTimeout(c.Request().Context(), s.timeout)
	defer cancel()
	tf, err := st.technologyFacet(ctx, req, areas)
	if err != nil {
		return err
	}
	out.Facets["technology"] = tf.Values
	body, err := json.Marshal(out)
	if err != nil {
		return err
	}
	st.pages.put(&cachedPage{key: key, status: http.StatusOK, contentType: echo.MIMEApplicationJSON, body: body})
	return writeAPISearch(c, body, time.Since(start))
}

// writeAPISearch sends a search answer with took_ms, the time this request spent on it, in
// the X-Took-Ms and Server-Timing headers and, as the contract has it, first in the body. The
// cached body is written as it is, after the timing, without copying it; the ETag is the
// cached body's, so a repeated search is a 304 whatever it took.
func writeAPISearch(c echo.Context, body []byte, took time.Duration) error {
	ms := strconv.FormatFloat(float64(took.Microseconds())/1000, 'f', 3, 64)
	prefix := `{"took_ms":` + ms + ","
	w := c.Response()
	w.Header().Set("X-Took-Ms", ms)
	w.Header().Set("Server-Timing", "search;dur="+ms)
	w.Header().Set("ETag", etagOf(body))
	w.Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	w.Header().Set(echo.HeaderContentLength, strconv.Itoa(len(prefix)+len(body)-1))
	w.WriteHeader(http.StatusOK)
	if _, err := io.WriteString(w, prefix); err != nil {
		return err
	}
	_, err := w.Write(body[1:])
	return err
}

type apiSection struct {
	Title  string `json:"title"`
	Anchor string `json:"anchor"`
}

type apiDoc struct {
	ID                   string       `json:"id"`
	Kind                 string       `json:"kind"`
	Title                string       `json:"title"`
	Href                 string       `json:"href"`
	Countries            []string     `json:"countries"`
	Topics               []string     `json:"topics,omitempty"`
	Stages               []string     `json:"stages,omitempty"`
	Phases               []string     `json:"phases,omitempty"`
	Audiences            []string     `json:"audiences,omitempty"`
	Themes               []string     `json:"themes,omitempty"`
	Type                 string       `json:"type,omitempty"`
	Issuer               string       `json:"issuer,omitempty"`
	Published            string       `json:"published,omitempty"`
	SourceURL            string       `json:"source_url,omitempty"`
	URL                  string       `json:"url,omitempty"` // an alias of source_url, kept for older clients
	SourceStatus         string       `json:"source_status,omitempty"`
	SourceChecked        string       `json:"source_checked,omitempty"`
	ArchivedURL          string       `json:"archived_url,omitempty"`
	OriginalTitle        string       `json:"original_title,omitempty"`
	DifferentiatesStages bool         `json:"differentiates_stages,omitempty"`
	Notes                string       `json:"notes,omitempty"`
	ReportSection        string       `json:"report_section,omitempty"`
	ReportPage           string       `json:"report_page,omitempty"`
	MemberOf             []string     `json:"member_of,omitempty"`
	Language             string       `json:"language,omitempty"`
	LastVerified         string       `json:"last_verified,omitempty"`
	Summary              string       `json:"summary,omitempty"`
	Status               string       `json:"status,omitempty"`
	SupersededBy         string       `json:"superseded_by,omitempty"`
	Question             string       `json:"question,omitempty"`
	Terms                []string     `json:"terms,omitempty"`
	ContactPoint         string       `json:"contact_point,omitempty"`
	Synonyms             []string     `json:"synonyms,omitempty"`
	Date                 string       `json:"date,omitempty"`
	Updated              string       `json:"updated,omitempty"`
	LinkStatus           string       `json:"link_status,omitempty"`  // ok, moved or dead at the last recorded link check
	LinkChecked          string       `json:"link_checked,omitempty"` // the day of that check
	LinkDetail           string       `json:"link_detail,omitempty"`
	LinkSuggest          string       `json:"link_suggest,omitempty"` // for a moved link: where it leads
	HTML                 string       `json:"html"`
	Sections             []apiSection `json:"sections"`
	Related              []relatedRef `json:"related"`
}

func (s *Server) handleAPIDoc(c echo.Context) error {
	st := s.state()
	e, err := st.entry(c.Param("id"))
	if err != nil {
		return err
	}
	d := apiDoc{ID: e.ID, Kind: string(e.Kind), Title: e.Title, Href: entryHref(e),
		Countries: nonNil(e.Countries), Topics: e.Topics, Stages: nonNil(e.Stages), Phases: e.Phases,
		Audiences: e.Audiences, Themes: e.Themes, Type: e.Type, Issuer: e.Issuer, Published: e.Published,
		SourceURL: e.SourceURL, URL: e.SourceURL, SourceStatus: e.SourceStatus, SourceChecked: e.SourceChecked,
		ArchivedURL: e.ArchivedURL, OriginalTitle: e.OriginalTitle, DifferentiatesStages: e.DifferentiatesStages,
		Notes: e.Notes, ReportSection: e.ReportSection, ReportPage: e.ReportPage, MemberOf: e.MemberOf,
		Language: e.Language, LastVerified: e.LastVerified, Summary: e.Summary,
		Status: e.Status, SupersededBy: e.SupersededBy, Question: e.Question, Terms: e.Terms,
		ContactPoint: e.ContactPoint, Synonyms: e.Synonyms, Date: e.Date, Updated: e.Updated, HTML: string(e.HTML),
		Sections: []apiSection{}, Related: st.related(e)}
	if l := st.linkOf(e); l != nil {
		d.LinkStatus, d.LinkChecked, d.LinkDetail, d.LinkSuggest = l.Status, l.Checked, l.Detail, l.Suggest
	}
	for _, sec := range e.Sections {
		if sec.Anchor != "" {
			d.Sections = append(d.Sections, apiSection{Title: sec.Title, Anchor: sec.Anchor})
		}
	}
	return c.JSON(http.StatusOK, d)
}

type apiCountry struct {
	Code      string   `json:"code"`
	Name      string   `json:"name"`
	Terms     []string `json:"terms"`
	Documents int      `json:"documents"`
	Findings  int      `json:"findings"`
	Href      string   `json:"href"`
}

func (s *Server) handleAPICountries(c echo.Context) error {
	st := s.state()
	out := []apiCountry{}
	for _, j := range st.catalog.Jurisdictions {
		out = append(out, apiCountry{Code: j.Code, Name: j.Name, Terms: nonNil(j.Terms()),
			Documents: len(j.Guidance), Findings: len(j.Findings), Href: "/countries/" + j.Code})
	}
	return c.JSON(http.StatusOK, out)
}

type apiCompareRow struct {
	Dimension string                  `json:"dimension,omitempty"`
	Topic     string                  `json:"topic,omitempty"`
	Question  string                  `json:"question,omitempty"`
	Label     string                  `json:"label"`
	Cells     map[string][]relatedRef `json:"cells"`
	// Values are a dimension row's answers; its cells are their sources.
	Values  map[string]apiApproachCell `json:"values,omitempty"`
	Differs bool                       `json:"differs,omitempty"`
}

type apiCompare struct {
	Countries []apiCountry    `json:"countries"`
	Rows      []apiCompareRow `json:"rows"`
}

func (s *Server) handleAPICompare(c echo.Context) error {
	st := s.state()
	js, err := st.parseCompare(c.QueryParams())
	if err != nil {
		return err
	}
	if len(js) < minCompare {
		return badRequest("country: give 2 to 4 country codes, e.g. /api/compare?country=nl&country=ca (c is an alias)")
	}
	filters, err := compareFilters(c.QueryParams())
	if err != nil {
		return err
	}
	cmp := st.compare(js, filters)
	out := apiCompare{Countries: []apiCountry{}, Rows: []apiCompareRow{}}
	for _, j := range js {
		out.Countries = append(out.Countries, apiCountry{Code: j.Code, Name: j.Name, Terms: nonNil(j.Terms()),
			Documents: len(j.Guidance), Findings: len(j.Findings), Href: "/countries/" + j.Code})
	}
	for _, g := range st.glance(js, first(filters["theme"]), first(filters["stage"])) {
		row := apiCompareRow{Dimension: g.Dim.ID, Label: g.Dim.Label, Cells: map[string][]relatedRef{},
			Values: map[string]apiApproachCell{}, Differs: g.Differs}
		for _, c := range g.Cells {
			v := apiCell(c)
			row.Values[c.J.Code] = v
			row.Cells[c.J.Code] = append([]relatedRef{}, v.Refs...)
		}
		out.Rows = append(out.Rows, row)
	}
	for _, r := range cmp.Rows {
		row := apiCompareRow{Topic: r.Topic, Question: r.Question, Label: r.TopicLabel, Cells: map[string][]relatedRef{}}
		if r.Question != "" {
			row.Label = r.QuestionLabel
		}
		for i, cell := range r.Cells {
			refs := []relatedRef{}
			for _, e := range append(append([]*content.Entry(nil), cell.Guidance...), cell.Findings...) {
				refs = append(refs, ref(e))
			}
			row.Cells[js[i].Code] = refs
		}
		out.Rows = append(out.Rows, row)
	}
	return c.JSON(http.StatusOK, out)
}

//go:embed openapi.json
var openAPI []byte

func (s *Server) handleOpenAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, "application/json; charset=utf-8", openAPI)
}

type apiSuggestion struct {
	Label     string `json:"label"`
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	KindLabel string `json:"kind_label"`
	Href      string `json:"href"`
}

const maxSuggestLen = 100

// handleAPISuggest answers the search box as people type: entry titles and glossary terms that
// start with what has been typed.
func (s *Server) handleAPISuggest(c echo.Context) error {
	st := s.state()
	q := strings.TrimSpace(c.QueryParam("q"))
	if !utf8.ValidString(q) || utf8.RuneCountInString(q) > maxSuggestLen {
		return badRequest(fmt.Sprintf("q must be text of at most %d characters", maxSuggestLen))
	}
	if st.index == nil {
		return errNotReady
	}
	out := struct {
		Query       string          `json:"query"`
		Suggestions []apiSuggestion `json:"suggestions"`
	}{Query: q, Suggestions: []apiSuggestion{}}
	if q != "" {
		ctx, cancel := context.WithTimeout(c.Request().Context(), s.timeout)
		defer cancel()
		sugs, err := st.index.Suggest(ctx, q, 8)
		if err != nil {
			return err
		}
		for _, sg := range sugs {
			href := "/docs/" + url.PathEscape(sg.ID)
			if e := st.corpus.Get(sg.ID); e != nil {
				href = entryHref(e)
			}
			if sg.Kind == string(content.Term) {
				// A glossary word leads to what the Atlas holds about it, not to its definition.
				href = "/search?" + url.Values{"q": {sg.Text}}.Encode()
			}
			out.Suggestions = append(out.Suggestions, apiSuggestion{Label: sg.Text, ID: sg.ID, Kind: sg.Kind,
				KindLabel: content.KindVocab.Label(sg.Kind), Href: href})
		}
	}
	return c.JSON(http.StatusOK, out)
}
