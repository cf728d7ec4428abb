package search

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// entry writes a content file for tests: front matter fields in order, then the body.
func entry(fields [][2]string, body string) *fstest.MapFile {
	var b strings.Builder
	b.WriteString("---\n")
	for _, f := range fields {
		fmt.Fprintf(&b, "%s: %s\n", f[0], f[1])
	}
	b.WriteString("---\n\n" + body + "\n")
	return &fstest.MapFile{Data: []byte(b.String())}
}

func guidance(title, country, summary, body string, extra ...[2]string) *fstest.MapFile {
	fields := [][2]string{{"title", `"` + title + `"`}, {"kind", "guidance"}, {"countries", "[" + country + "]"},
		{"issuer", "An office"}, {"type", "guideline"}, {"topics", "[institutional-role]"}, {"stages", "[basic]"},
		{"phases", "[partnership]"}, {"audiences", "[institution]"}, {"published", "2022-01"}, {"language", "en"},
		{"last_verified", "2026-11-01"}, {"source_status", "unconfirmed"}, {"source_checked", "2026-11-01"}, {"summary", summary}}
	return entry(append(fields, extra...), body)
}

func TestJurisdictions(t *testing.T) {
	fsys := fstest.MapFS{
		"nl.md": entry([][2]string{{"title", "Netherlands"}, {"kind", "country"}, {"countries", "[nl]"},
			{"terms", "[knowledge security, kennisveiligheid]"}, {"summary", "The Dutch approach."}}, "## Term\nKnowledge security."),
		"se.md": entry([][2]string{{"title", "Sweden"}, {"kind", "country"}, {"countries", "[se]"},
			{"terms", "[responsible internationalisation]"}, {"summary", "The Swedish approach."}}, "## Term\nResponsible internationalisation."),
		"term-rs.md": entry([][2]string{{"title", "Research security"}, {"kind", "term"},
			{"synonyms", "[responsible internationalisation, knowledge security]"}, {"summary", "Protecting research."}}, "A field."),
		// A Dutch guideline that does not name the Netherlands, and a British one alike but
		// for naming it.
		"nl-partners.md": guidance("Partner checks", "nl", "How universities check partnerships.", "## What it is\nChecks, case by case."),
		"gb-partners.md": guidance("Partner checks", "gb", "How universities check partnerships, as in the Netherlands.", "## What it is\nChecks, case by case."),
		// Swedish guidance in Sweden's term, and a German text in the same words.
		"se-ri.md": guidance("Guidelines for responsible internationalisation", "se", "Weighing international cooperation.", "Responsible internationalisation in practice."),
		"de-ri.md": guidance("Responsible internationalisation in German universities", "de", "Weighing cooperation.", "Responsible internationalisation in Germany."),
		"se-misc.md": guidance("Annual report on universities", "se", "Numbers on students and staff.",
			"Student numbers grew. Staff numbers grew. One chapter touches on research security. Budgets grew."),
	}
	// As in the corpus, most entries speak of research security.
	for _, c := range []string{"at", "au", "ca", "fr", "jp", "us"} {
		fsys[c+"-rs.md"] = guidance("Research security at a glance", c, "An overview of research security.", "Research security, briefly.")
	}
	ix := mustMemory(t, fsys)
	for _, test := range []struct {
		query string
		first []string
	}{
		// The jurisdiction's own entries come before entries that only mention its name.
		{"how does the Netherlands check partnerships", []string{"nl-partners"}},
		// Sweden's term for the field counts as the term typed in Swedish entries: the
		// guidelines in it come before a report that mentions research security in passing.
		{"Sweden research security", []string{"se-ri"}},
		// A name alone finds the jurisdiction's entries, its profile first.
		{"Netherlands", []string{"nl"}},
		// An adjective or abbreviation names the jurisdiction as well, in entries that never
		// use it.
		{"Dutch partnerships", []string{"nl-partners"}},
		{"UK partnerships", []string{"gb-partners"}},
		{"Swedish research security", []string{"se-ri"}},
		// What an entry is counts as words it has: Dutch guidance that never says so.
		{"Dutch guidance", []string{"nl-partners"}},
	} {
		got := ids(search(t, ix, Request{Query: test.query}))
		if len(got) < len(test.first) || !slices.Equal(got[:len(test.first)], test.first) {
			t.Errorf("Search(%q) = %v, want first %v", test.query, got, test.first)
		}
	}
	// The names come from the corpus: "International" (int) is not one, "Sweden" is.
	parts := ix.parse("international Sweden")
	if j, _ := ix.juris.match(parts, 0); j != 0 {
		t.Errorf(`"international" is taken as a jurisdiction`)
	}
	if j, codes := ix.juris.match(parts, 1); j != 2 || !slices.Equal(codes, []string{"se"}) {
		t.Errorf(`"Sweden" = %d %v, want se`, j, codes)
	}
}

