package content

import (
	"bytes"
	"html/template"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Renderer turns an entry's Markdown body into HTML, sections and plain text. One Renderer is
// built at start and reused: goldmark's Convert is safe for concurrent use with these
// extensions.
type Renderer struct {
	md goldmark.Markdown
}

// NewRenderer returns a renderer with GFM tables, footnotes and heading IDs. Raw HTML in
// Markdown is left out of the output (goldmark's default, kept on purpose: no WithUnsafe).
func NewRenderer() *Renderer {
	return &Renderer{md: goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		goldmark.WithRendererOptions(html.WithXHTML()),
	)}
}

// Render converts body and fills e.HTML, e.Sections and e.Text.
func (r *Renderer) Render(e *Entry, body []byte) error {
	var buf bytes.Buffer
	if err := r.md.Convert(body, &buf); err != nil {
		return err
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		return err
	}
	// External links open in the same tab but carry no referrer or opener to the source site.
	doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		if strings.HasPrefix(href, "http://") || strings.HasPrefix(href, "https://") {
			a.SetAttr("rel", "noopener noreferrer")
		}
	})
	body2 := doc.Find("body")
	out, err := body2.Html()
	if err != nil {
		return err
	}
	e.HTML = template.HTML(strings.TrimSpace(out))
	e.Text = plainText(body2.Nodes[0])
	e.Sections = sections(body2)
	return nil
}

// sections splits the rendered body at h2 and h3 headings. Text before the first heading goes
// to an untitled leading section so that every word belongs to exactly one section.
func sections(body *goquery.Selection) []Section {
	var out []Section
	cur := Section{}
	var text strings.Builder
	flush := func() {
		cur.Text = strings.TrimSpace(collapse(text.String()))
		if cur.Title != "" || cur.Text != "" {
			out = append(out, cur)
		}
		text.Reset()
	}
	for n := body.Nodes[0].FirstChild; n != nil; n = n.NextSibling {
		if n.Type == nethtml.ElementNode && (n.DataAtom == atom.H2 || n.DataAtom == atom.H3) {
			flush()
			s := goquery.NewDocumentFromNode(n).Selection
			id, _ := s.Attr("id")
			level := 2
			if n.DataAtom == atom.H3 {
				level = 3
			}
			cur = Section{Title: strings.TrimSpace(s.Text()), Anchor: id, Level: level}
			continue
		}
		text.WriteString(plainText(n))
		text.WriteString(" ")
	}
	flush()
	return out
}

var blockAtoms = map[atom.Atom]bool{
	atom.P: true, atom.Li: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Td: true, atom.Th: true, atom.Tr: true, atom.Br: true,
	atom.Blockquote: true, atom.Pre: true, atom.Div: true, atom.Section: true, atom.Hr: true,
	atom.Ul: true, atom.Ol: true, atom.Table: true, atom.Dt: true, atom.Dd: true,
}

// plainText returns the text of n with a space between blocks, so that the last word of one
// paragraph never runs into the first word of the next (goquery's Text would join them).
func plainText(n *nethtml.Node) string {
	var b strings.Builder
	var walk func(*nethtml.Node)
	walk = func(n *nethtml.Node) {
		switch n.Type {
		case nethtml.TextNode:
			b.WriteString(n.Data)
			return
		case nethtml.CommentNode:
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == nethtml.ElementNode && blockAtoms[n.DataAtom] {
			b.WriteString(" ")
		}
	}
	walk(n)
	return strings.TrimSpace(collapse(b.String()))
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
