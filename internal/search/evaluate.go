// Stage 3, evaluate: takes the parts and scores every entry over the in-memory postings: BM25
// per field for each unit of the query, the units combined, then the fixed bonuses and the
// priors. It gives a textMatch: a score per entry (0 where it does not match) and the leaves
// that snippets mark. The ranking weights are here.

package search

import (
	"context"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// fieldBoosts weigh where a word matches: in the title, the summary, a country's national
// terms or a glossary entry's synonyms (terms), the body's sections, the entry's theme, type
// and guiding-question labels (tags), its issuer and country names (meta), or its title in the
// document's own language (original), for queries in that language.
var fieldBoosts = [numFields]float64{
	fieldTitle: 3, fieldSummary: 2, fieldTerms: 1, fieldSections: 0.85, fieldTags: 0.75, fieldMeta: 0.1,
	fieldOriginal: 2, fieldNative: 2,
}

// Ranking weights, tuned against testdata/judgments.json (see docs/search.md).
const (
	textScale    = 0.25 // the units' BM25 sum, per unit of the query's weight (see textMatch)
	phraseScale  = 0.4  // a glossary term's words found together, on top of the words alone
	synonymScale = 0.3  // an equivalent glossary term, relative to the term as typed
	formScale    = 0.75 // another form of a word (definition for define)
	fuzzyScale   = 0.3  // a corpus word one or two letters from a misspelt word

	// A jurisdiction named in the query: its entries score jurisdictionScale times the name's
	// weight for it (divided among the jurisdictions an entry covers), about what a word in
	// the title and the summary scores.
	jurisdictionScale = 10.0

	// Fixed bonuses, added to the scaled text score (a few points for a good match).
	exactTitleBonus  = 5.0  // the whole query is the title
	titlePhraseBonus = 0.25 // the whole query is a phrase of the title
	titleWordsBonus  = 0.3  // every word of the query is in the title (shared by rarity)
	pairBonus        = 0.05 // two neighbouring query words side by side, anywhere
	titlePairBonus   = 0.4  // two neighbouring query words side by side in the title (by rarity)
	guidanceBonus    = 0.1  // guidance, for queries that name a kind of document
	typeBonus        = 0.15 // guidance of the type the query names
	typedTermBonus   = 0.25 // a glossary term as typed rather than an equivalent
	acronymBonus     = 1.0  // a word is the acronym in the title's parentheses (by rarity)
	// A query that covers at least questionCoverage of its weight with the words of one of the
	// workshop's guiding questions asks that question: the findings on it get questionBonus
	// times the share covered.
	questionCoverage = 0.5
	questionBonus    = 0.6

	// Priors, by which an entry's score is multiplied (see prior).
	supersededPrior = 0.8
	withdrawnPrior  = 0.6
	// Question concepts and technology areas are short definitional pages, and a concept's
	// body lists the titles of the frameworks that ask about it: they give way to the
	// documents on the same thing.
	conceptPrior  = 0.8
	techAreaPrior = 0.8
	// A milestone scores at most this share of the entry it dates, when both match.
	milestoneShare = 0.7
	// In a question, definitions (glossary terms, question concepts, technology areas) give way
	// to the documents and findings that answer it.
	questionDefinitionPrior = 0.8
	// An entry's score is multiplied by the share of the query's weight it matches, to this
	// power: a little flatter than the share itself, so that an entry with most of the rare
	// words is not sunk by the one it lacks.
	coveragePower = 0.75
	// A question framework, for a query that asks for questions, a form or a checklist (see
	// askQuestionWords).
	frameworkBonus = 0.5
)

// askQuestionWords ask for questions to put or a form to fill in: a query with one of them
// lifts the question frameworks (kind framework), whose questions are the answer.
var askQuestionWords = map[string]bool{
	"question": true, "questions": true, "questionnaire": true, "questionnaires": true,
	"form": true, "forms": true, "checklist": true, "checklists": true,
}

// textMatch is what a query's text makes of the entries: each one's score (0 where it does
// not match), and the words and phrases whose occurrences a snippet marks.
type textMatch struct {
	scores *docScores
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
	covered := sc.array() // the query's weight in the units matched, per entry
	nunits := 0
	unitWeight := 0.0
	addUnit := func(u *docScores, w float64) {
		for _, d := range u.on {
			if s := u.v[d]; s > 0 {
				scores.add(d, s)
				matched.add(d, 1)
				covered.add(d, w)
			}
		}
		sc.release(u)
		nunits++
		unitWeight += w
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
			sc.release(scores, matched, fixed, covered)
			return nil, err
		}
		p := parts[i]
		// A glossary phrase ("research security") is not a misspelt word, whatever the corpus's
		// web addresses run together.
		if j, _ := ix.concept(parts, i); i+1 < len(parts) && j == i {
			if t := ix.joinedTerm(p, parts[i+1]); t != "" {
				addUnit(ix.joinedUnit(p, parts[i+1], t, tm, sc), share(i, i+2))
				i += 2
				continue
			}
		}
		switch {
		case p.phrase:
			u := sc.array()
			ix.addFields(u, p.leaf, 1, tm, false)
			addUnit(u, weights[i])
			i++
			continue
		case jurisOf[i] != nil:
			j := i + 1
			for j < len(parts) && slices.Equal(jurisOf[j], jurisOf[i]) {
				j++
			}
			addUnit(ix.jurisdictionUnit(parts[i:j], jurisOf[i], share(i, j), tm, sc), share(i, j))
			i = j
			continue
		}
		if concepts < maxConcepts {
			if j, key := ix.concept(parts, i); j > i {
				addUnit(ix.conceptUnit(parts[i:j], key, share(i, j)/total, named, fixed, tm, sc), share(i, j))
				concepts++
				i = j
				continue
			}
		}
		addUnit(ix.wordUnit(p, tm, sc), weights[i])
		i++
	}
	need := float64(minMatch(nunits))
	norm := textScale / total
	for _, d := range scores.on {
		if matched.v[d] < need {
			scores.v[d] = 0
			continue
		}
		// The share of the query matched counts each unit by its weight, so that an entry
		// with the query's rare words passes one with as many of its common ones.
		// (math.Pow is skipped for the entries with every unit, most of a broad query's hits.)
		c := 1.0
		if covered.v[d] < unitWeight {
			c = math.Pow(covered.v[d]/unitWeight, coveragePower)
		}
		scores.v[d] *= norm * c
		scores.v[d] += fixed.v[d]
	}
	sc.release(matched, fixed, covered)
	ix.addBonuses(q, parts, weights, total, jurisOf, scores, tm)
	tm.scores = scores
	return tm, nil
}

