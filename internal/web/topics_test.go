package web

import (
	"encoding/xml"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/research-security-atlas/atlas/internal/content"
)

func TestOneURLPerThing(t *testing.T) {
	s := newTestServer(t, true)
	for _, test := range []struct{ from, to string }{
		{"/docs/nl", "/countries/nl"},
		{"/docs/conceptualisation", "/topics/conceptualisation"},
	} {
		rec := get(t, s, test.from)
		if rec.Code != 301 || rec.Header().Get("Location") != test.to {
			t.Errorf("GET %s: %d to %q, want 301 to %s", test.from, rec.Code, rec.Header().Get("Location"), test.to)
		}
	}
	if rec := get(t, s, "/docs/nl-guidelines"); rec.Code != 200 {
		t.Errorf("GET /docs/nl-guidelines: %d", rec.Code)
	}
	var sm struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(get(t, s, "/sitemap.xml").Body.Bytes(), &sm); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, u := range sm.URLs {
		// Without --base-url the sitemap's addresses are relative; with one, the path follows the host.
		path := u.Loc
		if pu, err := url.Parse(u.Loc); err == nil && pu.Host != "" {
			path = pu.RequestURI()
		}
		if seen[path] {
			t.Errorf("sitemap lists %s twice", path)
		}
		seen[path] = true
		if path == "/docs/nl" || path == "/docs/conceptualisation" {
			t.Errorf("sitemap lists %s, which redirects", path)
		}
	}
	for _, want := range []string{"/topics", "/topics/conceptualisation", "/countries/nl", "/docs/nl-guidelines"} {
		if !seen[want] {
			t.Errorf("sitemap lacks %s", want)
		}
	}
}

// TestTopicPages holds the real corpus's topic pages to one name per topic, no slugs in
// headings, no heading twice and no finding twice under one question; the /topics index lists
// the three.
func TestTopicPages(t *testing.T) {
	s := realCorpusServer(t)
	idx := mustDoc(t, get(t, s, "/topics"))
	if got := texts(idx.Find(".topic-list h2")); strings.Join(got, "|") != "Conceptualisation of research security|Government and funding-agency measures|The role of research institutions" {
		t.Errorf("/topics lists %v", got)
	}
	for _, slug := range content.TopicVocab.Values() {
		doc := mustDoc(t, get(t, s, "/topics/"+slug))
		if h1 := texts(doc.Find("h1")); len(h1) != 1 || h1[0] != content.TopicVocab.Label(slug) {
			t.Errorf("%s: h1 %v, want %q", slug, h1, content.TopicVocab.Label(slug))
		}
		seen := map[string]bool{}
		doc.Find("main h1, main h2, main h3, main h4").Each(func(_ int, h *goquery.Selection) {
			text := strings.Join(strings.Fields(h.Text()), " ")
			if seen[text] {
				t.Errorf("%s: heading %q twice", slug, text)
			}
			seen[text] = true
			if h.Find("code").Length() > 0 {
				t.Errorf("%s: heading %q shows a slug", slug, text)
			}
		})
		doc.Find(".question-block").Each(func(_ int, q *goquery.Selection) {
			ids := map[string]bool{}
			q.Find(".answers a[href^='/docs/']").Each(func(_ int, a *goquery.Selection) {
				href, _ := a.Attr("href")
				if ids[href] {
					t.Errorf("%s: %s listed twice under %q", slug, href, q.Find("h3").Text())
				}
				ids[href] = true
			})
		})
		if strings.Contains(doc.Find("main").Text(), "MLD") {
			t.Errorf("%s: the page says MLD, not Multilateral Dialogue", slug)
		}
	}
}
