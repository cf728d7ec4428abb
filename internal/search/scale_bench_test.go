package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/gen"
)

// The scale benchmarks run on the real corpus and on generated ones (scripts/gencorpus's
// generator) of the sizes in ATLAS_BENCH_SIZES (default real,1000; e.g.
// ATLAS_BENCH_SIZES=real,1000,10000,100000). A generated corpus and its index are kept under
// the temporary folder between runs (atlas-search-bench-N), as building 100,000 entries takes
// minutes:
//
//	flock /tmp/atlas-heavy.lock go test ./internal/search -run '^$' -bench Scale -count 5
//
// Each reports the median and 95th percentile of its operations' durations (p50-ms, p95-ms).

func scaleCorpora() []string {
	if s := os.Getenv("ATLAS_BENCH_SIZES"); s != "" {
		return strings.Split(s, ",")
	}
	return []string{"real", "1000"}
}

// scaleOpen holds the indexes scaleIndex opened, one per corpus, for the whole run: loading
// 100,000 entries takes a minute, and every benchmark and -count repeat would load them again.
var scaleOpen = map[string]scaleOpened{}

type scaleOpened struct {
	ix     *Index
	corpus *content.Corpus
}

// scaleIndex opens the index of the named corpus, building it the first time.
func scaleIndex(b testing.TB, name string) (*Index, *content.Corpus) {
	b.Helper()
	if o, ok := scaleOpen[name]; ok {
		return o.ix, o.corpus
	}
	real, _, err := content.Load(os.DirFS("../../content"), ".", content.Options{})
	if err != nil {
		b.Fatal(err)
	}
	corpus, dir := real, filepath.Join(b.TempDir(), "atlas.bleve")
	if name != "real" {
		n, err := strconv.Atoi(name)
		if err != nil {
			b.Fatalf("corpus size %q", name)
		}
		base := filepath.Join(os.TempDir(), fmt.Sprintf("atlas-search-bench-%d", n))
		src := filepath.Join(base, "content")
		if _, err := os.Stat(filepath.Join(src, fmt.Sprintf("gen-%06d.md", n-1))); err != nil {
			os.RemoveAll(base)
			if err := gen.Write(real, n, 1, src); err != nil {
				b.Fatal(err)
			}
		}
		if corpus, _, err = content.Load(os.DirFS(src), ".", content.Options{}); err != nil {
			b.Fatal(err)
		}
		dir = filepath.Join(base, "atlas.bleve")
	}
	ix, _, err := OpenOrBuild(context.Background(), dir, corpus)
	if err != nil {
		b.Fatal(err)
	}
	if name == "real" {
		b.Cleanup(func() { ix.Close() })
		return ix, corpus
	}
	scaleOpen[name] = scaleOpened{ix, corpus}
	return ix, corpus
}

// latencies records each operation's duration and reports their median and 95th percentile.
type latencies []time.Duration

func (l *latencies) time(fn func()) {
	t := time.Now()
	fn()
	*l = append(*l, time.Since(t))
}

func (l latencies) report(b *testing.B) {
	if len(l) == 0 {
		return
	}
	s := slices.Clone(l)
	slices.Sort(s)
	at := func(p float64) float64 { return float64(s[int(p*float64(len(s)-1))]) / 1e6 }
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
}

// broadQueries are realistic queries of several common words, searched with no filter.
var broadQueries = []string{
	"research security guidance for universities",
	"foreign interference in research",
	"export control and dual use research",
	"international research cooperation risks",
	"knowledge security national guidelines",
	"how do universities assess partnerships",
	"security training for researchers",
	"sensitive technology research collaboration",
}

// suggestPrefixes are what a user types, keystroke by keystroke, into the search box.
var suggestPrefixes = func() []string {
	var out []string
	for _, w := range []string{"knowledge security", "research", "trusted research", "export control", "foreign interference", "due diligence"} {
		for i := 1; i <= len(w); i++ {
			out = append(out, w[:i])
		}
	}
	return out
}()

func BenchmarkScaleBroad(b *testing.B) {
	for _, name := range scaleCorpora() {
		b.Run(name, func(b *testing.B) {
			ix, _ := scaleIndex(b, name)
			ctx := context.Background()
			var l latencies
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				r := Request{Query: broadQueries[i%len(broadQueries)], Sort: SortRelevance, Page: 1, Size: 20}
				l.time(func() {
					if _, err := ix.Search(ctx, r); err != nil {
						b.Fatal(err)
					}
				})
			}
			l.report(b)
		})
	}
}

func BenchmarkScaleEmpty(b *testing.B) {
	for _, name := range scaleCorpora() {
		b.Run(name, func(b *testing.B) {
			ix, _ := scaleIndex(b, name)
			ctx := context.Background()
			sorts := []string{SortRelevance, SortNewest, SortTitle}
			var l latencies
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				r := Request{Sort: sorts[i%len(sorts)], Page: 1 + i%3, Size: 20}
				l.time(func() {
					if _, err := ix.Search(ctx, r); err != nil {
						b.Fatal(err)
					}
				})
			}
			l.report(b)
		})
	}
}

func BenchmarkScaleSuggest(b *testing.B) {
	for _, name := range scaleCorpora() {
		b.Run(name, func(b *testing.B) {
			ix, _ := scaleIndex(b, name)
			ctx := context.Background()
			var l latencies
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				p := suggestPrefixes[i%len(suggestPrefixes)]
				l.time(func() {
					if _, err := ix.Suggest(ctx, p, 10); err != nil {
						b.Fatal(err)
					}
				})
			}
			l.report(b)
		})
	}
}

// BenchmarkScaleCold is BenchmarkSearchCold's mix (three in four filtered) at every size.
func BenchmarkScaleCold(b *testing.B) {
	for _, name := range scaleCorpora() {
		b.Run(name, func(b *testing.B) {
			ix, corpus := scaleIndex(b, name)
			reqs := coldRequests(corpus, 4096)
			ctx := context.Background()
			var l latencies
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				l.time(func() {
					if _, err := ix.Search(ctx, reqs[i%len(reqs)]); err != nil {
						b.Fatal(err)
					}
				})
			}
			l.report(b)
		})
	}
}