func TestGuidingQuestionsAcronymsMilestones(t *testing.T) {
	finding := func(country, title, question, topic, body string) *fstest.MapFile {
		return entry([][2]string{{"title", title}, {"kind", "finding"}, {"countries", "[" + country + "]"},
			{"topics", "[" + topic + "]"}, {"question", question}, {"report_section", "Topic 2"}, {"stages", "[basic]"}, {"phases", "[conduct]"}}, body)
	}
	ix := mustMemory(t, fstest.MapFS{
		// The same words, said on two guiding questions.
		"f-gb-uncertainty.md": finding("gb", `"United Kingdom: advice for doubtful cases"`, "end-use-uncertainty", "institutional-role",
			"Researchers uncertain about the end use of their research can ask for advice."),
		"f-ca-harmful.md": finding("ca", `"Canada: advice for doubtful cases"`, "harmful-end-uses", "funder-measures",
			"Researchers uncertain about the end use of their research can ask for advice."),
		"ca-strac.md": guidance("Policy on Sensitive Technology Research and Affiliations of Concern (STRAC)", "ca",
			"Canada's rule on sensitive research.", "The policy."),
		"ca-lists.md": guidance("The lists of STRAC", "ca", "The lists STRAC uses.", "STRAC applies these lists; STRAC names areas; STRAC again."),
		"m-2024-strac.md": entry([][2]string{{"title", `"Canada publishes STRAC"`}, {"kind", "milestone"}, {"date", "2024-01-16"},
			{"countries", "[ca]"}, {"related", "[ca-strac]"}}, "Canada published the STRAC policy."),
		// A milestone whose title has every word of the query, and the entry it dates.
		"ca-okapi.md": guidance("Rules", "ca", "Rules on okapi research.", "The rules."),
		"m-2023-okapi.md": entry([][2]string{{"title", `"Canada adopts okapi research rules"`}, {"kind", "milestone"}, {"date", "2023-05-01"},
			{"countries", "[ca]"}, {"related", "[ca-okapi]"}}, "Canada adopted its okapi research rules."),
	})
	for _, test := range []struct {
		query string
		first []string
	}{
		// A query in the words of a guiding question prefers the findings on it.
		{"what do countries do about uncertain end use of research", []string{"f-gb-uncertainty", "f-ca-harmful"}},
		// An acronym a title gives in parentheses names the entry.
		{"STRAC", []string{"ca-strac"}},
		// A milestone comes after the entry it dates.
		{"okapi research rules", []string{"ca-okapi", "m-2023-okapi"}},
	} {
		got := ids(search(t, ix, Request{Query: test.query}))
		if len(got) < len(test.first) || !slices.Equal(got[:len(test.first)], test.first) {
			t.Errorf("Search(%q) = %v, want first %v", test.query, got, test.first)
		}
	}
	// A query asks a guiding question when the question's words cover half its weight.
	for _, test := range []struct{ query, question string }{
		{"what do countries do about uncertain end use of research", "end-use-uncertainty"},
		{"how can trusted partnerships be built", "trusted-partnerships"},
		{"STRAC", ""},
	} {
		parts := ix.parse(test.query)
		weights := make([]float64, len(parts))
		total := 0.0
		for i, p := range parts {
			for _, term := range p.fixedTerms {
				weights[i] += ix.idf(term)
			}
			total += weights[i]
		}
		if got, _ := ix.askedQuestion(parts, weights, total); got != test.question {
			t.Errorf("askedQuestion(%q) = %q, want %q", test.query, got, test.question)
		}
	}
	for _, test := range []struct {
		title string
		want  []string
	}{
		{"Policy on Sensitive Technology Research and Affiliations of Concern (STRAC)", []string{"STRAC"}},
		{"Commission Recommendation (EU) 2023/2113", nil}, // a jurisdiction qualifies the title
		{"Joint Communication JOIN(2023) 20", nil},        // no letters
		{"Safeguarding Your Research (portal)", nil},      // not in capitals
		{"FIKS and PPST (PPST) and (ZRR)", []string{"PPST", "ZRR"}},
	} {
		if got := titleAcronyms(test.title); !slices.Equal(got, test.want) {
			t.Errorf("titleAcronyms(%q) = %q, want %q", test.title, got, test.want)
		}
	}
}

