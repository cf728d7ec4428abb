package export

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
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
	// A byte-order mark first, so that Excel reads the file as UTF-8.
	if !strings.HasPrefix(out, "\ufeff") {
		t.Fatalf("CSV does not start with a UTF-8 byte-order mark: %q", out[:min(len(out), 10)])
	}
	out = strings.TrimPrefix(out, "\ufeff")
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
	for _, e := range entries(groups) {
		f := bib[e.ID]
		if f["year"] == "" {
			t.Errorf("%s: no year, though published %s", e.ID, e.When())
		}
		if _, ok := f["urldate"]; ok && f["url"] == "" {
			t.Errorf("%s: urldate without a url", e.ID)
		}
		if f["author"] != "{"+bibtexEscape(e.Issuer)+"}" {
			t.Errorf("%s: author = %q, want the issuer in double braces", e.ID, f["author"])
		}
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
	if r := records[0]; r["DA"][0] != "2021/07//" || r["PY"][0] != "2021" || !slices.Contains(r["KW"], "Due diligence") {
		t.Errorf("ca record = %v", r)
	}
	if ty := records[4]["TY"][0]; ty != "GOVDOC" {
		t.Errorf("recommendation TY = %s", ty)
	}
	// Corporate authors: a reference manager splits AU at the comma into last and first name;
	// the last name must be the whole issuer and the first name empty.
	for i, e := range entries(groups) {
		au := records[i]["AU"]
		if len(au) != 1 {
			t.Errorf("%s: AU = %q, want one corporate author", e.ID, au)
			continue
		}
		last, first, ok := strings.Cut(au[0], ",")
		if !ok || last != e.Issuer || strings.TrimSpace(first) != "" {
			t.Errorf("%s: AU %q reads as last %q, first %q; want the corporate author %q whole", e.ID, au[0], last, first, e.Issuer)
		}
		if _, hasURL := records[i]["UR"]; !hasURL && records[i]["Y2"] != nil {
			t.Errorf("%s: access date Y2 without a URL", e.ID)
		}
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
	if got := CSVSafe("=HYPERLINK(1)"); got != "'=HYPERLINK(1)" {
		t.Errorf("csvSafe = %q", got)
	}
}

// cslSchema is the shape csl-data.json (CSL 1.0.2, citation-style-language/schema) requires of
// an item: "type" from a closed list and "id" required, no other properties than the schema's,
// names as objects of name parts, dates as {"date-parts": [[y, m?, d?]]}. It lists the
// properties the Atlas could ever write, with their kind; anything else is an error, as
// "additionalProperties": false makes it.
var cslSchema = struct {
	types      []string
	properties map[string]string // name -> "string", "name" or "date"
	nameParts  []string
}{
	types: []string{"article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
		"broadcast", "chapter", "classic", "collection", "dataset", "document", "entry", "entry-dictionary",
		"entry-encyclopedia", "event", "figure", "graphic", "hearing", "interview", "legal_case", "legislation",
		"manuscript", "map", "motion_picture", "musical_score", "pamphlet", "paper-conference", "patent",
		"performance", "periodical", "personal_communication", "post", "post-weblog", "regulation", "report",
		"review", "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage"},
	properties: map[string]string{"id": "string", "type": "string", "title": "string", "author": "name",
		"authority": "string", "publisher": "string", "publisher-place": "string", "issued": "date",
		"accessed": "date", "URL": "string", "language": "string", "abstract": "string", "keyword": "string",
		"genre": "string", "status": "string", "event": "string", "jurisdiction": "string", "note": "string",
		"number": "string", "container-title": "string", "original-title": "string"},
	nameParts: []string{"family", "given", "literal", "suffix", "dropping-particle", "non-dropping-particle"},
}

// checkCSL validates raw against cslSchema and returns every problem found.
func checkCSL(raw []byte) []string {
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return []string{"not an array of objects: " + err.Error()}
	}
	var probs []string
	for i, it := range items {
		for _, req := range []string{"id", "type"} {
			if _, ok := it[req]; !ok {
				probs = append(probs, fmt.Sprintf("item %d: no %q", i, req))
			}
		}
		for k, v := range it {
			switch cslSchema.properties[k] {
			case "":
				probs = append(probs, fmt.Sprintf("item %d: property %q is not in csl-data.json", i, k))
			case "string":
				var s string
				if err := json.Unmarshal(v, &s); err != nil || s == "" {
					probs = append(probs, fmt.Sprintf("item %d: %s is not a non-empty string: %s", i, k, v))
				}
				if k == "type" && !slices.Contains(cslSchema.types, s) {
					probs = append(probs, fmt.Sprintf("item %d: type %q is not a CSL type", i, s))
				}
			case "name":
				var names []map[string]any
				if err := json.Unmarshal(v, &names); err != nil || len(names) == 0 {
					probs = append(probs, fmt.Sprintf("item %d: %s is not an array of names: %s", i, k, v))
				}
				for _, n := range names {
					for part, pv := range n {
						if _, ok := pv.(string); !ok || !slices.Contains(cslSchema.nameParts, part) {
							probs = append(probs, fmt.Sprintf("item %d: %s has a bad name part %q", i, k, part))
						}
					}
				}
			case "date":
				var d map[string]json.RawMessage
				if err := json.Unmarshal(v, &d); err != nil {
					probs = append(probs, fmt.Sprintf("item %d: %s is not a date object: %s", i, k, v))
					break
				}
				var parts [][]int
				if err := json.Unmarshal(d["date-parts"], &parts); err != nil || len(d) != 1 || len(parts) < 1 || len(parts) > 2 {
					probs = append(probs, fmt.Sprintf("item %d: %s is not {\"date-parts\": [[…]]}: %s", i, k, v))
					break
				}
				for _, p := range parts {
					if len(p) < 1 || len(p) > 3 || p[0] < 1000 || (len(p) > 1 && (p[1] < 1 || p[1] > 12)) || (len(p) > 2 && (p[2] < 1 || p[2] > 31)) {
						probs = append(probs, fmt.Sprintf("item %d: %s has bad date parts %v", i, k, p))
					}
				}
			}
		}
	}
	return probs
}

