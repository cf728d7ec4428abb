package search

import (
	"cmp"
	"context"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

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

// suggester answers Suggest from memory: every word of every title and glossary synonym, in
// sorted order with the item it is in, so that a keystroke reads only the words that start
// with what was typed (a binary search, then a run), not every title. It is rebuilt with the
// index whenever the corpus changes.
type suggester struct {
	items  []suggestItem
	words  []suggestWord // sorted by word, then item, then position
	byRank []int32       // the items by rank
	// vocab is every distinct word, in order. The pairs are the words followed by another word
	// in their item: pairKey is the word's place in vocab and the next word's, in order, and
	// pairAt the pair's place in words. A prefix of several words reads only the items whose
	// first two words it matches, not every item with its first word.
	vocab   []string
	pairKey []uint64
	pairAt  []int32
	// top holds, for a one-word prefix with a long run of words, the items Suggest gives for
	// it typed as it is (at most maxSuggest), in order (see precompute).
	top map[string][]*suggestItem
}

type suggestItem struct {
	Suggestion
	words   []string // Text's words, lower case, accents removed
	lower   string   // Text in lower case, accents kept
	synonym bool
	rank    uint32 // the item's place in the order of equal matches (see newSuggester)
}

// suggestWord is one word of an item, at position pos of its words.
type suggestWord struct {
	word      string
	item, pos int32
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
	// Items that match a prefix equally well are ordered by kind (see kindRank), an entry's
	// title before a synonym, shorter before longer, then by text; rank is that place.
	byRank := make([]int, len(s.items))
	for i := range s.items {
		it := &s.items[i]
		it.lower = strings.ToLower(it.Text)
		byRank[i] = i
		for k, w := range it.words {
			s.words = append(s.words, suggestWord{w, int32(i), int32(k)})
		}
	}
	slices.SortStableFunc(byRank, func(i, j int) int {
		a, b := &s.items[i], &s.items[j]
		return cmp.Or(
			cmp.Compare(kindRank(a.Kind), kindRank(b.Kind)),
			compareBool(a.synonym, b.synonym),
			cmp.Compare(len(a.Text), len(b.Text)),
			strings.Compare(a.Text, b.Text),
		)
	})
	s.byRank = make([]int32, len(byRank))
	for r, i := range byRank {
		s.items[i].rank = uint32(r)
		s.byRank[r] = int32(i)
	}
	slices.SortFunc(s.words, func(a, b suggestWord) int {
		return cmp.Or(strings.Compare(a.word, b.word), cmp.Compare(a.item, b.item), cmp.Compare(a.pos, b.pos))
	})
	s.pairsOf()
	s.precompute(longRun)
	return s
}

// pairsOf fills in vocab, pairKey and pairAt. Words are compared by their place in vocab, so
// that the pairs sort as numbers.
func (sg *suggester) pairsOf() {
	ids := map[string]uint64{}
	for i, w := range sg.words {
		if i == 0 || w.word != sg.words[i-1].word {
			ids[w.word] = uint64(len(sg.vocab))
			sg.vocab = append(sg.vocab, w.word)
		}
	}
	type pair struct {
		key uint64
		at  int32
	}
	var ps []pair
	for i, w := range sg.words {
		if ws := sg.items[w.item].words; int(w.pos)+1 < len(ws) {
			ps = append(ps, pair{ids[w.word]<<32 | ids[ws[w.pos+1]], int32(i)})
		}
	}
	slices.SortFunc(ps, func(a, b pair) int { return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.at, b.at)) })
	sg.pairKey, sg.pairAt = make([]uint64, len(ps)), make([]int32, len(ps))
	for i, p := range ps {
		sg.pairKey[i], sg.pairAt[i] = p.key, p.at
	}
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

// Suggest returns up to limit (default 10, at most maxSuggest) entry titles and glossary terms in which
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
	limit = min(limit, maxSuggest)
	p := prefixWords(prefix)
	if len(p) == 0 {
		return nil, nil
	}
	lower := strings.ToLower(strings.TrimSpace(prefix))
	var items []*suggestItem
	if top, ok := ix.suggest.top[p[0]]; ok && len(p) == 1 && lower == p[0] {
		items = top[:min(limit, len(top))]
	} else {
		items = ix.suggest.ranked(p, lower, limit)
	}
	var out []Suggestion
	for _, it := range items {
		out = append(out, it.Suggestion)
	}
	return out, nil
}

