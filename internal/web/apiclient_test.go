package web

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/andybalholm/brotli"

	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/upkeep"
)

// Every /api endpoint refuses a parameter it does not read, and names it.
func TestAPIUnknownParameters(t *testing.T) {
	s := realCorpusServer(t)
	for _, test := range []struct {
		target string
		status int
		names  []string // in the error message
	}{
		{"/api/search?countries=nl", 400, []string{`"countries"`, "country"}},
		{"/api/search?q=x&limit=5", 400, []string{`"limit"`, "size"}},
		{"/api/search?limit=5&offset=2", 400, []string{`parameters "limit", "offset"`}},
		{"/api/search?q=x&country=nl&size=5", 200, nil},
		{"/api/suggest?q=kn&n=3", 400, []string{`"n"`}},
		{"/api/docs/nl?format=xml", 400, []string{`"format"`, "takes no parameters"}},
		{"/api/countries?country=nl", 400, []string{`"country"`}},
		{"/api/compare?country=nl&country=ca", 200, nil},
		{"/api/compare?c=nl&c=ca", 200, nil},
		{"/api/compare?c=nl&country=ca&theme=x", 400, []string{"theme"}},
		{"/api/compare?countries=nl&countries=ca", 400, []string{`"countries"`}},
		{"/api/approaches?country=nl", 200, nil},
		{"/api/approaches?c=nl", 200, nil},
		{"/api/approaches?jurisdiction=nl", 400, []string{`"jurisdiction"`}},
		{"/api/technologies?area=quantum", 400, []string{`"area"`}},
		{"/api/questions?topic=x", 400, []string{`"topic"`, "concept"}},
		{"/api/case?home=de&activity=publication&country=cn", 400, []string{`"country"`, "partner"}},
		{"/api/openapi.json?v=1", 400, []string{`"v"`}},
		{"/api/upkeep?all=1", 400, []string{`"all"`}},
	} {
		rec := get(t, s, test.target)
		if rec.Code != test.status {
			t.Errorf("GET %s: %d, want %d: %s", test.target, rec.Code, test.status, rec.Body)
			continue
		}
		if test.status != 400 {
			continue
		}
		var body struct{ Error string }
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Errorf("GET %s: %v", test.target, err)
		}
		for _, n := range test.names {
			if !strings.Contains(body.Error, n) {
				t.Errorf("GET %s: error %q does not name %s", test.target, body.Error, n)
			}
		}
	}
}

// Downloads and feeds are read by programs too: a parameter they do not read is refused by
// name, on the error page, rather than giving the whole list.
func TestDownloadUnknownParameters(t *testing.T) {
	s := realCorpusServer(t)
	for _, test := range []struct {
		target string
		status int
		names  []string
	}{
		{"/reading-list.csv?countries=nl", 400, []string{`"countries"`, "country"}},
		{"/reading-list.ris?country=nl&format=x", 400, []string{`"format"`}},
		{"/reading-list.csv?country=nl&kind=finding&superseded=1&technology=quantum", 200, nil},
		{"/reading-list.bib?id=nl-national-knowledge-security-guidelines", 200, nil},
		{"/feed.atom?limit=5", 400, []string{`"limit"`, "size"}},
		{"/feed.json?country=nl&q=screening", 200, nil},
		{"/feed.json?countries=nl", 400, []string{`"countries"`}},
		{"/approaches.csv?c=nl", 400, []string{`"c"`, "takes no parameters"}},
		{"/technologies.csv?area=quantum", 400, []string{`"area"`}},
		{"/sitemap.xml?page=2", 400, []string{`"page"`}},
	} {
		rec := get(t, s, test.target)
		if rec.Code != test.status {
			t.Errorf("GET %s: %d, want %d: %.300s", test.target, rec.Code, test.status, rec.Body)
			continue
		}
		if test.status != 400 {
			continue
		}
		text := mustDoc(t, rec).Find("main").Text()
		for _, n := range test.names {
			if !strings.Contains(text, n) {
				t.Errorf("GET %s: page %q does not name %s", test.target, strings.Join(strings.Fields(text), " "), n)
			}
		}
	}
	// A search page reached with a tracking parameter still links to a feed that works.
	doc := mustDoc(t, get(t, s, "/search?q=screening&country=nl&utm_source=mail"))
	href, ok := doc.Find(`a[href^="/feed.atom"]`).Attr("href")
	if !ok {
		t.Fatal("the search page links to no feed")
	}
	if rec := get(t, s, href); rec.Code != 200 || strings.Contains(href, "utm_source") {
		t.Errorf("feed link %s: %d", href, rec.Code)
	}
}

