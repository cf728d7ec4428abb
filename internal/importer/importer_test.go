package importer

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/research-security-atlas/atlas/internal/content"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden and the fuzz seeds from testdata/*.html")

var testToday = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// TestGolden drafts every testdata/*.html page and compares the file with testdata/*.golden.
func TestGolden(t *testing.T) {
	pages, err := filepath.Glob("testdata/*.html")
	if err != nil || len(pages) < 5 {
		t.Fatalf("testdata/*.html: %d pages, %v", len(pages), err)
	}
	for _, page := range pages {
		name := strings.TrimSuffix(filepath.Base(page), ".html")
		t.Run(name, func(t *testing.T) {
			html, err := os.ReadFile(page)
			if err != nil {
				t.Fatal(err)
			}
			got := mustDraft(t, html)
			golden := strings.TrimSuffix(page, ".html") + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				writeSeed(t, name, html)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/importer -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Draft(%s) differs from %s (run with -update to accept):\n%s", page, golden, diff(string(want), string(got)))
			}
			mustLoadAsDraft(t, got)
		})
	}
}

// writeSeed keeps the fuzz corpus in step with the golden pages.
func writeSeed(t *testing.T, name string, data []byte) {
	t.Helper()
	dir := filepath.Join("testdata", "fuzz", "FuzzDraft")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	seed := "go test fuzz v1\n[]byte(" + strconv.Quote(string(data)) + ")\n"
	if err := os.WriteFile(filepath.Join(dir, name), []byte(seed), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustDraft(t *testing.T, html []byte) []byte {
	t.Helper()
	p, err := Draft(bytes.NewReader(html), testToday)
	if err != nil {
		t.Fatalf("Draft: %v", err)
	}
	md, err := p.Markdown()
	if err != nil {
		t.Fatalf("Markdown: %v", err)
	}
	return md
}

var emptyFieldRe = regexp.MustCompile(`^field "[a-z_]+" is empty$`)

// mustLoadAsDraft loads a draft with content.Load and fails on any problem other than a
// required field left empty for the organiser: no YAML errors, no value Load would reject.
func mustLoadAsDraft(t *testing.T, md []byte) []content.Problem {
	t.Helper()
	fsys := fstest.MapFS{"guidance/draft.md": {Data: md}}
	_, probs, err := content.Load(fsys, ".", content.Options{Now: testToday})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	for _, p := range probs {
		if p.Severity == content.Error && !emptyFieldRe.MatchString(p.Message) {
			t.Errorf("draft does not load: %s\n%s", p, md)
		}
	}
	return probs
}

func TestDraftFields(t *testing.T) {
	for _, test := range []struct {
		page string
		want Page
	}{
		{"govuk-trusted-research.html", Page{
			Title:     "Trusted Research guidance for academia",
			Summary:   "Guidance for universities and research institutes on protecting research from hostile state actors. It covers international collaboration, export controls and cyber security.",
			Issuer:    "National Protective Security Authority",
			URL:       "https://www.gov.uk/government/publications/trusted-research-guidance-for-academia",
			Published: "2019-09-30",
			Language:  "en",
			Countries: []string{"gb"},
		}},
		{"rijksoverheid-kennisveiligheid.html", Page{
			Title:     "Nationale leidraad kennisveiligheid",
			Summary:   "Kennisinstellingen moeten zelf zorgen voor een goede beveiliging van hun kennis. De leidraad helpt hen daarbij met concrete handvatten.",
			Issuer:    "Ministerie van Onderwijs, Cultuur en Wetenschap",
			URL:       "https://www.rijksoverheid.nl/documenten/publicaties/2022/01/14/nationale-leidraad-kennisveiligheid",
			Published: "2022-01-14",
			Language:  "nl",
			Countries: []string{"nl"},
		}},
		{"canada-bilingual.html", Page{
			Title:     "Safeguarding Your Research",
			Summary:   "Research security guidance for Canadian researchers, institutions and funders.",
			Issuer:    "Government of Canada, Innovation, Science and Economic Development Canada",
			URL:       "https://science.gc.ca/site/science/en/safeguarding-your-research",
			Published: "2021-07-12",
			Language:  "en",
			Countries: []string{"ca"},
		}},
		{"pdf-landing.html", Page{
			Title:     "Guidelines on research security",
			URL:       "https://research.uni-example.de/security/guidelines-research-security",
			Published: "2023-03",
		}},
		{"no-metadata.html", Page{
			Title:   "Research security checklist for international projects",
			Summary: "This checklist helps project leaders look at an international partnership before they sign it. It asks about the partner, the funding, the technology and the people involved.",
		}},
	} {
		t.Run(test.page, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", test.page))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			p, err := Draft(f, testToday)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct{ field, got, want string }{
				{"title", p.Title, test.want.Title},
				{"summary", p.Summary, test.want.Summary},
				{"issuer", p.Issuer, test.want.Issuer},
				{"url", p.URL, test.want.URL},
				{"published", p.Published, test.want.Published},
				{"language", p.Language, test.want.Language},
				{"countries", strings.Join(p.Countries, ","), strings.Join(test.want.Countries, ",")},
			} {
				if c.got != c.want {
					t.Errorf("%s = %q, want %q (from %s)", c.field, c.got, c.want, p.Sources[c.field])
				}
			}
		})
	}
}

