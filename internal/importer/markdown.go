package importer

import (
	"fmt"
	"strings"

	"github.com/research-security-atlas/atlas/internal/content"
)

// Markdown renders the draft as a guidance content file: the commented front matter of
// "atlas new guidance" with the values found filled in, each under a note naming where it came
// from, and a body of the guidance sections with the page's outline. The fields the page
// cannot tell (type, topics, stages, phases, audiences) are left empty for the organiser.
func (p *Page) Markdown() ([]byte, error) {
	t := content.Template{
		Kind:  content.Guidance,
		Today: p.Today,
		Header: "Draft made by atlas import from a saved web page. Check every filled-in value " +
			"against the source, fill in the empty fields (\"atlas check\" names them), save the file " +
			"as content/guidance/{jurisdiction}-{short-slug}.md and rewrite the body in your own words.",
		Values: map[string][]string{},
		Notes:  map[string]string{},
	}
	for _, f := range []struct {
		name string
		vals []string
	}{
		{"title", one(p.Title)},
		{"countries", p.Countries},
		{"issuer", one(p.Issuer)},
		{"published", one(p.Published)},
		{"source_url", one(p.URL)},
		{"language", one(p.Language)},
		{"summary", one(p.Summary)},
	} {
		if len(f.vals) == 0 {
			t.Notes[f.name] = "TODO: not found in the page."
			if f.name == "countries" {
				t.Notes[f.name] = "TODO: not guessed from the page's domain."
			}
			continue
		}
		t.Values[f.name] = f.vals
		if src := p.Sources[f.name]; src != "" {
			t.Notes[f.name] = fmt.Sprintf("Imported from %s: check it.", src)
		}
	}
	if p.Sources["issuer"] == "<meta name=\"og:site_name\">" {
		t.Notes["issuer"] += " A portal's name (GOV.UK, Canada.ca) is not the issuer: name the body that published the page."
	}
	if p.Summary != "" {
		t.Notes["summary"] += " Rewrite it in your own words."
	}
	if p.Published == "" {
		t.Notes["published"] = "Not found in the page: leave it out unless you can confirm it."
	}
	if p.URL == "" {
		t.Notes["source_url"] = "Not found in the page: leave it out unless you can confirm it."
	}
	t.Body = p.body()
	return t.Render()
}

func one(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// body is the guidance sections with their prompts, the page's outline under "What it asks",
// and a note on top that the draft is to be rewritten.
func (p *Page) body() string {
	var b strings.Builder
	b.WriteString("> **Imported draft.** This entry was drafted by atlas import from a saved copy of the " +
		"source page. Rewrite it in your own words before publishing: facts (names, dates, titles, " +
		"URLs) carry over from the source, sentences do not. Delete this note when you are done.\n\n")
	for _, s := range content.BodySections(content.Guidance) {
		fmt.Fprintf(&b, "## %s\n%s\n\n", s.Heading, s.Prompt)
		if s.Heading == "What it asks" && len(p.Outline) > 0 {
			b.WriteString("The source page's outline, to work from:\n\n")
			top := false
			for _, h := range p.Outline {
				indent := ""
				if h.Level == 3 && top {
					indent = "  "
				}
				if h.Level == 2 {
					top = true
				}
				fmt.Fprintf(&b, "%s- %s\n", indent, escapeMarkdown(h.Text))
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

// escapeMarkdown backslash-escapes the characters that would make text from the page into
// Markdown markup: emphasis, links, code, HTML, or a list or heading marker at the start.
func escapeMarkdown(s string) string {
	var b strings.Builder
	for i, r := range s {
		if strings.ContainsRune("\\`*_[]<>#|~!&", r) || (i == 0 && strings.ContainsRune("+-=", r)) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	out := b.String()
	// "1. Scope" would start an ordered list.
	if n := len(out) - len(strings.TrimLeft(out, "0123456789")); n > 0 && n < len(out) && (out[n] == '.' || out[n] == ')') {
		out = out[:n] + `\` + out[n:]
	}
	return out
}

// SuggestedID proposes an id by the guidance pattern {jurisdiction}-{short-slug}, from the
// first country and the first words of the title; "" when either is missing.
func (p *Page) SuggestedID() string {
	if len(p.Countries) == 0 || p.Title == "" {
		return ""
	}
	var words []string
	for _, w := range strings.FieldsFunc(foldASCII(strings.ToLower(p.Title)), func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < '0' || r > '9')
	}) {
		if !slugStopWords[w] {
			words = append(words, w)
		}
		if len(words) == 6 {
			break
		}
	}
	if len(words) == 0 {
		return ""
	}
	id := p.Countries[0] + "-" + strings.Join(words, "-")
	if content.CheckID(id) != nil {
		return ""
	}
	return id
}

var slugStopWords = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "for": true, "and": true, "on": true,
	"in": true, "to": true, "de": true, "het": true, "een": true, "van": true, "voor": true,
	"en": true, "la": true, "le": true, "les": true, "des": true, "du": true, "et": true,
	"der": true, "die": true, "das": true, "und": true, "f": true, "s": true,
}

// foldASCII replaces the accented Latin letters of European languages by their base letters.
func foldASCII(s string) string {
	return strings.NewReplacer(
		"à", "a", "á", "a", "â", "a", "ã", "a", "ä", "a", "å", "a", "æ", "ae",
		"ç", "c", "č", "c", "è", "e", "é", "e", "ê", "e", "ë", "e", "ě", "e",
		"ì", "i", "í", "i", "î", "i", "ï", "i", "ñ", "n", "ň", "n",
		"ò", "o", "ó", "o", "ô", "o", "õ", "o", "ö", "o", "ø", "o", "œ", "oe",
		"ř", "r", "š", "s", "ß", "ss", "ù", "u", "ú", "u", "û", "u", "ü", "u", "ů", "u",
		"ý", "y", "ÿ", "y", "ž", "z", "ł", "l", "đ", "d", "ð", "d", "þ", "th",
	).Replace(s)
}
