package search

import (
	"context"
	"math"
	"slices"
	"strings"
	"unicode"
)

// textMatch is what a query's text makes of the entries: each one's score (0 where it does
// not match), and the words and phrases whose occurrences a snippet marks.
type textMatch struct {
	scores []float64
	leaves []leaf
	sc     *scratch
}

// textMatch scores every entry for what a user typed; nil when it has no text to search for
// (no words, or nothing but stop words: Search tells the two apart).
//
// Each word (or "quoted phrase") is one unit of the query; a run of words that is a glossary
// term (or one of its synonyms) is one unit too, which also finds the term's equivalents at a
// lower weight, and so is the name of a jurisdiction, which its entries match as if they had it
// in their title. A query needs half of its units (one of two), because people type questions
// ("basic versus applied research safeguards") whose every word no entry has, and an entry's
// score is scaled by the share of the units it matches, so that the entries with all of them
// come first as a rule. The units'
// BM25 scores, weighted by field, rank the entries; fixed bonuses on top lift an entry whose
// title is the query, holds it as a phrase or holds its words (each weighted by how rare the
// word is), entries with the query's words side by side, findings on the guiding question the
// query asks, and guidance for queries that ask for a document. docs/search.md describes each
// step.
//
// It stops with ctx's error when ctx is done, checked before each unit: a unit reads the
// postings of every form of its words in every field, and a long query has dozens.
func (ix *Index) textMatch(ctx context.Context, q string, sc *scratch) (*textMatch, error) {
	parts := ix.parse(q)
	if len(parts) == 0 {
		return nil, nil
	}
	tm := &textMatch{sc: sc}
	// Each part weighs as much as its words are rare: log(1 + N/df) summed.
	weights := make([]float64, len(parts))
	total := 0.0
	for i, p := range parts {
		for _, t := range p.fixedTerms {
			weights[i] += ix.idf(t)
		}
		total += weights[i]
	}
	// The jurisdictions the query names, and the part each name is.
	jurisOf := make([][]string, len(parts))
	var named []string
	for i := 0; i < len(parts); i++ {
		if j, codes := ix.juris.match(parts, i); j > i {
			named = append(named, codes...)
			for k := i; k < j; k++ {
				jurisOf[k] = codes
			}
			i = j - 1
		}
	}

	scores := sc.array()
	matched := sc.array() // units matched, per entry
	fixed := sc.array()   // fixed bonuses found with the units
	nunits := 0
	addUnit := func(u []float64) {
		for d, s := range u {
			if s > 0 {
				scores[d] += s
				matched[d]++
			}
		}
		sc.release(u)
		nunits++
	}
	share := func(i, j int) float64 {
		s := 0.0
		for _, w := range weights[i:j] {
			s += w
		}
		return s
	}
	concepts := 0
	for i := 0; i < len(parts); {
		if err := ctx.Err(); err != nil {
			sc.release(scores, matched, fixed)
			return nil, err
		}
		p := parts[i]
		switch {
		case p.phrase:
			u := sc.array()
			ix.addFields(u, p.leaf, 1, tm, false)
			addUnit(u)
			i++
			continue
		case jurisOf[i] != nil:
			j := i + 1
			for j < len(parts) && slices.Equal(jurisOf[j], jurisOf[i]) {
				j++
			}
			addUnit(ix.jurisdictionUnit(parts[i:j], jurisOf[i], share(i, j), tm, sc))
			i = j
			continue
		}
		if concepts < maxConcepts {
			if j, key := ix.concept(parts, i); j > i {
				addUnit(ix.conceptUnit(parts[i:j], key, share(i, j)/total, named, fixed, tm, sc))
				concepts++
				i = j
				continue
			}
		}
		addUnit(ix.wordUnit(p, tm, sc))
		i++
	}
	need := float64(minMatch(nunits))
	norm := textScale / total
	for d := range scores {
		if matched[d] < need {
			scores[d] = 0
			continue
		}
		scores[d] *= norm * matched[d] / float64(nunits)
		scores[d] += fixed[d]
	}
	sc.release(matched, fixed)
	ix.addBonuses(q, parts, weights, total, jurisOf, scores, tm)
	tm.scores = scores
	return tm, nil
}

