package search

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/research-security-atlas/atlas/internal/content"
)

const fingerprintKey = "atlas-fingerprint"

// Index is an open, read-only search index: the bleve index's postings, read into memory when
// it is opened (see memory.go), with what the search needs to know of the corpus it was built
// from: the glossary's terminology crosswalk, the jurisdictions' names and national terms, the
// workshop's guiding questions, the word list for typos and "did you mean", the section texts
// snippets are cut from, and the title list for suggestions. All of it is derived from the
// corpus when the index is opened, so it always matches the index.
type Index struct {
	idx         bleve.Index
	path        string
	fingerprint string

	text    analysis.Analyzer // the text fields' analyzer
	surface analysis.Analyzer // the same without stop words and stemming
	mem     *memory           // the postings and what the search keeps of each entry
	thes    *thesaurus
	juris   *jurisdictions
	qs      *guidingQuestions
	dict    *dictionary
	suggest *suggester
	native  nativeIndex // the terms of the original titles as their languages analyse them
	ranges  int         // if above 0, how many ranges match scores side by side, whatever the corpus size (for tests)
}

// newIndex wraps an open bleve index built from corpus, reading its postings into memory.
func newIndex(idx bleve.Index, path, fp string, corpus *content.Corpus) (*Index, error) {
	ix := &Index{idx: idx, path: path, fingerprint: fp}
	m := idx.Mapping()
	ix.text = m.AnalyzerNamed(textAnalyzer)
	ix.surface = m.AnalyzerNamed(surfaceAnalyzer)
	if ix.text == nil || ix.surface == nil {
		return nil, fmt.Errorf("index mapping lacks the %s analyzers", textAnalyzer)
	}
	// The suggester needs only the corpus: it is made beside the rest.
	suggest := make(chan *suggester, 1)
	go func() { suggest <- newSuggester(corpus) }()
	mem, err := loadMemory(idx, corpus)
	if err != nil {
		return nil, fmt.Errorf("reading index: %w", err)
	}
	ix.mem = mem
	ix.buildDictionary(corpus)
	ix.native = newNativeIndex(corpus)
	ix.thes = newThesaurus(corpus, ix.leafOf, ix.phraseHits)
	ix.juris = newJurisdictions(corpus, ix.leafOf)
	ix.qs = newGuidingQuestions(ix.terms)
	ix.mem.acronyms = map[string][]int32{}
	for _, e := range corpus.Entries {
		for _, a := range titleAcronyms(e.Title) {
			if ts := ix.terms(a); len(ts) == 1 {
				ix.mem.acronyms[ts[0]] = append(ix.mem.acronyms[ts[0]], ix.mem.byID[e.ID])
			}
		}
	}
	ix.suggest = <-suggest
	return ix, nil
}

// buildDictionary counts the words of every entry's texts (see dictionary). Analysing them is
// most of the work of opening an index, so a block of entries is analysed side by side, one
// goroutine per core, and then counted in corpus order: the dictionary is the one a single
// pass makes, and only one block's words are held at a time.
func (ix *Index) buildDictionary(corpus *content.Corpus) {
	const block = 512
	ix.dict = newDictionary()
	words := make([][]surfaceWord, block)
	terms := map[string]string{}
	for from := 0; from < len(corpus.Entries); from += block {
		es := corpus.Entries[from:min(from+block, len(corpus.Entries))]
		parallel(len(es), func(i int) {
			d := newDocument(es[i])
			var ws []surfaceWord
			for _, t := range append([]string{d.Title, d.Original, d.Summary, d.Meta, d.Terms, d.Tags}, d.Sections...) {
				for _, tok := range ix.surface.Analyze([]byte(t)) {
					ws = append(ws, surfaceWord{string(tok.Term), t[tok.Start:tok.End]})
				}
			}
			words[i] = ws
		})
		// The analysed terms of the words the dictionary does not have yet, side by side too.
		var fresh []string
		clear(terms)
		for i := range es {
			for _, w := range words[i] {
				if _, ok := ix.dict.words[w.folded]; !ok {
					if _, ok := terms[w.folded]; !ok {
						terms[w.folded] = ""
						fresh = append(fresh, w.folded)
					}
				}
			}
		}
		analysed := make([]string, len(fresh))
		parallel(len(fresh), func(k int) {
			if ts := ix.terms(fresh[k]); len(ts) == 1 {
				analysed[k] = ts[0]
			}
		})
		for k, w := range fresh {
			terms[w] = analysed[k]
		}
		for i := range es {
			ix.dict.addDocument(words[i], func(w string) string { return terms[w] })
			words[i] = nil
		}
	}
	ix.dict.finish()
}

