package content

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// This file writes new content files: the front-matter skeleton of "atlas new" and the drafts
// of "atlas import". The comments it writes are generated from the field table and the
// vocabularies, so they cannot drift from what Load accepts.
//
// A placeholder is an empty value: "title:" or "topics: []". Load reports each required one
// left empty as `field "title" is empty` on the field's own line, under the comment that says
// what goes there. An empty value is used rather than a word such as TODO because a word would
// pass as a valid title, issuer or summary. Optional single-value fields are written commented
// out (an empty one would be an error); optional lists are written as [], which is valid.

// Folder returns the folder of content/ that holds entries of kind k, as docs/content.md gives
// it, or "" for an unknown kind.
func Folder(k Kind) string {
	return map[Kind]string{
		Guidance: "guidance", Finding: "findings", Country: "countries", Topic: "topics",
		Term: "glossary", Milestone: "timeline", Framework: "frameworks", Concept: "concepts",
		TechList: "technologies", TechArea: "technologies/areas",
	}[k]
}

// ParseKind returns the kind named s, or an error that lists the kinds.
func ParseKind(s string) (Kind, error) {
	if !KindVocab.Has(s) {
		return "", fmt.Errorf("unknown kind %q: use one of %s", s, KindVocab.List())
	}
	return Kind(s), nil
}

// CheckID returns an error when id is not a valid entry id.
func CheckID(id string) error {
	if msg := checkID(id, time.Time{}); msg != "" {
		if strings.HasSuffix(id, ".md") {
			msg += `: leave out ".md"`
		}
		return errors.New(msg)
	}
	return nil
}

// CheckValue returns the problem Load would report for one value of a front-matter field (one
// item, for a list field), or "" when the value is fine. now is the date future dates are
// measured against.
func CheckValue(name, value string, now time.Time) string {
	f, ok := fields[name]
	switch {
	case !ok:
		return fmt.Sprintf("unknown field %q", name)
	case strings.TrimSpace(value) == "":
		return fmt.Sprintf("field %q is empty", name)
	case f.vocab != nil && !f.vocab.Has(value):
		return fmt.Sprintf("unknown %s %q: use one of %s", f.vocab.Name, value, f.vocab.List())
	case f.check != nil:
		return f.check(value, now)
	}
	return ""
}

// FieldsOf returns the front-matter fields an entry of kind k may have: the required ones
// first, then the optional ones, each group in the order files write them.
func FieldsOf(k Kind) (required, optional []string) {
	for _, name := range fieldsInOrder {
		f := fields[name]
		switch {
		case f.kinds != nil && !contains(f.kinds, k):
		case contains(f.required, k):
			required = append(required, name)
		default:
			optional = append(optional, name)
		}
	}
	return required, optional
}

// A BodySection is a "##" section that docs/content.md gives the body of a kind, with a prompt
// saying what to write in it.
type BodySection struct {
	Heading string
	Prompt  string
}

// BodySections returns the sections of the body of kind k, in order; nil for the kinds whose
// body is free text (finding, term, milestone).
func BodySections(k Kind) []BodySection {
	switch k {
	case Guidance:
		return []BodySection{
			{"What it is", "TODO: what the document, portal, tool, law or programme is, who issued it and when. Say here when a date, issuer or URL could not be confirmed. 150–400 words in all, in your own words: facts carry over from the source, sentences do not."},
			{"Who it is for", "TODO: the readers it addresses."},
			{"What it asks", "TODO: what it asks of them or offers them."},
			{"What is distinctive", "TODO: what sets it apart from similar guidance."},
			{"How it relates", "TODO: how it relates to other entries, with links such as [its title](/docs/ID); list the same ids in related. A superseded item says what replaced it."},
		}
	case Country:
		return []BodySection{
			{"Term", "TODO: the term the country uses for the field, in the original language and in English, and what it covers."},
			{"Bodies in charge", "TODO: the ministries, agencies and councils that lead."},
			{"Contact point", "TODO: the national contact point, if there is one."},
			{"Approach", "TODO: guidance, law, screening or self-regulation, and how they fit together."},
			{"Stage of development", "TODO: how far along the approach is, as the workshop report describes it."},
			{"At the workshop", "TODO: what the country said at the 2023 workshop, with links to its findings."},
		}
	case Framework:
		return []BodySection{
			{"What it is", "TODO: the framework, who asks these questions and when."},
			{"How it is used", "TODO: who answers, at which step, and what follows from the answers."},
		}
	case TechList:
		return []BodySection{
			{"What it is", "TODO: the list, its issuer and edition, and what it is used for."},
			{"Legal effect", "TODO: what follows when research falls under a category."},
		}
	case Topic:
		return []BodySection{
			{"Guiding questions", "TODO: one ### heading per guiding question, ending with its slug in backticks, and what was said."},
			{"Main points", "TODO: the topic's main points."},
			{"Reading shared at the workshop", "TODO: the documents shared, as links to their entries."},
		}
	}
	return nil
}

