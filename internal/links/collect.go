package links

import (
	"net/url"
	"slices"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/research-security-atlas/atlas/internal/content"
)

// Fields a link can come from, as in Use.Field.
const (
	FieldURL          = "source_url"    // a guidance entry's canonical source
	FieldContactPoint = "contact_point" // a country's contact point
	FieldBody         = "body"          // a link inside an entry's body
)

// Link is one distinct external address and the entries that cite it.
type Link struct {
	URL  string
	Uses []Use
}

// Use is one place a link is cited.
type Use struct {
	ID    string `json:"id"`
	Path  string `json:"path"`  // the entry's file, relative to the content root
	Field string `json:"field"` // FieldURL, FieldContactPoint or FieldBody
	// Title is the citing entry's title. Only an entry's own source (FieldURL) is expected
	// to carry a page title resembling it.
	Title string `json:"title"`
}

// Collect returns every distinct http(s) address in the corpus, sorted, each with the entries
// that use it. Addresses that differ only in their #fragment are one link, since the
// fragment is never sent to the server.
func Collect(c *content.Corpus) []Link {
	byURL := map[string]*Link{}
	add := func(raw string, e *content.Entry, field string) {
		key, ok := normalise(raw)
		if !ok {
			return
		}
		l := byURL[key]
		if l == nil {
			l = &Link{URL: key}
			byURL[key] = l
		}
		u := Use{ID: e.ID, Path: e.Path, Field: field, Title: e.Title}
		if !slices.Contains(l.Uses, u) {
			l.Uses = append(l.Uses, u)
		}
	}
	for _, e := range c.Entries {
		if e.SourceURL != "" {
			add(e.SourceURL, e, FieldURL)
		}
		if e.ContactPoint != "" {
			add(e.ContactPoint, e, FieldContactPoint)
		}
		for _, href := range bodyLinks(e) {
			add(href, e, FieldBody)
		}
	}
	links := make([]Link, 0, len(byURL))
	for _, l := range byURL {
		links = append(links, *l)
	}
	slices.SortFunc(links, func(a, b Link) int { return strings.Compare(a.URL, b.URL) })
	return links
}

// bodyLinks returns the external hrefs of an entry's rendered body.
func bodyLinks(e *content.Entry) []string {
	if !strings.Contains(string(e.HTML), "http") {
		return nil
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(e.HTML)))
	if err != nil {
		return nil
	}
	var hrefs []string
	doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		hrefs = append(hrefs, href)
	})
	return hrefs
}

// normalise returns raw without its fragment, or false when raw is not an absolute http(s)
// address.
func normalise(raw string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	u.Fragment, u.RawFragment = "", ""
	return u.String(), true
}
