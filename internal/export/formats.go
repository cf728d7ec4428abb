package export

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/research-security-atlas/atlas/internal/content"
)

func writeMarkdown(w io.Writer, groups []Group, opts Options) error {
	title := opts.Title
	if title == "" {
		title = "Research security reading list"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n%d entries.\n", mdEscape(title), Len(groups))
	for _, g := range groups {
		fmt.Fprintf(&b, "\n## %s\n", mdEscape(g.Name))
		for _, t := range g.Types {
			fmt.Fprintf(&b, "\n### %s\n\n", mdEscape(t.Label))
			for _, e := range t.Entries {
				b.WriteString("- ")
				if e.SourceURL != "" {
					fmt.Fprintf(&b, "[%s](<%s>)", mdEscape(e.Title), safeURL(e.SourceURL))
				} else {
					b.WriteString(mdEscape(e.Title))
				}
				var meta []string
				if c := creator(e); c != "" {
					meta = append(meta, mdEscape(c))
				}
				if w := e.When(); w != "" {
					meta = append(meta, w)
				}
				if !e.IsActive() {
					meta = append(meta, content.StatusVocab.Label(e.Status))
				}
				if len(meta) > 0 {
					fmt.Fprintf(&b, " — %s", strings.Join(meta, ", "))
				}
				if e.Summary != "" {
					fmt.Fprintf(&b, ". %s", mdEscape(strings.TrimSuffix(e.Summary, ".")+"."))
				}
				if u := atlasURL(opts, e); u != "" {
					fmt.Fprintf(&b, " ([in the Atlas](<%s>))", safeURL(u))
				}
				b.WriteString("\n")
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdEscape keeps text from being read as Markdown syntax, on one line.
func mdEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "[", `\[`, "]", `\]`, "*", `\*`, "_", `\_`, "`", "\\`", "<", `\<`, ">", `\>`, "#", `\#`, "|", `\|`)
	return r.Replace(oneLine(s))
}

// oneLine turns every control character, and the Unicode line and paragraph separators, into
// a space: some reader of each format ends a line, and with it a field, at any of them (a lone
// carriage return starts a new RIS tag).
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
}

// safeURL percent-encodes what would end a URL early in an export: braces and backslashes
// (a BibTeX field, \url), angle brackets (a Markdown link), quotes, spaces and control
// characters. The address stays the same for every client that follows it.
func safeURL(u string) string {
	var b strings.Builder
	for _, r := range u {
		if r <= ' ' || r == 0x7f || strings.ContainsRune(`{}\<>"`+"`", r) || unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			var buf [utf8.UTFMax]byte
			for _, c := range buf[:utf8.EncodeRune(buf[:], r)] {
				fmt.Fprintf(&b, "%%%02X", c)
			}
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// CSVHeader is the first row of the CSV export.
var CSVHeader = []string{"id", "title", "issuer", "jurisdiction", "countries", "type", "published", "url",
	"language", "status", "superseded_by", "topics", "stages", "phases", "audiences", "themes", "summary",
	"last_verified", "atlas_url"}

// bom starts the CSV export so that Excel reads it as UTF-8 ("é", "–") rather than in the
// system's code page; encoding/csv and most other readers skip or keep it as part of the first
// header cell, which is why the header's first column is an id.
const bom = "\ufeff"

func writeCSV(w io.Writer, groups []Group, opts Options) error {
	if _, err := io.WriteString(w, bom); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write(CSVHeader)
	each(groups, func(g Group, _ TypeGroup, e *content.Entry) error {
		return cw.Write([]string{e.ID, CSVSafe(e.Title), CSVSafe(creator(e)), g.Name, strings.Join(e.Countries, ";"),
			typeOf(e), e.When(), e.SourceURL, e.Language, statusOf(e), e.SupersededBy, strings.Join(e.Topics, ";"),
			strings.Join(e.Stages, ";"), strings.Join(e.Phases, ";"), strings.Join(e.Audiences, ";"),
			strings.Join(e.Themes, ";"), CSVSafe(e.Summary), e.LastVerified, atlasURL(opts, e)})
	})
	cw.Flush()
	return cw.Error()
}

// CSVSafe stops a spreadsheet from reading a cell as a formula.
func CSVSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func statusOf(e *content.Entry) string {
	if e.Status == "" {
		return "active"
	}
	return e.Status
}

type jsonEntry struct {
	ID           string   `json:"id"`
	Title        string   `json:"title"`
	Issuer       string   `json:"issuer"`
	Jurisdiction string   `json:"jurisdiction"`
	Countries    []string `json:"countries"`
	Type         string   `json:"type"`
	Published    string   `json:"published,omitempty"`
	URL          string   `json:"url,omitempty"`
	Language     string   `json:"language"`
	Status       string   `json:"status"`
	SupersededBy string   `json:"superseded_by,omitempty"`
	Topics       []string `json:"topics"`
	Stages       []string `json:"stages"`
	Phases       []string `json:"phases"`
	Audiences    []string `json:"audiences"`
	Themes       []string `json:"themes"`
	Summary      string   `json:"summary"`
	LastVerified string   `json:"last_verified"`
	AtlasURL     string   `json:"atlas_url,omitempty"`
}

type jsonGroup struct {
	Code    string      `json:"code"`
	Name    string      `json:"name"`
	Entries []jsonEntry `json:"entries"`
}

func writeJSON(w io.Writer, groups []Group, opts Options) error {
	out := struct {
		Total  int         `json:"total"`
		Groups []jsonGroup `json:"groups"`
	}{Total: Len(groups), Groups: []jsonGroup{}}
	for _, g := range groups {
		jg := jsonGroup{Code: g.Code, Name: g.Name}
		for _, t := range g.Types {
			for _, e := range t.Entries {
				jg.Entries = append(jg.Entries, jsonEntry{ID: e.ID, Title: e.Title, Issuer: creator(e), Jurisdiction: g.Code,
					Countries: e.Countries, Type: typeOf(e), Published: e.When(), URL: e.SourceURL, Language: e.Language,
					Status: statusOf(e), SupersededBy: e.SupersededBy, Topics: nonNil(e.Topics), Stages: nonNil(e.Stages),
					Phases: nonNil(e.Phases), Audiences: nonNil(e.Audiences), Themes: nonNil(e.Themes), Summary: e.Summary,
					LastVerified: e.LastVerified, AtlasURL: atlasURL(opts, e)})
			}
		}
		out.Groups = append(out.Groups, jg)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// bibtexEscape protects the characters BibTeX and LaTeX treat specially, on one line.
func bibtexEscape(s string) string {
	r := strings.NewReplacer(`\`, `\textbackslash{}`, "{", `\{`, "}", `\}`, "&", `\&`, "%", `\%`, "$", `\$`,
		"#", `\#`, "_", `\_`, "~", `\textasciitilde{}`, "^", `\textasciicircum{}`)
	return r.Replace(oneLine(s))
}

var months = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

func writeBibTeX(w io.Writer, groups []Group, opts Options) error {
	var b strings.Builder
	each(groups, func(_ Group, _ TypeGroup, e *content.Entry) error {
		kind := "misc"
		if e.Type == "report" {
			kind = "techreport"
		}
		fmt.Fprintf(&b, "@%s{%s,\n", kind, e.ID)
		field := func(name, value string) {
			if value != "" {
				fmt.Fprintf(&b, "  %s = {%s},\n", name, value)
			}
		}
		field("title", "{"+bibtexEscape(e.Title)+"}")
		// Double braces keep a corporate author whole instead of being split into names.
		if c := creator(e); c != "" {
			field("author", "{"+bibtexEscape(c)+"}")
			if kind == "techreport" {
				field("institution", bibtexEscape(c))
			}
		}
		// A year wherever there is a date: the publication, or the workshop for a finding.
		y, m, _ := dateParts(e.When())
		if y > 0 {
			field("year", fmt.Sprint(y))
		}
		if m > 0 {
			fmt.Fprintf(&b, "  month = %s,\n", months[m-1])
		}
		field("url", safeURL(e.SourceURL))
		field("language", content.LanguageName(e.Language))
		field("abstract", bibtexEscape(e.Summary))
		field("keywords", bibtexEscape(strings.Join(keywords(e), ", ")))
		note := typeLabel(e) + "; " + strings.Join(countryNames(e.Countries), ", ")
		if !e.IsActive() {
			note += "; " + content.StatusVocab.Label(e.Status)
		}
		if u := atlasURL(opts, e); u != "" {
			note += "; Research Security Atlas: \\url{" + safeURL(u) + "}"
		}
		field("note", note)
		// urldate is the day the url was visited: meaningless without one.
		if e.SourceURL != "" {
			field("urldate", e.LastVerified)
		}
		b.WriteString("}\n\n")
		return nil
	})
	_, err := io.WriteString(w, b.String())
	return err
}

// risType maps an entry type to an RIS reference type.
var risType = map[string]string{
	"report": "RPRT", "legislation": "STAT", "portal": "ELEC", "training": "ELEC", "programme": "ELEC",
	"statement": "GEN", FindingType: "CONF",
}

func writeRIS(w io.Writer, groups []Group, opts Options) error {
	var b strings.Builder
	each(groups, func(_ Group, _ TypeGroup, e *content.Entry) error {
		tag := func(t, v string) {
			if v = strings.TrimSpace(oneLine(v)); v != "" {
				fmt.Fprintf(&b, "%s  - %s\r\n", t, v)
			}
		}
		ty := risType[typeOf(e)]
		if ty == "" {
			ty = "GOVDOC"
		}
		tag("TY", ty)
		tag("ID", e.ID)
		tag("TI", e.Title)
		// A trailing comma is the RIS (and EndNote) way of writing a corporate author: the name
		// is all "last name", so Zotero and EndNote do not invert "Government of Canada" into
		// a person called Canada, Government of.
		if c := creator(e); c != "" {
			tag("AU", strings.ReplaceAll(c, ",", "")+",")
			tag("PB", c)
		}
		if when := e.When(); len(when) >= 4 {
			tag("PY", when[:4])
			parts := strings.Split(when, "-")
			for len(parts) < 3 {
				parts = append(parts, "")
			}
			tag("DA", strings.Join(parts, "/")+"/")
		}
		tag("UR", e.SourceURL)
		tag("AB", e.Summary)
		tag("LA", content.LanguageName(e.Language))
		for _, k := range keywords(e) {
			tag("KW", k)
		}
		tag("CY", strings.Join(countryNames(e.Countries), ", "))
		if e.SourceURL != "" {
			tag("Y2", e.LastVerified)
		}
		tag("N1", strings.TrimSpace(typeLabel(e)+". "+statusNote(e)+atlasNote(opts, e)))
		b.WriteString("ER  - \r\n\r\n")
		return nil
	})
	_, err := io.WriteString(w, b.String())
	return err
}

func statusNote(e *content.Entry) string {
	if e.IsActive() {
		return ""
	}
	return content.StatusVocab.Label(e.Status) + ". "
}

func atlasNote(opts Options, e *content.Entry) string {
	if u := atlasURL(opts, e); u != "" {
		return "Research Security Atlas: " + u
	}
	return ""
}

// keywords are an entry's topics and themes by their labels, as a reference manager shows them
// for tags; the machine formats (CSV, JSON) keep the ids.
func keywords(e *content.Entry) []string {
	var out []string
	for _, t := range e.Topics {
		out = append(out, content.TopicVocab.Label(t))
	}
	for _, t := range e.Themes {
		out = append(out, content.ThemeVocab.Label(t))
	}
	return out
}

// creator is who an entry is by: its issuer, or for a finding the jurisdiction that spoke.
func creator(e *content.Entry) string {
	if e.Issuer != "" {
		return e.Issuer
	}
	if e.Kind == content.Finding && len(e.Countries) > 0 {
		return content.CountryName(e.Countries[0])
	}
	return ""
}

// typeOf is the entry's type, or "finding" for a workshop finding.
func typeOf(e *content.Entry) string {
	if e.Kind == content.Finding {
		return FindingType
	}
	return e.Type
}

func typeLabel(e *content.Entry) string {
	if e.Kind == content.Finding {
		return "Workshop finding"
	}
	return content.TypeVocab.Label(e.Type)
}

// dateParts splits an ISO date (YYYY, YYYY-MM or YYYY-MM-DD) into numbers; missing or
// malformed parts are 0.
func dateParts(d string) (y, m, day int) {
	parts := strings.Split(d, "-")
	n := make([]int, 3)
	for i := 0; i < len(parts) && i < 3; i++ {
		v, err := strconv.Atoi(parts[i])
		if err != nil {
			break
		}
		n[i] = v
	}
	y, m, day = n[0], n[1], n[2]
	if y < 1000 {
		return 0, 0, 0
	}
	if m < 1 || m > 12 {
		return y, 0, 0
	}
	if day < 1 || day > 31 {
		day = 0
	}
	return y, m, day
}

// cslType maps an entry type to a type of CSL 1.0.2's closed list (csl-data.json).
var cslType = map[string]string{
	"legislation": "legislation", "report": "report", "guideline": "report", "framework": "report",
	"strategy": "report", "principles": "report", "recommendation": "report",
	"portal": "webpage", "programme": "webpage", "training": "webpage",
	"toolkit": "document", "checklist": "document", "self-assessment": "document", "statement": "document",
	FindingType: "speech",
}

type cslName struct {
	Literal string `json:"literal"`
}

type cslDate struct {
	DateParts [][]int `json:"date-parts"`
}

type cslItem struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"`
	Title     string    `json:"title"`
	Author    []cslName `json:"author,omitempty"`
	Authority string    `json:"authority,omitempty"`
	Publisher string    `json:"publisher,omitempty"`
	Issued    *cslDate  `json:"issued,omitempty"`
	Accessed  *cslDate  `json:"accessed,omitempty"`
	URL       string    `json:"URL,omitempty"`
	Language  string    `json:"language,omitempty"`
	Abstract  string    `json:"abstract,omitempty"`
	Keyword   string    `json:"keyword,omitempty"`
	Genre     string    `json:"genre,omitempty"`
	Status    string    `json:"status,omitempty"`
	Event     string    `json:"event,omitempty"`
	Juris     string    `json:"jurisdiction,omitempty"`
	Note      string    `json:"note,omitempty"`
}

func cslDateOf(d string) *cslDate {
	y, m, day := dateParts(d)
	if y == 0 {
		return nil
	}
	parts := []int{y}
	if m > 0 {
		parts = append(parts, m)
		if day > 0 {
			parts = append(parts, day)
		}
	}
	return &cslDate{DateParts: [][]int{parts}}
}

// writeCSL writes CSL-JSON, the format citation processors and Zotero read natively: an array
// of items, corporate authors as {"literal": …} so no processor splits them into names.
func writeCSL(w io.Writer, groups []Group, opts Options) error {
	items := []cslItem{}
	each(groups, func(_ Group, _ TypeGroup, e *content.Entry) error {
		it := cslItem{ID: e.ID, Type: cslType[typeOf(e)], Title: e.Title, Issued: cslDateOf(e.When()),
			URL: e.SourceURL, Language: e.Language, Abstract: e.Summary, Genre: typeLabel(e),
			Keyword: strings.Join(keywords(e), ", "),
			Juris:   strings.Join(countryNames(e.Countries), ", ")}
		if it.Type == "" {
			it.Type = "document"
		}
		// A Council Recommendation is an act of EU law; a body's advice is a report, even when
		// the body is a national science council.
		if e.Type == "recommendation" && slices.Contains(e.Countries, "eu") && strings.Contains(e.Issuer, "Council of the European Union") {
			it.Type = "legislation"
		}
		if c := creator(e); c != "" {
			it.Author = []cslName{{Literal: c}}
			if it.Type == "legislation" {
				it.Authority = c // the legislative body, as Zotero's "Legislative Body"
			} else if e.Kind != content.Finding {
				it.Publisher = c
			}
		}
		if e.Kind == content.Finding {
			it.Event = "7th Multilateral Dialogue workshop on research security"
		}
		if e.SourceURL != "" {
			it.Accessed = cslDateOf(e.LastVerified)
		}
		if !e.IsActive() {
			it.Status = content.StatusVocab.Label(e.Status)
		}
		it.Note = atlasNote(opts, e)
		items = append(items, it)
		return nil
	})
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(items)
}