// A Template is a content file not yet written: its kind, the field values already known and
// its body. Skeleton fills one from an id; atlas import fills one from a saved web page.
type Template struct {
	Kind   Kind
	Today  time.Time           // the date last_verified is set to and dates are checked against
	Header string              // a comment for the top of the front matter; "" for none
	Values map[string][]string // known values; a single-value field takes exactly one
	Notes  map[string]string   // a remark added to a field's comment, e.g. where its value came from
	Body   string              // the Markdown body; "" for the kind's standard body
}

// Skeleton returns a new content file for an entry of kind k with the given id: every field
// the kind may have, required ones first, each under a comment saying what goes there and
// listing the allowed values; last_verified set to today; and a body with the sections
// docs/content.md gives for the kind. Values the id implies by the naming conventions (the
// jurisdiction of "nl-…", the question of "f-nl-key-elements", the year of "m-2019-…") are
// filled in; every other required field is left empty, so that Load reports it as
// `field "…" is empty` until the organiser fills it in.
func Skeleton(k Kind, id string, today time.Time) ([]byte, error) {
	if _, err := ParseKind(string(k)); err != nil {
		return nil, err
	}
	if err := CheckID(id); err != nil {
		return nil, err
	}
	t := Template{
		Kind:   k,
		Today:  today,
		Header: fmt.Sprintf("New %s %q. Fill in every empty field: \"atlas check\" names each one left empty. These comments may stay or go.", k, id),
		Values: map[string][]string{},
		Notes:  map[string]string{},
	}
	fromID := func(name string, vals ...string) {
		t.Values[name] = vals
		t.Notes[name] = "Filled in from the id: check it."
	}
	parts := strings.Split(id, "-")
	switch k {
	case Guidance:
		if len(parts) > 1 && CountryName(parts[0]) != "" {
			fromID("countries", parts[0])
		}
	case Finding:
		// f-{jurisdiction}-{question}[-{n}]
		if len(parts) > 2 && parts[0] == "f" {
			if CountryName(parts[1]) != "" {
				fromID("countries", parts[1])
			}
			q := parts[2:]
			if _, err := strconv.Atoi(q[len(q)-1]); err == nil && len(q) > 1 {
				q = q[:len(q)-1]
			}
			if slug := strings.Join(q, "-"); QuestionVocab.Has(slug) {
				fromID("question", slug)
				if topic := QuestionTopic[slug]; topic != "" {
					fromID("topics", topic)
				}
			}
		}
	case Country:
		if name := CountryName(id); name != "" {
			fromID("title", name)
			fromID("countries", id)
		}
	case Topic:
		if TopicVocab.Has(id) {
			fromID("title", TopicVocab.Label(id))
		}
	case Milestone:
		// m-{year}-{slug}
		if len(parts) > 2 && parts[0] == "m" && len(parts[1]) == 4 && checkDate(parts[1], endOfDay(today)) == "" {
			fromID("date", parts[1])
			t.Notes["date"] = "Filled in with the year of the id: give the month and day when known."
		}
	}
	t.Body = standardBody(k, id, t.Values)
	return t.Render()
}

