package web

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/research-security-atlas/atlas/internal/content"
)

func TestSchemaType(t *testing.T) {
	for _, test := range []struct {
		e    content.Entry
		want string
	}{
		{content.Entry{Kind: content.Guidance, Type: "legislation"}, "Legislation"},
		{content.Entry{Kind: content.Guidance, Type: "portal", Themes: []string{"contact-points"}}, "GovernmentService"},
		{content.Entry{Kind: content.Guidance, Type: "programme", Themes: []string{"governance", "contact-points"}}, "GovernmentService"},
		{content.Entry{Kind: content.Guidance, Type: "portal"}, "CreativeWork"},
		{content.Entry{Kind: content.Guidance, Type: "report"}, "Report"},
		{content.Entry{Kind: content.Guidance, Type: "guideline"}, "CreativeWork"},
		{content.Entry{Kind: content.Term}, "DefinedTerm"},
		{content.Entry{Kind: content.Finding}, "CreativeWork"},
	} {
		if got := schemaType(&test.e); got != test.want {
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
