package web

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/search"
)

var screenshots = flag.String("screenshots", "", "write screenshots of the main pages into this folder (go test ./internal/web -run TestScreenshots -screenshots ../../docs/screenshots)")

var (
	realOnce   sync.Once
	realServer *Server
	realErr    error
)

// realCorpusServer serves the real content/ with an in-memory index, for page-level checks.
func realCorpusServer(t *testing.T) *Server {
	t.Helper()
	realOnce.Do(func() {
		corpus, _, err := content.Load(os.DirFS("../../content"), ".", content.Options{})
		if err != nil {
			realErr = err
			return
		}
		s, err := New(Config{Templates: os.DirFS("../../templates"), Static: os.DirFS("../../static")}, corpus)
		if err != nil {
			realErr = err
			return
		}
		ix, err := search.NewMemory(corpus)
		if err != nil {
			realErr = err
			return
		}
		s.SetSearcher(ix)
		realServer = s
	})
	if realErr != nil {
		t.Fatal(realErr)
	}
	return realServer
}

// pageTypes is one URL of every kind of page.
var pageTypes = []string{
	"/", "/search?q=partner+screening", "/search?q=research+security&country=nl&kind=guidance",
	"/search?q=zzzzqqq", "/docs/nl-national-knowledge-security-guidelines", "/docs/f-nl-key-elements",
	"/docs/nl", "/docs/term-knowledge-security", "/countries", "/countries/ca",
	"/compare?c=nl&c=ca&c=gb", "/compare", "/topics/institutional-role", "/glossary", "/timeline",
	"/reading-list?country=de", "/no-such-page", "/search?country=atlantis", "/upkeep", "/technologies",
	"/questions", "/case", "/case?home=de&partner=cn&activity=partnership&technology=quantum&funder=dfg", "/case?home=zz&activity=dancing",
	"/topics", "/topics/funder-measures", "/compare?c=nl&c=ca&c=gb&c=de&c=se", "/search?q=research+security&page=999",
	"/reading-list?kind=guidance&kind=finding&superseded=1&q=screening", "/docs/nl-loket-kennisveiligheid",
	"/search?q=research+security&country=de&scope=applies", "/compare?c=nl",
}

// axeSource finds axe-core (npm package axe-core); the test skips, saying how to get it, when
// it is not installed.
func axeSource(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("ATLAS_AXE"), "../../node_modules/axe-core/axe.min.js"} {
		if p == "" {
			continue
		}
		if b, err := os.ReadFile(p); err == nil {
			return string(b)
		}
	}
	t.Skip("axe-core not found: npm install axe-core and set ATLAS_AXE to its axe.min.js")
	return ""
}

func setColorScheme(dark bool) chromedp.Action[chromedp.Void] {
	scheme := "light"
	if dark {
		scheme = "dark"
	}
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
		return err
	})
}

type axeResult struct {
	Violations []struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []struct {
			Target []any `json:"target"`
		} `json:"nodes"`
	} `json:"violations"`
}

// noScriptPages are checked again as they load without script: the comparison and the countries
// matrix, and the search page, whose facets script folds on a phone.
var noScriptPages = []string{"/compare?c=nl&c=ca&c=gb", "/compare?c=nl&c=ca&c=gb&theme=due-diligence",
	"/countries", "/search?q=partner+screening&country=nl"}

