package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/research-security-atlas/atlas/internal/content"
)

// newToday is the date "atlas new" sets last_verified to; tests replace it.
var newToday = time.Now

const newUsage = `usage: atlas new KIND SLUG [--content content]

Writes content/<folder>/SLUG.md with the front matter and body skeleton of a KIND entry and
lists the fields left to fill in.
KIND is one of: %s.
SLUG is the entry's id: lower-case letters, digits and hyphens, unique across the corpus
(docs/content.md gives each kind's pattern, e.g. nl-knowledge-security-guidelines).
`

func cmdNew(args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlagSet("new", stderr, &cfg, false)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), newUsage, content.KindVocab.List())
		fs.PrintDefaults()
	}
	pos, err := parseFlagsWithArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		fs.Usage()
		return errUsage
	}
	kind, err := content.ParseKind(pos[0])
	if err != nil {
		return err
	}
	id := pos[1]
	if err := content.CheckID(id); err != nil {
		return fmt.Errorf("SLUG: %w", err)
	}
	if st, err := os.Stat(cfg.content); err != nil || !st.IsDir() {
		return fmt.Errorf("content folder %s: not found (give it with --content)", cfg.content)
	}
	path := filepath.Join(cfg.content, content.Folder(kind), id+".md")
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s already exists: not overwriting it", path)
	}
	if other, err := findID(cfg.content, id); err != nil {
		return err
	} else if other != "" {
		return fmt.Errorf("id %q is already used by %s: ids are unique across all folders", id, other)
	}

	data, err := content.Skeleton(kind, id, newToday())
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	// O_EXCL: never overwrite, even a file created since the check above.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s already exists: not overwriting it", path)
		}
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintln(stdout, path)

	// Say what is left to fill in, as atlas check will.
	rel := filepath.ToSlash(filepath.Join(content.Folder(kind), id+".md"))
	_, probs, err := content.Load(os.DirFS(cfg.content), rel, content.Options{Now: newToday()})
	if err == nil && len(probs) > 0 {
		fmt.Fprintf(stderr, "%d fields to fill in before atlas check passes:\n", content.Errors(probs))
		for _, p := range probs {
			p.Path = path
			fmt.Fprintf(stderr, "  %s\n", p)
		}
	}
	return nil
}

// findID returns the path of a content file whose id is id, anywhere under dir, or "".
// It looks at file names rather than loading the corpus, so that a file with errors, which
// Load leaves out, still holds its id.
func findID(dir, id string) (string, error) {
	var found string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Name() == id+".md" {
			found = p
			return filepath.SkipAll
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("content folder: %w", err)
	}
	return found, nil
}

// parseFlagsWithArgs parses flags that may come before, between or after the positional
// arguments ("atlas new guidance nl-x --content c"), which flag.Parse alone does not, and
// returns the positional arguments.
func parseFlagsWithArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, errUsage
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
