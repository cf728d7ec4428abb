// Package importer drafts a guidance entry from a web page saved as HTML, for "atlas import".
//
// Draft reads the page's metadata (Open Graph, Dublin Core, <meta> description and author,
// the canonical link, <html lang>) and its h2/h3 outline, keeping for each value the place it
// came from. Page.Markdown renders the draft as a content file through content.Template, so the
// draft has the same commented front matter as "atlas new guidance": the values found filled
// in, each under a note naming its source, and every other required field left empty for the
// organiser. The body carries the guidance sections, the page's outline and a note that the
// draft must be rewritten in the organiser's own words. Nothing is fetched from the network.
package importer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html/charset"

	"github.com/research-security-atlas/atlas/internal/content"
)

// MaxSize is the largest file Draft reads; saved pages are far smaller.
const MaxSize = 20 << 20

// Heading is one h2 or h3 of the page's main content.
type Heading struct {
	Level int // 2 or 3
	Text  string
}

// Page is what Draft found in a saved page: the values of a guidance entry it could fill in,
// the page's outline, and where each value came from. An empty field was not found.
type Page struct {
	Title     string
	Summary   string
	Issuer    string
	URL       string
	Published string // YYYY, YYYY-MM or YYYY-MM-DD
	Language  string // ISO 639-1
	Countries []string
	Outline   []Heading

	// Sources names where each value came from, by front-matter field: "og:title",
	// "<title>", "the domain www.gov.uk", ….
	Sources map[string]string
	// Today is the date last_verified is set to and dates are checked against.
	Today time.Time
}

// Draft reads a saved HTML page and returns what it found. It fails with an error that says
// what is wrong when the input is empty, binary, not HTML, larger than MaxSize, or holds
// nothing to draft from (no title, heading or paragraph).
func Draft(r io.Reader, today time.Time) (*Page, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading the page: %w", err)
	}
	if len(data) > MaxSize {
		return nil, fmt.Errorf("the file is larger than %d MB: not a saved web page", MaxSize>>20)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("the file is empty: save the web page as HTML and try again")
	}
	if what := binaryFormat(data); what != "" {
		return nil, fmt.Errorf("the file is %s, not an HTML page", what)
	}
	text, err := decode(data)
	if err != nil {
		return nil, err
	}
	if looksBinary(text) {
		return nil, errors.New("the file holds binary data, not an HTML page")
	}
	if !tagRe.MatchString(text) {
		return nil, errors.New("the file has no HTML tags: not an HTML page")
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("parsing the page: %w", err)
	}

	p := &Page{Sources: map[string]string{}, Today: today}
	pg := newPageData(doc, text)
	p.URL, p.Sources["source_url"] = pg.url(today)
	host := ""
	if u, err := url.Parse(p.URL); err == nil && p.URL != "" {
		host = strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	} else if pg.savedFrom != nil {
		host = strings.TrimSuffix(strings.ToLower(pg.savedFrom.Hostname()), ".")
	}
	siteName := pg.meta("og:site_name")
	p.Title, p.Sources["title"] = pg.title(siteName, host)
	p.Summary, p.Sources["summary"] = pg.summary()
	p.Issuer, p.Sources["issuer"] = pg.issuer(host)
	p.Published, p.Sources["published"] = pg.published(today)
	p.Language, p.Sources["language"] = pg.language(today)
	if c := countryOf(host); c != "" {
		p.Countries = []string{c}
		p.Sources["countries"] = "the domain " + host
	}
	p.Outline = pg.outline()
	if pg.bilingual(p.Language) {
		// Canadian pages give the title and description in both languages: "English / français".
		for _, f := range []struct {
			name string
			val  *string
		}{{"title", &p.Title}, {"summary", &p.Summary}} {
			if first, ok := firstLanguage(*f.val); ok {
				*f.val = first
				p.Sources[f.name] += " (its first half: the page is bilingual)"
			}
		}
	}
	for k, v := range p.Sources {
		if v == "" {
			delete(p.Sources, k)
		}
	}
	if p.Title == "" && p.Summary == "" && len(p.Outline) == 0 {
		return nil, errors.New("found no title, heading or paragraph to draft from: is it a saved web page?")
	}
	return p, nil
}

var (
	tagRe       = regexp.MustCompile(`<[A-Za-z!/?]`)
	savedFromRe = regexp.MustCompile(`<!-- saved from url=\(\d+\)(\S+?) ?-->`)
	dateRe      = regexp.MustCompile(`^(\d{4})(?:[-/](\d{2})(?:[-/](\d{2}))?)?(?:$|[T ]|[+-]\d{2}:|Z)`)
	langRe      = regexp.MustCompile(`^([A-Za-z]{2})(?:$|[-_])`)
)