// parallelDocs is the corpus size from which match scores ranges of the corpus side by side:
// below it, a query takes well under a millisecond and a goroutine would not pay.
const parallelDocs = 20000

// match scores the entries for q, as textMatch does, then lets milestones give way (see
// milestones). On a corpus of parallelDocs or more and a machine of several cores, it splits
// the document numbers into one range per core (at most four) and scores each range in its own goroutine with
// its own scratch, the postings of the range only; as every entry's score depends on its own
// postings alone, the joined scores are those of one pass. The answer to one query then comes
// about twice as fast on two cores.
func (ix *Index) match(ctx context.Context, q string, sc *scratch) (*textMatch, error) {
	n := len(ix.mem.docs)
	shards := 1
	switch {
	case ix.ranges > 0:
		shards = min(ix.ranges, n)
	case n >= parallelDocs && strings.TrimSpace(q) != "":
		shards = min(runtime.GOMAXPROCS(0), 4)
	}
	if shards < 2 {
		tm, err := ix.textMatch(ctx, q, sc)
		if tm != nil {
			ix.mem.milestones(tm.scores)
		}
		return tm, err
	}
	scs := make([]*scratch, shards)
	tms := make([]*textMatch, shards)
	errs := make([]error, shards)
	for i := range shards {
		scs[i] = sc
		if i > 0 {
			scs[i] = getScratch(n)
		}
		scs[i].lo, scs[i].hi = int32(n*i/shards), int32(n*(i+1)/shards)
	}
	parallel(shards, func(i int) { tms[i], errs[i] = ix.textMatch(ctx, q, scs[i]) })
	sc.lo, sc.hi = 0, int32(n)
	defer func() {
		for _, s := range scs[1:] {
			putScratch(s)
		}
	}()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	tm := tms[0]
	if tm == nil {
		return nil, nil // no words to search for, the same in every range
	}
	tm.scores.lo, tm.scores.hi = 0, int32(n)
	for _, t := range tms[1:] {
		for _, d := range t.scores.on {
			tm.scores.set(d, t.scores.v[d])
		}
		t.sc.release(t.scores)
	}
	ix.mem.milestones(tm.scores)
	return tm, nil
}

