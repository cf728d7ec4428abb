package search

import (
	"context"
	"fmt"
	"html"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	bleveSearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Sort orders.
const (
	SortRelevance = "relevance"
	SortNewest    = "newest"
	SortTitle     = "title"
)

// Request is a validated search: the caller has checked lengths and vocabularies.
type Request struct {
	Query   string
	Filters map[string][]string // facet name -> selected values (OR within, AND across)
	Sort    string
	Page    int // from 1
	Size    int
}

// Results is one page of hits with the facet counts.
type Results struct {
	Total  int
	Hits   []Hit
	Facets map[string][]FacetCount // facet name -> values by count
	Took   time.Duration

	// Suggestion is set when the query found nothing: the nearest query that finds something
	// with the same filters (each word the corpus does not know replaced by the nearest word it
	// does, or left out), and SuggestionTotal is how many hits it finds. "" and 0 otherwise.
	Suggestion      string
	SuggestionTotal int
}

// Hit is one matching entry. The caller looks up everything else about it by ID.
type Hit struct {
	ID      string
	Score   float64
	Snippet string // HTML: escaped text with <mark> around matched words; "" when none
	// Anchor is the id of the section of the entry the snippet comes from, for linking to
	// /docs/{id}#{anchor}; "" when the snippet comes from the summary or from the text before
	// the first heading, or there is no snippet.
	Anchor string
}

// FacetCount is the number of hits with one facet value.
type FacetCount struct {
	Value string
	Count int
}

// fieldBoosts weigh where a word matches: in the title, the summary, a country's national
// terms or a glossary entry's synonyms (terms), the body's sections, the entry's theme, type
// and guiding-question labels (tags), or its issuer and country names (meta).
var fieldBoosts = []struct {
	field string
	boost float64
}{
	{"title", 2}, {"summary", 2}, {"terms", 1}, {"sections", 1}, {"tags", 0.75}, {"meta", 0.1},
}

// Ranking weights, tuned against testdata/judgments.json (see docs/search.md).
const (
	phraseScale  = 0.4  // a glossary term's words found together, on top of the words alone
	synonymScale = 0.3  // an equivalent glossary term, relative to the term as typed
	formScale    = 0.75 // another form of a word (definition for define)
	fuzzyScale   = 0.3  // a corpus word one or two letters from a misspelt word

	// Fixed bonuses, added to the BM25 score (a few points for a good match).
	exactTitleBonus  = 5.0  // the whole query is the title
	titlePhraseBonus = 0.25 // the whole query is a phrase of the title
	titleWordsBonus  = 0.3  // every word of the query is in the title (shared by rarity)
	pairBonus        = 0.05 // two neighbouring query words side by side, anywhere
	guidanceBonus    = 0.1  // guidance, for queries that name a kind of document
	typeBonus        = 0.15 // guidance of the type the query names
	typedTermBonus   = 0.4  // a glossary term as typed rather than an equivalent

	// Priors, by which an entry's score is multiplied (see prior).
	supersededPrior = 0.8
	withdrawnPrior  = 0.6
)

const (
	maxAlternatives = 8  // equivalent terms added per glossary term in a query
	maxConcepts     = 4  // glossary terms expanded per query
	maxFuzzy        = 3  // corpus words tried per misspelt word
	maxForms        = 3  // other forms tried per word
	maxPairs        = 6  // neighbouring word pairs given a proximity bonus
	maxParts        = 16 // words and phrases of a query that count
	fuzzyMaxDF      = 1  // a word in more entries than this is taken as meant
)

// documentWords are words with which people ask for a document rather than a statement, each
// with the types of guidance it names (none for a word that names no one type). A query with one
// of them lifts guidance over findings, and entries of the types named a little more.
var documentWords = map[string][]string{
	"guideline": {"guideline"}, "guidelines": {"guideline"}, "guidance": {"guideline"},
	"manual": {"guideline"}, "handbook": {"guideline"},
	"framework": {"framework"}, "frameworks": {"framework"},
	"toolkit": {"toolkit"}, "toolkits": {"toolkit"}, "tool": {"toolkit", "self-assessment"},
	"tools": {"toolkit", "self-assessment"}, "self-assessment": {"self-assessment"},
	"checklist": {"checklist"}, "checklists": {"checklist"},
	"law": {"legislation"}, "laws": {"legislation"}, "act": {"legislation"}, "acts": {"legislation"},
	"legislation": {"legislation"}, "bill": {"legislation"}, "regulation": {"legislation"},
	"portal": {"portal"}, "portals": {"portal"}, "website": {"portal"}, "database": {"portal"},
	"report": {"report"}, "reports": {"report"}, "paper": {"report"},
	"strategy": {"strategy"}, "strategies": {"strategy"},
	"recommendation": {"recommendation"}, "recommendations": {"recommendation"},
	"principles": {"principles"}, "statement": {"statement"},
	"program": {"programme"}, "programs": {"programme"},
	"training": {"training"}, "course": {"training"}, "courses": {"training"}, "modules": {"training"},
	"policy": nil, "policies": nil, "order": nil, "directive": nil, "memorandum": nil, "scheme": nil,
	"list": nil, "lists": nil,
}

// Search runs r. Facet counts are disjunctive: each facet's counts are computed with the other
// facets' selections applied but not its own, so choosing a country keeps the other countries'
// counts visible.
func (ix *Index) Search(ctx context.Context, r Request) (*Results, error) {
	start := time.Now()
	text, hasText := ix.textQuery(r.Query)

	main := bleve.NewSearchRequestOptions(withFilters(text, r.Filters, ""), r.Size, (r.Page-1)*r.Size, false)
	main.SortBy(sortOrder(r.Sort, strings.TrimSpace(r.Query) != ""))
	main.IncludeLocations = hasText
	for _, f := range Facets {
		if len(r.Filters[f]) == 0 {
			main.AddFacet(f, bleve.NewFacetRequest(f, 500))
		}
	}
	res, err := ix.idx.SearchInContext(ctx, main)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	out := &Results{Total: int(res.Total), Facets: map[string][]FacetCount{}}
	for _, h := range res.Hits {
		snip, anchor := ix.snippet(h)
		out.Hits = append(out.Hits, Hit{ID: h.ID, Score: h.Score, Snippet: snip, Anchor: anchor})
	}
	for name, fr := range res.Facets {
		out.Facets[name] = facetCounts(fr)
	}
	for _, f := range Facets {
		if len(r.Filters[f]) == 0 {
			continue
		}
		req := bleve.NewSearchRequestOptions(withFilters(text, r.Filters, f), 0, 0, false)
		req.AddFacet(f, bleve.NewFacetRequest(f, 500))
		fres, err := ix.idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("facet %s: %w", f, err)
		}
		out.Facets[f] = facetCounts(fres.Facets[f])
	}
	if out.Total == 0 && hasText {
		if err := ix.didYouMean(ctx, r, out); err != nil {
			return nil, err
		}
	}
	out.Took = time.Since(start)
	return out, nil
}

