package links

import (
	"reflect"
	"testing"
	"testing/fstest"
	"time"

	"github.com/research-security-atlas/atlas/internal/content"
)

const guidanceFront = `kind: guidance
countries: [nl]
issuer: Government of the Netherlands
type: guideline
topics: [institutional-role]
stages: [basic]
phases: [partnership]
audiences: [institution]
language: en
last_verified: 2026-01-05
summary: A summary.
`

func TestCollect(t *testing.T) {
	fsys := fstest.MapFS{
		"guidance/nl-guidelines.md": {Data: []byte("---\ntitle: Guidelines\n" + guidanceFront +
			"source_url: https://example.org/guidelines\n---\n" +
			"See [the annex](https://example.org/annex#part-2), [again](https://example.org/guidelines#top),\n" +
			"[a search](/search?q=x) and [mail](mailto:a@example.org).\n")},
		"guidance/nl-portal.md": {Data: []byte("---\ntitle: Portal\n" + guidanceFront +
			"source_url: https://portal.example.org/\n---\nUses [the annex](https://example.org/annex).\n")},
		"countries/nl.md": {Data: []byte("---\ntitle: Netherlands\nkind: country\ncountries: [nl]\n" +
			"terms: [knowledge security]\nsummary: S.\ncontact_point: https://portal.example.org/\n---\nBody.\n")},
	}
	corpus, probs, err := content.Load(fsys, ".", content.Options{Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil || content.Errors(probs) > 0 {
		t.Fatalf("Load: %v %v", err, probs)
	}
	got := Collect(corpus)
	want := []Link{
		{URL: "https://example.org/annex", Uses: []Use{
			{ID: "nl-guidelines", Path: "guidance/nl-guidelines.md", Field: FieldBody, Title: "Guidelines"},
			{ID: "nl-portal", Path: "guidance/nl-portal.md", Field: FieldBody, Title: "Portal"},
		}},
		{URL: "https://example.org/guidelines", Uses: []Use{
			{ID: "nl-guidelines", Path: "guidance/nl-guidelines.md", Field: FieldURL, Title: "Guidelines"},
			{ID: "nl-guidelines", Path: "guidance/nl-guidelines.md", Field: FieldBody, Title: "Guidelines"},
		}},
		{URL: "https://portal.example.org/", Uses: []Use{
			{ID: "nl", Path: "countries/nl.md", Field: FieldContactPoint, Title: "Netherlands"},
			{ID: "nl-portal", Path: "guidance/nl-portal.md", Field: FieldURL, Title: "Portal"},
		}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Collect =\n%+v\nwant\n%+v", got, want)
	}
}
