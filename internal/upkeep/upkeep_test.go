package upkeep

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/research-security-atlas/atlas/internal/content"
)

var now = time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)

func TestHash(t *testing.T) {
	base := "---\ntitle: A\nlast_verified: 2026-01-01\nupdated: 2026-01-01\n---\nBody.\n"
	for _, test := range []struct {
		name, file string
		same       bool
	}{
		{"the same file", base, true},
		{"verified again", strings.ReplaceAll(base, "2026-01-01", "2026-12-02"), true},
		{"source checked added", strings.Replace(base, "title: A\n", "title: A\nsource_checked: 2026-12-02\n", 1), true},
		{"CRLF line endings", strings.ReplaceAll(base, "\n", "\r\n"), true},
		{"body edited", strings.Replace(base, "Body.", "Body, longer.", 1), false},
		{"title edited", strings.Replace(base, "title: A", "title: B", 1), false},
		{"updated: in the body counts", base + "updated: later\n", false},
	} {
		if got := Hash([]byte(test.file)) == Hash([]byte(base)); got != test.same {
			t.Errorf("%s: same hash = %v, want %v", test.name, got, test.same)
		}
	}
}

func TestCompare(t *testing.T) {
	file := []byte("---\ntitle: A\n---\nBody.\n")
	edited := []byte("---\ntitle: A\n---\nNew body.\n")
	h := &Hashes{Entries: map[string]Stamp{"a": {Hash: Hash(file), Updated: "2026-01-01"}}}
	for _, test := range []struct {
		id      string
		data    []byte
		updated string
		want    Change
	}{
		{"a", file, "2026-01-01", Unchanged},
		{"a", edited, "2026-01-01", Unmarked},
		{"a", edited, "2026-12-02", Edited},
		{"b", file, "", New},
	} {
		if got := h.Compare(test.id, test.data, test.updated); got != test.want {
			t.Errorf("Compare(%s, %q, %s) = %d, want %d", test.id, test.data, test.updated, got, test.want)
		}
	}
}

func TestRecord(t *testing.T) {
	for result, want := range map[string]string{"ok": LinkOK, "redirected": LinkOK, "moved": LinkMoved, "changed": LinkMoved, "dead": LinkDead} {
		if got := Status(result); got != want {
			t.Errorf("Status(%s) = %s, want %s", result, got, want)
		}
	}
	dir := t.TempDir()
	if r, err := ReadRecord(os.DirFS(dir)); r != nil || err != nil {
		t.Fatalf("no file: ReadRecord = %v, %v; want nil, nil", r, err)
	}
	in := &Record{Checked: "2026-12-02", Links: []Link{{URL: "https://a.example/x", Status: LinkDead, Result: "dead", Uses: []Use{{"a", "source_url"}}}}}
	if err := WriteRecord(dir, in); err != nil {
		t.Fatal(err)
	}
	r, err := ReadRecord(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if l, ok := r.Lookup("https://a.example/x#part"); !ok || l.Status != LinkDead {
		t.Errorf("Lookup with a fragment = %+v, %v", l, ok)
	}
	if _, ok := r.Lookup("https://a.example/y"); ok {
		t.Error("Lookup found an address that was not recorded")
	}
}

// corpus loads entries for the worklist test.
func corpus(t *testing.T, files map[string]string) (*content.Corpus, []content.Problem) {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, body := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(body)}
	}
	c, probs, err := content.Load(fsys, ".", content.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return c, probs
}

func guidance(verified, source string) string {
	return "---\ntitle: G\nkind: guidance\ncountries: [nl]\nissuer: Ministry\ntype: guideline\ntopics: [institutional-role]\n" +
		"stages: []\nphases: [partnership]\naudiences: [institution]\n" + source + "\nlanguage: en\nlast_verified: " + verified +
		"\nsummary: S.\n---\nBody.\n"
}

func TestWorklist(t *testing.T) {
	c, probs := corpus(t, map[string]string{
		"guidance/nl-dead.md":        guidance("2026-11-01", "source_url: https://a.example/dead"),
		"guidance/nl-moved.md":       guidance("2026-11-01", "source_url: https://a.example/old"),
		"guidance/nl-old.md":         guidance("2025-01-01", "source_url: https://a.example/ok"),
		"guidance/nl-unconfirmed.md": guidance("2026-11-01", "source_status: unconfirmed\nsource_checked: 2026-10-01"),
		"guidance/nl-todo.md":        strings.Replace(guidance("2026-11-01", "source_url: https://a.example/todo"), "Body.", "TODO: write it", 1),
		"guidance/nl-broken.md":      "---\ntitle: Broken\nkind: topic\ncolour: red\nshade: dark\n---\nBody.\n",
		"countries/nl.md": "---\ntitle: Netherlands\nkind: country\ncountries: [nl]\nterms: [x]\nsummary: S.\napproach:\n" +
			"  national-guidelines:\n    value: in-preparation\n    text: Being written.\n    sources: [nl-old]\n    as_of: 2026-11\n" +
			"  entity-list:\n    value: unknown\n    checked: 2026-11-20\n---\nBody.\n",
	})
	rec := &Record{Checked: "2026-12-01", Links: []Link{
		{URL: "https://a.example/dead", Status: LinkDead, Result: "dead", Detail: "HTTP 404 Not Found", Uses: []Use{{"nl-dead", "source_url"}}},
		{URL: "https://a.example/ok", Status: LinkOK, Result: "ok", Uses: []Use{{"nl-old", "source_url"}}},
		{URL: "https://a.example/old", Status: LinkMoved, Result: "moved", Suggest: "https://a.example/new", Uses: []Use{{"nl-moved", "source_url"}}},
	}}
	items := Worklist(Inputs{Corpus: c, Problems: probs, Links: rec, Dir: "content", Now: now})
	var got []string
	for _, it := range items {
		got = append(got, it.Kind+" "+it.ID)
		if it.Fix == "" || it.Detail == "" || it.Path == "" {
			t.Errorf("item %+v lacks a detail, fix or path", it)
		}
	}
	want := []string{
		"content-problem nl-broken", "content-problem nl-todo",
		"dead-link nl-dead", "moved-link nl-moved",
		"unverified nl-old", "no-source nl-unconfirmed",
		"gap nl", "gap nl",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Worklist:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, test := range []struct {
		i            int
		path, detail string
		fix          string
	}{
		{0, "guidance/nl-broken.md", `held back from the site: unknown field "colour" (and 1 more problem)`, "edit guidance/nl-broken.md:4"},
		{3, "content/guidance/nl-moved.md", "source_url moved to https://a.example/new", "atlas links --patch"},
		{4, "content/guidance/nl-old.md", "last verified on 2025-01-01", "atlas verify nl-old"},
		{6, "content/countries/nl.md", "Netherlands: national guidelines in preparation", "approach.national-guidelines"},
		{7, "content/countries/nl.md", "1 approach cells unknown (entity-list), looked for on 2026-11-20", "checked"},
	} {
		it := items[test.i]
		if it.Path != test.path || !strings.Contains(it.Detail, test.detail) || !strings.Contains(it.Fix, test.fix) {
			t.Errorf("item %d = %+v\nwant path %s, detail with %q, fix with %q", test.i, it, test.path, test.detail, test.fix)
		}
	}
}
