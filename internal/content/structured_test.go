package content

import (
	"strings"
	"testing"
)

// A profile, a framework with its concept and a technology list with its area, all valid; each
// case below breaks one of them.
const (
	profileOK = `---
title: Netherlands
kind: country
countries: [nl]
terms: [knowledge security]
summary: One sentence.
member_of: [eu, oecd]
approach:
  term:
    text: knowledge security
    sources: [good]
    as_of: 2026-11
  legal-basis:
    value: guidance
    text: Guidelines, no law.
    sources: [good]
    as_of: 2026-11
  entity-list:
    value: unknown
    checked: 2026-11-20
---
Body.
`
	frameworkOK = `---
title: Questions
kind: framework
countries: [nl]
issuer: Ministry
source: good
summary: Questions asked.
last_verified: 2026-11-20
questions:
  - id: military
    text: Is the partner linked to military end users?
    original: "Heeft de partner banden met het leger?"
    lang: nl
    concept: partner-military-links
---
Body.
`
	conceptOK = "---\ntitle: Partner linked to military end users\nkind: concept\nsummary: Links to armed forces.\n---\nBody.\n"
	listOK    = `---
title: Sensitive areas
kind: techlist
countries: [nl]
issuer: Ministry
legal_effect: guidance
source: good
last_verified: 2026-11-20
categories:
  - id: quantum
    label: Quantum technology
    sub: [Quantum sensing]
    areas:
      - {area: quantum, relation: exact, note: Same scope.}
---
Body.
`
	areaOK = "---\ntitle: Quantum technologies\nkind: techarea\nsummary: Quantum computing, sensing and communication.\n---\nBody.\n"
)

func TestLoadStructured(t *testing.T) {
	base := map[string]string{"guidance/good.md": goodGuidance, "concepts/partner-military-links.md": conceptOK,
		"technologies/areas/quantum.md": areaOK}
	for _, test := range []struct {
		name, path, file string
		old, new         string // a replacement that breaks the file; "" keeps it valid
		want             string // the problem expected, as printed; "" for none
	}{
		{"valid profile", "countries/nl.md", profileOK, "", "", ""},
		{"valid framework", "frameworks/qf-nl.md", frameworkOK, "", "", ""},
		{"valid list", "technologies/nl-list.md", listOK, "", "", ""},
		{"unknown dimension", "countries/nl.md", profileOK, "  legal-basis:", "  legal-basics:",
			`countries/nl.md:13: unknown approach dimension "legal-basics": use one of term, lead-bodies`},
		{"value outside the list", "countries/nl.md", profileOK, "value: guidance", "value: advice",
			`countries/nl.md:14: approach legal-basis: value "advice" is not one of law, binding-policy, guidance, none, unknown`},
		{"known value without a source", "countries/nl.md", profileOK, "    sources: [good]\n    as_of: 2026-11\n  entity", "    as_of: 2026-11\n  entity",
			"countries/nl.md:13: approach legal-basis has a value but no sources: cite the entry it rests on, or make it unknown"},
		{"source that does not exist", "countries/nl.md", profileOK, "    text: Guidelines, no law.\n    sources: [good]", "    text: Guidelines, no law.\n    sources: [gone]",
			`countries/nl.md:16: approach legal-basis source "gone" does not exist`},
		{"unknown without a date", "countries/nl.md", profileOK, "    checked: 2026-11-20\n", "",
			"countries/nl.md:18: approach entity-list is unknown: add checked: YYYY-MM-DD, the day it was looked for"},
		{"free text given as a value", "countries/nl.md", profileOK, "    text: knowledge security", "    value: knowledge security",
			"countries/nl.md:10: approach term is free text: write it as text, not value"},
		{"unknown cell key", "countries/nl.md", profileOK, "    as_of: 2026-11\n  entity", "    as_of: 2026-11\n    colour: red\n  entity",
			`countries/nl.md:18: approach legal-basis: unknown key "colour" (use value, text, sources, as_of, checked)`},
		{"missing dimensions warn", "countries/nl.md", profileOK, "", "",
			"countries/nl.md:8: warning: approach has no cell for lead-bodies, national-guidelines"},
		{"question without a concept", "frameworks/qf-nl.md", frameworkOK, "    concept: partner-military-links\n", "",
			`frameworks/qf-nl.md:10: question "military" needs a concept: the id of a concept entry`},
		{"concept of the wrong kind", "frameworks/qf-nl.md", frameworkOK, "concept: partner-military-links", "concept: good",
			`frameworks/qf-nl.md:14: question "military": concept "good" is a guidance, not a concept`},
		{"original without its language", "frameworks/qf-nl.md", frameworkOK, "    lang: nl\n", "",
			`frameworks/qf-nl.md:12: question "military" has original wording: give its lang`},
		{"source that is not guidance", "frameworks/qf-nl.md", frameworkOK, "source: good", "source: partner-military-links",
			`frameworks/qf-nl.md:6: source "partner-military-links" is a concept, not a guidance`},
		{"relation outside the list", "technologies/nl-list.md", listOK, "relation: exact", "relation: same",
			`technologies/nl-list.md:14: category "quantum": relation "same" is not one of exact, close, broad, narrow, related`},
		{"mapping without a note", "technologies/nl-list.md", listOK, ", note: Same scope.", "",
			`technologies/nl-list.md:14: category "quantum": the mapping to "quantum" needs a note: one line saying why`},
		{"area that does not exist", "technologies/nl-list.md", listOK, "area: quantum", "area: qubits",
			`technologies/nl-list.md:14: category "quantum": area "qubits" does not exist`},
		{"export control maps only as related", "technologies/nl-list.md", listOK, "legal_effect: guidance", "legal_effect: binding\nexport_control: true",
			`technologies/nl-list.md:15: category "quantum": an export-control list maps only as related (check the control list itself)`},
	} {
		t.Run(test.name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range base {
				files[k] = v
			}
			file := test.file
			if test.old != "" || test.new != "" {
				if !strings.Contains(file, test.old) {
					t.Fatalf("fixture lacks %q", test.old)
				}
				file = strings.Replace(file, test.old, test.new, 1)
			}
			files[test.path] = file
			_, probs := load(t, files)
			var got []string
			for _, p := range probs {
				// The fixtures answer three dimensions: the warning for the rest is checked once.
				if test.want == "" && p.Severity == Warning {
					continue
				}
				got = append(got, p.String())
			}
			if test.want == "" {
				if len(got) > 0 {
					t.Errorf("problems: %v", got)
				}
				return
			}
			found := false
			for _, g := range got {
				if strings.HasPrefix(g, test.want) {
					found = true
				}
			}
			if !found {
				t.Errorf("problems:\n%s\nwant one starting with:\n%s", strings.Join(got, "\n"), test.want)
			}
		})
	}
}

func TestStageFacet(t *testing.T) {
	for _, test := range []struct {
		stages []string
		diff   bool
		want   string
	}{
		{nil, false, "all"},
		{[]string{"basic"}, true, "basic differentiated"},
		{[]string{"applied", "experimental-development"}, false, "applied experimental-development"},
	} {
		e := &Entry{Kind: Guidance, Stages: test.stages, DifferentiatesStages: test.diff}
		if got := strings.Join(e.StageFacet(), " "); got != test.want {
			t.Errorf("StageFacet(%v, %v) = %q, want %q", test.stages, test.diff, got, test.want)
		}
	}
	if got := (&Entry{Kind: Term}).StageFacet(); got != nil {
		t.Errorf("a term has stage values %v", got)
	}
}
