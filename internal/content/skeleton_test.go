package content

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"gopkg.in/yaml.v3"
)

// loadSkeleton loads one generated file as Load would find it in content/.
func loadSkeleton(t *testing.T, kind Kind, id string, data []byte) []Problem {
	t.Helper()
	fsys := fstest.MapFS{Folder(kind) + "/" + id + ".md": {Data: data}}
	_, probs, err := Load(fsys, ".", Options{Now: testNow})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return probs
}

func mustSkeleton(t *testing.T, kind Kind, id string) []byte {
	t.Helper()
	data, err := Skeleton(kind, id, testNow)
	if err != nil {
		t.Fatalf("Skeleton(%s, %s): %v", kind, id, err)
	}
	return data
}

// fieldLine returns the file line of "name:" (or "# name:") in data, or 0.
func fieldLine(data []byte, name string) int {
	for i, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, name+":") || l == "# "+name+":" {
			return i + 1
		}
	}
	return 0
}

// TestSkeletonLoads loads a skeleton of every kind: the only problems are the required fields
// left empty for the organiser, each reported on its own line; values implied by the id are
// filled in.
func TestSkeletonLoads(t *testing.T) {
	for _, test := range []struct {
		kind  Kind
		id    string
		empty []string // the required fields left to fill in, in file order
	}{
		{Guidance, "nl-knowledge-security-guidelines", []string{"title", "issuer", "type", "topics", "audiences", "language", "summary"}},
		{Guidance, "lab-checklist", []string{"title", "countries", "issuer", "type", "topics", "audiences", "language", "summary"}},
		{Finding, "f-nl-key-elements-2", []string{"title", "report_section"}},
		{Finding, "f-ca-research-stages", []string{"title", "report_section"}},
		{Finding, "f-int-general", []string{"title", "topics", "report_section"}},
		{Finding, "f-zz-something", []string{"title", "countries", "topics", "question", "report_section"}},
		{Country, "nl", []string{"terms", "summary"}},
		{Country, "atlantis", []string{"title", "countries", "terms", "summary"}},
		{Topic, "conceptualisation", nil},
		{Topic, "new-topic", []string{"title"}},
		{Term, "term-knowledge-security", []string{"title", "summary"}},
		{Milestone, "m-2019-jason-report", []string{"title"}},
		{Milestone, "m-2031-future-event", []string{"title", "date"}},
		{Milestone, "launch", []string{"title", "date"}},
	} {
		t.Run(test.id, func(t *testing.T) {
			data := mustSkeleton(t, test.kind, test.id)
			probs := loadSkeleton(t, test.kind, test.id, data)
			var got, want []string
			for _, p := range probs {
				// The body's TODO prompts are warned about once the front matter is complete.
				if p.Severity == Warning {
					continue
				}
				got = append(got, fmt.Sprintf("%d: %s", p.Line, p.Message))
			}
			for _, name := range test.empty {
				want = append(want, fmt.Sprintf("%d: field %q is empty", fieldLine(data, name), name))
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s\nfile:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), data)
			}
		})
	}
}

func TestSkeletonPrefill(t *testing.T) {
	for _, test := range []struct {
		kind Kind
		id   string
		want []string // lines the file must hold
	}{
		{Guidance, "gb-trusted-research", []string{"countries: [gb]", "last_verified: 2026-11-24", "# published:", "# source_url:", "# status:", "themes: []", "related: []"}},
		{Guidance, "uk-trusted-research", []string{"countries: []"}}, // uk is no code: never guessed
		{Finding, "f-nl-key-elements-2", []string{"countries: [nl]", "question: key-elements", "topics: [conceptualisation]",
			`Source: report of the 7th MLD workshop on research security (7 December 2023), topic 1, "TODO: the section's title".`}},
		{Finding, "f-at-harmful-end-uses", []string{"topics: [funder-measures]", "topic 2,"}},
		{Country, "gb", []string{"title: United Kingdom", "countries: [gb]", "terms: []", "# contact_point:", "## Bodies in charge"}},
		{Topic, "institutional-role", []string{"title: The role of research institutions",
			"### How do institutions make sound decisions on research practice and collaboration? (`sound-decisions`)"}},
		{Milestone, "m-2019-jason-report", []string{"date: 2019", "countries: []"}},
		{Term, "term-x", []string{"synonyms: []", "countries: []"}},
	} {
		data := string(mustSkeleton(t, test.kind, test.id))
		for _, w := range test.want {
			if !strings.Contains(data, w) {
				t.Errorf("Skeleton(%s, %s) lacks %q:\n%s", test.kind, test.id, w, data)
			}
		}
	}
}

