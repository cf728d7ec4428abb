package search

import (
	"os"
	"testing"

	"github.com/research-security-atlas/atlas/internal/content"
)

// BenchmarkNativeTerms is the per-word cost of finding a query word's stems among the real
// corpus's original titles (docs/search.md).
func BenchmarkNativeTerms(b *testing.B) {
	corpus, _, err := content.Load(os.DirFS("../../content"), ".", content.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ni := newNativeIndex(corpus)
	words := []string{"Wissenssicherheit", "kennisveiligheid", "Hochschulen", "sécurité", "lagar", "partnership", "universities", "security"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ni.terms(words[i%len(words)])
	}
}
