package content

import (
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// This file decodes the front-matter fields that hold structure rather than a value or a list:
// a country profile's approach cells, a framework's questions and a technology list's
// categories. Each is checked key by key so that every problem points at its own line.

// Dimension is one aspect of a national approach that profiles answer side by side.
type Dimension struct {
	ID       string
	Label    string
	Question string
	Values   *Vocabulary // nil for free-text dimensions
}

// Dimensions are the approach dimensions of the product contract, in display order.
var Dimensions = []Dimension{
	{"term", "Term", "What is the field called?", nil},
	{"lead-bodies", "Lead bodies", "Who leads it (ministries, agencies)?", nil},
	{"legal-basis", "Legal basis", "What is the most binding instrument specific to research security?",
		newVocabulary("legal-basis", "law", "Law", "binding-policy", "Binding policy", "guidance", "Guidance only", "none", "None")},
	{"national-guidelines", "National guidelines", "Are there national research-security guidelines?",
		newVocabulary("national-guidelines", "published", "Published", "in-preparation", "In preparation", "none", "None")},
	{"advice-service", "Advice service", "Is there a national advice service or contact point?",
		newVocabulary("advice-service", "yes", "Yes", "planned", "Planned", "no", "No")},
	{"country-approach", "Country focus", "Are measures country-agnostic or aimed at named countries?",
		newVocabulary("country-approach", "country-agnostic", "Country-agnostic", "country-specific", "Country-specific", "mixed", "Mixed")},
	{"partnership-assessment", "Partnership assessment", "Must research partnerships be risk-assessed?",
		newVocabulary("partnership-assessment", "required-by-law", "Required by law", "required-by-funders", "Required by funders",
			"recommended", "Recommended", "none", "None")},
	{"personnel-screening", "Personnel screening", "Are researchers or students screened for sensitive fields?",
		newVocabulary("personnel-screening", "law", "By law", "bill", "Bill proposed", "none", "None")},
	{"technology-list", "Technology list", "Is there a list of sensitive or critical technology areas that research is told to check its work against? Export-control and investment-screening lists alone count as no.",
		newVocabulary("technology-list", "yes", "Yes", "no", "No")},
	{"entity-list", "Entity list", "Is there a list of named organisations of concern for research?",
		newVocabulary("entity-list", "yes", "Yes", "no", "No")},
	{"disclosure", "Disclosure", "Must researchers disclose foreign affiliations, funding or appointments?",
		newVocabulary("disclosure", "required", "Required", "recommended", "Recommended", "none", "None")},
	{"talent-programmes", "Talent programmes", "How are foreign talent-recruitment programmes treated?",
		newVocabulary("talent-programmes", "prohibited", "Prohibited", "disclosure", "Must be disclosed", "none", "No rule")},
	{"stage-differentiation", "Basic vs applied", "Are basic and applied research treated differently?",
		newVocabulary("stage-differentiation", "explicit", "Explicitly", "implicit", "Implicitly", "none", "No")},
	{"training", "Training", "Is research-security training offered or required?",
		newVocabulary("training", "mandatory", "Mandatory", "offered", "Offered", "none", "None")},
	{"export-control-guidance", "Export-control guidance", "Is there export-control guidance for academia?",
		newVocabulary("export-control-guidance", "yes", "Yes", "no", "No")},
	{"investment-screening-research", "Investment screening", "Does investment screening cover universities or research?",
		newVocabulary("investment-screening-research", "yes", "Yes", "no", "No")},
	{"institutional-duties", "Institutional duties", "Must institutions appoint officers or adopt policies?",
		newVocabulary("institutional-duties", "required", "Required", "recommended", "Recommended", "none", "None")},
}

// dimensionThemes ties each dimension to the themes it bears on, so that a comparison focused
// on a theme shows the dimensions that matter to it. Stage-sensitive dimensions are those
// where the research stage changes the answer.
var dimensionThemes = map[string][]string{
	"legal-basis":                   {"governance"},
	"national-guidelines":           {"governance", "due-diligence", "risk-assessment"},
	"advice-service":                {"contact-points"},
	"country-approach":              {"due-diligence", "risk-assessment", "international-cooperation"},
	"partnership-assessment":        {"due-diligence", "risk-assessment", "international-cooperation"},
	"personnel-screening":           {"talent-programmes", "sensitive-technology"},
	"technology-list":               {"sensitive-technology", "export-control", "economic-security", "dual-use"},
	"entity-list":                   {"entity-lists", "due-diligence"},
	"disclosure":                    {"transparency-disclosure", "research-integrity", "talent-programmes"},
	"talent-programmes":             {"talent-programmes", "transparency-disclosure"},
	"stage-differentiation":         {"open-science", "dual-use"},
	"training":                      {"training-outreach"},
	"export-control-guidance":       {"export-control", "dual-use"},
	"investment-screening-research": {"economic-security"},
	"institutional-duties":          {"governance"},
}

var stageSensitive = []string{"stage-differentiation", "export-control-guidance", "technology-list",
	"personnel-screening", "partnership-assessment"}

// Concerns reports whether the dimension belongs in a comparison focused on theme and stage
// ("" for no focus). The free-text dimensions always do: they say whom the row is about.
func (d *Dimension) Concerns(theme, stage string) bool {
	if d.Values == nil {
		return true
	}
	if theme != "" && !contains(dimensionThemes[d.ID], theme) {
		return false
	}
	return stage == "" || contains(stageSensitive, d.ID)
}

// Mark is a shape for a value that does not rely on colour: the dimension's first value
// filled, the last (none, no) empty, those between half filled, unknown a question mark.
func (d *Dimension) Mark(value string) (symbol string, level int) {
	if d.Values == nil || value == "" {
		return "", 0
	}
	if value == Unknown {
		return "?", 0
	}
	n, i := len(d.Values.values), d.Values.Order(value)
	switch {
	case i == 0:
		return "●", 3
	case i == n-1:
		return "○", 1
	case i == 2:
		return "◔", 2 // the third of four: weaker than the second
	}
	return "◐", 2
}

// Unknown is the value of an approach cell that could not be confirmed.
const Unknown = "unknown"

// DimensionByID returns the dimension with id, or nil.
func DimensionByID(id string) *Dimension {
	for i := range Dimensions {
		if Dimensions[i].ID == id {
			return &Dimensions[i]
		}
	}
	return nil
}

// Cell is one jurisdiction's answer on one dimension.
type Cell struct {
	Value   string   // one of the dimension's values, Unknown, or "" for a free-text dimension
	Text    string   // a sentence on what the value rests on; the answer itself for free text
	Sources []string // ids of the entries that support it
	AsOf    string   // the date the value describes
	Checked string   // with Unknown: the day it was looked for

	line        int
	checkedLine int
	sourceLines []int
}

// Known reports whether the cell has a confirmed answer.
func (c Cell) Known() bool { return c.Value != Unknown }

// Label is the human label of the cell's value, or its text for a free-text dimension.
func (c Cell) Label(d *Dimension) string {
	switch {
	case c.Value == Unknown:
		return "Unknown"
	case d.Values == nil:
		return c.Text
	}
	return d.Values.Label(c.Value)
}

// Question is one question or check a framework asks.
type Question struct {
	ID       string
	Text     string // in the Atlas's own words, in English
	Original string // the source's wording, only where the source publishes it
	Lang     string // the language of Original
	Concept  string // the id of the shared concept it asks about
	Source   string // the entry it comes from; the framework's source when not given

	line, conceptLine, sourceLine int
}

// TechCategory is one top-level category of a technology list.
type TechCategory struct {
	ID    string
	Label string
	Sub   []string
	Areas []AreaMapping

	line int
}

// AreaMapping says how a list's category relates to one neutral technology area.
type AreaMapping struct {
	Area     string
	Relation string // the category is exact, close, broad (broader), narrow (narrower) or related to the area
	Note     string

	line int
}

// adder reports a problem at a file line.
type adder func(line int, format string, args ...any)

// mapKeys returns the keys of a YAML mapping with their value nodes, reporting keys not in
// allowed and keys given twice. what names the mapping in messages.
func mapKeys(n *yaml.Node, what string, allowed []string, add adder) (map[string]*yaml.Node, bool) {
	if n.Kind != yaml.MappingNode {
		add(n.Line+1, "%s must be a map of key: value fields", what)
		return nil, false
	}
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case !contains(allowed, k.Value):
			add(k.Line+1, "%s: unknown key %q (use %s)", what, k.Value, strings.Join(allowed, ", "))
		case out[k.Value] != nil:
			add(k.Line+1, "%s: key %q is given twice", what, k.Value)
		default:
			out[k.Value] = v
		}
	}
	return out, true
}