// TestSkeletonFilledIn fills every placeholder of every kind (front matter and body prompts)
// and uncomments every optional field: the file then loads without any problem, so the skeleton
// holds nothing else to fix.
func TestSkeletonFilledIn(t *testing.T) {
	samples := map[string]string{
		"title": "A title", "countries": "[nl]", "issuer": "Ministry of Science", "type": "guideline",
		"topics": "[conceptualisation]", "question": "key-elements", "stages": "[basic, applied]", "report_section": "Topic 1",
		"phases": "[partnership]", "audiences": "[institution]", "language": "nl",
		"summary": "One sentence.", "terms": "[knowledge security, kennisveiligheid]", "date": "2020-05",
		"published": "2022-01", "source_url": "https://example.org/guidelines", "status": "active",
		"contact_point": "https://example.org/contact", "updated": "2026-11-20",
	}
	emptyRe := regexp.MustCompile(`(?m)^(?:# )?([a-z_]+):(?: \[\])?$`)
	for _, kind := range Kinds {
		if kind == Framework || kind == TechList {
			// Their required lists of maps cite other entries, which a one-line sample cannot
			// fill in; TestLoadStructured covers them.
			continue
		}
		t.Run(string(kind), func(t *testing.T) {
			id := "x-entry"
			data := mustSkeleton(t, kind, id)
			filled := emptyRe.ReplaceAllStringFunc(string(data), func(line string) string {
				name := emptyRe.FindStringSubmatch(line)[1]
				if v, ok := samples[name]; ok {
					return name + ": " + v
				}
				return line // superseded_by stays out; an optional list stays []
			})
			filled = strings.ReplaceAll(filled, "TODO:", "Written:")
			if probs := loadSkeleton(t, kind, id, []byte(filled)); len(probs) > 0 {
				t.Errorf("filled-in skeleton has problems: %v\n%s", probs, filled)
			}
		})
	}
}

// TestSkeletonFields checks that every field the kind may have is written once, required ones
// first, each under a comment that lists every value of its vocabulary.
func TestSkeletonFields(t *testing.T) {
	for _, kind := range Kinds {
		data := string(mustSkeleton(t, kind, "x-entry"))
		required, optional := FieldsOf(kind)
		last := 0
		for _, name := range append(required, optional...) {
			line := fieldLine([]byte(data), name)
			if line == 0 {
				t.Errorf("%s skeleton lacks field %q", kind, name)
				continue
			}
			if line < last {
				t.Errorf("%s skeleton: field %q is out of order", kind, name)
			}
			last = line
			comment := commentAbove(data, line)
			if !strings.HasPrefix(comment, "Required. ") && !strings.HasPrefix(comment, "Optional. ") {
				t.Errorf("%s skeleton: comment above %q = %q, want one saying Required or Optional", kind, name, comment)
			}
			if contains(required, name) != strings.HasPrefix(comment, "Required. ") {
				t.Errorf("%s skeleton: %q marked wrongly: %q", kind, name, comment)
			}
			if v := fields[name].vocab; v != nil {
				for _, val := range v.Values() {
					if !regexp.MustCompile(`(^|[\s,:(])` + regexp.QuoteMeta(val) + `[\s,.()]`).MatchString(comment + " ") {
						t.Errorf("%s skeleton: comment above %q does not list %q: %q", kind, name, val, comment)
					}
				}
			}
		}
		for name := range fields {
			if !contains(required, name) && !contains(optional, name) && fieldLine([]byte(data), name) != 0 {
				t.Errorf("%s skeleton has field %q, which does not belong in it", kind, name)
			}
		}
	}
}

var commentedFieldRe = regexp.MustCompile(`^# [a-z_]+:$`)

// commentAbove joins the comment lines right above file line n.
func commentAbove(data string, n int) string {
	lines := strings.Split(data, "\n")
	var out []string
	for i := n - 2; i >= 0 && strings.HasPrefix(lines[i], "# ") && !commentedFieldRe.MatchString(lines[i]); i-- {
		out = append([]string{strings.TrimSpace(strings.TrimPrefix(lines[i], "#"))}, out...)
	}
	return strings.Join(out, " ")
}