func TestOutline(t *testing.T) {
	for _, test := range []struct {
		page string
		want string
	}{
		// Contents, the cookie banner, navigation, feedback and footer headings are left out.
		{"govuk-trusted-research.html", "2 What is Trusted Research?|2 Who this guidance is for|2 Before you collaborate|3 Know your partner & their funders|3 Export controls|2 Protecting your research|3 Cyber security|3 Intellectual property"},
		{"rijksoverheid-kennisveiligheid.html", "2 Waarom een leidraad?|2 Wat staat erin?|3 Bewustwording|3 Risicoanalyse en due diligence|3 Het Loket Kennisveiligheid|2 Documenten"},
		{"canada-bilingual.html", "2 About research security|3 Guidelines and policies|3 Tools and resources|2 À propos de la sécurité de la recherche|3 Lignes directrices et politiques|3 Outils et ressources"},
		{"pdf-landing.html", ""},
		{"no-metadata.html", "2 1. The partner|2 2. The money|3 Who pays? (and why)|2 3. The technology"},
	} {
		data, err := os.ReadFile(filepath.Join("testdata", test.page))
		if err != nil {
			t.Fatal(err)
		}
		p, err := Draft(bytes.NewReader(data), testToday)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range p.Outline {
			got = append(got, fmt.Sprintf("%d %s", h.Level, h.Text))
		}
		if g := strings.Join(got, "|"); g != test.want {
			t.Errorf("%s: outline\n%s\nwant\n%s", test.page, g, test.want)
		}
	}
}