// scalar returns the trimmed value of a scalar node, reporting any other node.
func scalar(n *yaml.Node, what string, add adder) string {
	if n == nil {
		return ""
	}
	if n.Kind != yaml.ScalarNode {
		add(n.Line+1, "%s must be a single value", what)
		return ""
	}
	return strings.TrimSpace(n.Value)
}

// idList returns the items of a list of entry ids with their lines.
func idList(n *yaml.Node, what string, add adder) ([]string, []int) {
	if n == nil {
		return nil, nil
	}
	items, ok := listValues(n)
	if !ok {
		add(n.Line+1, "%s must be a list, e.g. [an-entry-id]", what)
		return nil, nil
	}
	var ids []string
	var lines []int
	for _, it := range items {
		v := strings.TrimSpace(it.Value)
		if msg := checkID(v, time.Time{}); msg != "" {
			add(it.Line+1, "%s: %s", what, msg)
			continue
		}
		ids = append(ids, v)
		lines = append(lines, it.Line+1)
	}
	return ids, lines
}

// decodeApproach reads a country profile's approach cells.
func decodeApproach(e *Entry, n *yaml.Node, now time.Time, add adder) {
	if n.Kind != yaml.MappingNode {
		add(n.Line+1, "approach must be a map from dimension to cell, e.g. legal-basis: {value: guidance, …}")
		return
	}
	e.Approach = map[string]Cell{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		d := DimensionByID(k.Value)
		if d == nil {
			add(k.Line+1, "unknown approach dimension %q: use one of %s", k.Value, dimensionList())
			continue
		}
		if _, dup := e.Approach[d.ID]; dup {
			add(k.Line+1, "approach dimension %q is given twice", d.ID)
			continue
		}
		what := "approach " + d.ID
		m, ok := mapKeys(v, what, []string{"value", "text", "sources", "as_of", "checked"}, add)
		if !ok {
			continue
		}
		c := Cell{line: k.Line + 1}
		c.Value = scalar(m["value"], what+" value", add)
		c.Text = scalar(m["text"], what+" text", add)
		c.Sources, c.sourceLines = idList(m["sources"], what+" sources", add)
		c.AsOf = scalar(m["as_of"], what+" as_of", add)
		c.Checked = scalar(m["checked"], what+" checked", add)
		line := func(key string) int {
			if m[key] != nil {
				return m[key].Line + 1
			}
			return c.line
		}
		c.checkedLine = line("checked")
		switch {
		case c.Value == Unknown:
			if c.Checked == "" {
				add(c.line, "%s is unknown: add checked: YYYY-MM-DD, the day it was looked for", what)
			} else if msg := checkDay(c.Checked, now); msg != "" {
				add(line("checked"), "%s checked: %s", what, msg)
			}
		case d.Values == nil && c.Value != "":
			add(line("value"), "%s is free text: write it as text, not value", what)
		case d.Values == nil && c.Text == "":
			add(c.line, "%s needs text (or value: unknown with checked)", what)
		case d.Values != nil && c.Value == "":
			add(c.line, "%s needs a value: one of %s, or unknown", what, d.Values.List())
		case d.Values != nil && !d.Values.Has(c.Value):
			add(line("value"), "%s: value %q is not one of %s, unknown", what, c.Value, d.Values.List())
		}
		if c.Known() && !(d.Values != nil && c.Value == "") {
			if len(c.Sources) == 0 {
				add(c.line, "%s has a value but no sources: cite the entry it rests on, or make it unknown", what)
			}
			if c.AsOf == "" {
				add(c.line, "%s needs as_of: the date (YYYY-MM) the value describes", what)
			} else if msg := checkDate(c.AsOf, now); msg != "" {
				add(line("as_of"), "%s as_of: %s", what, msg)
			}
		}
		e.Approach[d.ID] = c
	}
}