// wordUnit matches one word. A word joined by hyphens ("dual-use", "NSPM-33") is a phrase of
// its pieces, so "dual-use" and "dual use" find the same entries. A word also matches, at lower
// weights, the other forms of it the stemmer misses, and, when the corpus (almost) does not
// have it, the corpus words nearest to it. The unit scores the best of these.
func (ix *Index) wordUnit(p queryPart, tm *textMatch, sc *scratch) *docScores {
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
	// The word as each language of the original titles analyses it, in those titles.
	for _, t := range ix.native.terms(p.text) {
		ix.mem.add(alt, termLeaf(t), fieldNative, fieldBoosts[fieldNative]*formScale)
		best(u, alt)
	}
	sc.release(alt)
	return u
}

// joinedUnit matches two adjacent words that the corpus also writes as one ("swiss
// universities", "swissuniversities"): the entries with both words, or with the one word t.
func (ix *Index) joinedUnit(a, b queryPart, t string, tm *textMatch, sc *scratch) *docScores {
	u := ix.wordUnit(a, tm, sc)
	allOf(u, ix.wordUnit(b, tm, sc), sc)
	alt := sc.array()
	ix.addFields(alt, termLeaf(t), 1, tm, false)
	best(u, alt)
	sc.release(alt)
	return u
}

// jurisdictionUnit matches the name of a jurisdiction: the entries of the jurisdiction score as
// if they had the name in their title and summary, whatever they say (the findings' titles all
// start with their country's name), and other entries by where they mention it. weight is the
// name's share of the query.
func (ix *Index) jurisdictionUnit(parts []queryPart, codes []string, weight float64, tm *textMatch, sc *scratch) *docScores {
	u := ix.wordUnit(parts[0], tm, sc)
	for _, p := range parts[1:] {
		allOf(u, ix.wordUnit(p, tm, sc), sc)
	}
	// An entry about several jurisdictions is each one's only in part: a glossary term used
	// in eight countries is not an entry of any of them the way a country's own guideline is.
	j := jurisdictionScale * weight
	ix.mem.eachOf(codes, u.lo, u.hi, func(d int32) { u.set(d, j/float64(len(ix.mem.docs[d].countries))) })
	return u
}

