package search

import (
	"math/bits"
	"slices"
	"strings"
	"unicode/utf8"
)

// dictionary holds every word of the corpus as written (folded, not stemmed), with the number
// of entries it occurs in and the term the text analyzer makes of it. Misspelt words are
// matched against it: an edit distance between words people type is more telling than one
// between stems ("securty" is one letter from "security", but "securti" is two from "secur").
type dictionary struct {
	words  map[string]wordInfo
	terms  map[string]int // analysed term -> entries it occurs in
	byLen  map[int][]string
	forms  map[string]map[string]int // folded word -> how often each form of it is written
	sorted []string                  // the terms in order (see finish)
	sets   map[int][]uint64          // byLen's words' letter sets, in the same order (see letters)
}

// surfaceWord is a word of the corpus folded (as compared) and as written.
type surfaceWord struct {
	folded, form string
}

type wordInfo struct {
	df   int
	term string // "" for a stop word
}

func newDictionary() *dictionary {
	return &dictionary{words: map[string]wordInfo{}, terms: map[string]int{}, byLen: map[int][]string{},
		forms: map[string]map[string]int{}}
}

// display is the form in which the corpus most often writes a folded word (the British
// "organisation" rather than the folded "organization", "NPSA" rather than "npsa"), for showing
// it to people.
func (d *dictionary) display(w string) string {
	// Spellings are counted regardless of case; within the most frequent, lower case is
	// preferred when the corpus ever writes the word so, else its most frequent casing.
	byLower := map[string]int{}
	for f, c := range d.forms[w] {
		byLower[strings.ToLower(f)] += c
	}
	spelling, n := w, 0
	for f, c := range byLower {
		if c > n || c == n && f < spelling {
			spelling, n = f, c
		}
	}
	if _, ok := d.forms[w][spelling]; ok || n == 0 {
		return spelling
	}
	best, m := spelling, 0
	for f, c := range d.forms[w] {
		if strings.ToLower(f) == spelling && (c > m || c == m && f < best) {
			best, m = f, c
		}
	}
	return best
}

// addDocument counts the words of one entry's texts. term analyses one surface word.
func (d *dictionary) addDocument(words []surfaceWord, term func(string) string) {
	seenWord := map[string]bool{}
	seenTerm := map[string]bool{}
	for _, sw := range words {
		w := sw.folded
		if d.forms[w] == nil {
			d.forms[w] = map[string]int{}
		}
		d.forms[w][sw.form]++
		if seenWord[w] {
			continue
		}
		seenWord[w] = true
		info, ok := d.words[w]
		if !ok {
			info.term = term(w)
			d.byLen[utf8.RuneCountInString(w)] = append(d.byLen[utf8.RuneCountInString(w)], w)
		}
		info.df++
		d.words[w] = info
		if info.term != "" && !seenTerm[info.term] {
			seenTerm[info.term] = true
			d.terms[info.term]++
		}
	}
}

// relatedForms returns up to limit corpus terms that are the same word in another form where
// the stemmer does not see it: one term a prefix of the other, both at least five letters, the
// longer at most four letters longer ("defin" and "definit" for define and definition, "academ"
// and "academia"). The most frequent come first.
func (d *dictionary) relatedForms(term string, limit int) []string {
	const minLen, maxExtra = 5, 4
	if len(term) < minLen {
		return nil
	}
	var out []string
	for k := minLen; k < len(term); k++ {
		if len(term)-k <= maxExtra && d.terms[term[:k]] > 0 {
			out = append(out, term[:k])
		}
	}
	i, _ := slices.BinarySearch(d.sorted, term)
	for ; i < len(d.sorted) && strings.HasPrefix(d.sorted[i], term); i++ {
		if t := d.sorted[i]; t != term && len(t)-len(term) <= maxExtra {
			out = append(out, t)
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return d.terms[b] - d.terms[a] })
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// finish is called once every document is added; the dictionary is read-only after.
func (d *dictionary) finish() {
	d.sets = map[int][]uint64{}
	for l, ws := range d.byLen {
		slices.Sort(ws)
		for _, w := range ws {
			d.sets[l] = append(d.sets[l], letters(w))
		}
	}
	d.sorted = d.sorted[:0]
	for t := range d.terms {
		d.sorted = append(d.sorted, t)
	}
	slices.Sort(d.sorted)
}

// termDF is the number of entries a term occurs in.
func (d *dictionary) termDF(term string) int { return d.terms[term] }

// maxEdits is how far a word of n letters may be from what was meant: words of fewer than five
// letters are taken as typed (too many short words are one letter apart), five to seven letters
// allow one edit, longer words two.
func maxEdits(n int) int {
	switch {
	case n < 5:
		return 0
	case n < 8:
		return 1
	}
	return 2
}

type candidate struct {
	word string
	dist int
	info wordInfo
}

// nearest returns up to limit corpus words within edits of w, the closest first and, at the
// same distance, the most frequent first. Stop words are never offered.
func (d *dictionary) nearest(w string, edits, limit int) []candidate {
	if edits == 0 {
		return nil
	}
	n := utf8.RuneCountInString(w)
	set := letters(w)
	var out []candidate
	for l := n - edits; l <= n+edits; l++ {
		sets := d.sets[l]
		for i, cand := range d.byLen[l] {
			// An edit adds or removes at most one letter of the word's set, a substitution
			// one of each: words whose sets differ by more cannot be near.
			if bits.OnesCount64(set^sets[i]) > 2*edits || cand == w {
				continue
			}
			info := d.words[cand]
			if info.term == "" {
				continue
			}
			if dist := editDistance(w, cand, edits); dist <= edits {
				out = append(out, candidate{cand, dist, info})
			}
		}
	}
	slices.SortFunc(out, func(a, b candidate) int {
		if a.dist != b.dist {
			return a.dist - b.dist
		}
		if a.info.df != b.info.df {
			return b.info.df - a.info.df
		}
		return strings.Compare(a.word, b.word)
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// letters is the set of the characters of w: a bit for each letter and digit of ASCII, and one
// of 26 more for each other character (by its code, modulo 26).
func letters(w string) uint64 {
	var s uint64
	for _, r := range w {
		switch {
		case r >= 'a' && r <= 'z':
			s |= 1 << (r - 'a')
		case r >= '0' && r <= '9':
			s |= 1 << (26 + r - '0')
		default:
			s |= 1 << (36 + r%26)
		}
	}
	return s
}

// editDistance is the optimal-string-alignment distance between a and b (insertions,
// deletions, substitutions and swaps of two neighbouring letters each count one), or more than
// bound when it exceeds bound.
func editDistance(a, b string, bound int) int {
	if isASCII(a) && isASCII(b) {
		return osa([]byte(a), []byte(b), bound)
	}
	return osa([]rune(a), []rune(b), bound)
}

func osa[T byte | rune](a, b []T, bound int) int {
	if d := len(a) - len(b); d > bound || -d > bound {
		return bound + 1
	}
	var buf [3][48]int
	var prev2, prev, cur []int
	if len(b) < len(buf[0]) {
		prev2, prev, cur = buf[0][:len(b)+1], buf[1][:len(b)+1], buf[2][:len(b)+1]
	} else {
		prev2, prev, cur = make([]int, len(b)+1), make([]int, len(b)+1), make([]int, len(b)+1)
	}
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > bound {
			return bound + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