// Render returns the file: front matter with a comment above every field, then the body.
// It fails when a value is given for a field the kind does not have, or is not one Load
// accepts.
func (t Template) Render() ([]byte, error) {
	if _, err := ParseKind(string(t.Kind)); err != nil {
		return nil, err
	}
	required, optional := FieldsOf(t.Kind)
	values := map[string][]string{"kind": {string(t.Kind)}}
	if contains(required, "last_verified") && !t.Today.IsZero() {
		values["last_verified"] = []string{t.Today.Format("2006-01-02")}
	}
	now := endOfDay(t.Today)
	for name, vals := range t.Values {
		f, ok := fields[name]
		if !ok || (f.kinds != nil && !contains(f.kinds, t.Kind)) {
			return nil, fmt.Errorf("field %q does not belong in a %s", name, t.Kind)
		}
		if !f.list && len(vals) > 1 {
			return nil, fmt.Errorf("field %q takes one value, not %d", name, len(vals))
		}
		for _, v := range vals {
			if msg := CheckValue(name, v, now); msg != "" {
				return nil, fmt.Errorf("field %q: %s", name, msg)
			}
		}
		if len(vals) > 0 {
			values[name] = vals
		}
	}

	var b strings.Builder
	b.WriteString("---\n")
	if t.Header != "" {
		writeComment(&b, t.Header)
		b.WriteString("\n")
	}
	for i, name := range required {
		if i > 0 {
			b.WriteString("\n")
		}
		writeComment(&b, "Required. "+fieldHelp(name, t.Kind)+note(t.Notes[name]))
		writeField(&b, name, values[name], false)
	}
	if len(optional) > 0 {
		b.WriteString("\n")
		writeComment(&b, "Optional fields. A commented-out one (#) is left out: uncomment it when you have a confirmed value.")
	}
	for _, name := range optional {
		b.WriteString("\n")
		writeComment(&b, "Optional. "+fieldHelp(name, t.Kind)+note(t.Notes[name]))
		if name == "approach" {
			writeApproach(&b, t.Today)
			continue
		}
		writeField(&b, name, values[name], true)
	}
	b.WriteString("---\n\n")
	body := t.Body
	if body == "" {
		body = standardBody(t.Kind, "", values)
	}
	b.WriteString(strings.TrimSpace(body))
	b.WriteString("\n")
	return []byte(b.String()), nil
}

func note(s string) string {
	if s == "" {
		return ""
	}
	return "\n" + s
}

// endOfDay is the last moment of t's calendar day, as the date checks see it: they parse a
// date as midnight UTC and compare it with now.
func endOfDay(t time.Time) time.Time {
	if t.IsZero() {
		t = time.Now()
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 23, 59, 59, 0, time.UTC)
}

// writeField writes one "name: value" line. An optional single-value field without a value is
// written commented out, because an empty one is an error.
func writeField(b *strings.Builder, name string, vals []string, optional bool) {
	if fields[name].list {
		quoted := make([]string, len(vals))
		for i, v := range vals {
			quoted[i] = yamlScalar(v, true)
		}
		fmt.Fprintf(b, "%s: [%s]\n", name, strings.Join(quoted, ", "))
		return
	}
	switch {
	case len(vals) == 1:
		fmt.Fprintf(b, "%s: %s\n", name, yamlScalar(vals[0], false))
	case optional:
		fmt.Fprintf(b, "# %s:\n", name)
	default:
		fmt.Fprintf(b, "%s:\n", name)
	}
}

// writeApproach writes every approach dimension as unknown, looked for on the day the file is
// written, so that each stands out until it is answered.
func writeApproach(b *strings.Builder, today time.Time) {
	b.WriteString("approach:\n")
	for _, d := range Dimensions {
		fmt.Fprintf(b, "  %s: {value: %s, checked: %s}\n", d.ID, Unknown, endOfDay(today).Format("2006-01-02"))
	}
}

// writeComment writes text as YAML comment lines of at most about 100 columns, one paragraph
// per line of text. A paragraph that starts with spaces keeps them, for indented lists, and
// its continuation lines hang two spaces further in.
func writeComment(b *strings.Builder, text string) {
	const width = 98
	for _, para := range strings.Split(text, "\n") {
		indent := para[:len(para)-len(strings.TrimLeft(para, " "))]
		line := ""
		for _, w := range strings.Fields(cleanText(para)) {
			if line != "" && len(indent)+len(line)+1+len(w) > width {
				b.WriteString("# " + indent + line + "\n")
				if indent != "" {
					indent = strings.Repeat(" ", len(indent)+2)
				}
				line = ""
			}
			if line != "" {
				line += " "
			}
			line += w
		}
		b.WriteString("# " + indent + line + "\n")
	}
}

// cleanText turns any character YAML or a comment line cannot hold into a space.
func cleanText(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\ufeff' || r == utf8.RuneError ||
			r == '\ufffe' || r == '\uffff' {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, " "))
}

