package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"path"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/research-security-atlas/atlas/internal/content"
)

// views holds one template set per page: the layout, the partials and the page, parsed once.
type views struct {
	pages map[string]*template.Template
}

func newViews(fsys fs.FS, funcs template.FuncMap) (*views, error) {
	all, err := fs.Glob(fsys, "*.html")
	if err != nil {
		return nil, err
	}
	var shared, pages []string
	for _, p := range all {
		if strings.HasPrefix(p, "_") {
			shared = append(shared, p)
		} else {
			pages = append(pages, p)
		}
	}
	v := &views{pages: map[string]*template.Template{}}
	for _, p := range pages {
		files := append(append([]string(nil), shared...), p)
		t, err := template.New(path.Base(p)).Funcs(funcs).ParseFS(fsys, files...)
		if err != nil {
			return nil, fmt.Errorf("templates: %w", err)
		}
		v.pages[strings.TrimSuffix(path.Base(p), ".html")] = t
	}
	if len(v.pages) == 0 {
		return nil, fmt.Errorf("templates: no page templates found")
	}
	return v, nil
}

// render executes a page into a buffer and writes it only when it succeeded, so a template
// error never leaves half a page.
func (s *Server) render(c echo.Context, status int, name string, data any) error {
	t, ok := s.views.pages[name]
	if !ok {
		return fmt.Errorf("no template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("rendering %s: %w", name, err)
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// basePage is what the layout needs on every page.
type basePage struct {
	Title   string
	Query   string
	Path    string
	Entries int
	Wide    bool // the page needs the whole width of the window, as a matrix does

	// Description is the page's <meta name="description"> and Open Graph description.
	Description string
	OGType      string      // "website" unless set
	URL         string      // the page's absolute address, when the site knows its public URL
	Image       string      // the absolute address of the icon shared links show, likewise
	Citation    []metaTag   // Highwire citation_* tags on entry pages
	JSONLD      template.JS // schema.org JSON-LD on entry pages
}

func (s *Server) base(c echo.Context, title string) basePage {
	st := s.state()
	p := c.Request().URL.Path
	b := basePage{Title: title, Path: p, Entries: st.corpus.Len(), Description: pageDescription(p), OGType: "website"}
	if s.publicURL != "" { // Open Graph takes only absolute addresses
		b.URL = s.publicURL + p
		b.Image = s.publicURL + s.static.url("icon.png")
	}
	return b
}

func (s *Server) templateFuncs() template.FuncMap {
	return template.FuncMap{
		"facetItem":     func(name string, v facetValue) facetItem { return facetItem{name, v} },
		"static":        func(p string) string { return s.static.url(p) },
		"countryName":   content.CountryName,
		"kindLabel":     func(k content.Kind) string { return content.KindVocab.Label(string(k)) },
		"typeLabel":     content.TypeVocab.Label,
		"topicLabel":    content.TopicVocab.Label,
		"themeLabel":    content.ThemeVocab.Label,
		"stageLabel":    content.StageFacetVocab.Label,
		"phaseLabel":    content.PhaseVocab.Label,
		"audLabel":      content.AudienceVocab.Label,
		"statusLabel":   content.StatusVocab.Label,
		"questionLabel": content.QuestionVocab.Label,
		"langName":      content.LanguageName,
		"docHref": func(id string) string {
			if e := s.state().corpus.Get(id); e != nil {
				return entryHref(e)
			}
			return "/docs/" + url.PathEscape(id)
		},
		"add": func(a, b int) int { return a + b },
	}
}

// facetItem is one checkbox of a facet: the facet's parameter name and the value.
type facetItem struct {
	Name string
	V    facetValue
}
