package search

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/research-security-atlas/atlas/internal/content"
)

// coldRequests makes n distinct searches the way scripts/loadpaths makes the load test's cold
// mix: one to three words of more than four letters from the corpus's titles and summaries,
// with no filter (a quarter), a country, two countries and a kind, or a topic; 20 hits a page,
// as the web package asks.
func coldRequests(corpus *content.Corpus, n int) []Request {
	r := rand.New(rand.NewPCG(7, 7))
	var countries []string
	vocab := map[string]bool{}
	for _, e := range corpus.Entries {
		for _, c := range e.Countries {
			if !slices.Contains(countries, c) {
				countries = append(countries, c)
			}
		}
		for _, w := range strings.FieldsFunc(strings.ToLower(e.Title+" "+e.Summary), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if len(w) > 4 {
				vocab[w] = true
			}
		}
	}
	words := make([]string, 0, len(vocab))
	for w := range vocab {
		words = append(words, w)
	}
	slices.Sort(words)
	slices.Sort(countries)
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	topics := content.TopicVocab.Values()
	seen := map[string]bool{}
	var out []Request
	for len(out) < n {
		var q []string
		for j := 1 + r.IntN(3); j > 0; j-- {
			q = append(q, pick(words))
		}
		f := map[string][]string{}
		switch r.IntN(4) {
		case 0:
			f["country"] = []string{pick(countries)}
		case 1:
			f["country"] = []string{pick(countries), pick(countries)}
			f["kind"] = []string{pick([]string{"guidance", "finding"})}
		case 2:
			f["topic"] = []string{pick(topics)}
		}
		req := Request{Query: strings.Join(q, " "), Filters: f, Sort: SortRelevance, Page: 1, Size: 20}
		key := req.Query + "|" + strings.Join(f["country"], ",") + "|" + strings.Join(f["kind"], ",") + "|" + strings.Join(f["topic"], ",")
		if !seen[key] {
			seen[key] = true
			out = append(out, req)
		}
	}
	return out
}

// BenchmarkSearchCold runs distinct searches (see coldRequests) against the real corpus's
// on-disk index, as atlas serve answers a search that is not in its cache:
//
//	go test ./internal/search -run '^$' -bench SearchCold -benchmem -cpuprofile cpu.out
func BenchmarkSearchCold(b *testing.B) {
	corpus, _, err := content.Load(os.DirFS("../../content"), ".", content.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ix, _, err := OpenOrBuild(context.Background(), filepath.Join(b.TempDir(), "atlas.bleve"), corpus)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	reqs := coldRequests(corpus, 4096)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := ix.Search(ctx, reqs[i%len(reqs)]); err != nil {
			b.Fatal(err)
		}
	}
}
