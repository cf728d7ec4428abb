// Package search keeps the Atlas index: a bleve index on disk built from the content corpus,
// and the faceted search over it. bleve types do not leave this package.
package search

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
	bleveSearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/research-security-atlas/atlas/internal/content"
)

// schemaVersion changes whenever the documents built from entries change shape or meaning, so
// that indexes built by an older program are rebuilt.
const schemaVersion = "1"

// Facets are the facet fields of the contract, in display order. Each is a keyword field in the
// index under the same name.
var Facets = []string{"country", "topic", "theme", "stage", "phase", "type", "audience", "kind", "year"}

// document is what is indexed for one entry.
type document struct {
	Kind      string   `json:"kind"`
	Title     string   `json:"title"`
	Summary   string   `json:"summary"`
	Body      string   `json:"body"`
	Meta      string   `json:"meta"`
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
	}
	meta = append(meta, e.Terms...)
	meta = append(meta, e.Synonyms...)
	d := document{
		Kind:      string(e.Kind),
		Title:     e.Title,
		Summary:   e.Summary,
		Body:      e.Text,
		Meta:      strings.Join(meta, ". "),
		Country:   e.Countries,
		Topic:     e.Topics,
		Theme:     e.Themes,
		Stage:     e.Stages,
		Phase:     e.Phases,
		Audience:  e.Audiences,
		Date:      e.When(),
		TitleSort: strings.ToLower(e.Title),
	}
	// Single values go in as lists so that an entry without one indexes no term at all.
	if e.Type != "" {
		d.Type = []string{e.Type}
	}
	if y := e.Year(); y > 0 {
		d.Year = []string{strconv.Itoa(y)}
	}
	return d
}

// newMapping returns the index mapping: English analysis with stemming for the text fields,
// BM25 scoring, and keyword fields with doc values for facets and sorting.
func newMapping() *mapping.IndexMappingImpl {
	text := func(store bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = en.AnalyzerName
		f.Store = store
		f.IncludeTermVectors = store // needed to highlight stored fields
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
	doc.AddFieldMappingsAt("title", text(true))
	doc.AddFieldMappingsAt("summary", text(true))
	doc.AddFieldMappingsAt("body", text(true))
	doc.AddFieldMappingsAt("meta", text(false))
	for _, f := range Facets {
		doc.AddFieldMappingsAt(f, kw())
	}
	doc.AddFieldMappingsAt("date", kw())
	doc.AddFieldMappingsAt("title_sort", kw())

	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = en.AnalyzerName
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

type bleveFacetResult = bleveSearch.FacetResult
