package main

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/gen"
	"github.com/research-security-atlas/atlas/internal/search"
	"github.com/research-security-atlas/atlas/internal/web"
)

// benchCorpora are the corpora the scale benchmarks run on: "real" is content/, a number is a
// generated corpus of that many entries. ATLAS_BENCH_SIZES overrides the default, e.g.
// ATLAS_BENCH_SIZES=real,1000,10000,100000 (100,000 takes a few minutes to generate and index).
func benchCorpora(b *testing.B) []string {
	if s := os.Getenv("ATLAS_BENCH_SIZES"); s != "" {
		return strings.Split(s, ",")
	}
	return []string{"real", "1000"}
}

func loadBenchCorpus(b *testing.B, name string) *content.Corpus {
	b.Helper()
	real, _, err := content.Load(os.DirFS("../../content"), ".", content.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if name == "real" {
		return real
	}
	n, err := strconv.Atoi(name)
	if err != nil {
		b.Fatalf("corpus size %q", name)
	}
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("atlas-bench-%d", n))
	if _, err := os.Stat(filepath.Join(dir, fmt.Sprintf("gen-%06d.md", n-1))); err != nil {
		os.RemoveAll(dir)
		if err := gen.Write(real, n, 1, dir); err != nil {
			b.Fatal(err)
		}
	}
	c, _, err := content.Load(os.DirFS(dir), ".", content.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// openBenchIndex builds the corpus's index on disk and opens it, as atlas serve does.
func openBenchIndex(b *testing.B, corpus *content.Corpus) *search.Index {
	b.Helper()
	ix, _, err := search.OpenOrBuild(context.Background(), filepath.Join(b.TempDir(), "atlas.bleve"), corpus)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ix.Close() })
	return ix
}

// BenchmarkBuild measures a full index build (documents, fingerprint, atomic rename).
func BenchmarkBuild(b *testing.B) {
	for _, name := range benchCorpora(b) {
		b.Run(name, func(b *testing.B) {
			corpus := loadBenchCorpus(b, name)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := search.Build(context.Background(), filepath.Join(b.TempDir(), "atlas.bleve"), corpus); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(corpus.Len()), "entries")
		})
	}
}

var benchQueries = []string{"research security", "partner screening", "export control dual use", "knowledge security",
	"trusted research", "due diligence checklist", "foreign interference universities", "sensitive technology",
	"training outreach", "academic freedom openness", "risk assessment form", "funding agencies safeguards"}

// BenchmarkSearch measures one client's searches with facets, highlighting and a filter, each
// query distinct in its page or filter, and reports p50 and p99 latency.
func BenchmarkSearch(b *testing.B) {
	for _, name := range benchCorpora(b) {
		b.Run(name, func(b *testing.B) {
			corpus := loadBenchCorpus(b, name)
			ix := openBenchIndex(b, corpus)
			countries := []string{"nl", "ca", "gb", "us", "de", "se", "fi", "eu"}
			r := rand.New(rand.NewPCG(3, 3))
			times := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				req := search.Request{Query: benchQueries[i%len(benchQueries)], Page: 1 + r.IntN(2), Size: 20,
					Filters: map[string][]string{"country": {countries[r.IntN(len(countries))]}}}
				start := time.Now()
				if _, err := ix.Search(context.Background(), req); err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(start))
			}
			b.StopTimer()
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// BenchmarkPages renders each kind of page with empty caches, as the first request for a URL
// after a start or a content change is served, and reports the page's size.
func BenchmarkPages(b *testing.B) {
	for _, name := range benchCorpora(b) {
		b.Run(name, func(b *testing.B) {
			corpus := loadBenchCorpus(b, name)
			ix := openBenchIndex(b, corpus)
			s, err := web.New(web.Config{Templates: os.DirFS("../../templates"), Static: os.DirFS("../../static"),
				Logger: slog.New(slog.DiscardHandler)}, corpus)
			if err != nil {
				b.Fatal(err)
			}
			var doc string
			for _, e := range corpus.Entries {
				if e.Kind == content.Guidance {
					doc = e.ID
					break
				}
			}
			for _, path := range []string{
				"/", "/search?q=partner+screening&country=nl", "/api/search?q=partner+screening&country=nl",
				"/docs/" + doc, "/countries", "/countries/nl", "/compare?c=nl&c=ca&c=gb", "/topics/funder-measures",
				"/reading-list?country=nl", "/reading-list",
			} {
				b.Run(strings.ReplaceAll(path, "/", "_"), func(b *testing.B) {
					req := httptest.NewRequest(http.MethodGet, path, nil)
					size := 0
					b.ReportAllocs()
					for i := 0; i < b.N; i++ {
						b.StopTimer()
						s.SetSearcher(ix) // a fresh state: empty result and page caches
						rec := httptest.NewRecorder()
						b.StartTimer()
						s.ServeHTTP(rec, req)
						if rec.Code != http.StatusOK {
							b.Fatalf("%s: %d", path, rec.Code)
						}
						size = rec.Body.Len()
					}
					b.ReportMetric(float64(size)/1024, "page-KB")
				})
			}
		})
	}
}
