package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeLinkCorpus writes a small corpus whose entries cite pages of srv.
func writeLinkCorpus(t *testing.T, srv string) string {
	t.Helper()
	dir := t.TempDir()
	today := time.Now().Format("2006-01-02")
	guidance := func(title, url, body string) []byte {
		return []byte("---\ntitle: " + title + "\nkind: guidance\ncountries: [nl]\nissuer: Government\n" +
			"type: guideline\ntopics: [institutional-role]\nstages: [basic]\nphases: [partnership]\n" +
			"audiences: [institution]\nsource_url: " + url + "\nlanguage: en\nlast_verified: " + today +
			"\nsummary: A summary.\n---\n" + body + "\n")
	}
	files := map[string][]byte{
		"guidance/nl-guidelines.md": guidance("Knowledge Security Guidelines", srv+"/guidelines",
			"See also [the annex]("+srv+"/annex)."),
		"guidance/nl-removed.md": guidance("Removed Checklist", srv+"/removed", "Body."),
		"countries/nl.md": []byte("---\ntitle: Netherlands\nkind: country\ncountries: [nl]\n" +
			"terms: [knowledge security]\nsummary: S.\ncontact_point: " + srv + "/desk\n---\nBody.\n"),
	}
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLinks(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/guidelines", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<html><head><title>Knowledge security guidelines</title></head></html>")
	})
	mux.HandleFunc("/annex", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/annex-2026", http.StatusFound)
	})
	mux.HandleFunc("/annex-2026", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html></html>") })
	mux.HandleFunc("/desk", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/contact", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/contact", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<html><head><title>Contact</title></head></html>")
	})
	mux.HandleFunc("/removed", http.NotFound)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	dir := writeLinkCorpus(t, srv.URL)

	code, out, errOut := runAtlas(t, "links", "--content", dir, "--timeout", "10s")
	if code != 1 {
		t.Errorf("exit %d, want 1 (a dead link)\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		"dead (1):\n" + dir + "/guidance/nl-removed.md: " + srv.URL + "/removed — dead (HTTP 404 Not Found)\n",
		"moved (1):\n" + dir + "/countries/nl.md: " + srv.URL + "/desk — moved (permanent redirect (301) to " + srv.URL + "/contact)\n",
		"redirected (1):\n" + dir + "/guidance/nl-guidelines.md: " + srv.URL + "/annex — redirected (temporary redirect (302) to " + srv.URL + "/annex-2026)\n",
		"4 links checked: 1 dead, 1 moved, 0 changed, 1 redirected, 1 ok\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "changed (") || strings.Contains(out, srv.URL+"/guidelines —") {
		t.Errorf("stdout lists a link that is fine:\n%s", out)
	}
	if !strings.Contains(errOut, "checking 4 links\n") || !strings.Contains(errOut, "4/4 ") {
		t.Errorf("stderr has no progress lines:\n%s", errOut)
	}

	code, out, _ = runAtlas(t, "links", "--content", dir, "--json", "--concurrency", "2")
	if code != 1 {
		t.Errorf("--json: exit %d, want 1", code)
	}
	var doc struct {
		Checked int            `json:"checked"`
		Counts  map[string]int `json:"counts"`
		Links   []struct {
			URL     string `json:"url"`
			Status  string `json:"status"`
			Suggest string `json:"suggest"`
			Uses    []struct {
				ID, Path, Field string
			} `json:"uses"`
		} `json:"links"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("--json output is not JSON: %v\n%s", err, out)
	}
	if doc.Checked != 4 || doc.Counts["dead"] != 1 || doc.Counts["ok"] != 1 || doc.Counts["changed"] != 0 {
		t.Errorf("--json counts: checked %d, %v", doc.Checked, doc.Counts)
	}
	if l := doc.Links[1]; l.Status != "moved" || l.Suggest != srv.URL+"/contact" ||
		len(l.Uses) != 1 || l.Uses[0].ID != "nl" || l.Uses[0].Field != "contact_point" {
		t.Errorf("--json second link: %+v, want the moved contact point", l)
	}

	os.Remove(filepath.Join(dir, "guidance", "nl-removed.md"))
	if code, out, errOut := runAtlas(t, "links", "--content", dir); code != 0 {
		t.Errorf("no dead links: exit %d, want 0\n%s%s", code, out, errOut)
	}
	if code, _, _ := runAtlas(t, "links", "--concurrency", "0"); code != 2 {
		t.Errorf("--concurrency 0: exit %d, want 2", code)
	}
}
