// Command querytime times searches in-process against a built index, the way the peer
// comparison times Pagefind in Node: each query with a filter, highlighting and facet counts.
//
//	go run ./scripts/querytime -content content -queries queries.txt -iters 50
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/search"
)

func main() {
	dir := flag.String("content", "content", "content folder")
	queries := flag.String("queries", "", "file with one query per line")
	iters := flag.Int("iters", 50, "repetitions of each query")
	topic := flag.String("topic", "", "a topic filter applied to every query, as in the peer harness")
	flag.Parse()
	corpus, _, err := content.Load(os.DirFS(*dir), ".", content.Options{})
	if err != nil {
		log.Fatal(err)
	}
	tmp, err := os.MkdirTemp("", "querytime")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	ix, _, err := search.OpenOrBuild(context.Background(), filepath.Join(tmp, "atlas.bleve"), corpus)
	if err != nil {
		log.Fatal(err)
	}
	defer ix.Close()
	f, err := os.Open(*queries)
	if err != nil {
		log.Fatal(err)
	}
	var qs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if q := strings.TrimSpace(sc.Text()); q != "" {
			qs = append(qs, q)
		}
	}
	filters := map[string][]string{}
	if *topic != "" {
		filters["topic"] = []string{*topic}
	}
	var times []time.Duration
	first := time.Now()
	for i := 0; i < *iters; i++ {
		for _, q := range qs {
			s := time.Now()
			if _, err := ix.Search(context.Background(), search.Request{Query: q, Filters: filters, Page: 1, Size: 5}); err != nil {
				log.Fatal(err)
			}
			times = append(times, time.Since(s))
		}
	}
	total := time.Since(first)
	slices.Sort(times)
	pct := func(p float64) float64 { return float64(times[int(p*float64(len(times)-1))].Microseconds()) / 1000 }
	fmt.Printf("queries=%d runs=%d p50_ms=%.3f p95_ms=%.3f p99_ms=%.3f mean_ms=%.3f\n",
		len(qs), len(times), pct(0.5), pct(0.95), pct(0.99), float64(total.Microseconds())/1000/float64(len(times)))
}
