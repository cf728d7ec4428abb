package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/research-security-atlas/atlas/internal/content"
)

func TestSchemaType(t *testing.T) {
	for _, test := range []struct {
		e       content.Entry
		service bool // an advice-service cell cites it
		want    string
	}{
		{content.Entry{Kind: content.Guidance, Type: "legislation"}, false, "Legislation"},
		{content.Entry{Kind: content.Guidance, Type: "portal", Themes: []string{"contact-points"}}, true, "GovernmentService"},
		{content.Entry{Kind: content.Guidance, Type: "programme", Themes: []string{"governance", "contact-points"}}, true, "GovernmentService"},
		// A funding call about contact points is not itself a service.
		{content.Entry{Kind: content.Guidance, Type: "programme", Themes: []string{"contact-points"}}, false, "CreativeWork"},
		{content.Entry{Kind: content.Guidance, Type: "report", Themes: []string{"contact-points"}}, true, "Report"},
		{content.Entry{Kind: content.Guidance, Type: "portal"}, true, "CreativeWork"},
		{content.Entry{Kind: content.Guidance, Type: "report"}, false, "Report"},
		{content.Entry{Kind: content.Guidance, Type: "guideline"}, false, "CreativeWork"},
		{content.Entry{Kind: content.Term}, false, "DefinedTerm"},
		{content.Entry{Kind: content.Finding}, false, "CreativeWork"},
	} {
		if got := schemaType(&test.e, test.service); got != test.want {
			t.Errorf("schemaType(%s %s %v) = %s, want %s", test.e.Kind, test.e.Type, test.e.Themes, got, test.want)
		}
	}
}

