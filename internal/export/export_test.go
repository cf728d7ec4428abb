package export

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/research-security-atlas/atlas/internal/content"
)

func mustCatalog(t *testing.T) *content.Catalog {
	t.Helper()
	c, probs, err := content.Load(os.DirFS("../search/testdata/corpus"), ".", content.Options{Now: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
	if err != nil || content.Errors(probs) > 0 {
		t.Fatal(err, probs)
	}
	// A title with every character the formats treat specially.
	e := c.Get("us-framework")
	e.Title = `Safeguarding {International} Science: R&D 100% "framework" #1_a ~ ^ \ [draft] <b>`
	return content.NewCatalog(c)
}

var opts = Options{BaseURL: "https://atlas.example/"}

func export(t *testing.T, format string, filters map[string][]string) (string, []Group) {
	t.Helper()
	f, ok := FormatByName(format)
	if !ok {
		t.Fatalf("no format %q", format)
	}
	groups := ReadingList(mustCatalog(t), filters)
	var buf bytes.Buffer
	if err := Write(&buf, f, groups, opts); err != nil {
		t.Fatal(err)
	}
	return buf.String(), groups
}

func entries(groups []Group) []*content.Entry {
	var out []*content.Entry
	each(groups, func(_ Group, _ TypeGroup, e *content.Entry) error { out = append(out, e); return nil })
	return out
}

func TestReadingListOrderAndFilters(t *testing.T) {
	groups := ReadingList(mustCatalog(t), nil)
	var got []string
	for _, g := range groups {
		for _, tg := range g.Types {
			for _, e := range tg.Entries {
				got = append(got, g.Code+"/"+tg.Type+"/"+e.ID)
			}
		}
	}
	want := []string{"ca/guideline/ca-partnerships", "nl/guideline/nl-guidelines", "gb/guideline/gb-trusted",
		"us/framework/us-framework", "eu/recommendation/eu-council"}
	if !slices.Equal(got, want) {
		t.Errorf("reading list = %v, want %v (by jurisdiction name, bodies last, then type)", got, want)
	}
	filtered := ReadingList(mustCatalog(t), map[string][]string{"country": {"nl", "ca"}, "phase": {"partnership"}})
	if n := Len(filtered); n != 2 {
		t.Errorf("country=nl|ca & phase=partnership: %d entries, want 2", n)
	}
	if n := Len(ReadingList(mustCatalog(t), map[string][]string{"year": {"2023"}})); n != 1 {
		t.Errorf("year=2023: %d entries, want 1", n)
	}
}

func TestCSVParsesBack(t *testing.T) {
	out, groups := export(t, "csv", nil)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], CSVHeader) || len(rows) != 1+Len(groups) {
		t.Fatalf("header %v, %d rows", rows[0], len(rows))
	}
	for i, e := range entries(groups) {
		r := rows[i+1]
		if r[0] != e.ID || r[1] != e.Title || r[7] != e.SourceURL || r[18] != "https://atlas.example/docs/"+e.ID {
			t.Errorf("row %d = %v, want %s %q %s", i+1, r, e.ID, e.Title, e.SourceURL)
		}
	}
}