// The hits and facet counts of one pass over the entries must be what filtering every entry
// with content's own rules gives: disjunctive counts, OR within a facet, AND across facets.
func TestFacetsAgainstContent(t *testing.T) {
	corpus, ix := realMemory(t)
	r := rand.New(rand.NewPCG(1, 2))
	values := map[string][]string{}
	for _, e := range corpus.Entries {
		for _, f := range Facets {
			for _, v := range e.FacetValues(f) {
				if !slices.Contains(values[f], v) {
					values[f] = append(values[f], v)
				}
			}
		}
	}
	for i := 0; i < 200; i++ {
		filters := map[string][]string{}
		for _, f := range Facets {
			if r.IntN(4) == 0 {
				for n := 1 + r.IntN(2); n > 0; n-- {
					filters[f] = append(filters[f], values[f][r.IntN(len(values[f]))])
				}
			}
		}
		if r.IntN(10) == 0 {
			filters["country"] = append(filters["country"], "xx") // a value no entry has
		}
		query := []string{"", "research security", "partner screening", "export control dual use"}[r.IntN(4)]
		matched := map[string]bool{}
		all, err := ix.Search(context.Background(), Request{Query: query, Page: 1, Size: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range all.Hits {
			matched[h.ID] = true
		}
		res, err := ix.Search(context.Background(), Request{Query: query, Filters: filters, Page: 1, Size: 1000})
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, e := range corpus.Entries {
			if matched[e.ID] && e.Matches(filters, "") {
				want++
			}
		}
		if res.Total != want || len(res.Hits) != want {
			t.Fatalf("%q %v: total %d (%d hits), want %d", query, filters, res.Total, len(res.Hits), want)
		}
		for _, f := range Facets {
			wantCounts := map[string]int{}
			for _, e := range corpus.Entries {
				if matched[e.ID] && e.Matches(filters, f) {
					for _, v := range e.FacetValues(f) {
						wantCounts[v]++
					}
				}
			}
			got := res.Facets[f]
			if len(got) != len(wantCounts) {
				t.Fatalf("%q %v: facet %s = %v, want %v", query, filters, f, got, wantCounts)
			}
			for k, fc := range got {
				if wantCounts[fc.Value] != fc.Count {
					t.Fatalf("%q %v: facet %s %s = %d, want %d", query, filters, f, fc.Value, fc.Count, wantCounts[fc.Value])
				}
				if k > 0 && (got[k-1].Count < fc.Count || got[k-1].Count == fc.Count && got[k-1].Value > fc.Value) {
					t.Fatalf("facet %s not ordered by count, then value: %v", f, got)
				}
			}
		}
	}
}

func TestEditionsAndConcepts(t *testing.T) {
	techlist := func(title, published, summary, extra string) *fstest.MapFile {
		fields := [][2]string{{"title", `"` + title + `"`}, {"kind", "techlist"}, {"countries", "[au]"}, {"issuer", "An office"},
			{"published", published}, {"last_verified", "2026-11-01"}, {"source", "au-lists"}, {"legal_effect", "signal"},
			{"summary", summary}}
		if extra != "" {
			fields = append(fields, [2]string{"supersedes", extra})
		}
		fields = append(fields, [2]string{"categories", "\n  - id: quantum\n    label: Quantum\n    areas:\n      - {area: quantum, relation: close, note: \"Quantum.\"}"})
		return entry(fields, "The fields.")
	}
	ix := mustMemory(t, fstest.MapFS{
		"au-lists.md": guidance("Okapi lists", "au", "Lists of technologies.", "The lists."),
		"quantum.md":  entry([][2]string{{"title", "Quantum"}, {"kind", "techarea"}, {"summary", "Quantum technologies."}}, "Quantum."),
		// Two editions of a list: the newer names the older it replaces, and the older says
		// more about critical technologies.
		"au-list-2021.md": techlist("List of critical technologies (2021)", "2021-11", "Sixty critical technologies in seven critical groups.", ""),
		"au-list-2023.md": techlist("List of critical technologies (2023)", "2023-05", "Seven fields.", "au-list-2021"),
		// A guideline and a concept page on the same thing, the concept in a few more words.
		"au-okapi.md": guidance("Partner links to okapi users", "au", "Whether a partner is linked to okapi users.", "## What it is\nLinks."),
		"partner-links.md": entry([][2]string{{"title", "Partner links to okapi users"}, {"kind", "concept"},
			{"summary", "Whether a partner is linked to okapi users, or okapi users to a partner."}},
			"## What it covers\nLinks.\n\n## Which frameworks ask about it\n- [Okapi lists](/docs/au-lists): 1 question"),
	})
	for _, test := range []struct {
		query string
		first []string
	}{
		// The current edition of a list comes before the one it supersedes.
		{"list of critical technologies", []string{"au-list-2023", "au-list-2021"}},
		// A concept page, short and definitional, gives way to a document on the same thing.
		{"partner links to okapi users", []string{"au-okapi", "partner-links"}},
	} {
		got := ids(search(t, ix, Request{Query: test.query}))
		if len(got) < len(test.first) || !slices.Equal(got[:len(test.first)], test.first) {
			t.Errorf("Search(%q) = %v, want first %v", test.query, got, test.first)
		}
	}
}

func TestOriginalTitles(t *testing.T) {
	ix := mustMemory(t, fstest.MapFS{
		"de-bafa.md": guidance("Export Control and Academia manual", "de", "When export law applies to research.", "## What it is\nA manual.",
			[2]string{"original_title", `"Handbuch Exportkontrolle und Academia"`}),
		"gb-export.md": guidance("Export controls for academics", "gb", "When export law applies to research.", "## What it is\nGuidance."),
		"no-white.md": guidance("Norway's white paper on the research system", "no", "Research security gets a chapter.", "## What it is\nA white paper.",
			[2]string{"original_title", `"Meld. St. 14 (2024–2025) Sikker kunnskap i en usikker verden"`}),
	})
	for _, test := range []struct {
		query string
		want  []string
	}{
		// A word of the title in the document's own language finds it.
		{"Exportkontrolle", []string{"de-bafa"}},
		{"Handbuch Exportkontrolle und Academia", []string{"de-bafa"}},
		// A phrase of it too, in a language the analyzer does not stem.
		{"Sikker kunnskap i en usikker verden", []string{"no-white"}},
	} {
		if got := ids(search(t, ix, Request{Query: test.query})); !slices.Equal(got, test.want) {
			t.Errorf("Search(%q) = %v, want %v", test.query, got, test.want)
		}
	}
}

func TestSoftMatching(t *testing.T) {
	ix := mustMemory(t, fstest.MapFS{
		"fi-training.md": guidance("Training for researchers", "fi", "Finnish training on research security.", "## What it is\nCourses."),
		"fi-workshop.md": guidance("Workshop on research security", "fi", "A Finnish workshop.", "## What it is\nA workshop."),
		"fi-both.md":     guidance("Workshop training", "fi", "A workshop with training.", "## What it is\nBoth."),
		"se-training.md": guidance("Training for staff", "se", "Swedish training.", "## What it is\nCourses."),
		"se-other.md":    guidance("Annual report", "se", "Numbers.", "## What it is\nNumbers."),
	})
	for _, test := range []struct {
		query string
		first string   // "" when no entry has every word
		all   []string // every hit, in any order
	}{
		// The entries with every word come first, then those with most of them; a query of
		// two words finds the entries with one when no entry has both.
		{"workshop training", "fi-both", []string{"fi-both", "fi-training", "fi-workshop", "se-training"}},
		{"xylophone training", "", []string{"fi-training", "se-training", "fi-both"}},
		// Three units need two: Finnish entries with one of the words, not Swedish ones.
		{"Finland workshop training", "fi-both", []string{"fi-both", "fi-training", "fi-workshop"}},
	} {
		got := ids(search(t, ix, Request{Query: test.query}))
		if test.first != "" && (len(got) == 0 || got[0] != test.first) {
			t.Errorf("Search(%q) = %v, want %s first", test.query, got, test.first)
		}
		if !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(test.all))) {
			t.Errorf("Search(%q) = %v, want %v in some order", test.query, got, test.all)
		}
	}
}

