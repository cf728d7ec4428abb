package web

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/research-security-atlas/atlas/internal/content"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// compareOutline reduces the compare page to its structure: one line per row with the row
// heading and, per column, what the cell holds.
func compareOutline(doc *goquery.Document) string {
	var b strings.Builder
	doc.Find("table.compare thead th").Each(func(_ int, th *goquery.Selection) {
		fmt.Fprintf(&b, "[%s] ", strings.Join(strings.Fields(th.Text()), " "))
	})
	b.WriteString("\n")
	doc.Find("table.compare tbody tr").Each(func(_ int, tr *goquery.Selection) {
		class, _ := tr.Attr("class")
		fmt.Fprintf(&b, "%s | %s", class, strings.Join(strings.Fields(tr.Find("th").Text()), " "))
		tr.Find("td").Each(func(_ int, td *goquery.Selection) {
			switch {
			case td.Find(".nothing").Length() > 0:
				b.WriteString(" | nothing recorded")
			default:
				var ids []string
				td.Find("a[href^='/docs/']").Each(func(_ int, a *goquery.Selection) {
					if a.ParentFiltered("h4, li, p").Length() > 0 {
						href, _ := a.Attr("href")
						ids = append(ids, strings.TrimPrefix(href, "/docs/"))
					}
				})
				b.WriteString(" | " + strings.Join(ids, " "))
			}
		})
		b.WriteString("\n")
	})
	return b.String()
}

func TestComparePageGolden(t *testing.T) {
	s := newTestServer(t, false)
	rec := get(t, s, "/compare?c=nl&c=ca")
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	got := compareOutline(mustDoc(t, rec))
	golden := "testdata/compare-nl-ca.golden"
	if *update {
		os.WriteFile(golden, []byte(got), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/web -run Golden -update)", err)
	}
	if got != string(want) {
		t.Errorf("compare page structure:\n%s\nwant:\n%s", got, want)
	}
}

