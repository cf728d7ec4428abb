// Package export writes the reading list — the guidance of the corpus (and, when asked, the
// workshop findings), grouped by jurisdiction and then by type — as Markdown, CSV, BibTeX, RIS,
// JSON or CSL-JSON.
package export

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/research-security-atlas/atlas/internal/content"
)

// Formats lists the formats Write accepts, with the file extension and media type of each.
var Formats = []Format{
	{Name: "md", Ext: "md", MediaType: "text/markdown; charset=utf-8"},
	{Name: "csv", Ext: "csv", MediaType: "text/csv; charset=utf-8"},
	{Name: "bibtex", Ext: "bib", MediaType: "application/x-bibtex; charset=utf-8"},
	{Name: "ris", Ext: "ris", MediaType: "application/x-research-info-systems; charset=utf-8"},
	{Name: "json", Ext: "json", MediaType: "application/json; charset=utf-8"},
	{Name: "csl", Ext: "csl.json", MediaType: "application/vnd.citationstyles.csl+json; charset=utf-8"},
}

// Format is one export format.
type Format struct {
	Name      string
	Ext       string
	MediaType string
}

// FormatByName finds a format by its name or extension.
func FormatByName(name string) (Format, bool) {
	for _, f := range Formats {
		if f.Name == name || f.Ext == name {
			return f, true
		}
	}
	return Format{}, false
}

// Group is one jurisdiction's part of the reading list.
type Group struct {
	Code  string
	Name  string
	Types []TypeGroup
}

// TypeGroup is the entries of one type within a jurisdiction, newest first.
type TypeGroup struct {
	Type    string
	Label   string
	Entries []*content.Entry
}

// Len is the number of entries in the groups.
func Len(groups []Group) int {
	n := 0
	for _, g := range groups {
		for _, t := range g.Types {
			n += len(t.Entries)
		}
	}
	return n
}

// Selection narrows the reading list beyond the facets. The zero value is the default list:
// the guidance in force.
type Selection struct {
	// IDs, when set, hand-picks the entries: only these are listed (still subject to the
	// facets), whatever their kind or status.
	IDs []string
	// Kinds are the kinds listed: guidance and finding; empty means guidance only.
	Kinds []content.Kind
	// Superseded keeps superseded, rescinded and withdrawn entries, which are left out otherwise.
	Superseded bool
	// Only, when not nil, keeps only the entries whose id it holds (the hits of a search).
	Only map[string]bool
}

// Admits reports whether e is in the selection, the facets aside.
func (sel Selection) Admits(e *content.Entry) bool {
	if sel.Only != nil && !sel.Only[e.ID] {
		return false
	}
	if len(sel.IDs) > 0 {
		return slices.Contains(sel.IDs, e.ID)
	}
	kinds := sel.Kinds
	if len(kinds) == 0 {
		kinds = []content.Kind{content.Guidance}
	}
	return slices.Contains(kinds, e.Kind) && (sel.Superseded || e.IsActive())
}

// FindingType is the type group under which findings are listed.
const FindingType = "finding"

// ReadingList selects the guidance in force of cat that matches filters (OR within a facet, AND
// across facets) and groups it by its first jurisdiction, in the catalog's order, then by type in
// vocabulary order. Each entry appears once.
func ReadingList(cat *content.Catalog, filters map[string][]string) []Group {
	return Select(cat, filters, Selection{})
}

// Select is ReadingList with a Selection: hand-picked ids, findings, superseded entries, the
// hits of a search. Findings come after the guidance of their jurisdiction.
func Select(cat *content.Catalog, filters map[string][]string, sel Selection) []Group {
	keep := func(e *content.Entry, j *content.Jurisdiction) bool {
		return len(e.Countries) > 0 && e.Countries[0] == j.Code && e.Matches(filters, "") && sel.Admits(e)
	}
	seen := map[string]bool{}
	var groups []Group
	for _, j := range cat.Jurisdictions {
		g := Group{Code: j.Code, Name: j.Name}
		add := func(tg TypeGroup, list []*content.Entry, match func(*content.Entry) bool) {
			for _, e := range list {
				if seen[e.ID] || !match(e) || !keep(e, j) {
					continue
				}
				seen[e.ID] = true
				tg.Entries = append(tg.Entries, e)
			}
			if len(tg.Entries) > 0 {
				g.Types = append(g.Types, tg)
			}
		}
		for _, t := range content.TypeVocab.Values() {
			add(TypeGroup{Type: t, Label: content.TypeVocab.Label(t)}, j.Guidance, func(e *content.Entry) bool { return e.Type == t })
		}
		add(TypeGroup{Type: FindingType, Label: "Workshop findings"}, j.Findings, func(*content.Entry) bool { return true })
		if len(g.Types) > 0 {
			groups = append(groups, g)
		}
	}
	return groups
}

// Options adjust the output.
type Options struct {
	// BaseURL, when set, adds a link to each entry's page in the Atlas (BaseURL + /docs/id).
	BaseURL string
	// Title heads the Markdown list.
	Title string
}

// Write writes groups in format f.
func Write(w io.Writer, f Format, groups []Group, opts Options) error {
	switch f.Name {
	case "md":
		return writeMarkdown(w, groups, opts)
	case "csv":
		return writeCSV(w, groups, opts)
	case "bibtex":
		return writeBibTeX(w, groups, opts)
	case "ris":
		return writeRIS(w, groups, opts)
	case "json":
		return writeJSON(w, groups, opts)
	case "csl":
		return writeCSL(w, groups, opts)
	}
	return fmt.Errorf("unknown export format %q", f.Name)
}

func atlasURL(opts Options, e *content.Entry) string {
	if opts.BaseURL == "" {
		return ""
	}
	return strings.TrimRight(opts.BaseURL, "/") + "/docs/" + e.ID
}

func countryNames(codes []string) []string {
	var out []string
	for _, c := range codes {
		out = append(out, content.CountryName(c))
	}
	return out
}

func each(groups []Group, f func(g Group, t TypeGroup, e *content.Entry) error) error {
	for _, g := range groups {
		for _, t := range g.Types {
			for _, e := range t.Entries {
				if err := f(g, t, e); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
