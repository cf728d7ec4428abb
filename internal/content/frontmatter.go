package content

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"gopkg.in/yaml.v3"
)

// splitFrontMatter separates the YAML between the opening and closing "---" lines from the
// body, and returns the file line on which the body starts.
func splitFrontMatter(data []byte) (fm []byte, body []byte, bodyLine int, err error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	lines := bytes.SplitAfter(data, []byte("\n"))
	if len(lines) == 0 || string(bytes.TrimRight(lines[0], " \t\n")) != "---" {
		return nil, nil, 0, errors.New(`file must start with a "---" line opening the front matter`)
	}
	off := len(lines[0])
	for i := 1; i < len(lines); i++ {
		if string(bytes.TrimRight(lines[i], " \t\n")) == "---" {
			return data[len(lines[0]):off], data[off+len(lines[i]):], i + 2, nil
		}
		off += len(lines[i])
	}
	return nil, nil, 0, errors.New(`front matter is not closed: add a "---" line after the last field`)
}

// field describes one front-matter key: the kinds that may use it, whether it is a list, and
// how its values are checked.
type field struct {
	list     bool
	kinds    []Kind // nil: every kind
	required []Kind
	vocab    *Vocabulary
	check    func(value string, now time.Time) string // returns a problem, or ""
	set      func(e *Entry, scalar string, list []string)
	// decode reads a field that holds a map or a list of maps; it replaces set.
	decode     func(e *Entry, n *yaml.Node, now time.Time, add adder)
	mayBeEmpty bool // a required list that may be [] (stages: the same for all research)
	multiline  bool // line breaks are allowed: a curator's notes, never exported
}

var (
	allKinds      = []Kind(nil)
	guidanceOnly  = []Kind{Guidance}
	docLike       = []Kind{Guidance, Finding}
	sourced       = []Kind{Guidance, Framework, TechList} // entries checked against a source
	withSummary   = []Kind{Guidance, Country, Term, Topic, Framework, Concept, TechList, TechArea}
	dateRe        = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)
	dayRe         = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	idRe          = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	fieldsInOrder = []string{"title", "original_title", "kind", "countries", "issuer", "type", "topics", "question",
		"themes", "stages", "differentiates_stages", "phases", "audiences", "published", "date",
		"source_url", "source_status", "source_checked", "archived_url", "language",
		"last_verified", "status", "superseded_by", "terms", "contact_point", "member_of", "synonyms", "false_friends",
		"report_section", "report_page", "source", "legal_effect", "export_control", "supersedes",
		"summary", "questions", "categories", "approach", "applies_when", "notes", "related", "updated"}
)

