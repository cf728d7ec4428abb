package main

import (
	"context"
	"fmt"
	"math/rand/v2"
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
			ix, _, err := search.OpenOrBuild(context.Background(), filepath.Join(b.TempDir(), "atlas.bleve"), corpus)
			if err != nil {
				b.Fatal(err)
			}
			defer ix.Close()
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
