package content

import (
	"cmp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Catalog is the corpus arranged for browsing and comparing: by jurisdiction, by topic and
// guiding question, the glossary and the timeline. It is derived once from a Corpus.
type Catalog struct {
	Jurisdictions []*Jurisdiction // profiles first by name, then codes used without a profile
	byCode        map[string]*Jurisdiction
	Topics        []*TopicGroup
	Terms         []*Entry // glossary, by title
	Milestones    []*Entry // timeline, by date
}

// Jurisdiction is one country or international body with everything recorded about it.
type Jurisdiction struct {
	Code     string
	Name     string
	Profile  *Entry // nil when no profile is written yet
	Guidance []*Entry
	Findings []*Entry
}

// TopicGroup is one workshop topic with its guiding questions.
type TopicGroup struct {
	Slug      string
	Label     string
	Entry     *Entry // the topic entry; nil when not written
	Questions []string
}

// CoverageColumns are the columns of the coverage matrix: the three topics, then the two
// research stages. Each is a facet name and value, labelled with the vocabulary's full name so
// that a topic is called the same here as on its own page.
var CoverageColumns = []struct{ Facet, Value, Label string }{
	{"topic", "conceptualisation", TopicVocab.Label("conceptualisation")},
	{"topic", "funder-measures", TopicVocab.Label("funder-measures")},
	{"topic", "institutional-role", TopicVocab.Label("institutional-role")},
	{"stage", "basic", StageVocab.Label("basic")},
	{"stage", "applied", StageVocab.Label("applied")},
}

// NewCatalog arranges c.
func NewCatalog(c *Corpus) *Catalog {
	cat := &Catalog{byCode: map[string]*Jurisdiction{}}
	get := func(code string) *Jurisdiction {
		j := cat.byCode[code]
		if j == nil {
			j = &Jurisdiction{Code: code, Name: CountryName(code)}
			cat.byCode[code] = j
			cat.Jurisdictions = append(cat.Jurisdictions, j)
		}
		return j
	}
	for _, e := range c.Entries {
		switch e.Kind {
		case Country:
			get(e.Countries[0]).Profile = e
		case Guidance:
			for _, code := range e.Countries {
				j := get(code)
				j.Guidance = append(j.Guidance, e)
			}
		case Finding:
			for _, code := range e.Countries {
				j := get(code)
				j.Findings = append(j.Findings, e)
			}
		case Term:
			cat.Terms = append(cat.Terms, e)
		case Milestone:
			cat.Milestones = append(cat.Milestones, e)
		}
	}
	slices.SortFunc(cat.Jurisdictions, func(a, b *Jurisdiction) int {
		_, ba := bodies[a.Code]
		_, bb := bodies[b.Code]
		if ba != bb {
			if ba {
				return 1
			}
			return -1
		}
		return strings.Compare(a.Name, b.Name)
	})
	for _, j := range cat.Jurisdictions {
		slices.SortStableFunc(j.Guidance, byNewest)
		slices.SortStableFunc(j.Findings, byQuestion)
	}
	slices.SortFunc(cat.Terms, func(a, b *Entry) int { return strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)) })
	slices.SortFunc(cat.Milestones, func(a, b *Entry) int {
		return cmp.Or(strings.Compare(a.Date, b.Date), strings.Compare(a.Title, b.Title))
	})
	for _, slug := range TopicVocab.Values() {
		tg := &TopicGroup{Slug: slug, Label: TopicVocab.Label(slug), Entry: c.Get(slug)}
		for _, q := range QuestionVocab.Values() {
			if QuestionTopic[q] == slug {
				tg.Questions = append(tg.Questions, q)
			}
		}
		cat.Topics = append(cat.Topics, tg)
	}
	return cat
}

// Jurisdiction returns the jurisdiction with code, or nil.
func (cat *Catalog) Jurisdiction(code string) *Jurisdiction { return cat.byCode[code] }

// Topic returns the topic group with slug, or nil.
func (cat *Catalog) Topic(slug string) *TopicGroup {
	for _, t := range cat.Topics {
		if t.Slug == slug {
			return t
		}
	}
	return nil
}

// Count is the number of guidance entries and findings of j tagged with facet=value.
func (j *Jurisdiction) Count(facet, value string) int {
	n := 0
	for _, list := range [][]*Entry{j.Guidance, j.Findings} {
		for _, e := range list {
			if slices.Contains(e.FacetValues(facet), value) {
				n++
			}
		}
	}
	return n
}

// FindingsFor returns j's findings that answer question.
func (j *Jurisdiction) FindingsFor(question string) []*Entry {
	var out []*Entry
	for _, e := range j.Findings {
		if e.Question == question {
			out = append(out, e)
		}
	}
	return out
}

// GuidanceFor returns j's guidance tagged with topic.
func (j *Jurisdiction) GuidanceFor(topic string) []*Entry {
	var out []*Entry
	for _, e := range j.Guidance {
		if slices.Contains(e.Topics, topic) {
			out = append(out, e)
		}
	}
	return out
}

// Terms returns the national terms of j's profile, or nil.
func (j *Jurisdiction) Terms() []string {
	if j.Profile == nil {
		return nil
	}
	return j.Profile.Terms
}