// ranked returns the items that match the prefix words p (lower is the prefix as typed, in lower
// case), one per entry, the best first, at most limit.
func (sg *suggester) ranked(p []string, lower string, limit int) []*suggestItem {
	// A match's key orders it: titles that start with the prefix first, those that start with
	// it as typed (accents included) before the others, then by the item's rank.
	var keys []uint64
	match := func(w *suggestWord) {
		it := &sg.items[w.item]
		if len(p) > 2 && !matchesAt(it.words, p, int(w.pos)) {
			return
		}
		var bucket uint64
		if w.pos > 0 {
			bucket = 2
		}
		if !strings.HasPrefix(it.lower, lower) {
			bucket++
		}
		keys = append(keys, bucket<<32|uint64(it.rank))
	}
	if len(p) == 1 {
		lo, _ := slices.BinarySearchFunc(sg.words, p[0], func(w suggestWord, t string) int { return strings.Compare(w.word, t) })
		for i := lo; i < len(sg.words) && strings.HasPrefix(sg.words[i].word, p[0]); i++ {
			match(&sg.words[i])
		}
	} else if first, ok := slices.BinarySearch(sg.vocab, p[0]); ok {
		// The pairs whose word is p[0] and whose next word starts with p[1]: the next words
		// that start with p[1] are a run of vocab.
		lo, _ := slices.BinarySearch(sg.vocab, p[1])
		hi := lo + sort.Search(len(sg.vocab)-lo, func(k int) bool { return !strings.HasPrefix(sg.vocab[lo+k], p[1]) })
		from, _ := slices.BinarySearch(sg.pairKey, uint64(first)<<32|uint64(lo))
		to, _ := slices.BinarySearch(sg.pairKey, uint64(first)<<32|uint64(hi))
		for _, i := range sg.pairAt[from:to] {
			match(&sg.words[i])
		}
	}
	// The best keys, enough of them for limit entries (an entry's synonyms and a word twice in
	// a title give it several).
	var ms []*suggestItem
	for k := limit * 2; ; k *= 4 {
		ms = ms[:0]
		for _, key := range topK(keys, k, cmp.Compare[uint64]) {
			ms = append(ms, &sg.items[sg.byRank[uint32(key)]])
		}
		n := 0
		seen := map[string]bool{}
		for _, it := range ms {
			if !seen[it.ID] {
				seen[it.ID] = true
				n++
			}
		}
		if n >= limit || k >= len(keys) {
			break
		}
	}
	var out []*suggestItem
	seen := map[string]bool{}
	for _, it := range ms {
		if seen[it.ID] {
			continue
		}
		seen[it.ID] = true
		out = append(out, it)
		if len(out) == limit {
			break
		}
	}
	return out
}

// Suggestions for a one-word prefix that many words start with ("r", "re", "sec", typed in
// lower case without accents, as people mostly type) are made when the index is opened: at
// 100,000 entries reading and ordering such a run took milliseconds, on the keystrokes that
// come first. A run of at least longRun words gets its list, of the maxSuggest best.
const (
	longRun    = 1024
	maxSuggest = 50
)

// precompute fills in top for every prefix of a word with a run of at least long words. The
// lists are made side by side, one goroutine per core: at 100,000 entries there are about a
// thousand, each a pass over its run.
func (sg *suggester) precompute(long int) {
	var prefixes []string
	for l := 1; ; l++ {
		found := false
		for i := 0; i < len(sg.words); {
			w := sg.words[i].word
			if len(w) < l {
				i++
				continue
			}
			// The words that start with p follow w: a shorter word cannot start with it.
			p := w[:l]
			rest := sg.words[i:]
			j := i + sort.Search(len(rest), func(k int) bool { return !strings.HasPrefix(rest[k].word, p) })
			if j-i >= long {
				// A prefix that ends inside a character is never typed, but its longer
				// prefixes may be.
				found = true
				if utf8.ValidString(p) {
					prefixes = append(prefixes, p)
				}
			}
			i = j
		}
		if !found {
			break
		}
	}
	lists := make([][]*suggestItem, len(prefixes))
	parallel(len(prefixes), func(k int) { lists[k] = sg.ranked([]string{prefixes[k]}, prefixes[k], maxSuggest) })
	sg.top = make(map[string][]*suggestItem, len(prefixes))
	for k, p := range prefixes {
		sg.top[p] = lists[k]
	}
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

// matchesAt reports whether prefix matches words at i: every word of prefix but the last equal
// to a word of words, the last the start of the next one.
func matchesAt(words, prefix []string, i int) bool {
	last := len(prefix) - 1
	if i+last >= len(words) {
		return false
	}
	for k := 0; k < last; k++ {
		if words[i+k] != prefix[k] {
			return false
		}
	}
	return strings.HasPrefix(words[i+last], prefix[last])
}
