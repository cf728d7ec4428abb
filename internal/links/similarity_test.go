package links

import "testing"

func TestSimilarity(t *testing.T) {
	for _, test := range []struct {
		a, b string
		want float64
	}{
		{"National Knowledge Security Guidelines", "National knowledge security guidelines | Government.nl", 1},
		{"National Knowledge Security Guidelines", "Knowledge security", 1},
		{"National Knowledge Security Guidelines", "Home | Government.nl", 0},
		{"Guidelines", "guideline", 1},
		{"The Guide for the Institutions", "A guide to institution security", 1},
		{"Research security and foreign interference", "Security of supply chains", 1.0 / 3},
		{"National Knowledge Security Guidelines", "Of the and", 1}, // nothing left to compare
		{"", "Anything", 1},
	} {
		if got := Similarity(test.a, test.b); got != test.want {
			t.Errorf("Similarity(%q, %q) = %.2f, want %.2f", test.a, test.b, got, test.want)
		}
	}
}

func TestErrorTitle(t *testing.T) {
	for _, test := range []struct {
		title string
		want  bool
	}{
		{"Page not found | Government.nl", true},
		{"404 - Seite nicht gefunden", true},
		{"Erreur 404 : page introuvable", true},
		{"Pagina niet gevonden", true},
		{"Commission Implementing Regulation (EU) 2024/404", false},
		{"National Knowledge Security Guidelines", false},
	} {
		if got := errorTitle(test.title); got != test.want {
			t.Errorf("errorTitle(%q) = %v, want %v", test.title, got, test.want)
		}
	}
}