func facetCounts(fr *bleveFacetResult) []FacetCount {
	var out []FacetCount
	if fr == nil || fr.Terms == nil {
		return out
	}
	for _, t := range fr.Terms.Terms() {
		out = append(out, FacetCount{Value: t.Term, Count: t.Count})
	}
	return out
}

// withFilters joins the text query with every facet's selection except skip's.
func withFilters(text query.Query, filters map[string][]string, skip string) query.Query {
	parts := []query.Query{text}
	for _, f := range Facets {
		vals := filters[f]
		if f == skip || len(vals) == 0 {
			continue
		}
		var any []query.Query
		for _, v := range vals {
			tq := bleve.NewTermQuery(v)
			tq.SetField(f)
			any = append(any, tq)
		}
		parts = append(parts, bleve.NewDisjunctionQuery(any...))
	}
	if len(parts) == 1 {
		return text
	}
	return bleve.NewConjunctionQuery(parts...)
}

// fieldQuery is a query that can be aimed at a field and weighted.
type fieldQuery interface {
	query.FieldableQuery
	SetBoost(float64)
}

// fieldsQuery asks the query make returns in every searched field but skip, each weighted by
// its field boost times scale.
func fieldsQuery(make func() fieldQuery, scale float64, skip ...string) query.Query {
	var qs []query.Query
	for _, fb := range fieldBoosts {
		if slices.Contains(skip, fb.field) {
			continue
		}
		q := make()
		q.SetField(fb.field)
		q.SetBoost(fb.boost * scale)
		qs = append(qs, q)
	}
	return anyField(qs...)
}

