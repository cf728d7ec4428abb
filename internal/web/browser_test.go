package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/chromedp"
)

// browserPath finds Chromium; the browser tests skip, saying why, when there is none.
func browserPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("ATLAS_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	t.Skip("no Chromium found (install Debian's chromium or set ATLAS_CHROMIUM): browser tests skipped")
	return ""
}

// newBrowser starts headless Chromium with the flags that work on a closed network; everything
// done in it must finish within three minutes, which a busy two-core machine needs for the
// larger pages.
func newBrowser(t *testing.T, script bool) context.Context {
	t.Helper()
	return newBrowserFor(t, script, 180*time.Second)
}

// newBrowserFor is newBrowser with a longer budget, for tests that walk every page type.
func newBrowserFor(t *testing.T, script bool, budget time.Duration) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browserPath(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 1000),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, budget)
	t.Cleanup(cancel3)
	if err := chromedp.Do(ctx, scriptsOn(script)); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx
}

// facetCount reads the count shown beside a facet checkbox.
func facetCount(ctx context.Context, t *testing.T, name, value string) string {
	t.Helper()
	return evalString(ctx, t, `document.querySelector("input[name='`+name+`'][value='`+value+`']").closest("label").querySelector(".count").textContent.trim()`)
}

func evalString(ctx context.Context, t *testing.T, expr string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

func text(ctx context.Context, t *testing.T, sel string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return v
}

func do(ctx context.Context, t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserSearchFlow is the walking skeleton's acceptance path: search, tick a country,
// see the other facets' counts change while the country facet keeps its own, open a document.
// It runs with script and without, since every page must work without JavaScript.
func TestBrowserSearchFlow(t *testing.T) {
	for _, script := range []bool{true, false} {
		name := "without-js"
		if script {
			name = "with-js"
		}
		t.Run(name, func(t *testing.T) {
			ts := httptest.NewServer(newTestServer(t, true))
			defer ts.Close()
			ctx := newBrowser(t, script)

			do(ctx, t,
				chromedp.Navigate(ts.URL+"/"),
				chromedp.SendKeys(chromedp.CSS("#q"), "security"),
				chromedp.Submit(chromedp.CSS("#q")),
				chromedp.WaitVisible(chromedp.CSS("#results-h")),
			)
			if h := text(ctx, t, "#results-h"); !strings.Contains(h, "results for “security”") {
				t.Fatalf("results heading = %q", h)
			}
			nlBefore, caBefore := facetCount(ctx, t, "country", "nl"), facetCount(ctx, t, "country", "ca")
			guidanceBefore := facetCount(ctx, t, "kind", "guidance")

			// Tick the Netherlands: with script the form submits itself; without, Apply does it.
			do(ctx, t, chromedp.Click(chromedp.CSS("input[name=country][value=nl]")))
			if !script {
				do(ctx, t, chromedp.Click(chromedp.CSS(".apply button")))
			}
			do(ctx, t, chromedp.WaitVisible(chromedp.CSS(".chips")))
			url, err := chromedp.Run(ctx, chromedp.Location())
			if err != nil {
				t.Fatal(err)
			}
			checked := evalString(ctx, t, `String(document.querySelector("input[name=country][value=nl]").checked)`)
			if !strings.Contains(url, "country=nl") || checked != "true" {
				t.Errorf("after ticking: url %q, checked %s", url, checked)
			}
			nlAfter, caAfter := facetCount(ctx, t, "country", "nl"), facetCount(ctx, t, "country", "ca")
			guidanceAfter := facetCount(ctx, t, "kind", "guidance")
			if nlAfter != nlBefore || caAfter != caBefore {
				t.Errorf("country counts changed when a country was ticked: nl %s→%s, ca %s→%s", nlBefore, nlAfter, caBefore, caAfter)
			}
			if guidanceAfter == guidanceBefore {
				t.Errorf("kind=guidance count stayed %s after ticking a country; it should count only the Netherlands", guidanceAfter)
			}

			do(ctx, t,
				chromedp.Click(chromedp.CSS(".hit h3 a")),
				chromedp.WaitVisible(chromedp.CSS(".doc h1")),
			)
			if title, meta := text(ctx, t, ".doc h1"), text(ctx, t, ".metadata"); title == "" || !strings.Contains(meta, "Netherlands") {
				t.Errorf("document page: title %q, metadata %q", title, meta)
			}
		})
	}
}

// TestBrowserComparePhone holds the compare page readable at phone width: each row becomes a
// card as wide as the screen, every cell says which country it is about, and nothing makes
// the page scroll sideways.
func TestBrowserComparePhone(t *testing.T) {
	ts := httptest.NewServer(realCorpusServer(t))
	defer ts.Close()
	for _, script := range []bool{true, false} {
		ctx := newBrowser(t, script)
		do(ctx, t,
			chromedp.EmulateViewport(390, 844),
			chromedp.Navigate(ts.URL+"/compare?c=nl&c=ca&c=gb"),
			chromedp.WaitVisible(chromedp.CSS("table.glance")),
		)
		narrow := evalString(ctx, t, `JSON.stringify([...document.querySelectorAll("table.compare td")]
			.filter(td => td.getBoundingClientRect().width < 300 || td.scrollWidth > td.clientWidth + 1)
			.map(td => Math.round(td.getBoundingClientRect().width) + "px: " + td.textContent.trim().slice(0, 40)))`)
		if narrow != "[]" {
			t.Errorf("script %v: cells narrower than 300px or spilling over at 390px: %s", script, narrow)
		}
		if wide := evalString(ctx, t, `String(document.documentElement.scrollWidth > window.innerWidth)`); wide != "false" {
			t.Errorf("script %v: the compare page scrolls sideways at 390px", script)
		}
		label := evalString(ctx, t, `getComputedStyle(document.querySelector("#dim-legal-basis td"), "::before").content`)
		if label != `"Netherlands"` {
			t.Errorf("script %v: the first legal-basis card cell is labelled %s, want the country", script, label)
		}
	}
}

// TestBrowserCompareDesktop holds the comparison of the Netherlands, Canada and the United
// Kingdom on the real corpus to a page people can read: the dimensions first, under 5,000 px
// tall, and the country names in view however far down the reader has scrolled.
func TestBrowserCompareDesktop(t *testing.T) {
	ts := httptest.NewServer(realCorpusServer(t))
	defer ts.Close()
	for _, script := range []bool{true, false} {
		ctx := newBrowser(t, script)
		do(ctx, t,
			chromedp.Navigate(ts.URL+"/compare?c=nl&c=ca&c=gb"),
			chromedp.WaitVisible(chromedp.CSS("table.glance")),
		)
		if first := evalString(ctx, t, `document.querySelector("main h2").textContent`); first != "At a glance" {
			t.Errorf("script %v: the first section is %q, want the dimensions", script, first)
		}
		height := evalString(ctx, t, `String(document.documentElement.scrollHeight)`)
		if n, _ := strconv.Atoi(height); n == 0 || n >= 5000 {
			t.Errorf("script %v: the page is %s px tall, want under 5,000", script, height)
		}
		stuck := evalString(ctx, t, `(() => { const row = document.querySelector("#dim-training");
			window.scrollTo(0, row.getBoundingClientRect().top + window.scrollY - 100);
			const th = document.querySelector("table.glance thead th:nth-child(2)");
			return String(Math.round(th.getBoundingClientRect().top)) })()`)
		if stuck != "0" {
			t.Errorf("script %v: scrolled to the training row, the country header is at %s px, want 0", script, stuck)
		}
	}
}

// TestBrowserCase fills in the case form as an officer would, with script and without, on a
// desktop and on a 390px phone: the answer lists the DFG recommendations with a reason, the
// address is the case, nothing scrolls sideways, and the answer opens as a reading list.
func TestBrowserCase(t *testing.T) {
	ts := httptest.NewServer(realCorpusServer(t))
	defer ts.Close()
	for _, script := range []bool{true, false} {
		for _, width := range []int64{1280, 390} {
			ctx := newBrowser(t, script)
			do(ctx, t,
				chromedp.EmulateViewport(width, 844),
				chromedp.Navigate(ts.URL+"/case"),
				chromedp.WaitVisible(chromedp.CSS("form.case-form")),
				chromedp.SetValue(chromedp.CSS("#f-home"), "de"),
				chromedp.SetValue(chromedp.CSS("#f-partner"), "cn"),
				chromedp.SetValue(chromedp.CSS("#f-activity"), "partnership"),
				chromedp.Click(chromedp.CSS("form.case-form button[type=submit]")),
				chromedp.WaitVisible(chromedp.CSS(".case-answer")),
			)
			where := fmt.Sprintf("script %v, %dpx", script, width)
			url, _ := chromedp.Run(ctx, chromedp.Location())
			if !strings.Contains(url, "home=de") || !strings.Contains(url, "partner=cn") || !strings.Contains(url, "activity=partnership") {
				t.Errorf("%s: the address %q is not the case", where, url)
			}
			applies := text(ctx, t, ".applies")
			if !strings.Contains(applies, "Dealing with Risks in International Research Cooperation") || !strings.Contains(applies, "Why:") {
				t.Errorf("%s: applies = %.200q", where, applies)
			}
			if strings.Contains(applies, "National Security Guidelines for Research Partnerships") {
				t.Errorf("%s: Canada's guidelines apply to a German case", where)
			}
			if wide := evalString(ctx, t, `String(document.documentElement.scrollWidth > window.innerWidth)`); wide != "false" {
				t.Errorf("%s: the case page scrolls sideways", where)
			}
			if width == 390 {
				do(ctx, t, chromedp.Click(chromedp.CSS(".case-actions a")), chromedp.WaitVisible(chromedp.CSS(".rl-items")))
				if n := evalString(ctx, t, `String(document.querySelectorAll(".rl-items li").length)`); n == "0" {
					t.Errorf("%s: the reading list of the case is empty", where)
				}
			}
		}
	}
	// A rejected value comes back in the form with its message beside the field.
	ctx := newBrowser(t, false)
	do(ctx, t, chromedp.Navigate(ts.URL+"/case?home=zz"), chromedp.WaitVisible(chromedp.CSS(".field-error")))
	if msg := text(ctx, t, "#e-home"); !strings.Contains(msg, "choose one of") {
		t.Errorf("home error = %q", msg)
	}
}

// TestBrowserTechnologies holds the technology matrix readable, with script and without: on a
// desktop every list is a column with the headings in view while scrolling and nothing
// scrolls sideways; on a phone each area is a card whose cells say which list they are about;
// printed on A4 landscape the matrix fits the page.
func TestBrowserTechnologies(t *testing.T) {
	ts := httptest.NewServer(realCorpusServer(t))
	defer ts.Close()
	for _, script := range []bool{true, false} {
		ctx := newBrowser(t, script)
		do(ctx, t, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(ts.URL+"/technologies"), chromedp.WaitVisible(chromedp.CSS("table.tech")))
		if wide := evalString(ctx, t, `document.documentElement.scrollWidth > window.innerWidth ? [...document.querySelectorAll("main *")]
			.filter(e => e.getBoundingClientRect().right > window.innerWidth).slice(0, 3).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right) + " " + e.textContent.slice(0, 30)).join(", ") : ""`); wide != "" {
			t.Errorf("script %v: the page scrolls sideways at 1280px: %s", script, wide)
		}
		cols := evalString(ctx, t, `String(document.querySelectorAll("table.tech thead tr.lists th").length)`)
		rows := evalString(ctx, t, `String(document.querySelectorAll("table.tech tbody tr").length)`)
		if cols != "10" || rows != "23" {
			t.Errorf("script %v: %s lists and %s areas, want the corpus's 10 and 23", script, cols, rows)
		}
		height := evalString(ctx, t, `String(document.documentElement.scrollHeight)`)
		if n, _ := strconv.Atoi(height); n == 0 || n >= 9000 {
			t.Errorf("script %v: the page is %s px tall, want under 9,000", script, height)
		}
		stuck := evalString(ctx, t, `(() => { const row = document.querySelector("#area-space");
			window.scrollTo(0, row.getBoundingClientRect().top + window.scrollY - 300);
			return String(Math.round(document.querySelector("table.tech thead").getBoundingClientRect().top)) })()`)
		if stuck != "0" {
			t.Errorf("script %v: scrolled to the space row, the list headings are at %s px, want 0", script, stuck)
		}
		// Every mapping says its relation in words.
		if bare := evalString(ctx, t, `String([...document.querySelectorAll("table.tech .tc")].filter(tc => !tc.querySelector(".rel").textContent.trim()).length)`); bare != "0" {
			t.Errorf("script %v: %s mappings without a relation label", script, bare)
		}

		do(ctx, t, chromedp.EmulateViewport(390, 844), chromedp.Navigate(ts.URL+"/technologies"), chromedp.WaitVisible(chromedp.CSS("table.tech")))
		narrow := evalString(ctx, t, `JSON.stringify([...document.querySelectorAll("table.tech td:not(.none)")]
			.filter(td => td.getBoundingClientRect().width < 300 || td.scrollWidth > td.clientWidth + 1)
			.map(td => Math.round(td.getBoundingClientRect().width) + "px: " + td.textContent.trim().slice(0, 40)))`)
		if narrow != "[]" {
			t.Errorf("script %v: cells narrower than 300px or spilling over at 390px: %s", script, narrow)
		}
		if wide := evalString(ctx, t, `String(document.documentElement.scrollWidth > window.innerWidth)`); wide != "false" {
			t.Errorf("script %v: the page scrolls sideways at 390px", script)
		}
		if label := evalString(ctx, t, `getComputedStyle(document.querySelector("#area-quantum td:not(.none)"), "::before").content`); label != `"Australia, 2023"` {
			t.Errorf("script %v: the first quantum card cell is labelled %s, want the list", script, label)
		}
		if shown := evalString(ctx, t, `String([...document.querySelectorAll("table.tech td.none")].filter(td => td.getBoundingClientRect().height > 0).length)`); shown != "0" {
			t.Errorf("script %v: %s empty cells take room in the phone cards", script, shown)
		}
	}

	// Printed: A4 landscape less the margins is about 1,030 CSS pixels.
	ctx := newBrowser(t, false)
	do(ctx, t, chromedp.EmulateViewport(1030, 700), chromedp.Navigate(ts.URL+"/technologies"), chromedp.WaitVisible(chromedp.CSS("table.tech")),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return err
		}))
	right := evalString(ctx, t, `String(Math.round(document.querySelector("table.tech").getBoundingClientRect().right))`)
	if n, _ := strconv.Atoi(right); n == 0 || n > 1030 {
		t.Errorf("printed, the matrix ends at %s px, want it on the page (1,030 px)", right)
	}
}

