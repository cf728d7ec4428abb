package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/upkeep"
)

func cmdCheck(args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlagSet("check", stderr, &cfg, false)
	asJSON := fs.Bool("json", false, "print one JSON document instead of lines")
	strict := fs.Bool("strict", false, "upkeep warnings are errors: TODO placeholders, entries not verified for a year, guidance with no source status, approach cells unknown for 180 days")
	stamp := fs.Bool("stamp", false, "record each entry's content hash in "+upkeep.HashesFile+", setting updated to today where the content changed without it")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	corpus, probs, err := loadCorpus(cfg.content)
	if err != nil {
		return err
	}
	changes, err := stampCheck(cfg.content, corpus, *stamp, stderr)
	if err != nil {
		return err
	}
	probs = append(probs, changes...)
	slices.SortStableFunc(probs, func(a, b content.Problem) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Line, b.Line))
	})
	if *strict {
		probs = content.Strict(probs)
	}
	errs := content.Errors(probs)
	if *asJSON {
		type problem struct {
			Path     string `json:"path"`
			Line     int    `json:"line"`
			Severity string `json:"severity"`
			Message  string `json:"message"`
		}
		out := struct {
			Entries  int       `json:"entries"`
			Errors   int       `json:"errors"`
			Warnings int       `json:"warnings"`
			Problems []problem `json:"problems"`
		}{Entries: corpus.Len(), Errors: errs, Warnings: len(probs) - errs, Problems: []problem{}}
		for _, p := range probs {
			out.Problems = append(out.Problems, problem{p.Path, p.Line, p.Severity.String(), p.Message})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
		if errs > 0 {
			return errProblems
		}
		return nil
	}
	for _, p := range probs {
		fmt.Fprintln(stdout, p)
	}
	fmt.Fprintf(stderr, "%d entries loaded; %d errors, %d warnings\n", corpus.Len(), errs, len(probs)-errs)
	if errs > 0 {
		return errProblems
	}
	return nil
}

// stampCheck compares each entry with its stamp in hashes.json. Without stamp it returns a
// warning for each entry whose content changed while its updated date stayed (and for entries
// not stamped yet); with stamp it sets updated to today in those, records every hash and
// returns nothing. Without a hashes.json and without stamp it does nothing.
func stampCheck(dir string, corpus *content.Corpus, stamp bool, stderr io.Writer) ([]content.Problem, error) {
	hashes, err := upkeep.ReadHashes(os.DirFS(dir))
	if err != nil {
		return nil, err
	}
	if hashes == nil && !stamp {
		return nil, nil
	}
	if hashes == nil {
		hashes = &upkeep.Hashes{Entries: map[string]upkeep.Stamp{}}
	}
	day := today()
	var probs []content.Problem
	var marked []string
	for _, e := range corpus.Entries {
		name := filepath.Join(dir, filepath.FromSlash(e.Path))
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		change := hashes.Compare(e.ID, data, e.Updated)
		switch {
		case !stamp && change == upkeep.Unmarked:
			probs = append(probs, content.Problem{Path: joinPath(dir, e.Path), Line: e.Line("updated"), Severity: content.Warning,
				Message: fmt.Sprintf("the content changed since it was stamped, but updated is still %s: set it to the day of the change, or run atlas check --stamp", cmp.Or(e.Updated, "unset"))})
		case !stamp && change == upkeep.New:
			probs = append(probs, content.Problem{Path: joinPath(dir, e.Path), Line: 1, Severity: content.Warning,
				Message: "no content hash yet: run atlas check --stamp"})
		case stamp && change == upkeep.Unmarked:
			data, err = content.SetFields(data, content.Field{Key: "updated", Value: day})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			if err := writeFileKeepMode(name, data); err != nil {
				return nil, err
			}
			hashes.Entries[e.ID] = upkeep.Stamp{Hash: upkeep.Hash(data), Updated: day}
			marked = append(marked, joinPath(dir, e.Path))
		case stamp && change != upkeep.Unchanged:
			hashes.Entries[e.ID] = upkeep.Stamp{Hash: upkeep.Hash(data), Updated: e.Updated}
		}
	}
	if !stamp {
		return probs, nil
	}
	// Entries that are gone lose their stamp.
	for id := range hashes.Entries {
		if corpus.Get(id) == nil {
			delete(hashes.Entries, id)
		}
	}
	hashes.Stamped = day
	if err := upkeep.WriteHashes(dir, hashes); err != nil {
		return nil, err
	}
	for _, m := range marked {
		fmt.Fprintf(stderr, "%s: content changed: updated set to %s\n", m, day)
	}
	fmt.Fprintf(stderr, "stamped %d entries in %s; updated set in %d\n", len(hashes.Entries), joinPath(dir, upkeep.HashesFile), len(marked))
	return nil, nil
}

// loadCorpus loads the content folder; problem paths are given relative to the working
// directory so that editors can jump to them.
func loadCorpus(dir string) (*content.Corpus, []content.Problem, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, nil, fmt.Errorf("content folder: %w", err)
	}
	return loadCorpusFS(os.DirFS(dir), dir)
}

// loadCorpusFS loads content from fsys, naming problems with label as their folder.
func loadCorpusFS(fsys fs.FS, label string) (*content.Corpus, []content.Problem, error) {
	corpus, probs, err := content.Load(fsys, ".", content.Options{})
	if err != nil {
		return nil, nil, err
	}
	for i := range probs {
		probs[i].Path = joinPath(label, probs[i].Path)
	}
	return corpus, probs, nil
}

func joinPath(dir, p string) string {
	if dir == "." || dir == "" {
		return p
	}
	return dir + "/" + p
}
