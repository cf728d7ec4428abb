package links

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Similarity says how much two titles share, from 0 (no word in common) to 1: the number of
// distinct words they have in common divided by the number of words of the shorter one,
// after lower-casing, dropping stop words and words shorter than three letters, and a crude
// plural strip. Dividing by the shorter title keeps a page title with a site name appended
// ("Knowledge security | Government.nl") close to a longer entry title. Two titles of which
// one has no words left are not comparable and count as similar (1).
func Similarity(a, b string) float64 {
	ta, tb := tokens(a), tokens(b)
	if len(ta) == 0 || len(tb) == 0 {
		return 1
	}
	common := 0
	for w := range ta {
		if tb[w] {
			common++
		}
	}
	return float64(common) / float64(min(len(ta), len(tb)))
}

// tokens returns the distinct significant words of s.
func tokens(s string) map[string]bool {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	set := map[string]bool{}
	for _, w := range words {
		if utf8.RuneCountInString(w) < 3 || stopWords[w] {
			continue
		}
		if len(w) > 4 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
			w = w[:len(w)-1]
		}
		set[w] = true
	}
	return set
}

// stopWords are the function words of the corpus's main languages that are three letters or
// longer (shorter words are dropped anyway).
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		the and for with from into onto that this these those are was were its our your their
		about under over how what which who whom not but all any can will has have had been
		they them than then there such per via also more most other out
		der die das und für von mit den dem des ein eine einer eines zum zur bei auf aus
		les des une pour dans sur aux par avec est qui que
		het een van voor met aan bij naar over
		los las del por para con una
		och att för med som till
		`) {
		m[w] = true
	}
	return m
}()

// errorTitle reports whether a page title looks like an error page served with status 200
// (a "soft 404"), in the languages of the corpus's sources.
func errorTitle(title string) bool {
	t := strings.ToLower(title)
	if strings.HasPrefix(t, "404") {
		return true
	}
	for _, s := range []string{"error 404", "404 error", "(404)", "not found", "page not available", "page no longer exists",
		"error page", "nicht gefunden", "introuvable", "niet gevonden", "no encontrada",
		"no se ha encontrado", "hittades inte", "ei löytynyt"} {
		if strings.Contains(t, s) {
			return true
		}
	}
	return false
}
