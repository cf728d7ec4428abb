package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// offlineTransport fails every name lookup, as a machine with no network does, without
// sending anything anywhere.
func offlineTransport() http.RoundTripper {
	r := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("network is unreachable")}
	}}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Resolver: r, Timeout: time.Second}).DialContext
	t.Proxy = nil
	return t
}

func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return "http://" + l.Addr().String()
}

func TestLinksOffline(t *testing.T) {
	for _, test := range []struct {
		name      string
		site      string
		transport http.RoundTripper
	}{
		{"no name resolves", "https://www.government.invalid", offlineTransport()},
		{"every connection refused", closedAddr(t), nil},
	} {
		t.Run(test.name, func(t *testing.T) {
			linkTransport = test.transport
			defer func() { linkTransport = nil }()
			dir := writeLinkCorpus(t, test.site)
			start := time.Now()
			code, out, errOut := runAtlas(t, "links", "--content", dir, "--timeout", "2s", "--record")
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v offline, want under 10s", d)
			}
			if code != 3 || out != "no network: nothing checked\n" {
				t.Errorf("exit %d, stdout %q; want 3 and only the no-network line\n%s", code, out, errOut)
			}
			if strings.Contains(out+errOut, "dead") {
				t.Errorf("a link was called dead offline:\n%s%s", out, errOut)
			}
			if _, err := os.Stat(filepath.Join(dir, "links.json")); err == nil {
				t.Error("an offline run recorded results")
			}
		})
	}
}

// linkServer answers like TestLinks' server: a good page, a 404, a permanent move.
func linkServer(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/guidelines", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<html><head><title>Knowledge security guidelines</title></head></html>")
	})
	mux.HandleFunc("/annex", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html></html>") })
	mux.HandleFunc("/desk", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/contact", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/contact", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<html><head><title>Contact</title></head></html>")
	})
	mux.HandleFunc("/removed", http.NotFound)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestLinksRecordAndPatch(t *testing.T) {
	srv := linkServer(t)
	dir := writeLinkCorpus(t, srv.URL)
	os.WriteFile(filepath.Join(dir, "guidance", "nl-unlisted.md"), []byte("---\ntitle: Unlisted\nkind: guidance\ncountries: [nl]\n"+
		"issuer: G\ntype: guideline\ntopics: [institutional-role]\nstages: []\nphases: [partnership]\naudiences: [institution]\n"+
		"source_status: unconfirmed\nsource_checked: 2026-11-01\nlanguage: en\nlast_verified: "+today()+"\nsummary: S.\n---\nBody.\n"), 0o644)

	code, out, errOut := runAtlas(t, "links", "--content", dir, "--record")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (a dead link)\n%s%s", code, out, errOut)
	}
	if want := "no source address (1):\n" + dir + "/guidance/nl-unlisted.md: unconfirmed, looked for on 2026-11-01\n"; !strings.Contains(out, want) {
		t.Errorf("stdout lacks %q:\n%s", want, out)
	}
	var rec struct {
		Checked string
		Links   []struct{ URL, Status, Result, Suggest string }
	}
	data, err := os.ReadFile(filepath.Join(dir, "links.json"))
	if err != nil || json.Unmarshal(data, &rec) != nil {
		t.Fatalf("links.json: %v\n%s", err, data)
	}
	got := map[string]string{}
	for _, l := range rec.Links {
		got[strings.TrimPrefix(l.URL, srv.URL)] = l.Status
	}
	if rec.Checked != today() || got["/removed"] != "dead" || got["/desk"] != "moved" || got["/guidelines"] != "ok" || got["/annex"] != "ok" {
		t.Errorf("recorded %s: %v", rec.Checked, got)
	}

	code, out, errOut = runAtlas(t, "links", "--content", dir, "--patch")
	want := "--- a/" + dir + "/countries/nl.md\n+++ b/" + dir + "/countries/nl.md\n@@ -4,6 +4,6 @@\n" +
		" countries: [nl]\n terms: [knowledge security]\n summary: S.\n-contact_point: " + srv.URL + "/desk\n+contact_point: " + srv.URL + "/contact\n ---\n Body.\n"
	if code != 0 || out != want {
		t.Errorf("--patch: exit %d\n%s\nwant:\n%s\n%s", code, out, want, errOut)
	}

	code, out, _ = runAtlas(t, "upkeep", "--content", dir)
	for _, want := range []string{
		"dead-link: " + dir + "/guidance/nl-removed.md: source_url is dead (HTTP 404 Not Found)\n    fix: find where the document now lives",
		"moved-link: " + dir + "/countries/nl.md: contact_point moved to " + srv.URL + "/contact\n    fix: atlas links --patch | git apply",
		"no-source: " + dir + "/guidance/nl-unlisted.md: source address unconfirmed, looked for on 2026-11-01\n",
	} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("upkeep: exit %d, stdout lacks %q:\n%s", code, want, out)
		}
	}
	code, out, _ = runAtlas(t, "upkeep", "--content", dir, "--json")
	var doc struct {
		Items []struct{ Kind, ID, Path, Detail, Fix string }
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != 0 || len(doc.Items) != 3 || doc.Items[0].Kind != "dead-link" {
		t.Errorf("upkeep --json: exit %d, %v\n%s", code, err, out)
	}
}