// anyField matches what any of qs matches and scores it by the sum of their scores. (bleve's
// disjunction would scale the sum by the share of the clauses that match, which punishes a word
// that is only in the title.)
func anyField(qs ...query.Query) query.Query {
	return combine(qs, func(sum, _ float64) float64 { return sum })
}

// best matches what any of qs matches and scores it by the best of their scores: a word, its
// other forms and its corrections, or a glossary term and its equivalents, are one unit of the
// query, which a document does not match twice over.
func best(qs ...query.Query) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return combine(qs, func(_, max float64) float64 { return max })
}

// combine is a disjunction of qs scored by score(sum, max) of the scores of the clauses that
// match, instead of bleve's coordinated sum.
func combine(qs []query.Query, score func(sum, max float64) float64) query.Query {
	d := bleve.NewDisjunctionQuery(qs...)
	d.RetrieveScoreBreakdown(true)
	return query.NewCustomScoreQueryWithScorer(d, func(_ context.Context, m *bleveSearch.DocumentMatch) (float64, error) {
		sum, top := 0.0, 0.0
		for _, s := range m.ScoreBreakdown {
			sum += s
			top = max(top, s)
		}
		m.ScoreBreakdown = nil
		return score(sum, top), nil
	}, nil, nil)
}

// textQuery turns what a user typed into a query, and reports whether it has any text to
// search for; a query of nothing but stop words browses everything.
//
// Each word (or "quoted phrase") is one unit of the query; a run of words that is a glossary
// term (or one of its synonyms) is one unit too, which also finds the term's equivalents at a
// lower weight. Queries of up to two units need every unit; longer ones need half of them,
// because people type questions ("basic versus applied research safeguards") whose every word
// no entry has. The units' BM25 scores, weighted by field, rank the entries; fixed bonuses on
// top lift an entry whose title is the query, holds it as a phrase or holds its words (each
// weighted by how rare the word is), entries with the query's words side by side, and guidance
// for queries that ask for a document.
func (ix *Index) textQuery(q string) (query.Query, bool) {
	parts := ix.parse(q)
	if len(parts) == 0 {
		return bleve.NewMatchAllQuery(), false
	}
	// Each part weighs as much as its words are rare: log(1 + N/df) summed.
	weights := make([]float64, len(parts))
	total := 0.0
	for i, p := range parts {
		for _, t := range p.fixedTerms {
			weights[i] += ix.idf(t)
		}
		total += weights[i]
	}
	var units []query.Query
	concepts := 0
	for i := 0; i < len(parts); {
		p := parts[i]
		if p.phrase {
			units = append(units, fieldsQuery(func() fieldQuery { return bleve.NewMatchPhraseQuery(p.text) }, 1))
			i++
			continue
		}
		if concepts < maxConcepts {
			if j, key := ix.concept(parts, i); j > i {
				share := 0.0
				for _, w := range weights[i:j] {
					share += w
				}
				units = append(units, ix.conceptUnit(parts[i:j], key, share/total))
				concepts++
				i = j
				continue
			}
		}
		units = append(units, ix.wordUnit(p))
		i++
	}

	var out query.Query
	switch n := len(units); {
	case n == 1:
		out = units[0]
	case n == 2:
		out = bleve.NewConjunctionQuery(units...)
	default:
		d := bleve.NewDisjunctionQuery(units...)
		d.SetMin(float64(minMatch(n)))
		out = d
	}

	var texts []string
	nterms := 0
	for _, p := range parts {
		texts = append(texts, p.fixed)
		nterms += len(p.terms)
	}
	inTitle := func(text string) query.Query {
		q := bleve.NewMatchPhraseQuery(text)
		q.SetField("title")
		return q
	}
	if nterms > 1 {
		out = withBonus(out, constant(inTitle(strings.Join(texts, " ")), titlePhraseBonus))
	}
	// Title coverage: each part found in the title adds its share of titleWordsBonus.
	for i, p := range parts {
		if weights[i] == 0 {
			continue
		}
		var q query.Query = inTitle(p.fixed)
		if len(p.fixedTerms) == 1 {
			forms := []query.Query{q}
			for _, t := range ix.dict.relatedForms(p.fixedTerms[0], maxForms) {
				tq := bleve.NewTermQuery(t)
				tq.SetField("title")
				forms = append(forms, tq)
			}
			q = bleve.NewDisjunctionQuery(forms...)
		}
		out = withBonus(out, constant(q, titleWordsBonus*weights[i]/total))
	}
	for i := 0; i+1 < len(parts) && i < maxPairs; i++ {
		pair := parts[i].fixed + " " + parts[i+1].fixed
		var qs []query.Query
		for _, f := range []string{"title", "summary", "sections"} {
			pq := bleve.NewMatchPhraseQuery(pair)
			pq.SetField(f)
			qs = append(qs, pq)
		}
		out = withBonus(out, constant(bleve.NewDisjunctionQuery(qs...), pairBonus))
	}
	exact := bleve.NewTermQuery(strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(q, `"`, " ")), " ")))
	exact.SetField("title_sort")
	out = withBonus(out, constant(exact, exactTitleBonus))
	if asks, types := askedTypes(parts); asks {
		g := bleve.NewTermQuery("guidance")
		g.SetField("kind")
		out = withBonus(out, constant(g, guidanceBonus))
		for _, t := range types {
			tq := bleve.NewTermQuery(t)
			tq.SetField("type")
			out = withBonus(out, constant(tq, typeBonus))
		}
	}
	return ix.withPriors(out), true
}

