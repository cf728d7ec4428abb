package search

import (
	"strings"

	bleveSearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/highlight"
	htmlFormat "github.com/blevesearch/bleve/v2/search/highlight/format/html"
	simpleFragmenter "github.com/blevesearch/bleve/v2/search/highlight/fragmenter/simple"
	simpleHighlighter "github.com/blevesearch/bleve/v2/search/highlight/highlighter/simple"
)

// snippetSize is the length of a snippet, in bytes of text around the matches.
const snippetSize = 200

var (
	fragmenter = simpleFragmenter.NewFragmenter(snippetSize)
	formatter  = htmlFormat.NewFragmentFormatter("<mark>", "</mark>")
)

// snippet cuts the snippet of a hit from the section in which the most of the query's terms
// occur (the first such section on a tie), and names that section's anchor. Without a match in
// the body, it cuts the snippet from the summary. The text is the entry's own, HTML-escaped,
// with <mark> around each match the search located (a synonym or a corrected typo included).
func (ix *Index) snippet(h *bleveSearch.DocumentMatch) (snippet, anchor string) {
	doc, ok := ix.docs[h.ID]
	if !ok {
		return "", ""
	}
	if best, ok := bestSection(h.Locations["sections"]); ok && best < len(doc.sections) {
		s := cut(doc.sections[best], h.Locations["sections"], bleveSearch.ArrayPositions{uint64(best)})
		if best < len(doc.anchors) {
			anchor = doc.anchors[best]
		}
		return s, anchor
	}
	if tlm := h.Locations["summary"]; len(tlm) > 0 {
		return cut(doc.summary, tlm, nil), ""
	}
	return "", ""
}

// bestSection returns the array position of the section with the most distinct matched terms
// and, among those, the most matches.
func bestSection(tlm bleveSearch.TermLocationMap) (int, bool) {
	type score struct{ terms, matches int }
	scores := map[int]*score{}
	for _, locs := range tlm {
		seen := map[int]bool{}
		for _, l := range locs {
			if len(l.ArrayPositions) == 0 {
				continue
			}
			i := int(l.ArrayPositions[0])
			sc := scores[i]
			if sc == nil {
				sc = &score{}
				scores[i] = sc
			}
			sc.matches++
			if !seen[i] {
				seen[i] = true
				sc.terms++
			}
		}
	}
	best, found := 0, false
	var top score
	for i, sc := range scores {
		if !found || sc.terms > top.terms || sc.terms == top.terms && (sc.matches > top.matches ||
			sc.matches == top.matches && i < best) {
			best, top, found = i, *sc, true
		}
	}
	return best, found
}

// cut returns the best fragment of text around the term locations at array position pos,
// formatted as HTML with the matches marked, and "…" where the text goes on.
func cut(text string, tlm bleveSearch.TermLocationMap, pos bleveSearch.ArrayPositions) string {
	here := bleveSearch.TermLocationMap{}
	for term, locs := range tlm {
		for _, l := range locs {
			if l.ArrayPositions.Equals(pos) && int(l.End) <= len(text) {
				here[term] = append(here[term], l)
			}
		}
	}
	ordered := highlight.OrderTermLocations(here)
	orig := []byte(text)
	scorer := simpleHighlighter.NewFragmentScorer(here)
	var best *highlight.Fragment
	for _, f := range fragmenter.Fragment(orig, ordered) {
		f.ArrayPositions = pos
		scorer.Score(f)
		if best == nil || f.Score > best.Score {
			best = f
		}
	}
	if best == nil {
		return ""
	}
	ordered.MergeOverlapping()
	var b strings.Builder
	if best.Start != 0 {
		b.WriteString(simpleHighlighter.DefaultSeparator)
	}
	b.WriteString(formatter.Format(best, ordered))
	if best.End != len(best.Orig) {
		b.WriteString(simpleHighlighter.DefaultSeparator)
	}
	return strings.TrimSpace(b.String())
}