func TestDraftRejectsBadInput(t *testing.T) {
	for _, test := range []struct {
		name  string
		input io.Reader
		want  string
	}{
		{"empty", strings.NewReader(""), "the file is empty"},
		{"white space", strings.NewReader(" \n\t\n"), "the file is empty"},
		{"pdf", strings.NewReader("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), "the file is a PDF"},
		{"png", strings.NewReader("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "the file is a PNG image"},
		{"binary", bytes.NewReader([]byte{0x00, 0x01, 0x02, 0xfe, 0x3c, 0x68, 0x31, 0x3e, 0x00}), "binary data"},
		{"plain text", strings.NewReader("Trusted research\n\nThis is a text file, not a web page."), "no HTML tags"},
		{"json", strings.NewReader(`{"title": "Trusted research"}`), "no HTML tags"},
		{"tags without text", strings.NewReader("<html><head></head><body><div><img src=x></div></body></html>"), "found no title, heading or paragraph"},
		{"too large", io.MultiReader(strings.NewReader("<html><title>x</title>"), bytes.NewReader(make([]byte, MaxSize))), "larger than 20 MB"},
	} {
		t.Run(test.name, func(t *testing.T) {
			p, err := Draft(test.input, testToday)
			if err == nil || !strings.Contains(err.Error(), test.want) {
				t.Errorf("Draft = %+v, %v; want an error containing %q", p, err, test.want)
			}
		})
	}
}

func TestTrimSiteSuffix(t *testing.T) {
	for _, test := range []struct {
		title, site, host, want string
	}{
		{"Trusted research | GOV.UK", "", "", "Trusted research"},
		{"Trusted research - GOV.UK", "GOV.UK", "www.gov.uk", "Trusted research"},
		{"Kennisveiligheid - Government.nl", "", "www.government.nl", "Kennisveiligheid"},
		{"Nationale leidraad | Publicatie | Rijksoverheid.nl", "", "", "Nationale leidraad"},
		{"Research security - NPSA", "", "www.npsa.gov.uk", "Research security"},
		{"Safeguarding research – Science Europe", "Science Europe", "", "Safeguarding research"},
		// A dash inside the title is kept when what follows is no site name.
		{"Dual-use research - a practical guide", "", "example.org", "Dual-use research - a practical guide"},
		{"Research security", "", "", "Research security"},
		{"GOV.UK", "GOV.UK", "", "GOV.UK"},
		{" | GOV.UK", "", "", " | GOV.UK"},
	} {
		if got := trimSiteSuffix(test.title, test.site, test.host); got != test.want {
			t.Errorf("trimSiteSuffix(%q, %q, %q) = %q, want %q", test.title, test.site, test.host, got, test.want)
		}
	}
}

func TestTwoSentences(t *testing.T) {
	for _, test := range []struct{ in, want string }{
		{"One. Two. Three.", "One. Two."},
		{"Only one sentence", "Only one sentence"},
		{"The U.S. National Science Foundation funds it. It asks for disclosure. It started in 2023.", "The U.S. National Science Foundation funds it. It asks for disclosure."},
		{"See e.g. the guide. Then ask Dr. Smith. Then stop.", "See e.g. the guide. Then ask Dr. Smith."},
		{"Version 1.2 is out! Is it good? Yes.", "Version 1.2 is out! Is it good?"},
		{strings.Repeat("word ", 100), strings.TrimSpace(strings.Repeat("word ", 80)) + "…"},
	} {
		if got := twoSentences(test.in); got != test.want {
			t.Errorf("twoSentences(%q) = %q, want %q", test.in, got, test.want)
		}
	}
}

func TestCountryOf(t *testing.T) {
	for host, want := range map[string]string{
		"www.gov.uk": "gb", "www.ox.ac.uk": "gb", "www.ukri.org": "", "bbc.co.uk": "gb",
		"science.gc.ca": "ca", "www.canada.ca": "ca", "www.rijksoverheid.nl": "nl", "nl": "nl",
		"www.nsf.gov": "us", "www.darpa.mil": "us", "mit.edu": "us", "www.oecd.org": "oecd",
		"research-and-innovation.ec.europa.eu": "eu", "www.dfg.de": "", "": "", "notgov": "",
	} {
		if got := countryOf(host); got != want {
			t.Errorf("countryOf(%q) = %q, want %q", host, got, want)
		}
	}
}

func TestEscapeMarkdown(t *testing.T) {
	for _, test := range []struct{ in, want string }{
		{"Plain words", "Plain words"},
		{"1. The partner", `1\. The partner`},
		{"2023) review", `2023\) review`},
		{"2023 review", "2023 review"},
		{"- a dash", `\- a dash`},
		{"*bold* [link](x) <b>", `\*bold\* \[link\](x) \<b\>`},
		{"# not a heading", `\# not a heading`},
	} {
		if got := escapeMarkdown(test.in); got != test.want {
			t.Errorf("escapeMarkdown(%q) = %q, want %q", test.in, got, test.want)
		}
	}
}

// TestDraftOddPages covers pages whose values must be quoted or dropped to keep the front
// matter valid.
func TestDraftOddPages(t *testing.T) {
	for _, test := range []struct {
		name, html string
		check      func(*Page) string
	}{
		{"yaml-looking title", `<title>null</title><h2>x</h2>`, func(p *Page) string { return p.Title }},
		{"title with colon and hash", `<title>Security: a #1 "priority" [draft]</title>`, func(p *Page) string { return p.Title }},
		{"future date dropped", `<title>T</title><meta name="date" content="2031-01-01"><meta name="dc.date" content="2020">`, func(p *Page) string { return p.Published }},
		{"impossible date dropped", `<title>T</title><meta name="date" content="2023-13-45">`, func(p *Page) string { return p.Published }},
		{"unknown language dropped", `<html lang="xx"><title>T</title>`, func(p *Page) string { return p.Language }},
		{"relative canonical without base dropped", `<title>T</title><link rel="canonical" href="/a/b">`, func(p *Page) string { return p.URL }},
		{"javascript url dropped", `<title>T</title><meta property="og:url" content="javascript:alert(1)">`, func(p *Page) string { return p.URL }},
		{"control characters", "<title>A\x01B\u2028C\ufeffD</title>", func(p *Page) string { return p.Title }},
	} {
		t.Run(test.name, func(t *testing.T) {
			p, err := Draft(strings.NewReader(test.html), testToday)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("value: %q", test.check(p))
			md, err := p.Markdown()
			if err != nil {
				t.Fatal(err)
			}
			mustLoadAsDraft(t, md)
		})
	}
	p, _ := Draft(strings.NewReader(`<title>T</title><meta name="date" content="2031-01-01"><meta name="dc.date" content="2020">`), testToday)
	if p.Published != "2020" {
		t.Errorf("published = %q, want the first date that is not in the future, 2020", p.Published)
	}
}

// FuzzDraft checks that no input makes Draft or Markdown panic, and that every draft loads
// through content.Load's front-matter rules with no problem but the empty fields left for the
// organiser. The seeds are in testdata/fuzz/FuzzDraft (the golden pages, kept in step by
// -update) plus the small inputs below.
func FuzzDraft(f *testing.F) {
	for _, s := range []string{"", "<", "<html lang=", "<title>a: b</title>", "<title>---</title>",
		"<meta property=og:title content='x\n---\ny'>", "<h2>- [x](y)</h2>", "%PDF-1.4", "\xff\xfe<\x00h\x001\x00>\x00"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Draft(bytes.NewReader(data), testToday)
		if err != nil {
			return
		}
		md, err := p.Markdown()
		if err != nil {
			t.Fatalf("Markdown: %v\npage: %+v", err, p)
		}
		if p.Title != "" {
			mustLoadAsDraft(t, md)
		}
	})
}

// diff shows the first differing line of two texts.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n  want %q\n  got  %q", i+1, wl, gl)
		}
	}
	return ""
}

func TestCharset(t *testing.T) {
	for _, test := range []struct{ name, html, want string }{
		{"meta charset", "<meta charset=\"windows-1252\"><title>Forschungssicherheit \x96 Leitf\xe4den</title>", "Forschungssicherheit – Leitfäden"},
		{"http-equiv", "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"><title>S\xe9curit\xe9</title>", "Sécurité"},
		{"utf-8 BOM", "\xef\xbb\xbf<title>Sécurité</title>", "Sécurité"},
		{"utf-16 BOM", "\xff\xfe<\x00t\x00i\x00t\x00l\x00e\x00>\x00\xe9\x00<\x00/\x00t\x00i\x00t\x00l\x00e\x00>\x00", "é"},
		{"undeclared latin-1", "<title>S\xe9curit\xe9</title>", "Sécurité"},
	} {
		p, err := Draft(strings.NewReader(test.html), testToday)
		if err != nil {
			t.Errorf("%s: %v", test.name, err)
			continue
		}
		if p.Title != test.want {
			t.Errorf("%s: title %q, want %q", test.name, p.Title, test.want)
		}
	}
}