// conceptUnit matches a glossary term typed as words: the words anywhere, or one of the
// term's equivalents as a phrase (weighted down), so that entries written in another country's
// term are found below those in the term as typed; the words side by side earn a bonus. In the
// entries of a jurisdiction the query names, that jurisdiction's own terms for the field count
// as the term as typed. Fixed bonuses go to fixed, which is added to the text score after it is
// scaled.
func (ix *Index) conceptUnit(parts []queryPart, key string, share float64, named []string, fixed *docScores, tm *textMatch, sc *scratch) *docScores {
	typed := ix.wordUnit(parts[0], tm, sc)
	nterms := len(parts[0].terms)
	for _, p := range parts[1:] {
		nterms += len(p.terms)
		allOf(typed, ix.wordUnit(p, tm, sc), sc)
	}
	u := sc.array()
	u.copyFrom(typed)
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
		for _, d := range typed.on {
			if typed.v[d] > 0 {
				fixed.add(d, typedTermBonus*share)
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
		of := ix.mem.valueSet("country", c)
		for _, d := range alt.on {
			if s := alt.v[d]; s > u.v[d] && of != nil && of.has(d) {
				u.set(d, s)
			}
		}
		sc.release(alt)
	}
	if nterms > 1 {
		ph := sc.array()
		ix.addFields(ph, joinLeaves(parts), phraseScale, tm, false)
		for _, d := range ph.on {
			if u.v[d] > 0 {
				u.v[d] += ph.v[d]
			}
		}
		sc.release(ph)
	}
	return u
}

// addFields adds l's BM25 score in every field, weighted by the field's boost times scale, to
// acc; skipTerms leaves out the terms field. l's occurrences will be marked in snippets.
func (ix *Index) addFields(acc *docScores, l leaf, scale float64, tm *textMatch, skipTerms bool) {
	tm.leaves = append(tm.leaves, l)
	for f := range numFields {
		// The native field holds other languages' stems: only nativeTerms look there, or the
		// original title would count twice.
		if skipTerms && field(f) == fieldTerms || field(f) == fieldNative {
			continue
		}
		ix.mem.add(acc, l, field(f), fieldBoosts[f]*scale)
	}
}

// best sets u to the higher of u and alt, entry by entry, and clears alt.
func best(u, alt *docScores) {
	for _, d := range alt.on {
		if s := alt.v[d]; s > u.v[d] {
			u.set(d, s)
		}
	}
	alt.reset()
}

// allOf keeps in u the entries that w matches too, adding w's score; w is released.
func allOf(u, w *docScores, sc *scratch) {
	for _, d := range u.on {
		if s := w.v[d]; s > 0 && u.v[d] > 0 {
			u.v[d] += s
		} else {
			u.v[d] = 0
		}
	}
	sc.release(w)
}

// addBonuses adds the fixed bonuses to the entries the text matches and applies the priors
// (milestones give way to the entries they date afterwards, in milestones).
func (ix *Index) addBonuses(q string, parts []queryPart, weights []float64, total float64, jurisOf [][]string, scores *docScores, tm *textMatch) {
	m := ix.mem
	sc := tm.sc
	bonus, inTitle := sc.array(), sc.array()
	defer sc.release(bonus, inTitle)
	addTo := func(b *docScores, c float64) {
		for _, d := range b.on {
			if b.v[d] > 0 && scores.v[d] > 0 {
				scores.v[d] += c
			}
		}
		b.reset()
	}
	add := func(c float64) { addTo(bonus, c) }
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
			m.eachOf(codes, bonus.lo, bonus.hi, func(d int32) { bonus.set(d, 1) })
		}
		add(titleWordsBonus * weights[i] / total)
		// A word that is the acronym a title gives in parentheses names that entry.
		if len(p.fixedTerms) == 1 {
			for _, d := range m.acronyms[p.fixedTerms[0]] {
				if bonus.owns(d) {
					bonus.set(d, 1)
				}
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
		// The title once: the entries with the pair there need no look in the other fields.
		m.mark(inTitle, l, 1, fieldTitle)
		bonus.copyFrom(inTitle)
		m.mark(bonus, l, 1, fieldSummary, fieldSections)
		add(pairBonus)
		addTo(inTitle, titlePairBonus*(weights[i]+weights[i+1])/total)
	}
	if q, cover := ix.askedQuestion(parts, weights, total); q != "" {
		for _, d := range scores.on {
			if scores.v[d] > 0 && m.docs[d].question == q {
				scores.v[d] += questionBonus * cover
			}
		}
	}
	exact := strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(q, `"`, " ")), " "))
	for _, d := range m.titles[exact] {
		if scores.v[d] > 0 {
			scores.v[d] += exactTitleBonus
		}
	}
	asks, types := askedTypes(parts)
	// The entries of each type asked for, from the type facet's bitsets (nil for a type no
	// entry has).
	typeBits := make([]bitset, len(types))
	for i, t := range types {
		typeBits[i] = m.valueSet("type", t)
	}
	question := isQuestion(q)
	asksQuestions := slices.ContainsFunc(parts, func(p queryPart) bool { return askQuestionWords[strings.ToLower(p.fixed)] })
	for _, d := range scores.on {
		if scores.v[d] <= 0 {
			continue
		}
		rk := &m.rank[d]
		if question && rk.kind == rankDefinition {
			scores.v[d] *= questionDefinitionPrior
		}
		if asksQuestions && rk.kind == rankFramework {
			scores.v[d] += frameworkBonus
		}
		if asks && rk.kind == rankGuidance {
			scores.v[d] += guidanceBonus
			for _, b := range typeBits {
				if b != nil && b.has(d) {
					scores.v[d] += typeBonus
				}
			}
		}
		scores.v[d] *= rk.prior
	}
}

