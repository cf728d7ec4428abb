package search

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/research-security-atlas/atlas/internal/content"
)

// thesaurus is the terminology crosswalk: each glossary entry (kind term) makes one group of
// equivalent phrases, its title and its synonyms. It is built from the corpus whenever an index
// is opened, so organisers change it by editing content/glossary; no term lives in code.
//
// Phrases are compared by their analysed form (the terms the text analyzer makes of them), so
// "responsible internationalization", "Responsible Internationalisation" and
// "responsible-internationalisation" are one key.
type thesaurus struct {
	docs      int // entries in the corpus
	groups    []synGroup
	byKey     map[string][]int  // key -> indexes of the groups that hold it
	maxTokens int               // the longest key, in terms
	leaves    map[string]leaf   // phrase as written -> its terms and their positions
	keys      map[string]string // phrase as written -> its key

	// falseFriends are the glossary's look-alikes, lower case, longest first: a query that
	// contains one searches it as a phrase, never as the glossary term it resembles.
	falseFriends []string
}

type synGroup struct {
	id      string      // the glossary entry
	phrases []synPhrase // the title's forms first, then the synonyms, each key once
}

type synPhrase struct {
	text string // as written in the glossary
	key  string // its terms, space-separated
	hits int    // entries it occurs in (as a phrase); phrases that occur nowhere are never added
}

// parenthetical matches "(PPST)" in "Protection of the scientific and technical potential (PPST)".
var parenthetical = regexp.MustCompile(`\s*\(([^()]*)\)`)

// titleForms splits a glossary title into the phrases it stands for: "A / B" is two phrases,
// and "Long name (ABBR)" is the long name and the abbreviation.
func titleForms(title string) []string {
	var out []string
	for _, part := range strings.Split(title, " / ") {
		if rest := strings.TrimSpace(parenthetical.ReplaceAllString(part, "")); rest != "" {
			out = append(out, rest)
		}
		for _, m := range parenthetical.FindAllStringSubmatch(part, -1) {
			out = append(out, m[1])
		}
	}
	return out
}

// titleAcronyms returns the acronyms a title gives in parentheses, which name the entry:
// "STRAC" in "Policy on Sensitive Technology Research and Affiliations of Concern (STRAC)". A
// parenthesis in capitals and without spaces is an acronym unless it has no letter ("(2023)")
// or is a jurisdiction's code ("(EU)" qualifies a title rather than names it).
func titleAcronyms(title string) []string {
	var out []string
	for _, m := range parenthetical.FindAllStringSubmatch(title, -1) {
		a := strings.TrimSpace(m[1])
		if a == "" || a != strings.ToUpper(a) || strings.ContainsAny(a, " ,;") ||
			!strings.ContainsFunc(a, unicode.IsLetter) || content.CountryName(strings.ToLower(a)) != "" {
			continue
		}
		out = append(out, a)
	}
	return out
}

// newThesaurus builds the groups from the corpus's glossary. analyze returns the terms of a
// phrase; hits says in how many entries a phrase occurs.
func newThesaurus(corpus *content.Corpus, analyze func(string) (leaf, bool), hits func(leaf) int) *thesaurus {
	t := &thesaurus{byKey: map[string][]int{}, docs: corpus.Len(), leaves: map[string]leaf{}, keys: map[string]string{}}
	for _, e := range corpus.Entries {
		if e.Kind != content.Term {
			continue
		}
		for _, f := range e.FalseFriends {
			t.falseFriends = append(t.falseFriends, strings.ToLower(f.Phrase))
		}
		g := synGroup{id: e.ID}
		seen := map[string]bool{}
		for _, text := range append(titleForms(e.Title), e.Synonyms...) {
			l, ok := analyze(text)
			key := strings.Join(l.terms, " ")
			if !ok || seen[key] {
				continue
			}
			seen[key] = true
			g.phrases = append(g.phrases, synPhrase{text: text, key: key, hits: hits(l)})
			t.leaves[text], t.keys[text] = l, key
			t.maxTokens = max(t.maxTokens, len(l.terms))
		}
		if len(g.phrases) < 2 {
			continue // a term without synonyms has nothing to add
		}
		for _, p := range g.phrases {
			t.byKey[p.key] = append(t.byKey[p.key], len(t.groups))
		}
		t.groups = append(t.groups, g)
	}
	slices.SortFunc(t.falseFriends, func(a, b string) int { return len(b) - len(a) })
	return t
}

