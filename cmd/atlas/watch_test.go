package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/research-security-atlas/atlas/internal/search"
	"github.com/research-security-atlas/atlas/internal/web"
)

// waitFor polls url until its body contains want; the generous deadline only stops a hung test.
func waitFor(t *testing.T, url, want string, present bool) string {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var body string
	for time.Now().Before(deadline) {
		resp, err := http.Get(url)
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			body = string(b)
			if strings.Contains(body, want) == present {
				return body
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("GET %s: waited for %q (present=%v); last body: %s", url, want, present, body)
	return ""
}

func TestWatchReindexes(t *testing.T) {
	dir := t.TempDir()
	cfg := config{content: filepath.Join(dir, "content"), index: filepath.Join(dir, "index", "atlas.bleve")}
	os.MkdirAll(cfg.content, 0o755)
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(cfg.content, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.md", "---\ntitle: Alpha topic\nkind: topic\n---\nAbout aardvarks.\n")

	stamp := contentStamp(cfg.content)
	corpus, probs, err := loadCorpus(cfg.content)
	if err != nil || len(probs) > 0 {
		t.Fatal(err, probs)
	}
	ix, _, err := search.OpenOrBuild(context.Background(), cfg.index, corpus)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Config{Templates: os.DirFS("../../templates"), Static: os.DirFS("../../static")}, corpus)
	if err != nil {
		t.Fatal(err)
	}
	srv.Update(corpus, ix, nil)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go watch(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)), cfg, srv, corpus, ix, stamp)

	// An added file becomes searchable.
	write("b.md", "---\ntitle: Beta topic\nkind: topic\n---\nAbout badgers.\n")
	waitFor(t, ts.URL+"/api/search?q=badgers", `"id":"b"`, true)

	// A changed file is searched in its new form.
	write("b.md", "---\ntitle: Beta topic\nkind: topic\n---\nAbout beavers.\n")
	waitFor(t, ts.URL+"/api/search?q=beavers", `"id":"b"`, true)

	// A broken file is reported and its last good version stays searchable.
	write("b.md", "---\ntitle: Beta topic\nkind: topic\nshape: round\n---\nAbout bison.\n")
	ready := waitFor(t, ts.URL+"/readyz", `unknown field \"shape\"`, true)
	if !strings.Contains(ready, "b.md:4") {
		t.Errorf("/readyz does not point at the problem: %s", ready)
	}
	waitFor(t, ts.URL+"/api/search?q=beavers", `"id":"b"`, true)

	// A removed file leaves the index.
	os.Remove(filepath.Join(cfg.content, "b.md"))
	waitFor(t, ts.URL+"/api/search?q=beavers", `"total":0`, true)
	waitFor(t, ts.URL+"/api/search?q=aardvarks", `"id":"a"`, true)
}

// startWatch serves the n topic entries writeCorpus writes (about "word") under --watch, and
// returns the content folder, the index path and the server's URL.
func startWatch(t *testing.T, n int, word string) (cfg config, url string) {
	t.Helper()
	dir := t.TempDir()
	cfg = config{content: filepath.Join(dir, "content"), index: filepath.Join(dir, "index", "atlas.bleve")}
	writeCorpus(t, cfg.content, n, word)
	stamp := contentStamp(cfg.content)
	corpus, probs, err := loadCorpus(cfg.content)
	if err != nil || len(probs) > 0 {
		t.Fatal(err, probs)
	}
	ix, _, err := search.OpenOrBuild(context.Background(), cfg.index, corpus)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Config{Templates: os.DirFS("../../templates"), Static: os.DirFS("../../static")}, corpus)
	if err != nil {
		t.Fatal(err)
	}
	srv.Update(corpus, ix, nil)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go watch(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)), cfg, srv, corpus, ix, stamp)
	return cfg, ts.URL
}

// Under --watch, a file renamed, a new subfolder with a file, a file added inside it later and
// a file deleted from it are each searched as they now are, as soon as the reload lands.
func TestWatchRenamesAndSubfolders(t *testing.T) {
	cfg, url := startWatch(t, 3, "lynx")
	topic := func(word string) []byte {
		return []byte("---\ntitle: Entry about " + word + "\nkind: topic\n---\nAbout " + word + ".\n")
	}
	// A rename changes the entry's id, which comes from the file's name.
	if err := os.Rename(filepath.Join(cfg.content, "e00001.md"), filepath.Join(cfg.content, "renamed.md")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, url+"/api/search?q=lynx", `"id":"renamed"`, true)
	waitFor(t, url+"/api/search?q=lynx", `"total":3`, true)

	// A folder made with a file already in it: the file is found though it was written before
	// the folder could be watched.
	sub := filepath.Join(cfg.content, "deep", "er")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(sub, "mole.md"), topic("moles"), 0o644)
	waitFor(t, url+"/api/search?q=moles", `"total":1`, true)
	// A file added to the new folder later is seen: the folder itself is watched.
	os.WriteFile(filepath.Join(sub, "vole.md"), topic("pangolins"), 0o644)
	waitFor(t, url+"/api/search?q=pangolins", `"total":1`, true)
	// An edit inside it, then a delete.
	os.WriteFile(filepath.Join(sub, "vole.md"), topic("narwhals"), 0o644)
	waitFor(t, url+"/api/search?q=narwhals", `"total":1`, true)
	waitFor(t, url+"/api/search?q=pangolins", `"total":0`, true)
	os.Remove(filepath.Join(sub, "mole.md"))
	waitFor(t, url+"/api/search?q=moles", `"total":0`, true)
	// A malformed file in the subfolder is reported with its line; the rest keeps serving.
	os.WriteFile(filepath.Join(sub, "bad.md"), []byte("---\ntitle: Bad\nkind: topic\ncolour: red\n---\nBad.\n"), 0o644)
	ready := waitFor(t, url+"/readyz", `unknown field \"colour\"`, true)
	if !strings.Contains(ready, "bad.md:4") {
		t.Errorf("/readyz does not point at the problem: %s", ready)
	}
	waitFor(t, url+"/api/search?q=narwhals", `"total":1`, true)
	waitFor(t, url+"/api/search?q=lynx", `"total":3`, true)
}

