// Stage 5, snippet: takes a hit and the leaves the query matched and gives the hit's snippet:
// the entry's own text around the most matches, HTML-escaped with <mark> around each match,
// and the anchor of the section it comes from.

package search

import (
	"html"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/research-security-atlas/atlas/internal/content"
)

// snippetSize is the length of a snippet, in characters of text around the matches.
const snippetSize = 200

// ellipsis marks a snippet that starts or ends inside its text.
const ellipsis = "…"

// mark is one occurrence of a query term in a hit's summary or sections, to be marked.
type mark struct {
	term       string
	section    uint32
	start, end int
}

// snippet cuts the snippet of a hit from the section in which the most of the query's terms
// occur (the first such section on a tie), and names that section's anchor. Without a match in
// the body, it cuts the snippet from the summary. The text is the entry's own, HTML-escaped,
// with <mark> around each occurrence of the query's words and phrases (a synonym or a corrected
// typo included). It chooses the fragment as bleve's simple highlighter did, without its
// allocations, and starts and ends it on word boundaries, which bleve did not.
func (ix *Index) snippet(doc int32, leaves []leaf, sc *scratch) (snippet, anchor string) {
	d := &ix.mem.docs[doc]
	marks := sc.marks[:0]
	for _, l := range leaves {
		marks = ix.mem.marks(marks, l, fieldSections, doc)
	}
	if best, ok := bestSection(marks); ok && best < len(d.sections) {
		here := marks[:0]
		for _, m := range marks {
			if m.section == uint32(best) && m.end <= len(d.sections[best]) {
				here = append(here, m)
			}
		}
		sc.marks = here
		if best < len(d.anchors) {
			anchor = d.anchors[best]
		}
		return cut(d.sections[best], here), anchor
	}
	marks = marks[:0]
	for _, l := range leaves {
		marks = ix.mem.marks(marks, l, fieldSummary, doc)
	}
	here := marks[:0]
	for _, m := range marks {
		if m.end <= len(d.summary) {
			here = append(here, m)
		}
	}
	sc.marks = here
	if len(here) > 0 {
		return cut(d.summary, here), ""
	}
	return "", ""
}

// marks appends the occurrences of l in doc's f to ms, once each.
func (m *memory) marks(ms []mark, l leaf, f field, doc int32) []mark {
	var lbuf [8]*postingList
	var cbuf, abuf [8]int
	lists, cursor, at := lbuf[:], cbuf[:], abuf[:]
	if len(l.terms) > len(lbuf) {
		lists, cursor, at = make([]*postingList, len(l.terms)), make([]int, len(l.terms)), make([]int, len(l.terms))
	}
	for i, t := range l.terms {
		tp := m.terms[t]
		if tp == nil || tp.fields[f] == nil {
			return ms
		}
		lists[i] = tp.fields[f]
		if cursor[i] = lists[i].find(doc); cursor[i] < 0 {
			return ms
		}
	}
	add := func(term string, x loc) []mark {
		for _, have := range ms {
			if have.start == int(x.start) && have.section == x.section && have.term == term {
				return ms
			}
		}
		return append(ms, mark{term, x.section, int(x.start), int(x.end)})
	}
	n := len(l.terms)
	for _, o := range lists[0].occurrences(cursor[0]) {
		if n > 1 && !phraseAt(l, lists[:n], cursor[:n], at[:n], o) {
			continue
		}
		ms = add(l.terms[0], o)
		for k := 1; k < n; k++ {
			for _, x := range lists[k].occurrences(cursor[k]) {
				if x.section == o.section && x.pos == o.pos+l.rel[k]-l.rel[0] {
					ms = add(l.terms[k], x)
				}
			}
		}
	}
	return ms
}

// bestSection returns the section with the most distinct matched terms and, among those, the
// most matches, the first on a tie.
func bestSection(ms []mark) (int, bool) {
	if len(ms) == 0 {
		return 0, false
	}
	slices.SortFunc(ms, func(a, b mark) int {
		if a.section != b.section {
			return int(a.section) - int(b.section)
		}
		return strings.Compare(a.term, b.term)
	})
	best, bestTerms, bestMatches := 0, -1, 0
	for i := 0; i < len(ms); {
		j, terms := i, 0
		for ; j < len(ms) && ms[j].section == ms[i].section; j++ {
			if j == i || ms[j].term != ms[j-1].term {
				terms++
			}
		}
		if terms > bestTerms || terms == bestTerms && j-i > bestMatches {
			best, bestTerms, bestMatches = int(ms[i].section), terms, j-i
		}
		i = j
	}
	return best, true
}

// cut returns the best fragment of text around the marks (all in text), as HTML with the
// marks marked, and "…" where the text goes on. The fragment is chosen as bleve's simple
// highlighter chose it (see choose), then its ends are moved out of the middle of words.
func cut(text string, ms []mark) string {
	start, end, ok := choose(text, ms)
	if !ok {
		return ""
	}
	start, end = wordBounds(text, ms, start, end)
	return render(text, ms, start, end)
}

// choose returns the best fragment of text around the marks, and sorts ms by start. The
// fragment is snippetSize characters, one starting at each mark and centred on the marks it
// holds as far as it can; the best holds the most distinct terms, the first on a tie.
func choose(text string, ms []mark) (int, int, bool) {
	slices.SortStableFunc(ms, func(a, b mark) int { return a.start - b.start })
	bestStart, bestEnd, bestScore := 0, 0, -1
	maxbegin := 0
	ascii := isASCII(text)
	for i, tl := range ms {
		var start, end int
		ok := true
		if ascii {
			start, end = fragmentASCII(len(text), ms[i:], tl.start, maxbegin)
		} else {
			start, end, ok = fragment(text, ms[i:], tl.start, maxbegin)
		}
		if !ok {
			continue
		}
		if s := fragmentScore(ms, start, end); s > bestScore {
			bestStart, bestEnd, bestScore = start, end, s
		}
		maxbegin = tl.end
	}
	return bestStart, bestEnd, bestScore >= 0
}