// addBonuses adds the fixed bonuses to the entries the text matches, applies the priors, and
// lets milestones give way to the entries they date.
func (ix *Index) addBonuses(q string, parts []queryPart, weights []float64, total float64, jurisOf [][]string, scores []float64, tm *textMatch) {
	m := ix.mem
	sc := tm.sc
	bonus := sc.array()
	defer sc.release(bonus)
	add := func(c float64) {
		for d, b := range bonus {
			if b > 0 && scores[d] > 0 {
				scores[d] += c
			}
		}
		clear(bonus)
	}
	nterms := 0
	for _, p := range parts {
		nterms += len(p.terms)
	}
	if nterms > 1 {
		m.mark(bonus, joinLeaves(parts), 1, fieldTitle, fieldOriginal)
		add(titlePhraseBonus)
	}
	// Title coverage: each part found in the title adds its share of titleWordsBonus. A
	// jurisdiction's entries have its name as good as in their title.
	for i, p := range parts {
		if weights[i] == 0 {
			continue
		}
		m.mark(bonus, p.fixedLeaf, 1, fieldTitle, fieldOriginal)
		for _, t := range p.forms {
			m.mark(bonus, termLeaf(t), 1, fieldTitle, fieldOriginal)
		}
		if codes := jurisOf[i]; codes != nil {
			for d := range bonus {
				if m.docs[d].of(codes) {
					bonus[d] = 1
				}
			}
		}
		add(titleWordsBonus * weights[i] / total)
		// A word that is the acronym a title gives in parentheses names that entry.
		if len(p.fixedTerms) == 1 {
			for _, d := range m.acronyms[p.fixedTerms[0]] {
				bonus[d] = 1
			}
			add(acronymBonus * weights[i] / total)
		}
	}
	// Neighbouring words side by side, and more so in the title. A pair with a jurisdiction's
	// name is left out: "Germany: research freedom…" is a finding's title, not a phrase.
	for i := 0; i+1 < len(parts) && i < maxPairs; i++ {
		if jurisOf[i] != nil || jurisOf[i+1] != nil {
			continue
		}
		l := joinLeaves(parts[i : i+2])
		tm.leaves = append(tm.leaves, l)
		m.mark(bonus, l, 1, fieldTitle, fieldSummary, fieldSections)
		add(pairBonus)
		m.mark(bonus, l, 1, fieldTitle)
		add(titlePairBonus * (weights[i] + weights[i+1]) / total)
	}
	if q, cover := ix.askedQuestion(parts, weights, total); q != "" {
		for d := range scores {
			if scores[d] > 0 && m.docs[d].question == q {
				scores[d] += questionBonus * cover
			}
		}
	}
	exact := strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(q, `"`, " ")), " "))
	for _, d := range m.titles[exact] {
		if scores[d] > 0 {
			scores[d] += exactTitleBonus
		}
	}
	asks, types := askedTypes(parts)
	question := isQuestion(q)
	for d := range scores {
		if scores[d] <= 0 {
			continue
		}
		doc := &m.docs[d]
		if question {
			scores[d] *= questionKindPrior(doc.kind)
		}
		if asks && doc.kind == "guidance" {
			scores[d] += guidanceBonus
			for _, t := range types {
				if slices.Contains(doc.types, t) {
					scores[d] += typeBonus
				}
			}
		}
		scores[d] *= doc.prior
	}
	// A milestone dates an event of its entry: when both match, the entry comes first.
	for d := range scores {
		if r := m.docs[d].dates; r >= 0 && scores[d] > 0 && scores[r] > 0 {
			scores[d] = min(scores[d], scores[r]*milestoneShare)
		}
	}
}

// addFields adds l's BM25 score in every field, weighted by the field's boost times scale, to
// acc; skipTerms leaves out the terms field. l's occurrences will be marked in snippets.
func (ix *Index) addFields(acc []float64, l leaf, scale float64, tm *textMatch, skipTerms bool) {
	tm.leaves = append(tm.leaves, l)
	for f := range numFields {
		if skipTerms && field(f) == fieldTerms {
			continue
		}
		ix.mem.add(acc, l, field(f), fieldBoosts[f]*scale)
	}
}

// best sets u to the higher of u and alt, entry by entry, and clears alt.
func best(u, alt []float64) {
	for d, s := range alt {
		if s > u[d] {
			u[d] = s
		}
	}
	clear(alt)
}

// allOf keeps in u the entries that w matches too, adding w's score; w is released.
func allOf(u, w []float64, sc *scratch) {
	for d, s := range w {
		if s > 0 && u[d] > 0 {
			u[d] += s
		} else {
			u[d] = 0
		}
	}
	sc.release(w)
}

