package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/search"
)

// newTestServer serves the search package's fixture corpus from a real on-disk index, with the
// real templates and static files.
func newTestServer(t *testing.T, ready bool) *Server {
	t.Helper()
	corpus, probs, err := content.Load(os.DirFS("../search/testdata/corpus"), ".", content.Options{Now: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
	if err != nil || content.Errors(probs) > 0 {
		t.Fatalf("fixture corpus: %v %v", err, probs)
	}
	if !ready {
		s, err := New(Config{Templates: os.DirFS("../../templates"), Static: os.DirFS("../../static")}, corpus)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	return serveCorpus(t, corpus)
}

// serveCorpus serves corpus from a real on-disk index, with the real templates and static files.
func serveCorpus(tb testing.TB, corpus *content.Corpus) *Server {
	tb.Helper()
	s, err := New(Config{Templates: os.DirFS("../../templates"), Static: os.DirFS("../../static")}, corpus)
	if err != nil {
		tb.Fatal(err)
	}
	ix, _, err := search.OpenOrBuild(context.Background(), filepath.Join(tb.TempDir(), "atlas.bleve"), corpus)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	s.SetSearcher(ix)
	return s
}

// serveFixtures serves fsys with the named files of the search package's fixture corpus added,
// failing the test on any content error.
func serveFixtures(t *testing.T, fsys fstest.MapFS, fixtures ...string) *Server {
	t.Helper()
	for _, name := range fixtures {
		data, err := os.ReadFile("../search/testdata/corpus/" + name)
		if err != nil {
			t.Fatal(err)
		}
		fsys[name] = &fstest.MapFile{Data: data}
	}
	corpus, probs, err := content.Load(fsys, ".", content.Options{Now: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
	if err != nil || content.Errors(probs) > 0 {
		t.Fatalf("corpus: %v %v", err, probs)
	}
	return serveCorpus(t, corpus)
}

func get(t *testing.T, s *Server, target string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec
}

func mustDoc(t *testing.T, rec *httptest.ResponseRecorder) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func texts(sel *goquery.Selection) []string {
	var out []string
	sel.Each(func(_ int, s *goquery.Selection) { out = append(out, strings.Join(strings.Fields(s.Text()), " ")) })
	return out
}

func TestPages(t *testing.T) {
	s := newTestServer(t, true)
	for _, test := range []struct {
		target string
		status int
		checks map[string]string // goquery selector -> text the first match must contain
	}{
		{"/", 200, map[string]string{
			"h1":                           "Research Security Atlas",
			"form[action='/search'] label": "Search 5 guidance documents and 2 workshop findings",
			".card h3":                     "Comparing national approaches",
			".card a[href='/countries']":   "Countries and who has done what",
		}},
		{"/search?q=research+security", 200, map[string]string{
			"#results-h":            "results for “research security”",
			".hit h3 a":             "Safeguarding International Science Research Security Framework",
			".hit .meta .issuer":    "National Institute of Standards and Technology",
			".hit .meta .countries": "United States",
			".hit .meta .year":      "2023",
			".hit .meta .kind":      "Framework",
			".hit .snippet mark":    "research",
		}},
		{"/search?kind=guidance&sort=title&size=2", 200, map[string]string{
			"#results-h":                         "1–2 of 5 results",
			".pager a[aria-current]":             "1",
			".pager a[rel=next]":                 "Next",
			"select[name=sort] option[selected]": "Title A–Z",
		}},
		{"/docs/nl-guidelines", 200, map[string]string{
			"h1":                                     "National Knowledge Security Guidelines",
			".metadata dd":                           "Guidance",
			".metadata a[href='/search?country=nl']": "Netherlands",
			".metadata a.source":                     "Read the source",
			".metadata time":                         "2022-01",
			".toc a[href='#partner-screening']":      "Partner screening",
			".doc-body h2#partner-screening":         "Partner screening",
		}},
		{"/docs/f-nl-key-elements", 200, map[string]string{
			".related a[href='/docs/nl-guidelines']": "National Knowledge Security Guidelines",
			".metadata":                              "What are the key elements of research security in your country?",
		}},
		{"/docs/no-such-entry", 404, map[string]string{"h1": "Page not found", ".lede": `no entry with the id "no-such-entry"`}},
		{"/nowhere/../../etc/passwd", 404, map[string]string{".lede": "There is no page at this address."}},
		{"/search?country=atlantis", 400, map[string]string{".lede": "old or mistyped link", ".lede + p": `unknown country "atlantis"`}},
		{"/search?q=" + strings.Repeat("a", 501), 400, map[string]string{".lede + p": "q is longer than 500 characters"}},
	} {
		rec := get(t, s, test.target)
		if rec.Code != test.status {
			t.Errorf("GET %s: status %d, want %d", test.target, rec.Code, test.status)
			continue
		}
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("GET %s: Content-Type %q", test.target, ct)
		}
		doc := mustDoc(t, rec)
		for sel, want := range test.checks {
			got := texts(doc.Find(sel).First())
			if len(got) == 0 || !strings.Contains(got[0], want) {
				t.Errorf("GET %s: %s = %q, want it to contain %q", test.target, sel, got, want)
			}
		}
	}
}

// The search page keeps a ticked country ticked, keeps the other countries' counts, and counts
// the other facets within the selection.
func TestSearchPageDisjunctiveFacets(t *testing.T) {
	s := newTestServer(t, true)
	doc := mustDoc(t, get(t, s, "/search?country=nl"))
	box := func(name, value string) *goquery.Selection {
		return doc.Find("input[name='" + name + "'][value='" + value + "']")
	}
	count := func(name, value string) string {
		return strings.TrimSpace(box(name, value).Closest("label").Find(".count").Text())
	}
	if _, checked := box("country", "nl").Attr("checked"); !checked {
		t.Error("country nl is not checked")
	}
	if _, checked := box("country", "ca").Attr("checked"); checked {
		t.Error("country ca is checked")
	}
	for _, c := range []struct{ name, value, want string }{
		{"country", "nl", "3"}, {"country", "ca", "2"}, {"country", "us", "1"},
		{"kind", "guidance", "1"}, {"kind", "finding", "1"}, {"kind", "country", "1"},
	} {
		if got := count(c.name, c.value); got != c.want {
			t.Errorf("count of %s=%s is %q, want %s", c.name, c.value, got, c.want)
		}
	}
	if got := texts(doc.Find(".chips a").First()); len(got) == 0 || !strings.Contains(got[0], "Country: Netherlands") {
		t.Errorf("active filter chip = %q", got)
	}
	if got := doc.Find(".hit").Length(); got != 3 {
		t.Errorf("%d hits, want 3", got)
	}
}

func TestAPISearch(t *testing.T) {
	s := newTestServer(t, true)
	rec := get(t, s, "/api/search?q=research+security&country=us&country=nl&size=5")
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("status %d, type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	var got struct {
		Query  string
		Total  int
		Page   int
		Size   int
		Hits   []map[string]any
		Facets map[string][]facetValue
	}
	if err := json.NewDecoder(rec.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.Query != "research security" || got.Page != 1 || got.Size != 5 || got.Total == 0 {
		t.Errorf("query %q page %d size %d total %d", got.Query, got.Page, got.Size, got.Total)
	}
	h := got.Hits[0]
	if h["id"] != "us-framework" || h["href"] != "/docs/us-framework#what-it-is" || h["source_url"] != "https://example.org/us-framework" ||
		h["type"] != "framework" || h["year"] != float64(2023) || h["kind"] != "guidance" {
		t.Errorf("first hit = %v", h)
	}
	if snip, _ := h["snippet"].(string); !strings.Contains(snip, "<mark>") || strings.Contains(snip, "<script>") {
		t.Errorf("snippet = %q", snip)
	}
	if _, ok := got.Facets["technology"]; len(got.Facets) != len(search.Facets)+1 || !ok {
		t.Errorf("facets %v, want all of %v and technology", got.Facets, search.Facets)
	}
	var selected []string
	for _, v := range got.Facets["country"] {
		if v.Selected {
			selected = append(selected, v.Value)
		}
		if v.Value == "nl" && v.Label != "Netherlands" {
			t.Errorf("label of nl = %q", v.Label)
		}
	}
	if strings.Join(selected, ",") != "nl,us" && strings.Join(selected, ",") != "us,nl" {
		t.Errorf("selected countries = %v", selected)
	}
}

func TestAPIDoc(t *testing.T) {
	s := newTestServer(t, true)
	rec := get(t, s, "/api/docs/ca-partnerships")
	var d apiDoc
	if err := json.NewDecoder(rec.Body).Decode(&d); err != nil || rec.Code != 200 {
		t.Fatalf("status %d, %v", rec.Code, err)
	}
	if d.Title != "National Security Guidelines for Research Partnerships" || d.Issuer != "Government of Canada" ||
		d.Published != "2021-07" || len(d.Sections) != 2 || d.Sections[0].Anchor != "what-it-is" ||
		len(d.Related) != 1 || d.Related[0].Href != "/docs/nl-guidelines" || !strings.Contains(d.HTML, "<h2 id=\"what-it-asks\">") {
		t.Errorf("doc = %+v", d)
	}
}

func TestAPIErrors(t *testing.T) {
	s := newTestServer(t, true)
	for _, test := range []struct {
		target string
		status int
		want   string
	}{
		{"/api/search?country=uk", 400, `unknown country \"uk\"`},
		{"/api/search?topic=security", 400, "use one of conceptualisation, funder-measures, institutional-role"},
		{"/api/search?sort=random", 400, "use relevance, newest or title"},
		{"/api/search?page=0", 400, "page must be a whole number from 1 to 1000"},
		{"/api/search?size=101", 400, "size must be a whole number from 1 to 100"},
		{"/api/search?year=20x3", 400, "four digits"},
		{"/api/search?q=%ff%fe", 400, "q is not valid UTF-8"},
		{"/api/search?q=" + strings.Repeat("x", 501), 400, "longer than 500 characters"},
		{"/api/docs/none", 404, "no entry with the id"},
		{"/api/nothing", 404, "no page at this address"},
	} {
		rec := get(t, s, test.target)
		if rec.Code != test.status || !strings.Contains(rec.Body.String(), test.want) ||
			!strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			t.Errorf("GET %s: %d %s, want %d with %q", test.target, rec.Code, rec.Body.String(), test.status, test.want)
		}
	}
}

func TestReadiness(t *testing.T) {
	s := newTestServer(t, false)
	for target, want := range map[string]int{"/healthz": 200, "/readyz": 503, "/api/search?q=x": 503, "/search": 503, "/": 200, "/docs/nl-guidelines": 200} {
		if rec := get(t, s, target); rec.Code != want {
			t.Errorf("before the index is open, GET %s = %d, want %d", target, rec.Code, want)
		}
	}
	ready := newTestServer(t, true)
	if rec := get(t, ready, "/readyz"); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"indexed":9`) {
		t.Errorf("GET /readyz when open = %d %s", rec.Code, rec.Body.String())
	}
}

func TestHeadersAndMethods(t *testing.T) {
	s := newTestServer(t, true)
	for _, target := range []string{"/", "/search?q=x", "/docs/nl", "/api/search", "/nowhere", "/static/site.css"} {
		rec := get(t, s, target)
		h := rec.Header()
		for key, want := range map[string]string{
			"Content-Security-Policy": "default-src 'none'",
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "strict-origin-when-cross-origin",
			"Permissions-Policy":      "camera=()",
		} {
			if !strings.Contains(h.Get(key), want) {
				t.Errorf("GET %s: %s = %q, want %q", target, key, h.Get(key), want)
			}
		}
		if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("GET %s: CSP lacks frame-ancestors", target)
		}
	}
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(m, "/search", strings.NewReader("q=x")))
		if rec.Code != http.StatusMethodNotAllowed && rec.Code != http.StatusNotFound {
			t.Errorf("%s /search = %d, want 405 or 404", m, rec.Code)
		}
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodHead, "/", nil))
	if rec.Code != 200 {
		t.Errorf("HEAD / = %d", rec.Code)
	}
}

func TestStaticFiles(t *testing.T) {
	s := newTestServer(t, true)
	doc := mustDoc(t, get(t, s, "/"))
	href, _ := doc.Find("link[rel=stylesheet]").Attr("href")
	if !strings.HasPrefix(href, "/static/site.css?v=") {
		t.Fatalf("stylesheet href = %q", href)
	}
	rec := get(t, s, href)
	if rec.Code != 200 || !strings.Contains(rec.Header().Get("Cache-Control"), "immutable") || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") {
		t.Errorf("GET %s: %d, cache %q, type %q", href, rec.Code, rec.Header().Get("Cache-Control"), rec.Header().Get("Content-Type"))
	}
	for _, bad := range []string{"/static/../go.mod", "/static/%2e%2e/go.mod", "/static/nothing.css"} {
		if rec := get(t, s, bad); rec.Code != 404 {
			t.Errorf("GET %s = %d, want 404", bad, rec.Code)
		}
	}
}

// Every parameter carrying markup comes back escaped.
func TestEscaping(t *testing.T) {
	s := newTestServer(t, true)
	rec := get(t, s, `/search?q=%3Cscript%3Ealert(1)%3C/script%3E"><img+src=x>`)
	body := rec.Body.String()
	if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x>") {
		t.Errorf("unescaped input in page:\n%s", body)
	}
}

// The whole of the site's CSS and JavaScript stays under 60 KB, uncompressed.
func TestStaticBudget(t *testing.T) {
	total := 0
	for _, pattern := range []string{"../../static/*.css", "../../static/*.js", "../../static/**/*.css", "../../static/**/*.js"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			info, err := os.Stat(f)
			if err != nil {
				t.Fatal(err)
			}
			total += int(info.Size())
		}
	}
	if total == 0 || total > 60<<10 {
		t.Errorf("CSS and JS total %d bytes; the budget is 60 KB", total)
	}
}
