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
	for _, bad := range [][]string{{"--format", "pdf"}, {"--stage", "early"}, {"--country", "zz"}} {
		if code, _, _ := runAtlas(t, append([]string{"export", "--content", corpus}, bad...)...); code != 2 {
			t.Errorf("atlas export %v: exit %d, want 2", bad, code)
		}
	}
}