// TestAccessibility runs axe-core's WCAG 2.2 A and AA rules on every page type, in light and
// dark mode, at desktop and phone widths, and on the pages script changes without it.
func TestAccessibility(t *testing.T) {
	axe := axeSource(t)
	ts := httptest.NewServer(realCorpusServer(t))
	defer ts.Close()
	for _, mode := range []struct {
		name   string
		dark   bool
		width  int64
		height int64
		script bool
		paths  []string
	}{
		{"light-desktop", false, 1280, 900, true, pageTypes},
		{"dark-phone", true, 390, 844, true, pageTypes},
		{"noscript-desktop", false, 1280, 900, false, noScriptPages},
		{"noscript-phone", false, 390, 844, false, noScriptPages},
	} {
		t.Run(mode.name, func(t *testing.T) {
			// Every page type, twice: more than the minute one page flow gets on a busy machine.
			ctx := newBrowserFor(t, mode.script, 4*time.Minute)
			do(ctx, t, setColorScheme(mode.dark), chromedp.EmulateViewport(mode.width, mode.height))
			for _, path := range mode.paths {
				if !mode.script {
					do(ctx, t, scriptsOn(false))
				}
				do(ctx, t, chromedp.Navigate(ts.URL+path), chromedp.WaitReady(chromedp.CSS("body")))
				if !mode.script {
					// axe needs timers, which stay off while scripts are: the page is loaded
					// without its own scripts, then scripts are allowed for axe alone.
					waitComplete(ctx, t)
					do(ctx, t, scriptsOn(true))
				}
				if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](axe)); err != nil {
					t.Fatalf("injecting axe: %v", err)
				}
				raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {runOnly: {type: "tag",
					values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}).then(r => JSON.stringify(r))`,
					chromedp.EvalAwaitPromise))
				if err != nil {
					t.Fatalf("axe on %s: %v", path, err)
				}
				var res axeResult
				if err := json.Unmarshal([]byte(raw), &res); err != nil {
					t.Fatal(err)
				}
				for _, v := range res.Violations {
					var targets []string
					for i, n := range v.Nodes {
						if i == 3 {
							targets = append(targets, fmt.Sprintf("and %d more", len(v.Nodes)-3))
							break
						}
						targets = append(targets, fmt.Sprint(n.Target))
					}
					t.Errorf("%s: %s (%s): %s — %s", path, v.ID, v.Impact, v.Help, strings.Join(targets, ", "))
				}
			}
		})
	}
}

// scriptsOn allows or blocks the page's scripts from the next navigation on.
func scriptsOn(on bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
		return err
	})
}

// waitComplete waits until the page has loaded, deferred scripts included.
func waitComplete(ctx context.Context, t *testing.T) {
	t.Helper()
	for range 200 {
		if evalString(ctx, t, `document.readyState`) == "complete" {
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatal("the page never finished loading")
}

// TestAccessibilityEntries runs axe on every entry page of the real corpus, not one per type:
// one browser, one navigation per entry, light mode at desktop width. Country profiles and
// topics redirect to their own pages, which are checked once each. It takes about 15 minutes
// on two cores, longer than go test's default timeout, so it runs only when ATLAS_AXE_ENTRIES=1
// (.ci/run sets it, with -timeout 40m).
func TestAccessibilityEntries(t *testing.T) {
	if os.Getenv("ATLAS_AXE_ENTRIES") != "1" {
		t.Skip("every entry page: set ATLAS_AXE_ENTRIES=1 (and -timeout 40m) to run axe on all of them")
	}
	axe := axeSource(t)
	s := realCorpusServer(t)
	ts := httptest.NewServer(s)
	defer ts.Close()
	seen := map[string]bool{}
	var paths []string
	for _, e := range s.state().corpus.Entries {
		p := "/docs/" + e.ID
		if c := s.state().canonicalPage(e); c != "" {
			p = c
		}
		if !seen[p] {
			seen[p] = true
			paths = append(paths, p)
		}
	}
	// Two browsers share the pages: the run is bound by the browser, and CI has two cores.
	const browsers = 2
	var violations atomic.Int64
	t.Run("pages", func(t *testing.T) {
		for b := range browsers {
			t.Run(fmt.Sprint(b), func(t *testing.T) {
				t.Parallel()
				ctx := newBrowserFor(t, true, 35*time.Minute)
				for i := b; i < len(paths); i += browsers {
					path := paths[i]
					do(ctx, t, chromedp.Navigate(ts.URL+path), chromedp.WaitReady(chromedp.CSS("body")))
					raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(typeof axe === "undefined" ? (0, eval)(`+strconv.Quote(axe)+`) : 0,
						axe.run(document, {resultTypes: ["violations"], runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}).then(r => JSON.stringify(r.violations)))`,
						chromedp.EvalAwaitPromise))
					if err != nil {
						t.Fatalf("axe on %s: %v", path, err)
					}
					var res axeResult
					if err := json.Unmarshal([]byte(raw), &res.Violations); err != nil {
						t.Fatal(err)
					}
					for _, v := range res.Violations {
						violations.Add(1)
						var targets []string
						for i, n := range v.Nodes {
							if i == 3 {
								targets = append(targets, fmt.Sprintf("and %d more", len(v.Nodes)-3))
								break
							}
							targets = append(targets, fmt.Sprint(n.Target))
						}
						t.Errorf("%s: %s (%s, %d nodes): %s — %s", path, v.ID, v.Impact, len(v.Nodes), v.Help, strings.Join(targets, ", "))
					}
				}
			})
		}
	})
	t.Logf("axe checked %d entry pages: %d violations", len(paths), violations.Load())
}

