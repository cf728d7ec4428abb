package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/PuerkitoBio/goquery"

	"github.com/research-security-atlas/atlas/internal/content"
)

// approachCorpus has two profiles that answer legal-basis differently, each citing a guidance
// entry of the search fixtures, and leave the other dimensions partly unanswered.
func approachCorpus(t *testing.T) *Server {
	t.Helper()
	fsys := fstest.MapFS{
		"nl.md": {Data: []byte(`---
title: Netherlands
kind: country
countries: [nl]
terms: [knowledge security]
summary: Guidelines and a contact point.
approach:
  term: {text: knowledge security, sources: [nl-guidelines], as_of: 2026-11}
  legal-basis: {value: guidance, text: National guidelines; no law yet., sources: [nl-guidelines], as_of: 2026-11}
  advice-service: {value: yes, text: A national contact point., sources: [nl-guidelines], as_of: 2026-11}
  entity-list: {value: unknown, checked: 2026-11-20}
---
Body.
`)},
		"ca.md": {Data: []byte(`---
title: Canada
kind: country
countries: [ca]
terms: [research security]
summary: A policy that binds grant applicants.
approach:
  legal-basis: {value: binding-policy, text: Funding conditions bind applicants., sources: [ca-partnerships], as_of: 2026-11}
  advice-service: {value: yes, text: A research security centre., sources: [ca-partnerships], as_of: 2026-11}
---
Body.
`)},
	}
	return serveFixtures(t, fsys, "nl-guidelines.md", "ca-partnerships.md")
}

func TestAPIApproaches(t *testing.T) {
	s := approachCorpus(t)
	rec := get(t, s, "/api/approaches")
	var out apiApproaches
	if err := json.Unmarshal(rec.Body.Bytes(), &out); rec.Code != 200 || err != nil {
		t.Fatalf("/api/approaches: %d %v %s", rec.Code, err, rec.Body.String())
	}
	if len(out.Dimensions) != len(content.Dimensions) || out.Dimensions[2].ID != "legal-basis" || len(out.Dimensions[2].Values) != 4 {
		t.Errorf("dimensions = %+v", out.Dimensions)
	}
	if len(out.Jurisdictions) != 2 || out.Jurisdictions[0].Code != "ca" || out.Jurisdictions[1].Code != "nl" {
		t.Fatalf("jurisdictions = %+v", out.Jurisdictions)
	}
	nl := out.Jurisdictions[1].Cells
	for dim, want := range map[string]apiApproachCell{
		"legal-basis": {Value: "guidance", Label: "Guidance only", Sources: []string{"nl-guidelines"}, AsOf: "2026-11"},
		"entity-list": {Value: "unknown", Label: "Unknown", Checked: "2026-11-20"},
		"training":    {Value: "unknown", Label: "Not recorded"},
		"term":        {Text: "knowledge security", Sources: []string{"nl-guidelines"}, AsOf: "2026-11"},
	} {
		got := nl[dim]
		if got.Value != want.Value || got.Label != want.Label || strings.Join(got.Sources, ",") != strings.Join(want.Sources, ",") ||
			got.AsOf != want.AsOf || got.Checked != want.Checked || (want.Text != "" && got.Text != want.Text) {
			t.Errorf("nl %s = %+v, want %+v", dim, got, want)
		}
	}
	if len(nl) != len(content.Dimensions) {
		t.Errorf("nl has %d cells, want one per dimension", len(nl))
	}
	if refs := nl["legal-basis"].Refs; len(refs) != 1 || refs[0].Href != "/docs/nl-guidelines" {
		t.Errorf("nl legal-basis source refs = %+v", refs)
	}

	rec = get(t, s, "/api/approaches?c=nl")
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || len(out.Jurisdictions) != 1 || out.Jurisdictions[0].Code != "nl" {
		t.Errorf("?c=nl: %s", rec.Body.String())
	}
	rec = get(t, s, "/api/approaches?c=zz")
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), `no profile for \"zz\"`) {
		t.Errorf("?c=zz: %d %s", rec.Code, rec.Body.String())
	}
}

func TestApproachesCSV(t *testing.T) {
	s := approachCorpus(t)
	rec := get(t, s, "/approaches.csv")
	if ct := rec.Header().Get("Content-Type"); rec.Code != 200 || ct != "text/csv; charset=utf-8" {
		t.Fatalf("/approaches.csv: %d %s", rec.Code, ct)
	}
	body, ok := bytes.CutPrefix(rec.Body.Bytes(), []byte("\ufeff"))
	if !ok {
		t.Error("no byte-order mark: spreadsheets would misread accents")
	}
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+2*len(content.Dimensions) || strings.Join(rows[0], ",") != strings.Join(approachesCSVHeader, ",") {
		t.Fatalf("%d rows, header %v", len(rows), rows[0])
	}
	found := false
	for _, r := range rows[1:] {
		if r[0] == "nl" && r[2] == "legal-basis" {
			found = r[4] == "guidance" && r[5] == "Guidance only" && r[7] == "nl-guidelines" && r[8] == "2026-11"
		}
	}
	if !found {
		t.Errorf("no nl legal-basis row with its value and source:\n%s", body)
	}
}