func TestQuestionsPreferDocuments(t *testing.T) {
	ix := mustMemory(t, fstest.MapFS{
		"term-okapi-screening.md": entry([][2]string{{"title", "Okapi screening"}, {"kind", "term"},
			{"summary", "Checking okapi partners before a partnership."}}, "Okapi screening checks partners."),
		"nl-okapi.md": guidance("Okapi partner guidelines", "nl", "How universities check okapi partners.", "## What it is\nScreening of okapi partnerships, case by case."),
	})
	for _, test := range []struct {
		query string
		first string
	}{
		// Typed as words, the definition comes first; asked as a question, the document.
		{"okapi screening partners", "term-okapi-screening"},
		{"how do universities do okapi screening of partners", "nl-okapi"},
	} {
		if got := ids(search(t, ix, Request{Query: test.query})); len(got) == 0 || got[0] != test.first {
			t.Errorf("Search(%q) = %v, want %s first", test.query, got, test.first)
		}
	}
	// A question mark makes a question: the definition's score, and only its, is scaled.
	score := func(q, id string) float64 {
		for _, h := range search(t, ix, Request{Query: q}).Hits {
			if h.ID == id {
				return h.Score
			}
		}
		return 0
	}
	for id, want := range map[string]float64{"term-okapi-screening": questionDefinitionPrior, "nl-okapi": 1} {
		if got := score("okapi screening of partners?", id) / score("okapi screening of partners", id); math.Abs(got-want) > 1e-9 {
			t.Errorf("%s scores %.3f as much in a question, want %.3f", id, got, want)
		}
	}
	for _, test := range []struct {
		query string
		want  bool
	}{
		{"how does Japan handle research security", true},
		{"What is knowledge security", true},
		{"research security?", true},
		{"research security officer", false},
		{"Howard report", false},
	} {
		if got := isQuestion(test.query); got != test.want {
			t.Errorf("isQuestion(%q) = %v, want %v", test.query, got, test.want)
		}
	}
}

