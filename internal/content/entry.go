package content

import (
	"html/template"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Entry is one content file: its front matter, its rendered body and the text that is indexed.
type Entry struct {
	ID   string // file name without .md; unique across the corpus
	Path string // path relative to the content root, with forward slashes

	Title         string
	Kind          Kind
	Countries     []string
	Topics        []string
	Stages        []string
	Phases        []string
	Audiences     []string
	Themes        []string
	Type          string
	Issuer        string
	Published     string
	SourceURL     string // the canonical address of the document
	SourceStatus  string // with no SourceURL: unconfirmed or no-public-copy
	SourceChecked string // the day the source address was looked for or opened
	ArchivedURL   string
	OriginalTitle string
	Notes         string // curator caveats: shown apart from the body, never searched as body text
	Language      string
	LastVerified  string
	Summary       string
	Status        string
	SupersededBy  string
	Question      string
	Terms         []string
	ContactPoint  string
	Synonyms      []string
	FalseFriends  []FalseFriend // a glossary term's look-alikes that mean something else
	Date          string
	Related       []string
	Updated       string // the day the entry was added or last changed in substance

	DifferentiatesStages bool   // the document treats research stages differently
	ReportSection        string // finding: where in the workshop report it is
	ReportPage           string
	MemberOf             []string        // country: the bodies whose rules reach it
	Approach             map[string]Cell // country: its answer on each approach dimension
	Source               string          // framework, techlist: the guidance entry it comes from
	Questions            []Question      // framework
	LegalEffect          string          // techlist
	ExportControl        bool            // techlist: an export-control list of items
	Supersedes           string          // techlist: the older edition
	Categories           []TechCategory  // techlist
	AppliesWhen          []Condition     // guidance: the cases it concerns, for the case helper

	HTML     template.HTML // rendered body; safe because raw HTML is off in the renderer
	Text     string        // plain text of the body
	Sections []Section

	lines map[string]int // file line of each front-matter key, for later checks
	items map[string][]int
}

// Section is a part of an entry's body under one heading.
type Section struct {
	Title  string
	Anchor string
	Level  int
	Text   string
}

// workshopYear is the year findings are dated by: the workshop took place on 7 December 2023.
const workshopYear = 2023

// When returns the date an entry is placed by: publication for guidance, the milestone date,
// the workshop date for findings; "" for entries without one.
func (e *Entry) When() string {
	switch e.Kind {
	case Guidance:
		return e.Published
	case Milestone:
		return e.Date
	case Finding:
		return "2023-12-07"
	case Framework, TechList:
		return e.Published
	}
	return ""
}

// Year is the year of When, or 0.
func (e *Entry) Year() int {
	w := e.When()
	if len(w) < 4 {
		return 0
	}
	y, err := strconv.Atoi(w[:4])
	if err != nil {
		return 0
	}
	return y
}

// Line returns the file line of a front-matter key, or 1 when the key is absent.
func (e *Entry) Line(key string) int {
	if l, ok := e.lines[key]; ok {
		return l
	}
	return 1
}

// itemLine returns the file line of the i-th item of a list key.
func (e *Entry) itemLine(key string, i int) int {
	if ls := e.items[key]; i < len(ls) {
		return ls[i]
	}
	return e.Line(key)
}

// Changed is the date the entry was added or last changed: updated, else last_verified, else
// the date it is placed by.
func (e *Entry) Changed() string {
	switch {
	case e.Updated != "":
		return e.Updated
	case e.LastVerified != "":
		return e.LastVerified
	}
	return e.When()
}

// IsActive reports whether the entry is neither superseded nor withdrawn.
func (e *Entry) IsActive() bool { return e.Status == "" || e.Status == "active" }

// Shorten cuts text to at most max bytes at a word boundary, never inside a character, and
// marks the cut with an ellipsis.
func Shorten(text string, max int) string {
	if len(text) <= max {
		return text
	}
	cut := strings.LastIndexByte(text[:max], ' ')
	if cut < max/2 {
		cut = max
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
	}
	return strings.TrimRight(text[:cut], ",.;: ") + "…"
}

// FalseFriend is a phrase that looks like a glossary term, or one of its synonyms, but names
// something else: UK "safeguarding" is protection from harm, "Safeguarding Your Research" is
// one country's portal. Search takes it literally instead of as the term.
type FalseFriend struct {
	Phrase string // as people type it
	Means  string // what it means instead, in a sentence
	See    string // the entry it names, if the corpus has one
	line   int
}