// prior is what an entry's score is multiplied by whatever the query: a superseded or
// withdrawn document gives way to the current one.
func (d docText) prior() float64 {
	p := 1.0
	switch d.status {
	case "superseded":
		p *= supersededPrior
	case "withdrawn":
		p *= withdrawnPrior
	}
	return p
}

// withPriors multiplies the scores q gives by the entries' priors.
func (ix *Index) withPriors(q query.Query) query.Query {
	return query.NewCustomScoreQueryWithScorer(q, func(_ context.Context, m *bleveSearch.DocumentMatch) (float64, error) {
		if d, ok := ix.docs[m.ID]; ok {
			return m.Score * d.prior(), nil
		}
		return m.Score, nil
	}, nil, nil)
}

// minMatch is how many of n units an entry must match.
func minMatch(n int) int {
	if n <= 2 {
		return n
	}
	return (n + 1) / 2
}

// withBonus adds bonus's score to q's for the entries that match both, and leaves the others as
// they are. (One should clause per boolean query: bleve scales the score of several should
// clauses by the share of them that match, which would make each bonus depend on the others.)
func withBonus(q, bonus query.Query) query.Query {
	return query.NewBooleanQuery([]query.Query{q}, []query.Query{bonus}, nil)
}

// constant scores every entry q matches c, whatever q's own score.
func constant(q query.Query, c float64) query.Query {
	return query.NewCustomScoreQueryWithScorer(q, func(context.Context, *bleveSearch.DocumentMatch) (float64, error) {
		return c, nil
	}, nil, nil)
}

// idf is how telling a term is: log(1 + N/df) over the corpus's entries.
func (ix *Index) idf(term string) float64 {
	df := ix.dict.termDF(term)
	return math.Log(1 + float64(len(ix.docs))/float64(max(df, 1)))
}

// queryPart is one word or one "quoted phrase" of a query, with its analysed terms. fixed is
// the text with each misspelt word replaced by the nearest corpus word (the text itself when
// nothing is misspelt); bonuses and glossary terms are looked up in that form.
type queryPart struct {
	text       string
	phrase     bool
	terms      []string
	fuzzy      []string // see fuzzyAlternatives
	fixed      string
	fixedTerms []string
}

// parse splits q into its parts and drops those the analyzer keeps nothing of (stop words).
// Only the first maxParts count: a longer query is a pasted text, not a search.
func (ix *Index) parse(q string) []queryPart {
	var out []queryPart
	for _, p := range splitQuery(q) {
		p.terms = ix.terms(p.text)
		if len(p.terms) == 0 {
			continue
		}
		p.fixed, p.fixedTerms = p.text, p.terms
		if !p.phrase {
			p.fuzzy = ix.fuzzyAlternatives(p.text)
			if len(p.fuzzy) > 0 {
				p.fixed, p.fixedTerms = p.fuzzy[0], ix.terms(p.fuzzy[0])
			}
		}
		out = append(out, p)
		if len(out) == maxParts {
			break
		}
	}
	return out
}