func dimensionList() string {
	ids := make([]string, len(Dimensions))
	for i, d := range Dimensions {
		ids[i] = d.ID
	}
	return strings.Join(ids, ", ")
}

// checkItemID checks the id of one item of a list of maps (a question, a category): present,
// well formed and not used twice in the file.
func checkItemID(item, file, id string, line int, node *yaml.Node, seen map[string]bool, add adder) {
	switch {
	case id == "":
		add(line, "a %s needs an id (lower-case letters, digits and hyphens)", item)
	case checkID(id, time.Time{}) != "":
		add(node.Line+1, "%s id: %s", item, checkID(id, time.Time{}))
	case seen[id]:
		add(node.Line+1, "%s id %q is used twice in this %s", item, id, file)
	}
	seen[id] = true
}

// decodeQuestions reads a framework's questions.
func decodeQuestions(e *Entry, n *yaml.Node, now time.Time, add adder) {
	if n.Kind != yaml.SequenceNode {
		add(n.Line+1, "questions must be a list of maps, each with id, text and concept")
		return
	}
	seen := map[string]bool{}
	for _, it := range n.Content {
		m, ok := mapKeys(it, "question", []string{"id", "text", "original", "lang", "concept", "source"}, add)
		if !ok {
			continue
		}
		q := Question{line: it.Line + 1}
		q.ID = scalar(m["id"], "question id", add)
		q.Text = scalar(m["text"], "question text", add)
		q.Original = scalar(m["original"], "question original", add)
		q.Lang = scalar(m["lang"], "question lang", add)
		q.Concept = scalar(m["concept"], "question concept", add)
		q.Source = scalar(m["source"], "question source", add)
		what := fmt.Sprintf("question %q", q.ID)
		checkItemID("question", "framework", q.ID, q.line, m["id"], seen, add)
		if q.Text == "" {
			add(q.line, "%s needs text: the question in your own words", what)
		}
		if q.Concept == "" {
			add(q.line, "%s needs a concept: the id of a concept entry", what)
		} else {
			q.conceptLine = m["concept"].Line + 1
		}
		if q.Original != "" && q.Lang == "" {
			add(m["original"].Line+1, "%s has original wording: give its lang", what)
		}
		if q.Lang != "" {
			if msg := checkLanguage(q.Lang, now); msg != "" {
				add(m["lang"].Line+1, "%s: %s", what, msg)
			}
		}
		if q.Source != "" {
			q.sourceLine = m["source"].Line + 1
		}
		e.Questions = append(e.Questions, q)
	}
	if len(n.Content) == 0 {
		add(n.Line+1, "questions is empty")
	}
}

