package content

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A file that cannot be read (a dangling symbolic link, a loop of links, a link to a folder, a
// file without read permission) is one more broken file: reported as "path: problem", while
// the rest of the corpus loads.
func TestLoadReportsUnreadableFiles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "good.md"), []byte("---\ntitle: Good\nkind: topic\n---\nBody.\n"), 0o644)
	os.Symlink("missing.md", filepath.Join(dir, "dangling.md"))
	os.Symlink("loop.md", filepath.Join(dir, "loop.md"))
	os.Mkdir(filepath.Join(dir, "folder"), 0o755)
	os.Symlink("folder", filepath.Join(dir, "folder.md"))
	want := map[string]string{
		"dangling.md": "dangling.md: cannot be read:",
		"loop.md":     "loop.md: cannot be read:",
		"folder.md":   "folder.md: cannot be read:",
	}
	if os.Geteuid() != 0 { // permissions do not stop root
		os.WriteFile(filepath.Join(dir, "secret.md"), []byte("---\ntitle: Secret\nkind: topic\n---\nBody.\n"), 0o000)
		os.MkdirAll(filepath.Join(dir, "closed"), 0o000)
		want["secret.md"] = "secret.md: cannot be read:"
		want["closed"] = "closed: cannot be read:"
	}
	c, probs, err := Load(os.DirFS(dir), ".", Options{Now: testNow})
	if err != nil {
		t.Fatalf("Load: %v; want the broken files reported as problems", err)
	}
	if c.Len() != 1 || c.Get("good") == nil {
		t.Errorf("corpus has %d entries, want the good one", c.Len())
	}
	got := map[string]string{}
	for _, p := range probs {
		got[p.Path] = p.String()
	}
	for path, prefix := range want {
		if !strings.HasPrefix(got[path], prefix) {
			t.Errorf("problem for %s = %q, want it to start %q", path, got[path], prefix)
		}
	}
	// Each is an error, so that check fails and a last good version is kept.
	if n := Errors(probs); n != len(want) {
		t.Errorf("%d errors, want %d: %v", n, len(want), probs)
	}
}

// A file over MaxEntryBytes is refused with its size and the limit, without being read whole;
// one at the limit loads.
func TestLoadRefusesHugeEntries(t *testing.T) {
	dir := t.TempDir()
	head := "---\ntitle: Big\nkind: topic\n---\n"
	fits := head + strings.Repeat("word ", (MaxEntryBytes-len(head))/5)
	os.WriteFile(filepath.Join(dir, "fits.md"), []byte(fits), 0o644)
	os.WriteFile(filepath.Join(dir, "huge.md"), []byte(head+strings.Repeat("word ", 10<<20)), 0o644)
	c, probs, err := Load(os.DirFS(dir), ".", Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if c.Get("fits") == nil || c.Get("huge") != nil {
		t.Errorf("loaded %v; want fits and not huge", c.Entries)
	}
	want := "huge.md: the file is 51201 KB; an entry may be at most 256 KB: shorten it or split it into several entries"
	if len(probs) != 1 || probs[0].String() != want {
		t.Errorf("problems %v, want %q", probs, want)
	}
}
