package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// techCorpus has two editions of a Canadian list (the newer drops one category, adds one and
// renames one), an export-control list that relates to quantum only, and two areas; the lists'
// sources are guidance entries of the search fixtures.
func techCorpus(t *testing.T) *Server {
	t.Helper()
	fsys := fstest.MapFS{
		"quantum.md": {Data: []byte(`---
title: Quantum technologies
kind: techarea
summary: Quantum computing, sensing and communication.
---
Body.
`)},
		"artificial-intelligence.md": {Data: []byte(`---
title: Artificial intelligence
kind: techarea
summary: Machine learning and AI systems.
---
Body.
`)},
		"ca-list-2023.md": {Data: []byte(`---
title: Sensitive Technology List (Canada, 2023)
kind: techlist
last_verified: 2026-11-01
countries: [ca]
issuer: Government of Canada
published: 2023-01
legal_effect: guidance
source: ca-partnerships
summary: The first edition.
categories:
  - id: quantum
    label: Quantum science
    areas:
      - {area: quantum, relation: exact, note: "Same scope."}
  - id: ai
    label: AI
    areas:
      - {area: artificial-intelligence, relation: related, note: "Only in part."}
---
Body.
`)},
		"ca-list-2025.md": {Data: []byte(`---
title: Sensitive Technology List (Canada, 2025)
kind: techlist
last_verified: 2026-11-01
countries: [ca]
issuer: Government of Canada
published: 2025-02
legal_effect: funding-condition
source: ca-partnerships
supersedes: ca-list-2023
summary: The second edition.
categories:
  - id: quantum
    label: Quantum science and technology
    sub: [Quantum computing, Quantum sensing]
    areas:
      - {area: quantum, relation: close, note: 'Nearly the same; a "quoted" word.'}
  - id: robotics
    label: Robotics
---
Body.
`)},
		"eu-annex.md": {Data: []byte(`---
title: "EU dual-use control list: categories of Annex I"
kind: techlist
last_verified: 2026-11-01
countries: [eu]
issuer: European Union
published: 2021-05
legal_effect: binding
export_control: true
source: eu-council
summary: Export control.
categories:
  - id: category-4
    label: "=Category 4 – Computers"
    areas:
      - {area: quantum, relation: related, note: "Check the control list itself."}
---
Body.
`)},
	}
	return serveFixtures(t, fsys, "nl-guidelines.md", "ca-partnerships.md", "eu-council.md")
}

func TestAPITechnologies(t *testing.T) {
	s := techCorpus(t)
	rec := get(t, s, "/api/technologies")
	var out apiTechnologies
	if err := json.Unmarshal(rec.Body.Bytes(), &out); rec.Code != 200 || err != nil {
		t.Fatalf("/api/technologies: %d %v %s", rec.Code, err, rec.Body.String())
	}
	var ids []string
	for _, l := range out.Lists {
		ids = append(ids, l.ID)
	}
	// By jurisdiction, newest edition first, export control last.
	if want := []string{"ca-list-2025", "ca-list-2023", "eu-annex"}; !slices.Equal(ids, want) {
		t.Fatalf("lists = %v, want %v", ids, want)
	}
	newer, older, annex := out.Lists[0], out.Lists[1], out.Lists[2]
	for _, test := range []struct {
		name      string
		got, want any
	}{
		{"newer jurisdiction", newer.Jurisdiction, "ca"},
		{"newer legal_effect", newer.LegalEffect, "funding-condition"},
		{"newer source", newer.Source, "ca-partnerships"},
		{"newer supersedes", newer.Supersedes, "ca-list-2023"},
		{"newer sub", strings.Join(newer.Categories[0].Sub, "|"), "Quantum computing|Quantum sensing"},
		{"newer robotics areas", len(newer.Categories[1].Areas), 0},
		{"older superseded_by", older.SupersededBy, "ca-list-2025"},
		{"older changes", older.Changes == nil, true},
		{"annex export_control", annex.ExportControl, true},
		{"newer export_control", newer.ExportControl, false},
	} {
		if test.got != test.want {
			t.Errorf("%s = %v, want %v", test.name, test.got, test.want)
		}
	}
	ch := newer.Changes
	if ch == nil || ch.From != "ca-list-2023" || len(ch.Added) != 1 || ch.Added[0].ID != "robotics" ||
		len(ch.Removed) != 1 || ch.Removed[0].ID != "ai" || len(ch.Renamed) != 1 || ch.Renamed[0].From != "Quantum science" {
		t.Errorf("changes = %+v", ch)
	}
	if len(out.Areas) != 2 || out.Areas[0].ID != "artificial-intelligence" || out.Areas[1].ID != "quantum" {
		t.Fatalf("areas = %+v", out.Areas)
	}
	q := out.Areas[1]
	var got []string
	for _, m := range q.Mappings {
		got = append(got, m.List+"/"+m.Category+"/"+m.Relation)
	}
	if want := []string{"ca-list-2025/quantum/close", "ca-list-2023/quantum/exact", "eu-annex/category-4/related"}; !slices.Equal(got, want) {
		t.Errorf("quantum mappings = %v, want %v", got, want)
	}
	if q.Mappings[0].CategoryLabel != "Quantum science and technology" || q.SearchHref != "/search?technology=quantum" {
		t.Errorf("quantum = %+v", q)
	}
}

