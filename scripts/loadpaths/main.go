// Command loadpaths writes the request paths of the load benchmark from the corpus: a hot mix
// of a few hundred search, page and document paths that are repeated, and a cold mix of tens of
// thousands of distinct searches that are not.
//
//	go run ./scripts/loadpaths -content content -out /tmp/atlas-load
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/research-security-atlas/atlas/internal/content"
)

// queries people type, from the three kinds of user.
var queries = []string{
	"research security", "knowledge security", "trusted research", "partner screening", "due diligence",
	"export control", "dual use", "foreign interference", "basic research", "applied research",
	"risk assessment", "sensitive technology", "training", "national contact point", "academic freedom",
	"responsible internationalisation", "kennisveiligheid", "safeguarding science", "talent programmes",
	"NSPM-33", "STRAC", "UFIT guidelines", "NIST framework", "council recommendation", "economic security",
	"ethics review", "open science", "checklist", "self-assessment", "disclosure", "conflict of interest",
	"\"research security\"", "universities partnerships", "funding agencies", "intelligence services",
}

func main() {
	src := flag.String("content", "content", "content folder")
	out := flag.String("out", "", "folder for hot.txt, api-hot.txt, pages-hot.txt and cold.txt")
	cold := flag.Int("cold", 120000, "number of distinct cold searches")
	flag.Parse()
	corpus, _, err := content.Load(os.DirFS(*src), ".", content.Options{})
	if err != nil {
		log.Fatal(err)
	}
	r := rand.New(rand.NewPCG(7, 7))
	var countries, ids []string
	seen := map[string]bool{}
	vocab := map[string]bool{}
	for _, e := range corpus.Entries {
		ids = append(ids, e.ID)
		for _, c := range e.Countries {
			if !seen[c] {
				seen[c] = true
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
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	topics := content.TopicVocab.Values()
	kinds := []string{"guidance", "finding"}

	search := func(q string) url.Values {
		v := url.Values{"q": {q}}
		switch r.IntN(4) {
		case 0:
			v.Add("country", pick(countries))
		case 1:
			v.Add("country", pick(countries))
			v.Add("country", pick(countries))
			v.Add("kind", pick(kinds))
		case 2:
			v.Add("topic", pick(topics))
		}
		return v
	}
	var api, pages []string
	for len(api) < 150 {
		api = append(api, "/api/search?"+search(pick(queries)).Encode())
	}
	for len(pages) < 100 {
		pages = append(pages, "/search?"+search(pick(queries)).Encode())
	}
	for i := 0; i < 100; i++ {
		pages = append(pages, "/docs/"+pick(ids))
	}
	coldSet := map[string]bool{}
	var coldPaths []string
	for len(coldPaths) < *cold {
		n := 1 + r.IntN(3)
		var q []string
		for j := 0; j < n; j++ {
			q = append(q, pick(words))
		}
		p := "/api/search?" + search(strings.Join(q, " ")).Encode()
		if !coldSet[p] {
			coldSet[p] = true
			coldPaths = append(coldPaths, p)
		}
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	write := func(name string, paths []string) {
		if err := os.WriteFile(filepath.Join(*out, name), []byte(strings.Join(paths, "\n")+"\n"), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	write("api-hot.txt", api)
	write("pages-hot.txt", pages)
	write("cold.txt", coldPaths)
	fmt.Fprintf(os.Stderr, "%d hot API paths, %d hot page paths, %d cold searches\n", len(api), len(pages), len(coldPaths))
}
