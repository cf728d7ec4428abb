package search

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A byte changed in any file of a built index is found before bleve reads the file, and the
// index is rebuilt. (cmd/atlas's TestFlippedIndexByte flips random bytes under a real server.)
func TestOpenFindsDamage(t *testing.T) {
	corpus := mustCorpus(t, "testdata/corpus")
	path := filepath.Join(t.TempDir(), "atlas.bleve")
	if _, err := Build(context.Background(), path, corpus); err != nil {
		t.Fatal(err)
	}
	var files []string
	walkFiles(path, func(rel, _ string) error { files = append(files, rel); return nil })
	if len(files) < 4 {
		t.Fatalf("index files: %v", files)
	}
	for _, rel := range files {
		for _, at := range []string{"start", "middle", "end"} {
			p := filepath.Join(path, rel)
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			off := map[string]int{"start": 0, "middle": len(data) / 2, "end": len(data) - 1}[at]
			data[off] ^= 0x40
			os.WriteFile(p, data, 0o644)
			if _, err := Open(path, corpus); err == nil || !strings.Contains(err.Error(), "damaged") {
				t.Errorf("%s flipped at the %s: Open = %v, want damaged", rel, at, err)
			}
			ix, reason, err := OpenOrBuild(context.Background(), path, corpus)
			if err != nil || !strings.Contains(reason, "damaged") {
				t.Fatalf("%s flipped at the %s: OpenOrBuild = %v, %q; want a rebuild", rel, at, err, reason)
			}
			ix.Close()
		}
	}
}

// Directories a killed build left beside the index are removed when the index is next
// opened, not only at the next build.
func TestOpenRemovesLeftovers(t *testing.T) {
	corpus := mustCorpus(t, "testdata/corpus")
	path := filepath.Join(t.TempDir(), "atlas.bleve")
	if _, err := Build(context.Background(), path, corpus); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{path + ".old-1700000000", path + ".tmp-123/index"} {
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, "x"), []byte("x"), 0o644)
	}
	ix, reason, err := OpenOrBuild(context.Background(), path, corpus)
	if err != nil || reason != "" {
		t.Fatalf("OpenOrBuild = %v, %q; want the index opened as it is", err, reason)
	}
	ix.Close()
	if left, _ := filepath.Glob(path + ".*"); len(left) != 0 {
		t.Errorf("leftovers beside the index: %v", left)
	}
}