func TestSkeletonRefuses(t *testing.T) {
	for _, test := range []struct {
		kind Kind
		id   string
		want string
	}{
		{"blog", "x", `unknown kind "blog": use one of guidance, finding, country, topic, term, milestone, framework, concept, techlist, techarea`},
		{Guidance, "Bad Id", `"Bad Id" is not an entry id (lower-case letters, digits and hyphens)`},
		{Guidance, "nl-x.md", `"nl-x.md" is not an entry id (lower-case letters, digits and hyphens): leave out ".md"`},
		{Guidance, "", `"" is not an entry id (lower-case letters, digits and hyphens)`},
		{Guidance, "-x", `"-x" is not an entry id (lower-case letters, digits and hyphens)`},
	} {
		_, err := Skeleton(test.kind, test.id, testNow)
		if err == nil || err.Error() != test.want {
			t.Errorf("Skeleton(%q, %q) error = %v, want %q", test.kind, test.id, err, test.want)
		}
	}
}

func TestTemplateRenderRefuses(t *testing.T) {
	for _, test := range []struct {
		name   string
		values map[string][]string
		want   string
	}{
		{"field of another kind", map[string][]string{"question": {"general"}}, `field "question" does not belong in a guidance`},
		{"unknown field", map[string][]string{"colour": {"red"}}, `field "colour" does not belong in a guidance`},
		{"two values for one", map[string][]string{"issuer": {"A", "B"}}, `field "issuer" takes one value, not 2`},
		{"bad vocabulary value", map[string][]string{"type": {"blog"}}, `field "type": unknown type "blog": use one of`},
		{"future date", map[string][]string{"published": {"2027"}}, `field "published": date 2027 is in the future`},
		{"bad url", map[string][]string{"source_url": {"javascript:alert(1)"}}, `is not an absolute http(s) URL`},
		{"empty value", map[string][]string{"title": {" "}}, `field "title": field "title" is empty`},
	} {
		_, err := Template{Kind: Guidance, Today: testNow, Values: test.values}.Render()
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("%s: Render error = %v, want one containing %q", test.name, err, test.want)
		}
	}
}

// TestYAMLScalar writes values that YAML would misread unquoted and reads them back.
func TestYAMLScalar(t *testing.T) {
	for _, test := range []struct {
		in    string
		plain bool // written without quotes
	}{
		{"Plain words", true},
		{"Ministry of Education, Culture and Science", true},
		{"Security: a guide", false},
		{"#1 priority", false},
		{"a #hash", false},
		{"- dash", false},
		{"[bracketed]", false},
		{"{braced}", false},
		{`"quoted"`, false},
		{"'single'", false},
		{`back\slash "and" quote`, true},
		{"null", false},
		{"~", false},
		{"", false},
		{" lead", false},
		{"* star", false},
		{"& anchor", false},
		{"! tag", false},
		{"| pipe", false},
		{"> fold", false},
		{"% percent", false},
		{"@ at", false},
		{"`tick", false},
		{"2023", true},
		{"yes", true},
		{"Sécurité – 研究", true},
		{"---", true}, // not a document marker after "k: "
		{"? question", false},
	} {
		for _, inFlow := range []bool{false, true} {
			out := yamlScalar(test.in, inFlow)
			doc := "k: " + out
			if inFlow {
				doc = "k: [" + out + "]"
			}
			var n yaml.Node
			if err := yaml.Unmarshal([]byte(doc), &n); err != nil {
				t.Errorf("yamlScalar(%q, %v) = %s: %v", test.in, inFlow, out, err)
				continue
			}
			v := n.Content[0].Content[1]
			if inFlow {
				if len(v.Content) != 1 {
					t.Errorf("yamlScalar(%q, true) = %s: %d items", test.in, out, len(v.Content))
					continue
				}
				v = v.Content[0]
			}
			if v.Value != test.in || v.Tag == "!!null" {
				t.Errorf("yamlScalar(%q, %v) = %s, reads back as %q (%s)", test.in, inFlow, out, v.Value, v.Tag)
			}
			if !inFlow && (out == test.in) != test.plain {
				t.Errorf("yamlScalar(%q) = %s: plain %v, want %v", test.in, out, out == test.in, test.plain)
			}
		}
	}
	if got := yamlScalar("a\tb\nc\u2028d\x00e", false); got != "a b c d e" {
		t.Errorf("control characters: yamlScalar = %q, want them turned into spaces", got)
	}
}

func TestFolder(t *testing.T) {
	want := map[Kind]string{Guidance: "guidance", Finding: "findings", Country: "countries",
		Topic: "topics", Term: "glossary", Milestone: "timeline", "blog": ""}
	for k, w := range want {
		if got := Folder(k); got != w {
			t.Errorf("Folder(%q) = %q, want %q", k, got, w)
		}
	}
}