// TestBrowserFlows uses the site as people do, with and without script: untick a filter, page
// through results, compare countries with the form.
func TestBrowserFlows(t *testing.T) {
	for _, script := range []bool{true, false} {
		t.Run(fmt.Sprintf("script=%v", script), func(t *testing.T) {
			ts := httptest.NewServer(realCorpusServer(t))
			defer ts.Close()
			ctx := newBrowser(t, script)
			submit := func() {
				if !script {
					do(ctx, t, chromedp.Click(chromedp.CSS(".apply button")))
				}
			}

			// Untick a filter: the chip goes and the total grows back.
			do(ctx, t, chromedp.Navigate(ts.URL+"/search?q=research+security&country=nl"), chromedp.WaitVisible(chromedp.CSS(".chips")))
			narrowed := text(ctx, t, "#results-h")
			do(ctx, t, chromedp.Click(chromedp.CSS("input[name=country][value=nl]")))
			submit()
			do(ctx, t, chromedp.WaitNotPresent(chromedp.CSS(".chips")))
			// With script the form submits itself: the old page may still be going while the
			// new one loads, so the heading is read until the new page has one.
			wide := ""
			for i := 0; i < 50 && (wide == "" || wide == narrowed); i++ {
				v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector("#results-h") || {textContent: ""}).textContent`))
				if err == nil {
					wide = strings.TrimSpace(v)
				}
				time.Sleep(100 * time.Millisecond)
			}
			if wide == "" || wide == narrowed {
				t.Errorf("unticking changed nothing: %q (was %q)", wide, narrowed)
			}

			// Page 2 and back.
			do(ctx, t, chromedp.Click(chromedp.CSS(".pager a[rel=next]")), chromedp.WaitVisible(chromedp.CSS(".pager a[rel=prev]")))
			if h := text(ctx, t, "#results-h"); !strings.HasPrefix(h, "21–40 of") {
				t.Errorf("page 2 heading = %q", h)
			}
			do(ctx, t, chromedp.Click(chromedp.CSS(".pager a[rel=prev]")), chromedp.WaitNotPresent(chromedp.CSS(".pager a[rel=prev]")))

			// Compare: pick three countries with the form.
			do(ctx, t, chromedp.Navigate(ts.URL+"/compare"), chromedp.WaitVisible(chromedp.CSS(".compare-picker")))
			for _, c := range []string{"nl", "ca", "gb"} {
				do(ctx, t, chromedp.Click(chromedp.CSS("input[name=c][value="+c+"]")))
			}
			do(ctx, t, chromedp.Click(chromedp.CSS(".compare-picker button")), chromedp.WaitVisible(chromedp.CSS("table.compare")))
			if h := text(ctx, t, "table.compare thead"); !strings.Contains(h, "Netherlands") || !strings.Contains(h, "Canada") || !strings.Contains(h, "United Kingdom") {
				t.Errorf("compare heading = %q", h)
			}
			url, _ := chromedp.Run(ctx, chromedp.Location())
			if !strings.Contains(url, "c=nl") || !strings.Contains(url, "c=gb") {
				t.Errorf("compare URL %q is not shareable", url)
			}
		})
	}
}

// TestScreenshots writes the screenshots shown in the README when -screenshots names a folder.
// Install Debian's fonts-noto-cjk first, or the Chinese and Japanese terms show as boxes.
func TestScreenshots(t *testing.T) {
	if *screenshots == "" {
		t.Skip("pass -screenshots DIR to write them")
	}
	ts := httptest.NewServer(realCorpusServer(t))
	defer ts.Close()
	ctx := newBrowser(t, true)
	shots := []struct{ name, path string }{
		{"home", "/"}, {"search", "/search?q=partner+screening&country=nl&country=ca"},
		{"document", "/docs/nl-national-knowledge-security-guidelines"}, {"countries", "/countries"},
		{"compare", "/compare?c=nl&c=ca&c=gb"}, {"reading-list", "/reading-list?country=de"},
		{"case", "/case?home=de&partner=cn&activity=partnership"}, {"questions", "/questions"},
		{"technologies", "/technologies"}, {"upkeep", "/upkeep"},
	}
	for _, size := range []struct {
		name string
		w, h int64
	}{{"desktop", 1280, 900}, {"phone", 390, 844}} {
		do(ctx, t, chromedp.EmulateViewport(size.w, size.h))
		for _, s := range shots {
			do(ctx, t, chromedp.Navigate(ts.URL+s.path), chromedp.WaitReady(chromedp.CSS("body")), chromedp.Sleep(100*time.Millisecond))
			png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(*screenshots, s.name+"-"+size.name+".png"), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestBrowserReflow checks WCAG's reflow at 320 CSS pixels: no page scrolls sideways as a whole;
// only wide tables scroll, inside their own region.
func TestBrowserReflow(t *testing.T) {
	ts := httptest.NewServer(realCorpusServer(t))
	defer ts.Close()
	ctx := newBrowserFor(t, true, 4*time.Minute)
	do(ctx, t, chromedp.EmulateViewport(320, 640))
	for _, path := range pageTypes {
		do(ctx, t, chromedp.Navigate(ts.URL+path), chromedp.WaitReady(chromedp.CSS("body")))
		wide := evalString(ctx, t, `(() => {
			const w = document.documentElement.clientWidth;
			if (document.documentElement.scrollWidth <= w) return "";
			return [...document.querySelectorAll("body *")]
				.filter(e => !e.closest(".table-scroll") && e.getBoundingClientRect().right > w + 1)
				.slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : "") + " " + Math.round(e.getBoundingClientRect().right) + "px").join(", ");
		})()`)
		if wide != "" {
			t.Errorf("%s scrolls sideways at 320px: %s", path, wide)
		}
	}
}
