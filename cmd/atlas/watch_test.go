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