func TestLongPhrases(t *testing.T) {
	ix := mustMemory(t, fstest.MapFS{
		"eu-open.md": guidance("Open science", "eu", "Openness first.",
			"## What it asks\nResearch should stay as open as possible and as closed as necessary, the Council said in its recommendation to member states."),
		"eu-closed.md": guidance("Closed science", "eu", "Security first.",
			"## What it asks\nResearch should stay as closed as necessary and as open as possible, the Council said in its recommendation to member states."),
	})
	// Eleven words once the stop words are left out.
	q := `"research should stay as open as possible and as closed as necessary, the Council said in its recommendation to member states"`
	res := search(t, ix, Request{Query: q})
	if got := ids(res); !slices.Equal(got, []string{"eu-open"}) {
		t.Fatalf("Search(%s) = %v, want [eu-open]", q, got)
	}
	if s := res.Hits[0].Snippet; !strings.Contains(s, "<mark>Council</mark>") || !strings.Contains(s, "<mark>Research</mark>") {
		t.Errorf("snippet %q does not mark the phrase", s)
	}
}

func TestCommonWordsOnly(t *testing.T) {
	ix := mustFullIndex(t)
	for _, test := range []struct {
		query  string
		common bool
	}{
		{"how does the", true},
		{"What is it?", true},
		{"", false},   // no words: browse everything
		{"?!", false}, // no words either
		{"how does the Netherlands", false},
	} {
		res := search(t, ix, Request{Query: test.query})
		if res.CommonWordsOnly != test.common {
			t.Errorf("Search(%q).CommonWordsOnly = %v, want %v", test.query, res.CommonWordsOnly, test.common)
		}
		if test.common && (res.Total != 0 || len(res.Hits) != 0) {
			t.Errorf("Search(%q) found %d entries; a query of common words finds none", test.query, res.Total)
		}
		if !test.common && res.Total == 0 {
			t.Errorf("Search(%q) found nothing", test.query)
		}
	}
}

// The share of the query an entry matches counts each word by its rarity: an entry with the
// query's rare word and one common word passes the entries with its two common words, though
// each matches two of the three (counting the words alike, "rare" came last).
func TestRareWordsCoverMore(t *testing.T) {
	fsys := fstest.MapFS{
		"rare.md":   guidance("Notes", "fi", "Advice for staff.", "## What it is\nA note on espionage among the risks that staff of universities meet."),
		"common.md": guidance("Figures", "se", "Numbers.", "## What it is\nResearch at universities is growing, and so is the funding for research at universities."),
	}
	// Some entries speak of research at universities, most of neither.
	for i := range 24 {
		body := "Budgets and staff."
		if i%4 == 0 {
			body = "Research and universities."
		}
		fsys[fmt.Sprintf("other-%d.md", i)] = guidance("Overview", "at", "Numbers.", body)
	}
	ix := mustMemory(t, fsys)
	got := ids(search(t, ix, Request{Query: "espionage universities research"}))
	if len(got) == 0 || got[0] != "rare" {
		t.Errorf("Search(espionage universities research) = %v, want rare first", got)
	}
}

// A query that asks for questions, a form or a checklist lifts the question frameworks above
// the documents they come from, which use the same words more often.
func TestQueriesForQuestionsPreferFrameworks(t *testing.T) {
	ix := mustMemory(t, fstest.MapFS{
		"gb-guide.md": guidance("Collaboration guide", "gb", "Researchers ask about a collaboration and its partner.",
			"## What it is\nResearchers considering an international collaboration ask about the collaboration, the partner and the collaboration's funding."),
		"qf-gb-checks.md": entry([][2]string{{"title", "Partner checks"}, {"kind", "framework"}, {"countries", "[gb]"},
			{"issuer", "An office"}, {"source", "gb-guide"}, {"summary", "The questions of the guide for a researcher before a collaboration."},
			{"questions", "\n  - id: partner\n    text: Who is the partner?\n    concept: owner"}, {"last_verified", "2026-11-01"}},
			"## What it is\nQuestions."),
		"owner.md": entry([][2]string{{"title", "Owner"}, {"kind", "concept"}, {"summary", "Who owns a partner."}}, "Owners."),
	})
	for _, test := range []struct {
		query string
		first string
	}{
		{"what questions should researchers ask before an international collaboration", "qf-gb-checks"},
		{"collaboration checklist", "qf-gb-checks"},
		// Without such a word, the document comes first.
		{"what should researchers ask before an international collaboration", "gb-guide"},
	} {
		got := ids(search(t, ix, Request{Query: test.query}))
		if len(got) == 0 || got[0] != test.first {
			t.Errorf("Search(%q) = %v, want %s first", test.query, got, test.first)
		}
	}
}