// minMatch is how many of n units an entry must match: one unit, or half of several (one of
// two, two of three or four). An entry's score is scaled by the share it matches, so the
// entries with every unit come first as a rule, and a query degrades to those with most of its
// units instead of finding nothing when no entry has them all.
func minMatch(n int) int {
	return (n + 1) / 2
}

// wordUnit matches one word. A word joined by hyphens ("dual-use", "NSPM-33") is a phrase of
// its pieces, so "dual-use" and "dual use" find the same entries. A word also matches, at lower
// weights, the other forms of it the stemmer misses, and, when the corpus (almost) does not
// have it, the corpus words nearest to it. The unit scores the best of these.
func (ix *Index) wordUnit(p queryPart, tm *textMatch, sc *scratch) []float64 {
	u := sc.array()
	alt := sc.array()
	ix.addFields(u, p.leaf, 1, tm, false)
	for _, t := range p.termForms {
		ix.addFields(alt, termLeaf(t), formScale, tm, false)
		best(u, alt)
	}
	for _, a := range p.fuzzy {
		if l, ok := ix.leafOf(a); ok {
			ix.addFields(alt, l, fuzzyScale, tm, false)
			best(u, alt)
		}
	}
	sc.release(alt)
	return u
}

// jurisdictionUnit matches the name of a jurisdiction: the entries of the jurisdiction score as
// if they had the name in their title and summary, whatever they say (the findings' titles all
// start with their country's name), and other entries by where they mention it. weight is the
// name's share of the query.
func (ix *Index) jurisdictionUnit(parts []queryPart, codes []string, weight float64, tm *textMatch, sc *scratch) []float64 {
	u := ix.wordUnit(parts[0], tm, sc)
	for _, p := range parts[1:] {
		allOf(u, ix.wordUnit(p, tm, sc), sc)
	}
	// An entry about several jurisdictions is each one's only in part: a glossary term used
	// in eight countries is not an entry of any of them the way a country's own guideline is.
	j := jurisdictionScale * weight
	for d := range u {
		if doc := &ix.mem.docs[d]; doc.of(codes) {
			u[d] = j / float64(len(doc.countries))
		}
	}
	return u
}

// conceptUnit matches a glossary term typed as words: the words anywhere, or one of the
// term's equivalents as a phrase (weighted down), so that entries written in another country's
// term are found below those in the term as typed; the words side by side earn a bonus. In the
// entries of a jurisdiction the query names, that jurisdiction's own terms for the field count
// as the term as typed. Fixed bonuses go to fixed, which is added to the text score after it is
// scaled.
func (ix *Index) conceptUnit(parts []queryPart, key string, share float64, named []string, fixed []float64, tm *textMatch, sc *scratch) []float64 {
	typed := ix.wordUnit(parts[0], tm, sc)
	nterms := len(parts[0].terms)
	for _, p := range parts[1:] {
		nterms += len(p.terms)
		allOf(typed, ix.wordUnit(p, tm, sc), sc)
	}
	u := sc.array()
	copy(u, typed)
	alts := ix.thes.alternatives(key, maxAlternatives)
	if len(alts) > 0 {
		// The equivalents of a corrected typo are as uncertain as the correction.
		scale := synonymScale
		if slices.ContainsFunc(parts, func(p queryPart) bool { return p.fixed != p.text }) {
			scale *= fuzzyScale
		}
		alt := sc.array()
		for _, a := range alts {
			// Not in terms: there a glossary entry lists its own synonyms and a country its
			// national terms, and every equivalent would count again for them.
			ix.addFields(alt, ix.thes.leaves[a], scale, tm, true)
			best(u, alt)
		}
		sc.release(alt)
		// A fixed bonus for the term as typed keeps the entries that have it above those that
		// have only an equivalent; it is the term's share (by rarity) of the query's bonus, so
		// that in a longer query it does not outweigh the other words.
		for d, s := range typed {
			if s > 0 {
				fixed[d] += typedTermBonus * share
			}
		}
	}
	sc.release(typed)
	// "Sweden's approach to research security": Swedish entries call it responsible
	// internationalisation, which their profile lists as Sweden's term.
	var altKeys []string
	for _, a := range alts {
		altKeys = append(altKeys, ix.thes.keys[a])
	}
	for _, c := range named {
		nat := ix.juris.equivalents(c, key, altKeys)
		if len(nat) == 0 {
			continue
		}
		alt := sc.array()
		for _, l := range nat {
			ix.addFields(alt, l, 1, tm, true)
		}
		for d, s := range alt {
			if s > u[d] && ix.mem.docs[d].of([]string{c}) {
				u[d] = s
			}
		}
		sc.release(alt)
	}
	if nterms > 1 {
		ph := sc.array()
		ix.addFields(ph, joinLeaves(parts), phraseScale, tm, false)
		for d, s := range ph {
			if u[d] > 0 {
				u[d] += s
			}
		}
		sc.release(ph)
	}
	return u
}