func TestJSONParsesBack(t *testing.T) {
	out, groups := export(t, "json", nil)
	var got struct {
		Total  int
		Groups []struct {
			Code    string
			Entries []struct{ ID, Title, URL string }
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Total != Len(groups) || len(got.Groups) != len(groups) || got.Groups[0].Code != "ca" {
		t.Errorf("json = %+v", got)
	}
	if e := got.Groups[3].Entries[0]; !strings.Contains(e.Title, `R&D 100% "framework"`) {
		t.Errorf("title did not survive: %q", e.Title)
	}
}

// parseBibTeX reads the entries of a BibTeX file into key -> field -> value, with braces
// balanced; it fails the test on anything unbalanced.
func parseBibTeX(t *testing.T, s string) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	head := regexp.MustCompile(`@(\w+)\{([a-z0-9-]+),`)
	for _, m := range head.FindAllStringSubmatchIndex(s, -1) {
		key := s[m[4]:m[5]]
		fields := map[string]string{"_type": s[m[2]:m[3]]}
		i := m[1]
		for {
			for i < len(s) && (s[i] == ' ' || s[i] == '\n' || s[i] == ',') {
				i++
			}
			if i >= len(s) || s[i] == '}' {
				break
			}
			eq := strings.IndexByte(s[i:], '=')
			name := strings.TrimSpace(s[i : i+eq])
			i += eq + 1
			for s[i] == ' ' {
				i++
			}
			if s[i] != '{' {
				end := strings.IndexByte(s[i:], ',')
				fields[name] = s[i : i+end]
				i += end
				continue
			}
			depth, start := 0, i
			for ; i < len(s); i++ {
				if s[i] == '\\' {
					i++
					continue
				}
				if s[i] == '{' {
					depth++
				} else if s[i] == '}' {
					depth--
					if depth == 0 {
						break
					}
				}
			}
			if depth != 0 {
				t.Fatalf("unbalanced braces in %s.%s", key, name)
			}
			fields[name] = s[start+1 : i]
			i++
		}
		out[key] = fields
	}
	return out
}

func TestBibTeXParsesBack(t *testing.T) {
	out, groups := export(t, "bibtex", nil)
	bib := parseBibTeX(t, out)
	if len(bib) != Len(groups) {
		t.Fatalf("%d BibTeX entries, want %d:\n%s", len(bib), Len(groups), out)
	}
	ca := bib["ca-partnerships"]
	if ca["title"] != "{National Security Guidelines for Research Partnerships}" || ca["author"] != "{Government of Canada}" ||
		ca["year"] != "2021" || ca["month"] != "jul" || ca["url"] != "https://example.org/ca-partnerships" {
		t.Errorf("ca-partnerships = %v", ca)
	}
	us := bib["us-framework"]["title"]
	for _, want := range []string{`\{International\}`, `R\&D 100\%`, `\#1\_a`, `\textasciitilde{}`} {
		if !strings.Contains(us, want) {
			t.Errorf("title %q lacks %q", us, want)
		}
	}
}

func TestRISParsesBack(t *testing.T) {
	out, groups := export(t, "ris", nil)
	var records []map[string][]string
	cur := map[string][]string{}
	sc := bufio.NewScanner(strings.NewReader(out))
	line := regexp.MustCompile(`^([A-Z][A-Z0-9])  - (.*)$`)
	for sc.Scan() {
		l := strings.TrimRight(sc.Text(), "\r")
		if l == "" {
			continue
		}
		m := line.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("not an RIS line: %q", l)
		}
		if m[1] == "ER" {
			records = append(records, cur)
			cur = map[string][]string{}
			continue
		}
		cur[m[1]] = append(cur[m[1]], m[2])
	}
	if len(records) != Len(groups) {
		t.Fatalf("%d RIS records, want %d", len(records), Len(groups))
	}
	for i, e := range entries(groups) {
		r := records[i]
		if r["TY"][0] == "" || r["TI"][0] != e.Title || r["ID"][0] != e.ID {
			t.Errorf("record %d = %v", i, r)
		}
	}
	if r := records[0]; r["DA"][0] != "2021/07//" || r["PY"][0] != "2021" || !slices.Contains(r["KW"], "due-diligence") {
		t.Errorf("ca record = %v", r)
	}
	if ty := records[4]["TY"][0]; ty != "GOVDOC" {
		t.Errorf("recommendation TY = %s", ty)
	}
}

func TestMarkdownParsesBack(t *testing.T) {
	out, groups := export(t, "md", nil)
	var h2, items []string
	link := regexp.MustCompile(`^- \[(.*?)\]\(<(.*?)>\)`)
	for _, l := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(l, "## "):
			h2 = append(h2, strings.TrimPrefix(l, "## "))
		case strings.HasPrefix(l, "- "):
			items = append(items, l)
		}
	}
	if !slices.Equal(h2, []string{"Canada", "Netherlands", "United Kingdom", "United States", "European Union"}) {
		t.Errorf("sections = %v", h2)
	}
	if len(items) != Len(groups) {
		t.Fatalf("%d items, want %d", len(items), Len(groups))
	}
	m := link.FindStringSubmatch(items[0])
	if m == nil || m[1] != "National Security Guidelines for Research Partnerships" || m[2] != "https://example.org/ca-partnerships" {
		t.Errorf("first item = %q", items[0])
	}
	if !strings.Contains(items[2], "Trusted Research Guidance for Academia — National Protective Security Authority, 2019-10") {
		t.Errorf("item without URL = %q", items[2])
	}
	if !strings.Contains(out, `\[draft\] \<b\>`) {
		t.Errorf("markup in a title is not escaped:\n%s", out)
	}
}

func TestCSVFormulaGuard(t *testing.T) {
	if got := csvSafe("=HYPERLINK(1)"); got != "'=HYPERLINK(1)" {
		t.Errorf("csvSafe = %q", got)
	}
}