func TestCompareAtAGlance(t *testing.T) {
	s := approachCorpus(t)
	doc := mustDoc(t, get(t, s, "/compare?c=nl&c=ca"))
	row := doc.Find("#dim-legal-basis")
	if !row.HasClass("differs") {
		t.Error("legal-basis differs between nl (guidance) and ca (binding policy) but is not marked")
	}
	if got := texts(row.Find("td .value")); strings.Join(got, "|") != "◔ Guidance only|◐ Binding policy" {
		t.Errorf("legal-basis values = %q", got)
	}
	if href, _ := row.Find("td").First().Find(".value a").Attr("href"); href != "/docs/nl-guidelines" {
		t.Errorf("the nl cell links to %q, want its source", href)
	}
	if doc.Find("#dim-advice-service").HasClass("differs") {
		t.Error("advice-service is yes for both, yet marked as differing")
	}
	if got := texts(doc.Find("#dim-entity-list td .nothing")); len(got) != 2 || !strings.Contains(got[0], "looked for on 2026-11-20") || !strings.Contains(got[1], "Not recorded") {
		t.Errorf("entity-list cells = %q", got)
	}
	// A theme keeps the dimensions that bear on it, and the two that say whom the row is about.
	doc = mustDoc(t, get(t, s, "/compare?c=nl&c=ca&theme=contact-points"))
	var ids []string
	doc.Find("table.glance tbody tr").Each(func(_ int, tr *goquery.Selection) {
		id, _ := tr.Attr("id")
		ids = append(ids, id)
	})
	if strings.Join(ids, " ") != "dim-term dim-lead-bodies dim-advice-service" {
		t.Errorf("rows with the contact-points focus = %v", ids)
	}
	// The API has the same rows, with the answers and their sources.
	rec := get(t, s, "/api/compare?c=nl&c=ca")
	var api apiCompare
	if err := json.Unmarshal(rec.Body.Bytes(), &api); err != nil {
		t.Fatal(err)
	}
	var lb *apiCompareRow
	for i := range api.Rows {
		if api.Rows[i].Dimension == "legal-basis" {
			lb = &api.Rows[i]
		}
	}
	if lb == nil || !lb.Differs || lb.Values["ca"].Value != "binding-policy" || len(lb.Cells["nl"]) != 1 || lb.Cells["nl"][0].ID != "nl-guidelines" {
		t.Errorf("/api/compare legal-basis row = %+v", lb)
	}
}

// The countries page shows every profiled jurisdiction's answers, each linked to its source.
func TestCountriesApproachMatrix(t *testing.T) {
	s := approachCorpus(t)
	doc := mustDoc(t, get(t, s, "/countries"))
	rows := doc.Find("table.approach-matrix tbody tr")
	if rows.Length() != 2 {
		t.Fatalf("approach matrix has %d rows, want the 2 profiles", rows.Length())
	}
	// Canada first by name; its legal-basis answer is the first column.
	cell := rows.First().Find("td").First()
	href, _ := cell.Find("a").Attr("href")
	if got := strings.Join(strings.Fields(cell.Text()), " "); got != "◐ Binding policy" || href != "/docs/ca-partnerships" {
		t.Errorf("ca legal-basis cell = %q linking to %q", got, href)
	}
	if got := doc.Find("table.approach-matrix thead th").Length(); got != 1+15 {
		t.Errorf("%d header cells, want the jurisdiction and the 15 controlled dimensions", got)
	}
}

// The about page gives the corpus's own figures and the licences.
func TestAboutPage(t *testing.T) {
	s := approachCorpus(t)
	rec := get(t, s, "/about")
	doc := mustDoc(t, rec)
	body := strings.Join(strings.Fields(doc.Find("main").Text()), " ")
	for _, want := range []string{"2 guidance documents from 2 jurisdictions", "2 × Country profile",
		"Of the 2 guidance entries, 2 link to their source", "CC BY 4.0", "MIT licence"} {
		if !strings.Contains(body, want) {
			t.Errorf("/about lacks %q:\n%s", want, body)
		}
	}
	if href, _ := doc.Find("#correct + p a").Attr("href"); href != repository+"/issues" {
		t.Errorf("the correction link goes to %q", href)
	}
}