func TestBrowsePages(t *testing.T) {
	s := newTestServer(t, false)
	for _, test := range []struct {
		target string
		status int
		checks map[string]string
	}{
		{"/countries", 200, map[string]string{
			"table.coverage-matrix thead":                          "Conceptualisation of research security",
			"table.coverage-matrix thead th:nth-child(5)":          "The role of research institutions",
			"table.coverage-matrix tbody tr:first-child th":        "Canada",
			"table.approach-matrix thead":                          "Legal basis",
			"table.approach-matrix tbody tr:first-child th":        "Netherlands",
			"table.approach-matrix tbody td:nth-child(2)":          "Not recorded",
			"a[href='/search?country=nl&topic=conceptualisation']": "1",
			"a[href='/search?country=nl&stage=applied']":           "2",
			"a[href='/search?country=nl&kind=guidance']":           "1",
		}},
		{"/countries/nl", 200, map[string]string{
			"h1":                  "Netherlands",
			".metadata dd":        "knowledge security; kennisveiligheid",
			"#guidance-h + h3":    "Guideline",
			".entry-list a":       "National Knowledge Security Guidelines",
			"#findings-h + h3":    "Conceptualisation of research security",
			".compare-with label": "Canada",
		}},
		{"/countries/ca", 200, map[string]string{"h1": "Canada", ".lede": "No profile has been written"}},
		{"/countries/xx", 404, map[string]string{".lede": `no country or organisation with the code "xx"`}},
		{"/compare", 200, map[string]string{".empty": "Choose 2 to 4", ".choice-grid li:nth-child(2) label": "Netherlands"}},
		{"/compare?c=nl", 200, map[string]string{"#compare-error": "Tick 1 to 3 more"}},
		{"/compare?c=nl&c=ca&c=gb&c=us&c=eu", 400, map[string]string{"#compare-error": "room for 4"}},
		{"/compare?c=nl&c=zz", 400, map[string]string{".lede + p": `unknown country or organisation "zz"`}},
		{"/compare?c=nl&c=ca&theme=due-diligence", 200, map[string]string{
			".notice": "Showing only the dimensions and entries about due diligence",
			"#row-institutional-role td:nth-child(2)": "National Knowledge Security Guidelines",
			"#workshop-h + p":                         "rows with nothing recorded for any of them are hidden",
			"select[name=theme] option[selected]":     "Due diligence",
		}},
		{"/compare?c=nl&c=ca&stage=applied", 200, map[string]string{"#row-research-stages td:nth-child(3)": "Canada: partner screening"}},
		{"/compare?c=nl&c=ca&theme=spying", 400, map[string]string{".lede + p": `unknown theme "spying"`}},
		{"/topics/conceptualisation", 200, map[string]string{
			"h1":                               "Conceptualisation of research security",
			"#key-elements-h":                  "What are the key elements",
			"#key-elements dt":                 "Netherlands",
			"#key-elements dd a":               "knowledge security has three dimensions",
			"#collaboration-benefits .nothing": "Nothing recorded",
		}},
		{"/topics/funder-measures", 200, map[string]string{"#research-stages dt": "Canada"}},
		{"/topics/other", 404, map[string]string{".lede": "conceptualisation, funder-measures, institutional-role"}},
		{"/glossary", 200, map[string]string{".empty": "No glossary terms yet"}},
		{"/timeline", 200, map[string]string{".empty": "No milestones yet"}},
	} {
		rec := get(t, s, test.target)
		if rec.Code != test.status {
			t.Errorf("GET %s: status %d, want %d", test.target, rec.Code, test.status)
			continue
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

func TestAPICountriesAndCompare(t *testing.T) {
	s := newTestServer(t, false)
	rec := get(t, s, "/api/countries")
	if body := rec.Body.String(); rec.Code != 200 || !strings.Contains(body, `{"code":"nl","name":"Netherlands","terms":["knowledge security","kennisveiligheid"],"documents":1,"findings":1,"href":"/countries/nl"}`) {
		t.Errorf("/api/countries: %d %s", rec.Code, body)
	}
	rec = get(t, s, "/api/compare?c=nl&c=ca")
	body := rec.Body.String()
	for _, want := range []string{`"countries":[{"code":"nl"`, `"topic":"conceptualisation","question":"key-elements"`,
		`"nl":[{"id":"f-nl-key-elements"`, `"ca":[]`} {
		if !strings.Contains(body, want) {
			t.Errorf("/api/compare lacks %s:\n%s", want, body)
		}
	}
	if rec := get(t, s, "/api/compare?c=nl"); rec.Code != 400 || !strings.Contains(rec.Body.String(), "give 2 to 4") {
		t.Errorf("/api/compare with one country: %d %s", rec.Code, rec.Body.String())
	}
}

// The real corpus: every jurisdiction that speaks in the workshop report has a profile page, and
// comparing the Netherlands, Canada and the United Kingdom fills every topic for each of them.
func TestRealCorpusProfilesAndCompare(t *testing.T) {
	corpus, _, err := content.Load(os.DirFS("../../content"), ".", content.Options{Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Templates: os.DirFS("../../templates"), Static: os.DirFS("../../static")}, corpus)
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"us", "fi", "be", "nl", "fr", "dk", "es", "ma", "se", "nz", "ca", "gb", "ie", "no",
		"de", "ch", "at", "si", "cn", "za", "jp", "au", "eu", "oecd", "g7"} {
		rec := get(t, s, "/countries/"+code)
		doc := mustDoc(t, rec)
		if rec.Code != 200 || doc.Find(".doc-body h2").Length() == 0 || strings.Contains(doc.Find(".lede").Text(), "No profile") {
			t.Errorf("/countries/%s: status %d, no written profile", code, rec.Code)
		}
	}
	doc := mustDoc(t, get(t, s, "/compare?c=nl&c=ca&c=gb"))
	topic := ""
	filled := map[string][]bool{}
	doc.Find("table.compare tbody tr").Each(func(_ int, tr *goquery.Selection) {
		if tr.HasClass("topic-row") {
			topic = strings.TrimSpace(tr.Find("th a").Text())
			filled[topic] = make([]bool, 3)
		}
		if topic == "" {
			return
		}
		tr.Find("td").Each(func(i int, td *goquery.Selection) {
			if td.Find(".nothing").Length() == 0 && i < 3 {
				filled[topic][i] = true
			}
		})
	})
	if len(filled) != 3 {
		t.Fatalf("topics found on the compare page: %v", filled)
	}
	for topic, cols := range filled {
		for i, ok := range cols {
			if !ok {
				t.Errorf("compare nl, ca, gb: %s is empty for column %d", topic, i+1)
			}
		}
	}
}

// Every document page offers entries like it, beyond those it names itself.
func TestMoreLikeThis(t *testing.T) {
	s := newTestServer(t, false)
	doc := mustDoc(t, get(t, s, "/docs/ca-partnerships"))
	got := texts(doc.Find("#similar-h ~ ul li a"))
	// f-ca-research-stages shares Canada, due diligence and funder measures; nl-guidelines is
	// already named in related, so it is not repeated.
	if len(got) == 0 || got[0] != "Canada: partner screening applies to applied research partnerships" {
		t.Errorf("more like this = %v", got)
	}
	for _, g := range got {
		if g == "National Knowledge Security Guidelines" {
			t.Errorf("an entry already in related is repeated: %v", got)
		}
	}
}

// TestCompareLongCells fills one guidance cell and one findings cell past what the page shows:
// each is cut, and its link leads to all of them.
func TestCompareLongCells(t *testing.T) {
	nl, err := os.ReadFile("../search/testdata/corpus/nl.md")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"nl.md": &fstest.MapFile{Data: nl},
		// Canada has no profile in the fixture; a finding makes it comparable.
		"f-ca-one.md": &fstest.MapFile{Data: []byte("---\ntitle: \"Canada: a finding\"\nkind: finding\ncountries: [ca]\ntopics: [conceptualisation]\nquestion: key-elements\nreport_section: Topic 1\nstages: [basic]\nphases: [conduct]\n---\n\nCanada spoke.\n")},
	}
	const guidance, findings = compareCellGuidance + 5, compareCellFindings + 3
	for i := range guidance {
		fsys[fmt.Sprintf("nl-g%02d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(`---
title: Dutch funder rule %02d
kind: guidance
countries: [nl]
issuer: A funder
type: guideline
topics: [funder-measures]
stages: [basic]
phases: [proposal-funding]
audiences: [funder]
published: 2024-%02d
source_url: https://example.org/g%d
language: en
last_verified: 2026-11-01
summary: A rule for funding.
---

## What it is
A rule.
`, i, 1+i%12, i))}
	}
	for i := range findings {
		fsys[fmt.Sprintf("f-nl-s%02d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(`---
title: "Netherlands: point %02d on research stages"
kind: finding
countries: [nl]
topics: [funder-measures]
question: research-stages
report_section: Topic 2
stages: [basic]
phases: [proposal-funding]
---

Point %d.
`, i, i))}
	}
	corpus, probs, err := content.Load(fsys, ".", content.Options{Now: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
	if err != nil || content.Errors(probs) > 0 {
		t.Fatalf("corpus: %v %v", err, probs)
	}
	s := serveCorpus(t, corpus)

	doc := mustDoc(t, get(t, s, "/compare?c=nl&c=ca"))
	cell := doc.Find("#row-funder-measures td").First()
	if n := cell.Find("li").Length(); n != compareCellGuidance {
		t.Errorf("guidance cell lists %d entries, want %d", n, compareCellGuidance)
	}
	more := cell.Find("p.more a")
	href, _ := more.Attr("href")
	if text := more.Text(); text != "5 more guidance documents" || href != "/search?country=nl&kind=guidance&topic=funder-measures" {
		t.Errorf("guidance cell's link = %q %q", text, href)
	}
	// The search behind the link finds every entry of the cell.
	res := mustDoc(t, get(t, s, href))
	if h := strings.Join(strings.Fields(res.Find("#results-h").Text()), " "); h != fmt.Sprintf("1–%d of %d results", min(20, guidance), guidance) {
		t.Errorf("the search behind the link says %q, want %d results", h, guidance)
	}
	cell = doc.Find("#row-research-stages td").First()
	if n := cell.Find(".finding").Length(); n != compareCellFindings {
		t.Errorf("findings cell shows %d findings, want %d", n, compareCellFindings)
	}
	more = cell.Find("p.more a")
	href, _ = more.Attr("href")
	if text := more.Text(); text != "3 more findings" || href != "/countries/nl#q-research-stages" {
		t.Errorf("findings cell's link = %q %q", text, href)
	}
	country := mustDoc(t, get(t, s, "/countries/nl"))
	if n := country.Find("#q-research-stages + ul li").Length(); n != findings {
		t.Errorf("/countries/nl#q-research-stages lists %d findings, want %d", n, findings)
	}
	// The API is not cut: it returns references only.
	rec := get(t, s, "/api/compare?c=nl&c=ca")
	var api struct {
		Rows []struct {
			Topic, Question string
			Cells           map[string][]json.RawMessage
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &api); err != nil {
		t.Fatal(err)
	}
	for _, r := range api.Rows {
		if r.Question == "" && r.Topic == "funder-measures" && len(r.Cells["nl"]) != guidance {
			t.Errorf("/api/compare funder-measures nl has %d entries, want %d", len(r.Cells["nl"]), guidance)
		}
	}
}