// askedQuestion returns the guiding question whose words cover the largest share of the
// query's weight (a word counts when it, or another form of it, is in the question), if that
// share is at least questionCoverage and no other question covers as much.
func (ix *Index) askedQuestion(parts []queryPart, weights []float64, total float64) (string, float64) {
	best, cover, tie := "", 0.0, false
	for k, qt := range ix.qs.terms {
		c := 0.0
		for i, p := range parts {
			if p.phrase || len(p.fixedTerms) != 1 {
				continue
			}
			in := func(t string) bool { return slices.Contains(qt, t) }
			if in(p.fixedTerms[0]) || slices.ContainsFunc(p.forms, in) {
				c += weights[i]
			}
		}
		c /= total
		switch {
		case c > cover:
			best, cover, tie = ix.qs.values[k], c, false
		case c == cover:
			tie = true
		}
	}
	if tie || cover < questionCoverage {
		return "", 0
	}
	return best, cover
}

// idf is how telling a term is: log(1 + N/df) over the corpus's entries.
func (ix *Index) idf(term string) float64 {
	df := ix.dict.termDF(term)
	return math.Log(1 + float64(len(ix.mem.docs))/float64(max(df, 1)))
}

// queryPart is one word or one "quoted phrase" of a query, with its analysed terms. fixed is
// the text with each misspelt word replaced by the nearest corpus word (the text itself when
// nothing is misspelt); bonuses and glossary terms are looked up in that form.
type queryPart struct {
	text      string
	phrase    bool
	terms     []string
	leaf      leaf     // terms with their positions from the start of the text
	span      uint32   // the positions the text takes, stop words included
	termForms []string // other forms of the word (see dictionary.relatedForms)
	fuzzy     []string // see fuzzyAlternatives

	fixed      string
	fixedTerms []string
	fixedLeaf  leaf
	fixedSpan  uint32
	forms      []string // other forms of the fixed word
}

// parse splits q into its parts and drops those the analyzer keeps nothing of (stop words).
// Only the first maxParts count: a longer query is a pasted text, not a search.
func (ix *Index) parse(q string) []queryPart {
	split := splitQuery(q)
	out := split[:0]
	for _, p := range split {
		var words []string
		p.leaf, p.span, words = ix.analyse(p.text)
		if len(p.leaf.terms) == 0 {
			continue
		}
		p.terms = p.leaf.terms
		if len(p.terms) == 1 {
			p.termForms = ix.dict.relatedForms(p.terms[0], maxForms)
		}
		p.fixed, p.fixedTerms, p.fixedLeaf, p.fixedSpan, p.forms = p.text, p.terms, p.leaf, p.span, p.termForms
		if !p.phrase {
			p.fuzzy = ix.fuzzyWords(words)
			if len(p.fuzzy) > 0 {
				p.fixed = p.fuzzy[0]
				p.fixedLeaf, p.fixedSpan, _ = ix.analyse(p.fixed)
				p.fixedTerms = p.fixedLeaf.terms
				p.forms = nil
				if len(p.fixedTerms) == 1 {
					p.forms = ix.dict.relatedForms(p.fixedTerms[0], maxForms)
				}
			}
		}
		out = append(out, p)
		if len(out) == maxParts {
			break
		}
	}
	return out
}

// analyse returns the terms of text with their positions from its start (a leaf whose first
// term may be at a position other than 0: see joinLeaves), the number of positions it takes, and
// its folded words, stop words included.
func (ix *Index) analyse(text string) (leaf, uint32, []string) {
	// A word of ASCII letters, the usual case, needs no analyzer when the corpus has it: its
	// folded form is its lower case spelt the American way, and the dictionary knows its term.
	if w, ok := plainWord(text); ok {
		if info, ok := ix.dict.words[w]; ok {
			if info.term == "" {
				return leaf{}, 1, []string{w}
			}
			return termLeaf(info.term), 1, []string{w}
		}
	}
	var l leaf
	for _, t := range ix.text.Analyze([]byte(text)) {
		l.terms = append(l.terms, string(t.Term))
		l.rel = append(l.rel, uint32(t.Position-1))
	}
	words := ix.words(text)
	return l, uint32(len(words)), words
}

