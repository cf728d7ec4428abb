// Native analysis: an entry's title in its own language (original_title) is also analysed with
// bleve's analyzer for that language, where bleve has one, so that a query in German finds a
// German title whatever the inflection ("Hochschule" and "Hochschulen") and German stop words
// count for nothing there. The stems go into the native field as words; a query word is
// analysed by the analyzers of the languages whose stems in that field start it (see
// nativeIndex) and looked up there.

package search

import (
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/da"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/analysis/lang/es"
	"github.com/blevesearch/bleve/v2/analysis/lang/fi"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/lang/it"
	"github.com/blevesearch/bleve/v2/analysis/lang/nl"
	"github.com/blevesearch/bleve/v2/analysis/lang/no"
	"github.com/blevesearch/bleve/v2/analysis/lang/pt"
	"github.com/blevesearch/bleve/v2/analysis/lang/sv"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/research-security-atlas/atlas/internal/content"
)

// nativeAnalyzerNames maps a content language code to bleve's analyzer for it: the languages
// with a stemmer. bleve has no Czech or Slovak analyzer, its Polish one needs a stemmer table
// module beside it, and Chinese, Japanese and Korean have no inflection to undo (the original
// field already finds their titles character by character): those are left to the original
// field's analysis.
var nativeAnalyzerNames = map[string]string{
	"da": da.AnalyzerName, "de": de.AnalyzerName, "es": es.AnalyzerName,
	"fi": fi.AnalyzerName, "fr": fr.AnalyzerName, "it": it.AnalyzerName, "nl": nl.AnalyzerName,
	"no": no.AnalyzerName, "nb": no.AnalyzerName, "pt": pt.AnalyzerName,
	"sv": sv.AnalyzerName,
}

var (
	nativeOnce      sync.Once
	nativeAnalyzers map[string]analysis.Analyzer // by language code
)

// nativeAnalyzer is bleve's analyzer for a language, or nil when it has none.
func nativeAnalyzer(lang string) analysis.Analyzer {
	nativeOnce.Do(func() {
		cache := registry.NewCache()
		nativeAnalyzers = map[string]analysis.Analyzer{}
		for code, name := range nativeAnalyzerNames {
			a, err := cache.AnalyzerNamed(name)
			if err != nil {
				panic(err) // the analyzers are bleve's, registered by the imports above
			}
			nativeAnalyzers[code] = a
		}
	})
	return nativeAnalyzers[lang]
}

// nativeText is text analysed in lang, as words for the native field: its terms in order,
// folded as the Atlas folds words (so that an accent typed or not meets), "" when bleve has no
// analyzer for lang or lang is English, which every other field already is.
func nativeText(text, lang string) string {
	a := nativeAnalyzer(lang)
	if a == nil || text == "" {
		return ""
	}
	var terms []string
	for _, t := range a.Analyze([]byte(text)) {
		if w := foldWord(string(t.Term)); w != "" && !strings.ContainsAny(w, " \t\n") {
			terms = append(terms, w)
		}
	}
	return strings.Join(terms, " ")
}

// nativeIndex is what the search needs of the native field to analyse a query word cheaply:
// each term of the field with the languages that made it. Stemmers cut endings, so a word's
// stem is a prefix of the word (after folding): only the languages of the field's terms that
// start the query word can make one of them, and only those analyzers run.
type nativeIndex map[string][]string

func newNativeIndex(corpus *content.Corpus) nativeIndex {
	ni := nativeIndex{}
	for _, e := range corpus.Entries {
		if e.OriginalTitle == "" || nativeAnalyzer(e.Language) == nil {
			continue
		}
		for _, t := range strings.Fields(nativeText(e.OriginalTitle, e.Language)) {
			if !slices.Contains(ni[t], e.Language) {
				ni[t] = append(ni[t], e.Language)
			}
		}
	}
	return ni
}

// terms are the native-field terms that word analyses to in the languages that could make them.
func (ni nativeIndex) terms(word string) []string {
	if len(ni) == 0 {
		return nil
	}
	w := foldWord(strings.ToLower(word))
	var out []string
	for k := len(w); k > 0; k-- {
		for _, lang := range ni[w[:k]] {
			t := nativeText(word, lang)
			if t == w[:k] && !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out
}