// milestones lets a milestone give way to the entry whose event it dates, when both match: it
// scores at most milestoneShare of that entry's score, the entry's own cut included when the
// entry is a milestone too (followed up to maxMilestoneChain steps, which also ends a cycle).
// Every cut is worked out from the scores before any is made, so the order of the entries does
// not matter; and as the two may be scored in different ranges (see match), this comes after
// the ranges are joined.
func (m *memory) milestones(scores *docScores) {
	var capped func(d int32, depth int) float64
	capped = func(d int32, depth int) float64 {
		s := scores.v[d]
		if r := m.rank[d].dates; r >= 0 && s > 0 && scores.v[r] > 0 && depth < maxMilestoneChain {
			return min(s, capped(r, depth+1)*milestoneShare)
		}
		return s
	}
	type cut struct {
		d int32
		s float64
	}
	var cuts []cut
	for _, d := range scores.on {
		if r := m.rank[d].dates; r >= 0 && scores.v[d] > 0 && scores.v[r] > 0 {
			cuts = append(cuts, cut{d, capped(d, 0)})
		}
	}
	for _, c := range cuts {
		scores.v[c.d] = c.s
	}
}

// maxMilestoneChain is how many milestones dating one another milestones follows.
const maxMilestoneChain = 8

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

// idf is how telling a term is: log(1 + N/df) over the corpus's entries.
func (ix *Index) idf(term string) float64 {
	df := ix.dict.termDF(term)
	return math.Log(1 + float64(len(ix.mem.docs))/float64(max(df, 1)))
}

// BM25, per field: a term scores idf × tf(k1+1) / (tf + k1(1 - b + b·len/avgLen)) in a field,
// with idf = ln(1 + (N - df + 0.5)/(df + 0.5)) over the N entries and the df entries that have
// the term in any field, len the field's length in terms and avgLen its mean over the entries
// that have the field. (bleve's own BM25 divides by the field's vocabulary per document instead
// of its mean length, which sinks every long entry.)
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// idf is BM25's inverse document frequency of a term in df of the entries.
func (m *memory) idf(df int) float64 {
	n := float64(len(m.docs))
	return math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
}

// tfNorm is BM25's saturated, length-normalised term frequency of tf occurrences in doc's f.
func (m *memory) tfNorm(f field, tf float64, doc int32) float64 {
	return tf * (bm25K1 + 1) / (tf + m.lenNorm[f][doc])
}

// idfSum is a leaf's weight: the sum of its terms' idf (a phrase weighs as its words). It is
// 0 when a term does not occur in f, where the leaf cannot match.
func (m *memory) idfSum(l leaf, f field) float64 {
	s := 0.0
	for _, t := range l.terms {
		tp := m.terms[t]
		if tp == nil || tp.fields[f] == nil {
			return 0
		}
		s += tp.idf
	}
	return s
}

// add adds to acc, for every document in which l occurs in f, w times its BM25 score there.
func (m *memory) add(acc *docScores, l leaf, f field, w float64) {
	idf := m.idfSum(l, f)
	if idf == 0 {
		return
	}
	m.walk(l, f, false, nil, acc.lo, acc.hi, func(doc int32, tf int) {
		acc.add(doc, w*idf*m.tfNorm(f, float64(tf), doc))
	})
}

