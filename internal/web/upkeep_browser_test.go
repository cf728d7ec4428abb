package web

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/research-security-atlas/atlas/internal/upkeep"
)

// TestBrowserUpkeep opens /upkeep on a corpus with an item of every kind, with and without
// script: every kind has its section and items, the summary links reach them, the fixes are
// readable at phone width, and axe-core (when installed) finds nothing.
func TestBrowserUpkeep(t *testing.T) {
	ts := httptest.NewServer(upkeepServer(t))
	defer ts.Close()
	for _, script := range []bool{true, false} {
		ctx := newBrowser(t, script)
		do(ctx, t, chromedp.Navigate(ts.URL+"/upkeep"), chromedp.WaitVisible(chromedp.CSS(".upkeep h1")))
		for _, k := range upkeep.Kinds {
			n := evalString(ctx, t, `String(document.querySelectorAll("#`+k+` .worklist li").length)`)
			if n == "0" {
				t.Errorf("script %v: /upkeep shows no %s item", script, k)
			}
		}
		do(ctx, t, chromedp.Click(chromedp.CSS(`.upkeep-summary a[href="#gap"]`)))
		if url, _ := chromedp.Run(ctx, chromedp.Location()); !strings.HasSuffix(url, "/upkeep#gap") {
			t.Errorf("script %v: the summary link to gaps went to %s", script, url)
		}
		do(ctx, t, chromedp.Click(chromedp.CSS("#dead-link .item-head a")), chromedp.WaitVisible(chromedp.CSS(".doc h1")))
		if notice := text(ctx, t, ".notice.link-dead"); !strings.Contains(notice, "archived copy") {
			t.Errorf("script %v: the dead source's page says %q", script, notice)
		}
	}

	ctx := newBrowser(t, true)
	do(ctx, t, chromedp.EmulateViewport(320, 640), chromedp.Navigate(ts.URL+"/upkeep"), chromedp.WaitVisible(chromedp.CSS(".upkeep h1")))
	if wide := evalString(ctx, t, `String(document.documentElement.scrollWidth > document.documentElement.clientWidth)`); wide != "false" {
		t.Error("/upkeep scrolls sideways at 320px")
	}
	axe := ""
	for _, p := range []string{os.Getenv("ATLAS_AXE"), "../../node_modules/axe-core/axe.min.js"} {
		if b, err := os.ReadFile(p); p != "" && err == nil {
			axe = string(b)
			break
		}
	}
	if axe == "" {
		t.Log("axe-core not found: the accessibility check of /upkeep with every kind of item is skipped")
		return
	}
	for _, dark := range []bool{false, true} {
		do(ctx, t, setColorScheme(dark), chromedp.Navigate(ts.URL+"/upkeep"), chromedp.WaitReady(chromedp.CSS("body")))
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](axe)); err != nil {
			t.Fatalf("injecting axe: %v", err)
		}
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {runOnly: {type: "tag",
			values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}).then(r => JSON.stringify(r))`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		var res axeResult
		json.Unmarshal([]byte(raw), &res)
		for _, v := range res.Violations {
			t.Errorf("/upkeep (dark %v): %s (%s): %s, %d nodes", dark, v.ID, v.Impact, v.Help, len(v.Nodes))
		}
	}
}
