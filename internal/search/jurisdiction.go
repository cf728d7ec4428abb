package search

import (
	"slices"
	"strings"

	"github.com/research-security-atlas/atlas/internal/content"
)

// jurisdictions recognises in a query the names of the jurisdictions the corpus covers, so that
// "how does the Netherlands screen partnerships" prefers Dutch entries to entries that merely
// mention the Netherlands, and knows each one's national terms for the field, from its country
// profile. Like the glossary, it is built from the corpus whenever the index is opened.
type jurisdictions struct {
	names     map[string][]string // analysed name -> its jurisdiction codes
	maxTokens int                 // the longest name, in terms
	national  map[string][]nationalTerm
}

// nationalTerm is one of the terms a country profile lists for the field.
type nationalTerm struct {
	key  string // its analysed terms, space-separated
	leaf leaf
}

// newJurisdictions collects the names (content.CountryName and content.CountryAdjectives of
// every code an entry lists, and the titles of the country profiles) and the profiles' national terms. "int", the group of
// international organisations, is left out: its name, "International", is an ordinary word.
func newJurisdictions(corpus *content.Corpus, analyze func(string) (leaf, bool)) *jurisdictions {
	j := &jurisdictions{names: map[string][]string{}, national: map[string][]nationalTerm{}}
	addName := func(text, code string) {
		l, ok := analyze(text)
		key := strings.Join(l.terms, " ")
		if !ok || slices.Contains(j.names[key], code) {
			return
		}
		j.names[key] = append(j.names[key], code)
		j.maxTokens = max(j.maxTokens, len(l.terms))
	}
	for _, e := range corpus.Entries {
		for _, c := range e.Countries {
			if c != "int" {
				addName(content.CountryName(c), c)
				for _, a := range content.CountryAdjectives(c) {
					addName(a, c)
				}
			}
		}
		if e.Kind != content.Country || len(e.Countries) != 1 {
			continue
		}
		c := e.Countries[0]
		if c != "int" {
			addName(e.Title, c)
		}
		for _, t := range e.Terms {
			if l, ok := analyze(t); ok {
				j.national[c] = append(j.national[c], nationalTerm{strings.Join(l.terms, " "), l})
			}
		}
	}
	return j
}

// match finds the longest run of words from parts[i] that names a jurisdiction. It returns the
// end of the run (exclusive) and the jurisdictions' codes, or i when parts[i] starts none.
func (j *jurisdictions) match(parts []queryPart, i int) (int, []string) {
	var terms []string
	end := i
	var codes []string
	for k := i; k < len(parts) && !parts[k].phrase; k++ {
		terms = append(terms, parts[k].fixedTerms...)
		if len(terms) > j.maxTokens {
			break
		}
		if cs, ok := j.names[strings.Join(terms, " ")]; ok {
			end, codes = k+1, cs
		}
	}
	return end, codes
}

// equivalents returns the national terms of jurisdiction c that stand for the glossary term key
// there: all of them but key itself, when key is one of them or one of them is among the
// term's equivalents alts (as analysed keys); none otherwise.
func (j *jurisdictions) equivalents(c, key string, alts []string) []leaf {
	terms := j.national[c]
	if !slices.ContainsFunc(terms, func(t nationalTerm) bool { return t.key == key || slices.Contains(alts, t.key) }) {
		return nil
	}
	var out []leaf
	for _, t := range terms {
		if t.key != key {
			out = append(out, t.leaf)
		}
	}
	return out
}

// eachOf calls fn for every document from lo to hi (excluded) of one of codes (a document of
// two of them, twice), read off the country facet's bitsets.
func (m *memory) eachOf(codes []string, lo, hi int32, fn func(d int32)) {
	for _, c := range codes {
		if b := m.valueSet("country", c); b != nil {
			b.each(lo, hi, fn)
		}
	}
}

// guidingQuestions are the workshop's guiding questions as analysed terms, for recognising a
// query that asks one of them in other words ("what do countries do about uncertain end use of
// research" is "How is uncertainty about the potential end use of research managed?").
type guidingQuestions struct {
	values []string
	terms  [][]string
}

func newGuidingQuestions(analyze func(string) []string) *guidingQuestions {
	g := &guidingQuestions{}
	for _, q := range content.QuestionVocab.Values() {
		if q == "general" {
			continue
		}
		g.values = append(g.values, q)
		g.terms = append(g.terms, analyze(content.QuestionVocab.Label(q)))
	}
	return g
}