// mark sets acc to c for every document in which l occurs in one of fields. A document already
// at c is not looked at again: a phrase found in the title is not looked for in the sections.
func (m *memory) mark(acc *docScores, l leaf, c float64, fields ...field) {
	done := func(d int32) bool { return acc.in[d] && acc.v[d] == c }
	for _, f := range fields {
		m.walk(l, f, true, done, acc.lo, acc.hi, func(doc int32, _ int) { acc.set(doc, c) })
	}
}

// walk calls fn for every document from lo to hi (excluded) in which l occurs in f, in order,
// with the number of occurrences (for a phrase, of the whole phrase). With once, a phrase's
// occurrences in a document are looked for only until the first (tf is then 1), which is all
// that mark needs, and a phrase is not looked for in the documents skip (if not nil) reports.
func (m *memory) walk(l leaf, f field, once bool, skip func(int32) bool, lo, hi int32, fn func(doc int32, tf int)) {
	// A phrase of up to eight terms, the usual case, needs no allocation.
	var buf [8]*postingList
	lists := buf[:]
	if len(l.terms) > len(buf) {
		lists = make([]*postingList, len(l.terms))
	}
	for i, t := range l.terms {
		tp := m.terms[t]
		if tp == nil || tp.fields[f] == nil {
			return
		}
		lists[i] = tp.fields[f]
	}
	first := lists[0]
	if len(l.terms) == 1 {
		for i := seek(first.docs, 0, lo); i < len(first.docs) && first.docs[i] < hi; i++ {
			fn(first.docs[i], int(first.off[i+1]-first.off[i]))
		}
		return
	}
	n := len(l.terms)
	var cbuf, abuf [8]int
	cursor, at := cbuf[:], abuf[:]
	if n > len(cbuf) {
		cursor, at = make([]int, n), make([]int, n)
	}
	// The rarest term leads and the others are sought in its documents, so that a phrase of a
	// rare and a common word costs about the rare word's documents.
	lead := 0
	for k := 1; k < n; k++ {
		if len(lists[k].docs) < len(lists[lead].docs) {
			lead = k
		}
	}
	leadDocs := lists[lead].docs
	for li := seek(leadDocs, 0, lo); li < len(leadDocs) && leadDocs[li] < hi; li++ {
		d := leadDocs[li]
		if skip != nil && skip(d) {
			continue
		}
		found := true
		for k := 0; k < n; k++ {
			if k == lead {
				cursor[k] = li
				continue
			}
			p := lists[k]
			c := seek(p.docs, cursor[k], d)
			cursor[k] = c
			if c == len(p.docs) {
				return
			}
			if p.docs[c] != d {
				found = false
				break
			}
		}
		if !found {
			continue
		}
		tf := 0
		clear(at)
		for _, o := range first.occurrences(cursor[0]) {
			if phraseAt(l, lists[:len(l.terms)], cursor[:len(l.terms)], at[:len(l.terms)], o) {
				if tf++; once {
					break
				}
			}
		}
		if tf > 0 {
			fn(d, tf)
		}
	}
}

// seek returns the first index from c at which docs holds d or more: a galloping search, so
// that skipping far ahead in a long list costs its logarithm.
func seek(docs []int32, c int, d int32) int {
	if c >= len(docs) || docs[c] >= d {
		return c
	}
	hi, step := c+1, 1
	for hi < len(docs) && docs[hi] < d {
		c = hi
		step *= 2
		hi = c + step
	}
	hi = min(hi, len(docs))
	i, _ := slices.BinarySearch(docs[c+1:hi], d)
	return c + 1 + i
}

