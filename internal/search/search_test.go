package search

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
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

// mustFS reads the files of dirs into one file system (later directories win), so that tests
// can combine fixture directories.
func mustFS(t *testing.T, dirs ...string) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			fsys[e.Name()] = &fstest.MapFile{Data: b}
		}
	}
	return fsys
}

func mustMemory(t *testing.T, fsys fs.FS) *Index {
	t.Helper()
	c, probs, err := content.Load(fsys, ".", content.Options{Now: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if content.Errors(probs) > 0 {
		t.Fatalf("fixture corpus has problems: %v", probs)
	}
	ix, err := NewMemory(c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// mustFullIndex indexes the fixture corpus together with testdata/corpus-extra: two glossary
// terms and a long entry with sections. (They live apart because the web package's tests count
// the entries of testdata/corpus.)
func mustFullIndex(t *testing.T) *Index {
	t.Helper()
	return mustMemory(t, mustFS(t, "testdata/corpus", "testdata/corpus-extra"))
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
		// (Stop words alone find nothing: see TestCommonWordsOnly.)
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

// IDs limit a request to some entries, as a technology area does: the others neither match
// nor count, and an empty, non-nil IDs matches nothing.
func TestRequestIDs(t *testing.T) {
	ix := mustIndex(t)
	for _, test := range []struct {
		ids  []string
		want []string
	}{
		{[]string{"nl-guidelines", "ca-partnerships", "no-such-entry"}, []string{"ca-partnerships", "nl-guidelines"}},
		{[]string{}, nil},
	} {
		r := search(t, ix, Request{IDs: test.ids})
		if got := sorted(ids(r)); !slices.Equal(got, test.want) || r.Total != len(test.want) {
			t.Errorf("IDs %v: hits %v (total %d), want %v", test.ids, got, r.Total, test.want)
		}
		if got := counts(r.Facets["country"]); len(test.want) > 0 && (got["nl"] != 1 || got["ca"] != 1 || len(got) != 2) {
			t.Errorf("IDs %v: country counts = %v, want nl 1, ca 1", test.ids, got)
		}
	}
	r := search(t, ix, Request{IDs: []string{"nl-guidelines", "ca-partnerships"}, Filters: map[string][]string{"country": {"nl"}}})
	if got := ids(r); !slices.Equal(got, []string{"nl-guidelines"}) {
		t.Errorf("IDs and country=nl: %v", got)
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

func TestAnalyzerFolds(t *testing.T) {
	ix := mustFullIndex(t)
	// Each pair must give the same terms: spelling, accents, hyphens and case do not matter.
	for _, pair := range [][2]string{
		{"internationalisation", "internationalization"},
		{"organisations", "organizations"},
		{"defence", "defense"},
		{"programme", "program"},
		{"programmes", "programs"},
		{"licence", "license"},
		{"centre", "center"},
		{"analyse", "analyze"},
		{"analysed", "analyzed"},
		{"behaviour", "behavior"},
		{"behavioural", "behavioral"},
		{"catalogue", "catalog"},
		{"dialogue", "dialog"},
		{"prioritise", "prioritize"},
		{"judgement", "judgment"},
		{"sécurité", "securite"},
		{"Québec", "quebec"},
		{"Zürich", "Zurich"},
		{"Straße", "strasse"},
		{"dual-use", "dual use"},
		{"NSPM-33", "nspm 33"},
	} {
		a, b := ix.terms(pair[0]), ix.terms(pair[1])
		if !slices.Equal(a, b) || len(a) == 0 {
			t.Errorf("terms(%q) = %v, terms(%q) = %v; want equal", pair[0], a, pair[1], b)
		}
	}
	// Distinct words stay distinct.
	for _, pair := range [][2]string{{"wise", "size"}, {"research", "rise"}, {"rise", "rize"}} {
		if a, b := ix.terms(pair[0]), ix.terms(pair[1]); slices.Equal(a, b) {
			t.Errorf("terms(%q) = terms(%q) = %v; want different", pair[0], pair[1], a)
		}
	}
	// Folding changes the term, never the offsets: a highlight marks the word as written.
	toks := ix.text.Analyze([]byte("la défense"))
	if len(toks) != 2 || string(toks[1].Term) != "defens" || toks[1].Start != 3 || toks[1].End != 11 {
		t.Errorf("tokens of %q = %v", "la défense", toks)
	}
}

func TestSpellingAccentsHyphens(t *testing.T) {
	ix := mustFullIndex(t)
	for _, test := range []struct {
		query string
		want  []string // all of these, in any order, among the hits
	}{
		// British in the text, American in the query, and the other way round.
		{"organization", []string{"institutional-role", "term-dual-use"}},
		{"organisation", []string{"institutional-role", "term-dual-use"}},
		{"defense program", []string{"institutional-role"}},
		{"licence catalogue centre", []string{"institutional-role", "term-dual-use"}},
		{"analyze behavior", []string{"institutional-role"}},
		// Accents fold both ways.
		{"quebec", []string{"institutional-role"}},
		{"securite de la recherche", []string{"term-knowledge-security"}},
		{"Sécurité de la Recherche", []string{"term-knowledge-security"}},
		// A hyphen is a space: the text has "dual use" in one entry and "dual-use" in the other.
		{"dual-use", []string{"term-dual-use", "institutional-role"}},
		{"dual use", []string{"term-dual-use", "institutional-role"}},
		{`"dual use"`, []string{"term-dual-use", "institutional-role"}},
	} {
		got := ids(search(t, ix, Request{Query: test.query}))
		for _, id := range test.want {
			if !slices.Contains(got, id) {
				t.Errorf("Search(%q) = %v, want %s among them", test.query, got, id)
			}
		}
	}
}

func TestSynonymsCrosswalk(t *testing.T) {
	ix := mustFullIndex(t)
	for _, test := range []struct {
		query string
		first []string // the first hits, in order: the entries with the term as typed
		also  []string // found through an equivalent term, after them
	}{
		// nl-guidelines says only "knowledge security"; the glossary makes it the same.
		{"trusted research", []string{"gb-trusted"}, []string{"nl-guidelines", "f-nl-key-elements"}},
		{"kennisveiligheid", []string{"nl"}, []string{"nl-guidelines", "gb-trusted"}},
		{"Wissenssicherheit", []string{"term-knowledge-security"}, []string{"nl-guidelines", "gb-trusted"}},
		{"knowledge security", []string{"term-knowledge-security", "nl-guidelines"}, []string{"gb-trusted"}},
		// An equivalent counts where the term is one of several words.
		{"kennisveiligheid partners", nil, []string{"nl-guidelines", "gb-trusted"}},
	} {
		res := search(t, ix, Request{Query: test.query})
		got := ids(res)
		if len(got) < len(test.first) || !slices.Equal(got[:len(test.first)], test.first) {
			t.Errorf("Search(%q) = %v, want first %v", test.query, got, test.first)
		}
		for _, id := range test.also {
			i := slices.Index(got, id)
			if i < 0 {
				t.Errorf("Search(%q) = %v, want %s through an equivalent term", test.query, got, id)
				continue
			}
			for _, f := range test.first {
				if score(res, f) <= res.Hits[i].Score {
					t.Errorf("Search(%q): %s (exact, %.3f) is not above %s (equivalent, %.3f)", test.query, f, score(res, f), id, res.Hits[i].Score)
				}
			}
		}
	}
	// A quoted phrase is taken as written: no equivalents.
	if got := ids(search(t, ix, Request{Query: `"trusted research"`})); slices.Contains(got, "nl-guidelines") {
		t.Errorf(`Search("trusted research" in quotes) = %v, want no equivalents`, got)
	}
}

func score(res *Results, id string) float64 {
	for _, h := range res.Hits {
		if h.ID == id {
			return h.Score
		}
	}
	return -1
}

func TestThesaurusFromGlossary(t *testing.T) {
	ix := mustFullIndex(t)
	for _, test := range []struct {
		typed string
		want  []string
	}{
		// Wissenssicherheit and sécurité de la recherche occur only in the glossary entry
		// itself: nothing else could be found by them, so they are not added.
		{"Knowledge security", []string{"kennisveiligheid", "trusted research"}},
		// A synonym leads to its term first, then to the term's other synonyms.
		{"kennisveiligheid", []string{"Knowledge security", "trusted research"}},
		{"dual-use research", []string{"Dual use", "security-relevant research"}},
		{"unknown words", nil},
	} {
		got := ix.thes.alternatives(strings.Join(ix.terms(test.typed), " "), 10)
		if !slices.Equal(got, test.want) {
			t.Errorf("alternatives(%q) = %q, want %q", test.typed, got, test.want)
		}
	}
	if got := ix.thes.alternatives(strings.Join(ix.terms("knowledge security"), " "), 1); len(got) != 1 {
		t.Errorf("alternatives with limit 1 = %q", got)
	}
	for _, test := range []struct{ title, want string }{
		{"Sensitive technology / critical technology", "Sensitive technology|critical technology"},
		{"Restricted-regime zone (ZRR)", "Restricted-regime zone|ZRR"},
		{"Dual use", "Dual use"},
	} {
		if got := strings.Join(titleForms(test.title), "|"); got != test.want {
			t.Errorf("titleForms(%q) = %q, want %q", test.title, got, test.want)
		}
	}
}

func TestTyposAndDidYouMean(t *testing.T) {
	ix := mustFullIndex(t)
	// Misspelt words of five letters or more find what they meant.
	for _, test := range []struct {
		query string
		first string
	}{
		{"reserch securty framwork", "us-framework"},
		{"partnr screning", "f-ca-research-stages"},
		{"kennisveilgheid", "nl"},
		{"guidlines partnrships", "ca-partnerships"},
	} {
		if got := ids(search(t, ix, Request{Query: test.query})); len(got) == 0 || got[0] != test.first {
			t.Errorf("Search(%q) = %v, want %s first", test.query, got, test.first)
		}
	}
	// A correctly spelt word gets no fuzzy variants.
	if alts := ix.fuzzyAlternatives("screening"); len(alts) != 0 {
		t.Errorf("fuzzyAlternatives(screening) = %v", alts)
	}
	// Where nothing is found: the nearest query that finds something, with its count.
	for _, test := range []struct {
		query, filter, suggestion string
	}{
		{"NPSE", "", "NPSA"},                                    // too short for fuzzy matching, one letter off
		{"screening xylophone okapi", "", "screening"},          // words the corpus lacks are left out
		{`"partner screenng" rules`, "", `"partner screening"`}, // inside a phrase too
		{"NPSE", "ca", ""},                                      // nothing with the filter either
	} {
		r := Request{Query: test.query}
		if test.filter != "" {
			r.Filters = map[string][]string{"country": {test.filter}}
		}
		res := search(t, ix, r)
		if res.Total != 0 {
			t.Errorf("Search(%q) found %v; the test needs a query that finds nothing", test.query, ids(res))
			continue
		}
		if res.Suggestion != test.suggestion {
			t.Errorf("Search(%q, %v).Suggestion = %q, want %q", test.query, r.Filters, res.Suggestion, test.suggestion)
		}
		if test.suggestion != "" {
			if want := search(t, ix, Request{Query: test.suggestion, Filters: r.Filters}).Total; res.SuggestionTotal != want || want == 0 {
				t.Errorf("Search(%q).SuggestionTotal = %d, want %d", test.query, res.SuggestionTotal, want)
			}
		}
	}
	// A query that finds something suggests nothing.
	if res := search(t, ix, Request{Query: "screening"}); res.Suggestion != "" {
		t.Errorf("Suggestion for a query with hits = %q", res.Suggestion)
	}
}

func TestQueryNeverFails(t *testing.T) {
	ix := mustFullIndex(t)
	for _, q := range []string{
		`"`, `""`, `"""`, `" "`, `+-&|!(){}[]^"~*?:\/`, `title:export^3`, `export~1 AND (NOT x)`,
		`*`, `?`, `-`, `--`, `'`, `'s`, `a-`, `-a`, `"unclosed phrase`, strings.Repeat("x", 500),
		strings.Repeat("research ", 60), "🙂 security", "研究セキュリティ", "연구보안", "\x00", "NaN", "1e308",
	} {
		if _, err := ix.Search(context.Background(), Request{Query: q, Page: 1, Size: 10}); err != nil {
			t.Errorf("Search(%q): %v", q, err)
		}
	}
}

func TestSectionHits(t *testing.T) {
	ix := mustFullIndex(t)
	for _, test := range []struct {
		query, id, anchor, mark string
	}{
		// A word only in a late section of a long entry links to that section.
		{"Québec handbook", "institutional-role", "reading-shared-at-the-workshop", "<mark>Québec</mark>"},
		{"export licences", "institutional-role", "export-licences", "<mark>licences</mark>"},
		{"catalogue of sensitive projects", "institutional-role", "main-points", "<mark>catalogue</mark>"},
		// Spelling folded: the snippet marks the word as the entry writes it.
		{"catalog", "institutional-role", "main-points", "<mark>catalogue</mark>"},
		// A match in a heading counts for its section.
		{"science diplomacy", "institutional-role", "how-can-trusted-partnerships-be-built-trusted-partnerships", "<mark>diplomacy</mark>"},
		// A match only in the summary: the snippet comes from it, without an anchor.
		{"unethical", "term-knowledge-security", "", "<mark>unethical</mark>"},
		// Text before the first heading has no anchor.
		{"mitigate risks", "institutional-role", "", "<mark>mitigate</mark>"},
		// An entry with a single section: the anchor of that section.
		{"partner screening", "nl-guidelines", "partner-screening", "<mark>screen</mark>"},
	} {
		res := search(t, ix, Request{Query: test.query})
		var hit *Hit
		for i := range res.Hits {
			if res.Hits[i].ID == test.id {
				hit = &res.Hits[i]
			}
		}
		if hit == nil {
			t.Errorf("Search(%q) = %v, want %s", test.query, ids(res), test.id)
			continue
		}
		if hit.Anchor != test.anchor {
			t.Errorf("Search(%q): %s anchor = %q, want %q", test.query, test.id, hit.Anchor, test.anchor)
		}
		if !strings.Contains(hit.Snippet, test.mark) {
			t.Errorf("Search(%q): %s snippet = %q, want it to contain %q", test.query, test.id, hit.Snippet, test.mark)
		}
	}
	// Every anchor a hit names is a section of its entry.
	c, _, _ := content.Load(mustFS(t, "testdata/corpus", "testdata/corpus-extra"), ".", content.Options{})
	for _, q := range []string{"research", "security", "partners", "export"} {
		for _, h := range search(t, ix, Request{Query: q}).Hits {
			if h.Anchor == "" {
				continue
			}
			if !slices.ContainsFunc(c.Get(h.ID).Sections, func(s content.Section) bool { return s.Anchor == h.Anchor }) {
				t.Errorf("Search(%q): %s anchor %q is not one of its sections", q, h.ID, h.Anchor)
			}
		}
	}
}

func TestRankingRules(t *testing.T) {
	// Two entries alike in everything that is scored: a guidance document and a finding.
	fsys := fstest.MapFS{
		"g-zebra.md": {Data: []byte("---\ntitle: Quagga partnership checks\nkind: guidance\ncountries: [nl]\nissuer: Office of Research\n" +
			"type: guideline\ntopics: [institutional-role]\nstages: [basic]\nphases: [partnership]\naudiences: [institution]\n" +
			"published: 2019-01\nlanguage: en\nlast_verified: 2026-11-01\nsummary: A document.\n---\n\nQuagga partnership checks for universities.\n")},
		"f-zebra.md": {Data: []byte("---\ntitle: Quagga partnership checks\nkind: finding\ncountries: [nl]\ntopics: [institutional-role]\n" +
			"question: sound-decisions\nreport_section: Topic 3\nstages: [basic]\nphases: [partnership]\n---\n\nQuagga partnership checks for universities.\n")},
		"old.md": {Data: []byte("---\ntitle: Okapi rules\nkind: guidance\ncountries: [nl]\nissuer: Okapi Office\n" +
			"type: guideline\ntopics: [institutional-role]\nstages: [basic]\nphases: [partnership]\naudiences: [institution]\n" +
			"published: 2018-01\nlanguage: en\nlast_verified: 2026-11-01\nstatus: superseded\nsuperseded_by: new\nsummary: Okapi rules.\n---\n\nOkapi rules.\n")},
		"new.md": {Data: []byte("---\ntitle: Okapi rules\nkind: guidance\ncountries: [nl]\nissuer: Okapi Office\n" +
			"type: guideline\ntopics: [institutional-role]\nstages: [basic]\nphases: [partnership]\naudiences: [institution]\n" +
			"published: 2017-01\nlanguage: en\nlast_verified: 2026-11-01\nsummary: Okapi rules.\n---\n\nOkapi rules.\n")},
	}
	ix := mustMemory(t, fsys)
	for _, test := range []struct {
		query string
		want  []string
	}{
		// Equal scores: the newer first (the finding is dated by the 2023 workshop).
		{"quagga partnership checks", []string{"f-zebra", "g-zebra"}},
		// A query that asks for a document lifts guidance over findings.
		{"quagga partnership checks guidelines", []string{"g-zebra", "f-zebra"}},
		{"quagga partnership checks policy", []string{"g-zebra", "f-zebra"}},
		// A superseded document gives way to its successor, even an older one.
		{"okapi rules", []string{"new", "old"}},
	} {
		if got := ids(search(t, ix, Request{Query: test.query})); !slices.Equal(got, test.want) {
			t.Errorf("Search(%q) = %v, want %v", test.query, got, test.want)
		}
	}

	full := mustFullIndex(t)
	for _, test := range []struct {
		query string
		want  []string // the first hits, in order
	}{
		// The whole title, in any case, comes first.
		{"trusted research guidance for academia", []string{"gb-trusted"}},
		{"DUAL USE", []string{"term-dual-use"}},
		// Title and summary above body.
		{"academia", []string{"gb-trusted"}},
		{"unethical", []string{"term-knowledge-security"}},
	} {
		if got := ids(search(t, full, Request{Query: test.query})); len(got) < len(test.want) || !slices.Equal(got[:len(test.want)], test.want) {
			t.Errorf("Search(%q) = %v, want first %v", test.query, got, test.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	ix := mustFullIndex(t)
	texts := func(ss []Suggestion) []string {
		var out []string
		for _, s := range ss {
			out = append(out, s.Text)
		}
		return out
	}
	for _, test := range []struct {
		prefix string
		limit  int
		want   []string
	}{
		// Titles that start with the prefix first (a glossary term before guidance), then
		// titles with a word that starts with it, by kind.
		{"know", 0, []string{"Knowledge security", "National Knowledge Security Guidelines", "Netherlands: knowledge security has three dimensions"}},
		{"KNOW", 0, []string{"Knowledge security", "National Knowledge Security Guidelines", "Netherlands: knowledge security has three dimensions"}},
		{"knowledge sec", 0, []string{"Knowledge security", "National Knowledge Security Guidelines", "Netherlands: knowledge security has three dimensions"}},
		{"know", 2, []string{"Knowledge security", "National Knowledge Security Guidelines"}},
		// Glossary synonyms, accent-insensitive.
		{"kennis", 0, []string{"kennisveiligheid"}},
		{"secu", 0, []string{"security-relevant research", "sécurité de la recherche", "National Knowledge Security Guidelines",
			"Council Recommendation on enhancing research security", "National Security Guidelines for Research Partnerships",
			"Safeguarding International Science Research Security Framework", "Conceptualisation of research security",
			"Netherlands: knowledge security has three dimensions"}},
		{"sécu", 1, []string{"sécurité de la recherche"}},
		// An entry is suggested once: "trusted research" names the knowledge-security term,
		// whose own title does not match.
		{"trusted", 0, []string{"trusted research", "Trusted Research Guidance for Academia"}},
		{"", 0, nil},
		{"   ", 0, nil},
		{"zzz", 0, nil},
	} {
		got, err := ix.Suggest(context.Background(), test.prefix, test.limit)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(texts(got), test.want) {
			t.Errorf("Suggest(%q, %d) = %q, want %q", test.prefix, test.limit, texts(got), test.want)
		}
	}
	got, _ := ix.Suggest(context.Background(), "trusted", 1)
	if len(got) != 1 || got[0] != (Suggestion{Text: "trusted research", ID: "term-knowledge-security", Kind: "term", Term: "Knowledge security"}) {
		t.Errorf("Suggest(trusted, 1) = %+v", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.Suggest(ctx, "know", 5); err == nil {
		t.Error("Suggest with a cancelled context: no error")
	}
}

// The index is shared by every request: searches and suggestions run at the same time.
func TestConcurrentSearch(t *testing.T) {
	ix := mustFullIndex(t)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, q := range []string{"trusted research", "reserch securty", "dual-use", "NPSE", "Québec handbook"} {
				if _, err := ix.Search(context.Background(), Request{Query: q, Page: 1, Size: 5}); err != nil {
					t.Error(err)
				}
				if _, err := ix.Suggest(context.Background(), q[:3], 5); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
}