// decodeCategories reads a technology list's categories and their mappings to areas.
func decodeCategories(e *Entry, n *yaml.Node, now time.Time, add adder) {
	if n.Kind != yaml.SequenceNode {
		add(n.Line+1, "categories must be a list of maps, each with id and label")
		return
	}
	seen := map[string]bool{}
	for _, it := range n.Content {
		m, ok := mapKeys(it, "category", []string{"id", "label", "sub", "areas"}, add)
		if !ok {
			continue
		}
		c := TechCategory{line: it.Line + 1}
		c.ID = scalar(m["id"], "category id", add)
		c.Label = scalar(m["label"], "category label", add)
		checkItemID("category", "list", c.ID, c.line, m["id"], seen, add)
		if c.Label == "" {
			add(c.line, "category %q needs a label: its name as the source gives it", c.ID)
		}
		if s := m["sub"]; s != nil {
			items, ok := listValues(s)
			if !ok {
				add(s.Line+1, "category %q: sub must be a list of names", c.ID)
			}
			for _, x := range items {
				if v := strings.TrimSpace(x.Value); v != "" {
					c.Sub = append(c.Sub, v)
				}
			}
		}
		if a := m["areas"]; a != nil {
			if a.Kind != yaml.SequenceNode {
				add(a.Line+1, "category %q: areas must be a list of {area, relation, note}", c.ID)
			} else {
				for _, mi := range a.Content {
					mm, ok := mapKeys(mi, "mapping", []string{"area", "relation", "note"}, add)
					if !ok {
						continue
					}
					am := AreaMapping{line: mi.Line + 1}
					am.Area = scalar(mm["area"], "mapping area", add)
					am.Relation = scalar(mm["relation"], "mapping relation", add)
					am.Note = scalar(mm["note"], "mapping note", add)
					switch {
					case am.Area == "":
						add(am.line, "category %q: a mapping needs an area id", c.ID)
					case !RelationVocab.Has(am.Relation):
						add(am.line, "category %q: relation %q is not one of %s", c.ID, am.Relation, RelationVocab.List())
					case am.Note == "":
						add(am.line, "category %q: the mapping to %q needs a note: one line saying why", c.ID, am.Area)
					case e.ExportControl && am.Relation != "related":
						add(am.line, "category %q: an export-control list maps only as related (check the control list itself)", c.ID)
					}
					c.Areas = append(c.Areas, am)
				}
			}
		}
		e.Categories = append(e.Categories, c)
	}
	if len(n.Content) == 0 {
		add(n.Line+1, "categories is empty")
	}
}

// decodeFalseFriends reads a glossary term's false friends: phrase and means, and see when the
// corpus has an entry for the thing the phrase names.
func decodeFalseFriends(e *Entry, n *yaml.Node, add adder) {
	if n.Kind != yaml.SequenceNode {
		add(n.Line+1, "false_friends must be a list of maps, each with phrase and means")
		return
	}
	for _, it := range n.Content {
		m, ok := mapKeys(it, "false friend", []string{"phrase", "means", "see"}, add)
		if !ok {
			continue
		}
		f := FalseFriend{line: it.Line + 1}
		f.Phrase = strings.TrimSpace(scalar(m["phrase"], "false friend phrase", add))
		f.Means = strings.TrimSpace(scalar(m["means"], "false friend means", add))
		f.See = strings.TrimSpace(scalar(m["see"], "false friend see", add))
		if f.Phrase == "" {
			add(f.line, "a false friend needs a phrase: the look-alike as people type it")
		}
		if f.Means == "" {
			add(f.line, "false friend %q needs means: what it means instead", f.Phrase)
		}
		e.FalseFriends = append(e.FalseFriends, f)
	}
}
