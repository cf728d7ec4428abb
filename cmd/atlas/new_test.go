package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func fixedToday(t *testing.T) {
	t.Helper()
	day := func() time.Time { return time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC) }
	oldNew, oldImport := newToday, importToday
	newToday, importToday = day, day
	t.Cleanup(func() { newToday, importToday = oldNew, oldImport })
}

func TestNew(t *testing.T) {
	fixedToday(t)
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "guidance"), 0o755)
	os.WriteFile(filepath.Join(dir, "guidance", "nl-existing.md"), []byte("---\ntitle: E\nkind: topic\n---\nBody.\n"), 0o644)
	// A broken file still holds its id.
	os.MkdirAll(filepath.Join(dir, "countries"), 0o755)
	os.WriteFile(filepath.Join(dir, "countries", "xa.md"), []byte("not front matter\n"), 0o644)

	for _, test := range []struct {
		args     []string
		code     int
		path     string // file written, relative to dir
		contains []string
		stderr   string
	}{
		{[]string{"new", "guidance", "nl-knowledge-security", "--content", dir}, 0, "guidance/nl-knowledge-security.md",
			[]string{"kind: guidance", "countries: [nl]", "last_verified: 2026-11-24", "## What it is"},
			`7 fields to fill in before atlas check passes:`},
		// Flags may come first; the folder of a kind is made when missing.
		{[]string{"new", "--content", dir, "milestone", "m-2019-jason-report"}, 0, "timeline/m-2019-jason-report.md",
			[]string{"kind: milestone", "date: 2019"}, `m-2019-jason-report.md:6: field "title" is empty`},
		{[]string{"new", "topic", "conceptualisation", "--content", dir}, 0, "topics/conceptualisation.md",
			[]string{"title: Conceptualisation of research security", "(`key-elements`)"}, ""},
		{[]string{"new", "finding", "f-nl-key-elements", "--content", dir}, 0, "findings/f-nl-key-elements.md",
			[]string{"question: key-elements", "topics: [conceptualisation]"}, "2 fields to fill in"},
		{[]string{"new", "term", "term-kennisveiligheid", "--content", dir}, 0, "glossary/term-kennisveiligheid.md", []string{"synonyms: []"}, ""},
		{[]string{"new", "country", "nl", "--content", dir}, 0, "countries/nl.md", []string{"title: Netherlands", "## Contact point"}, ""},

		{[]string{"new", "guidance", "nl-knowledge-security", "--content", dir}, 1, "", nil,
			"nl-knowledge-security.md already exists: not overwriting it"},
		{[]string{"new", "topic", "nl-existing", "--content", dir}, 1, "", nil,
			`id "nl-existing" is already used by ` + filepath.Join(dir, "guidance", "nl-existing.md")},
		{[]string{"new", "guidance", "xa", "--content", dir}, 1, "", nil, `id "xa" is already used by ` + filepath.Join(dir, "countries", "xa.md")},
		{[]string{"new", "blog", "my-post", "--content", dir}, 1, "", nil,
			`unknown kind "blog": use one of guidance, finding, country, topic, term, milestone`},
		{[]string{"new", "guidance", "NL_Guide", "--content", dir}, 1, "", nil, `"NL_Guide" is not an entry id`},
		{[]string{"new", "guidance", "nl-guide.md", "--content", dir}, 1, "", nil, `leave out ".md"`},
		{[]string{"new", "guidance", "nl-guide", "--content", filepath.Join(dir, "missing")}, 1, "", nil, "not found"},
		{[]string{"new", "guidance", "--content", dir}, 2, "", nil, "usage: atlas new KIND SLUG"},
		{[]string{"new", "guidance", "a", "b", "--content", dir}, 2, "", nil, "usage: atlas new KIND SLUG"},
		{[]string{"new", "--bogus", "guidance", "a"}, 2, "", nil, ""},
	} {
		t.Run(strings.Join(test.args, " "), func(t *testing.T) {
			var before []byte
			if test.code != 0 && strings.Contains(test.stderr, "already exists") {
				before, _ = os.ReadFile(filepath.Join(dir, "guidance", "nl-knowledge-security.md"))
			}
			code, out, errOut := runAtlas(t, test.args...)
			if code != test.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, test.code, out, errOut)
			}
			if !strings.Contains(errOut, test.stderr) {
				t.Errorf("stderr %q lacks %q", errOut, test.stderr)
			}
			if test.path == "" {
				if out != "" {
					t.Errorf("stdout %q, want nothing", out)
				}
				if before != nil {
					if after, _ := os.ReadFile(filepath.Join(dir, "guidance", "nl-knowledge-security.md")); string(after) != string(before) {
						t.Error("the existing file was changed")
					}
				}
				return
			}
			path := filepath.Join(dir, filepath.FromSlash(test.path))
			if strings.TrimSpace(out) != path {
				t.Errorf("stdout %q, want the path %s", out, path)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range test.contains {
				if !strings.Contains(string(data), w) {
					t.Errorf("%s lacks %q:\n%s", test.path, w, data)
				}
			}
		})
	}

	// atlas check reports the new files' empty fields and body placeholders, nothing else.
	_, out, _ := runAtlas(t, "check", "--content", dir)
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.Contains(line, "countries/xa.md") {
			continue
		}
		if !strings.HasSuffix(line, `" is empty`) && !strings.HasSuffix(line, "warning: the body still has a TODO placeholder: replace it with the entry's text") {
			t.Errorf("atlas check: %s", line)
		}
	}
}
