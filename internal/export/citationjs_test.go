package export

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/research-security-atlas/atlas/internal/content"
)

// citationJS runs testdata/citationjs.js: citation-js reads the export (RIS with its RIS
// reader, CSL-JSON as it is) and citeproc-js formats every item in APA. It skips unless
// ATLAS_CITATION_JS names the node_modules folder that holds @citation-js/core,
// plugin-ris and plugin-csl (.ci/run installs them).
func citationJS(t *testing.T, format, export string) (items []cslRead, bibliography []string) {
	t.Helper()
	mods := os.Getenv("ATLAS_CITATION_JS")
	if mods == "" {
		t.Skip("ATLAS_CITATION_JS not set (npm install @citation-js/core @citation-js/plugin-ris @citation-js/plugin-csl)")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed")
	}
	file := filepath.Join(t.TempDir(), "export."+format)
	if err := os.WriteFile(file, []byte(export), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "testdata/citationjs.js", format, file)
	cmd.Env = append(os.Environ(), "NODE_PATH="+mods)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("citation-js on %s: %v\n%s", format, err, stderr.String())
	}
	var out struct {
		Items        []cslRead
		Bibliography []string
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("citation-js output: %v\n%.500s", err, stdout.String())
	}
	return out.Items, out.Bibliography
}

// cslRead is an item as citation-js gives it back, in CSL-JSON.
type cslRead struct {
	ID, Type, Title, Keyword, Publisher string
	Author                              []struct{ Literal, Family, Given string }
	Issued                              struct {
		DateParts [][]any `json:"date-parts"`
	}
}

// TestExportsWithCitationJS reads the real corpus's RIS and CSL-JSON exports with citation-js
// and formats them with a CSL processor: every entry comes back with its id, title, year and
// its issuer as one corporate author, never a person with initials, and every item formats.
func TestExportsWithCitationJS(t *testing.T) {
	corpus, _, err := content.Load(os.DirFS("../../content"), ".", content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	groups := Select(content.NewCatalog(corpus), nil, Selection{Kinds: []content.Kind{content.Guidance, content.Finding}, Superseded: true})
	es := entries(groups)
	for _, format := range []string{"ris", "csl"} {
		t.Run(format, func(t *testing.T) {
			f, _ := FormatByName(format)
			var buf bytes.Buffer
			if err := Write(&buf, f, groups, opts); err != nil {
				t.Fatal(err)
			}
			items, bib := citationJS(t, format, buf.String())
			if len(items) != len(es) || len(bib) != len(es) {
				t.Fatalf("%d items and %d formatted references back, want %d", len(items), len(bib), len(es))
			}
			for i, e := range es {
				it := items[i]
				if it.ID != e.ID || it.Title != strings.Join(strings.Fields(e.Title), " ") {
					t.Errorf("item %d: %s %q, want %s %q", i, it.ID, it.Title, e.ID, e.Title)
					continue
				}
				who := creator(e)
				if format == "ris" { // RIS has no way to write a comma inside a corporate name
					who = strings.ReplaceAll(who, ",", "")
				}
				law := it.Type == "legislation"
				switch {
				case format == "ris" && law:
					// The RIS specification gives a statute no author field; the body that made
					// it comes back as the publisher.
					if it.Publisher != creator(e) {
						t.Errorf("%s: publisher %q, want %q", e.ID, it.Publisher, creator(e))
					}
				case len(it.Author) != 1:
					t.Errorf("%s: %d authors, want the one corporate author %q", e.ID, len(it.Author), who)
				default:
					if a := it.Author[0]; a.Given != "" || (a.Literal != who && a.Family != who) {
						t.Errorf("%s: author %+v, want %q whole with no given name", e.ID, a, who)
					}
				}
				if w := e.When(); len(w) >= 4 {
					if len(it.Issued.DateParts) == 0 || len(it.Issued.DateParts[0]) == 0 || toInt(it.Issued.DateParts[0][0]) != w[:4] {
						t.Errorf("%s: issued %v, want the year %s", e.ID, it.Issued.DateParts, w[:4])
					}
				}
				if len(e.Themes) > 0 && !strings.Contains(it.Keyword, content.ThemeVocab.Label(e.Themes[0])) {
					t.Errorf("%s: keywords %q lack the theme %q", e.ID, it.Keyword, content.ThemeVocab.Label(e.Themes[0]))
				}
				// APA puts the author first, whole, and a law's title first; the processor
				// prints apostrophes curly.
				first := who
				if law {
					first = strings.Join(strings.Fields(e.Title), " ")
				}
				if ref := bib[i]; !strings.HasPrefix(ref, strings.ReplaceAll(first, "'", "’")) {
					t.Errorf("%s: the reference starts %.60q, want %q", e.ID, ref, first)
				}
			}
			t.Logf("%d %s items read back by citation-js and formatted by citeproc-js", len(items), format)
		})
	}
}

// toInt gives a date part as citation-js writes it, a number or a string, as a string.
func toInt(v any) string {
	switch v := v.(type) {
	case float64:
		return strconv.Itoa(int(v))
	case string:
		return v
	}
	return ""
}