func TestTechnologiesCSV(t *testing.T) {
	s := techCorpus(t)
	rec := get(t, s, "/technologies.csv")
	if ct := rec.Header().Get("Content-Type"); rec.Code != 200 || ct != "text/csv; charset=utf-8" {
		t.Fatalf("/technologies.csv: %d %s", rec.Code, ct)
	}
	body, ok := bytes.CutPrefix(rec.Body.Bytes(), []byte("\ufeff"))
	if !ok {
		t.Error("no byte-order mark: spreadsheets would misread accents")
	}
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], technologiesCSVHeader) {
		t.Errorf("header = %v", rows[0])
	}
	// One row per mapping: robotics has none and gives no row.
	want := [][]string{
		{"ca-list-2025", "ca", "funding-condition", "quantum", "Quantum science and technology", "quantum", "Quantum technologies", "close", `Nearly the same; a "quoted" word.`},
		{"ca-list-2023", "ca", "guidance", "quantum", "Quantum science", "quantum", "Quantum technologies", "exact", "Same scope."},
		{"ca-list-2023", "ca", "guidance", "ai", "AI", "artificial-intelligence", "Artificial intelligence", "related", "Only in part."},
		{"eu-annex", "eu", "binding", "category-4", "'=Category 4 – Computers", "quantum", "Quantum technologies", "related", "Check the control list itself."},
	}
	for i, w := range want {
		if i+1 >= len(rows) || !slices.Equal(rows[i+1], w) {
			t.Errorf("row %d = %q, want %q", i+1, rows[min(i+1, len(rows)-1)], w)
		}
	}
	if len(rows) != len(want)+1 {
		t.Errorf("%d rows, want %d", len(rows), len(want)+1)
	}
}

func TestTechnologiesPage(t *testing.T) {
	s := techCorpus(t)
	rec := get(t, s, "/technologies")
	if rec.Code != 200 {
		t.Fatalf("/technologies: %d", rec.Code)
	}
	doc := mustDoc(t, rec)
	if got := texts(doc.Find("table.tech thead tr.groups th.group")); !slices.Equal(got, []string{"Canada", "European Union"}) {
		t.Errorf("groups = %v", got)
	}
	if n := doc.Find("table.tech thead tr.lists th").Length(); n != 3 {
		t.Errorf("%d list columns, want 3", n)
	}
	if got := texts(doc.Find("table.tech thead th.older .older-tag")); !slices.Equal(got, []string{"Older edition"}) {
		t.Errorf("older edition marks = %v", got)
	}
	if doc.Find("table.tech thead th.ec .ec-tag").Length() != 1 || !strings.Contains(doc.Find(".export-note").Text(), "Check the control list itself") {
		t.Error("the export-control column is not marked, or the note to check the list is missing")
	}
	cells := doc.Find("#area-quantum td")
	if cells.Length() != 3 {
		t.Fatalf("quantum row has %d cells", cells.Length())
	}
	first := cells.First()
	if a := first.Find(".tc a").First(); a.AttrOr("href", "") != "/docs/ca-list-2025" || a.Text() != "Quantum science and technology" {
		t.Errorf("first quantum cell links %q with %q", a.AttrOr("href", ""), a.Text())
	}
	if rel := first.Find(".rel").Text(); rel != "Close" {
		t.Errorf("relation label = %q, want the word, not a colour", rel)
	}
	if l := first.AttrOr("data-label", ""); l != "Canada, 2025" {
		t.Errorf("card label = %q", l)
	}
	if l := cells.Eq(1).AttrOr("data-label", ""); l != "Canada, 2023 (older edition)" {
		t.Errorf("older card label = %q", l)
	}
	if !doc.Find("#area-artificial-intelligence td").First().HasClass("none") {
		t.Error("the 2025 list has no AI category: its cell should say so")
	}
	// The AI area is only related to a list: no guidance link from the row.
	if doc.Find(`#area-artificial-intelligence th a[href^="/search"]`).Length() != 0 || doc.Find(`#area-quantum th a[href="/search?technology=quantum"]`).Length() != 1 {
		t.Error("guidance links: want one for quantum and none for AI (related only)")
	}
	changes := doc.Find("#changes-ca-list-2025").Text()
	for _, want := range []string{"Added in 2025 (1)", "Robotics", "No longer listed (1)", "AI", "Quantum science → Quantum science and technology"} {
		if !strings.Contains(changes, want) {
			t.Errorf("what changed lacks %q: %s", want, strings.Join(strings.Fields(changes), " "))
		}
	}
	if doc.Find(`.site-nav a[href="/technologies"][aria-current=page]`).Length() != 1 {
		t.Error("the site navigation does not mark the page")
	}
}

