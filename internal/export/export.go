// Package export writes the reading list — the guidance of the corpus, grouped by jurisdiction
// and then by type — as Markdown, CSV, BibTeX, RIS or JSON.
package export

import (
	"fmt"
	"io"
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

// ReadingList selects the guidance of cat that matches filters (OR within a facet, AND across
// facets) and groups it by its first jurisdiction, in the catalog's order, then by type in
// vocabulary order. Each entry appears once.
func ReadingList(cat *content.Catalog, filters map[string][]string) []Group {
	seen := map[string]bool{}
	var groups []Group
	for _, j := range cat.Jurisdictions {
		g := Group{Code: j.Code, Name: j.Name}
		for _, t := range content.TypeVocab.Values() {
			tg := TypeGroup{Type: t, Label: content.TypeVocab.Label(t)}
			for _, e := range j.Guidance {
				if e.Type != t || e.Countries[0] != j.Code || seen[e.ID] || !e.Matches(filters, "") {
					continue
				}
				seen[e.ID] = true
				tg.Entries = append(tg.Entries, e)
			}
			if len(tg.Entries) > 0 {
				g.Types = append(g.Types, tg)
			}
		}
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
