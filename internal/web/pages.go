package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/research-security-atlas/atlas/internal/content"
)

type homePage struct {
	basePage
	Guidance      int
	Findings      int
	Jurisdictions int
}

func (s *Server) handleHome(c echo.Context) error {
	st := s.state()
	p := homePage{basePage: s.base(c, "")}
	juris := map[string]bool{}
	for _, e := range st.corpus.Entries {
		switch e.Kind {
		case content.Guidance:
			p.Guidance++
			for _, c := range e.Countries {
				juris[c] = true
			}
		case content.Finding:
			p.Findings++
		}
	}
	p.Jurisdictions = len(juris)
	return s.render(c, http.StatusOK, "home", p)
}

type tocItem struct {
	Title, Anchor string
	Level         int
}

type relatedRef struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Href  string `json:"href"`
	Kind  string `json:"kind"`
}

type docPage struct {
	basePage
	Entry        *content.Entry
	Countries    []countryRef
	TOC          []tocItem
	Related      []relatedRef
	Similar      []relatedRef
	SupersededBy *relatedRef
	Link         *linkView // the last recorded check of its source or contact point, or nil
	Facet        func(name, value string) string
}

func (s *Server) handleDocPage(c echo.Context) error {
	st := s.state()
	e, err := st.entry(c.Param("id"))
	if err != nil {
		return err
	}
	// One URL per thing: a country profile lives at /countries/{code}, a topic at /topics/{slug}.
	if u := st.canonicalPage(e); u != "" {
		return c.Redirect(http.StatusMovedPermanently, u)
	}
	p := docPage{basePage: s.base(c, e.Title), Entry: e, Countries: countryRefs(e.Countries),
		Related: st.related(e), Link: st.linkOf(e)}
	p.Description, p.OGType, p.Citation = description(e), "article", citationTags(e)
	pageURL := ""
	if s.publicURL != "" {
		pageURL = strings.TrimRight(s.publicURL, "/") + "/docs/" + url.PathEscape(e.ID)
	}
	p.JSONLD = jsonLD(e, pageURL, st.services()[e.ID])
	for _, o := range st.catalog.Similar(st.corpus, e, 5) {
		p.Similar = append(p.Similar, ref(o))
	}
	for _, sec := range e.Sections {
		if sec.Title != "" && sec.Anchor != "" {
			p.TOC = append(p.TOC, tocItem{Title: sec.Title, Anchor: sec.Anchor, Level: sec.Level})
		}
	}
	if e.SupersededBy != "" {
		if succ := st.corpus.Get(e.SupersededBy); succ != nil {
			r := ref(succ)
			p.SupersededBy = &r
		}
	}
	return s.render(c, http.StatusOK, "doc", p)
}

// canonicalPage is the address of the page that shows e when it is not /docs/{id}: a country
// profile's /countries/{code}, a workshop topic's /topics/{slug} (its id); "" otherwise.
func (st *state) canonicalPage(e *content.Entry) string { return canonicalPage(e) }

func canonicalPage(e *content.Entry) string {
	switch e.Kind {
	case content.Country:
		if len(e.Countries) > 0 {
			return "/countries/" + url.PathEscape(e.Countries[0])
		}
	case content.Topic:
		if content.TopicVocab.Has(e.ID) {
			return "/topics/" + url.PathEscape(e.ID)
		}
	}
	return ""
}

// entryHref is the one address of the page that shows e: every link, feed and API answer
// uses it, so none of them goes through a redirect.
func entryHref(e *content.Entry) string {
	if u := canonicalPage(e); u != "" {
		return u
	}
	return "/docs/" + url.PathEscape(e.ID)
}

// entry looks up an entry by the id in a path; a malformed or unknown id is a 404 that says so.
func (st *state) entry(id string) (*content.Entry, error) {
	if len(id) > 200 {
		return nil, notFound("There is no entry with that id.")
	}
	e := st.corpus.Get(id)
	if e == nil {
		return nil, notFound("There is no entry with the id \"" + truncate(id) + "\". Search for it instead.")
	}
	return e, nil
}

func (st *state) related(e *content.Entry) []relatedRef {
	out := []relatedRef{}
	for _, id := range e.Related {
		if r := st.corpus.Get(id); r != nil {
			out = append(out, ref(r))
		}
	}
	return out
}

func ref(e *content.Entry) relatedRef {
	return relatedRef{ID: e.ID, Title: e.Title, Href: entryHref(e), Kind: string(e.Kind)}
}

// handleReady answers 503 until the index is open, then 200: "ready", or "degraded" with the
// reasons when content has errors or the last reload or re-index failed. A degraded server
// still answers every request from its last good corpus, so it stays in the load balancer;
// monitoring alerts on the status.
func (s *Server) handleReady(c echo.Context) error {
	st := s.state()
	out := map[string]any{"status": "ready", "entries": st.corpus.Len()}
	var problems []string
	for _, p := range st.problems {
		problems = append(problems, p.String())
	}
	if len(problems) > 0 {
		out["content_problems"] = problems
	}
	var degraded []string
	if n := content.Errors(st.problems); n > 0 {
		degraded = append(degraded, fmt.Sprintf("%d content errors: those files are left out or keep their last good version (see content_problems)", n))
	}
	if d := s.degraded.Load(); d != nil {
		degraded = append(degraded, *d...)
	}
	if len(degraded) > 0 {
		out["status"] = "degraded"
		out["degraded"] = degraded
	}
	if st.index == nil {
		out["status"] = "building index"
		c.Response().Header().Set("Retry-After", "5")
		return c.JSON(http.StatusServiceUnavailable, out)
	}
	out["indexed"] = st.index.Len()
	return c.JSON(http.StatusOK, out)
}