// Two words the corpus writes as one are found either way: "swiss universities" finds the
// swissuniversities report as surely as the entries with both words.
func TestJoinedWords(t *testing.T) {
	ix := mustMemory(t, fstest.MapFS{
		"ch-report.md": guidance("Knowledge security report", "ch", "A report by swissuniversities on partnerships.", "## What it is\nA report by swissuniversities."),
		"ch-other.md":  guidance("Export control guidance", "ch", "Swiss universities and export law.", "## What it is\nRules for universities."),
		"de-unis.md":   guidance("Universities and partnerships", "de", "German universities weigh partnerships.", "## What it is\nUniversities."),
		"at-unis.md":   guidance("Universities in Austria", "at", "Austrian universities.", "## What it is\nUniversities."),
		"se-db.md":     guidance("Partner register", "se", "A database of foreign partners.", "## What it is\nA register."),
	})
	// An entry with only the joined word, and neither of the two, is found.
	if got := ids(search(t, ix, Request{Query: "data base of partners"})); !slices.Contains(got, "se-db") || got[0] != "se-db" {
		t.Errorf(`Search("data base of partners") = %v, want se-db first`, got)
	}
	got := ids(search(t, ix, Request{Query: "swiss universities"}))
	if len(got) < 2 || !slices.Contains(got[:2], "ch-report") || !slices.Contains(got[:2], "ch-other") {
		t.Errorf(`Search("swiss universities") = %v, want ch-report and ch-other first`, got)
	}
	// Not every pair of words is a corpus word: these stay two units.
	if got := ids(search(t, ix, Request{Query: "export control"})); len(got) == 0 || got[0] != "ch-other" {
		t.Errorf(`Search("export control") = %v`, got)
	}
}

// A glossary term's false friend is searched as the phrase it is, not as the term it looks
// like: "safeguarding your research" finds the portal of that name first, not every entry
// about safeguarding research.
func TestFalseFriends(t *testing.T) {
	fsys := fstest.MapFS{
		"term-safeguarding-science.md": entry([][2]string{{"title", "Safeguarding science"}, {"kind", "term"},
			{"synonyms", "[safeguarding research]"}, {"summary", "A name for the field."},
			{"false_friends", "[{phrase: Safeguarding Your Research, means: A portal's name., see: ca-portal}, {phrase: safeguarding, means: Protection from harm.}]"}},
			"Safeguarding science and safeguarding research are names for the field. Canada's portal is called Safeguarding Your Research."),
		"ca-portal.md":  guidance("Safeguarding Your Research", "ca", "Canada's portal.", "## What it is\nA portal."),
		"de-science.md": guidance("Safeguarding science in Germany", "de", "Safeguarding research in German universities.", "## What it is\nSafeguarding research."),
		"nl-science.md": guidance("Safeguarding research at Dutch universities", "nl", "Safeguarding science.", "## What it is\nSafeguarding science."),
	}
	ix := mustMemory(t, fsys)
	// …and not the entries that only speak of safeguarding research: the look-alike is not
	// merged with the term.
	if got := ids(search(t, ix, Request{Query: "safeguarding your research"})); len(got) == 0 || got[0] != "ca-portal" ||
		slices.Contains(got, "nl-science") || slices.Contains(got, "de-science") {
		t.Errorf(`Search("safeguarding your research") = %v, want ca-portal first and neither nl-science nor de-science`, got)
	}
	// The term itself still reaches its equivalents.
	if got := ids(search(t, ix, Request{Query: "safeguarding science"})); !slices.Contains(got, "nl-science") || !slices.Contains(got, "de-science") {
		t.Errorf(`Search("safeguarding science") = %v, want both entries that use the term`, got)
	}
	// Already quoted, or in the middle of other words, it is taken as typed.
	for q, want := range map[string]string{
		`portal "safeguarding your research"`:   `portal "safeguarding your research"`,
		"the safeguarding your research portal": `the "safeguarding your research" portal`,
		"safeguarding yours research":           `"safeguarding" yours research`,
		// A one-word false friend inside the term it resembles is the term.
		"safeguarding science at universities": "safeguarding science at universities",
		"UK safeguarding policy":               `UK "safeguarding" policy`,
	} {
		if got := ix.thes.quoteFalseFriends(q); got != want {
			t.Errorf("quoteFalseFriends(%q) = %q, want %q", q, got, want)
		}
	}
}

// An original title is also analysed in its own language: the Swedish plural "lagar" finds a
// title with "lag", which the English analysis keeps apart, and a German stop word in a query
// matches nothing there.
func TestNativeAnalysis(t *testing.T) {
	in := func(f *fstest.MapFile, lang string) *fstest.MapFile {
		f.Data = []byte(strings.Replace(string(f.Data), "language: en\n", "language: "+lang+"\n", 1))
		return f
	}
	ix := mustMemory(t, fstest.MapFS{
		"se-fdi.md": in(guidance("Swedish investment screening act", "se", "Screening of foreign direct investment.", "## What it is\nAn act.",
			[2]string{"original_title", `"Lag om granskning av utländska direktinvesteringar"`}), "sv"),
		"de-guide.md": in(guidance("German guidance", "de", "Guidance for universities.", "## What it is\nGuidance.",
			[2]string{"original_title", `"Leitfaden zur Wissenschaftsfreiheit"`}), "de"),
		"gb-guide.md": guidance("Law for universities", "gb", "Guidance.", "## What it is\nGuidance."),
	})
	if got := ids(search(t, ix, Request{Query: "lagar"})); len(got) == 0 || got[0] != "se-fdi" {
		t.Errorf(`Search("lagar") = %v, want se-fdi first`, got)
	}
	if got := nativeText("der Leitfaden zur Wissenschaftsfreiheit", "de"); strings.Contains(got, "der") || !strings.Contains(got, "leitfad") {
		t.Errorf(`nativeText(German) = %q, want stems without the stop word`, got)
	}
	if got := nativeText("Lag om granskning", "en"); got != "" {
		t.Errorf(`nativeText(English) = %q, want "" (the other fields are English already)`, got)
	}
}