// TestBrowserConsoleClean loads the pages with metadata, JSON-LD and the new forms and fails on
// any console error: a Content-Security-Policy violation (the JSON-LD block is data, not
// script, and must not trip script-src), a resource that does not load (the favicon), a script
// error.
func TestBrowserConsoleClean(t *testing.T) {
	ts := httptest.NewServer(realCorpusServer(t))
	defer ts.Close()
	ctx := newBrowser(t, true)
	var mu sync.Mutex
	var logged []string
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*cdplog.EventEntryAdded); ok && (e.Entry.Level == cdplog.EntryLevelError || strings.Contains(e.Entry.Text, "Content Security Policy")) {
			mu.Lock()
			logged = append(logged, e.Entry.Text+" "+e.Entry.URL)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	do(ctx, t, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, cdplog.Enable, cdp.Empty{})
		return err
	}))
	for _, path := range []string{"/docs/nl-loket-kennisveiligheid", "/docs/eu-council-recommendation-research-security",
		"/docs/term-knowledge-security", "/docs/f-nl-key-elements", "/topics", "/topics/conceptualisation",
		"/reading-list?kind=guidance&kind=finding&country=nl", "/compare?c=nl&c=ca&c=gb&c=de&c=se", "/no-such/page-here"} {
		do(ctx, t, chromedp.Navigate(ts.URL+path), chromedp.WaitReady(chromedp.CSS("body")), chromedp.Sleep(50*time.Millisecond))
		mu.Lock()
		for _, l := range logged {
			if !(strings.Contains(path, "no-such") || strings.Contains(path, "compare")) || !strings.Contains(l, "Failed to load resource") {
				t.Errorf("%s: console: %s", path, l)
			}
		}
		logged = nil
		mu.Unlock()
	}
}

