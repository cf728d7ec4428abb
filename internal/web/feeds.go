package web

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/search"
)

const feedSize = 50

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomEntry struct {
	Title     string     `xml:"title"`
	ID        string     `xml:"id"`
	Updated   string     `xml:"updated"`
	Links     []atomLink `xml:"link"`
	Summary   string     `xml:"summary,omitempty"`
	Category  []atomCat  `xml:"category"`
	Published string     `xml:"published,omitempty"`
}

type atomCat struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

type atomFeed struct {
	XMLName  xml.Name   `xml:"http://www.w3.org/2005/Atom feed"`
	Title    string     `xml:"title"`
	Subtitle string     `xml:"subtitle,omitempty"`
	ID       string     `xml:"id"`
	Updated  string     `xml:"updated"`
	Links    []atomLink `xml:"link"`
	Author   struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

func atomTime(day string) string {
	switch len(day) {
	case 4:
		day += "-01-01"
	case 7:
		day += "-01"
	}
	return day + "T00:00:00Z"
}

// handleFeed serves the entries newest-changed first. With search parameters it is the feed of
// that search, so a reader can subscribe to one country's funder measures, say.
func (s *Server) handleFeed(c echo.Context) error {
	title, entries, err := s.feedEntries(c)
	if err != nil {
		return err
	}
	base := s.publicURL
	self := base + c.Request().URL.RequestURI()
	f := atomFeed{Title: title, ID: feedID(c.QueryParams()), Updated: "1970-01-01T00:00:00Z",
		Links: []atomLink{{Href: self, Rel: "self", Type: "application/atom+xml"},
			{Href: base + strings.Replace(c.Request().URL.RequestURI(), "/feed.atom", "/search", 1), Rel: "alternate", Type: "text/html"}}}
	f.Author.Name = "Research Security Atlas"
	for i, e := range entries {
		if i == 0 {
			f.Updated = atomTime(e.Changed())
		}
		ae := atomEntry{Title: e.Title, ID: tagPrefix + "docs/" + e.ID, Updated: atomTime(e.Changed()),
			Links:   []atomLink{{Href: base + entryHref(e), Rel: "alternate", Type: "text/html"}},
			Summary: e.Summary, Category: []atomCat{{Term: string(e.Kind), Label: content.KindVocab.Label(string(e.Kind))}}}
		if e.SourceURL != "" {
			ae.Links = append(ae.Links, atomLink{Href: e.SourceURL, Rel: "related"})
		}
		if ae.Summary == "" {
			ae.Summary = content.Shorten(e.Text, 300)
		}
		for _, code := range e.Countries {
			ae.Category = append(ae.Category, atomCat{Term: code, Label: content.CountryName(code)})
		}
		if e.Published != "" {
			ae.Published = atomTime(e.Published)
		}
		f.Entries = append(f.Entries, ae)
	}
	return writeXML(c, "application/atom+xml; charset=utf-8", f)
}

// tagPrefix starts every Atom id: a tag: URI (RFC 4151) is the same whatever address the
// site is served at, so moving it or setting --base-url re-announces nothing.
const tagPrefix = "tag:research-security-atlas.github.io,2026:"

// feedID names the feed of a search by its parameters in a fixed order.
func feedID(q url.Values) string {
	if len(q) == 0 {
		return tagPrefix + "feed"
	}
	return tagPrefix + "feed?" + q.Encode()
}

// feedEntries selects the entries of a feed: everything, or the hits of the search its
// parameters describe, newest change first (updated, else last_verified, else the entry's date).
func (s *Server) feedEntries(c echo.Context) (string, []*content.Entry, error) {
	st := s.state()
	q := c.QueryParams()
	var entries []*content.Entry
	title := "Research Security Atlas: new and changed entries"
	if len(q) == 0 {
		entries = append(entries, st.corpus.Entries...)
	} else {
		req, err := st.searchRequest(q)
		if err != nil {
			return "", nil, err
		}
		if st.index == nil {
			return "", nil, errNotReady
		}
		req.Page, req.Size, req.Sort = 1, 100, search.SortNewest
		ctx, cancel := context.WithTimeout(c.Request().Context(), s.timeout)
		defer cancel()
		res, err := st.index.Search(ctx, req)
		if err != nil {
			return "", nil, searchError(err)
		}
		for _, h := range res.Hits {
			if e := st.corpus.Get(h.ID); e != nil {
				entries = append(entries, e)
			}
		}
		title = "Research Security Atlas: " + describeSearch(req)
	}
	// An entry with no date at all cannot be placed in a feed of changes.
	entries = slices.DeleteFunc(entries, func(e *content.Entry) bool { return e.Changed() == "" })
	slices.SortStableFunc(entries, func(a, b *content.Entry) int {
		if c := strings.Compare(b.Changed(), a.Changed()); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	if len(entries) > feedSize {
		entries = entries[:feedSize]
	}
	return title, entries, nil
}

// jsonFeed is a JSON Feed 1.1 document (https://jsonfeed.org/version/1.1).
type jsonFeed struct {
	Version     string           `json:"version"`
	Title       string           `json:"title"`
	HomePageURL string           `json:"home_page_url"`
	FeedURL     string           `json:"feed_url"`
	Description string           `json:"description"`
	Language    string           `json:"language"`
	Authors     []jsonFeedAuthor `json:"authors"`
	Items       []jsonFeedItem   `json:"items"`
}

type jsonFeedAuthor struct {
	Name string `json:"name"`
}

type jsonFeedItem struct {
	ID            string           `json:"id"`
	URL           string           `json:"url"`
	ExternalURL   string           `json:"external_url,omitempty"`
	Title         string           `json:"title"`
	Summary       string           `json:"summary,omitempty"`
	ContentText   string           `json:"content_text"`
	DatePublished string           `json:"date_published,omitempty"`
	DateModified  string           `json:"date_modified"`
	Tags          []string         `json:"tags,omitempty"`
	Language      string           `json:"language,omitempty"`
	Authors       []jsonFeedAuthor `json:"authors,omitempty"`
}

// handleJSONFeed serves the same entries as the Atom feed, in the same order, as JSON Feed 1.1.
// Its addresses start with --base-url when one is set, and are relative to the feed otherwise.
func (s *Server) handleJSONFeed(c echo.Context) error {
	title, entries, err := s.feedEntries(c)
	if err != nil {
		return err
	}
	base := strings.TrimRight(s.publicURL, "/")
	uri := c.Request().URL.RequestURI()
	f := jsonFeed{Version: "https://jsonfeed.org/version/1.1", Title: title,
		HomePageURL: base + strings.Replace(uri, "/feed.json", "/search", 1), FeedURL: base + uri,
		Description: "New and changed entries of the Research Security Atlas, newest change first.",
		Language:    "en", Authors: []jsonFeedAuthor{{Name: "Research Security Atlas"}}, Items: []jsonFeedItem{}}
	if len(c.QueryParams()) == 0 {
		f.HomePageURL = base + "/"
	}
	for _, e := range entries {
		href := base + entryHref(e)
		it := jsonFeedItem{ID: tagPrefix + "docs/" + e.ID, URL: href, ExternalURL: e.SourceURL, Title: e.Title, Summary: e.Summary,
			ContentText: content.Shorten(e.Text, 1000), DateModified: atomTime(e.Changed()), Language: e.Language,
			Tags: []string{content.KindVocab.Label(string(e.Kind))}}
		if it.ContentText == "" {
			it.ContentText = e.Summary
		}
		if w := e.When(); w != "" {
			it.DatePublished = atomTime(w)
		}
		if e.Issuer != "" {
			it.Authors = []jsonFeedAuthor{{Name: e.Issuer}}
		}
		for _, code := range e.Countries {
			it.Tags = append(it.Tags, content.CountryName(code))
		}
		f.Items = append(f.Items, it)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "application/feed+json; charset=utf-8", buf.Bytes())
}

// describeSearch names a search in words, for a feed title.
func describeSearch(r search.Request) string {
	var parts []string
	if r.Query != "" {
		parts = append(parts, "“"+r.Query+"”")
	}
	for _, f := range search.Facets {
		var labels []string
		for _, v := range r.Filters[f] {
			labels = append(labels, valueLabel(f, v))
		}
		if len(labels) > 0 {
			parts = append(parts, strings.ToLower(facetLabels[f])+" "+strings.Join(labels, " or "))
		}
	}
	if len(parts) == 0 {
		return "everything"
	}
	return strings.Join(parts, ", ")
}

func writeXML(c echo.Context, mediaType string, v any) error {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	return c.Blob(http.StatusOK, mediaType, buf.Bytes())
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type sitemap struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

func (s *Server) handleSitemap(c echo.Context) error {
	st := s.state()
	base := s.publicURL
	sm := sitemap{}
	for _, p := range sitePages {
		if p.inSitemap {
			sm.URLs = append(sm.URLs, sitemapURL{Loc: base + p.path})
		}
	}
	for _, t := range st.catalog.Topics {
		sm.URLs = append(sm.URLs, sitemapURL{Loc: base + "/topics/" + t.Slug})
	}
	for _, j := range st.catalog.Jurisdictions {
		sm.URLs = append(sm.URLs, sitemapURL{Loc: base + "/countries/" + j.Code})
	}
	for _, e := range st.corpus.Entries {
		if st.canonicalPage(e) != "" {
			continue // listed above under /topics/ or /countries/
		}
		lm := e.Changed()
		if len(lm) != 10 {
			lm = ""
		}
		sm.URLs = append(sm.URLs, sitemapURL{Loc: base + "/docs/" + url.PathEscape(e.ID), LastMod: lm})
	}
	return writeXML(c, "application/xml; charset=utf-8", sm)
}

type openSearch struct {
	XMLName       xml.Name `xml:"http://a9.com/-/spec/opensearch/1.1/ OpenSearchDescription"`
	ShortName     string   `xml:"ShortName"`
	Description   string   `xml:"Description"`
	InputEncoding string   `xml:"InputEncoding"`
	URLs          []struct {
		Type     string `xml:"type,attr"`
		Template string `xml:"template,attr"`
	} `xml:"Url"`
}

func (s *Server) handleOpenSearch(c echo.Context) error {
	base := s.publicURL
	o := openSearch{ShortName: "Research Security Atlas", Description: "Search research-security guidance and workshop findings", InputEncoding: "UTF-8"}
	o.URLs = append(o.URLs, struct {
		Type     string `xml:"type,attr"`
		Template string `xml:"template,attr"`
	}{"text/html", base + "/search?q={searchTerms}"}, struct {
		Type     string `xml:"type,attr"`
		Template string `xml:"template,attr"`
	}{"application/atom+xml", base + "/feed.atom?q={searchTerms}"})
	return writeXML(c, "application/opensearchdescription+xml; charset=utf-8", o)
}