// TestPhraseWalkAsScan checks the merge walk over a phrase's occurrences against a scan of
// every pair of occurrences: the same documents with the same counts in every field, and, when
// only the first occurrence is looked for, the same documents.
func TestPhraseWalkAsScan(t *testing.T) {
	_, ix := realMemory(t)
	m := ix.mem
	n := 0
	for _, q := range []string{"research security", "knowledge security", "export control", "due diligence",
		"foreign interference in research", "as open as possible as closed as necessary", "security security",
		"national security", "research and innovation", "security of research"} {
		l, ok := ix.leafOf(q)
		if !ok || len(l.terms) < 2 {
			t.Fatalf("%q: not a phrase", q)
		}
		for f := range numFields {
			want := map[int32]int{}
			lists := make([]*postingList, len(l.terms))
			for i, term := range l.terms {
				if tp := m.terms[term]; tp != nil {
					lists[i] = tp.fields[f]
				}
			}
			if !slices.Contains(lists, nil) {
				for i, d := range lists[0].docs {
					for _, o := range lists[0].occurrences(i) {
						all := true
						for k := 1; k < len(lists); k++ {
							j := lists[k].find(d)
							if j < 0 || !slices.ContainsFunc(lists[k].occurrences(j), func(x loc) bool {
								return x.section == o.section && x.pos == o.pos+l.rel[k]-l.rel[0]
							}) {
								all = false
								break
							}
						}
						if all {
							want[d]++
						}
					}
				}
			}
			got, once := map[int32]int{}, map[int32]int{}
			all := int32(len(m.docs))
			m.walk(l, field(f), false, nil, 0, all, func(d int32, tf int) { got[d] = tf })
			m.walk(l, field(f), true, nil, 0, all, func(d int32, tf int) { once[d] = tf })
			if !maps.Equal(got, want) {
				t.Errorf("%q in %s: %d documents, want %d", q, fieldNames[f], len(got), len(want))
			}
			for d := range want {
				if once[d] != 1 {
					t.Errorf("%q in %s, first occurrence only: document %d has %d", q, fieldNames[f], d, once[d])
				}
			}
			if len(once) != len(want) {
				t.Errorf("%q in %s, first occurrence only: %d documents, want %d", q, fieldNames[f], len(once), len(want))
			}
			n += len(want)
		}
	}
	if n < 500 {
		t.Errorf("only %d phrase matches: the comparison tests little", n)
	}
}

// TestSeek checks the galloping search against a walk, from every start, for every target.
func TestSeek(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 2, 5, 64, 300} {
		docs := make([]int32, 0, n)
		d := int32(0)
		for range n {
			d += 1 + int32(r.IntN(4))
			docs = append(docs, d)
		}
		for c := 0; c <= n; c++ {
			for target := int32(-1); target <= d+2; target++ {
				want := c
				for want < n && docs[want] < target {
					want++
				}
				if got := seek(docs, c, target); got != want {
					t.Fatalf("n=%d from %d for %d: got %d, want %d", n, c, target, got, want)
				}
			}
		}
	}
}

// TestMatchInRanges checks that scoring the corpus in ranges side by side gives what one pass
// gives: the same hits, scores, order, facets and snippets, for two, three and seven ranges.
func TestMatchInRanges(t *testing.T) {
	_, ix := realMemory(t)
	defer func() { ix.ranges = 0 }()
	ctx := context.Background()
	b, err := os.ReadFile(judgmentsFile)
	if err != nil {
		t.Fatal(err)
	}
	var set struct{ Queries []judgedQuery }
	if err := json.Unmarshal(b, &set); err != nil {
		t.Fatal(err)
	}
	var queries []string
	for _, q := range set.Queries {
		queries = append(queries, q.Query)
	}
	queries = append(queries, "germany", "reserch securty", "\"open as possible\"", "Sweden's approach to research security")
	for _, q := range queries {
		for _, f := range []map[string][]string{nil, {"country": {"nl"}}} {
			r := Request{Query: q, Filters: f, Sort: SortRelevance, Page: 1, Size: 50}
			ix.ranges = 0
			want, err := ix.Search(ctx, r)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range []int{2, 3, 7} {
				ix.ranges = n
				got, err := ix.Search(ctx, r)
				if err != nil {
					t.Fatal(err)
				}
				got.Took, want.Took = 0, 0
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%q %v in %d ranges: %d hits, want %d; %s", q, f, n, got.Total, want.Total, firstDifference(got, want))
				}
			}
		}
	}
}