// The technology filter keeps the lists with a category mapped to the area more closely than
// related, and the guidance each list comes from; an unknown area is a 400 naming the areas.
func TestTechnologyFilter(t *testing.T) {
	s := techCorpus(t)
	for _, test := range []struct {
		target string
		status int
		want   []string // ids, in any order; or the words the 400 must hold
	}{
		{"/api/search?technology=quantum", 200, []string{"ca-list-2023", "ca-list-2025", "ca-partnerships"}},
		{"/api/search?technology=quantum&kind=guidance", 200, []string{"ca-partnerships"}},
		{"/api/search?technology=artificial-intelligence", 200, nil}, // related only: nothing
		{"/api/search?technology=quantum&technology=artificial-intelligence", 200, []string{"ca-list-2023", "ca-list-2025", "ca-partnerships"}},
		{"/api/search?technology=warp-drive", 400, []string{`unknown technology \"warp-drive\"`, "artificial-intelligence, quantum"}},
		{"/search?technology=warp-drive", 400, []string{"artificial-intelligence, quantum"}},
		{"/reading-list?technology=warp-drive", 400, []string{"artificial-intelligence, quantum"}},
		{"/reading-list.csv?technology=" + strings.Repeat("x", 300), 400, []string{"artificial-intelligence, quantum"}},
	} {
		rec := get(t, s, test.target)
		if rec.Code != test.status {
			t.Errorf("GET %s: %d, want %d: %s", test.target, rec.Code, test.status, rec.Body.String())
			continue
		}
		if test.status != 200 {
			for _, w := range test.want {
				if !strings.Contains(rec.Body.String(), w) {
					t.Errorf("GET %s: the message lacks %q: %s", test.target, w, rec.Body.String())
				}
			}
			continue
		}
		var out struct {
			Hits   []struct{ ID string }
			Facets map[string][]facetValue
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range out.Hits {
			got = append(got, h.ID)
		}
		slices.Sort(got)
		if !slices.Equal(got, test.want) {
			t.Errorf("GET %s: hits %v, want %v", test.target, got, test.want)
		}
	}

	// The facet counts the areas with the other filters applied, not its own.
	rec := get(t, s, "/api/search?technology=artificial-intelligence&kind=guidance")
	var out struct{ Facets map[string][]facetValue }
	json.Unmarshal(rec.Body.Bytes(), &out)
	if f := out.Facets["technology"]; len(f) != 2 || f[0].Value != "quantum" || f[0].Count != 1 || !f[1].Selected || f[1].Count != 0 {
		t.Errorf("technology facet = %+v, want quantum 1 and the selected AI with 0", f)
	}

	// The pages: a chip to remove the area, the box ticked, the filter kept in the downloads.
	doc := mustDoc(t, get(t, s, "/search?technology=quantum"))
	if chips := texts(doc.Find(".chips li a")); len(chips) == 0 || !strings.HasPrefix(chips[0], "Technology area: Quantum technologies") {
		t.Errorf("search chips = %v", chips)
	}
	if doc.Find(`input[name=technology][value=quantum][checked]`).Length() != 1 {
		t.Error("search: the quantum box is not ticked")
	}
	doc = mustDoc(t, get(t, s, "/reading-list?technology=quantum"))
	if got := texts(doc.Find(".rl-items li > a")); !slices.Equal(got, []string{"National Security Guidelines for Research Partnerships"}) {
		t.Errorf("reading list = %v", got)
	}
	if href := doc.Find(`.downloads a[href^="/reading-list.csv"]`).AttrOr("href", ""); !strings.Contains(href, "technology=quantum") {
		t.Errorf("the CSV download %q drops the technology", href)
	}
	body := get(t, s, "/reading-list.csv?technology=quantum").Body.String()
	if !strings.Contains(body, "National Security Guidelines for Research Partnerships") || strings.Contains(body, "National Knowledge Security Guidelines") {
		t.Errorf("reading-list.csv?technology=quantum:\n%s", body)
	}
}