// binaryFormat names the format of data when it starts like a common binary file.
func binaryFormat(data []byte) string {
	for _, m := range []struct{ magic, what string }{
		{"%PDF-", "a PDF (save the HTML page that links to it instead)"},
		{"PK\x03\x04", "a ZIP archive or an Office document"},
		{"\xd0\xcf\x11\xe0", "an Office document"},
		{"\x89PNG", "a PNG image"},
		{"\xff\xd8\xff", "a JPEG image"},
		{"GIF8", "a GIF image"},
		{"\x1f\x8b", "gzip-compressed"},
		{"\x7fELF", "a program"},
	} {
		if bytes.HasPrefix(data, []byte(m.magic)) {
			return m.what
		}
	}
	return ""
}

// decode converts the page to UTF-8 from the charset its BOM or <meta charset> declares;
// without one, invalid UTF-8 is read as Windows-1252, as browsers do.
func decode(data []byte) (string, error) {
	r, err := charset.NewReader(bytes.NewReader(data), "text/html")
	if err != nil {
		return "", fmt.Errorf("decoding the page: %w", err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		return "", fmt.Errorf("decoding the page: %w", err)
	}
	return strings.ToValidUTF8(string(out), "\uFFFD"), nil
}

// looksBinary reports whether the start of s holds NUL bytes or many control characters.
func looksBinary(s string) bool {
	if len(s) > 8192 {
		s = s[:8192]
	}
	if strings.ContainsRune(s, 0) {
		return true
	}
	bad, all := 0, 0
	for _, r := range s {
		all++
		if r == utf8.RuneError || (unicode.IsControl(r) && !unicode.IsSpace(r)) {
			bad++
		}
	}
	return bad*20 > all
}

// pageData is the parsed page with its <meta> values gathered once.
type pageData struct {
	doc       *goquery.Document
	metas     map[string]string // lower-cased name, property or http-equiv → first non-empty content
	main      *goquery.Selection
	savedFrom *url.URL
}

func newPageData(doc *goquery.Document, text string) *pageData {
	pg := &pageData{doc: doc, metas: map[string]string{}}
	doc.Find("meta").Each(func(_ int, m *goquery.Selection) {
		val := clean(m.AttrOr("content", ""))
		if val == "" {
			return
		}
		for _, attr := range []string{"property", "name", "http-equiv", "itemprop"} {
			if k := strings.ToLower(strings.TrimSpace(m.AttrOr(attr, ""))); k != "" {
				if _, seen := pg.metas[k]; !seen {
					pg.metas[k] = val
				}
			}
		}
	})
	for _, sel := range []string{"main", "[role=main]", "article", "#content", "body"} {
		if s := doc.Find(sel).First(); s.Length() > 0 {
			pg.main = s
			break
		}
	}
	if pg.main == nil {
		pg.main = doc.Selection
	}
	// Browsers mark a saved page with the address it came from.
	if m := savedFromRe.FindStringSubmatch(text); m != nil {
		if u, err := url.Parse(m[1]); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
			pg.savedFrom = u
		}
	}
	return pg
}

// meta returns the first non-empty content of the <meta> elements with any of the names.
func (pg *pageData) meta(names ...string) string {
	v, _ := pg.metaFrom(names...)
	return v
}

// metaFrom is meta that also says which name it found.
func (pg *pageData) metaFrom(names ...string) (string, string) {
	for _, n := range names {
		if v := pg.metas[strings.ToLower(n)]; v != "" {
			return v, n
		}
	}
	return "", ""
}

// chrome matches the parts of a page around its content.
const chrome = "nav, header, footer, aside, form, [role=navigation], [role=banner], [role=contentinfo], [role=search], [aria-hidden=true]"

// inChrome reports whether s lies in navigation, a header or footer, or a cookie banner.
func inChrome(s *goquery.Selection) bool {
	if s.Closest(chrome).Length() > 0 {
		return true
	}
	return s.Closest(`[class*="cookie"], [id*="cookie"], [class*="Cookie"], [id*="Cookie"]`).Length() > 0
}