// /api/compare and /api/approaches answer the same for c and country.
func TestAPICountryAlias(t *testing.T) {
	s := realCorpusServer(t)
	for _, pair := range [][2]string{
		{"/api/compare?c=nl&c=gb", "/api/compare?country=nl&country=gb"},
		{"/api/approaches?c=nl&c=gb", "/api/approaches?country=nl&country=gb"},
	} {
		a, b := get(t, s, pair[0]), get(t, s, pair[1])
		if a.Code != 200 || a.Body.String() != b.Body.String() {
			t.Errorf("%s (%d) and %s (%d) differ", pair[0], a.Code, pair[1], b.Code)
		}
	}
}

// A write is a 405 that says which methods are answered, on every route; OPTIONS is answered
// with those methods, and under /api as a CORS preflight.
func TestMethods(t *testing.T) {
	s := newTestServer(t, true)
	for _, test := range []struct {
		method, target string
		status         int
		cors           bool
	}{
		{"POST", "/", 405, false},
		{"PUT", "/docs/nl-guidelines", 405, false},
		{"DELETE", "/api/search", 405, true},
		{"PATCH", "/api/docs/nl-guidelines", 405, true},
		{"POST", "/nowhere", 405, false},
		{"OPTIONS", "/search", 204, false},
		{"OPTIONS", "/api/search", 204, true},
		{"GET", "/api/countries", 200, true},
		{"GET", "/api/nowhere", 404, true},
		{"GET", "/countries", 200, false},
	} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(test.method, test.target, nil)
		req.Header.Set("Origin", "https://example.org")
		s.ServeHTTP(rec, req)
		h := rec.Header()
		if rec.Code != test.status {
			t.Errorf("%s %s: %d, want %d", test.method, test.target, rec.Code, test.status)
		}
		if test.status != 200 && test.status != 404 && h.Get("Allow") != "GET, HEAD, OPTIONS" {
			t.Errorf("%s %s: Allow %q", test.method, test.target, h.Get("Allow"))
		}
		if got := h.Get("Access-Control-Allow-Origin") == "*"; got != test.cors {
			t.Errorf("%s %s: Access-Control-Allow-Origin %q", test.method, test.target, h.Get("Access-Control-Allow-Origin"))
		}
		if h.Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf("%s %s: credentials allowed", test.method, test.target)
		}
		if test.method == "OPTIONS" && test.cors && (h.Get("Access-Control-Allow-Methods") != "GET, HEAD" || !strings.Contains(h.Get("Access-Control-Allow-Headers"), "If-None-Match")) {
			t.Errorf("%s %s: preflight headers %v", test.method, test.target, h)
		}
	}
}

func getWith(s *Server, target string, header ...string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	s.ServeHTTP(rec, req)
	return rec
}

// Pages and API answers carry an ETag and Last-Modified, and a client whose copy is current
// gets a 304 without a body.
func TestConditionalRequests(t *testing.T) {
	s := newTestServer(t, true)
	for _, target := range []string{"/", "/docs/nl-guidelines", "/search?q=screening", "/api/countries", "/api/docs/nl-guidelines", "/api/search?q=screening", "/feed.atom", "/reading-list.csv"} {
		first := getWith(s, target)
		etag, lm := first.Header().Get("ETag"), first.Header().Get("Last-Modified")
		if first.Code != 200 || !strings.HasPrefix(etag, `W/"`) || lm == "" {
			t.Errorf("GET %s: %d, ETag %q, Last-Modified %q", target, first.Code, etag, lm)
			continue
		}
		if cc := first.Header().Get("Cache-Control"); cc != "public, max-age=60" {
			t.Errorf("GET %s: Cache-Control %q", target, cc)
		}
		for _, test := range []struct {
			header []string
			status int
		}{
			{[]string{"If-None-Match", etag}, 304},
			{[]string{"If-None-Match", `"other", ` + strings.TrimPrefix(etag, "W/")}, 304},
			{[]string{"If-None-Match", `"other"`}, 200},
			{[]string{"If-Modified-Since", lm}, 304},
			{[]string{"If-Modified-Since", "Mon, 02 Jan 2006 15:04:05 GMT"}, 200},
			{[]string{"If-None-Match", `"other"`, "If-Modified-Since", lm}, 200},
		} {
			rec := getWith(s, target, test.header...)
			if rec.Code != test.status {
				t.Errorf("GET %s %v: %d, want %d", target, test.header, rec.Code, test.status)
			}
			if test.status == 304 && rec.Body.Len() > 0 {
				t.Errorf("GET %s %v: 304 with a body", target, test.header)
			}
			if test.status == 200 && rec.Header().Get("ETag") != etag {
				t.Errorf("GET %s: ETag %q, then %q", target, etag, rec.Header().Get("ETag"))
			}
		}
	}
	// A change the same day (here a new link record) is newer than the client's copy: the
	// entries' dates name days, Last-Modified names the second the change was put in place.
	lm := getWith(s, "/docs/nl-guidelines").Header().Get("Last-Modified")
	time.Sleep(1100 * time.Millisecond) // Last-Modified counts whole seconds
	s.SetLinks(&upkeep.Record{Checked: "2026-11-24"})
	if rec := getWith(s, "/docs/nl-guidelines", "If-Modified-Since", lm); rec.Code != 200 || rec.Header().Get("Last-Modified") == lm {
		t.Errorf("after a new link record, If-Modified-Since %s: %d, Last-Modified %q", lm, rec.Code, rec.Header().Get("Last-Modified"))
	}
	// The live state is never stored; errors are not cacheable.
	for target, want := range map[string]string{"/healthz": "no-store", "/readyz": "no-store", "/upkeep": "no-store",
		"/api/upkeep": "no-store", "/nowhere": "no-cache", "/api/search?sort=sideways": "no-cache"} {
		if rec := getWith(s, target); rec.Header().Get("Cache-Control") != want || rec.Header().Get("ETag") != "" && want == "no-store" {
			t.Errorf("GET %s: Cache-Control %q, ETag %q; want %s", target, rec.Header().Get("Cache-Control"), rec.Header().Get("ETag"), want)
		}
	}
}

