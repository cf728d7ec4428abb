package content

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

var testNow = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

const goodGuidance = `---
title: Good guidance
kind: guidance
countries: [nl]
issuer: Ministry
type: guideline
topics: [institutional-role]
stages: [basic]
phases: [partnership]
audiences: [institution]
published: 2023-03
source_url: https://example.org/good
language: en
last_verified: 2026-11-01
summary: A good entry.
---

## What it is
Text with **bold** and a [link to an example](https://example.org).
`

func load(t *testing.T, files map[string]string) (*Corpus, []Problem) {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, body := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(body)}
	}
	c, probs, err := Load(fsys, ".", Options{Now: testNow})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c, probs
}

func TestLoadBrokenFiles(t *testing.T) {
	for _, test := range []struct {
		name string
		file string
		want []string // problems, as printed
	}{
		{"no front matter", "# Title\n", []string{"x.md:1: file must start with a \"---\" line opening the front matter"}},
		{"unclosed front matter", "---\ntitle: A\nkind: topic\n", []string{"x.md:1: front matter is not closed: add a \"---\" line after the last field"}},
		{"yaml syntax", "---\ntitle: A\nkind: topic\nsummary: a: b\n---\nbody\n", []string{"x.md:4: front matter: mapping values are not allowed in this context"}},
		// yaml.v3's parser counts lines from 0 and its scanner from 1: both point at the file's line.
		{"quote inside a quoted value", "---\ntitle: A\nkind: topic\nsummary: 'it's'\n---\nbody\n", []string{"x.md:4: front matter: did not find expected key"}},
		{"unclosed list", "---\ntitle: A\nkind: topic\ntopics: [a, b\nsummary: c\n---\nbody\n", []string{"x.md:4: front matter: did not find expected ',' or ']'"}},
		{"missing colon", "---\ntitle: A\nkind topic\nsummary: c\n---\nbody\n", []string{"x.md:3: front matter: could not find expected ':'"}},
		{"unknown key with suggestion", "---\ntitle: A\nkind: topic\ntitel: B\n---\nbody\n", []string{`x.md:4: unknown field "titel" (did you mean "title"?)`}},
		{"unknown kind", "---\ntitle: A\nkind: blog\n---\nbody\n", []string{`x.md:3: unknown kind "blog": use one of guidance, finding, country, topic, term, milestone, framework, concept, techlist, techarea`}},
		{"missing kind", "---\ntitle: A\n---\nbody\n", []string{`x.md:1: missing required field "kind" (one of guidance, finding, country, topic, term, milestone, framework, concept, techlist, techarea)`}},
		{"field of another kind", "---\ntitle: A\nkind: topic\nissuer: X\n---\nbody\n", []string{`x.md:4: field "issuer" does not belong in a topic`}},
		{"empty body", "---\ntitle: A\nkind: topic\n---\n\n", []string{"x.md:5: the body is empty: write the entry below the front matter"}},
		{"all problems in one run", strings.NewReplacer(
			"countries: [nl]", "countries: [uk, nl, zz]",
			"stages: [basic]", "stages:\n  - basic\n  - early",
			"published: 2023-03", "published: 2031-01",
			"language: en", "language: english",
			"source_url: https://example.org/good", "source_url: example.org",
		).Replace(goodGuidance), []string{
			`x.md:4: unknown country "uk": the United Kingdom's code is "gb"`,
			`x.md:4: unknown country "zz": use an ISO 3166-1 alpha-2 code in lower case, or eu, oecd, g7, int`,
			`x.md:10: unknown stage "early": use one of basic, applied, experimental-development`,
			`x.md:13: date 2031-01 is in the future`,
			`x.md:14: "example.org" is not an absolute http(s) URL`,
			`x.md:15: unknown language "english": use an ISO 639-1 code such as en, nl, de, fr`,
		}},
		{"missing required fields", "---\ntitle: A\nkind: guidance\n---\nbody\n", []string{
			`x.md:1: missing required field "countries" for a guidance`,
			`x.md:1: missing required field "issuer" for a guidance`,
			`x.md:1: missing required field "type" for a guidance`,
			`x.md:1: missing required field "topics" for a guidance`,
			`x.md:1: missing required field "stages" for a guidance`,
			`x.md:1: missing required field "phases" for a guidance`,
			`x.md:1: missing required field "audiences" for a guidance`,
			`x.md:1: missing required field "language" for a guidance`,
			`x.md:1: missing required field "last_verified" for a guidance`,
			`x.md:1: missing required field "summary" for a guidance`,
		}},
		{"list given as a scalar", strings.Replace(goodGuidance, "topics: [institutional-role]", "topics: institutional-role", 1),
			[]string{`x.md:7: field "topics" must be a list, e.g. topics: [a, b]`}},
		{"duplicate key", "---\ntitle: A\nkind: topic\ntitle: B\n---\nbody\n", []string{`x.md:4: field "title" is given twice`}},
		{"finding question outside its topic", "---\ntitle: A\nkind: finding\ncountries: [nl]\ntopics: [conceptualisation]\nquestion: research-stages\nreport_section: Topic 2\nstages: [basic]\nphases: [conduct]\n---\nbody\n",
			[]string{`x.md:5: question "research-stages" belongs to topic "funder-measures", which topics must include`}},
		{"superseded without successor", strings.Replace(goodGuidance, "summary:", "status: superseded\nsummary:", 1),
			[]string{"x.md:15: status superseded needs superseded_by: the id of the successor"}},
		{"placeholder left in the body", "---\ntitle: A\nkind: topic\n---\n## Part\nTODO: write it\n",
			[]string{"x.md:6: warning: the body still has a TODO placeholder: replace it with the entry's text"}},
		{"old verification is a warning", strings.Replace(goodGuidance, "last_verified: 2026-11-01", "last_verified: 2024-01-01", 1),
			[]string{"x.md:14: warning: last verified on 2024-01-01, more than a year ago: check the facts again"}},
	} {
		t.Run(test.name, func(t *testing.T) {
			_, probs := load(t, map[string]string{"x.md": test.file})
			var got []string
			for _, p := range probs {
				got = append(got, p.String())
			}
			if strings.Join(got, "\n") != strings.Join(test.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(test.want, "\n"))
			}
		})
	}
}

