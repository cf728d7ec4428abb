package web

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"net/http/httptest"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

func TestAPISuggest(t *testing.T) {
	s := newTestServer(t, true)
	var got struct {
		Query       string
		Suggestions []apiSuggestion
	}
	rec := get(t, s, "/api/suggest?q=nati")
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != 200 {
		t.Fatalf("%d %v", rec.Code, err)
	}
	var labels []string
	for _, sg := range got.Suggestions {
		labels = append(labels, sg.Label+" → "+sg.Href)
	}
	all := strings.Join(labels, "\n")
	for _, want := range []string{"National Knowledge Security Guidelines → /docs/nl-guidelines", "National Security Guidelines for Research Partnerships → /docs/ca-partnerships"} {
		if !strings.Contains(all, want) {
			t.Errorf("suggestions for nati:\n%s\nlack %s", all, want)
		}
	}
	for target, status := range map[string]int{"/api/suggest?q=" + strings.Repeat("x", 101): 400, "/api/suggest?q=%ff": 400, "/api/suggest": 200} {
		if rec := get(t, s, target); rec.Code != status {
			t.Errorf("GET %s: %d, want %d", target, rec.Code, status)
		}
	}
}

func TestDidYouMean(t *testing.T) {
	s := newTestServer(t, true)
	// A misspelt word of five letters or more is found as it is; a shorter one that finds
	// nothing gets a "did you mean".
	if rec := get(t, s, "/api/search?q=partnr+screning"); !strings.Contains(rec.Body.String(), `"id":"ca-partnerships"`) {
		t.Errorf("typos: %s", rec.Body.String())
	}
	doc := mustDoc(t, get(t, s, "/search?q=rsk&country=ca"))
	a := doc.Find(".did-you-mean a")
	href, _ := a.Attr("href")
	if a.Text() != "risk" || !strings.Contains(href, "q=risk") || !strings.Contains(href, "country=ca") {
		t.Errorf("did you mean: %q → %q", a.Text(), href)
	}
	rec := get(t, s, "/api/search?q=rsk")
	if !strings.Contains(rec.Body.String(), `"suggestion":"risk"`) {
		t.Errorf("API: %s", rec.Body.String())
	}
}

func TestCommonWordsOnly(t *testing.T) {
	s := newTestServer(t, true)
	// A query of words too common to search for is answered with a message, not the corpus.
	doc := mustDoc(t, get(t, s, "/search?q=how+does+the"))
	if n := doc.Find(".hit").Length(); n != 0 {
		t.Errorf("how does the: %d hits", n)
	}
	if msg := doc.Find(".common-words").Text(); !strings.Contains(msg, "too common to search for") {
		t.Errorf("how does the: message %q", msg)
	}
	if rec := get(t, s, "/api/search?q=how+does+the"); !strings.Contains(rec.Body.String(), `"common_words_only":true`) ||
		!strings.Contains(rec.Body.String(), `"total":0`) {
		t.Errorf("API: %s", rec.Body.String())
	}
	// A search without words still lists everything.
	if doc := mustDoc(t, get(t, s, "/search?q=")); doc.Find(".hit").Length() == 0 || doc.Find(".common-words").Length() != 0 {
		t.Errorf("empty query: no hits, or the message")
	}
}

// The suggestions work from the keyboard: type, arrow down, Enter opens the entry.
func TestBrowserSuggestionsKeyboard(t *testing.T) {
	ts := httptest.NewServer(newTestServer(t, true))
	defer ts.Close()
	ctx := newBrowser(t, true)
	do(ctx, t,
		chromedp.Navigate(ts.URL+"/"),
		chromedp.SendKeys(chromedp.CSS("#q"), "trusted"),
		chromedp.WaitVisible(chromedp.CSS("ul.suggestions li")),
		// Let the answer for the whole word arrive: typing may have asked for a prefix first.
		chromedp.Sleep(400*time.Millisecond),
	)
	if exp := evalString(ctx, t, `document.querySelector("#q").getAttribute("aria-expanded")`); exp != "true" {
		t.Errorf("aria-expanded = %s", exp)
	}
	do(ctx, t, chromedp.KeyEvent(kb.ArrowDown))
	active := evalString(ctx, t, `document.querySelector("#q").getAttribute("aria-activedescendant") || ""`)
	selected := evalString(ctx, t, `(document.querySelector("[aria-selected=true]") || {}).id || ""`)
	if active == "" || active != selected {
		t.Errorf("arrow down: activedescendant %q, selected %q", active, selected)
	}
	do(ctx, t, chromedp.KeyEvent(kb.Enter))
	// The script navigates by itself; wait for the new page's address, then read it.
	var loc string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if loc, _ = chromedp.Run(ctx, chromedp.Location()); strings.HasSuffix(loc, "/docs/gb-trusted") {
			break
		}
	}
	if !strings.HasSuffix(loc, "/docs/gb-trusted") {
		t.Fatalf("Enter led to %s", loc)
	}
	do(ctx, t, chromedp.WaitVisible(chromedp.CSS(".doc h1")))
	if h := text(ctx, t, ".doc h1"); h != "Trusted Research Guidance for Academia" {
		t.Errorf("Enter opened %q", h)
	}
}
