package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/research-security-atlas/atlas/internal/importer"
)

// importToday is the date "atlas import" sets last_verified to; tests replace it.
var importToday = time.Now

const importUsage = `usage: atlas import FILE.html [--content content]

Drafts a guidance entry from a web page saved as HTML ("-" reads standard input) and writes it
on standard output; notes on what was found go to standard error. Nothing is fetched.
`

func cmdImport(args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlagSet("import", stderr, &cfg, false)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), importUsage)
		fs.PrintDefaults()
	}
	pos, err := parseFlagsWithArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return errUsage
	}
	name := pos[0]
	var r io.Reader = os.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	page, err := importer.Draft(r, importToday())
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	md, err := page.Markdown()
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if _, err := stdout.Write(md); err != nil {
		return err
	}

	var missing []string
	for _, f := range []struct{ name, value string }{{"title", page.Title}, {"countries", strings.Join(page.Countries, ",")},
		{"issuer", page.Issuer}, {"language", page.Language}, {"summary", page.Summary}} {
		if f.value == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		fmt.Fprintf(stderr, "not found in the page: %s\n", strings.Join(missing, ", "))
	}
	fmt.Fprintln(stderr, "to fill in: type, topics, audiences; stages and phases where it addresses particular ones; then rewrite the body in your own words")
	if id := page.SuggestedID(); id != "" {
		fmt.Fprintf(stderr, "save it as %s (a suggested id: shorten it as you like)\n", joinPath(cfg.content, "guidance/"+id+".md"))
	} else {
		fmt.Fprintf(stderr, "save it as %s\n", joinPath(cfg.content, "guidance/{jurisdiction}-{short-slug}.md"))
	}
	if page.URL != "" {
		for _, path := range sourcesOf(cfg.content, page.URL) {
			fmt.Fprintf(stderr, "note: %s is already the source of %s\n", page.URL, path)
		}
	}
	return nil
}

// sourcesOf returns the content files whose source_url is u. It reads the source_url lines of the files
// rather than loading the corpus, so that a draft with empty fields, which Load leaves out,
// counts too. A missing content folder has none.
func sourcesOf(dir, u string) []string {
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		for _, line := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(line, "source_url:"); ok && sameSource(strings.Trim(strings.TrimSpace(v), `"'`), u) {
				out = append(out, p)
				break
			}
		}
		return nil
	})
	return out
}

// sameSource reports whether two URLs differ only in scheme, www., the case of the host or a
// trailing slash, as atlas check's one-entry-per-source rule compares them.
func sameSource(a, b string) bool {
	norm := func(u string) string {
		u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
		host, rest, _ := strings.Cut(u, "/")
		return strings.ToLower(strings.TrimPrefix(host, "www.")) + "/" + strings.TrimSuffix(rest, "/")
	}
	return norm(a) == norm(b)
}
