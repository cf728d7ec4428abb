package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/research-security-atlas/atlas/internal/upkeep"
)

// cmdUpkeep prints the organiser's worklist, most urgent first: the same list as /upkeep.
func cmdUpkeep(args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlagSet("upkeep", stderr, &cfg, false)
	asJSON := fs.Bool("json", false, "print {items: [...]} as /api/upkeep does")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	corpus, probs, err := loadCorpus(cfg.content)
	if err != nil {
		return err
	}
	rec, err := upkeep.ReadRecord(os.DirFS(cfg.content))
	if err != nil {
		return err
	}
	items := upkeep.Worklist(upkeep.Inputs{Corpus: corpus, Problems: probs, Links: rec, Dir: cfg.content})
	if *asJSON {
		if items == nil {
			items = []upkeep.Item{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"items": items})
	}
	counts := map[string]int{}
	for _, it := range items {
		where := it.Path
		if it.Line > 0 {
			where = fmt.Sprintf("%s:%d", it.Path, it.Line)
		}
		fmt.Fprintf(stdout, "%s: %s: %s\n    fix: %s\n", it.Kind, where, it.Detail, it.Fix)
		counts[it.Kind]++
	}
	fmt.Fprintf(stderr, "%d items:", len(items))
	for _, k := range upkeep.Kinds {
		fmt.Fprintf(stderr, " %d %s", counts[k], k)
	}
	if rec == nil {
		fmt.Fprint(stderr, "; links never recorded (atlas links --record)")
	} else {
		fmt.Fprintf(stderr, "; links recorded on %s", rec.Checked)
	}
	fmt.Fprintln(stderr)
	return nil
}