func (pg *pageData) title(siteName, host string) (string, string) {
	tidy := func(t string) string {
		return content.Shorten(fileNoteRe.ReplaceAllString(trimSiteSuffix(clean(t), siteName, host), ""), 300)
	}
	if t := tidy(pg.meta("og:title")); t != "" {
		return t, "og:title"
	}
	for _, sel := range []string{"head title", "title"} {
		if t := tidy(pg.doc.Find(sel).First().Text()); t != "" {
			return t, "<title>"
		}
	}
	if t := tidy(pg.doc.Find("h1").First().Text()); t != "" {
		return t, "the first <h1>"
	}
	return "", ""
}

// fileNoteRe matches a download note at the end of a title: "(PDF, 1.2 MB)".
var fileNoteRe = regexp.MustCompile(`(?i)\s*[(\[](?:pdf|docx?|odt|xlsx?|pptx?)\b[^()\[\]]*[)\]]$`)

// bilingual reports whether parts of the page are marked as being in another language than
// the page itself.
func (pg *pageData) bilingual(lang string) bool {
	if lang == "" {
		return false
	}
	other := false
	pg.doc.Find("body [lang]").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		if m := langRe.FindStringSubmatch(s.AttrOr("lang", "")); m != nil && !strings.EqualFold(m[1], lang) {
			other = !inChrome(s)
		}
		return !other
	})
	return other
}

// firstLanguage splits "English words / mots français" and returns the first half, when both
// halves are of some length.
func firstLanguage(s string) (string, bool) {
	a, b, ok := strings.Cut(s, " / ")
	if !ok || strings.Contains(b, " / ") || len(strings.Fields(a)) < 3 || len(strings.Fields(b)) < 3 {
		return s, false
	}
	return strings.TrimSpace(a), true
}

var titleSeparators = []string{" | ", " - ", " – ", " — ", " :: ", " · ", " » "}

// trimSiteSuffix removes a site's name from the end of a page title: "Trusted research |
// GOV.UK" → "Trusted research". A suffix goes when it is the site's og:site_name, looks like a
// domain ("Government.nl"), matches the page's host, or follows a " | " and is short.
func trimSiteSuffix(title, siteName, host string) string {
	hostKey := strings.NewReplacer(".", "", "-", "").Replace(host)
	for range 2 {
		at, sep := -1, ""
		for _, s := range titleSeparators {
			if i := strings.LastIndex(title, s); i > at {
				at, sep = i, s
			}
		}
		if at <= 0 {
			break
		}
		head, suffix := strings.TrimSpace(title[:at]), strings.TrimSpace(title[at+len(sep):])
		key := strings.ToLower(strings.NewReplacer(" ", "", ".", "", "-", "").Replace(suffix))
		site := (siteName != "" && strings.EqualFold(suffix, siteName)) ||
			(strings.Contains(suffix, ".") && !strings.Contains(suffix, " ") && !strings.HasSuffix(suffix, ".")) ||
			(len(key) >= 3 && hostKey != "" && strings.Contains(hostKey, key)) ||
			(sep == " | " && len(strings.Fields(suffix)) <= 5)
		if !site || len(head) < 3 {
			break
		}
		title = head
	}
	return title
}

func (pg *pageData) summary() (string, string) {
	if v, name := pg.metaFrom("description", "og:description", "twitter:description", "dc.description", "dcterms.description"); v != "" {
		return twoSentences(v), `<meta name="` + name + `">`
	}
	var found string
	pg.main.Find("p").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		if inChrome(s) {
			return true
		}
		t := clean(s.Text())
		if len(t) >= 80 && len(strings.Fields(t)) >= 12 {
			found = t
			return false
		}
		return true
	})
	if found != "" {
		return twoSentences(found), "the first paragraph"
	}
	return "", ""
}

// abbreviations end in a full stop that does not end a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "st": true, "no": true,
	"art": true, "fig": true, "vs": true, "etc": true, "approx": true, "dept": true, "inc": true,
	"ltd": true, "co": true, "jan": true, "feb": true, "mar": true, "apr": true, "jun": true,
	"jul": true, "aug": true, "sep": true, "sept": true, "oct": true, "nov": true, "dec": true,
	"nr": true, "bijv": true, "zgn": true, "resp": true, "ca": true, "cf": true,
}

