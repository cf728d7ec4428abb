package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestExport(t *testing.T) {
	corpus := "../../internal/search/testdata/corpus"
	code, out, errOut := runAtlas(t, "export", "--content", corpus, "--format", "json", "--country", "nl,ca", "--base-url", "https://atlas.example")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Total  int
		Groups []struct {
			Code    string
			Entries []struct {
				ID       string
				AtlasURL string `json:"atlas_url"`
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Total != 2 || got.Groups[0].Code != "ca" || got.Groups[1].Entries[0].AtlasURL != "https://atlas.example/docs/nl-guidelines" {
		t.Errorf("export = %+v", got)
	}
	code, out, _ = runAtlas(t, "export", "--content", corpus, "--format", "bibtex")
	if code != 0 || strings.Count(out, "\n@") != 4 || !strings.HasPrefix(out, "@misc{ca-partnerships,") {
		t.Errorf("bibtex export: exit %d\n%s", code, out)
	}
	code, out, errOut = runAtlas(t, "export", "--content", corpus, "--format", "csl", "--id", "nl-guidelines,f-nl-key-elements")
	var items []struct{ ID, Type string }
	if err := json.Unmarshal([]byte(out), &items); code != 0 || err != nil || len(items) != 2 ||
		items[0].ID != "nl-guidelines" || items[0].Type != "report" || items[1].Type != "speech" {
		t.Errorf("csl export of two hand-picked ids: exit %d, %v %+v %s", code, err, items, errOut)
	}
	code, out, _ = runAtlas(t, "export", "--content", corpus, "--format", "csv", "--kind", "finding")
	if code != 0 || strings.Count(out, "\n") != 3 || !strings.HasPrefix(out, "\ufeffid,") {
		t.Errorf("csv export of findings: exit %d\n%s", code, out)
	}
	for _, bad := range [][]string{{"--format", "pdf"}, {"--stage", "early"}, {"--country", "zz"}, {"--id", "nope"}, {"--kind", "term"}} {
		if code, _, _ := runAtlas(t, append([]string{"export", "--content", corpus}, bad...)...); code != 2 {
			t.Errorf("atlas export %v: exit %d, want 2", bad, code)
		}
	}
}