var fields = map[string]field{
	"title":          {kinds: allKinds, required: Kinds, set: func(e *Entry, s string, _ []string) { e.Title = s }},
	"original_title": {kinds: guidanceOnly, set: func(e *Entry, s string, _ []string) { e.OriginalTitle = s }},
	"kind":           {kinds: allKinds, required: Kinds, vocab: KindVocab},
	"countries": {list: true, kinds: []Kind{Guidance, Finding, Country, Term, Milestone, Framework, TechList},
		required: []Kind{Guidance, Finding, Country, Framework, TechList}, check: checkCountry,
		set: func(e *Entry, _ string, l []string) { e.Countries = l }},
	"topics": {list: true, kinds: docLike, required: docLike, vocab: TopicVocab,
		set: func(e *Entry, _ string, l []string) { e.Topics = l }},
	"stages": {list: true, kinds: docLike, required: docLike, vocab: StageVocab, mayBeEmpty: true,
		set: func(e *Entry, _ string, l []string) { e.Stages = l }},
	"differentiates_stages": {kinds: docLike, check: checkBool,
		set: func(e *Entry, s string, _ []string) { e.DifferentiatesStages = s == "true" }},
	"phases": {list: true, kinds: docLike, required: docLike, vocab: PhaseVocab, mayBeEmpty: true,
		set: func(e *Entry, _ string, l []string) { e.Phases = l }},
	"themes": {list: true, kinds: docLike, vocab: ThemeVocab,
		set: func(e *Entry, _ string, l []string) { e.Themes = l }},
	"audiences": {list: true, kinds: guidanceOnly, required: guidanceOnly, vocab: AudienceVocab,
		set: func(e *Entry, _ string, l []string) { e.Audiences = l }},
	"type": {kinds: guidanceOnly, required: guidanceOnly, vocab: TypeVocab,
		set: func(e *Entry, s string, _ []string) { e.Type = s }},
	"issuer": {kinds: sourced, required: sourced,
		set: func(e *Entry, s string, _ []string) { e.Issuer = s }},
	"published": {kinds: sourced, check: checkDate,
		set: func(e *Entry, s string, _ []string) { e.Published = s }},
	"source_url": {kinds: guidanceOnly, check: checkURL,
		set: func(e *Entry, s string, _ []string) { e.SourceURL = s }},
	"source_status": {kinds: guidanceOnly, vocab: SourceStatusVocab,
		set: func(e *Entry, s string, _ []string) { e.SourceStatus = s }},
	"source_checked": {kinds: guidanceOnly, check: checkDay,
		set: func(e *Entry, s string, _ []string) { e.SourceChecked = s }},
	"archived_url": {kinds: guidanceOnly, check: checkURL,
		set: func(e *Entry, s string, _ []string) { e.ArchivedURL = s }},
	"language": {kinds: guidanceOnly, required: guidanceOnly, check: checkLanguage,
		set: func(e *Entry, s string, _ []string) { e.Language = s }},
	"last_verified": {kinds: sourced, required: sourced, check: checkDay,
		set: func(e *Entry, s string, _ []string) { e.LastVerified = s }},
	"summary": {kinds: withSummary, required: []Kind{Guidance, Country, Term, Framework, Concept, TechArea},
		set: func(e *Entry, s string, _ []string) { e.Summary = s }},
	"status": {kinds: guidanceOnly, vocab: StatusVocab,
		set: func(e *Entry, s string, _ []string) { e.Status = s }},
	"superseded_by": {kinds: guidanceOnly, check: checkID,
		set: func(e *Entry, s string, _ []string) { e.SupersededBy = s }},
	"question": {kinds: []Kind{Finding}, required: []Kind{Finding}, vocab: QuestionVocab,
		set: func(e *Entry, s string, _ []string) { e.Question = s }},
	"report_section": {kinds: []Kind{Finding}, required: []Kind{Finding},
		set: func(e *Entry, s string, _ []string) { e.ReportSection = s }},
	"report_page": {kinds: []Kind{Finding}, check: checkPages,
		set: func(e *Entry, s string, _ []string) { e.ReportPage = s }},
	"terms": {list: true, kinds: []Kind{Country}, required: []Kind{Country},
		set: func(e *Entry, _ string, l []string) { e.Terms = l }},
	"contact_point": {kinds: []Kind{Country}, check: checkURL,
		set: func(e *Entry, s string, _ []string) { e.ContactPoint = s }},
	"member_of": {list: true, kinds: []Kind{Country}, vocab: MemberVocab,
		set: func(e *Entry, _ string, l []string) { e.MemberOf = l }},
	"approach": {kinds: []Kind{Country}, decode: decodeApproach},
	"synonyms": {list: true, kinds: []Kind{Term},
		set: func(e *Entry, _ string, l []string) { e.Synonyms = l }},
	"false_friends": {kinds: []Kind{Term}, decode: func(e *Entry, n *yaml.Node, _ time.Time, add adder) { decodeFalseFriends(e, n, add) }},
	"date": {kinds: []Kind{Milestone}, required: []Kind{Milestone}, check: checkDate,
		set: func(e *Entry, s string, _ []string) { e.Date = s }},
	"source": {kinds: []Kind{Framework, TechList}, required: []Kind{Framework, TechList}, check: checkID,
		set: func(e *Entry, s string, _ []string) { e.Source = s }},
	"questions": {kinds: []Kind{Framework}, required: []Kind{Framework}, decode: decodeQuestions},
	"legal_effect": {kinds: []Kind{TechList}, required: []Kind{TechList}, vocab: LegalEffectVocab,
		set: func(e *Entry, s string, _ []string) { e.LegalEffect = s }},
	"export_control": {kinds: []Kind{TechList}, check: checkBool,
		set: func(e *Entry, s string, _ []string) { e.ExportControl = s == "true" }},
	"supersedes": {kinds: []Kind{TechList}, check: checkID,
		set: func(e *Entry, s string, _ []string) { e.Supersedes = s }},
	"categories":   {kinds: []Kind{TechList}, required: []Kind{TechList}, decode: decodeCategories},
	"applies_when": {kinds: guidanceOnly, decode: func(e *Entry, n *yaml.Node, _ time.Time, add adder) { decodeAppliesWhen(e, n, add) }},
	"notes":        {kinds: allKinds, multiline: true, set: func(e *Entry, s string, _ []string) { e.Notes = s }},
	"updated": {kinds: allKinds, check: checkDay,
		set: func(e *Entry, s string, _ []string) { e.Updated = s }},
	"related": {list: true, kinds: allKinds, check: checkID,
		set: func(e *Entry, _ string, l []string) { e.Related = l }},
}