// TestEntryMetadata: every entry page says what it is in its head — description, Open Graph,
// Highwire citation tags, schema.org JSON-LD — and no text of the entry can break out of the
// JSON-LD script element.
func TestEntryMetadata(t *testing.T) {
	s := newTestServer(t, false)
	e := s.state().corpus.Get("eu-council")
	e.Title = `Council Recommendation </script><script>alert(1)</script> & "more"`
	doc := mustDoc(t, get(t, s, "/docs/eu-council"))
	meta := func(attr, name string) string {
		v, _ := doc.Find("meta[" + attr + "='" + name + "']").Attr("content")
		return v
	}
	if got := meta("name", "description"); got != e.Summary {
		t.Errorf("description = %q, want the summary %q", got, e.Summary)
	}
	for name, want := range map[string]string{"citation_title": e.Title, "citation_author": "Council of the European Union",
		"citation_publication_date": "2024/05/23", "citation_language": "en"} {
		if got := meta("name", name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if meta("property", "og:title") != e.Title || meta("property", "og:type") != "article" || meta("name", "color-scheme") != "light dark" {
		t.Errorf("og:title %q, og:type %q, color-scheme %q", meta("property", "og:title"), meta("property", "og:type"), meta("name", "color-scheme"))
	}
	if doc.Find("script").FilterFunction(func(_ int, sc *goquery.Selection) bool {
		return strings.Contains(sc.Text(), "alert") && !strings.Contains(sc.Text(), "schema.org")
	}).Length() > 0 {
		t.Error("the title closed the JSON-LD script element")
	}
	lds := doc.Find(`script[type="application/ld+json"]`)
	if lds.Length() != 1 {
		t.Fatalf("%d JSON-LD blocks, want 1", lds.Length())
	}
	var ld map[string]any
	if err := json.Unmarshal([]byte(lds.Text()), &ld); err != nil {
		t.Fatalf("JSON-LD does not parse: %v\n%s", err, lds.Text())
	}
	if ld["@type"] != "CreativeWork" || ld["name"] != e.Title || ld["datePublished"] != "2024-05-23" {
		t.Errorf("JSON-LD = %v", ld)
	}
	if href, _ := doc.Find(`link[rel=icon]`).Attr("href"); !strings.HasPrefix(href, "/static/favicon.svg") {
		t.Errorf("favicon link = %q", href)
	} else if rec := get(t, s, href); rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "image/svg+xml") {
		t.Errorf("GET %s: %d %s", href, rec.Code, rec.Header().Get("Content-Type"))
	}
	// Pages that are not entries have their own descriptions, and no citation tags.
	seen := map[string]string{}
	for _, path := range []string{"/", "/search", "/countries", "/countries/nl", "/glossary", "/timeline", "/reading-list", "/about", "/topics/conceptualisation", "/compare", "/technologies", "/questions", "/case", "/upkeep"} {
		d := mustDoc(t, get(t, s, path))
		desc, _ := d.Find("meta[name=description]").Attr("content")
		if desc == "" || (seen[desc] != "" && path != "/") {
			t.Errorf("%s: description %q (also on %s)", path, desc, seen[desc])
		}
		seen[desc] = path
		if d.Find("meta[name^=citation_]").Length() > 0 || d.Find(`script[type="application/ld+json"]`).Length() > 0 {
			t.Errorf("%s has citation tags or JSON-LD", path)
		}
	}
}

// TestGovernmentServiceFromApproach: an entry is a GovernmentService only when a jurisdiction's
// advice-service cell cites it; a programme about contact points that no cell cites is not.
func TestGovernmentServiceFromApproach(t *testing.T) {
	entry := func(id, typ string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\ntitle: " + id + "\nkind: guidance\ncountries: [is]\nissuer: Ministry\ntype: " + typ +
			"\ntopics: [institutional-role]\nthemes: [contact-points]\nstages: [basic]\nphases: [partnership]\naudiences: [institution]" +
			"\nlanguage: en\nlast_verified: 2026-11-01\nsummary: A contact point.\n---\nBody.\n")}
	}
	fsys := fstest.MapFS{
		"is.md": {Data: []byte("---\ntitle: Iceland\nkind: country\ncountries: [is]\nterms: [research security]\nsummary: A profile.\napproach:\n" +
			"  advice-service: {value: yes, text: A helpdesk., sources: [is-helpdesk], as_of: 2026-11}\n---\nBody.\n")},
		"is-helpdesk.md": entry("is-helpdesk", "portal"),
		"is-call.md":     entry("is-call", "programme"),
	}
	corpus, probs, err := content.Load(fsys, ".", content.Options{Now: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
	if err != nil || content.Errors(probs) > 0 {
		t.Fatalf("corpus: %v %v", err, probs)
	}
	s := serveCorpus(t, corpus)
	for id, want := range map[string]string{"is-helpdesk": "GovernmentService", "is-call": "CreativeWork"} {
		var ld map[string]any
		text := mustDoc(t, get(t, s, "/docs/"+id)).Find(`script[type="application/ld+json"]`).Text()
		if err := json.Unmarshal([]byte(text), &ld); err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if ld["@type"] != want {
			t.Errorf("%s: @type %v, want %s", id, ld["@type"], want)
		}
	}
}

// TestShareMetadata: with a public address the pages carry absolute og:url and og:image, and
// the image and /favicon.ico are served; without one, no relative address is passed off as
// an Open Graph URL.
func TestShareMetadata(t *testing.T) {
	s := serveFixture(t, Config{BaseURL: "https://atlas.example/"})
	doc := mustDoc(t, get(t, s, "/docs/eu-council"))
	prop := func(d *goquery.Document, name string) string {
		v, _ := d.Find("meta[property='" + name + "']").Attr("content")
		return v
	}
	if got := prop(doc, "og:url"); got != "https://atlas.example/docs/eu-council" {
		t.Errorf("og:url = %q", got)
	}
	img := prop(doc, "og:image")
	if !strings.HasPrefix(img, "https://atlas.example/static/icon.png?v=") {
		t.Fatalf("og:image = %q", img)
	}
	if rec := get(t, s, strings.TrimPrefix(img, "https://atlas.example")); rec.Code != 200 || rec.Header().Get("Content-Type") != "image/png" {
		t.Errorf("og:image: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	if got := prop(mustDoc(t, get(t, s, "/countries")), "og:url"); got != "https://atlas.example/countries" {
		t.Errorf("og:url of /countries = %q", got)
	}

	rec := get(t, s, "/favicon.ico")
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "image/vnd.microsoft.icon" || !bytes.HasPrefix(rec.Body.Bytes(), []byte{0, 0, 1, 0}) {
		t.Errorf("/favicon.ico: %d %s % x", rec.Code, rec.Header().Get("Content-Type"), rec.Body.Bytes()[:min(4, rec.Body.Len())])
	}
	req := httptest.NewRequest(http.MethodGet, "/favicon.ico", nil)
	req.Header.Set("If-None-Match", rec.Header().Get("ETag"))
	again := httptest.NewRecorder()
	s.ServeHTTP(again, req)
	if again.Code != http.StatusNotModified {
		t.Errorf("/favicon.ico with its ETag: %d, want 304", again.Code)
	}

	bare := mustDoc(t, get(t, newTestServer(t, false), "/about"))
	if prop(bare, "og:url") != "" || prop(bare, "og:image") != "" {
		t.Errorf("without a public URL: og:url %q, og:image %q", prop(bare, "og:url"), prop(bare, "og:image"))
	}
}

// TestOneAddressPerThing: a country profile or a topic is linked at the page that shows it,
// never at the /docs/ address that redirects there — in search results, suggestions, the API,
// feeds and the bodies of entries.
func TestOneAddressPerThing(t *testing.T) {
	s := realCorpusServer(t)
	st := s.state()
	redirects := func(href string) bool {
		id, ok := strings.CutPrefix(href, "/docs/")
		if !ok {
			return false
		}
		id, _, _ = strings.Cut(id, "#")
		e := st.corpus.Get(id)
		return e != nil && canonicalPage(e) != ""
	}
	pages := []string{"/search?q=netherlands+knowledge+security", "/search?q=role+of+research+institutions", "/docs/f-int-general-institutional-role-scope",
		"/docs/eu-mld-research-security-workshop-2023", "/glossary", "/timeline", "/countries/nl", "/topics/funder-measures"}
	for _, p := range pages {
		rec := get(t, s, p)
		if rec.Code != 200 {
			t.Fatalf("GET %s: %d", p, rec.Code)
		}
		mustDoc(t, rec).Find("a[href]").Each(func(_ int, a *goquery.Selection) {
			if href, _ := a.Attr("href"); redirects(href) {
				t.Errorf("%s links %q (%s), which redirects", p, href, strings.TrimSpace(a.Text()))
			}
		})
	}
	var api struct {
		Hits []struct{ ID, Kind, Href string }
	}
	if err := json.Unmarshal(get(t, s, "/api/search?q=netherlands&size=50").Body.Bytes(), &api); err != nil {
		t.Fatal(err)
	}
	sawCountry := false
	for _, h := range api.Hits {
		if redirects(h.Href) {
			t.Errorf("/api/search: %s has href %s", h.ID, h.Href)
		}
		sawCountry = sawCountry || (h.ID == "nl" && strings.HasPrefix(h.Href, "/countries/nl"))
	}
	if !sawCountry {
		t.Errorf("/api/search?q=netherlands has no hit nl at /countries/nl: %+v", api.Hits)
	}
	for _, target := range []string{"/api/suggest?q=nether", "/api/docs/nl", "/feed.json"} {
		body := get(t, s, target).Body.String()
		for _, m := range regexp.MustCompile(`"(?:href|url)":\s*"(?:https?://[^/"]+)?(/docs/[^"]+)"`).FindAllStringSubmatch(body, -1) {
			if redirects(m[1]) {
				t.Errorf("%s gives %s", target, m[1])
			}
		}
	}
}

// The glossary and a term's page list its false friends, linked to what they name, and the
// API gives them.
func TestFalseFriendsShown(t *testing.T) {
	s := realCorpusServer(t)
	for _, p := range []string{"/glossary", "/docs/term-safeguarding-science"} {
		doc := mustDoc(t, get(t, s, p))
		text := strings.Join(strings.Fields(doc.Find("main").Text()), " ")
		if !strings.Contains(text, "Not to be confused with") || doc.Find(`main a[href="/docs/ca-safeguarding-your-research"]`).Length() == 0 {
			t.Errorf("%s does not list the false friends of safeguarding science", p)
		}
	}
	var terms []apiTerm
	if err := json.Unmarshal(get(t, s, "/api/glossary").Body.Bytes(), &terms); err != nil {
		t.Fatal(err)
	}
	for _, term := range terms {
		if term.ID == "term-safeguarding-science" {
			if len(term.FalseFriends) < 2 || term.FalseFriends[0].Means == "" {
				t.Errorf("false_friends = %+v", term.FalseFriends)
			}
			return
		}
	}
	t.Error("no term-safeguarding-science in /api/glossary")
}
