package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/search"
)

// serveFixture serves the fixture corpus from an on-disk index with cfg and the real templates
// and static files.
func serveFixture(t *testing.T, cfg Config) *Server {
	t.Helper()
	corpus, probs, err := content.Load(os.DirFS("../search/testdata/corpus"), ".", content.Options{Now: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
	if err != nil || content.Errors(probs) > 0 {
		t.Fatalf("fixture corpus: %v %v", err, probs)
	}
	cfg.Templates, cfg.Static = os.DirFS("../../templates"), os.DirFS("../../static")
	s, err := New(cfg, corpus)
	if err != nil {
		t.Fatal(err)
	}
	ix, _, err := search.OpenOrBuild(context.Background(), filepath.Join(t.TempDir(), "atlas.bleve"), corpus)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	s.SetSearcher(ix)
	return s
}

// searchPageBound is the most a page driven by a request's parameters may weigh.
const searchPageBound = 512 << 10

// A burst of distinct searches from one client, on the pages as on the API, runs into the rate
// limit; another client is still answered. The rate is one request a second, so the burst
// finishes long before the budget could refill.
func TestSearchPagesAreRateLimited(t *testing.T) {
	s := serveFixture(t, Config{RateLimit: 1, RateBurst: 40})
	from := func(addr, target string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.RemoteAddr = addr
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec
	}
	codes := map[int]int{}
	for i := range 300 {
		target := []string{"/search?q=screening+%d", "/feed.atom?q=partner+%d", "/reading-list?year=%d"}[i%3]
		rec := from("192.0.2.1:1234", fmt.Sprintf(target, 1000+i))
		codes[rec.Code]++
		if rec.Code == http.StatusTooManyRequests {
			if rec.Header().Get("Retry-After") == "" || !strings.Contains(rec.Body.String(), "Too many requests") {
				t.Fatalf("429 without Retry-After or an explanation: %v %s", rec.Header(), rec.Body)
			}
		}
	}
	if codes[http.StatusTooManyRequests] < 250 || codes[http.StatusOK] < 40 {
		t.Errorf("300 distinct searches from one client: %v; want the first 40 answered and most of the rest 429", codes)
	}
	if rec := from("192.0.2.1:1234", "/api/search?q=screening"); rec.Code != http.StatusTooManyRequests {
		t.Errorf("the API after the page burst: %d, want 429 (one budget per client)", rec.Code)
	}
	if rec := from("198.51.100.7:4321", "/search?q=screening"); rec.Code != http.StatusOK {
		t.Errorf("another client: %d, want 200", rec.Code)
	}
	if rec := from("192.0.2.1:1234", "/docs/nl-guidelines"); rec.Code != http.StatusOK {
		t.Errorf("an entry page for the limited client: %d, want 200 (only searches are limited)", rec.Code)
	}
}

// A request with as many filter values and as long a query as are allowed makes a page of
// bounded size; one value more is refused.
func TestLargestSearchPageIsBounded(t *testing.T) {
	s := newTestServer(t, true)
	q := url.Values{"q": {strings.Repeat("€", maxQueryLen)}}
	for y := range maxValues {
		q.Add("year", fmt.Sprint(1990+y))
	}
	for _, path := range []string{"/search", "/reading-list", "/feed.atom", "/api/search"} {
		rec := get(t, s, path+"?"+q.Encode())
		if path == "/reading-list" {
			rec = get(t, s, path+"?"+url.Values{"year": q["year"]}.Encode())
		}
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
		}
		if n := rec.Body.Len(); n > searchPageBound {
			t.Errorf("%s with %d filter values: %d bytes, more than %d", path, maxValues, n, searchPageBound)
		}
	}
	q.Add("country", "nl")
	if rec := get(t, s, "/search?"+q.Encode()); rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "at most 30") {
		t.Errorf("one filter value too many: %d %s", rec.Code, rec.Body)
	}
}

// A search that runs out of time is a 503 that says so, on every page that searches.
func TestSearchTimeoutIsAnswered(t *testing.T) {
	s := serveFixture(t, Config{SearchTimeout: time.Nanosecond})
	for _, target := range []string{"/search?q=screening", "/api/search?q=screening", "/feed.atom?q=screening"} {
		rec := get(t, s, target)
		if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "took too long") {
			t.Errorf("%s: %d %.200s", target, rec.Code, rec.Body)
		}
	}
}
