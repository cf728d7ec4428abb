package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/links"
	"github.com/research-security-atlas/atlas/internal/upkeep"
)

// linkTransport sends the link checker's requests; nil is the default transport. Tests put a
// transport here whose resolver fails, to be offline without leaving the machine.
var linkTransport http.RoundTripper

// cmdLinks checks every external address in the corpus and reports the dead, moved, changed
// and redirected ones. Only dead links make it fail: the others are for an organiser to look
// at. When the network never answers it says so and exits 3 instead of calling links dead.
func cmdLinks(args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlagSet("links", stderr, &cfg, false)
	concurrency := fs.Int("concurrency", 8, "links checked at once (at most 2 per host)")
	timeout := fs.Duration("timeout", 15*time.Second, "timeout of each request")
	asJSON := fs.Bool("json", false, "print one JSON document instead of the report")
	record := fs.Bool("record", false, "keep the results in the content folder ("+upkeep.LinksFile+"), for the site and atlas upkeep")
	patch := fs.Bool("patch", false, "check nothing: print the recorded moved links as a unified diff of the entries (atlas links --patch | git apply)")
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
	if *patch {
		return writeLinkPatch(stdout, stderr, cfg.content, corpus)
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

	opts := links.Options{Concurrency: *concurrency, Timeout: *timeout, Transport: linkTransport}
	noSource := entriesWithoutSource(corpus, cfg.content)
	// A few hosts first, once each: offline, that takes seconds instead of every retry of
	// every link, and calls nothing dead.
	if offline, why := links.Probe(ctx, all, opts); offline {
		return noNetwork(stdout, stderr, *asJSON, why)
	}
	prog := newProgress(stderr, len(all))
	opts.Progress = prog.update
	results, err := links.Check(ctx, all, opts)
	prog.finish()
	if err != nil {
		return fmt.Errorf("interrupted: %w", err)
	}
	if links.NoNetwork(results) {
		return noNetwork(stdout, stderr, *asJSON, results[0].Detail)
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
			Checked  int                  `json:"checked"`
			Counts   map[links.Status]int `json:"counts"`
			Links    []links.Result       `json:"links"`
			NoSource []noSourceEntry      `json:"no_source"`
		}{len(results), counts, results, noSource}
		if err := enc.Encode(doc); err != nil {
			return err
		}
	} else {
		writeLinkReport(stdout, results, counts)
		writeNoSource(stdout, noSource)
	}
	if *record {
		rec := &upkeep.Record{Checked: today()}
		for _, r := range results {
			l := upkeep.Link{URL: r.URL, Status: upkeep.Status(string(r.Status)), Result: string(r.Status),
				Code: r.Code, Detail: r.Detail, Suggest: r.Suggest}
			for _, u := range r.Uses {
				l.Uses = append(l.Uses, upkeep.Use{ID: u.ID, Field: u.Field})
			}
			rec.Links = append(rec.Links, l)
		}
		slices.SortFunc(rec.Links, func(a, b upkeep.Link) int { return strings.Compare(a.URL, b.URL) })
		if err := upkeep.WriteRecord(cfg.content, rec); err != nil {
			return fmt.Errorf("recording the results: %w", err)
		}
		fmt.Fprintf(stderr, "recorded %d links in %s\n", len(rec.Links), joinPath(cfg.content, upkeep.LinksFile))
	}
	if counts[links.Dead] > 0 {
		return errProblems
	}
	return nil
}

// today is the date commands write, in the local time zone of the organiser running them.
func today() string { return time.Now().Format("2006-01-02") }

// noNetwork reports that nothing could be checked; the previous record, if any, is kept.
func noNetwork(stdout, stderr io.Writer, asJSON bool, why string) error {
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(map[string]any{"checked": 0, "no_network": true, "reason": why})
	} else {
		fmt.Fprintln(stdout, "no network: nothing checked")
	}
	fmt.Fprintf(stderr, "atlas links: no network: nothing checked (%s); connect and run it again\n", why)
	return errNoNetwork
}

// noSourceEntry is a guidance entry with no source address to check.
type noSourceEntry struct {
	ID            string `json:"id"`
	Path          string `json:"path"`
	SourceStatus  string `json:"source_status,omitempty"`
	SourceChecked string `json:"source_checked,omitempty"`
}

func entriesWithoutSource(c *content.Corpus, dir string) []noSourceEntry {
	out := []noSourceEntry{}
	for _, e := range c.Entries {
		if e.Kind == content.Guidance && e.SourceURL == "" {
			out = append(out, noSourceEntry{e.ID, joinPath(dir, e.Path), e.SourceStatus, e.SourceChecked})
		}
	}
	return out
}