func TestCSLValidAndParsesBack(t *testing.T) {
	out, groups := export(t, "csl", nil)
	for _, p := range checkCSL([]byte(out)) {
		t.Error(p)
	}
	var items []struct {
		ID, Type, Title, Authority, URL string
		Author                          []map[string]string
		Issued                          struct {
			DateParts [][]int `json:"date-parts"`
		}
		Accessed *struct{} `json:"accessed"`
	}
	if err := json.Unmarshal([]byte(out), &items); err != nil {
		t.Fatal(err)
	}
	es := entries(groups)
	if len(items) != len(es) {
		t.Fatalf("%d CSL items, want %d", len(items), len(es))
	}
	want := map[string]string{"ca-partnerships": "report", "eu-council": "legislation", "us-framework": "report"}
	for i, e := range es {
		it := items[i]
		if it.ID != e.ID || it.Title != e.Title {
			t.Errorf("item %d = %s %q, want %s %q", i, it.ID, it.Title, e.ID, e.Title)
		}
		if len(it.Author) != 1 || it.Author[0]["literal"] != e.Issuer || len(it.Author[0]) != 1 {
			t.Errorf("%s: author = %v, want one literal %q", e.ID, it.Author, e.Issuer)
		}
		if ty, ok := want[e.ID]; ok && it.Type != ty {
			t.Errorf("%s: type %q, want %q", e.ID, it.Type, ty)
		}
		if it.URL == "" && it.Accessed != nil {
			t.Errorf("%s: accessed without a URL", e.ID)
		}
	}
	if it := items[4]; it.Authority != "Council of the European Union" || !slices.Equal(it.Issued.DateParts[0], []int{2024, 5, 23}) {
		t.Errorf("eu-council = %+v", it)
	}
	if got := items[0].Issued.DateParts; len(got) != 1 || !slices.Equal(got[0], []int{2021, 7}) {
		t.Errorf("ca-partnerships issued = %v, want [[2021 7]]", got)
	}
	// The schema check itself refuses what is wrong.
	for _, bad := range []string{`[{"id": "x"}]`, `[{"id": "x", "type": "guideline"}]`, `[{"id": "x", "type": "report", "author": [{"name": "X"}]}]`,
		`[{"id": "x", "type": "report", "issued": {"date-parts": [[2021, 13]]}}]`, `[{"id": "x", "type": "report", "urldate": "2021"}]`} {
		if len(checkCSL([]byte(bad))) == 0 {
			t.Errorf("checkCSL(%s) found nothing wrong", bad)
		}
	}
}