var pagesRe = regexp.MustCompile(`^\d{1,3}(-\d{1,3})?$`)

func checkPages(v string, _ time.Time) string {
	if !pagesRe.MatchString(v) {
		return fmt.Sprintf("report_page %q must be a page number or range, e.g. 14 or 14-15", v)
	}
	return ""
}

func checkBool(v string, _ time.Time) string {
	if v != "true" && v != "false" {
		return fmt.Sprintf("%q must be true or false", v)
	}
	return ""
}

func checkCountry(v string, _ time.Time) string {
	if CountryName(v) != "" {
		return ""
	}
	if v == "uk" {
		return `unknown country "uk": the United Kingdom's code is "gb"`
	}
	return fmt.Sprintf("unknown country %q: use an ISO 3166-1 alpha-2 code in lower case, or eu, oecd, g7, int", v)
}

func checkDate(v string, now time.Time) string {
	if !dateRe.MatchString(v) {
		return fmt.Sprintf("date %q must be YYYY, YYYY-MM or YYYY-MM-DD", v)
	}
	layout := map[int]string{4: "2006", 7: "2006-01", 10: "2006-01-02"}[len(v)]
	t, err := time.Parse(layout, v)
	if err != nil {
		return fmt.Sprintf("date %q is not a real date", v)
	}
	// A date is in the future only once it has begun everywhere: "today" written east of UTC
	// is not rejected in the small hours.
	if t.After(now.Add(14 * time.Hour)) {
		return fmt.Sprintf("date %s is in the future", v)
	}
	return ""
}

func checkDay(v string, now time.Time) string {
	if !dayRe.MatchString(v) {
		return fmt.Sprintf("date %q must be YYYY-MM-DD", v)
	}
	return checkDate(v, now)
}

func checkURL(v string, _ time.Time) string {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(v, " \t") {
		return fmt.Sprintf("%q is not an absolute http(s) URL", v)
	}
	return ""
}

func checkLanguage(v string, _ time.Time) string {
	if LanguageName(v) == "" {
		return fmt.Sprintf("unknown language %q: use an ISO 639-1 code such as en, nl, de, fr", v)
	}
	return ""
}

func checkID(v string, _ time.Time) string {
	if !idRe.MatchString(v) {
		return fmt.Sprintf("%q is not an entry id (lower-case letters, digits and hyphens)", v)
	}
	return ""
}

