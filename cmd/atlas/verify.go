package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/upkeep"
)

// cmdVerify records that an organiser checked entries against their sources today: it sets
// last_verified (and source_checked for guidance) in each file's front matter, editing those
// lines and nothing else. When hashes.json says an entry's content changed since it was last
// stamped and its updated date did not move, updated is set to today too, and the new hash is
// kept.
func cmdVerify(args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlagSet("verify", stderr, &cfg, false)
	ids, err := parseFlagsArgs(fs, args)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		fmt.Fprintln(stderr, "usage: atlas verify [--content content] ID…")
		return errUsage
	}
	corpus, probs, err := loadCorpus(cfg.content)
	if err != nil {
		return err
	}
	hashes, err := upkeep.ReadHashes(os.DirFS(cfg.content))
	if err != nil {
		return err
	}
	// Every id is checked before any file is written: all or nothing.
	var entries []*content.Entry
	bad := false
	for _, id := range ids {
		e := corpus.Get(id)
		switch {
		case e == nil && brokenFile(probs, id) != "":
			fmt.Fprintf(stderr, "atlas verify: %s does not load (%s): fix it first (atlas check)\n", id, brokenFile(probs, id))
			bad = true
		case e == nil:
			fmt.Fprintf(stderr, "atlas verify: no entry with the id %q\n", id)
			bad = true
		case !content.Accepts(e.Kind, "last_verified"):
			fmt.Fprintf(stderr, "atlas verify: %s is a %s, which has no last_verified; edit its dates (such as approach checked) by hand\n", id, e.Kind)
			bad = true
		default:
			entries = append(entries, e)
		}
	}
	if bad {
		return errProblems
	}
	day := today()
	for _, e := range entries {
		name := filepath.Join(cfg.content, filepath.FromSlash(e.Path))
		data, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		set := []content.Field{{Key: "last_verified", Value: day}}
		if content.Accepts(e.Kind, "source_checked") {
			set = append(set, content.Field{Key: "source_checked", Value: day})
		}
		updated := e.Updated
		if hashes != nil && hashes.Compare(e.ID, data, e.Updated) == upkeep.Unmarked {
			set = append(set, content.Field{Key: "updated", Value: day})
			updated = day
		}
		out, err := content.SetFields(data, set...)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := writeFileKeepMode(name, out); err != nil {
			return err
		}
		if hashes != nil {
			hashes.Entries[e.ID] = upkeep.Stamp{Hash: upkeep.Hash(out), Updated: updated}
		}
		var keys []string
		for _, f := range set {
			keys = append(keys, f.Key)
		}
		fmt.Fprintf(stdout, "%s: %s set to %s\n", joinPath(cfg.content, e.Path), strings.Join(keys, ", "), day)
	}
	if hashes != nil {
		return upkeep.WriteHashes(cfg.content, hashes)
	}
	return nil
}

// brokenFile returns the path of the file with the id that failed to load, or "".
func brokenFile(probs []content.Problem, id string) string {
	for _, p := range probs {
		if p.Severity == content.Error && strings.TrimSuffix(filepath.Base(p.Path), ".md") == id {
			return p.Path
		}
	}
	return ""
}

// writeFileKeepMode replaces a file's contents, keeping its permissions.
func writeFileKeepMode(name string, data []byte) error {
	mode := os.FileMode(0o644)
	if st, err := os.Stat(name); err == nil {
		mode = st.Mode().Perm()
	}
	return os.WriteFile(name, data, mode)
}