// twoSentences keeps the first two sentences of s, and at most 400 characters.
func twoSentences(s string) string {
	s = clean(s)
	sentences := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		if i+2 >= len(s) || s[i+1] != ' ' {
			continue
		}
		next, _ := utf8.DecodeRuneInString(s[i+2:])
		if !unicode.IsUpper(next) && !unicode.IsDigit(next) && !strings.ContainsRune(`"'“‘(`, next) {
			continue
		}
		if c == '.' {
			start := strings.LastIndexAny(s[:i], " (") + 1
			word := s[start:i]
			if utf8.RuneCountInString(word) <= 1 || strings.Contains(word, ".") || abbreviations[strings.ToLower(word)] {
				continue
			}
		}
		sentences++
		if sentences == 2 {
			s = s[:i+1]
			break
		}
	}
	return content.Shorten(s, 400)
}

// organisations names the body behind a few domains whose owner is plain, by host suffix.
var organisations = []struct{ suffix, name string }{
	{"rijksoverheid.nl", "Government of the Netherlands"},
	{"government.nl", "Government of the Netherlands"},
	{"loketkennisveiligheid.nl", "National Contact Point for Knowledge Security"},
	{"nwo.nl", "Dutch Research Council (NWO)"},
	{"npsa.gov.uk", "National Protective Security Authority"},
	{"ukri.org", "UK Research and Innovation"},
	{"gov.uk", "UK Government"},
	{"canada.ca", "Government of Canada"},
	{"gc.ca", "Government of Canada"},
	{"ec.europa.eu", "European Commission"},
	{"oecd.org", "OECD"},
	{"nsf.gov", "U.S. National Science Foundation"},
	{"nih.gov", "U.S. National Institutes of Health"},
	{"whitehouse.gov", "The White House"},
}

func (pg *pageData) issuer(host string) (string, string) {
	for _, name := range []string{"govuk:primary-publishing-organisation", "og:site_name", "author", "publisher", "dc.publisher", "dcterms.publisher", "dc.creator", "dcterms.creator"} {
		v := pg.meta(name)
		// A handle, an address or a URL names no body.
		if v == "" || strings.HasPrefix(v, "@") || strings.Contains(v, "://") || strings.Contains(v, "@") {
			continue
		}
		return content.Shorten(v, 200), `<meta name="` + name + `">`
	}
	for _, o := range organisations {
		if host == o.suffix || strings.HasSuffix(host, "."+o.suffix) {
			return o.name, "the domain " + host
		}
	}
	return "", ""
}

func (pg *pageData) url(today time.Time) (string, string) {
	base := pg.savedFrom
	if b, err := url.Parse(pg.doc.Find("base[href]").First().AttrOr("href", "")); err == nil && b.IsAbs() {
		base = b
	}
	var candidates [][2]string
	pg.doc.Find("link[href]").Each(func(_ int, l *goquery.Selection) {
		for _, rel := range strings.Fields(strings.ToLower(l.AttrOr("rel", ""))) {
			if rel == "canonical" {
				candidates = append(candidates, [2]string{l.AttrOr("href", ""), `<link rel="canonical">`})
			}
		}
	})
	candidates = append(candidates, [2]string{pg.meta("og:url"), "og:url"})
	if pg.savedFrom != nil {
		candidates = append(candidates, [2]string{pg.savedFrom.String(), "the browser's saved-from mark"})
	}
	for _, c := range candidates {
		u, err := url.Parse(strings.TrimSpace(c[0]))
		if err != nil || c[0] == "" {
			continue
		}
		if !u.IsAbs() && base != nil {
			u = base.ResolveReference(u)
		}
		u.Fragment, u.RawFragment = "", ""
		if s := u.String(); content.CheckValue("source_url", s, endOfDay(today)) == "" {
			return s, c[1]
		}
	}
	return "", ""
}

func (pg *pageData) published(today time.Time) (string, string) {
	type cand struct{ value, source string }
	var cands []cand
	for _, name := range []string{"article:published_time", "govuk:first-published-at", "dc.date", "dc.date.issued", "dcterms.issued",
		"dcterms.date", "date", "citation_publication_date", "publication_date"} {
		if v := pg.meta(name); v != "" {
			cands = append(cands, cand{v, `<meta name="` + name + `">`})
		}
	}
	pg.main.Find("time[datetime]").EachWithBreak(func(_ int, t *goquery.Selection) bool {
		if isUpdate(t) {
			return true
		}
		cands = append(cands, cand{t.AttrOr("datetime", ""), "a <time> element"})
		return false
	})
	for _, c := range cands {
		m := dateRe.FindStringSubmatch(strings.TrimSpace(c.value))
		if m == nil {
			continue
		}
		d := m[1]
		if m[2] != "" {
			d += "-" + m[2]
			if m[3] != "" {
				d += "-" + m[3]
			}
		}
		if content.CheckValue("published", d, endOfDay(today)) == "" {
			return d, c.source
		}
	}
	return "", ""
}

