// Stage 1, parse: takes the text a user typed and gives its parts, one per word or "quoted
// phrase", each with its analysed terms (stop words dropped), its other forms and its typo
// correction; also the reading of the text itself: whether it is a question, whether it asks
// for a kind of document.

package search

import (
	"slices"
	"strings"
	"unicode"
)

// queryPart is one word or one "quoted phrase" of a query, with its analysed terms. fixed is
// the text with each misspelt word replaced by the nearest corpus word (the text itself when
// nothing is misspelt); bonuses and glossary terms are looked up in that form.
type queryPart struct {
	text      string
	phrase    bool
	terms     []string
	leaf      leaf     // terms with their positions from the start of the text
	span      uint32   // the positions the text takes, stop words included
	termForms []string // other forms of the word (see dictionary.relatedForms)
	fuzzy     []string // see fuzzyAlternatives

	fixed      string
	fixedTerms []string
	fixedLeaf  leaf
	fixedSpan  uint32
	forms      []string // other forms of the fixed word
}

// parse splits q into its parts and drops those the analyzer keeps nothing of (stop words).
// Only the first maxParts count: a longer query is a pasted text, not a search.
func (ix *Index) parse(q string) []queryPart {
	split := splitQuery(ix.thes.quoteFalseFriends(q))
	out := split[:0]
	for _, p := range split {
		var words []string
		p.leaf, p.span, words = ix.analyse(p.text)
		if len(p.leaf.terms) == 0 {
			continue
		}
		p.terms = p.leaf.terms
		if len(p.terms) == 1 {
			p.termForms = ix.dict.relatedForms(p.terms[0], maxForms)
		}
		p.fixed, p.fixedTerms, p.fixedLeaf, p.fixedSpan, p.forms = p.text, p.terms, p.leaf, p.span, p.termForms
		if !p.phrase {
			p.fuzzy = ix.fuzzyWords(words)
			if len(p.fuzzy) > 0 {
				p.fixed = p.fuzzy[0]
				p.fixedLeaf, p.fixedSpan, _ = ix.analyse(p.fixed)
				p.fixedTerms = p.fixedLeaf.terms
				p.forms = nil
				if len(p.fixedTerms) == 1 {
					p.forms = ix.dict.relatedForms(p.fixedTerms[0], maxForms)
				}
			}
		}
		out = append(out, p)
		if len(out) == maxParts {
			break
		}
	}
	return out
}

// splitQuery splits q into words and "quoted phrases". Every other character of query syntax
// is just text: no input is an error.
func splitQuery(q string) []queryPart {
	var parts []queryPart
	for i, chunk := range strings.Split(q, `"`) {
		if i%2 == 1 && strings.TrimSpace(chunk) != "" {
			parts = append(parts, queryPart{text: strings.TrimSpace(chunk), phrase: true})
			continue
		}
		for _, w := range strings.FieldsFunc(chunk, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) && r != '-' && r != '\''
		}) {
			w = strings.Trim(w, "-'")
			if w != "" {
				parts = append(parts, queryPart{text: w})
			}
		}
	}
	return parts
}

// analyse returns the terms of text with their positions from its start (a leaf whose first
// term may be at a position other than 0: see joinLeaves), the number of positions it takes, and
// its folded words, stop words included.
func (ix *Index) analyse(text string) (leaf, uint32, []string) {
	// A word of ASCII letters, the usual case, needs no analyzer when the corpus has it: its
	// folded form is its lower case spelt the American way, and the dictionary knows its term.
	if w, ok := plainWord(text); ok {
		if info, ok := ix.dict.words[w]; ok {
			if info.term == "" {
				return leaf{}, 1, []string{w}
			}
			return termLeaf(info.term), 1, []string{w}
		}
	}
	var l leaf
	for _, t := range ix.text.Analyze([]byte(text)) {
		l.terms = append(l.terms, string(t.Term))
		l.rel = append(l.rel, uint32(t.Position-1))
	}
	words := ix.words(text)
	return l, uint32(len(words)), words
}

// plainWord returns the folded form of text if it is one word of ASCII letters.
func plainWord(text string) (string, bool) {
	if text == "" {
		return "", false
	}
	for i := 0; i < len(text); i++ {
		if c := text[i] | 0x20; c < 'a' || c > 'z' {
			return "", false
		}
	}
	return americanize(strings.ToLower(text)), true
}

// questionWords start a question.
var questionWords = map[string]bool{
	"how": true, "what": true, "which": true, "where": true, "who": true, "why": true, "when": true,
	"whom": true, "whose": true, "can": true, "could": true, "do": true, "does": true, "did": true,
	"is": true, "are": true, "should": true, "must": true, "may": true, "will": true, "would": true,
}

// isQuestion reports whether q is typed as a question: it starts with a question word or ends
// with a question mark.
func isQuestion(q string) bool {
	q = strings.TrimSpace(q)
	if strings.HasSuffix(q, "?") {
		return true
	}
	first, _, _ := strings.Cut(q, " ")
	return questionWords[strings.ToLower(first)]
}

// askedTypes reports whether the query names a kind of document (guideline, framework, …), and
// which types of guidance it names.
func askedTypes(parts []queryPart) (bool, []string) {
	asks := false
	var types []string
	check := func(w string) {
		ts, ok := documentWords[americanize(w)]
		if !ok {
			return
		}
		asks = true
		for _, t := range ts {
			if !slices.Contains(types, t) {
				types = append(types, t)
			}
		}
	}
	for _, p := range parts {
		w := strings.ToLower(p.fixed)
		check(w)
		if strings.ContainsAny(w, "- ") {
			for _, piece := range strings.FieldsFunc(w, func(r rune) bool { return r == '-' || r == ' ' }) {
				check(piece)
			}
		}
	}
	return asks, types
}

// documentWords are words with which people ask for a document rather than a statement, each
// with the types of guidance it names (none for a word that names no one type). A query with one
// of them lifts guidance over findings, and entries of the types named a little more.
var documentWords = map[string][]string{
	"guideline": {"guideline"}, "guidelines": {"guideline"}, "guidance": {"guideline"},
	"manual": {"guideline"}, "handbook": {"guideline"},
	"framework": {"framework"}, "frameworks": {"framework"},
	"toolkit": {"toolkit"}, "toolkits": {"toolkit"}, "tool": {"toolkit", "self-assessment"},
	"tools": {"toolkit", "self-assessment"}, "self-assessment": {"self-assessment"},
	"checklist": {"checklist"}, "checklists": {"checklist"},
	"law": {"legislation"}, "laws": {"legislation"}, "act": {"legislation"}, "acts": {"legislation"},
	"legislation": {"legislation"}, "bill": {"legislation"}, "regulation": {"legislation"},
	"portal": {"portal"}, "portals": {"portal"}, "website": {"portal"}, "database": {"portal"},
	"report": {"report"}, "reports": {"report"}, "paper": {"report"},
	"strategy": {"strategy"}, "strategies": {"strategy"},
	"recommendation": {"recommendation"}, "recommendations": {"recommendation"},
	"principles": {"principles"}, "statement": {"statement"},
	"program": {"programme"}, "programs": {"programme"},
	"training": {"training"}, "course": {"training"}, "courses": {"training"}, "modules": {"training"},
	"policy": nil, "policies": nil, "order": nil, "directive": nil, "memorandum": nil, "scheme": nil,
	"list": nil, "lists": nil,
}
