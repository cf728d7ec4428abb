package content

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Corpus is the set of entries that loaded without errors.
type Corpus struct {
	Entries []*Entry // sorted by id
	byID    map[string]*Entry

	// Fingerprint is a hash of every content file's path and bytes, including files that
	// failed to load, so that any edit makes a built index stale.
	Fingerprint string
}

// Get returns the entry with the given id, or nil.
func (c *Corpus) Get(id string) *Entry { return c.byID[id] }

// Len is the number of entries.
func (c *Corpus) Len() int { return len(c.Entries) }

// Options adjusts loading.
type Options struct {
	// Now is the date future dates and old verifications are measured against; zero means
	// time.Now.
	Now time.Time
}

// Load reads every .md file under root in fsys. It returns the entries that loaded and every
// problem found, sorted by path and line; files with errors are left out of the corpus.
// An error is returned only when the tree itself cannot be read.
func Load(fsys fs.FS, root string, opts Options) (*Corpus, []Problem, error) {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	r := NewRenderer()
	var paths []string
	var probs []Problem
	unreadable := map[string]error{}
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			// A folder that cannot be listed is one more broken file; the rest still loads.
			unreadable[p] = err
			return nil
		}
		if d.IsDir() {
			if p != root && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(p, ".md") && !strings.HasPrefix(d.Name(), ".") {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", root, err)
	}
	for p := range unreadable {
		paths = append(paths, p)
	}
	slices.Sort(paths)

	h := sha256.New()
	c := &Corpus{byID: map[string]*Entry{}}
	firstPath := map[string]string{}
	for _, p := range paths {
		err := unreadable[p]
		var data []byte
		if err == nil {
			data, err = readEntry(fsys, p)
		}
		var big tooLarge
		if errors.As(err, &big) {
			fmt.Fprintf(h, "%s\x00too large\x00%d\x00", p, big.size)
			probs = append(probs, Problem{Path: p, Message: big.Error()})
			continue
		}
		if err != nil {
			// A dangling or looping symbolic link, a link to a folder, a file without read
			// permission: reported like any other broken file, and part of the fingerprint.
			fmt.Fprintf(h, "%s\x00unreadable\x00", p)
			probs = append(probs, Problem{Path: p, Message: "cannot be read: " + readError(err)})
			continue
		}
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(data))
		h.Write(data)

		e, ps := parseEntry(r, p, data, now)
		probs = append(probs, ps...)
		id := strings.TrimSuffix(path.Base(p), ".md")
		if prev, dup := firstPath[id]; dup {
			probs = append(probs, Problem{Path: p, Line: 1,
				Message: fmt.Sprintf("duplicate id %q: %s has the same file name", id, prev)})
			continue
		}
		firstPath[id] = p
		if Errors(ps) > 0 {
			continue
		}
		c.Entries = append(c.Entries, e)
		c.byID[e.ID] = e
	}
	c.Fingerprint = hex.EncodeToString(h.Sum(nil))
	slices.SortFunc(c.Entries, func(a, b *Entry) int { return strings.Compare(a.ID, b.ID) })
	probs = append(probs, crossCheck(c, firstPath, now)...)
	c.canonicalLinks()
	sortProblems(probs)
	return c, probs, nil
}

// docLink is the start of a link to an entry's page in rendered HTML.
var docLink = regexp.MustCompile(`href="/docs/([a-z0-9-]+)`)

// canonicalLinks points the body links to a country profile or a workshop topic at the page
// that shows it (/countries/{code}, /topics/{id}), not at /docs/{id}, which only redirects
// there: one address per thing, and no redirect for a reader or a crawler to follow.
func (c *Corpus) canonicalLinks() {
	for _, e := range c.Entries {
		html := string(e.HTML)
		if !strings.Contains(html, `href="/docs/`) {
			continue
		}
		e.HTML = template.HTML(docLink.ReplaceAllStringFunc(html, func(m string) string {
			t := c.byID[m[len(`href="/docs/`):]]
			switch {
			case t == nil:
			case t.Kind == Country && len(t.Countries) == 1:
				return `href="/countries/` + t.Countries[0]
			case t.Kind == Topic && TopicVocab.Has(t.ID):
				return `href="/topics/` + t.ID
			}
			return m
		}))
	}
}

// MaxEntryBytes is the largest content file loaded. The largest entry today is under 7 KB; a
// file of 50 MB took 86 s and 900 MB to load, so the limit keeps loading and checking quick.
const MaxEntryBytes = 256 << 10

// tooLarge is the problem of a file over MaxEntryBytes.
type tooLarge struct{ size int64 }