// Emptying content/ under --watch keeps the corpus served and turns /readyz degraded; putting
// the files back makes it ready again.
func TestWatchRefusesEmptiedContent(t *testing.T) {
	cfg, url := startWatch(t, 10, "quokka")
	waitFor(t, url+"/readyz", `"status":"ready"`, true)
	saved := t.TempDir()
	os.Rename(cfg.content, filepath.Join(saved, "content"))
	os.Mkdir(cfg.content, 0o755)

	ready := waitFor(t, url+"/readyz", `"status":"degraded"`, true)
	if !strings.Contains(ready, "reload refused") || !strings.Contains(ready, "0 of the 10 entries") {
		t.Errorf("/readyz does not say why: %s", ready)
	}
	waitFor(t, url+"/api/search?q=quokka", `"total":10`, true)

	os.Remove(cfg.content)
	os.Rename(filepath.Join(saved, "content"), cfg.content)
	os.WriteFile(filepath.Join(cfg.content, "e00000.md"), []byte("---\ntitle: Entry about wombats\nkind: topic\n---\nWombats.\n"), 0o644)
	waitFor(t, url+"/readyz", `"status":"ready"`, true)
	waitFor(t, url+"/api/search?q=wombats", `"total":1`, true)
}

// A re-index that fails is reported on /readyz and tried again without any further change to
// the content.
func TestWatchRetriesFailedReindex(t *testing.T) {
	cfg, url := startWatch(t, 3, "okapi")
	// A file where the index's folder was makes the next build fail; the open index lives on.
	folder := filepath.Dir(cfg.index)
	if err := os.Rename(folder, folder+"-moved"); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(folder, []byte("in the way"), 0o644)
	os.WriteFile(filepath.Join(cfg.content, "new.md"), []byte("---\ntitle: Entry about tapirs\nkind: topic\n---\nTapirs.\n"), 0o644)

	ready := waitFor(t, url+"/readyz", `"status":"degraded"`, true)
	if !strings.Contains(ready, "reload failed") || !strings.Contains(ready, "re-indexing") {
		t.Errorf("/readyz does not say why: %s", ready)
	}
	waitFor(t, url+"/api/search?q=okapi", `"total":3`, true)

	os.Remove(folder)
	waitFor(t, url+"/api/search?q=tapirs", `"total":1`, true)
	waitFor(t, url+"/readyz", `"status":"ready"`, true)
}

// A dangling symbolic link or a loop of links under --watch is reported like any broken file,
// and later changes are still picked up.
func TestWatchSurvivesBrokenLinks(t *testing.T) {
	cfg, url := startWatch(t, 3, "ibex")
	os.Symlink("nowhere.md", filepath.Join(cfg.content, "dangling.md"))
	os.Symlink("loop.md", filepath.Join(cfg.content, "loop.md"))
	waitFor(t, url+"/readyz", "dangling.md: cannot be read", true)
	ready := waitFor(t, url+"/readyz", "loop.md: cannot be read", true)
	if !strings.Contains(ready, "dangling.md: cannot be read") || !strings.Contains(ready, `"status":"degraded"`) {
		t.Errorf("/readyz: %s", ready)
	}
	os.WriteFile(filepath.Join(cfg.content, "new.md"), []byte("---\ntitle: Entry about yaks\nkind: topic\n---\nYaks.\n"), 0o644)
	waitFor(t, url+"/api/search?q=yaks", `"total":1`, true)
	waitFor(t, url+"/api/search?q=ibex", `"total":3`, true)
}

// serve starts with a broken link in content/ and serves the rest.
func TestServeStartsWithBrokenLink(t *testing.T) {
	dir := t.TempDir()
	content := filepath.Join(dir, "content")
	writeCorpus(t, content, 3, "gnu")
	os.Symlink("nowhere.md", filepath.Join(content, "dangling.md"))
	s := startServe(t, nil, "--content", content, "--index", filepath.Join(dir, "atlas.bleve"))
	defer s.stop()
	s.waitReady(t)
	waitFor(t, s.url+"/api/search?q=gnu", `"total":3`, true)
	waitFor(t, s.url+"/readyz", "dangling.md: cannot be read", true)
}