// TestBrowserScopeAndAllCountries, without script: a German officer ticks "also what applies
// from above" and applies the filters, and sees EU guidance marked as reaching Germany through
// the EU; the country facet's "show all" opens to list the countries beyond the first ten.
func TestBrowserScopeAndAllCountries(t *testing.T) {
	ts := httptest.NewServer(realCorpusServer(t))
	defer ts.Close()
	ctx := newBrowser(t, false)
	do(ctx, t,
		chromedp.Navigate(ts.URL+"/search?q=research+security&country=de"),
		chromedp.WaitVisible(chromedp.CSS("#results-h")),
	)
	if n := evalString(ctx, t, `String(document.querySelectorAll(".applies-via").length)`); n != "0" {
		t.Fatalf("%s marks before the scope is ticked", n)
	}
	do(ctx, t,
		chromedp.Click(chromedp.CSS(`input[name=scope][value=applies]`)),
		chromedp.Click(chromedp.CSS(".apply button")),
		chromedp.WaitVisible(chromedp.CSS(".applies-via")),
	)
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	marks := evalString(ctx, t, `[...document.querySelectorAll(".applies-via")].map(m => m.textContent.trim()).join("|")`)
	if !strings.Contains(url, "scope=applies") || !strings.Contains(marks, "Applies via European Union") {
		t.Errorf("after ticking the scope: url %q, marks %q", url, marks)
	}
	hidden := `(() => { const li = document.querySelector("details.facet-more li:last-child"); return String(li.checkVisibility()); })()`
	if v := evalString(ctx, t, hidden); v != "false" {
		t.Errorf("the countries beyond the first ten are shown before show all is opened")
	}
	do(ctx, t, chromedp.Click(chromedp.CSS("details.facet-more > summary")))
	if v := evalString(ctx, t, hidden); v != "true" {
		t.Errorf("show all did not list the other countries")
	}
}