// writeNoSource lists the guidance that has no address to check, with what the entry says.
func writeNoSource(w io.Writer, entries []noSourceEntry) {
	if len(entries) == 0 {
		return
	}
	fmt.Fprintf(w, "\nno source address (%d):\n", len(entries))
	for _, e := range entries {
		status := cmp.Or(e.SourceStatus, "no source_status")
		if e.SourceChecked != "" {
			status += ", looked for on " + e.SourceChecked
		}
		fmt.Fprintf(w, "%s: %s\n", e.Path, status)
	}
}

// writeLinkPatch prints, as a unified diff, the edits that make the entries cite where their
// recorded moved links now lead: source_url and contact_point lines. Links in bodies are
// left to the organiser, who sees them in atlas upkeep.
func writeLinkPatch(stdout, stderr io.Writer, dir string, corpus *content.Corpus) error {
	rec, err := upkeep.ReadRecord(os.DirFS(dir))
	if err != nil {
		return err
	}
	if rec == nil {
		fmt.Fprintf(stderr, "atlas links: no recorded results in %s: run atlas links --record first\n", joinPath(dir, upkeep.LinksFile))
		return errProblems
	}
	edits := map[string][]content.Field{}
	var paths []string
	for _, l := range rec.Links {
		if l.Result != string(links.Moved) || l.Suggest == "" {
			continue
		}
		for _, u := range l.Uses {
			e := corpus.Get(u.ID)
			if e == nil || (u.Field != links.FieldURL && u.Field != links.FieldContactPoint) {
				continue
			}
			if _, ok := edits[e.Path]; !ok {
				paths = append(paths, e.Path)
			}
			edits[e.Path] = append(edits[e.Path], content.Field{Key: u.Field, Value: l.Suggest})
		}
	}
	slices.Sort(paths)
	for _, p := range paths {
		name := joinPath(dir, p)
		old, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		updated, err := content.SetFields(old, edits[p]...)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		fmt.Fprint(stdout, unifiedDiff(name, old, updated))
	}
	fmt.Fprintf(stderr, "%d entries to update from the check of %s\n", len(paths), rec.Checked)
	return nil
}

// unifiedDiff shows the lines that differ between two versions of a file with the same number
// of lines (SetFields replaces lines in place), with three lines of context, as git apply
// takes it.
func unifiedDiff(name string, a, b []byte) string {
	al, bl := strings.SplitAfter(string(a), "\n"), strings.SplitAfter(string(b), "\n")
	if len(al) != len(bl) {
		return ""
	}
	const ctx = 3
	var changed []int
	for i := range al {
		if al[i] != bl[i] {
			changed = append(changed, i)
		}
	}
	if len(changed) == 0 {
		return ""
	}
	var out strings.Builder
	fmt.Fprintf(&out, "--- a/%s\n+++ b/%s\n", name, name)
	for k := 0; k < len(changed); {
		start := max(changed[k]-ctx, 0)
		end := changed[k] + ctx
		j := k
		for j+1 < len(changed) && changed[j+1]-ctx <= end+1 {
			j++
			end = changed[j] + ctx
		}
		end = min(end, len(al)-1)
		if al[end] == "" { // the empty piece after a final newline is no line
			end--
		}
		var hunk strings.Builder
		for i := start; i <= end; i++ {
			if al[i] == bl[i] {
				hunk.WriteString(" " + al[i])
			} else {
				hunk.WriteString("-" + al[i] + "+" + bl[i])
			}
		}
		n := end - start + 1
		fmt.Fprintf(&out, "@@ -%d,%d +%d,%d @@\n%s", start+1, n, start+1, n, hunk.String())
		k = j + 1
	}
	return out.String()
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

// progress shows how far the check has got on stderr: a bar redrawn in place on a terminal;
// otherwise (a log, a pipe, a test) a plain line every progressEvery links or every second,
// whichever comes first, and one for the last.
type progress struct {
	w     io.Writer
	total int
	tty   bool
	dead  int
	last  time.Time
}

const progressEvery = 10

func newProgress(w io.Writer, total int) *progress {
	p := &progress{w: w, total: total, tty: isTerminal(w), last: time.Now()}
	fmt.Fprintf(w, "checking %d links\n", total)
	return p
}

func (p *progress) update(done, total int, r links.Result) {
	if r.Status == links.Dead {
		p.dead++
	}
	if !p.tty {
		if done%progressEvery == 0 || done == total || time.Since(p.last) >= time.Second {
			p.last = time.Now()
			fmt.Fprintf(p.w, "%d/%d checked, %d dead; last: %s %s\n", done, total, p.dead, r.Status, r.URL)
		}
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