// TestBibTeXWithBibtool has bibtool, a strict BibTeX reader, parse the export and print it
// back; any syntax error is reported on stderr. It skips where bibtool is not installed
// (apt-get install bibtool; .ci/run installs it).
func TestBibTeXWithBibtool(t *testing.T) {
	bin, err := exec.LookPath("bibtool")
	if err != nil {
		t.Skip("bibtool not installed (apt-get install bibtool)")
	}
	out, groups := export(t, "bibtex", nil)
	cmd := exec.Command(bin, "-r", "/dev/null", "--", "print.line.length=1000")
	cmd.Stdin = strings.NewReader(out)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("bibtool: %v\n%s", err, stderr.String())
	}
	keys := regexp.MustCompile(`(?m)^@\w+\{\s*([a-z0-9-]+),`).FindAllStringSubmatch(stdout.String(), -1)
	if len(keys) != Len(groups) {
		t.Errorf("bibtool read %d entries back, want %d:\n%s", len(keys), Len(groups), stdout.String())
	}
	if !strings.Contains(stdout.String(), "{{Government of Canada}}") {
		t.Errorf("bibtool lost the corporate author's braces:\n%s", stdout.String())
	}
}

func TestSelect(t *testing.T) {
	cat := mustCatalog(t)
	ids := func(groups []Group) []string {
		var out []string
		for _, e := range entries(groups) {
			out = append(out, e.ID)
		}
		return out
	}
	cat.Jurisdictions[2].Guidance[0].Status = "superseded" // gb-trusted
	for _, test := range []struct {
		name    string
		filters map[string][]string
		sel     Selection
		want    []string
	}{
		{"default leaves out superseded", nil, Selection{}, []string{"ca-partnerships", "nl-guidelines", "us-framework", "eu-council"}},
		{"superseded asked for", nil, Selection{Superseded: true}, []string{"ca-partnerships", "nl-guidelines", "gb-trusted", "us-framework", "eu-council"}},
		{"hand-picked, in list order", nil, Selection{IDs: []string{"eu-council", "gb-trusted", "f-nl-key-elements"}}, []string{"f-nl-key-elements", "gb-trusted", "eu-council"}},
		{"hand-picked and filtered", map[string][]string{"country": {"eu"}}, Selection{IDs: []string{"eu-council", "gb-trusted"}}, []string{"eu-council"}},
		{"findings only", nil, Selection{Kinds: []content.Kind{content.Finding}}, []string{"f-ca-research-stages", "f-nl-key-elements"}},
		{"guidance and findings", map[string][]string{"country": {"nl"}}, Selection{Kinds: []content.Kind{content.Guidance, content.Finding}}, []string{"nl-guidelines", "f-nl-key-elements"}},
		{"search hits", nil, Selection{Only: map[string]bool{"nl-guidelines": true, "gb-trusted": true}}, []string{"nl-guidelines"}},
	} {
		if got := ids(Select(cat, test.filters, test.sel)); !slices.Equal(got, test.want) {
			t.Errorf("%s: Select = %v, want %v", test.name, got, test.want)
		}
	}
	// Findings export too: a year, the country as corporate author, a valid CSL type.
	groups := Select(cat, nil, Selection{Kinds: []content.Kind{content.Finding}})
	var buf bytes.Buffer
	if err := Write(&buf, Format{Name: "csl"}, groups, opts); err != nil {
		t.Fatal(err)
	}
	for _, p := range checkCSL(buf.Bytes()) {
		t.Error(p)
	}
	buf.Reset()
	Write(&buf, Format{Name: "bibtex"}, groups, opts)
	if f := parseBibTeX(t, buf.String())["f-nl-key-elements"]; f["year"] != "2023" || f["author"] != "{Netherlands}" {
		t.Errorf("finding in BibTeX = %v", f)
	}
}

