package main

import (
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/export"
)

// facetFlag collects a repeatable filter flag.
type facetFlag struct {
	name string
	vals *url.Values
}

func (f facetFlag) String() string { return "" }

func (f facetFlag) Set(v string) error {
	for _, part := range strings.Split(v, ",") {
		f.vals.Add(f.name, strings.TrimSpace(part))
	}
	return nil
}

func cmdExport(args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlagSet("export", stderr, &cfg, false)
	format := fs.String("format", "md", "md, csv, bibtex, ris, json or csl (CSL-JSON)")
	var sel export.Selection
	fs.Func("id", "list only this entry (repeatable, or comma-separated): a hand-picked list", func(v string) error {
		for _, id := range strings.Split(v, ",") {
			if id = strings.TrimSpace(id); id != "" {
				sel.IDs = append(sel.IDs, id)
			}
		}
		return nil
	})
	fs.Func("kind", "guidance or finding (repeatable; default guidance)", func(v string) error {
		for _, k := range strings.Split(v, ",") {
			switch k = strings.TrimSpace(k); k {
			case "guidance", "finding":
				sel.Kinds = append(sel.Kinds, content.Kind(k))
			default:
				return fmt.Errorf("kind %q: use guidance or finding", k)
			}
		}
		return nil
	})
	fs.BoolVar(&sel.Superseded, "superseded", false, "keep superseded, rescinded and withdrawn entries")
	baseURL := fs.String("base-url", envOr("ATLAS_BASE_URL", ""), "public address of the Atlas, to link each entry (env ATLAS_BASE_URL)")
	filters := url.Values{}
	for _, f := range []string{"country", "topic", "theme", "stage", "phase", "type", "audience", "year"} {
		fs.Var(facetFlag{f, &filters}, f, "keep entries with this "+f+" (repeatable, or comma-separated)")
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	f, ok := export.FormatByName(*format)
	if !ok {
		fmt.Fprintf(stderr, "atlas export: unknown format %q: use md, csv, bibtex, ris, json or csl\n", *format)
		return errUsage
	}
	if err := checkFilters(filters); err != nil {
		fmt.Fprintf(stderr, "atlas export: %v\n", err)
		return errUsage
	}
	corpus, probs, err := loadCorpus(cfg.content)
	if err != nil {
		return err
	}
	if n := content.Errors(probs); n > 0 {
		fmt.Fprintf(stderr, "atlas export: %d content errors (see atlas check); entries with errors are left out\n", n)
	}
	for _, id := range sel.IDs {
		if corpus.Get(id) == nil {
			fmt.Fprintf(stderr, "atlas export: there is no entry with the id %q\n", id)
			return errUsage
		}
	}
	groups := export.Select(content.NewCatalog(corpus), filters, sel)
	if err := export.Write(stdout, f, groups, export.Options{BaseURL: *baseURL}); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%d entries\n", export.Len(groups))
	return nil
}

// checkFilters rejects values outside the vocabularies, as the site does.
func checkFilters(filters url.Values) error {
	vocab := map[string]*content.Vocabulary{"topic": content.TopicVocab, "theme": content.ThemeVocab,
		"stage": content.StageFacetVocab, "phase": content.PhaseVocab, "type": content.TypeVocab, "audience": content.AudienceVocab}
	for f, vals := range filters {
		for _, v := range vals {
			switch {
			case f == "country" && content.CountryName(v) == "":
				return fmt.Errorf("unknown country %q", v)
			case vocab[f] != nil && !vocab[f].Has(v):
				return fmt.Errorf("unknown %s %q: use one of %s", f, v, vocab[f].List())
			}
		}
	}
	return nil
}

var _ flag.Value = facetFlag{}