func (e tooLarge) Error() string {
	return fmt.Sprintf("the file is %d KB; an entry may be at most %d KB: shorten it or split it into several entries",
		(e.size+1023)/1024, MaxEntryBytes/1024)
}

// readEntry reads a content file, but never more than MaxEntryBytes of it.
func readEntry(fsys fs.FS, p string) ([]byte, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxEntryBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxEntryBytes {
		size := int64(len(data))
		if info, err := f.Stat(); err == nil {
			size = info.Size()
		}
		return nil, tooLarge{size}
	}
	return data, nil
}

// readError says why a file could not be read, without repeating its path.
func readError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if errors.Is(err, fs.ErrNotExist) {
		return "it is a symbolic link to a file that does not exist"
	}
	return err.Error()
}

// parseEntry decodes one file. The entry is usable only when no problem is an Error.
func parseEntry(r *Renderer, p string, data []byte, now time.Time) (*Entry, []Problem) {
	e := &Entry{Path: p, ID: strings.TrimSuffix(path.Base(p), ".md")}
	var probs []Problem
	if msg := checkID(e.ID, now); msg != "" {
		probs = append(probs, Problem{Path: p, Line: 1, Message: "file name: " + msg})
	}
	fm, body, bodyLine, err := splitFrontMatter(data)
	if err != nil {
		return e, append(probs, Problem{Path: p, Line: 1, Message: err.Error()})
	}
	probs = append(probs, decodeFrontMatter(e, fm, now)...)
	if Errors(probs) > 0 {
		return e, probs
	}
	probs = append(probs, checkEntry(e, now)...)
	if len(strings.TrimSpace(string(body))) == 0 {
		probs = append(probs, Problem{Path: p, Line: bodyLine, Message: "the body is empty: write the entry below the front matter"})
	}
	for i, l := range bytes.SplitAfter(body, []byte("\n")) {
		if bytes.Contains(l, []byte("TODO")) {
			probs = append(probs, Problem{Path: p, Line: bodyLine + i, Severity: Warning, Rule: RuleTODO,
				Message: "the body still has a TODO placeholder: replace it with the entry's text"})
		}
		for _, m := range markdownLink.FindAllSubmatch(l, -1) {
			if text := string(m[1]); vagueLinkText(text) {
				probs = append(probs, Problem{Path: p, Line: bodyLine + i, Severity: Warning, Rule: RuleLinkText,
					Message: fmt.Sprintf("link text %q says nothing read on its own (as a screen reader's list of links reads it): name what it links to", text)})
			}
		}
	}
	if err := r.Render(e, body); err != nil {
		probs = append(probs, Problem{Path: p, Line: bodyLine, Message: "rendering Markdown: " + err.Error()})
	}
	return e, probs
}

// KeepLastGood returns c with the entries of prev added back for every file that now fails
// to load, so that a file broken while the site runs stays searchable in its last good form.
func (c *Corpus) KeepLastGood(prev *Corpus, probs []Problem) *Corpus {
	if prev == nil {
		return c
	}
	broken := map[string]bool{}
	for _, p := range probs {
		if p.Severity == Error {
			broken[p.Path] = true
		}
	}
	out := &Corpus{Entries: append([]*Entry(nil), c.Entries...), byID: map[string]*Entry{}, Fingerprint: c.Fingerprint}
	for _, e := range c.Entries {
		out.byID[e.ID] = e
	}
	for _, e := range prev.Entries {
		if broken[e.Path] && out.byID[e.ID] == nil {
			out.Entries = append(out.Entries, e)
			out.byID[e.ID] = e
		}
	}
	slices.SortFunc(out.Entries, func(a, b *Entry) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// markdownLink finds [text](target) on one line; a link whose text spans lines is not seen.
var markdownLink = regexp.MustCompile(`\[([^\]\[]+)\]\([^)\s]+\)`)

// vagueWords are link texts that name no thing: "the report", "its page", "here".
var vagueWords = regexp.MustCompile(`(?i)^(?:(?:the|this|that|its|their|a|an|see) )?(?:here|link|this|more|read more|click here|page|website|site|pdf|document|documents|report|finding|findings|entry|entries|source|topic|topics|guidance|profile|statement|publication|paper|article)$`)

// vagueLinkText reports a link text that says nothing out of its sentence: a generic word,
// or a topic's id ("institutional-role topic") where its name belongs.
func vagueLinkText(text string) bool {
	text = strings.TrimSpace(text)
	if vagueWords.MatchString(text) {
		return true
	}
	slug := strings.TrimSuffix(text, " topic")
	return strings.Contains(slug, "-") && TopicVocab.Has(slug)
}