// fieldHelp says what goes in a field of kind k. The allowed values of controlled fields come
// from their vocabularies.
func fieldHelp(name string, k Kind) string {
	f := fields[name]
	oneOf := func() string {
		if f.list {
			return "One or more of: " + f.vocab.List() + "."
		}
		return "One of: " + f.vocab.List() + "."
	}
	switch name {
	case "title":
		return map[Kind]string{
			Guidance:  "The title of the document, portal, tool, law or programme, as its issuer gives it.",
			Finding:   `The jurisdiction and what it said, in a few words ("Country: what it said").`,
			Country:   "The jurisdiction's name in English.",
			Topic:     "The workshop topic's name.",
			Term:      "The term, as it is written in running text.",
			Milestone: "What happened, in a few words.",
			Framework: "The framework's name, as its issuer gives it.",
			Concept:   "The shared concept, in a few words.",
			TechList:  "The list's name, as its issuer gives it.",
			TechArea:  "The technology area's name.",
		}[k]
	case "kind":
		return "The kind of entry; the loader reads this field, not the folder. " + oneOf()
	case "countries":
		codes := fmt.Sprintf("Jurisdiction codes: ISO 3166-1 alpha-2 in lower case (nl, gb, us, …) or %s. The United Kingdom is gb, not uk.",
			strings.Join(SortCountries(keys(bodies)), ", "))
		return map[Kind]string{
			Guidance:  "The jurisdictions the item belongs to. ",
			Finding:   "The country or organisation that said it. ",
			Country:   "Exactly one: the jurisdiction this profile covers. ",
			Term:      "The jurisdictions that use the term. ",
			Milestone: "The jurisdictions it concerns. ",
		}[k] + codes
	case "issuer":
		return "The body that published it, spelt out (an acronym may follow in brackets)."
	case "type":
		return "What it is. " + oneOf()
	case "topics":
		s := "The workshop topics it bears on. " + oneOf()
		if k == Finding {
			s += " Must include the topic of question."
		}
		return s
	case "question":
		var b strings.Builder
		b.WriteString("The guiding question it answers. One of these slugs (topic in brackets):")
		for _, q := range QuestionVocab.Values() {
			topic := QuestionTopic[q]
			if topic == "" {
				topic = "any"
			}
			fmt.Fprintf(&b, "\n  %s (%s): %s", q, topic, QuestionVocab.Label(q))
		}
		return b.String()
	case "themes":
		return "The themes it treats. " + oneOf()
	case "stages":
		return "Only the research stages it says something specific about; [] when it applies the same to all research. " + oneOf()
	case "phases":
		return "Only the phases of research it gives specific advice for; [] when none. " + oneOf()
	case "audiences":
		return "Who it is written for. " + oneOf()
	case "published":
		return "When it was published: YYYY, YYYY-MM or YYYY-MM-DD. Leave it out when it cannot be confirmed, and say so in the body."
	case "date":
		return "When it happened: YYYY, YYYY-MM or YYYY-MM-DD."
	case "language":
		return "The ISO 639-1 code of the original's language: en, nl, de, fr, sv, no, nb, da, fi, ja, es, it, cs, ko, zh, …"
	case "last_verified":
		return "The day its facts were last checked, YYYY-MM-DD."
	case "summary":
		return map[Kind]string{
			Guidance:  "One or two sentences on what it is and asks, in your own words.",
			Country:   "One sentence on the jurisdiction's approach.",
			Term:      "A one-sentence definition.",
			Topic:     "One sentence on what the topic covers.",
			Framework: "One sentence on what the framework asks and of whom.",
			Concept:   "One sentence on what the concept covers.",
			TechList:  "One sentence on what the list is for.",
			TechArea:  "One sentence on what the area covers.",
		}[k]
	case "status":
		return "One of: " + f.vocab.List() + ". Leave it out while the item is active (the default)."
	case "superseded_by":
		return "The id of the entry that replaced it; only with status: superseded."
	case "terms":
		return "The national term(s) for the field, in English and in the original language, e.g. [knowledge security, kennisveiligheid]."
	case "contact_point":
		return "The https:// address of the national contact point, if there is one."
	case "synonyms":
		return "Other words search should treat as the same: translations, spellings, national names."
	case "related":
		return "Ids of other entries, e.g. [nl, conceptualisation]. Link them from the body too, as /docs/{id}."
	case "updated":
		return "The day the entry was added or last changed in substance, YYYY-MM-DD."
	case "original_title":
		return "The title in the document's own language, when it is not English."
	case "differentiates_stages":
		return "true when the document treats research stages differently (exempts fundamental research, covers only applied work, lighter checks for basic research)."
	case "archived_url":
		return "A web-archive copy of the source, shown when the source is dead."
	case "approach":
		return "One cell per dimension of the national approach: value (or text), a sentence, sources and as_of, or value: unknown with checked. See docs/content.md for the dimensions and their values."
	case "applies_when":
		return "The cases the entry concerns, for the case helper (/case): a list of conditions, each with activities, partners, funders, technologies, stages, reach, as and why. See docs/content.md."
	case "notes":
		return "Curator caveats: what could not be confirmed and what was looked for. Shown apart from the body."
	case "source_url":
		return "The canonical https:// address of the document, the PDF where there is one. Leave it out when it cannot be confirmed and give source_status instead."
	case "source_status":
		return "Only without source_url. One of: " + f.vocab.List() + "."
	case "source_checked":
		return "The day the source address was looked for or opened, YYYY-MM-DD."
	case "report_section":
		return `Where in the workshop report the statement is, e.g. Topic 2, "Harmful end uses".`
	}
	// A field without its own line above: say what the table says of it.
	if f.vocab != nil {
		return oneOf()
	}
	if f.list {
		return fmt.Sprintf("A list, e.g. %s: [a, b]; see docs/content.md.", name)
	}
	return "See docs/content.md."
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// standardBody is the body skeleton of a kind: its sections with prompts, or a prompt for the
// kinds whose body is free text.
func standardBody(k Kind, id string, values map[string][]string) string {
	var b strings.Builder
	for _, s := range BodySections(k) {
		if k == Topic && s.Heading == "Guiding questions" && TopicVocab.Has(id) {
			// The questions of a known topic are in the vocabulary: write their headings.
			fmt.Fprintf(&b, "## %s\n", s.Heading)
			for _, q := range QuestionVocab.Values() {
				if QuestionTopic[q] == id {
					fmt.Fprintf(&b, "\n### %s (`%s`)\nTODO: what was said.\n", QuestionVocab.Label(q), q)
				}
			}
			b.WriteString("\n")
			continue
		}
		fmt.Fprintf(&b, "## %s\n%s\n\n", s.Heading, s.Prompt)
	}
	switch k {
	case Finding:
		topic := "N"
		if q := values["question"]; len(q) == 1 && QuestionTopic[q[0]] != "" {
			topic = strconv.Itoa(TopicVocab.Order(QuestionTopic[q[0]]) + 1)
		}
		b.WriteString("TODO: what the country or organisation said at the workshop, in 60–200 words, attributed to it and never to a person (the workshop ran under the Chatham House Rule).\n\n")
		fmt.Fprintf(&b, "Source: report of the 7th MLD workshop on research security (7 December 2023), topic %s, \"TODO: the section's title\".\n", topic)
	case Term:
		b.WriteString("TODO: what the term covers, who uses it and where it comes from, in 50–200 words, with links to the entries that use it.\n")
	case Milestone:
		b.WriteString("TODO: one short paragraph on what happened and why it matters, linking to its entry as [its title](/docs/ID).\n")
	case Concept:
		b.WriteString("TODO: what the concept covers and which frameworks ask about it, in 30–150 words.\n")
	case TechArea:
		b.WriteString("TODO: what the area covers, in 30–150 words.\n")
	}
	return b.String()
}

// yamlScalar returns s as a YAML scalar that reads back as exactly s: plain when it can be,
// double-quoted otherwise. inFlow is for an item of a [a, b] list, where commas and brackets
// end a plain scalar.
func yamlScalar(s string, inFlow bool) string {
	s = cleanText(s)
	if plainReadsBack(s, inFlow) {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// plainReadsBack reports whether s, written unquoted, is read by YAML as the string s.
// Load reads a scalar's text whatever its tag, so only null must be avoided.
func plainReadsBack(s string, inFlow bool) bool {
	if s == "" || strings.TrimSpace(s) != s {
		return false
	}
	doc := "k: " + s
	if inFlow {
		doc = "k: [" + s + "]"
	}
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(doc), &n); err != nil || len(n.Content) != 1 || len(n.Content[0].Content) != 2 {
		return false
	}
	v := n.Content[0].Content[1]
	if inFlow {
		if v.Kind != yaml.SequenceNode || len(v.Content) != 1 {
			return false
		}
		v = v.Content[0]
	}
	return v.Kind == yaml.ScalarNode && v.Style == 0 && v.Tag != "!!null" && v.Value == s &&
		v.LineComment == "" && v.FootComment == ""
}