func TestLoadCrossChecks(t *testing.T) {
	c, probs := load(t, map[string]string{
		"a/good.md":  strings.Replace(goodGuidance, "summary:", "related: [missing, other]\nsummary:", 1),
		"b/good.md":  "---\ntitle: B\nkind: topic\n---\nbody\n",
		"other.md":   strings.Replace(goodGuidance, "title: Good guidance", "title: Other", 1),
		"Bad Id.md":  "---\ntitle: B\nkind: topic\n---\nbody\n",
		"fine.md":    "---\ntitle: Fine\nkind: topic\n---\nbody\n",
		".hidden.md": "not content",
	})
	want := []string{
		`Bad Id.md:1: file name: "Bad Id" is not an entry id (lower-case letters, digits and hyphens)`,
		`a/good.md:15: related id "missing" does not exist`,
		`b/good.md:1: duplicate id "good": a/good.md has the same file name`,
		`other.md:12: source_url is also the source of good (a/good.md): one entry per source`,
	}
	var got []string
	for _, p := range probs {
		got = append(got, p.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var ids []string
	for _, e := range c.Entries {
		ids = append(ids, e.ID)
	}
	if got, want := strings.Join(ids, ","), "fine,good,other"; got != want {
		t.Errorf("loaded ids = %s, want %s (files with errors are left out, cross-check problems are not)", got, want)
	}
}

func TestFingerprintChangesWithAnyFile(t *testing.T) {
	a, _ := load(t, map[string]string{"x.md": goodGuidance, "y.md": "broken"})
	b, _ := load(t, map[string]string{"x.md": goodGuidance, "y.md": "broken!"})
	c, _ := load(t, map[string]string{"x.md": goodGuidance, "y.md": "broken"})
	if a.Fingerprint == b.Fingerprint {
		t.Error("editing a broken file did not change the fingerprint")
	}
	if a.Fingerprint != c.Fingerprint {
		t.Error("the same files gave different fingerprints")
	}
}

func TestRender(t *testing.T) {
	c, probs := load(t, map[string]string{"x.md": "---\ntitle: T\nkind: topic\n---\nIntro words.\n\n## First part\nOne<script>alert(1)</script> two.\n\n### Detail\n| a | b |\n|---|---|\n| c | d |\n\n## Second part\nA note.[^1] See [the example source](https://example.org) and [entry y](/docs/y).\n\n[^1]: The footnote.\n"})
	if len(probs) != 0 {
		t.Fatalf("problems: %v", probs)
	}
	e := c.Get("x")
	html := string(e.HTML)
	for _, want := range []string{`<h2 id="first-part">First part</h2>`, "<table>", `class="footnote-ref"`,
		`<a href="https://example.org" rel="noopener noreferrer">the example source</a>`, `<a href="/docs/y">entry y</a>`, "<!-- raw HTML omitted -->"} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %q:\n%s", want, html)
		}
	}
	if strings.Contains(html, "<script>") {
		t.Errorf("raw HTML was passed through:\n%s", html)
	}
	var secs []string
	for _, s := range e.Sections {
		secs = append(secs, s.Anchor+"|"+s.Text)
	}
	want := []string{"|Intro words.", "first-part|Onealert(1) two.", "detail|a b c d", "second-part|A note.1 See the example source and entry y. The footnote. ↩︎"}
	if strings.Join(secs, "\n") != strings.Join(want, "\n") {
		t.Errorf("sections:\n%s\nwant:\n%s", strings.Join(secs, "\n"), strings.Join(want, "\n"))
	}
	if !strings.HasPrefix(e.Text, "Intro words. First part Onealert(1) two. Detail a b c d") {
		t.Errorf("Text = %q: words of adjacent blocks must stay apart", e.Text)
	}
}

