package main

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/research-security-atlas/atlas/internal/content"
)

func cmdCheck(args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlagSet("check", stderr, &cfg, false)
	asJSON := fs.Bool("json", false, "print one JSON document instead of lines")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	corpus, probs, err := loadCorpus(cfg.content)
	if err != nil {
		return err
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
