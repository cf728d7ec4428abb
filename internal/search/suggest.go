package search

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/unicodenorm"
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"

	"github.com/research-security-atlas/atlas/internal/content"
)

// Suggestion is one completion of what a user has started to type: an entry's title, or one of
// the words a glossary entry lists as the same (then Term names that entry's title).
type Suggestion struct {
	Text string // what to show and to put in the search box
	ID   string // the entry it leads to
	Kind string // that entry's kind
	Term string // for a glossary synonym, the title of its glossary entry; "" otherwise
}

// suggester answers Suggest from memory. The corpus is small (a few hundred titles and a few
// hundred glossary words), so a sorted list scanned per keystroke costs microseconds and
// needs no index field of its own; it is rebuilt with the index whenever the corpus changes.
type suggester struct {
	items []suggestItem
}

type suggestItem struct {
	Suggestion
	words   []string // Text's words, lower case, accents removed
	synonym bool
}

// prefixAnalyzer splits text into lower-case words without accents, and does nothing else:
// the last word of a prefix is partial, so spelling and stemming rules cannot apply to it.
var prefixAnalyzer = func() analysis.Analyzer {
	nfkd, err := unicodenorm.NewUnicodeNormalizeFilter(unicodenorm.NFKD)
	if err != nil {
		panic(err)
	}
	return &analysis.DefaultAnalyzer{
		Tokenizer:    unicodetok.NewUnicodeTokenizer(),
		TokenFilters: []analysis.TokenFilter{lowercase.NewLowerCaseFilter(), nfkd, accentFilter{}},
	}
}()

// accentFilter drops combining marks and folds what remains to ASCII where it can.
type accentFilter struct{}

func (accentFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		t.Term = []byte(stripAccents(string(t.Term)))
	}
	return in
}

func prefixWords(s string) []string {
	var out []string
	for _, t := range prefixAnalyzer.Analyze([]byte(s)) {
		out = append(out, string(t.Term))
	}
	return out
}

func newSuggester(corpus *content.Corpus) *suggester {
	s := &suggester{}
	for _, e := range corpus.Entries {
		s.items = append(s.items, suggestItem{
			Suggestion: Suggestion{Text: e.Title, ID: e.ID, Kind: string(e.Kind)},
			words:      prefixWords(e.Title),
		})
		if e.Kind != content.Term {
			continue
		}
		for _, syn := range e.Synonyms {
			s.items = append(s.items, suggestItem{
				Suggestion: Suggestion{Text: syn, ID: e.ID, Kind: string(e.Kind), Term: e.Title},
				words:      prefixWords(syn),
				synonym:    true,
			})
		}
	}
	return s
}

// kindRank orders suggestions of equal match: glossary terms, then guidance, then countries,
// then everything else.
func kindRank(kind string) int {
	switch content.Kind(kind) {
	case content.Term:
		return 0
	case content.Guidance:
		return 1
	case content.Country:
		return 2
	}
	return 3
}

// matchAt returns the index of the first word of words at which prefix matches: every word of
// prefix but the last equal to a word of words, the last the start of the next one; -1 if none.
func matchAt(words, prefix []string) int {
	if len(prefix) == 0 {
		return -1
	}
	last := len(prefix) - 1
	for i := 0; i+last < len(words); i++ {
		ok := true
		for k := 0; k < last && ok; k++ {
			ok = words[i+k] == prefix[k]
		}
		if ok && strings.HasPrefix(words[i+last], prefix[last]) {
			return i
		}
	}
	return -1
}

// Suggest returns up to limit (default 10, at most 50) entry titles and glossary terms in which
// a word starts with prefix, ignoring case and accents: "know" suggests "Knowledge security" and
// "National Knowledge Security Guidelines…". Titles that start with prefix come first (those
// that start with it exactly as typed, accents included, before the others), then glossary
// terms, guidance, countries and the rest, then shorter before longer; an entry is suggested
// once.
func (ix *Index) Suggest(ctx context.Context, prefix string, limit int) ([]Suggestion, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 10
	}
	limit = min(limit, 50)
	p := prefixWords(prefix)
	if len(p) == 0 {
		return nil, nil
	}
	type match struct {
		item    *suggestItem
		start   int
		literal bool // starts with the prefix as typed, accents and all
	}
	lower := strings.ToLower(strings.TrimSpace(prefix))
	var ms []match
	for i := range ix.suggest.items {
		it := &ix.suggest.items[i]
		if at := matchAt(it.words, p); at >= 0 {
			ms = append(ms, match{it, at, strings.HasPrefix(strings.ToLower(it.Text), lower)})
		}
	}
	slices.SortStableFunc(ms, func(a, b match) int {
		return cmp.Or(
			cmp.Compare(min(a.start, 1), min(b.start, 1)), // starts with the prefix
			compareBool(!a.literal, !b.literal),
			cmp.Compare(kindRank(a.item.Kind), kindRank(b.item.Kind)),
			compareBool(a.item.synonym, b.item.synonym), // an entry's title before a synonym
			cmp.Compare(len(a.item.Text), len(b.item.Text)),
			strings.Compare(a.item.Text, b.item.Text),
		)
	})
	var out []Suggestion
	seen := map[string]bool{}
	for _, m := range ms {
		if seen[m.item.ID] {
			continue
		}
		seen[m.item.ID] = true
		out = append(out, m.item.Suggestion)
		if len(out) == limit {
			break
		}
	}
	return out, nil
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}