// TestDictionaryAsOnePass checks that the dictionary made block by block, side by side, is the
// one a single pass over the corpus makes.
func TestDictionaryAsOnePass(t *testing.T) {
	corpus, ix := realMemory(t)
	want := newDictionary()
	termOf := func(w string) string {
		if ts := ix.terms(w); len(ts) == 1 {
			return ts[0]
		}
		return ""
	}
	for _, e := range corpus.Entries {
		d := newDocument(e)
		var words []surfaceWord
		for _, text := range append([]string{d.Title, d.Original, d.Summary, d.Meta, d.Terms, d.Tags}, d.Sections...) {
			for _, tok := range ix.surface.Analyze([]byte(text)) {
				words = append(words, surfaceWord{string(tok.Term), text[tok.Start:tok.End]})
			}
		}
		want.addDocument(words, termOf)
	}
	want.finish()
	if !reflect.DeepEqual(ix.dict, want) {
		t.Errorf("the dictionary differs from one pass: %d words, want %d; %d terms, want %d",
			len(ix.dict.words), len(want.words), len(ix.dict.terms), len(want.terms))
	}
	if len(want.words) < 1000 {
		t.Errorf("only %d words", len(want.words))
	}
}

// firstDifference describes where two answers part: the first hit that differs, or the facets.
func firstDifference(got, want *Results) string {
	for i := range min(len(got.Hits), len(want.Hits)) {
		if g, w := got.Hits[i], want.Hits[i]; !reflect.DeepEqual(g, w) {
			return fmt.Sprintf("hit %d is %s (%.6g), want %s (%.6g)", i+1, g.ID, g.Score, w.ID, w.Score)
		}
	}
	if len(got.Hits) != len(want.Hits) {
		return fmt.Sprintf("%d hits on the page, want %d", len(got.Hits), len(want.Hits))
	}
	if !reflect.DeepEqual(got.Facets, want.Facets) {
		return fmt.Sprintf("facets %v, want %v", got.Facets, want.Facets)
	}
	return "the suggestion or another field"
}

// TestMilestoneChain checks that a milestone scores at most milestoneShare of the entry it
// dates, that entry's own cut included when it is a milestone too, in one pass and in ranges.
func TestMilestoneChain(t *testing.T) {
	ix := mustMemory(t, fstest.MapFS{
		"ca-zebra.md": guidance("Zebra rules", "ca", "Rules on zebra research.", "The zebra rules."),
		"m-2020-zebra.md": entry([][2]string{{"title", `"Canada adopts zebra research rules"`}, {"kind", "milestone"},
			{"date", "2020-05-01"}, {"countries", "[ca]"}, {"related", "[ca-zebra]"}}, "Canada adopted its zebra research rules."),
		// A milestone that dates the adoption, in the query's words even more.
		"m-2021-zebra.md": entry([][2]string{{"title", `"Canada reviews zebra research rules: zebra rules zebra"`}, {"kind", "milestone"},
			{"date", "2021-05-01"}, {"countries", "[ca]"}, {"related", "[m-2020-zebra]"}}, "Canada reviewed its zebra research rules on zebra research."),
		"ca-other.md": guidance("Other rules", "ca", "Rules on other research.", "Other rules."),
	})
	defer func() { ix.ranges = 0 }()
	for _, n := range []int{0, 2, 3} {
		ix.ranges = n
		res := search(t, ix, Request{Query: "zebra research rules"})
		score := map[string]float64{}
		for _, h := range res.Hits {
			score[h.ID] = h.Score
		}
		if got, want := ids(res), []string{"ca-zebra", "m-2020-zebra", "m-2021-zebra"}; !slices.Equal(got[:min(3, len(got))], want) {
			t.Errorf("%d ranges: %v, want first %v", n, got, want)
		}
		if s, e := score["m-2020-zebra"], score["ca-zebra"]; s > milestoneShare*e+1e-9 {
			t.Errorf("%d ranges: the milestone scores %.4g, more than %.1f of its entry's %.4g", n, s, milestoneShare, e)
		}
		if s, e := score["m-2021-zebra"], score["m-2020-zebra"]; s > milestoneShare*e+1e-9 {
			t.Errorf("%d ranges: the later milestone scores %.4g, more than %.1f of the milestone it dates (%.4g)", n, s, milestoneShare, e)
		}
	}
}

// TestBitsetEach checks that each gives the members of a range in order, for ranges that start
// and end inside words and on their edges.
func TestBitsetEach(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{1, 63, 64, 65, 200} {
		b := newBitset(n)
		for d := range int32(n) {
			if r.IntN(3) == 0 {
				b.add(d)
			}
		}
		for lo := int32(0); lo <= int32(n); lo++ {
			for hi := lo; hi <= int32(n); hi++ {
				var want, got []int32
				for d := lo; d < hi; d++ {
					if b.has(d) {
						want = append(want, d)
					}
				}
				b.each(lo, hi, func(d int32) { got = append(got, d) })
				if !slices.Equal(got, want) {
					t.Fatalf("n=%d [%d, %d): got %v, want %v", n, lo, hi, got, want)
				}
			}
		}
	}
}