// FacetValues returns the entry's values for one of the search facets (country, topic, theme,
// stage, phase, type, audience, kind, year).
func (e *Entry) FacetValues(facet string) []string {
	switch facet {
	case "country":
		return e.Countries
	case "topic":
		return e.Topics
	case "stage":
		return e.StageFacet()
	case "phase":
		return e.Phases
	case "theme":
		return e.Themes
	case "audience":
		return e.Audiences
	case "type":
		if e.Type != "" {
			return []string{e.Type}
		}
	case "kind":
		return []string{string(e.Kind)}
	case "year":
		if y := e.Year(); y > 0 {
			return []string{strconv.Itoa(y)}
		}
	}
	return nil
}

// StageFacet is the entry's values for the stage facet: its stages, "differentiated" when it
// treats stages differently and "all" when it applies the same to all research.
func (e *Entry) StageFacet() []string {
	if e.Kind != Guidance && e.Kind != Finding {
		return nil
	}
	out := e.Stages
	if e.DifferentiatesStages {
		out = append(slices.Clip(out), "differentiated")
	}
	if len(e.Stages) == 0 {
		out = append(slices.Clip(out), "all")
	}
	return out
}

// Matches reports whether the entry has, for every facet in filters, at least one of the
// selected values (OR within a facet, AND across facets). The facet named skip is ignored.
func (e *Entry) Matches(filters map[string][]string, skip string) bool {
	for facet, want := range filters {
		if facet == skip || len(want) == 0 {
			continue
		}
		have := e.FacetValues(facet)
		if !slices.ContainsFunc(want, func(v string) bool { return slices.Contains(have, v) }) {
			return false
		}
	}
	return true
}

// CountFacets counts, for each of facets, the values of the entries that match the other
// facets' selections: disjunctive counts, so that ticking a value still shows what its
// neighbours would add. It is the list-sized form of the counts the search index keeps.
func CountFacets(entries []*Entry, filters map[string][]string, facets []string) map[string]map[string]int {
	out := make(map[string]map[string]int, len(facets))
	for _, f := range facets {
		n := map[string]int{}
		for _, e := range entries {
			if e.Matches(filters, f) {
				for _, v := range e.FacetValues(f) {
					n[v]++
				}
			}
		}
		out[f] = n
	}
	return out
}

// byNewest orders entries newest first, then by title.
func byNewest(a, b *Entry) int {
	return cmp.Or(strings.Compare(b.When(), a.When()), strings.Compare(a.Title, b.Title))
}

// byQuestion orders findings in the order of the guiding questions, then by id.
func byQuestion(a, b *Entry) int {
	return cmp.Or(QuestionVocab.Order(a.Question)-QuestionVocab.Order(b.Question), strings.Compare(a.ID, b.ID))
}

// Similar returns up to n entries that share the most with e — countries, themes, topics, the
// guiding question, the type — leaving out e itself, the entries e already names in related,
// topics and milestones. Entries with too little in common are not returned.
func (cat *Catalog) Similar(c *Corpus, e *Entry, n int) []*Entry {
	// Only the best n are kept while scanning: sorting every candidate cost 200 ms a page at
	// 100,000 entries, where most entries share something with most others.
	if n <= 0 {
		return nil
	}
	var best []similarEntry
	for _, o := range c.Entries {
		if o == e || o.Kind == Topic || o.Kind == Milestone || slices.Contains(e.Related, o.ID) {
			continue
		}
		cand := similarEntry{o, similarity(e, o)}
		if cand.score < 4 || (len(best) == n && bySimilarity(cand, best[n-1]) >= 0) {
			continue
		}
		// After every candidate that ranks equal or higher: the order of a stable sort.
		i := sort.Search(len(best), func(i int) bool { return bySimilarity(cand, best[i]) < 0 })
		if len(best) < n {
			best = append(best, similarEntry{})
		}
		copy(best[i+1:], best[i:len(best)-1])
		best[i] = cand
	}
	res := make([]*Entry, len(best))
	for i, b := range best {
		res[i] = b.e
	}
	return res
}

type similarEntry struct {
	e     *Entry
	score int
}

// similarity scores what o shares with e: a country counts most, then themes and the guiding
// question, then topics, terms, synonyms and the type.
func similarity(e, o *Entry) int {
	shared := func(a, b []string) int {
		k := 0
		for _, x := range a {
			if slices.Contains(b, x) {
				k++
			}
		}
		return k
	}
	s := 3*shared(e.Countries, o.Countries) + 2*shared(e.Themes, o.Themes) + shared(e.Topics, o.Topics) +
		shared(e.Terms, o.Terms) + shared(e.Synonyms, o.Synonyms)
	if e.Question != "" && e.Question == o.Question && e.Question != "general" {
		s += 2
	}
	if e.Type != "" && e.Type == o.Type {
		s++
	}
	return s
}

// bySimilarity ranks the higher score first, then guidance before findings and the rest, then
// the newest.
func bySimilarity(a, b similarEntry) int {
	if a.score != b.score {
		return b.score - a.score
	}
	if a.e.Kind != b.e.Kind {
		return KindVocab.Order(string(a.e.Kind)) - KindVocab.Order(string(b.e.Kind))
	}
	return byNewest(a.e, b.e)
}