// plainWord returns the folded form of text if it is one word of ASCII letters.
func plainWord(text string) (string, bool) {
	if text == "" {
		return "", false
	}
	for i := 0; i < len(text); i++ {
		if c := text[i] | 0x20; c < 'a' || c > 'z' {
			return "", false
		}
	}
	return americanize(strings.ToLower(text)), true
}

// joinLeaves is the phrase of the parts' fixed forms one after the other, as the analyzer
// would make of their texts joined by spaces.
func joinLeaves(parts []queryPart) leaf {
	var l leaf
	var at uint32
	for _, p := range parts {
		for i, t := range p.fixedLeaf.terms {
			l.terms = append(l.terms, t)
			l.rel = append(l.rel, at+p.fixedLeaf.rel[i])
		}
		at += p.fixedSpan
	}
	if len(l.rel) > 0 {
		first := l.rel[0]
		for i := range l.rel {
			l.rel[i] -= first
		}
	}
	return l
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

// fuzzyAlternatives returns text with each word that occurs in at most fuzzyMaxDF entries
// replaced by the nearest corpus words (by edit distance, see maxEdits), at most maxFuzzy
// variants; none when every word is known.
func (ix *Index) fuzzyAlternatives(text string) []string {
	return ix.fuzzyWords(ix.words(text))
}

// fuzzyWords is fuzzyAlternatives of a text's folded words.
func (ix *Index) fuzzyWords(words []string) []string {
	var alts []string
	for i, w := range words {
		term := ix.termOf(w)
		if term == "" || ix.dict.termDF(term) > fuzzyMaxDF {
			continue
		}
		var seen []string
		for _, c := range ix.dict.nearest(w, maxEdits(len([]rune(w))), maxFuzzy*2) {
			if slices.Contains(seen, c.info.term) || c.info.term == term || c.info.df <= ix.dict.termDF(term) {
				continue
			}
			seen = append(seen, c.info.term)
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
	check := func(w string) {
		ts, ok := documentWords[americanize(w)]
		if !ok {
			return
		}
		asks = true
		for _, t := range ts {
			if !slices.Contains(types, t) {
				types = append(types, t)
			}
		}
	}
	for _, p := range parts {
		w := strings.ToLower(p.fixed)
		check(w)
		if strings.ContainsAny(w, "- ") {
			for _, piece := range strings.FieldsFunc(w, func(r rune) bool { return r == '-' || r == ' ' }) {
				check(piece)
			}
		}
	}
	return asks, types
}

// didYouMean fills in out.Suggestion for a query that found nothing: every word the corpus
// does not know becomes the nearest word it does (the closest, then the most frequent), or is
// left out when there is none; the suggestion is kept only when it finds something.
func (ix *Index) didYouMean(ctx context.Context, r Request, out *Results, sc *scratch) {
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
		return
	}
	suggestion := strings.Join(parts, " ")
	tm, err := ix.textMatch(ctx, suggestion, sc)
	if tm == nil || err != nil {
		return
	}
	total := ix.count(tm, r)
	sc.release(tm.scores)
	if total > 0 {
		out.Suggestion, out.SuggestionTotal = suggestion, total
	}
}

// questionWords start a question.
var questionWords = map[string]bool{
	"how": true, "what": true, "which": true, "where": true, "who": true, "why": true, "when": true,
	"whom": true, "whose": true, "can": true, "could": true, "do": true, "does": true, "did": true,
	"is": true, "are": true, "should": true, "must": true, "may": true, "will": true, "would": true,
}

// isQuestion reports whether q is typed as a question: it starts with a question word or ends
// with a question mark.
func isQuestion(q string) bool {
	q = strings.TrimSpace(q)
	if strings.HasSuffix(q, "?") {
		return true
	}
	first, _, _ := strings.Cut(q, " ")
	return questionWords[strings.ToLower(first)]
}

// questionKindPrior is what an entry's score is multiplied by, for its kind, when the query is a
// question: definitions give way to the documents and findings that answer it. A country's
// profile keeps its score, as it is the answer to "how does Japan handle research security".
func questionKindPrior(kind string) float64 {
	switch kind {
	case "term", "concept", "techarea":
		return questionDefinitionPrior
	}
	return 1
}
