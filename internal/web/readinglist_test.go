package web

import (
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/research-security-atlas/atlas/internal/content"
)

func TestReadingListPage(t *testing.T) {
	s := newTestServer(t, true)
	doc := mustDoc(t, get(t, s, "/reading-list?country=nl&country=ca"))
	if got := texts(doc.Find(".rl-group h3")); strings.Join(got, ",") != "Canada,Netherlands" {
		t.Errorf("groups = %v", got)
	}
	if got := texts(doc.Find("#list-h")); len(got) == 0 || got[0] != "2 entries" {
		t.Errorf("heading = %v", got)
	}
	if _, ok := doc.Find("input[name=country][value=nl]").Attr("checked"); !ok {
		t.Error("country nl not checked")
	}
	// Disjunctive: the country facet still counts every country's guidance.
	if got := strings.TrimSpace(doc.Find("input[name=country][value=us]").Closest("label").Find(".count").Text()); got != "1" {
		t.Errorf("count of us = %q, want 1", got)
	}
	href, _ := doc.Find(".downloads a").Eq(1).Attr("href")
	if href != "/reading-list.csv?country=nl&country=ca" {
		t.Errorf("CSV download link = %q", href)
	}
	rec := get(t, s, href)
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") ||
		!strings.Contains(rec.Header().Get("Content-Disposition"), "research-security-reading-list.csv") {
		t.Fatalf("GET %s: %d %v", href, rec.Code, rec.Header())
	}
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil || len(rows) != 3 || rows[1][0] != "ca-partnerships" || rows[2][18] != "" {
		t.Errorf("csv rows = %v, %v", rows, err)
	}
	for _, ext := range []string{"md", "bib", "ris", "json"} {
		if rec := get(t, s, "/reading-list."+ext); rec.Code != 200 || rec.Body.Len() == 0 {
			t.Errorf("/reading-list.%s: %d", ext, rec.Code)
		}
	}
	if rec := get(t, s, "/reading-list?stage=late"); rec.Code != 400 {
		t.Errorf("bad filter: %d", rec.Code)
	}
}

func TestFeedSitemapOpenSearch(t *testing.T) {
	s := newTestServer(t, true)
	var feed struct {
		Title   string `xml:"title"`
		Entries []struct {
			Title   string `xml:"title"`
			ID      string `xml:"id"`
			Updated string `xml:"updated"`
		} `xml:"entry"`
	}
	rec := get(t, s, "/feed.atom")
	if err := xml.Unmarshal(rec.Body.Bytes(), &feed); err != nil || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("feed: %v %s", err, rec.Header().Get("Content-Type"))
	}
	if len(feed.Entries) != 7 {
		t.Errorf("feed has %d entries, want the 7 with a date", len(feed.Entries))
	}
	for i := 1; i < len(feed.Entries); i++ {
		if feed.Entries[i-1].Updated < feed.Entries[i].Updated {
			t.Errorf("feed not newest first at %d: %s < %s", i, feed.Entries[i-1].Updated, feed.Entries[i].Updated)
		}
	}
	rec = get(t, s, "/feed.atom?country=ca&topic=funder-measures")
	feed.Entries = nil
	xml.Unmarshal(rec.Body.Bytes(), &feed)
	if len(feed.Entries) != 2 || !strings.Contains(feed.Title, "country Canada, workshop topic Government and funding-agency measures") {
		t.Errorf("filtered feed: %q with %d entries", feed.Title, len(feed.Entries))
	}
	if rec := get(t, s, "/feed.atom?country=zz"); rec.Code != 400 {
		t.Errorf("feed with a bad filter: %d", rec.Code)
	}
	doc := mustDoc(t, get(t, s, "/search?country=ca"))
	if href, _ := doc.Find(".feed-link a").Attr("href"); href != "/feed.atom?country=ca" {
		t.Errorf("search page feed link = %q", href)
	}

	var sm struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(get(t, s, "/sitemap.xml").Body.Bytes(), &sm); err != nil {
		t.Fatal(err)
	}
	var locs []string
	for _, u := range sm.URLs {
		locs = append(locs, u.Loc)
	}
	all := strings.Join(locs, " ")
	// Without a base URL the addresses are relative, never the request's host (host_test.go).
	for _, want := range []string{"/docs/nl-guidelines", "/countries/nl", "/topics/conceptualisation", "/reading-list", "/technologies", "/questions", "/case"} {
		if !strings.Contains(all, want) {
			t.Errorf("sitemap lacks %s", want)
		}
	}
	os := get(t, s, "/opensearch.xml").Body.String()
	if !strings.Contains(os, `template="/search?q={searchTerms}"`) {
		t.Errorf("opensearch = %s", os)
	}
}