// splitQuery splits q into words and "quoted phrases". Every other character of query syntax
// is just text: no input is an error.
func splitQuery(q string) []queryPart {
	var parts []queryPart
	for i, chunk := range strings.Split(q, `"`) {
		if i%2 == 1 && strings.TrimSpace(chunk) != "" {
			parts = append(parts, queryPart{text: strings.TrimSpace(chunk), phrase: true})
			continue
		}
		for _, w := range strings.FieldsFunc(chunk, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) && r != '-' && r != '\''
		}) {
			w = strings.Trim(w, "-'")
			if w != "" {
				parts = append(parts, queryPart{text: w})
			}
		}
	}
	return parts
}

// concept finds the longest run of words from parts[i] that is a glossary phrase. It returns
// the end of the run (exclusive) and its key, or i when parts[i] starts none.
func (ix *Index) concept(parts []queryPart, i int) (int, string) {
	var terms []string
	end, key := i, ""
	for j := i; j < len(parts) && !parts[j].phrase; j++ {
		terms = append(terms, parts[j].fixedTerms...)
		if len(terms) > ix.thes.maxTokens {
			break
		}
		if k := strings.Join(terms, " "); ix.thes.has(k) {
			end, key = j+1, k
		}
	}
	return end, key
}

// wordUnit matches one word. A word joined by hyphens ("dual-use", "NSPM-33") is a phrase of
// its pieces, so "dual-use" and "dual use" find the same entries. A word also matches, at lower
// weights, the other forms of it the stemmer misses, and, when the corpus (almost) does not
// have it, the corpus words nearest to it.
func (ix *Index) wordUnit(p queryPart) query.Query {
	match := func(s string, terms int) func() fieldQuery {
		if terms > 1 {
			return func() fieldQuery { return bleve.NewMatchPhraseQuery(s) }
		}
		return func() fieldQuery { return bleve.NewMatchQuery(s) }
	}
	qs := []query.Query{fieldsQuery(match(p.text, len(p.terms)), 1)}
	if len(p.terms) == 1 {
		for _, t := range ix.dict.relatedForms(p.terms[0], maxForms) {
			qs = append(qs, fieldsQuery(func() fieldQuery { return bleve.NewTermQuery(t) }, formScale))
		}
	}
	for _, a := range p.fuzzy {
		qs = append(qs, fieldsQuery(match(a, len(p.terms)), fuzzyScale))
	}
	return best(qs...)
}

// conceptUnit matches a glossary term typed as words: the words anywhere, or one of the
// term's equivalents as a phrase (weighted down), so that entries written in another country's
// term are found below those in the term as typed; the words side by side earn a bonus.
func (ix *Index) conceptUnit(parts []queryPart, key string, share float64) query.Query {
	var words []query.Query
	var texts []string
	nterms := 0
	for _, p := range parts {
		words = append(words, ix.wordUnit(p))
		texts = append(texts, p.fixed)
		nterms += len(p.terms)
	}
	var typed query.Query = words[0]
	if len(words) > 1 {
		typed = bleve.NewConjunctionQuery(words...)
	}
	var alts []query.Query
	for _, a := range ix.thes.alternatives(key, maxAlternatives) {
		// Not in terms: there a glossary entry lists its own synonyms and a country its
		// national terms, and every equivalent would count again for them.
		alts = append(alts, fieldsQuery(func() fieldQuery { return bleve.NewMatchPhraseQuery(a) }, synonymScale, "terms"))
	}
	out := typed
	if len(alts) > 0 {
		// A fixed bonus for the term as typed keeps the entries that have it above those that
		// have only an equivalent; it is the term's share (by rarity) of the query's bonus, so
		// that in a longer query it does not outweigh the other words.
		out = withBonus(best(append([]query.Query{typed}, alts...)...), constant(typed, typedTermBonus*share))
	}
	if nterms > 1 {
		phrase := strings.Join(texts, " ")
		out = withBonus(out, fieldsQuery(func() fieldQuery { return bleve.NewMatchPhraseQuery(phrase) }, phraseScale))
	}
	return out
}

