// Stage 2, plan: takes the parts and gives what to look up for them: leaves (terms with
// positions), the runs of words that are glossary terms, the corpus words nearest to misspelt
// ones, how many units an entry must match, and, for a query that found nothing, the
// did-you-mean suggestion. The jurisdiction names are matched in jurisdiction.go, the
// glossary's equivalents in synonyms.go, the dictionary of corpus words in dictionary.go.

package search

import (
	"context"
	"slices"
	"strings"
)

// leaf is a word or a phrase: its analysed terms and their positions (a stop word inside a
// phrase leaves a gap: "transfer of knowledge" is transfer at 0, knowledg at 2). Only the
// positions' differences matter.
type leaf struct {
	terms []string
	rel   []uint32
}

// leafOf analyses text into a leaf; ok is false when the analyzer keeps nothing of it.
func (ix *Index) leafOf(text string) (leaf, bool) {
	toks := ix.text.Analyze([]byte(text))
	if len(toks) == 0 {
		return leaf{}, false
	}
	l := leaf{terms: make([]string, len(toks)), rel: make([]uint32, len(toks))}
	for i, t := range toks {
		l.terms[i] = string(t.Term)
		l.rel[i] = uint32(t.Position - toks[0].Position)
	}
	return l, true
}

func termLeaf(t string) leaf { return leaf{terms: []string{t}, rel: []uint32{0}} }

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

// joinedTerm is the corpus term that two adjacent words make when written as one, as
// "swiss universities" makes swissuniversities; "" when the corpus has no such word, or either
// part is a phrase or more than one word.
func (ix *Index) joinedTerm(a, b queryPart) string {
	if a.phrase || b.phrase || len(a.terms) != 1 || len(b.terms) != 1 || strings.ContainsAny(a.text+b.text, " -") {
		return ""
	}
	l, ok := ix.leafOf(a.text + b.text)
	if !ok || len(l.terms) != 1 {
		return ""
	}
	t := l.terms[0]
	if t == a.terms[0] || t == b.terms[0] || ix.dict.termDF(t) == 0 {
		return ""
	}
	return t
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

// minMatch is how many of n units an entry must match: one unit, or half of several (one of
// two, two of three or four). An entry's score is scaled by the share it matches, so the
// entries with every unit come first as a rule, and a query degrades to those with most of its
// units instead of finding nothing when no entry has them all.
func minMatch(n int) int {
	return (n + 1) / 2
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
	tm, err := ix.match(ctx, suggestion, sc)
	if tm == nil || err != nil {
		return
	}
	total := ix.count(tm, r)
	sc.release(tm.scores)
	if total > 0 {
		out.Suggestion, out.SuggestionTotal = suggestion, total
	}
}
