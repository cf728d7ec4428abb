package web

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/PuerkitoBio/goquery"
)

// scopeCorpus has a Dutch profile that is an EU and OECD member, Dutch, EU, US and
// international guidance, and an international instrument that names only other countries.
func scopeCorpus(t *testing.T) *Server {
	t.Helper()
	guidance := func(title, countries, summary string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\ntitle: " + title + "\nkind: guidance\ncountries: " + countries +
			"\nissuer: Someone\ntype: guideline\ntopics: [institutional-role]\nthemes: [due-diligence]\nstages: [basic]\n" +
			"phases: [partnership]\naudiences: [institution]\npublished: 2023-01\nlanguage: en\nlast_verified: 2026-11-01\n" +
			"summary: " + summary + "\n---\n\n## What it is\nGuidance on partnership screening.\n")}
	}
	fsys := fstest.MapFS{
		"nl.md": {Data: []byte("---\ntitle: Netherlands\nkind: country\ncountries: [nl]\nmember_of: [eu, oecd]\n" +
			"terms: [knowledge security]\nsummary: The Netherlands calls the field knowledge security.\n---\n\n## Term\nKnowledge security.\n")},
		"int-principles.md": guidance("Shared principles on partnership screening", "[int]", "International principles on partnership screening."),
		"int-five.md":       guidance("Five partners on partnership screening", "[int, us, ca]", "An instrument of two named countries on partnership screening."),
		"oecd-report.md":    guidance("OECD report on partnership screening", "[oecd]", "The OECD's report on partnership screening."),
	}
	return serveFixtures(t, fsys, "eu-council.md", "nl-guidelines.md", "us-framework.md")
}

func TestAPISearchScopeApplies(t *testing.T) {
	s := scopeCorpus(t)
	for _, tc := range []struct {
		target string
		want   map[string]string // id -> applies_via
	}{
		{"/api/search?country=nl", map[string]string{"nl-guidelines": "", "nl": ""}},
		{"/api/search?country=nl&scope=applies", map[string]string{"nl-guidelines": "", "nl": "", "eu-council": "eu",
			"oecd-report": "oecd", "int-principles": "int"}},
		// Without a country there is nothing to reach from: scope changes nothing.
		{"/api/search?q=partnership+screening&scope=applies", map[string]string{"nl-guidelines": "",
			"oecd-report": "", "int-principles": "", "int-five": ""}},
		// The US is in no body in this corpus (no profile): only international entries that name
		// no country or name the US reach it.
		{"/api/search?country=us&scope=applies", map[string]string{"us-framework": "", "int-principles": "int", "int-five": ""}},
	} {
		rec := get(t, s, tc.target)
		if rec.Code != 200 {
			t.Fatalf("%s: status %d: %s", tc.target, rec.Code, rec.Body)
		}
		var got struct {
			Hits []struct {
				ID         string `json:"id"`
				AppliesVia string `json:"applies_via"`
			}
		}
		if err := json.NewDecoder(rec.Body).Decode(&got); err != nil {
			t.Fatal(err)
		}
		have := map[string]string{}
		for _, h := range got.Hits {
			have[h.ID] = h.AppliesVia
		}
		for id, via := range tc.want {
			if v, ok := have[id]; !ok || v != via {
				t.Errorf("%s: %s applies_via %q (found %v), want %q", tc.target, id, v, ok, via)
			}
		}
		for id := range have {
			if _, ok := tc.want[id]; !ok {
				t.Errorf("%s: unexpected hit %s", tc.target, id)
			}
		}
	}
	if rec := get(t, s, "/api/search?country=nl&scope=everything"); rec.Code != 400 || !strings.Contains(rec.Body.String(), "use scope=applies") {
		t.Errorf("bad scope: %d %s", rec.Code, rec.Body)
	}
}

func TestSearchPageScopeApplies(t *testing.T) {
	s := scopeCorpus(t)
	doc := mustDoc(t, get(t, s, "/search?country=nl&scope=applies"))
	if _, ok := doc.Find(`input[name="scope"][value="applies"]`).Attr("checked"); !ok {
		t.Error("the scope box is not ticked")
	}
	var marks []string
	doc.Find(".hit").Each(func(_ int, h *goquery.Selection) {
		if m := strings.TrimSpace(h.Find(".applies-via").Text()); m != "" {
			marks = append(marks, strings.TrimSpace(h.Find("h3").Text())+": "+m)
		}
	})
	slices.Sort(marks)
	want := []string{"Council Recommendation on enhancing research security: Applies via European Union",
		"OECD report on partnership screening: Applies via OECD",
		"Shared principles on partnership screening: Applies via International"}
	if !slices.Equal(marks, want) {
		t.Errorf("marks = %q, want %q", marks, want)
	}
	doc = mustDoc(t, get(t, s, "/search?country=nl"))
	if _, ok := doc.Find(`input[name="scope"]`).Attr("checked"); ok || doc.Find(".applies-via").Length() != 0 {
		t.Error("scope ticked or marks shown without scope=applies")
	}
}

// TestCountryFacetShowAll: the country facet lists the ten countries with the most hits, then
// every other one under "show all" (a details element: no script needed), and a selected
// country stays among the first even when it has few hits.
func TestCountryFacetShowAll(t *testing.T) {
	fsys := fstest.MapFS{}
	codes := []string{"at", "be", "ca", "de", "dk", "es", "fi", "fr", "it", "jp", "nl", "no", "se", "us"}
	for i, c := range codes {
		// The first countries have the most entries: at has 14, us has 1.
		for n := 0; n < len(codes)-i; n++ {
			name := c + "-" + string(rune('a'+n)) + ".md"
			fsys[name] = &fstest.MapFile{Data: []byte("---\ntitle: Guidance " + name + "\nkind: guidance\ncountries: [" + c +
				"]\nissuer: Someone\ntype: guideline\ntopics: [institutional-role]\nthemes: [due-diligence]\nstages: [basic]\n" +
				"phases: [partnership]\naudiences: [institution]\npublished: 2023-01\nlanguage: en\nlast_verified: 2026-11-01\n" +
				"summary: Guidance on screening.\n---\n\n## What it is\nGuidance on screening.\n")}
		}
	}
	s := serveFixtures(t, fsys)
	for _, tc := range []struct {
		target    string
		top, more []string
	}{
		{"/search", []string{"Austria", "Belgium", "Canada", "Germany", "Denmark", "Spain", "Finland", "France", "Italy", "Japan"},
			[]string{"Netherlands", "Norway", "Sweden", "United States"}},
		{"/search?country=se", []string{"Austria", "Belgium", "Canada", "Germany", "Denmark", "Spain", "Finland", "France", "Italy", "Japan", "Sweden"},
			[]string{"Netherlands", "Norway", "United States"}},
	} {
		doc := mustDoc(t, get(t, s, tc.target))
		facet := doc.Find(`details.facet`).FilterFunction(func(_ int, d *goquery.Selection) bool {
			return strings.TrimSpace(d.ChildrenFiltered("summary").Text()) == "Country"
		})
		top := texts(facet.Find("fieldset > ul > li .facet-label"))
		more := texts(facet.Find("details.facet-more li .facet-label"))
		if !slices.Equal(top, tc.top) || !slices.Equal(more, tc.more) {
			t.Errorf("%s: top %q more %q, want %q and %q", tc.target, top, more, tc.top, tc.more)
		}
		if got := strings.TrimSpace(facet.Find("details.facet-more > summary").Text()); got != "Show all 14 countries" {
			t.Errorf("%s: show-all summary %q", tc.target, got)
		}
	}
}
