package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImport(t *testing.T) {
	fixedToday(t)
	dir := t.TempDir()
	page := "../../internal/importer/testdata/govuk-trusted-research.html"
	golden, err := os.ReadFile("../../internal/importer/testdata/govuk-trusted-research.golden")
	if err != nil {
		t.Fatal(err)
	}

	code, out, errOut := runAtlas(t, "import", page, "--content", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if out != string(golden) {
		t.Errorf("stdout is not the importer's golden draft:\n%s", out)
	}
	for _, want := range []string{
		"to fill in: type, topics, audiences; stages and phases where it addresses particular ones",
		"save it as " + dir + "/guidance/gb-trusted-research-guidance-academia.md",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr %q lacks %q", errOut, want)
		}
	}

	// Saved into the corpus, the draft fails atlas check only on the fields left to fill in.
	os.MkdirAll(filepath.Join(dir, "guidance"), 0o755)
	os.WriteFile(filepath.Join(dir, "guidance", "gb-trusted-research.md"), []byte(out), 0o644)
	code, checkOut, _ := runAtlas(t, "check", "--content", dir)
	if code != 1 {
		t.Errorf("check exit %d, want 1", code)
	}
	for _, f := range []string{"type", "topics", "audiences"} {
		if !strings.Contains(checkOut, `field "`+f+`" is empty`) {
			t.Errorf("check output lacks the empty %s:\n%s", f, checkOut)
		}
	}
	if n := strings.Count(checkOut, "\n"); n != 3 {
		t.Errorf("check: %d problems, want the 3 empty fields:\n%s", n, checkOut)
	}

	// Importing the same page again points at the entry that has it as its source.
	_, _, errOut = runAtlas(t, "import", page, "--content", dir)
	if want := "is already the source of " + filepath.Join(dir, "guidance", "gb-trusted-research.md"); !strings.Contains(errOut, want) {
		t.Errorf("stderr %q lacks %q", errOut, want)
	}
}

func TestImportRefuses(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte("just some notes"), 0o644)
	empty := filepath.Join(dir, "empty.html")
	os.WriteFile(empty, nil, 0o644)
	pdf := filepath.Join(dir, "guide.html")
	os.WriteFile(pdf, []byte("%PDF-1.7\n..."), 0o644)
	for _, test := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"import", text}, 1, "notes.txt: the file has no HTML tags: not an HTML page"},
		{[]string{"import", empty}, 1, "empty.html: the file is empty"},
		{[]string{"import", pdf}, 1, "guide.html: the file is a PDF"},
		{[]string{"import", filepath.Join(dir, "missing.html")}, 1, "no such file"},
		{[]string{"import"}, 2, "usage: atlas import FILE.html"},
		{[]string{"import", "a.html", "b.html"}, 2, "usage: atlas import FILE.html"},
	} {
		code, out, errOut := runAtlas(t, test.args...)
		if code != test.code || !strings.Contains(errOut, test.stderr) || out != "" {
			t.Errorf("atlas %v: exit %d, stdout %q, stderr %q; want exit %d and %q", test.args, code, out, errOut, test.code, test.stderr)
		}
	}
}