// TestReadingListCurated: hand-picked ids, findings, superseded entries left out unless asked,
// words searched; the downloads carry the same selection.
func TestReadingListCurated(t *testing.T) {
	corpus, _, err := content.Load(os.DirFS("../search/testdata/corpus"), ".", content.Options{Now: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	corpus.Get("gb-trusted").Status = "superseded"
	s := serveCorpus(t, corpus)
	ids := func(target string) []string {
		t.Helper()
		rec := get(t, s, target)
		if rec.Code != 200 {
			t.Fatalf("GET %s: %d %s", target, rec.Code, rec.Body)
		}
		var out []string
		mustDoc(t, rec).Find(".rl-items li > a").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			out = append(out, strings.TrimPrefix(href, "/docs/"))
		})
		return out
	}
	for _, test := range []struct {
		target string
		want   []string
	}{
		{"/reading-list", []string{"ca-partnerships", "nl-guidelines", "us-framework", "eu-council"}},
		{"/reading-list?superseded=1", []string{"ca-partnerships", "nl-guidelines", "gb-trusted", "us-framework", "eu-council"}},
		{"/reading-list?id=eu-council&id=gb-trusted&id=f-nl-key-elements", []string{"f-nl-key-elements", "gb-trusted", "eu-council"}},
		{"/reading-list?kind=finding", []string{"f-ca-research-stages", "f-nl-key-elements"}},
		{"/reading-list?kind=guidance&kind=finding&country=nl", []string{"nl-guidelines", "f-nl-key-elements"}},
		{"/reading-list?q=canada&kind=guidance&kind=finding", []string{"ca-partnerships", "f-ca-research-stages"}},
		{"/reading-list?q=trusted", nil}, // the one hit is superseded
	} {
		if got := ids(test.target); !slices.Equal(got, test.want) {
			t.Errorf("GET %s lists %v, want %v", test.target, got, test.want)
		}
	}
	doc := mustDoc(t, get(t, s, "/reading-list?id=eu-council&id=nl-guidelines&kind=finding&superseded=1&q=security"))
	if got := doc.Find("input[type=hidden][name=id]").Length(); got != 2 {
		t.Errorf("%d hidden id inputs, want 2 (the form keeps the hand-picked entries)", got)
	}
	if v, _ := doc.Find("input[name=q]#rl-q").Attr("value"); v != "security" {
		t.Errorf("words box = %q", v)
	}
	if _, ok := doc.Find("input[name=superseded]").Attr("checked"); !ok {
		t.Error("superseded box not ticked")
	}
	var csl string
	doc.Find(".downloads a").Each(func(_ int, a *goquery.Selection) {
		if h, _ := a.Attr("href"); strings.HasPrefix(h, "/reading-list.csl.json?") {
			csl = h
		}
	})
	for _, want := range []string{"id=eu-council", "id=nl-guidelines", "kind=finding", "superseded=1", "q=security"} {
		if !strings.Contains(csl, want) {
			t.Errorf("CSL download %q lacks %s", csl, want)
		}
	}
	rec := get(t, s, "/reading-list.csl.json?id=eu-council&id=f-nl-key-elements")
	var items []struct{ ID, Type string }
	if err := json.Unmarshal(rec.Body.Bytes(), &items); err != nil || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/vnd.citationstyles.csl+json") ||
		len(items) != 2 || items[1].Type != "legislation" {
		t.Errorf("CSL download: %v %s %+v", err, rec.Header().Get("Content-Type"), items)
	}
	if body := get(t, s, "/reading-list.csv").Body.String(); !strings.HasPrefix(body, "\ufeffid,title") {
		t.Errorf("CSV download does not start with a BOM and the header: %q", body[:20])
	}
	for _, bad := range []string{"/reading-list?id=nope", "/reading-list?id=nl", "/reading-list?kind=term", "/reading-list?superseded=yes", "/reading-list.ris?id=nope"} {
		if rec := get(t, s, bad); rec.Code != 400 {
			t.Errorf("GET %s: %d, want 400", bad, rec.Code)
		}
	}
}

// TestJSONFeed: JSON Feed 1.1 beside Atom, the same entries in the same order, newest change
// first by updated, else last_verified, else the entry's date.
func TestJSONFeed(t *testing.T) {
	corpus, _, err := content.Load(os.DirFS("../search/testdata/corpus"), ".", content.Options{Now: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	corpus.Get("gb-trusted").Updated = "2026-11-20"
	corpus.Get("ca-partnerships").LastVerified = "2026-11-10"
	s := serveCorpus(t, corpus)
	for _, target := range []string{"/feed.json", "/feed.json?country=nl"} {
		rec := get(t, s, target)
		if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/feed+json") {
			t.Fatalf("GET %s: %d %s", target, rec.Code, rec.Header().Get("Content-Type"))
		}
		var jf struct {
			Version, Title string
			FeedURL        string `json:"feed_url"`
			Items          []struct {
				ID, URL, Title string
				ContentText    string `json:"content_text"`
				DateModified   string `json:"date_modified"`
			}
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &jf); err != nil {
			t.Fatal(err)
		}
		if jf.Version != "https://jsonfeed.org/version/1.1" || jf.Title == "" || jf.FeedURL != target || len(jf.Items) == 0 {
			t.Errorf("%s: %+v", target, jf)
		}
		var atom struct {
			Entries []struct {
				ID string `xml:"id"`
			} `xml:"entry"`
		}
		if err := xml.Unmarshal(get(t, s, strings.Replace(target, ".json", ".atom", 1)).Body.Bytes(), &atom); err != nil {
			t.Fatal(err)
		}
		if len(atom.Entries) != len(jf.Items) {
			t.Fatalf("%s: %d items, Atom has %d", target, len(jf.Items), len(atom.Entries))
		}
		for i, it := range jf.Items {
			// The same stable id as the Atom entry, and the entry's page as its address.
			if atom.Entries[i].ID != it.ID || !strings.HasPrefix(it.URL, "/docs/") || it.ContentText == "" {
				t.Errorf("%s item %d = %+v, Atom has %s", target, i, it, atom.Entries[i].ID)
			}
			if _, err := time.Parse(time.RFC3339, it.DateModified); err != nil {
				t.Errorf("%s item %d: date_modified %q: %v", target, i, it.DateModified, err)
			}
			if i > 0 && it.DateModified > jf.Items[i-1].DateModified {
				t.Errorf("%s: item %d (%s) changed after item %d", target, i, it.DateModified, i-1)
			}
		}
		if target == "/feed.json" && (jf.Items[0].URL != "/docs/gb-trusted" || jf.Items[1].URL != "/docs/ca-partnerships") {
			t.Errorf("first items %s, %s; want gb-trusted (updated) then ca-partnerships (verified last)", jf.Items[0].URL, jf.Items[1].URL)
		}
	}
}
