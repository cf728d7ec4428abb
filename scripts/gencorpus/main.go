// Command gencorpus writes a synthetic corpus of N entries for benchmarks (see internal/gen).
//
//	go run ./scripts/gencorpus -n 10000 -out /tmp/corpus-10k
package main

import (
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/gen"
)

func main() {
	n := flag.Int("n", 1000, "number of entries")
	out := flag.String("out", "", "folder to write")
	src := flag.String("content", "content", "the real corpus to draw from")
	seed := flag.Uint64("seed", 1, "random seed, for repeatable corpora")
	flag.Parse()
	if *out == "" {
		log.Fatal("gencorpus: -out is required")
	}
	corpus, _, err := content.Load(os.DirFS(*src), ".", content.Options{})
	if err != nil {
		log.Fatal(err)
	}
	if err := gen.Write(corpus, *n, *seed, *out); err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "wrote %d entries to %s\n", *n, *out)
}
