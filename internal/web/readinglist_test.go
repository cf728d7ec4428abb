package web

import (
	"encoding/csv"
	"encoding/xml"
	"strings"
	"testing"
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
	for _, want := range []string{"/docs/nl-guidelines", "/countries/nl", "/topics/conceptualisation", "/reading-list"} {
		if !strings.Contains(all, want) {
			t.Errorf("sitemap lacks %s", want)
		}
	}
	os := get(t, s, "/opensearch.xml").Body.String()
	if !strings.Contains(os, `template="/search?q={searchTerms}"`) {
		t.Errorf("opensearch = %s", os)
	}
}
