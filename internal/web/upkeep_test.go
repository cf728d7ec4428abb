package web

import (
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/search"
	"github.com/research-security-atlas/atlas/internal/upkeep"
)

// upkeepGuidance is a guidance entry for the upkeep fixture.
func upkeepGuidance(title, verified, source string) string {
	return "---\ntitle: " + title + "\nkind: guidance\ncountries: [nl]\nissuer: Ministry\ntype: guideline\ntopics: [institutional-role]\n" +
		"stages: []\nphases: [partnership]\naudiences: [institution]\n" + source + "\nlanguage: en\nlast_verified: " + verified +
		"\nsummary: A summary.\n---\n\n## What it is\nText.\n"
}

// upkeepServer serves a small corpus with an item of every kind: a file held back, a dead and
// a moved link, an old verification, an unconfirmed source and a country with gaps.
func upkeepServer(t testing.TB) *Server {
	t.Helper()
	files := map[string]string{
		"guidance/nl-dead-source.md": upkeepGuidance("Dead Source Guidelines", "2026-11-01",
			"source_url: https://gov.example/dead\narchived_url: https://web.archive.org/web/2025/https://gov.example/dead"),
		"guidance/nl-moved-source.md": upkeepGuidance("Moved Source Checklist", "2026-11-01", "source_url: https://gov.example/old"),
		"guidance/nl-old-check.md":    upkeepGuidance("Old Check Framework", "2025-01-10", "source_url: https://gov.example/fine"),
		"guidance/nl-unconfirmed.md":  upkeepGuidance("Unconfirmed Toolkit", "2026-11-01", "source_status: unconfirmed\nsource_checked: 2026-10-01"),
		"countries/nl.md": "---\ntitle: Netherlands\nkind: country\ncountries: [nl]\nterms: [knowledge security]\nsummary: S.\napproach:\n" +
			"  national-guidelines:\n    value: in-preparation\n    text: Being written.\n    sources: [nl-old-check]\n    as_of: 2026-11\n" +
			"  entity-list:\n    value: unknown\n    checked: 2026-11-20\n---\n\n## Term\nText.\n",
		"guidance/nl-broken.md": "---\ntitle: Broken\nkind: topic\ncolour: red\n---\nBody.\n",
	}
	fsys := fstest.MapFS{}
	for name, body := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(body)}
	}
	corpus, probs, err := content.Load(fsys, ".", content.Options{Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	for i := range probs {
		probs[i].Path = "content/" + probs[i].Path
	}
	s := serveCorpus(t, corpus)
	ix, err := search.NewMemory(corpus)
	if err != nil {
		t.Fatal(err)
	}
	s.Update(corpus, ix, probs)
	s.SetLinks(&upkeep.Record{Checked: "2026-12-01", Links: []upkeep.Link{
		{URL: "https://gov.example/dead", Status: "dead", Result: "dead", Detail: "HTTP 404 Not Found", Uses: []upkeep.Use{{ID: "nl-dead-source", Field: "source_url"}}},
		{URL: "https://gov.example/fine", Status: "ok", Result: "ok", Uses: []upkeep.Use{{ID: "nl-old-check", Field: "source_url"}}},
		{URL: "https://gov.example/old", Status: "moved", Result: "moved", Suggest: "https://gov.example/new", Uses: []upkeep.Use{{ID: "nl-moved-source", Field: "source_url"}}},
	}})
	return s
}

func TestUpkeepPage(t *testing.T) {
	s := upkeepServer(t)
	rec := get(t, s, "/upkeep")
	if rec.Code != 200 {
		t.Fatalf("/upkeep: %d", rec.Code)
	}
	doc := mustDoc(t, rec)
	for _, test := range []struct {
		kind, text string
	}{
		{"content-problem", `held back from the site: unknown field "colour"`},
		{"dead-link", "source_url is dead (HTTP 404 Not Found)"},
		{"moved-link", "source_url moved to https://gov.example/new"},
		{"unverified", "last verified on 2025-01-10"},
		{"no-source", "source address unconfirmed, looked for on 2026-10-01"},
		{"gap", "Netherlands: national guidelines in preparation"},
	} {
		got := doc.Find("#" + test.kind + " .worklist").Text()
		if !strings.Contains(got, test.text) {
			t.Errorf("/upkeep #%s lacks %q:\n%s", test.kind, test.text, got)
		}
	}
	if fix := doc.Find("#unverified .item-fix code").First().Text(); !strings.Contains(fix, "atlas verify nl-old-check") {
		t.Errorf("unverified fix = %q", fix)
	}

	rec = get(t, s, "/api/upkeep")
	var out struct {
		Items []struct{ Kind, ID, Path, Detail, Fix string }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || rec.Code != 200 {
		t.Fatalf("/api/upkeep: %d %v", rec.Code, err)
	}
	var kinds []string
	for _, it := range out.Items {
		if len(kinds) == 0 || kinds[len(kinds)-1] != it.Kind {
			kinds = append(kinds, it.Kind)
		}
	}
	if strings.Join(kinds, " ") != strings.Join(upkeep.Kinds, " ") {
		t.Errorf("/api/upkeep kinds in order %v, want %v", kinds, upkeep.Kinds)
	}

	rec = get(t, s, "/upkeep.atom")
	var feed struct {
		Entries []struct {
			Title string `xml:"title"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(rec.Body.Bytes(), &feed); err != nil || len(feed.Entries) != len(out.Items) {
		t.Errorf("/upkeep.atom: %v, %d entries for %d items", err, len(feed.Entries), len(out.Items))
	} else if feed.Entries[1].Title != "Dead links: Dead Source Guidelines" {
		t.Errorf("second feed entry %q", feed.Entries[1].Title)
	}
}

func TestDocLinkStatus(t *testing.T) {
	s := upkeepServer(t)
	for _, test := range []struct {
		id, status, page string
		archived         bool
	}{
		{"nl-dead-source", "dead", "Link checked on 2026-12-01: dead", true},
		{"nl-moved-source", "moved", "Link checked on 2026-12-01: moved (now at the new address)", false},
		{"nl-old-check", "ok", "Link checked on 2026-12-01: ok", false},
		{"nl-unconfirmed", "", "", false},
	} {
		var d struct {
			LinkStatus  string `json:"link_status"`
			LinkChecked string `json:"link_checked"`
		}
		rec := get(t, s, "/api/docs/"+test.id)
		json.Unmarshal(rec.Body.Bytes(), &d)
		if d.LinkStatus != test.status || (test.status != "" && d.LinkChecked != "2026-12-01") {
			t.Errorf("/api/docs/%s: link_status %q, link_checked %q; want %q", test.id, d.LinkStatus, d.LinkChecked, test.status)
		}
		doc := mustDoc(t, get(t, s, "/docs/"+test.id))
		if got := strings.Join(strings.Fields(doc.Find(".link-status").Text()), " "); got != test.page {
			t.Errorf("/docs/%s link line %q, want %q", test.id, got, test.page)
		}
		if got := doc.Find(".notice.link-dead a").Text() == "archived copy"; got != test.archived {
			t.Errorf("/docs/%s offers the archived copy in a notice: %v, want %v", test.id, got, test.archived)
		}
	}
}

// A search hit without a source address says why, and since when: source_status with
// source_checked, as /api/docs does.
func TestHitSourceStatus(t *testing.T) {
	s := upkeepServer(t)
	var res struct {
		Hits []struct {
			ID            string `json:"id"`
			SourceURL     string `json:"source_url"`
			SourceStatus  string `json:"source_status"`
			SourceChecked string `json:"source_checked"`
		} `json:"hits"`
	}
	json.Unmarshal(get(t, s, "/api/search?q=unconfirmed+toolkit").Body.Bytes(), &res)
	for _, h := range res.Hits {
		if h.ID == "nl-unconfirmed" {
			if h.SourceURL != "" || h.SourceStatus != "unconfirmed" || h.SourceChecked != "2026-10-01" {
				t.Errorf("hit %+v, want source_status unconfirmed, source_checked 2026-10-01", h)
			}
			return
		}
	}
	t.Errorf("the unconfirmed toolkit was not found: %+v", res.Hits)
}

// TestOpenAPIUpkeep checks the answers that only a server with a link record and content
// problems gives against the OpenAPI description.
func TestOpenAPIUpkeep(t *testing.T) {
	s := upkeepServer(t)
	var spec map[string]any
	json.Unmarshal(get(t, s, "/api/openapi.json").Body.Bytes(), &spec)
	schemas := spec["components"].(map[string]any)["schemas"].(map[string]any)
	for target, schema := range map[string]string{
		"/api/upkeep":               "Upkeep",
		"/api/docs/nl-dead-source":  "Doc",
		"/api/docs/nl-moved-source": "Doc",
	} {
		var body any
		if err := json.Unmarshal(get(t, s, target).Body.Bytes(), &body); err != nil {
			t.Fatal(err)
		}
		for _, e := range validate(spec, schemas[schema].(map[string]any), body, target) {
			t.Error(e)
		}
	}
}
