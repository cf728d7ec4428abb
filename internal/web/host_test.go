package web

import (
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

var hostTargets = []string{"/robots.txt", "/sitemap.xml", "/opensearch.xml", "/feed.atom", "/feed.atom?q=screening",
	"/reading-list.md", "/reading-list.csv", "/reading-list.bib", "/reading-list.ris", "/reading-list.json", "/search?q=screening", "/"}

func getWithHost(s *Server, target, host string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.Host = host
	req.Header.Set("X-Forwarded-Host", host)
	req.Header.Set("X-Forwarded-Proto", "https")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

// The Host a request names never appears in what the site writes: without --base-url the
// addresses are relative, with it they are the base URL's. The second request for each page
// comes from the page cache, which a first request with a forged Host must not poison.
func TestHostHeaderIsNeverUsed(t *testing.T) {
	for _, base := range []string{"", "https://atlas.example.org"} {
		s := serveFixture(t, Config{BaseURL: base})
		for _, target := range hostTargets {
			for _, host := range []string{"evil.example", "atlas.test"} {
				rec := getWithHost(s, target, host)
				if rec.Code != http.StatusOK {
					t.Fatalf("%s: %d", target, rec.Code)
				}
				if body := rec.Body.String(); strings.Contains(body, "evil.example") || strings.Contains(body, "atlas.test") {
					t.Errorf("base %q: %s names the request's host %q:\n%s", base, target, host, body)
				}
			}
		}
		if base == "" {
			continue
		}
		for target, want := range map[string]string{
			"/robots.txt":       "Sitemap: https://atlas.example.org/sitemap.xml",
			"/sitemap.xml":      "<loc>https://atlas.example.org/docs/nl-guidelines</loc>",
			"/opensearch.xml":   `template="https://atlas.example.org/search?q={searchTerms}"`,
			"/feed.atom":        `href="https://atlas.example.org/docs/nl-guidelines"`,
			"/reading-list.bib": "https://atlas.example.org/docs/nl-guidelines",
		} {
			if body := get(t, s, target).Body.String(); !strings.Contains(body, want) {
				t.Errorf("base %q: %s lacks %s", base, target, want)
			}
		}
	}
}

// Atom ids are tag: URIs, the same whatever the base URL.
func TestAtomIDsAreStable(t *testing.T) {
	ids := func(base string) []string {
		s := serveFixture(t, Config{BaseURL: base})
		var feed struct {
			ID      string `xml:"id"`
			Entries []struct {
				ID string `xml:"id"`
			} `xml:"entry"`
		}
		if err := xml.Unmarshal(get(t, s, "/feed.atom?country=nl").Body.Bytes(), &feed); err != nil {
			t.Fatal(err)
		}
		out := []string{feed.ID}
		for _, e := range feed.Entries {
			out = append(out, e.ID)
		}
		return out
	}
	a, b := ids(""), ids("https://atlas.example.org")
	if strings.Join(a, " ") != strings.Join(b, " ") || len(a) < 2 {
		t.Errorf("ids change with the base URL: %v and %v", a, b)
	}
	tag := regexp.MustCompile(`^tag:[a-z0-9.-]+,\d{4}:\S+$`)
	for _, id := range a {
		if !tag.MatchString(id) {
			t.Errorf("Atom id %q is not a tag: URI", id)
		}
	}
}
