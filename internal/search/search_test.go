package search

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/research-security-atlas/atlas/internal/content"
)

func mustCorpus(t *testing.T, dir string) *content.Corpus {
	t.Helper()
	c, probs, err := content.Load(os.DirFS(dir), ".", content.Options{Now: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if content.Errors(probs) > 0 {
		t.Fatalf("fixture corpus has problems: %v", probs)
	}
	return c
}

// mustIndex builds the fixture corpus into a real on-disk index in a temporary directory.
func mustIndex(t *testing.T) *Index {
	t.Helper()
	path := filepath.Join(t.TempDir(), "atlas.bleve")
	ix, _, err := OpenOrBuild(context.Background(), path, mustCorpus(t, "testdata/corpus"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

func ids(res *Results) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}

func counts(fcs []FacetCount) map[string]int {
	m := map[string]int{}
	for _, fc := range fcs {
		m[fc.Value] = fc.Count
	}
	return m
}

func search(t *testing.T, ix *Index, r Request) *Results {
	t.Helper()
	if r.Page == 0 {
		r.Page = 1
	}
	if r.Size == 0 {
		r.Size = 20
	}
	res, err := ix.Search(context.Background(), r)
	if err != nil {
		t.Fatalf("Search(%+v): %v", r, err)
	}
	return res
}

func TestHitOrder(t *testing.T) {
	ix := mustIndex(t)
	for _, test := range []struct {
		req  Request
		want []string // the first hits, in order
	}{
		// An exact title match comes first.
		{Request{Query: "national knowledge security guidelines"}, []string{"nl-guidelines"}},
		// Words in the title outrank words in the body.
		{Request{Query: "partner screening"}, []string{"f-ca-research-stages"}},
		{Request{Query: "knowledge security"}, []string{"nl-guidelines", "f-nl-key-elements", "nl"}},
		// Stemming: "partnerships" finds "partnership".
		{Request{Query: "partnerships"}, []string{"ca-partnerships"}},
		// A phrase must appear as written.
		{Request{Query: `"unwanted transfer of knowledge"`}, []string{"f-nl-key-elements"}},
		// Country names and national terms are searchable.
		{Request{Query: "kennisveiligheid"}, []string{"nl"}},
		// Browsing with no query lists newest first.
		{Request{}, []string{"eu-council", "f-ca-research-stages", "f-nl-key-elements", "us-framework", "nl-guidelines", "ca-partnerships", "gb-trusted"}},
		{Request{Sort: SortTitle, Filters: map[string][]string{"kind": {"guidance"}}}, []string{"eu-council", "nl-guidelines", "ca-partnerships", "us-framework", "gb-trusted"}},
		// Query syntax is plain text, never an error.
		{Request{Query: `partner^ +screening~ (AND) "`}, []string{"f-ca-research-stages"}},
		// Stop words alone browse everything.
		{Request{Query: "the of and", Filters: map[string][]string{"kind": {"topic"}}}, []string{"conceptualisation"}},
	} {
		got := ids(search(t, ix, test.req))
		if len(got) < len(test.want) || !slices.Equal(got[:len(test.want)], test.want) {
			t.Errorf("Search(%q, %v, sort %q) = %v, want first %v", test.req.Query, test.req.Filters, test.req.Sort, got, test.want)
		}
	}
}

func TestFiltersAndDisjunctiveFacets(t *testing.T) {
	ix := mustIndex(t)
	all := search(t, ix, Request{})
	if all.Total != 9 {
		t.Fatalf("browse total = %d, want 9", all.Total)
	}
	if got := counts(all.Facets["country"]); got["nl"] != 3 || got["ca"] != 2 || got["eu"] != 1 {
		t.Errorf("country counts = %v, want nl 3, ca 2, eu 1", got)
	}

	// One country selected: hits narrow, the country facet keeps every country's count,
	// the other facets count only the selection.
	nl := search(t, ix, Request{Filters: map[string][]string{"country": {"nl"}}})
	if nl.Total != 3 {
		t.Errorf("country=nl total = %d, want 3", nl.Total)
	}
	if got := counts(nl.Facets["country"]); got["ca"] != 2 || got["nl"] != 3 || got["us"] != 1 {
		t.Errorf("country counts with country=nl = %v, want the unfiltered counts", got)
	}
	if got := counts(nl.Facets["kind"]); got["guidance"] != 1 || got["finding"] != 1 || got["country"] != 1 {
		t.Errorf("kind counts with country=nl = %v, want guidance 1, finding 1, country 1", got)
	}

	// OR within a facet, AND across facets.
	r := search(t, ix, Request{Filters: map[string][]string{"country": {"nl", "ca"}, "kind": {"guidance"}}})
	if got := ids(r); !slices.Equal(sorted(got), []string{"ca-partnerships", "nl-guidelines"}) {
		t.Errorf("country=nl|ca & kind=guidance = %v", got)
	}
	if got := counts(r.Facets["kind"]); got["finding"] != 2 || got["guidance"] != 2 || got["country"] != 1 {
		t.Errorf("kind counts (country applied, kind not) = %v, want finding 2, guidance 2, country 1", got)
	}
	if got := counts(r.Facets["country"]); got["us"] != 1 || got["nl"] != 1 || got["ca"] != 1 || got["eu"] != 1 {
		t.Errorf("country counts (kind applied, country not) = %v, want one guidance each", got)
	}
	if got := counts(r.Facets["type"]); got["guideline"] != 2 || len(got) != 1 {
		t.Errorf("type counts = %v, want guideline 2 only", got)
	}

	// Year facet and entries without a type index nothing for it.
	if got := counts(all.Facets["year"]); got["2023"] != 3 || got["2024"] != 1 || got[""] != 0 {
		t.Errorf("year counts = %v", got)
	}
	if got := counts(all.Facets["type"]); got[""] != 0 {
		t.Errorf("type counts include an empty value: %v", got)
	}
}

func TestSnippetsMarkAndEscape(t *testing.T) {
	ix := mustIndex(t)
	res := search(t, ix, Request{Query: "research security snippets"})
	if len(res.Hits) == 0 || res.Hits[0].ID != "us-framework" {
		t.Fatalf("hits = %v", ids(res))
	}
	s := res.Hits[0].Snippet
	for _, want := range []string{"<mark>snippets</mark>", "&lt;script&gt;", "&amp;"} {
		if !strings.Contains(s, want) {
			t.Errorf("snippet %q lacks %q", s, want)
		}
	}
	rest := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(s)
	if strings.ContainsAny(rest, "<>") {
		t.Errorf("snippet %q has markup other than <mark>", s)
	}
}

func TestPaging(t *testing.T) {
	ix := mustIndex(t)
	p1 := search(t, ix, Request{Size: 4, Page: 1})
	p3 := search(t, ix, Request{Size: 4, Page: 3})
	if p1.Total != 9 || len(p1.Hits) != 4 || len(p3.Hits) != 1 {
		t.Errorf("pages: total %d, page 1 has %d, page 3 has %d; want 9, 4, 1", p1.Total, len(p1.Hits), len(p3.Hits))
	}
}

func TestOpenOrBuild(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "index", "atlas.bleve")
	corpus := mustCorpus(t, "testdata/corpus")

	// An empty index directory: built.
	ix, reason, err := OpenOrBuild(context.Background(), path, corpus)
	if err != nil || reason == "" {
		t.Fatalf("first start: err %v, rebuild reason %q; want a build", err, reason)
	}
	ix.Close()

	// Unchanged content: opened without a rebuild.
	ix, reason, err = OpenOrBuild(context.Background(), path, corpus)
	if err != nil || reason != "" {
		t.Fatalf("second start: err %v, reason %q; want no rebuild", err, reason)
	}
	ix.Close()

	// Changed content: stale, rebuilt, and the new entry is searchable.
	changed := copyCorpus(t, "testdata/corpus")
	os.WriteFile(filepath.Join(changed, "new.md"), []byte("---\ntitle: Zebrafish partnerships\nkind: topic\n---\nA new entry.\n"), 0o644)
	corpus2 := mustCorpus(t, changed)
	ix, reason, err = OpenOrBuild(context.Background(), path, corpus2)
	if err != nil || !strings.Contains(reason, "stale") {
		t.Fatalf("stale start: err %v, reason %q; want a rebuild because stale", err, reason)
	}
	if got := ids(search(t, ix, Request{Query: "zebrafish"})); !slices.Equal(got, []string{"new"}) {
		t.Errorf("after rebuild, zebrafish = %v", got)
	}
	ix.Close()

	// A corrupt index: rebuilt.
	mustCorrupt(t, path)
	ix, reason, err = OpenOrBuild(context.Background(), path, corpus2)
	if err != nil || reason == "" {
		t.Fatalf("corrupt start: err %v, reason %q; want a rebuild", err, reason)
	}
	ix.Close()
	if left, _ := filepath.Glob(filepath.Join(dir, "index", "atlas.bleve.*")); len(left) != 0 {
		t.Errorf("leftovers beside the index: %v", left)
	}
}

func TestFailedBuildKeepsPreviousIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "atlas.bleve")
	corpus := mustCorpus(t, "testdata/corpus")
	if _, err := Build(context.Background(), path, corpus); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Build(ctx, path, corpus); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled build: err = %v, want context.Canceled", err)
	}
	ix, err := Open(path, corpus)
	if err != nil {
		t.Fatalf("previous index after a failed build: %v", err)
	}
	defer ix.Close()
	if ix.Len() != corpus.Len() {
		t.Errorf("previous index has %d documents, want %d", ix.Len(), corpus.Len())
	}
}

func TestLockIsExclusive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "atlas.bleve")
	l1, err := AcquireLock(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = AcquireLock(path, 200*time.Millisecond)
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second lock: err = %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), "pid") {
		t.Errorf("error %q does not name the holder", err)
	}
	if waited := time.Since(start); waited > 5*time.Second {
		t.Errorf("second lock waited %v: it must give up, not hang", waited)
	}
	l1.Release()
	l2, err := AcquireLock(path, time.Second)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	l2.Release()
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func copyCorpus(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	entries, _ := os.ReadDir(src)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644)
	}
	return dst
}

// mustCorrupt overwrites every file of the index with garbage.
func mustCorrupt(t *testing.T, path string) {
	t.Helper()
	n := 0
	filepath.WalkDir(path, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			os.WriteFile(p, []byte("not an index"), 0o644)
			n++
		}
		return nil
	})
	if n == 0 {
		t.Fatal("no index files to corrupt")
	}
}