// A search's time is in a header; its body, apart from took_ms, is the same each time.
func TestSearchTiming(t *testing.T) {
	s := newTestServer(t, true)
	for i := 0; i < 2; i++ {
		rec := getWith(s, "/api/search?q=screening")
		ms := rec.Header().Get("X-Took-Ms")
		if _, err := strconv.ParseFloat(ms, 64); err != nil || !strings.HasPrefix(rec.Header().Get("Server-Timing"), "search;dur="+ms) {
			t.Errorf("X-Took-Ms %q, Server-Timing %q", ms, rec.Header().Get("Server-Timing"))
		}
		if !strings.HasPrefix(rec.Body.String(), `{"took_ms":`+ms+",") {
			t.Errorf("body starts %.40s, want took_ms %s", rec.Body, ms)
		}
	}
}

// Pages and API answers are brotli- or gzip-encoded for a client that accepts it, as it
// prefers, except the small ones and images.
func TestCompression(t *testing.T) {
	s := newTestServer(t, true)
	css := s.static.url("site.css")
	for _, test := range []struct {
		target, accept, want string
	}{
		{"/", "gzip, deflate, br", "br"},
		{"/", "gzip", "gzip"},
		{"/", "br;q=0.5, gzip", "gzip"},
		{"/", "br;q=0, gzip;q=0.2", "gzip"},
		{"/", "*", "br"},
		{"/", "identity", ""},
		{"/", "gzip;q=0, br;q=0", ""},
		{"/api/openapi.json", "gzip, deflate, br", "br"},
		{"/api/search?q=screening", "gzip", "gzip"},
		{"/api/search?q=screening", "br", "br"},
		{"/docs/nl-guidelines", "br, gzip", "br"},
		{"/reading-list.ris", "br", "br"},
		{css, "gzip, br", "br"},
		{"/favicon.ico", "gzip, br", ""},
		{"/healthz", "gzip, br", ""},
	} {
		plain := getWith(s, test.target)
		rec := getWith(s, test.target, "Accept-Encoding", test.accept)
		if got := rec.Header().Get("Content-Encoding"); got != test.want {
			t.Errorf("GET %s (Accept-Encoding %s): Content-Encoding %q, want %q", test.target, test.accept, got, test.want)
			continue
		}
		if !strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") {
			t.Errorf("GET %s: Vary %q", test.target, rec.Header().Get("Vary"))
		}
		if test.want == "" {
			continue
		}
		if cl := rec.Header().Get("Content-Length"); cl != strconv.Itoa(rec.Body.Len()) {
			t.Errorf("GET %s: Content-Length %s for %d bytes", test.target, cl, rec.Body.Len())
		}
		var zr io.Reader = brotli.NewReader(rec.Body)
		if test.want == "gzip" {
			var err error
			if zr, err = gzip.NewReader(rec.Body); err != nil {
				t.Fatal(err)
			}
		}
		body, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("GET %s: decoding %s: %v", test.target, test.want, err)
		}
		if strings.HasPrefix(test.target, "/api/search") { // took_ms differs
			body, plain.Body = body[bytes.IndexByte(body, ','):], bytes.NewBuffer(plain.Body.Bytes()[bytes.IndexByte(plain.Body.Bytes(), ','):])
		}
		if !bytes.Equal(body, plain.Body.Bytes()) {
			t.Errorf("GET %s: decoded body differs", test.target)
		}
		if rec.Header().Get("ETag") != plain.Header().Get("ETag") {
			t.Errorf("GET %s: ETag differs encoded", test.target)
		}
	}
}

