package export

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/research-security-atlas/atlas/internal/content"
)

// hostileExport writes the fixture reading list with one entry whose values try to break out of
// their field in each format: a brace in the URL (BibTeX), line breaks of every kind in the
// title and summary (RIS, Markdown), an angle bracket in the URL (a Markdown link).
func hostileExport(t *testing.T, format string) (string, int) {
	t.Helper()
	c, probs, err := content.Load(os.DirFS("../search/testdata/corpus"), ".", content.Options{Now: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
	if err != nil || content.Errors(probs) > 0 {
		t.Fatal(err, probs)
	}
	e := c.Get("nl-guidelines")
	e.Title = "Evil\rTY  - JOUR\u2028AU  - Mallory\nN1  - one\u0085KW  - two\vthree"
	e.SourceURL = "https://example.org/a}, note = {pwned}, x = {<b> c\\d"
	e.Summary = "Sum\rER  - \r\nTY  - GEN\u2029mary"
	e.Issuer = "Org\r@misc{forged,"
	f, _ := FormatByName(format)
	groups := ReadingList(content.NewCatalog(c), nil)
	var buf bytes.Buffer
	if err := Write(&buf, f, groups, opts); err != nil {
		t.Fatal(err)
	}
	return buf.String(), Len(groups)
}

// anyBreak is every character some reader takes for the end of a line.
var anyBreak = regexp.MustCompile("[\r\n\v\f\u0085\u2028\u2029]+")

func TestBibTeXKeepsValuesInTheirFields(t *testing.T) {
	out, n := hostileExport(t, "bibtex")
	bib := parseBibTeX(t, out)
	if len(bib) != n || bib["forged"] != nil {
		t.Fatalf("%d entries (want %d) from:\n%s", len(bib), n, out)
	}
	nl := bib["nl-guidelines"]
	if strings.Contains(nl["note"], "pwned") || nl["x"] != "" {
		t.Errorf("the URL broke out of its field: %v", nl)
	}
	if !strings.HasPrefix(nl["url"], "https://example.org/a%7D,%20note%20=%20%7Bpwned%7D") {
		t.Errorf("url = %q", nl["url"])
	}
	for name, v := range nl {
		if anyBreak.MatchString(v) {
			t.Errorf("field %s keeps a line break: %q", name, v)
		}
	}
}

func TestRISKeepsValuesInTheirTags(t *testing.T) {
	out, n := hostileExport(t, "ris")
	tag := regexp.MustCompile(`^[A-Z][A-Z0-9]  - `)
	records, ty := 0, 0
	for _, l := range anyBreak.Split(out, -1) {
		switch {
		case l == "":
		case !tag.MatchString(l):
			t.Errorf("not an RIS line: %q", l)
		case strings.HasPrefix(l, "ER  - "):
			records++
		case strings.HasPrefix(l, "TY  - "):
			ty++
		case strings.HasPrefix(l, "TI  - Evil"):
			if !strings.Contains(l, "Mallory") || !strings.Contains(l, "three") {
				t.Errorf("the title was cut: %q", l)
			}
		}
	}
	if records != n || ty != n {
		t.Errorf("%d records and %d TY tags, want %d of each:\n%q", records, ty, n, out)
	}
}

func TestMarkdownKeepsEntriesOnTheirLines(t *testing.T) {
	out, n := hostileExport(t, "md")
	items := 0
	for _, l := range anyBreak.Split(out, -1) {
		if strings.HasPrefix(l, "- ") {
			items++
			if strings.Contains(l, "Evil") && !strings.Contains(l, "(<https://example.org/a%7D,%20note%20=%20%7Bpwned%7D,%20x%20=%20%7B%3Cb%3E%20c%5Cd>)") {
				t.Errorf("the link is not whole: %q", l)
			}
		}
	}
	if items != n {
		t.Errorf("%d list items, want %d:\n%s", items, n, out)
	}
}