// phraseAt reports whether l's other terms follow the first term's occurrence o, in the
// documents at cursor of their lists. Occurrences are in text order (see loadField), and so
// are the o of one document: at[k] is where the search in term k's occurrences resumes, so
// that each is read once per document instead of once per occurrence of the first term.
func phraseAt(l leaf, lists []*postingList, cursor, at []int, o loc) bool {
	for k := 1; k < len(l.terms); k++ {
		want := o.pos + l.rel[k] - l.rel[0]
		occ := lists[k].occurrences(cursor[k])
		i := at[k]
		for i < len(occ) && (occ[i].section < o.section || occ[i].section == o.section && occ[i].pos < want) {
			i++
		}
		at[k] = i
		if i == len(occ) || occ[i].section != o.section || occ[i].pos != want {
			return false
		}
	}
	return true
}

// docScores is a score per entry that costs what it holds, not the corpus: a dense array, and the
// entries written since it was last cleared, in the order they were first written. A query's
// passes (combining units, bonuses, collecting hits) go over the entries written, so a query
// whose words are in 200 of 100,000 entries reads 200 of them, and clearing costs the same.
type docScores struct {
	v  []float64
	in []bool  // whether the entry is in on
	on []int32 // the entries written, each once
	// lo and hi bound the document numbers the scores are for (see match): the postings read
	// into them are those of [lo, hi).
	lo, hi int32
}

func newScores(n int) *docScores {
	return &docScores{v: make([]float64, n), in: make([]bool, n), hi: int32(n)}
}

// owns reports whether d is in the scores' range.
func (s *docScores) owns(d int32) bool { return s.lo <= d && d < s.hi }

// touch records that d is written.
func (s *docScores) touch(d int32) {
	if !s.in[d] {
		s.in[d] = true
		s.on = append(s.on, d)
	}
}

// add adds x to d's score.
func (s *docScores) add(d int32, x float64) {
	s.touch(d)
	s.v[d] += x
}

// set sets d's score to x.
func (s *docScores) set(d int32, x float64) {
	s.touch(d)
	s.v[d] = x
}

// reset sets every score to 0.
func (s *docScores) reset() {
	for _, d := range s.on {
		s.v[d] = 0
		s.in[d] = false
	}
	s.on = s.on[:0]
}

// copyFrom makes s a copy of t; s must be empty.
func (s *docScores) copyFrom(t *docScores) {
	for _, d := range t.on {
		s.set(d, t.v[d])
	}
}

// scratch is one search's working memory: score arrays reused through a pool, so that a search
// allocates little.
type scratch struct {
	n      int
	lo, hi int32 // the range of the arrays it gives (see docScores)
	free   []*docScores
	ints   []int
	hits   []scored
	marks  []mark
	bits   []bitset
}

var scratchPool sync.Pool

func getScratch(n int) *scratch {
	if s, ok := scratchPool.Get().(*scratch); ok && s.n == n {
		s.lo, s.hi = 0, int32(n)
		return s
	}
	return &scratch{n: n, hi: int32(n)}
}

func putScratch(s *scratch) { scratchPool.Put(s) }

// array returns scores of 0 for every entry, for the scratch's range of entries.
func (s *scratch) array() *docScores {
	if k := len(s.free); k > 0 {
		a := s.free[k-1]
		s.free = s.free[:k-1]
		a.reset()
		a.lo, a.hi = s.lo, s.hi
		return a
	}
	a := newScores(s.n)
	a.lo, a.hi = s.lo, s.hi
	return a
}

// release gives arrays back for reuse.
func (s *scratch) release(as ...*docScores) {
	for _, a := range as {
		if a != nil && !slices.Contains(s.free, a) {
			s.free = append(s.free, a)
		}
	}
}

// bitset returns the i-th bitset of n entries, its contents undefined.
func (s *scratch) bitset(i, n int) bitset {
	for len(s.bits) <= i {
		s.bits = append(s.bits, newBitset(n))
	}
	return s.bits[i]
}

// counts returns a zeroed slice of n ints.
func (s *scratch) counts(n int) []int {
	if cap(s.ints) < n {
		s.ints = make([]int, n)
	}
	s.ints = s.ints[:n]
	clear(s.ints)
	return s.ints
}
