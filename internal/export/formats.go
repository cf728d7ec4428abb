package export

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
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
				if e.Issuer != "" {
					meta = append(meta, mdEscape(e.Issuer))
				}
				if e.Published != "" {
					meta = append(meta, e.Published)
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

func writeCSV(w io.Writer, groups []Group, opts Options) error {
	cw := csv.NewWriter(w)
	cw.Write(CSVHeader)
	each(groups, func(g Group, _ TypeGroup, e *content.Entry) error {
		return cw.Write([]string{e.ID, CSVSafe(e.Title), CSVSafe(e.Issuer), g.Name, strings.Join(e.Countries, ";"),
			e.Type, e.Published, e.SourceURL, e.Language, statusOf(e), e.SupersededBy, strings.Join(e.Topics, ";"),
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
				jg.Entries = append(jg.Entries, jsonEntry{ID: e.ID, Title: e.Title, Issuer: e.Issuer, Jurisdiction: g.Code,
					Countries: e.Countries, Type: e.Type, Published: e.Published, URL: e.SourceURL, Language: e.Language,
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
		field("author", "{"+bibtexEscape(e.Issuer)+"}")
		if kind == "techreport" {
			field("institution", bibtexEscape(e.Issuer))
		}
		if len(e.Published) >= 4 {
			field("year", e.Published[:4])
		}
		if len(e.Published) >= 7 {
			var m int
			fmt.Sscanf(e.Published[5:7], "%d", &m)
			if m >= 1 && m <= 12 {
				fmt.Fprintf(&b, "  month = %s,\n", months[m-1])
			}
		}
		field("url", safeURL(e.SourceURL))
		field("language", content.LanguageName(e.Language))
		field("abstract", bibtexEscape(e.Summary))
		field("keywords", bibtexEscape(strings.Join(append(append([]string{}, e.Topics...), e.Themes...), ", ")))
		note := content.TypeVocab.Label(e.Type) + "; " + strings.Join(countryNames(e.Countries), ", ")
		if !e.IsActive() {
			note += "; " + content.StatusVocab.Label(e.Status)
		}
		if u := atlasURL(opts, e); u != "" {
			note += "; Research Security Atlas: \\url{" + safeURL(u) + "}"
		}
		field("note", note)
		field("urldate", e.LastVerified)
		b.WriteString("}\n\n")
		return nil
	})
	_, err := io.WriteString(w, b.String())
	return err
}

// risType maps an entry type to an RIS reference type.
var risType = map[string]string{
	"report": "RPRT", "legislation": "STAT", "portal": "ELEC", "training": "ELEC", "programme": "ELEC",
	"statement": "GEN",
}

func writeRIS(w io.Writer, groups []Group, opts Options) error {
	var b strings.Builder
	each(groups, func(_ Group, _ TypeGroup, e *content.Entry) error {
		tag := func(t, v string) {
			if v = strings.TrimSpace(oneLine(v)); v != "" {
				fmt.Fprintf(&b, "%s  - %s\r\n", t, v)
			}
		}
		ty := risType[e.Type]
		if ty == "" {
			ty = "GOVDOC"
		}
		tag("TY", ty)
		tag("ID", e.ID)
		tag("TI", e.Title)
		tag("AU", e.Issuer)
		tag("PB", e.Issuer)
		if len(e.Published) >= 4 {
			tag("PY", e.Published[:4])
			parts := strings.Split(e.Published, "-")
			for len(parts) < 3 {
				parts = append(parts, "")
			}
			tag("DA", strings.Join(parts, "/")+"/")
		}
		tag("UR", e.SourceURL)
		tag("AB", e.Summary)
		tag("LA", content.LanguageName(e.Language))
		for _, k := range append(append([]string{}, e.Topics...), e.Themes...) {
			tag("KW", k)
		}
		tag("CY", strings.Join(countryNames(e.Countries), ", "))
		tag("Y2", e.LastVerified)
		tag("N1", strings.TrimSpace(content.TypeVocab.Label(e.Type)+". "+statusNote(e)+atlasNote(opts, e)))
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
