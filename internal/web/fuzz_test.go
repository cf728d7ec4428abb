package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/search"
)

var (
	fuzzOnce   sync.Once
	fuzzServer *Server
)

// fuzzTarget is one server with an in-memory index, shared by all fuzz inputs.
func fuzzTarget(t testing.TB) *Server {
	fuzzOnce.Do(func() {
		corpus, _, err := content.Load(os.DirFS("../search/testdata/corpus"), ".", content.Options{})
		if err != nil {
			t.Fatal(err)
		}
		s, err := New(Config{Templates: os.DirFS("../../templates"), Static: os.DirFS("../../static")}, corpus)
		if err != nil {
			t.Fatal(err)
		}
		ix, err := search.NewMemory(corpus)
		if err != nil {
			t.Fatal(err)
		}
		s.SetSearcher(ix)
		fuzzServer = s
	})
	return fuzzServer
}

// FuzzSearchQuery sends arbitrary query strings to the search API and page: the answer is 200
// or a 4xx that says what to fix (a 404 for a page past the last), never a 500, and markup never comes back unescaped.
func FuzzSearchQuery(f *testing.F) {
	for _, seed := range []string{"q=research+security", "q=%22partner+screening%22&country=nl", "q=a&sort=newest&page=2&size=5",
		"q=title:(x+AND+y)^2~", "q=\"\"\"", "country=zz", "q=%ff", "q=<script>", "size=0", "page=1e9", "q=knowledge*&year=2023"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		s := fuzzTarget(t)
		if _, err := url.ParseQuery(raw); err != nil {
			return
		}
		for _, path := range []string{"/api/search?", "/search?"} {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.URL.Path = strings.TrimSuffix(path, "?")
			req.URL.RawQuery = raw
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			// A page past the last is a 404 that links to the last page.
			pastLast := rec.Code == 404 && path == "/search?" && strings.Contains(rec.Body.String(), "there is no page")
			if rec.Code != 200 && rec.Code != 400 && !pastLast {
				t.Fatalf("GET %s%q: status %d: %s", path, raw, rec.Code, rec.Body.String())
			}
			if strings.Contains(rec.Body.String(), "<script>") {
				t.Fatalf("GET %s%q: unescaped <script>", path, raw)
			}
		}
	})
}
