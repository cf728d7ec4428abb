package content

import (
	"strings"
	"testing"
)

// TestStrict holds the upkeep warnings that atlas check --strict makes errors, each at its line.
func TestStrict(t *testing.T) {
	country := func(checked string) string {
		return "---\ntitle: Xa\nkind: country\ncountries: [nl]\nterms: [x]\nsummary: S.\napproach:\n  entity-list:\n    value: unknown\n    checked: " +
			checked + "\n---\nBody.\n"
	}
	for _, test := range []struct {
		name, file string
		want       []string // the problems with a rule, as --strict prints them
	}{
		{"a clean entry", goodGuidance, nil},
		{"every TODO line", "---\ntitle: A\nkind: topic\n---\n## Part\nTODO: write it\n\nTODO: and this\n",
			[]string{"x.md:6: the body still has a TODO placeholder: replace it with the entry's text",
				"x.md:8: the body still has a TODO placeholder: replace it with the entry's text"}},
		{"not verified for a year", strings.Replace(goodGuidance, "last_verified: 2026-11-01", "last_verified: 2025-11-01", 1),
			[]string{"x.md:14: last verified on 2025-11-01, more than a year ago: check the facts again"}},
		{"guidance with no source status", strings.Replace(goodGuidance, "source_url: https://example.org/good\n", "", 1),
			[]string{"x.md:1: no source_url and no source_status: give the document's address, or say it is unconfirmed or has no public copy (with source_checked)"}},
		{"unknown cell looked for recently", country("2026-10-01"), nil},
		{"unknown cell looked for long ago", country("2026-03-01"),
			[]string{"x.md:10: approach entity-list has been unknown since it was looked for on 2026-03-01, more than 180 days ago: look again, then answer it or set checked to the day you did"}},
	} {
		t.Run(test.name, func(t *testing.T) {
			_, probs := load(t, map[string]string{"x.md": test.file})
			var got []string
			for _, p := range Strict(probs) {
				if p.Rule != "" {
					if p.Severity != Error {
						t.Errorf("%s is not an error under Strict", p)
					}
					got = append(got, p.String())
				} else if p.Severity == Error {
					t.Errorf("unexpected error %s", p)
				}
			}
			if strings.Join(got, "\n") != strings.Join(test.want, "\n") {
				t.Errorf("strict problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(test.want, "\n"))
			}
		})
	}
}
