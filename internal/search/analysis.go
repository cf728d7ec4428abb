package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/token/unicodenorm"
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/whitespace"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
)

// The Atlas analyzers. Both fold case, accents and British/American spelling the same way, so
// that a word typed in one form finds the other; textAnalyzer also drops English stop words and
// stems, and is the analyzer of every text field. surfaceAnalyzer keeps whole words: the typo
// dictionary and the title suggestions are built with it.
const (
	textAnalyzer    = "atlas"
	surfaceAnalyzer = "atlas_surface"
	nfkdFilter      = "atlas_nfkd"
	foldFilterName  = "atlas_fold"
	// nativeFieldAnalyzer splits the native field, whose text is terms made by a language's
	// analyzer (native.go), at spaces and changes nothing else.
	nativeFieldAnalyzer = "atlas_native"
)

func init() {
	if err := registry.RegisterTokenFilter(foldFilterName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return foldFilter{}, nil
	}); err != nil {
		panic(err)
	}
}

// addAnalyzers registers the Atlas analyzers in m. Their definitions travel inside the index
// mapping (and so inside its fingerprint); the fold filter they use is code, registered above.
func addAnalyzers(m *mapping.IndexMappingImpl) error {
	if err := m.AddCustomTokenFilter(nfkdFilter, map[string]any{
		"type": unicodenorm.Name,
		"form": unicodenorm.NFKD,
	}); err != nil {
		return err
	}
	if err := m.AddCustomAnalyzer(textAnalyzer, map[string]any{
		"type":      custom.Name,
		"tokenizer": unicodetok.Name,
		"token_filters": []any{
			en.PossessiveName, lowercase.Name, nfkdFilter, foldFilterName, en.StopName, porter.Name,
		},
	}); err != nil {
		return err
	}
	if err := m.AddCustomAnalyzer(nativeFieldAnalyzer, map[string]any{
		"type":      custom.Name,
		"tokenizer": whitespace.Name,
	}); err != nil {
		return err
	}
	return m.AddCustomAnalyzer(surfaceAnalyzer, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicodetok.Name,
		"token_filters": []any{lowercase.Name, nfkdFilter, foldFilterName},
	})
}

// foldFilter removes accents (the combining marks NFKD leaves behind, then any letter that
// still is not ASCII, such as ß or ø, through bleve's ASCII folding) and spells British forms
// the American way. Only the term changes: the token keeps its offsets into the original text,
// so highlighting still marks the word as written.
type foldFilter struct{}

func (foldFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		t.Term = []byte(foldWord(string(t.Term)))
	}
	return in
}

var asciiFolder = asciifolding.New()

// foldWord folds one lower-case word. The input may still carry combining marks (after NFKD);
// words in scripts without an ASCII form keep their letters.
func foldWord(w string) string {
	return americanize(stripAccents(w))
}

// stripAccents drops combining marks and folds the letters that remain to ASCII where bleve's
// ASCII folding knows them; other scripts pass unchanged.
func stripAccents(w string) string {
	if isASCII(w) {
		return w
	}
	var b strings.Builder
	for _, r := range w {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return string(asciiFolder.Filter([]byte(b.String())))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// spellingWords maps British spellings that no suffix rule covers to the American ones. Both
// sides of a search go through the same mapping, so all that matters is that the two forms of
// a word meet; the result need not be a dictionary word.
var spellingWords = map[string]string{
	"programme": "program", "programmes": "programs",
	"defence": "defense", "defences": "defenses",
	"offence": "offense", "offences": "offenses",
	"licence": "license", "licences": "licenses",
	"pretence": "pretense",
	"practise": "practice", "practised": "practiced", "practises": "practices", "practising": "practicing",
	"judgement": "judgment", "judgements": "judgments",
	"acknowledgement": "acknowledgment", "acknowledgements": "acknowledgments",
	"ageing": "aging", "grey": "gray",
	"enquiry": "inquiry", "enquiries": "inquiries",
	"sceptical": "skeptical", "sceptic": "skeptic", "sceptics": "skeptics", "scepticism": "skepticism",
	"fulfil": "fulfill", "fulfilment": "fulfillment", "enrol": "enroll", "enrolment": "enrollment",
	"instalment": "installment", "manoeuvre": "maneuver", "paediatric": "pediatric",
	"artefact": "artifact", "artefacts": "artifacts", "cheque": "check", "cheques": "checks",
	"storey": "story", "tyre": "tire", "plough": "plow", "aluminium": "aluminum",
}

// ourStems are the words whose British "-our" is American "-or" (behaviour, colour, …); they
// are matched as the start of a word so that their derived forms (behavioural, honourable)
// fold too.
var ourStems = []string{
	"behaviour", "colour", "favour", "honour", "labour", "neighbour", "harbour", "endeavour",
	"rumour", "humour", "vigour", "rigour", "armour", "odour", "flavour", "tumour", "vapour",
	"saviour", "valour", "candour", "clamour", "splendour", "parlour",
}

// suffixRules turn British word endings into American ones when at least min letters come
// before the ending: internationalisation → internationalization, organise → organize,
// analyse → analyze, catalogue → catalog, centre → center.
var suffixRules = []struct {
	british, american string
	min               int
}{
	{"isation", "ization", 2}, {"isations", "izations", 2},
	{"ise", "ize", 3}, {"ised", "ized", 3}, {"ises", "izes", 3}, {"ising", "izing", 3},
	{"iser", "izer", 3}, {"isers", "izers", 3},
	{"yse", "yze", 2}, {"ysed", "yzed", 2}, {"yses", "yzes", 2}, {"ysing", "yzing", 2},
	{"ogue", "og", 4}, {"ogues", "ogs", 4},
	{"tre", "ter", 3}, {"tres", "ters", 3},
}

// americanize spells one lower-case ASCII word the American way.
func americanize(w string) string {
	if a, ok := spellingWords[w]; ok {
		return a
	}
	for _, s := range ourStems {
		if strings.HasPrefix(w, s) {
			return s[:len(s)-2] + "r" + w[len(s):]
		}
	}
	for _, r := range suffixRules {
		if strings.HasSuffix(w, r.british) && len(w)-len(r.british) >= r.min {
			return w[:len(w)-len(r.british)] + r.american
		}
	}
	return w
}
