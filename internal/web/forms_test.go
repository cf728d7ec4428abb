package web

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestFormsForgive: too many countries bring the picker back with the ticks kept; a page past
// the last is a 404 that links to the last page; a 404 page offers a search for the address's
// last words; error titles are plain words.
func TestFormsForgive(t *testing.T) {
	s := realCorpusServer(t)
	rec := get(t, s, "/compare?c=nl&c=ca&c=gb&c=de&c=se")
	doc := mustDoc(t, rec)
	if rec.Code != 400 {
		t.Errorf("five countries: %d, want 400", rec.Code)
	}
	var ticked []string
	doc.Find(".compare-picker input[name=c][checked]").Each(func(_ int, in *goquery.Selection) {
		v, _ := in.Attr("value")
		ticked = append(ticked, v)
	})
	if strings.Join(ticked, ",") != "ca,de,nl,se,gb" && len(ticked) != 5 {
		t.Errorf("ticks kept: %v, want the five", ticked)
	}
	if msg := doc.Find(".compare-picker #compare-error").Text(); !strings.Contains(msg, "You ticked 5") || !strings.Contains(msg, "Untick 1") {
		t.Errorf("inline message = %q", msg)
	}
	if _, open := doc.Find(".compare-picker details").Attr("open"); !open {
		t.Error("the picker is folded")
	}

	rec = get(t, s, "/search?q=research+security&page=999")
	doc = mustDoc(t, rec)
	href, _ := doc.Find(".error-page a[href^='/search']").Attr("href")
	if v, _ := doc.Find("#err-q").Attr("value"); v != "research security" {
		t.Errorf("page 999: the search box holds %q, want the search", v)
	}
	if rec.Code != 404 || !strings.Contains(href, "page=") || !strings.Contains(href, "q=research+security") {
		t.Errorf("page 999: %d, link %q", rec.Code, href)
	} else if last := get(t, s, href); last.Code != 200 || mustDoc(t, last).Find(".hit").Length() == 0 {
		t.Errorf("the last page %s: %d, no hits", href, last.Code)
	}
	if rec := get(t, s, "/search?q=research+security&page=1"); rec.Code != 200 {
		t.Errorf("page 1: %d", rec.Code)
	}

	for _, test := range []struct{ path, words, title string }{
		{"/docs/trusted-research-guide", "trusted research guide", "Page not found"},
		{"/no/such_page.html", "such page", "Page not found"},
		{"/countries/atlantis/", "atlantis", "Page not found"},
	} {
		rec := get(t, s, test.path)
		doc := mustDoc(t, rec)
		if v, _ := doc.Find("#err-q").Attr("value"); rec.Code != 404 || v != test.words {
			t.Errorf("GET %s: %d, search box %q, want %q", test.path, rec.Code, v, test.words)
		}
		if h1 := doc.Find("h1").Text(); h1 != test.title {
			t.Errorf("GET %s: h1 %q, want %q", test.path, h1, test.title)
		}
	}
	if h1 := mustDoc(t, get(t, s, "/search?stage=late")).Find("h1").Text(); h1 != "Something in this address is not right" {
		t.Errorf("400 page h1 = %q", h1)
	}
}

// The past-the-last-page message counts in plain words: "1 page", "7 results".
func TestPlural(t *testing.T) {
	for _, test := range []struct {
		n    int
		want string
	}{{0, "0 pages"}, {1, "1 page"}, {2, "2 pages"}, {12, "12 pages"}} {
		if got := plural(test.n, "page"); got != test.want {
			t.Errorf("plural(%d) = %q, want %q", test.n, got, test.want)
		}
	}
}

// A page reached by a link with an unusable option says so in plain words, then the exact
// problem, and offers the page without the options; a search keeps its words in the box.
func TestBadOptionErrorPage(t *testing.T) {
	s := newTestServer(t, true)
	for _, test := range []struct {
		target, detail, link, linkText, box string
	}{
		{"/search?q=partner+screening&country=xx", `unknown country "xx"`, "/search", "Start a new search", "partner screening"},
		{"/reading-list?stage=early", `unknown stage "early"`, "/reading-list", "Open this page without the address's options", ""},
		{"/search?q=x&sort=best", `sort "best" is not known`, "/search", "Start a new search", "x"},
	} {
		rec := get(t, s, test.target)
		if rec.Code != 400 {
			t.Errorf("GET %s: %d, want 400", test.target, rec.Code)
			continue
		}
		doc := mustDoc(t, rec)
		main := strings.Join(strings.Fields(doc.Find("main").Text()), " ")
		if !strings.Contains(main, "Part of this address cannot be used") || !strings.Contains(main, "In detail: "+test.detail) {
			t.Errorf("GET %s: page says %q", test.target, main)
		}
		if a := doc.Find(`main a[href="` + test.link + `"]`); a.Length() != 1 || a.Text() != test.linkText {
			t.Errorf("GET %s: no link %q to %s", test.target, test.linkText, test.link)
		}
		if v, _ := doc.Find("#err-q").Attr("value"); v != test.box {
			t.Errorf("GET %s: search box holds %q, want %q", test.target, v, test.box)
		}
	}
}

// One country ticked on /compare: the picker stays open with it ticked, and the page says how
// many more to tick and links to the one country's page.
func TestCompareOneCountry(t *testing.T) {
	s := realCorpusServer(t)
	rec := get(t, s, "/compare?c=nl")
	if rec.Code != 200 {
		t.Fatalf("/compare?c=nl: %d", rec.Code)
	}
	doc := mustDoc(t, rec)
	msg := strings.Join(strings.Fields(doc.Find("main #compare-error").Text()), " ")
	if !strings.Contains(msg, "You chose Netherlands. Tick 1 to 3 more") {
		t.Errorf("message = %q", msg)
	}
	if doc.Find(`main #compare-error a[href="/countries/nl"]`).Length() != 1 {
		t.Error("no link to /countries/nl")
	}
	if _, ok := doc.Find(`input[name=c][value=nl]`).Attr("checked"); !ok || doc.Find("details[open] fieldset").Length() != 1 {
		t.Error("the picker is not open with nl ticked")
	}
}