// quoteFalseFriends puts quotes around the false friends in q, outside quotes already there,
// where they stand as whole words: "safeguarding your research portal" becomes
// "\"safeguarding your research\" portal".
func (t *thesaurus) quoteFalseFriends(q string) string {
	if len(t.falseFriends) == 0 || !utf8.ValidString(q) {
		return q
	}
	chunks := strings.Split(q, `"`)
	for i := 0; i < len(chunks); i += 2 { // the even chunks are outside quotes
		lower := strings.ToLower(chunks[i])
		if len(lower) != len(chunks[i]) {
			continue // a case change that alters lengths: leave the text as typed
		}
		for _, f := range t.falseFriends {
			at := wordIndex(lower, f)
			if at < 0 || t.insidePhrase(lower, at, at+len(f)) {
				continue
			}
			chunks[i] = chunks[i][:at] + `"` + chunks[i][at:at+len(f)] + `"` + chunks[i][at+len(f):]
			break // one per chunk: the quotes just added split it
		}
	}
	return strings.Join(chunks, `"`)
}

// insidePhrase reports whether s[from:to] lies within a longer glossary phrase written in s:
// the false friend "safeguarding" is not one inside "safeguarding science".
func (t *thesaurus) insidePhrase(s string, from, to int) bool {
	for text := range t.keys {
		p := strings.ToLower(text)
		if len(p) <= to-from {
			continue
		}
		for at := 0; at <= len(s)-len(p); {
			i := wordIndex(s[at:], p)
			if i < 0 {
				break
			}
			i += at
			if i <= from && to <= i+len(p) {
				return true
			}
			at = i + 1
		}
	}
	return false
}

// wordIndex is the index of the first occurrence of w in s that begins and ends at word
// boundaries, or -1.
func wordIndex(s, w string) int {
	for from := 0; from <= len(s)-len(w); {
		i := strings.Index(s[from:], w)
		if i < 0 {
			return -1
		}
		i += from
		before, after := rune(' '), rune(' ')
		if i > 0 {
			before, _ = utf8.DecodeLastRuneInString(s[:i])
		}
		if end := i + len(w); end < len(s) {
			after, _ = utf8.DecodeRuneInString(s[end:])
		}
		if !unicode.IsLetter(before) && !unicode.IsDigit(before) && !unicode.IsLetter(after) && !unicode.IsDigit(after) {
			return i
		}
		from = i + 1
	}
	return -1
}

// has reports whether key is a glossary phrase.
func (t *thesaurus) has(key string) bool {
	return len(t.byKey[key]) > 0
}

// alternatives returns the phrases equivalent to key, at most limit of them, nearest first:
// the synonyms of the glossary entry whose title key is, then the titles of the entries that
// list key as a synonym (the terms it is another word for), then those entries' other synonyms,
// each in glossary order. Phrases that occur in no entry are left out (they could only make the
// query slower), and so are phrases in more than half of the entries (such as "research
// security"), which would find nearly everything and tell nothing.
func (t *thesaurus) alternatives(key string, limit int) []string {
	var own, other []int
	for _, g := range t.byKey[key] {
		if t.groups[g].phrases[0].key == key {
			own = append(own, g)
		} else {
			other = append(other, g)
		}
	}
	var out []string
	seen := map[string]bool{key: true}
	add := func(p synPhrase) bool {
		if !seen[p.key] && p.hits > 0 && p.hits*2 <= t.docs {
			seen[p.key] = true
			out = append(out, p.text)
		}
		return len(out) == limit
	}
	for _, g := range own {
		for _, p := range t.groups[g].phrases {
			if add(p) {
				return out
			}
		}
	}
	for _, g := range other {
		if add(t.groups[g].phrases[0]) {
			return out
		}
	}
	for _, g := range other {
		for _, p := range t.groups[g].phrases[1:] {
			if add(p) {
				return out
			}
		}
	}
	return out
}