// parallel calls fn(0) … fn(n-1), one goroutine per core taking the next index.
func parallel(n int, fn func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// terms returns the analysed terms of text, as the text fields index them.
func (ix *Index) terms(text string) []string {
	var out []string
	for _, t := range ix.text.Analyze([]byte(text)) {
		out = append(out, string(t.Term))
	}
	return out
}

// words returns the folded words of text, unstemmed, stop words included.
func (ix *Index) words(text string) []string {
	var out []string
	for _, t := range ix.surface.Analyze([]byte(text)) {
		out = append(out, string(t.Term))
	}
	return out
}

// phraseHits counts the entries in which a phrase occurs in a field that glossary equivalents
// are searched in (all but terms, see conceptUnit).
func (ix *Index) phraseHits(l leaf) int {
	seen := newScores(len(ix.mem.docs))
	for f := range numFields {
		if field(f) != fieldTerms {
			ix.mem.mark(seen, l, 1, field(f))
		}
	}
	return len(seen.on)
}

// BuildStats describes a finished build.
type BuildStats struct {
	Documents int
	Took      time.Duration
}

// Build writes a new index for corpus into a temporary directory beside path and renames it
// into place, so that a failed or killed build leaves the previous index untouched. The caller
// holds the index lock (see Lock).
func Build(ctx context.Context, path string, corpus *content.Corpus) (BuildStats, error) {
	start := time.Now()
	parent, base := filepath.Split(filepath.Clean(path))
	if parent == "" {
		parent = "."
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return BuildStats{}, err
	}
	removeLeftovers(parent, base)
	tmp, err := os.MkdirTemp(parent, base+".tmp-")
	if err != nil {
		return BuildStats{}, err
	}
	defer os.RemoveAll(tmp)
	built := filepath.Join(tmp, "index")
	if err := write(ctx, built, corpus); err != nil {
		return BuildStats{}, err
	}
	if err := swap(built, path); err != nil {
		return BuildStats{}, err
	}
	return BuildStats{Documents: corpus.Len(), Took: time.Since(start)}, nil
}

// write builds a complete index at dir, which must not exist.
func write(ctx context.Context, dir string, corpus *content.Corpus) error {
	idx, err := bleve.NewUsing(dir, newMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		return fmt.Errorf("creating index: %w", err)
	}
	if err := indexAll(ctx, idx, corpus); err != nil {
		idx.Close()
		return err
	}
	// The fingerprint goes in last: an index without it is never taken as up to date.
	if err := idx.SetInternal([]byte(fingerprintKey), []byte(fingerprint(corpus))); err != nil {
		idx.Close()
		return err
	}
	if err := idx.Close(); err != nil {
		return err
	}
	return writeChecksums(dir)
}

// batchDocs and batchBytes bound one bleve batch: a batch is analysed and held in memory whole,
// so one batch of the whole corpus took 10 GB at 100,000 entries. A batch is written when it
// holds batchDocs documents or about batchBytes of text, whichever comes first.
const (
	batchDocs  = 2000
	batchBytes = 16 << 20
)

// indexAll adds every entry of corpus to idx in bounded batches. The index is in a temporary
// directory until it is complete, so writing it in several batches changes nothing that a
// reader sees.
func indexAll(ctx context.Context, idx bleve.Index, corpus *content.Corpus) error {
	b := idx.NewBatch()
	size := 0
	for _, e := range corpus.Entries {
		if err := ctx.Err(); err != nil {
			return err
		}
		d := newDocument(e)
		if err := b.Index(e.ID, d); err != nil {
			return fmt.Errorf("indexing %s: %w", e.Path, err)
		}
		size += d.size()
		if b.Size() >= batchDocs || size >= batchBytes {
			if err := idx.Batch(b); err != nil {
				return fmt.Errorf("writing index: %w", err)
			}
			b.Reset()
			size = 0
		}
	}
	if b.Size() > 0 {
		if err := idx.Batch(b); err != nil {
			return fmt.Errorf("writing index: %w", err)
		}
	}
	return nil
}

// size is about how many bytes of text d indexes.
func (d document) size() int {
	n := len(d.Title) + len(d.Original) + len(d.Summary) + len(d.Meta) + len(d.Terms) + len(d.Tags)
	for _, s := range d.Sections {
		n += len(s)
	}
	return n
}

// swap renames built to path. The old index, if any, is moved aside first and removed after,
// because a directory cannot be renamed over a non-empty one.
func swap(built, path string) error {
	old := ""
	if _, err := os.Stat(path); err == nil {
		old = fmt.Sprintf("%s.old-%d", path, time.Now().UnixNano())
		if err := os.Rename(path, old); err != nil {
			return fmt.Errorf("moving old index aside: %w", err)
		}
	}
	if err := os.Rename(built, path); err != nil {
		if old != "" {
			os.Rename(old, path)
		}
		return fmt.Errorf("moving new index into place: %w", err)
	}
	if old != "" {
		os.RemoveAll(old)
	}
	return nil
}

// removeLeftovers deletes temporary and old directories that a killed build left behind.
func removeLeftovers(parent, base string) {
	for _, pat := range []string{base + ".tmp-*", base + ".old-*"} {
		matches, _ := filepath.Glob(filepath.Join(parent, pat))
		for _, m := range matches {
			os.RemoveAll(m)
		}
	}
}

// ErrStale means the index on disk was built from other content or by another version.
var ErrStale = errors.New("index is stale")

// Open opens the index at path read-only and checks that it was built from corpus. It returns
// ErrStale (wrapped) when the fingerprints differ, and another error when the index is missing
// or unreadable; either way the caller should rebuild.
func Open(path string, corpus *content.Corpus) (ix *Index, err error) {
	if _, err := os.Stat(filepath.Join(path, "index_meta.json")); err != nil {
		return nil, fmt.Errorf("no index at %s", path)
	}
	if err := verify(path); err != nil {
		return nil, fmt.Errorf("index %s is damaged: %w", path, err)
	}
	// The checksums catch damage on disk; a panic while reading is still an unreadable index
	// to rebuild, not a crash.
	var idx bleve.Index
	defer func() {
		if r := recover(); r != nil {
			if idx != nil {
				closeQuietly(idx)
			}
			ix, err = nil, fmt.Errorf("reading index %s: %v", path, r)
		}
	}()
	idx, err = bleve.OpenUsing(path, map[string]any{"read_only": true, "bolt_timeout": "1s"})
	if err != nil {
		return nil, fmt.Errorf("opening index %s: %w", path, err)
	}
	fp, err := idx.GetInternal([]byte(fingerprintKey))
	if err != nil {
		idx.Close()
		return nil, fmt.Errorf("reading index %s: %w", path, err)
	}
	want := fingerprint(corpus)
	if string(fp) != want {
		idx.Close()
		return nil, fmt.Errorf("%s: %w", path, ErrStale)
	}
	n, err := idx.DocCount()
	if err != nil || int(n) != corpus.Len() {
		idx.Close()
		return nil, fmt.Errorf("index %s holds %d documents, content has %d: %w", path, n, corpus.Len(), ErrStale)
	}
	ix, err = newIndex(idx, path, want, corpus)
	if err != nil {
		idx.Close()
		return nil, err
	}
	return ix, nil
}

// closeQuietly closes an index that has already failed, whatever its state.
func closeQuietly(idx bleve.Index) {
	defer func() { recover() }()
	idx.Close()
}

// OpenOrBuild opens the index at path, first rebuilding it when it is missing, stale or
// unreadable. It reports whether it rebuilt and why.
//
// Directories that a killed or failed build left beside the index are removed (the caller
// holds the lock, so no build is running), also when the index opens as it is.
func OpenOrBuild(ctx context.Context, path string, corpus *content.Corpus) (ix *Index, rebuilt string, err error) {
	parent, base := filepath.Split(filepath.Clean(path))
	if parent == "" {
		parent = "."
	}
	removeLeftovers(parent, base)
	ix, err = Open(path, corpus)
	if err == nil {
		return ix, "", nil
	}
	reason := err.Error()
	if _, err := Build(ctx, path, corpus); err != nil {
		if isReadOnlyFS(err) {
			return nil, reason, fmt.Errorf("%s: %s, and it cannot be rebuilt on a read-only file system: run atlas build where it can be written, then copy it here", path, reason)
		}
		return nil, reason, err
	}
	ix, err = Open(path, corpus)
	return ix, reason, err
}

// NewMemory builds an index in memory, for tests and for running without a writable disk. It
// is a scorch index like the one on disk (bleve.NewMemOnly would be an upsidedown index, which
// scores differently), so that it ranks exactly as the served index does.
func NewMemory(corpus *content.Corpus) (*Index, error) {
	idx, err := bleve.NewUsing("", newMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, err
	}
	if err := indexAll(context.Background(), idx, corpus); err != nil {
		return nil, err
	}
	return newIndex(idx, "", fingerprint(corpus), corpus)
}

// Close closes the index.
func (ix *Index) Close() error { return ix.idx.Close() }

// Len is the number of documents in the index.
func (ix *Index) Len() int { return len(ix.mem.docs) }

func hashStrings(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:%s", len(p), p)
	}
	return hex.EncodeToString(h.Sum(nil))
}