// decodeFrontMatter fills e from the YAML front matter, whose first line is file line 2.
// Every problem is reported, not only the first.
func decodeFrontMatter(e *Entry, fm []byte, now time.Time) []Problem {
	const offset = 1 // YAML line 1 is file line 2
	var probs []Problem
	// The closing "---" line: YAML reports some errors past the end of its stream, and a
	// problem must always point at a line of the file.
	last := strings.Count(string(fm), "\n") + 2
	add := func(line int, format string, args ...any) {
		probs = append(probs, Problem{Path: e.Path, Line: max(1, min(line, last)), Message: fmt.Sprintf(format, args...)})
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(fm, &doc); err != nil {
		line, msg := yamlErrorLine(err)
		add(line+offset, "front matter: %s", msg)
		return probs
	}
	if len(doc.Content) == 0 {
		add(2, "front matter is empty: it needs at least title and kind")
		return probs
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		add(root.Line+offset, "front matter must be a list of key: value fields")
		return probs
	}
	e.lines = map[string]int{}
	e.items = map[string][]int{}
	values := map[string]*yaml.Node{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		line := k.Line + offset
		if k.Value == "url" {
			add(line, "url is now source_url: rename the field")
			continue
		}
		if _, ok := fields[k.Value]; !ok {
			add(line, "unknown field %q%s", k.Value, suggestField(k.Value))
			continue
		}
		if _, dup := values[k.Value]; dup {
			add(line, "field %q is given twice", k.Value)
			continue
		}
		values[k.Value] = v
		e.lines[k.Value] = line
	}

	kindNode := values["kind"]
	switch {
	case kindNode == nil:
		add(1, "missing required field \"kind\" (one of %s)", KindVocab.List())
		return probs
	case !KindVocab.Has(kindNode.Value):
		add(kindNode.Line+offset, "unknown kind %q: use one of %s", kindNode.Value, KindVocab.List())
		return probs
	}
	e.Kind = Kind(kindNode.Value)

	for _, name := range fieldsInOrder {
		f := fields[name]
		v, ok := values[name]
		if !ok {
			if contains(f.required, e.Kind) {
				add(1, "missing required field %q for a %s", name, e.Kind)
			}
			continue
		}
		line := e.lines[name]
		if f.kinds != nil && !contains(f.kinds, e.Kind) {
			add(line, "field %q does not belong in a %s", name, e.Kind)
			continue
		}
		if f.decode != nil {
			f.decode(e, v, now, add)
			continue
		}
		if f.set == nil && f.check == nil {
			continue
		}
		if f.list {
			items, ok := listValues(v)
			if !ok {
				add(line, "field %q must be a list, e.g. %s: [a, b]", name, name)
				continue
			}
			seen := map[string]bool{}
			var good []string
			for _, it := range items {
				iline := it.Line + offset
				val := strings.TrimSpace(it.Value)
				switch {
				case val == "":
					add(iline, "%s has an empty item", name)
				case controlChar(val, false) != "":
					add(iline, "%s item contains %s: remove it", name, controlChar(val, false))
				case seen[val]:
					add(iline, "%s lists %q twice", name, val)
				case f.vocab != nil && !f.vocab.Has(val):
					add(iline, "unknown %s %q: use one of %s", f.vocab.Name, val, f.vocab.List())
				case f.check != nil && f.check(val, now) != "":
					add(iline, "%s", f.check(val, now))
				default:
					good = append(good, val)
					e.items[name] = append(e.items[name], iline)
				}
				seen[val] = true
			}
			if len(items) == 0 && contains(f.required, e.Kind) && !f.mayBeEmpty {
				add(line, "field %q is empty", name)
			}
			f.set(e, "", good)
			continue
		}
		if v.Kind != yaml.ScalarNode {
			add(line, "field %q must be a single value, not a list or map", name)
			continue
		}
		val := strings.TrimSpace(v.Value)
		switch {
		case val == "" || v.Tag == "!!null":
			add(line, "field %q is empty", name)
		case controlChar(val, f.multiline) != "":
			add(line, "field %q contains %s: remove it (write the value on one line)", name, controlChar(val, f.multiline))
		case f.vocab != nil && !f.vocab.Has(val):
			add(line, "unknown %s %q: use one of %s", f.vocab.Name, val, f.vocab.List())
		case f.check != nil && f.check(val, now) != "":
			add(line, "%s", f.check(val, now))
		case f.set != nil:
			f.set(e, val, nil)
		}
	}
	return probs
}

// controlChar names the first control character in s, or returns "". Front-matter values
// are single lines of text: a line break, a lone carriage return or another control character
// would end a line or a field in the exports (RIS tags, CSV rows) and means nothing on a page.
func controlChar(s string, lineBreaks bool) string {
	for _, r := range s {
		if lineBreaks && r == '\n' {
			continue
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return fmt.Sprintf("the control character %U", r)
		}
	}
	return ""
}

// listValues returns the items of a YAML sequence of scalars.
func listValues(n *yaml.Node) ([]*yaml.Node, bool) {
	if n.Kind != yaml.SequenceNode {
		return nil, false
	}
	for _, it := range n.Content {
		if it.Kind != yaml.ScalarNode {
			return nil, false
		}
	}
	return n.Content, true
}

var yamlLineRe = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlParserProblems are the messages of yaml.v3's parser, as against its scanner. The parser
// reports a line counted from 0 (a line it left out is the first); the scanner counts from 1.
var yamlParserProblems = []string{
	"did not find expected ',' or ']'", "did not find expected ',' or '}'", "did not find expected '-' indicator",
	"did not find expected <document start>", "did not find expected key", "did not find expected node content",
	"found undefined tag handle", "found duplicate %TAG directive", "found duplicate %YAML directive",
	"found incompatible YAML document",
}

// yamlErrorLine pulls the line number, counted from 1, out of a yaml.v3 error message.
func yamlErrorLine(err error) (int, string) {
	msg := err.Error()
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		if slices.Contains(yamlParserProblems, m[2]) {
			n++
		}
		return n, m[2]
	}
	return 1, strings.TrimPrefix(msg, "yaml: ")
}

// suggestField names the known field closest to a misspelt key.
func suggestField(key string) string {
	best, bestDist := "", 3
	for name := range fields {
		if d := editDistance(key, name); d < bestDist || (d == bestDist && name < best) {
			best, bestDist = name, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

func contains[T comparable](s []T, v T) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
