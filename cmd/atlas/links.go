package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/links"
)

// cmdLinks checks every external address in the corpus and reports the dead, moved, changed
// and redirected ones. Only dead links make it fail: the others are for an organiser to look
// at.
func cmdLinks(args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlagSet("links", stderr, &cfg, false)
	concurrency := fs.Int("concurrency", 8, "links checked at once (at most 2 per host)")
	timeout := fs.Duration("timeout", 15*time.Second, "timeout of each request")
	asJSON := fs.Bool("json", false, "print one JSON document instead of the report")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *concurrency < 1 || *timeout <= 0 {
		fmt.Fprintln(stderr, "atlas links: --concurrency and --timeout must be positive")
		return errUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	corpus, probs, err := loadCorpus(cfg.content)
	if err != nil {
		return err
	}
	if n := content.Errors(probs); n > 0 {
		fmt.Fprintf(stderr, "atlas links: %d content errors; the files that have them are not checked (see atlas check)\n", n)
	}
	all := links.Collect(corpus)
	for i := range all {
		for j := range all[i].Uses {
			all[i].Uses[j].Path = joinPath(cfg.content, all[i].Uses[j].Path)
		}
	}

	prog := newProgress(stderr, len(all))
	results, err := links.Check(ctx, all, links.Options{
		Concurrency: *concurrency,
		Timeout:     *timeout,
		Progress:    prog.update,
	})
	prog.finish()
	if err != nil {
		return fmt.Errorf("interrupted: %w", err)
	}
	rank := func(s links.Status) int { return slices.Index(links.Statuses, s) }
	slices.SortFunc(results, func(a, b links.Result) int {
		return cmp.Or(cmp.Compare(rank(a.Status), rank(b.Status)), strings.Compare(a.URL, b.URL))
	})
	counts := map[links.Status]int{}
	for _, s := range links.Statuses {
		counts[s] = 0 // every status in the JSON counts, even at zero
	}
	for _, r := range results {
		counts[r.Status]++
	}

	if *asJSON {
		if results == nil {
			results = []links.Result{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		doc := struct {
			Checked int                  `json:"checked"`
			Counts  map[links.Status]int `json:"counts"`
			Links   []links.Result       `json:"links"`
		}{len(results), counts, results}
		if err := enc.Encode(doc); err != nil {
			return err
		}
	} else {
		writeLinkReport(stdout, results, counts)
	}
	if counts[links.Dead] > 0 {
		return errProblems
	}
	return nil
}

// writeLinkReport prints the problems grouped by status, one `path: url — status (detail)`
// line per file that cites the link, then a line of counts.
func writeLinkReport(w io.Writer, results []links.Result, counts map[links.Status]int) {
	for _, s := range links.Statuses {
		if s == links.OK || counts[s] == 0 {
			continue
		}
		var lines []string
		for _, r := range results {
			if r.Status != s {
				continue
			}
			seen := map[string]bool{}
			for _, u := range r.Uses {
				if seen[u.Path] {
					continue
				}
				seen[u.Path] = true
				line := fmt.Sprintf("%s: %s — %s", u.Path, r.URL, r.Status)
				if r.Detail != "" {
					line += " (" + r.Detail + ")"
				}
				lines = append(lines, line)
			}
		}
		slices.Sort(lines)
		fmt.Fprintf(w, "%s (%d):\n", s, counts[s])
		for _, l := range lines {
			fmt.Fprintln(w, l)
		}
		fmt.Fprintln(w)
	}
	var parts []string
	for _, s := range links.Statuses {
		parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
	}
	fmt.Fprintf(w, "%d links checked: %s\n", len(results), strings.Join(parts, ", "))
}

// progress shows how far the check has got on stderr: a bar redrawn in place on a terminal,
// one plain line per link otherwise (a log, a pipe, a test).
type progress struct {
	w     io.Writer
	total int
	tty   bool
	dead  int
}

func newProgress(w io.Writer, total int) *progress {
	p := &progress{w: w, total: total, tty: isTerminal(w)}
	fmt.Fprintf(w, "checking %d links\n", total)
	return p
}

func (p *progress) update(done, total int, r links.Result) {
	if r.Status == links.Dead {
		p.dead++
	}
	if !p.tty {
		fmt.Fprintf(p.w, "%d/%d %s %s\n", done, total, r.Status, r.URL)
		return
	}
	const width = 30
	filled := width * done / max(total, 1)
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d, %d dead", strings.Repeat("#", filled), strings.Repeat(".", width-filled),
		done, total, p.dead)
}

func (p *progress) finish() {
	if p.tty && p.total > 0 {
		fmt.Fprintln(p.w)
	}
}

// isTerminal reports whether w is a character device such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