// render is text[start:end] as HTML with the marks ms (in order of start) marked, and "…"
// where the text goes on.
func render(text string, ms []mark, bestStart, bestEnd int) string {
	var b strings.Builder
	if bestStart != 0 {
		b.WriteString(ellipsis)
	}
	curr, lastEnd := bestStart, -1
	for _, m := range ms {
		if m.start < lastEnd { // overlaps the previous mark: merged into it
			continue
		}
		lastEnd = m.end
		if m.start < curr {
			continue
		}
		if m.end > bestEnd {
			break
		}
		b.WriteString(html.EscapeString(text[curr:m.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[m.start:m.end]))
		b.WriteString("</mark>")
		curr = m.end
	}
	b.WriteString(html.EscapeString(text[curr:bestEnd]))
	if bestEnd != len(text) {
		b.WriteString(ellipsis)
	}
	return strings.TrimSpace(b.String())
}

// wordBounds moves a fragment's ends out of the middle of a word: the start forward past the
// word it cuts, the end back before it, never past a mark (ms, in order of start). Words in
// scripts written without spaces (Han, kana) are one character each, so nothing moves there.
func wordBounds(text string, ms []mark, start, end int) (int, int) {
	first, last := end, start
	for _, m := range ms {
		if m.start >= start && m.end <= end {
			first, last = min(first, m.start), max(last, m.end)
		}
	}
	if start > 0 && start < len(text) && inWord(text, start) {
		s := start
		for s < first && s < len(text) && !isSpaceAt(text, s) {
			_, size := utf8.DecodeRuneInString(text[s:])
			s += size
		}
		for s < first && s < len(text) && isSpaceAt(text, s) {
			s++
		}
		start = s
	}
	if end < len(text) && end > start && inWord(text, end) {
		e := end
		for e > last && e > start && !isSpaceAt(text, e-1) {
			_, size := utf8.DecodeLastRuneInString(text[:e])
			e -= size
		}
		for e > last && e > start && isSpaceAt(text, e-1) {
			e--
		}
		end = e
	}
	return start, end
}

// inWord reports whether byte offset i of text falls between two letters or digits of one word.
func inWord(text string, i int) bool {
	before, _ := utf8.DecodeLastRuneInString(text[:i])
	after, _ := utf8.DecodeRuneInString(text[i:])
	return wordRune(before) && wordRune(after)
}

func wordRune(r rune) bool {
	if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) {
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isSpaceAt(text string, i int) bool {
	r, _ := utf8.DecodeRuneInString(text[i:])
	return unicode.IsSpace(r)
}

// fragment is the fragment that starts at start: snippetSize characters on from it, moved back
// (never before maxbegin) when the text ends sooner, then centred on the marks ms it holds as
// far as the room on either side allows.
func fragment(text string, ms []mark, start, maxbegin int) (int, int, bool) {
	end, used := start, 0
	for end < len(text) && used < snippetSize {
		r, size := utf8.DecodeRuneInString(text[end:])
		if r == utf8.RuneError {
			return 0, 0, false
		}
		end += size
		used++
	}
	for start > 0 && used < snippetSize {
		if start > len(text) {
			return 0, 0, false
		}
		r, size := utf8.DecodeLastRuneInString(text[:start])
		if r == utf8.RuneError {
			return 0, 0, false
		}
		if start-size < maxbegin {
			break
		}
		start -= size
		used++
	}
	minend := end
	for _, m := range ms {
		if m.end > end {
			break
		}
		minend = m.end
	}
	room := utf8.RuneCountInString(text[minend:end])
	if start >= maxbegin {
		room = min(room, utf8.RuneCountInString(text[maxbegin:start]))
	} else {
		room = 0
	}
	for offset := room / 2; offset > 0; offset-- {
		r, size := utf8.DecodeLastRuneInString(text[:start])
		if r == utf8.RuneError {
			return 0, 0, false
		}
		start -= size
		r, size = utf8.DecodeLastRuneInString(text[:end])
		if r == utf8.RuneError {
			return 0, 0, false
		}
		end -= size
	}
	return start, end, true
}

// fragmentASCII is fragment for a text of ASCII characters, one byte each, of length n.
func fragmentASCII(n int, ms []mark, start, maxbegin int) (int, int) {
	end := min(start+snippetSize, n)
	used := end - start
	if back := min(snippetSize-used, start-maxbegin); back > 0 {
		start -= back
	}
	minend := end
	for _, m := range ms {
		if m.end > end {
			break
		}
		minend = m.end
	}
	room := 0
	if start >= maxbegin {
		room = min(end-minend, start-maxbegin)
	}
	offset := room / 2
	return start - offset, end - offset
}

// fragmentScore is the number of distinct terms with a mark inside [start, end); ms is in order of
// start.
func fragmentScore(ms []mark, start, end int) int {
	var seen [16]string
	n := 0
	for _, m := range ms {
		if m.start < start {
			continue
		}
		if m.start >= end {
			break
		}
		if m.end > end || slices.Contains(seen[:min(n, len(seen))], m.term) {
			continue
		}
		if n < len(seen) {
			seen[n] = m.term
		}
		n++
	}
	return n
}

// Excerpt returns the start of text, escaped, cut at a word boundary, for hits without a
// highlighted snippet.
func Excerpt(text string, max int) string {
	return html.EscapeString(content.Shorten(text, max))
}
