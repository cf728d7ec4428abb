package search

import (
	"context"
	"os"
	"strings"
	"testing"

	bleveSearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/highlight"
	htmlFormat "github.com/blevesearch/bleve/v2/search/highlight/format/html"
	simpleFragmenter "github.com/blevesearch/bleve/v2/search/highlight/fragmenter/simple"
	simpleHighlighter "github.com/blevesearch/bleve/v2/search/highlight/highlighter/simple"

	"github.com/research-security-atlas/atlas/internal/content"
)

// bleveCut is how snippets were cut with bleve's simple highlighter, which cut reproduces
// without its allocations.
func bleveCut(text string, tlm bleveSearch.TermLocationMap, pos bleveSearch.ArrayPositions) string {
	here := bleveSearch.TermLocationMap{}
	for term, locs := range tlm {
		for _, l := range locs {
			if l.ArrayPositions.Equals(pos) && int(l.End) <= len(text) {
				here[term] = append(here[term], l)
			}
		}
	}
	ordered := highlight.OrderTermLocations(here)
	scorer := simpleHighlighter.NewFragmentScorer(here)
	var best *highlight.Fragment
	for _, f := range simpleFragmenter.NewFragmenter(snippetSize).Fragment([]byte(text), ordered) {
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
	b.WriteString(htmlFormat.NewFragmentFormatter("<mark>", "</mark>").Format(best, ordered))
	if best.End != len(best.Orig) {
		b.WriteString(simpleHighlighter.DefaultSeparator)
	}
	return strings.TrimSpace(b.String())
}

// Snippets are cut exactly as bleve's simple highlighter cuts them, from summaries and
// sections, in ASCII and in other scripts.
func TestSnippetsAsBleveCutsThem(t *testing.T) {
	_, ix := realMemory(t)
	n := 0
	for _, q := range []string{"research security", "partner screening", "export control dual use", "kennisveiligheid",
		"reserch securty", `"open as possible"`, "sécurité", "Wissenssicherheit", "university partnerships", "NSPM-33"} {
		sc := getScratch(len(ix.mem.docs))
		tm, _ := ix.textMatch(context.Background(), q, sc)
		for d, s := range tm.scores {
			if s <= 0 {
				continue
			}
			doc := &ix.mem.docs[d]
			for _, f := range []field{fieldSections, fieldSummary} {
				var ms []mark
				for _, l := range tm.leaves {
					ms = ix.mem.marks(ms, l, f, int32(d))
				}
				if len(ms) == 0 {
					continue
				}
				text, pos, sec := doc.summary, bleveSearch.ArrayPositions(nil), uint32(0)
				if f == fieldSections {
					best, _ := bestSection(append([]mark(nil), ms...))
					if best >= len(doc.sections) {
						continue
					}
					text, pos, sec = doc.sections[best], bleveSearch.ArrayPositions{uint64(best)}, uint32(best)
				}
				tlm := bleveSearch.TermLocationMap{}
				var here []mark
				for _, m := range ms {
					var ap bleveSearch.ArrayPositions
					if f == fieldSections {
						ap = bleveSearch.ArrayPositions{uint64(m.section)}
					}
					tlm[m.term] = append(tlm[m.term], &bleveSearch.Location{Start: uint64(m.start), End: uint64(m.end), ArrayPositions: ap})
					if m.section == sec && m.end <= len(text) {
						here = append(here, m)
					}
				}
				n++
				if got, want := cut(text, here), bleveCut(text, tlm, pos); got != want {
					t.Errorf("%q, %s:\n got %s\nwant %s", q, doc.id, got, want)
				}
			}
		}
		putScratch(sc)
	}
	if n < 500 {
		t.Errorf("compared only %d snippets", n)
	}
}

// realMemory loads the real content/ and searches it in memory.
func realMemory(t *testing.T) (*content.Corpus, *Index) {
	t.Helper()
	corpus, _, err := content.Load(os.DirFS("../../content"), ".", content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := NewMemory(corpus)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return corpus, ix
}