// Notes are a curator's multi-line caveats: their line breaks are kept, not refused as control
// characters.
func TestNotesKeepLineBreaks(t *testing.T) {
	file := strings.Replace(goodGuidance, "summary: A good entry.\n", "summary: A good entry.\nnotes: |\n  The month is a guess.\n  Looked for on 2026-11-01.\n", 1)
	c, probs := load(t, map[string]string{"g.md": file})
	if Errors(probs) > 0 {
		t.Fatalf("problems: %v", probs)
	}
	if got := c.Get("g").Notes; got != "The month is a guess.\nLooked for on 2026-11-01." {
		t.Errorf("notes = %q", got)
	}
}

// A topic entry carries its vocabulary label as its title, so that it has one name everywhere.
func TestTopicTitleIsItsLabel(t *testing.T) {
	_, probs := load(t, map[string]string{"topics/institutional-role.md": "---\ntitle: Institutions and risk\nkind: topic\n---\nBody.\n"})
	want := `topics/institutional-role.md:2: a topic's title is its name on every page: use "The role of research institutions", and give other wording in the body`
	if len(probs) != 1 || probs[0].String() != want {
		t.Errorf("problems = %v, want %s", probs, want)
	}
	if _, probs := load(t, map[string]string{"topics/institutional-role.md": "---\ntitle: The role of research institutions\nkind: topic\n---\nBody.\n"}); Errors(probs) > 0 {
		t.Errorf("the label as title: %v", probs)
	}
}

// Links whose text names nothing are upkeep warnings at their line; a link to a country
// profile or a topic is rendered with the address of the page that shows it.
func TestBodyLinks(t *testing.T) {
	body := "---\ntitle: Netherlands\nkind: country\ncountries: [nl]\nterms: [knowledge security]\nsummary: A profile.\n---\n" +
		"See [the report](/docs/x) and the [institutional-role topic](/docs/institutional-role).\n" +
		"Also [dual-use](/docs/term-dual-use), [the role of research institutions](/docs/institutional-role#q) and [here](https://example.org).\n" +
		"Back to [the Netherlands](/docs/nl) and [the report on it](/docs/nl-other).\n"
	c, probs := load(t, map[string]string{
		"countries/nl.md":              body,
		"topics/institutional-role.md": "---\ntitle: The role of research institutions\nkind: topic\n---\nBody.\n",
	})
	var got []string
	for _, p := range probs {
		if p.Rule == RuleLinkText {
			got = append(got, fmt.Sprintf("%d %s", p.Line, strings.SplitN(p.Message, " says", 2)[0]))
		}
	}
	want := []string{`8 link text "the report"`, `8 link text "institutional-role topic"`, `9 link text "here"`}
	if !slices.Equal(got, want) {
		t.Errorf("link-text warnings = %q, want %q", got, want)
	}
	html := string(c.Get("nl").HTML)
	for _, href := range []string{`href="/topics/institutional-role"`, `href="/topics/institutional-role#q"`, `href="/countries/nl"`, `href="/docs/x"`, `href="/docs/nl-other"`} {
		if !strings.Contains(html, href) {
			t.Errorf("rendered body lacks %s:\n%s", href, html)
		}
	}
}

// A glossary term's false friends need a phrase and what it means, a see that exists, and may
// not also be its synonyms.
func TestFalseFriendsChecked(t *testing.T) {
	head := "---\ntitle: Safeguarding science\nkind: term\nsynonyms: [safeguarding research]\nsummary: A name.\nfalse_friends:\n"
	for _, test := range []struct {
		items string
		want  []string
	}{
		{"  - phrase: Safeguarding Your Research\n    means: A portal's name.\n    see: no-such-entry\n", []string{
			`term-safeguarding-science.md:7: false friend "Safeguarding Your Research": see "no-such-entry" does not exist`}},
		{"  - phrase: Safeguarding Your Research\n    means: A portal's name.\n  - phrase: safeguarding research\n    means: The same words.\n", []string{
			`term-safeguarding-science.md:9: "safeguarding research" is both a synonym and a false friend of this term: keep one`}},
		{"  - phrase: Safeguarding International Science\n", []string{
			`term-safeguarding-science.md:7: false friend "Safeguarding International Science" needs means: what it means instead`}},
		{"  - means: No phrase.\n", []string{
			`term-safeguarding-science.md:7: a false friend needs a phrase: the look-alike as people type it`}},
	} {
		_, probs := load(t, map[string]string{"term-safeguarding-science.md": head + test.items + "---\nBody.\n"})
		var got []string
		for _, p := range probs {
			got = append(got, p.String())
		}
		if !slices.Equal(got, test.want) {
			t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(test.want, "\n"))
		}
	}
}
