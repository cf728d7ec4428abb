package search

import (
	"context"
	"html"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

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

// Snippets are chosen exactly as bleve's simple highlighter chooses them, from summaries and
// sections, in ASCII and in other scripts (cut then moves their ends to word boundaries).
func TestSnippetsAsBleveCutsThem(t *testing.T) {
	_, ix := realMemory(t)
	n := 0
	for _, q := range []string{"research security", "partner screening", "export control dual use", "kennisveiligheid",
		"reserch securty", `"open as possible"`, "sécurité", "Wissenssicherheit", "university partnerships", "NSPM-33"} {
		sc := getScratch(len(ix.mem.docs))
		tm, _ := ix.textMatch(context.Background(), q, sc)
		for _, d := range tm.scores.on {
			if tm.scores.v[d] <= 0 {
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
				start, end, _ := choose(text, here)
				if got, want := render(text, here, start, end), bleveCut(text, tlm, pos); got != want {
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

// Snippets start and end on word boundaries, never inside a word, in every script; the
// marks stay whole.
func TestSnippetsOnWordBoundaries(t *testing.T) {
	_, ix := realMemory(t)
	n := 0
	for _, q := range []string{"research security", "partner screening", "export control dual use", "protecting data",
		"kennisveiligheid", "sécurité", "Wissenssicherheit", "研究セキュリティ", "연구보안", "國家核心關鍵技術"} {
		res, err := ix.Search(t.Context(), Request{Query: q, Page: 1, Size: 50})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			if h.Snippet == "" {
				continue
			}
			n++
			text := html.UnescapeString(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(h.Snippet))
			if s, ok := strings.CutPrefix(text, ellipsis); ok {
				if r, _ := utf8.DecodeRuneInString(s); wordRune(r) && !wordStartIn(ix, h.ID, s) {
					t.Errorf("%q, %s: snippet starts inside a word: %q", q, h.ID, h.Snippet)
				}
			}
			if s, ok := strings.CutSuffix(text, ellipsis); ok {
				if r, _ := utf8.DecodeLastRuneInString(s); wordRune(r) && !wordEndIn(ix, h.ID, s) {
					t.Errorf("%q, %s: snippet ends inside a word: %q", q, h.ID, h.Snippet)
				}
			}
		}
	}
	if n < 100 {
		t.Errorf("checked only %d snippets", n)
	}
}

// wordStartIn reports whether s follows a non-word character (or the start) wherever it occurs
// in the entry's summary or sections.
func wordStartIn(ix *Index, id string, s string) bool {
	d := &ix.mem.docs[ix.mem.byID[id]]
	for _, text := range append([]string{d.summary}, d.sections...) {
		if i := strings.Index(text, s); i >= 0 {
			return i == 0 || !inWord(text, i)
		}
	}
	return true
}

// wordEndIn reports whether s is followed by a non-word character (or the end) where it occurs.
func wordEndIn(ix *Index, id string, s string) bool {
	d := &ix.mem.docs[ix.mem.byID[id]]
	for _, text := range append([]string{d.summary}, d.sections...) {
		if i := strings.Index(text, s); i >= 0 {
			j := i + len(s)
			return j == len(text) || !inWord(text, j)
		}
	}
	return true
}

// Curator notes (front matter notes) are never searched or shown: words that only a note has
// find nothing, and no snippet quotes a note.
func TestNotesNeverInSnippets(t *testing.T) {
	corpus, ix := realMemory(t)
	withNotes := 0
	for _, e := range corpus.Entries {
		if e.Notes == "" {
			continue
		}
		withNotes++
		for _, s := range append([]string{e.Summary}, ix.mem.docs[ix.mem.byID[e.ID]].sections...) {
			if strings.Contains(s, strings.TrimSpace(e.Notes)) {
				t.Errorf("%s: the notes are in the searched text", e.ID)
			}
		}
	}
	if withNotes < 50 {
		t.Errorf("only %d entries with notes: the test needs the real corpus", withNotes)
	}
	// "fliphtml5" is only in the notes of the Korean plan.
	res, err := ix.Search(t.Context(), Request{Query: "fliphtml5", Page: 1, Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 0 {
		t.Errorf("a word of the notes alone found %d entries", res.Total)
	}
	res, err = ix.Search(t.Context(), Request{Query: "Korea research security plan", Page: 1, Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		if strings.Contains(h.Snippet, "fliphtml5") || strings.Contains(h.Snippet, "corpus review") {
			t.Errorf("%s: the snippet quotes the notes: %q", h.ID, h.Snippet)
		}
	}
}
