// Package search keeps the Atlas index: a bleve index on disk built from the content corpus,
// and the faceted search over it, which folds spelling and accents, treats the glossary's
// synonyms as the same term, recognises the jurisdictions and guiding questions a query names,
// forgives typos, links hits to the section they occur in and suggests titles as people type.
// docs/search.md describes it. bleve types do not leave this package.
package search

import (
	"encoding/json"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/research-security-atlas/atlas/internal/content"
)

// schemaVersion changes whenever the documents built from entries change shape or meaning, so
// that indexes built by an older program are rebuilt.
const schemaVersion = "7"

// Facets are the facet fields of the contract, in display order. Each is a keyword field in the
// index under the same name.
var Facets = []string{"country", "topic", "theme", "stage", "phase", "type", "audience", "kind", "year"}

// document is what is indexed for one entry.
type document struct {
	Kind      string   `json:"kind"`
	Title     string   `json:"title"`
	Original  string   `json:"original"`
	Native    string   `json:"native"` // Original analysed in its own language: see native.go
	Summary   string   `json:"summary"`
	Sections  []string `json:"sections"`
	Meta      string   `json:"meta"`
	Terms     string   `json:"terms"`
	Tags      string   `json:"tags"`
	Country   []string `json:"country"`
	Topic     []string `json:"topic"`
	Theme     []string `json:"theme"`
	Stage     []string `json:"stage"`
	Phase     []string `json:"phase"`
	Type      []string `json:"type"`
	Audience  []string `json:"audience"`
	Year      []string `json:"year"`
	Date      string   `json:"date"`
	TitleSort string   `json:"title_sort"`
}

func newDocument(e *content.Entry) document {
	var meta []string
	meta = append(meta, e.Issuer)
	for _, c := range e.Countries {
		meta = append(meta, content.CountryName(c))
		meta = append(meta, content.CountryAdjectives(c)...)
	}
	var terms []string
	terms = append(terms, e.Terms...)
	terms = append(terms, e.Synonyms...)
	d := document{
		Kind:     string(e.Kind),
		Title:    e.Title,
		Original: e.OriginalTitle,
		Native:   nativeText(e.OriginalTitle, e.Language),
		Summary:  e.Summary,
		Sections: sectionTexts(e),
		Meta:     strings.Join(meta, ". "),
		Terms:    strings.Join(terms, ". "),
		Tags:     tags(e),
		// The facet values are content's (Entry.FacetValues), the one definition of them that
		// the reading list and the exports filter by too.
		Country:   e.FacetValues("country"),
		Topic:     e.FacetValues("topic"),
		Theme:     e.FacetValues("theme"),
		Stage:     e.FacetValues("stage"),
		Phase:     e.FacetValues("phase"),
		Audience:  e.FacetValues("audience"),
		Type:      e.FacetValues("type"),
		Year:      e.FacetValues("year"),
		Date:      e.When(),
		TitleSort: strings.ToLower(e.Title),
	}
	return d
}

// tags names an entry's themes and type in words ("Dual use", "Export control", "Checklist"),
// and a finding's guiding question, so that an entry is found by what it is about even where
// its text uses other words.
func tags(e *content.Entry) string {
	// What the entry is, in words, as its type is below: "Swiss guidance" or "Canada workshop
	// findings" then find those entries whether or not their text uses the word.
	out := []string{content.KindVocab.Label(string(e.Kind))}
	if e.Question != "" && e.Question != "general" {
		out = append(out, content.QuestionVocab.Label(e.Question))
	}
	for _, t := range e.Themes {
		out = append(out, content.ThemeVocab.Label(t))
	}
	if e.Type != "" {
		out = append(out, content.TypeVocab.Label(e.Type))
	}
	return strings.Join(out, ". ")
}

// sectionTexts is the body of e as indexed: one value per section, its heading first, so that a
// match can be traced to the section it occurs in (the array position is the section's index in
// e.Sections). Every word of the body belongs to exactly one section.
func sectionTexts(e *content.Entry) []string {
	out := make([]string, len(e.Sections))
	for i, s := range e.Sections {
		switch {
		case s.Title == "":
			out[i] = s.Text
		case s.Text == "":
			out[i] = s.Title
		default:
			out[i] = s.Title + ". " + s.Text
		}
	}
	if len(out) == 0 && e.Text != "" {
		out = []string{e.Text}
	}
	return out
}

// newMapping returns the index mapping: the Atlas analyzer (English stemming, accent and
// spelling folding) for the text fields, BM25 scoring, and keyword fields with doc values for
// facets and sorting. Nothing is stored: snippets are cut from the corpus the index was built
// from, with the term locations the search returns.
func newMapping() *mapping.IndexMappingImpl {
	text := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = textAnalyzer
		f.Store = false
		f.IncludeTermVectors = true // positions, for phrases; offsets, for snippets
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	kw := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = true
		return f
	}
	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt("title", text())
	doc.AddFieldMappingsAt("original", text())
	native := text()
	native.Analyzer = nativeFieldAnalyzer // the terms are made already: split them, no more
	doc.AddFieldMappingsAt("native", native)
	doc.AddFieldMappingsAt("summary", text())
	doc.AddFieldMappingsAt("sections", text())
	doc.AddFieldMappingsAt("meta", text())
	doc.AddFieldMappingsAt("terms", text())
	doc.AddFieldMappingsAt("tags", text())
	for _, f := range Facets {
		doc.AddFieldMappingsAt(f, kw())
	}
	doc.AddFieldMappingsAt("date", kw())
	doc.AddFieldMappingsAt("title_sort", kw())

	m := bleve.NewIndexMapping()
	if err := addAnalyzers(m); err != nil {
		panic(err) // the definitions are constants: this cannot fail at run time
	}
	m.DefaultMapping = doc
	m.DefaultAnalyzer = textAnalyzer
	m.ScoringModel = index.BM25Scoring
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	return m
}

// fingerprint identifies what an index was built from: the corpus, the mapping and the schema
// version. An index whose fingerprint differs is stale.
func fingerprint(corpus *content.Corpus) string {
	mj, _ := json.Marshal(newMapping())
	return hashStrings(corpus.Fingerprint, string(mj), schemaVersion)
}