// TestRealCorpusExports exports every guidance entry and finding of the real content/,
// superseded ones included, and reads each format back: the CSL schema check, the strict RIS
// and CSV readers, and bibtool when installed.
func TestRealCorpusExports(t *testing.T) {
	corpus, _, err := content.Load(os.DirFS("../../content"), ".", content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	groups := Select(content.NewCatalog(corpus), nil, Selection{Kinds: []content.Kind{content.Guidance, content.Finding}, Superseded: true})
	n := Len(groups)
	write := func(name string) string {
		var buf bytes.Buffer
		f, _ := FormatByName(name)
		if err := Write(&buf, f, groups, opts); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	for _, p := range checkCSL([]byte(write("csl"))) {
		t.Error(p)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(write("csv"), "\ufeff"))).ReadAll()
	if err != nil || len(rows) != n+1 {
		t.Errorf("CSV: %d rows, %v; want %d", len(rows), err, n+1)
	}
	ris := write("ris")
	if got := strings.Count(ris, "\r\nER  - \r\n"); got != n {
		t.Errorf("RIS: %d records, want %d", got, n)
	}
	for _, l := range strings.Split(ris, "\r\n") {
		if l != "" && !regexp.MustCompile(`^[A-Z][A-Z0-9]  - `).MatchString(l) {
			t.Errorf("RIS: not a tag line: %q", l)
		}
	}
	if bib := parseBibTeX(t, write("bibtex")); len(bib) != n {
		t.Errorf("BibTeX: %d entries, want %d", len(bib), n)
	}
	t.Logf("%d entries read back in CSL-JSON, CSV, RIS and BibTeX", n)
}

// A Council Recommendation of the EU is legislation in CSL; a national science council's
// recommendation is a report.
func TestCSLRecommendationType(t *testing.T) {
	cat := mustCatalog(t)
	for _, test := range []struct {
		issuer    string
		countries []string
		want      string
	}{
		{"Council of the European Union", []string{"eu"}, "legislation"},
		{"German Science and Humanities Council (Wissenschaftsrat)", []string{"de"}, "report"},
		{"Council of the European Union", []string{"de"}, "report"},
	} {
		e := *cat.Jurisdiction("ca").Guidance[0]
		e.Type, e.Issuer, e.Countries = "recommendation", test.issuer, test.countries
		var buf bytes.Buffer
		f, _ := FormatByName("csl")
		if err := Write(&buf, f, []Group{{Types: []TypeGroup{{Entries: []*content.Entry{&e}}}}}, opts); err != nil {
			t.Fatal(err)
		}
		var items []struct{ Type string }
		if err := json.Unmarshal(buf.Bytes(), &items); err != nil || len(items) != 1 {
			t.Fatalf("%v %s", err, buf.String())
		}
		if items[0].Type != test.want {
			t.Errorf("recommendation by %q (%v): CSL type %q, want %q", test.issuer, test.countries, items[0].Type, test.want)
		}
	}
}
