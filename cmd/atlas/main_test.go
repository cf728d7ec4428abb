package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runAtlas(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ok.md"), []byte("---\ntitle: Fine\nkind: topic\n---\nBody.\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "bad.md"), []byte("---\ntitle: Bad\nkind: topic\ncolour: red\n---\nBody.\n"), 0o644)

	code, out, errOut := runAtlas(t, "check", "--content", dir)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if want := dir + `/bad.md:4: unknown field "colour"`; !strings.Contains(out, want) {
		t.Errorf("stdout %q lacks %q", out, want)
	}
	if !strings.Contains(errOut, "1 entries loaded; 1 errors") {
		t.Errorf("stderr %q", errOut)
	}

	code, out, _ = runAtlas(t, "check", "--json", "--content", dir)
	if code != 1 || !strings.Contains(out, `"errors": 1`) || !strings.Contains(out, `"line": 4`) || !strings.Contains(out, `"severity": "error"`) {
		t.Errorf("check --json: exit %d\n%s", code, out)
	}

	os.Remove(filepath.Join(dir, "bad.md"))
	if code, _, _ := runAtlas(t, "check", "--content", dir); code != 0 {
		t.Errorf("clean corpus: exit %d, want 0", code)
	}
}

func TestBuild(t *testing.T) {
	index := filepath.Join(t.TempDir(), "idx", "atlas.bleve")
	code, out, errOut := runAtlas(t, "build", "--content", "../../internal/search/testdata/corpus", "--index", index)
	if code != 0 || !strings.Contains(out, "indexed 9 entries (5 guidance, 2 finding, 1 country, 1 topic)") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(index, "index_meta.json")); err != nil {
		t.Errorf("no index written: %v", err)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{}, {"nonsense"}, {"check", "--bogus"}, {"check", "extra"}} {
		if code, _, _ := runAtlas(t, args...); code != 2 {
			t.Errorf("atlas %v: exit %d, want 2", args, code)
		}
	}
}