// fuzzyAlternatives returns text with each word that occurs in at most fuzzyMaxDF entries
// replaced by the nearest corpus words (by edit distance, see maxEdits), at most maxFuzzy
// variants; none when every word is known.
func (ix *Index) fuzzyAlternatives(text string) []string {
	words := ix.words(text)
	var alts []string
	seen := map[string]bool{}
	for i, w := range words {
		term := ix.termOf(w)
		if term == "" || ix.dict.termDF(term) > fuzzyMaxDF {
			continue
		}
		for _, c := range ix.dict.nearest(w, maxEdits(len([]rune(w))), maxFuzzy*2) {
			if seen[c.info.term] || c.info.term == term || c.info.df <= ix.dict.termDF(term) {
				continue
			}
			seen[c.info.term] = true
			v := append([]string(nil), words...)
			v[i] = c.word
			alts = append(alts, strings.Join(v, " "))
			if len(alts) == maxFuzzy {
				return alts
			}
		}
	}
	return alts
}

// termOf is the analysed term of one folded word, "" for a stop word.
func (ix *Index) termOf(w string) string {
	if info, ok := ix.dict.words[w]; ok {
		return info.term
	}
	if ts := ix.terms(w); len(ts) == 1 {
		return ts[0]
	}
	return ""
}

// askedTypes reports whether the query names a kind of document (guideline, framework, …), and
// which types of guidance it names.
func askedTypes(parts []queryPart) (bool, []string) {
	asks := false
	var types []string
	for _, p := range parts {
		w := strings.ToLower(p.fixed)
		ws := append([]string{w}, strings.FieldsFunc(w, func(r rune) bool { return r == '-' || r == ' ' })...)
		for _, w := range ws {
			ts, ok := documentWords[americanize(w)]
			if !ok {
				continue
			}
			asks = true
			for _, t := range ts {
				if !slices.Contains(types, t) {
					types = append(types, t)
				}
			}
		}
	}
	return asks, types
}

// didYouMean fills in out.Suggestion for a query that found nothing: every word the corpus
// does not know becomes the nearest word it does (the closest, then the most frequent), or is
// left out when there is none; the suggestion is kept only when it finds something.
func (ix *Index) didYouMean(ctx context.Context, r Request, out *Results) error {
	var parts []string
	changed := false
	for _, p := range splitQuery(r.Query) {
		var ws []string
		for _, f := range ix.surface.Analyze([]byte(p.text)) {
			w := string(f.Term)
			orig := p.text[f.Start:f.End]
			term := ix.termOf(w)
			if term == "" || ix.dict.termDF(term) > 0 {
				ws = append(ws, orig)
				continue
			}
			changed = true
			n := len([]rune(w))
			edits := maxEdits(n)
			if edits == 0 && n >= 3 {
				edits = 1
			}
			if cs := ix.dict.nearest(w, edits, 1); len(cs) > 0 {
				ws = append(ws, ix.dict.display(cs[0].word))
			}
		}
		if len(ws) == 0 {
			continue
		}
		s := strings.Join(ws, " ")
		if p.phrase {
			s = `"` + s + `"`
		}
		parts = append(parts, s)
	}
	if !changed || len(parts) == 0 {
		return nil
	}
	suggestion := strings.Join(parts, " ")
	text, ok := ix.textQuery(suggestion)
	if !ok {
		return nil
	}
	res, err := ix.idx.SearchInContext(ctx, bleve.NewSearchRequestOptions(withFilters(text, r.Filters, ""), 0, 0, false))
	if err != nil {
		return fmt.Errorf("suggestion: %w", err)
	}
	if res.Total > 0 {
		out.Suggestion, out.SuggestionTotal = suggestion, int(res.Total)
	}
	return nil
}

func sortOrder(s string, hasQuery bool) []string {
	switch s {
	case SortNewest:
		return []string{"-date", "-_score", "title_sort"}
	case SortTitle:
		return []string{"title_sort", "-date"}
	}
	if !hasQuery {
		return []string{"-date", "title_sort"}
	}
	return []string{"-_score", "-date", "title_sort"}
}

// Excerpt returns the start of text, escaped, cut at a word boundary, for hits without a
// highlighted snippet.
func Excerpt(text string, max int) string {
	if len(text) > max {
		cut := strings.LastIndexByte(text[:max], ' ')
		if cut < max/2 {
			cut = max
		}
		text = strings.TrimRight(text[:cut], ",.;: ") + "…"
	}
	return html.EscapeString(text)
}