// writeEntry writes one file into dir.
func writeEntry(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const verifyEntry = "---\ntitle: Guidelines\nkind: guidance\ncountries: [nl]\nissuer: G\ntype: guideline  # as the source says\n" +
	"topics: [institutional-role]\nstages: []\nphases: [partnership]\naudiences: [institution]\nsource_url: https://example.org/g\n" +
	"language: en\nlast_verified: 2026-01-05\nsummary: S.\nupdated: 2026-01-05\n---\n\n## What it is\nText.\r\n"

func TestVerifyAndStamp(t *testing.T) {
	dir := t.TempDir()
	p := writeEntry(t, dir, "guidance/nl-g.md", verifyEntry)
	writeEntry(t, dir, "topics/t.md", "---\ntitle: T\nkind: topic\n---\nBody.\n")
	day := today()

	// Without hashes, verify touches the two dates and nothing else.
	code, out, errOut := runAtlas(t, "verify", "--content", dir, "nl-g")
	if code != 0 || out != dir+"/guidance/nl-g.md: last_verified, source_checked set to "+day+"\n" {
		t.Fatalf("verify: exit %d %q %s", code, out, errOut)
	}
	data, _ := os.ReadFile(p)
	want := strings.Replace(verifyEntry, "last_verified: 2026-01-05", "last_verified: "+day, 1)
	want = strings.Replace(want, "updated: 2026-01-05\n", "updated: 2026-01-05\nsource_checked: "+day+"\n", 1)
	if string(data) != want {
		t.Errorf("after verify:\n%s\nwant:\n%s", data, want)
	}
	for _, args := range [][]string{{"verify", "--content", dir, "nope"}, {"verify", "--content", dir, "t"}} {
		if code, _, _ := runAtlas(t, args...); code != 1 {
			t.Errorf("%v: exit %d, want 1", args, code)
		}
	}
	if code, _, _ := runAtlas(t, "verify", "--content", dir); code != 2 {
		t.Errorf("verify with no id: exit %d, want 2", code)
	}

	// The first stamp records hashes and moves no date.
	if code, _, errOut := runAtlas(t, "check", "--content", dir, "--stamp"); code != 0 || !strings.Contains(errOut, "stamped 2 entries") {
		t.Fatalf("check --stamp: exit %d\n%s", code, errOut)
	}
	if b, _ := os.ReadFile(p); string(b) != want {
		t.Errorf("the first stamp changed the file:\n%s", b)
	}
	// An edit without updated moving is noticed, and a stamp dates it.
	edited := strings.Replace(want, "Text.", "Text, corrected.", 1)
	os.WriteFile(p, []byte(edited), 0o644)
	code, out, _ = runAtlas(t, "check", "--content", dir, "--strict")
	if wantWarn := dir + "/guidance/nl-g.md:15: warning: the content changed since it was stamped, but updated is still 2026-01-05"; code != 0 || !strings.Contains(out, wantWarn) {
		t.Errorf("check after an edit: exit %d, want 0 and %q\n%s", code, wantWarn, out)
	}
	// verify dates the change too, since it is what an organiser runs after an edit.
	if code, out, _ := runAtlas(t, "verify", "nl-g", "--content", dir); code != 0 || !strings.Contains(out, "last_verified, source_checked, updated set to "+day) {
		t.Errorf("verify after an edit: exit %d %q", code, out)
	}
	if b, _ := os.ReadFile(p); string(b) != strings.Replace(edited, "updated: 2026-01-05", "updated: "+day, 1) {
		t.Errorf("after verify of an edited entry:\n%s", b)
	}
	if code, out, _ := runAtlas(t, "check", "--content", dir); code != 0 || strings.Contains(out, "warning") {
		t.Errorf("check after verify: exit %d\n%s", code, out)
	}
	cur, _ := os.ReadFile(p)
	os.WriteFile(p, []byte(strings.Replace(string(cur), "Text, corrected.", "Text, corrected twice.", 1)), 0o644)
	if code, _, errOut := runAtlas(t, "check", "--content", dir, "--stamp"); code != 0 || !strings.Contains(errOut, "updated set in 1") {
		t.Errorf("check --stamp after an edit: exit %d\n%s", code, errOut)
	}
	if b, _ := os.ReadFile(p); !strings.Contains(string(b), "updated: "+day+"\n") {
		t.Errorf("--stamp did not date the edit:\n%s", b)
	}
}

func TestCheckStrict(t *testing.T) {
	dir := t.TempDir()
	writeEntry(t, dir, "topics/t.md", "---\ntitle: T\nkind: topic\n---\n## Part\nTODO: write it\n")
	if code, out, _ := runAtlas(t, "check", "--content", dir); code != 0 || !strings.Contains(out, "t.md:6: warning: the body still has a TODO") {
		t.Errorf("check: exit %d, want 0 with a warning\n%s", code, out)
	}
	code, out, _ := runAtlas(t, "check", "--content", dir, "--strict")
	if want := dir + "/topics/t.md:6: the body still has a TODO placeholder: replace it with the entry's text\n"; code != 1 || out != want {
		t.Errorf("check --strict: exit %d\n%s\nwant 1 and\n%s", code, out, want)
	}
}