// The new resources say what their pages say.
func TestAPIResources(t *testing.T) {
	s := realCorpusServer(t)
	var nl apiCountryProfile
	json.Unmarshal(get(t, s, "/api/countries/nl").Body.Bytes(), &nl)
	if nl.Name != "Netherlands" || !slices.Contains(nl.MemberOf, "eu") || nl.ContactPoint == "" || len(nl.Approach) != len(content.Dimensions) || nl.Href != "/countries/nl" || nl.Documents != len(nl.Guidance) {
		t.Errorf("/api/countries/nl = %+v", nl)
	}
	var topics []apiTopic
	json.Unmarshal(get(t, s, "/api/topics").Body.Bytes(), &topics)
	if len(topics) != len(content.TopicVocab.Values()) || len(topics[0].Questions) == 0 || topics[0].Questions[0].Label == "" {
		t.Errorf("/api/topics = %+v", topics)
	}
	var topic apiTopicDetail
	json.Unmarshal(get(t, s, "/api/topics/"+topics[0].Slug).Body.Bytes(), &topic)
	if topic.Findings != len(topic.FindingRefs) || topic.Findings == 0 {
		t.Errorf("/api/topics/%s: %d findings, %d listed", topics[0].Slug, topic.Findings, len(topic.FindingRefs))
	}
	var voc map[string][]apiDimensionValue
	json.Unmarshal(get(t, s, "/api/vocabularies").Body.Bytes(), &voc)
	for _, v := range vocabularies {
		if len(voc[v.name]) != len(v.vocab.Values()) || voc[v.name][0].Label != v.vocab.Label(voc[v.name][0].Value) {
			t.Errorf("/api/vocabularies %s = %v", v.name, voc[v.name])
		}
	}
	var terms []apiTerm
	json.Unmarshal(get(t, s, "/api/glossary").Body.Bytes(), &terms)
	var ms []apiMilestone
	json.Unmarshal(get(t, s, "/api/timeline").Body.Bytes(), &ms)
	if len(terms) == 0 || len(ms) == 0 || !slices.IsSortedFunc(ms, func(a, b apiMilestone) int { return strings.Compare(a.Date, b.Date) }) {
		t.Errorf("/api/glossary: %d terms; /api/timeline: %d milestones, sorted by date?", len(terms), len(ms))
	}
	// /api lists every /api route.
	var index struct{ Endpoints []apiEndpoint }
	json.Unmarshal(get(t, s, "/api").Body.Bytes(), &index)
	for _, r := range s.e.Routes() {
		p := regexp.MustCompile(`:(\w+)`).ReplaceAllString(r.Path, "{$1}")
		if strings.HasPrefix(p, "/api/") && r.Method != echo.RouteNotFound && !slices.ContainsFunc(index.Endpoints, func(e apiEndpoint) bool { return e.Path == p }) {
			t.Errorf("/api does not list %s", p)
		}
	}
}

// README.md names every route.
func TestRoutesInREADME(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := newTestServer(t, false)
	for _, r := range s.e.Routes() {
		p := regexp.MustCompile(`:(\w+)`).ReplaceAllString(r.Path, "{$1}")
		p = strings.TrimSuffix(p, "*")
		if p == "/" || r.Method == echo.RouteNotFound || strings.HasPrefix(p, "/reading-list.") {
			continue // the home page; the reading list's downloads are listed by extension
		}
		if !bytes.Contains(readme, []byte("`"+p)) && !bytes.Contains(readme, []byte("`GET "+p)) {
			t.Errorf("README.md does not name %s", p)
		}
	}
}

// /api/vocabularies also gives the values that the corpus defines: jurisdictions and
// technology areas, with their names, as the country and technology parameters take them.
func TestAPIVocabulariesFromCorpus(t *testing.T) {
	s := realCorpusServer(t)
	var v map[string][]struct{ Value, Label string }
	if err := json.Unmarshal(get(t, s, "/api/vocabularies").Body.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	has := func(name, value, label string) bool {
		for _, x := range v[name] {
			if x.Value == value {
				return x.Label == label
			}
		}
		return false
	}
	if !has("country", "nl", "Netherlands") || !has("country", "eu", "European Union") || len(v["country"]) != len(s.state().catalog.Jurisdictions) {
		t.Errorf("country = %v", v["country"])
	}
	if len(v["technology"]) == 0 {
		t.Fatal("no technology areas")
	}
	for _, a := range v["technology"] {
		if rec := get(t, s, "/api/search?technology="+a.Value); rec.Code != 200 {
			t.Errorf("technology %s from the vocabulary: /api/search answers %d", a.Value, rec.Code)
		}
	}
}