// updateWords mark a date as a revision rather than the publication.
var updateWords = regexp.MustCompile(`(?i)updat|modif|revis|gewijzigd|bijgewerkt|aktualisiert|mis à jour|modifié`)

// isUpdate reports whether a <time> element gives the date a page was updated: by its own
// attributes, or by the label before it ("Last updated", in a <dt> or the same paragraph).
func isUpdate(t *goquery.Selection) bool {
	for _, a := range []string{"property", "itemprop", "class", "id"} {
		if updateWords.MatchString(t.AttrOr(a, "")) {
			return true
		}
	}
	parent := t.Parent()
	label := parent.PrevAllFiltered("dt").First().Text()
	if goquery.NodeName(parent) != "dd" {
		label = parent.Text()
	}
	return updateWords.MatchString(label)
}

func (pg *pageData) language(today time.Time) (string, string) {
	html := pg.doc.Find("html").First()
	for _, c := range [][2]string{
		{html.AttrOr("lang", ""), `<html lang>`},
		{html.AttrOr("xml:lang", ""), `<html xml:lang>`},
		{pg.meta("content-language"), `<meta http-equiv="content-language">`},
		{pg.meta("dc.language"), `<meta name="dc.language">`},
		{pg.meta("og:locale"), "og:locale"},
	} {
		m := langRe.FindStringSubmatch(strings.TrimSpace(c[0]))
		if m == nil {
			continue
		}
		if code := strings.ToLower(m[1]); content.CheckValue("language", code, today) == "" {
			return code, c[1]
		}
	}
	return "", ""
}

// countryOf guesses the jurisdiction of a page from its host name, for the domains whose
// owner is plain; "" otherwise.
func countryOf(host string) string {
	has := func(suffix string) bool { return host == suffix || strings.HasSuffix(host, "."+suffix) }
	switch {
	case has("oecd.org"):
		return "oecd"
	case has("europa.eu"):
		return "eu"
	case has("uk"): // .gov.uk, .ac.uk, .org.uk, .co.uk
		return "gb"
	case has("ca"): // .gc.ca and the rest of .ca
		return "ca"
	case has("nl"):
		return "nl"
	case has("gov"), has("mil"), has("edu"):
		return "us"
	}
	return ""
}

// skipHeadings are headings of page furniture rather than content, in lower case.
var skipHeadings = map[string]bool{
	"contents": true, "table of contents": true, "on this page": true, "in this section": true,
	"related content": true, "related links": true, "related pages": true, "related": true,
	"explore the topic": true, "share this page": true, "share": true, "menu": true,
	"search": true, "navigation": true, "main navigation": true, "is this page useful?": true,
	"help us improve gov.uk": true, "print this page": true, "support links": true,
	"services and information": true, "government activity": true, "feedback": true,
	"page details": true, "follow us": true, "contact us": true, "you might also be interested in": true,
	"report a problem or mistake on this page": true, "zoeken": true, "delen": true,
	"deel deze pagina": true, "hoofdmenu": true, "navigatie": true,
}

func (pg *pageData) outline() []Heading {
	var out []Heading
	pg.main.Find("h2, h3").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		if inChrome(s) {
			return true
		}
		t := content.Shorten(clean(s.Text()), 200)
		low := strings.ToLower(t)
		if t == "" || skipHeadings[low] || strings.HasPrefix(low, "cookies") {
			return true
		}
		level := 2
		if goquery.NodeName(s) == "h3" {
			level = 3
		}
		h := Heading{Level: level, Text: t}
		if len(out) > 0 && out[len(out)-1] == h {
			return true
		}
		out = append(out, h)
		return len(out) < 60
	})
	return out
}

// clean collapses white space and drops characters a YAML value or a Markdown line cannot
// hold.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\u00ad' || r == '\u200b' || r == '\ufeff': // soft hyphen, zero-width space, BOM
			return -1
		case unicode.IsControl(r) || r == utf8.RuneError || r == '\u2028' || r == '\u2029' || r == '\ufffe' || r == '\uffff':
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, " "))
	return strings.Join(strings.Fields(s), " ")
}

// endOfDay is the last moment of t's calendar day, so that a date of today is not in the
// future.
func endOfDay(t time.Time) time.Time {
	if t.IsZero() {
		t = time.Now()
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 23, 59, 59, 0, time.UTC)
}
