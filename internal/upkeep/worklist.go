package upkeep

import (
	"cmp"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/research-security-atlas/atlas/internal/content"
)

// The kinds of worklist item, most urgent first.
const (
	KindContentProblem = "content-problem" // a file that fails to load (held back) or has a TODO left
	KindDeadLink       = "dead-link"
	KindMovedLink      = "moved-link"
	KindUnverified     = "unverified" // last_verified more than a year ago
	KindNoSource       = "no-source"  // guidance whose source address is unconfirmed or not given
	KindGap            = "gap"        // a jurisdiction without national guidelines, or with unknown cells
)

// Kinds lists the item kinds in the order the worklist gives them.
var Kinds = []string{KindContentProblem, KindDeadLink, KindMovedLink, KindUnverified, KindNoSource, KindGap}

// Item is one thing that needs an organiser's attention.
type Item struct {
	Kind   string `json:"kind"`
	ID     string `json:"id"`              // the entry's id
	Title  string `json:"title"`           // the entry's title, or the file's name when it does not load
	Href   string `json:"href,omitempty"`  // the entry's page, when the site has the entry
	Path   string `json:"path"`            // the file to edit, under the content folder's name
	Line   int    `json:"line,omitempty"`  // the line to look at, when there is one
	Detail string `json:"detail"`          // what is wrong, in words
	Fix    string `json:"fix"`             // the command to run or the edit to make
	URL    string `json:"url,omitempty"`   // the link concerned
	Since  string `json:"since,omitempty"` // the day the problem was found or the thing last looked at

	more int // further problems of the same file
}

// Inputs are what the worklist is built from.
type Inputs struct {
	Corpus   *content.Corpus
	Problems []content.Problem // paths as given (already under Dir)
	Links    *Record           // the last recorded link check, or nil
	Dir      string            // the content folder's name, put before entry paths ("content")
	Now      time.Time
}

// Worklist returns what needs attention, most urgent first: content problems (files held
// back, TODOs), dead and moved links from the last recorded check, entries not verified for a
// year, guidance without a confirmed source, then gaps in the national approaches.
func Worklist(in Inputs) []Item {
	if in.Now.IsZero() {
		in.Now = time.Now()
	}
	var items []Item
	file := func(e *content.Entry) string {
		if in.Dir == "" || in.Dir == "." {
			return e.Path
		}
		return in.Dir + "/" + e.Path
	}

	// One item per file: its first problem, and how many more there are.
	byFile := map[string]int{}
	for _, p := range in.Problems {
		if p.Severity != content.Error && p.Rule != content.RuleTODO {
			continue
		}
		if i, ok := byFile[p.Path]; ok {
			items[i].more++
			continue
		}
		id := strings.TrimSuffix(path.Base(p.Path), ".md")
		it := Item{Kind: KindContentProblem, ID: id, Title: id, Path: p.Path, Line: p.Line, Detail: p.Message,
			Fix: fmt.Sprintf("edit %s:%d, then run atlas check --strict", p.Path, p.Line)}
		if e := in.Corpus.Get(id); e != nil {
			it.Title, it.Href = e.Title, href(e)
		}
		if p.Severity == content.Error {
			it.Detail = "held back from the site: " + p.Message
		}
		byFile[p.Path] = len(items)
		items = append(items, it)
	}
	for i := range items {
		switch n := items[i].more; {
		case n == 1:
			items[i].Detail += " (and 1 more problem)"
		case n > 1:
			items[i].Detail += fmt.Sprintf(" (and %d more problems)", n)
		}
	}

	if in.Links != nil {
		for _, l := range in.Links.Links {
			if l.Status == LinkOK {
				continue
			}
			for _, u := range l.Uses {
				e := in.Corpus.Get(u.ID)
				if e == nil || stale(e, u.Field, l.URL) {
					continue
				}
				items = append(items, linkItem(l, u, e, file(e), in.Links.Checked))
			}
		}
	}

	var unverified, nosource, gaps []Item
	for _, e := range in.Corpus.Entries {
		if e.LastVerified != "" {
			if t, err := time.Parse("2006-01-02", e.LastVerified); err == nil && in.Now.Sub(t) > content.StaleAfter {
				unverified = append(unverified, Item{Kind: KindUnverified, ID: e.ID, Title: e.Title, Path: file(e),
					Since:  e.LastVerified,
					Detail: "last verified on " + e.LastVerified + ", more than a year ago",
					Fix:    "check the entry against its source, correct " + file(e) + " where it is wrong, then run atlas verify " + e.ID})
			}
		}
		if e.Kind == content.Guidance && e.SourceURL == "" && e.SourceStatus != "no-public-copy" {
			detail := "no source address given"
			if e.SourceStatus == "unconfirmed" {
				detail = "source address unconfirmed"
			}
			if e.SourceChecked != "" {
				detail += ", looked for on " + e.SourceChecked
			}
			nosource = append(nosource, Item{Kind: KindNoSource, ID: e.ID, Title: e.Title, Path: file(e), Since: e.SourceChecked,
				Detail: detail,
				Fix:    "look for the document; set source_url in " + file(e) + " and remove source_status, or run atlas verify " + e.ID + " to record that you looked"})
		}
		if e.Kind == content.Country {
			gaps = append(gaps, gapItems(e, file(e))...)
		}
	}
	bySince := func(a, b Item) int { return cmp.Or(cmp.Compare(a.Since, b.Since), cmp.Compare(a.ID, b.ID)) }
	slices.SortStableFunc(unverified, bySince)
	slices.SortStableFunc(nosource, bySince)
	items = append(items, unverified...)
	items = append(items, nosource...)
	items = append(items, gaps...)
	slices.SortStableFunc(items, func(a, b Item) int {
		return cmp.Compare(slices.Index(Kinds, a.Kind), slices.Index(Kinds, b.Kind))
	})
	for i := range items {
		if items[i].Kind != KindContentProblem {
			items[i].Href = href(in.Corpus.Get(items[i].ID))
		}
	}
	return items
}

func href(e *content.Entry) string {
	if e == nil {
		return ""
	}
	return "/docs/" + url.PathEscape(e.ID)
}

// stale reports whether an entry no longer cites a recorded link in that field: it was fixed
// after the check.
func stale(e *content.Entry, field, link string) bool {
	var now string
	switch field {
	case "source_url":
		now = e.SourceURL
	case "contact_point":
		now = e.ContactPoint
	default:
		return false
	}
	if i := strings.IndexByte(now, '#'); i >= 0 {
		now = now[:i]
	}
	return now != link
}

func linkItem(l Link, u Use, e *content.Entry, file, checked string) Item {
	it := Item{ID: e.ID, Title: e.Title, Path: file, URL: l.URL, Since: checked}
	field := u.Field
	where := field + " in " + file
	if field == "body" {
		where = "the link in the body of " + file
	}
	switch {
	case l.Status == LinkDead:
		it.Kind = KindDeadLink
		it.Detail = fmt.Sprintf("%s is dead (%s)", field, l.Detail)
		if field == "source_url" && e.ArchivedURL != "" {
			it.Detail += "; the page shows the archived copy meanwhile"
			it.Fix = "find where the document now lives and correct " + where + ", then run atlas verify " + e.ID
		} else if field == "source_url" {
			it.Fix = "find where the document now lives and correct " + where + ", or add archived_url (a web.archive.org copy); then run atlas verify " + e.ID
		} else {
			it.Fix = "correct or remove " + where + ", then run atlas links --record"
		}
	case l.Suggest != "":
		it.Kind = KindMovedLink
		it.Detail = fmt.Sprintf("%s moved to %s", field, l.Suggest)
		it.Fix = "atlas links --patch | git apply (or set " + where + " to " + l.Suggest + "), then run atlas verify " + e.ID
	default:
		it.Kind = KindMovedLink
		it.Detail = fmt.Sprintf("%s may no longer be the document: %s", field, l.Detail)
		it.Fix = "open " + l.URL + "; if the document moved, correct " + where + ", then run atlas verify " + e.ID
	}
	return it
}

// gapItems lists what a country profile leaves open: no national guidelines (or only in
// preparation), and the approach cells still unknown, oldest first.
func gapItems(e *content.Entry, file string) []Item {
	var items []Item
	name := content.CountryName(e.ID)
	if name == "" {
		name = e.Title
	}
	if c, ok := e.Approach["national-guidelines"]; ok && (c.Value == "none" || c.Value == "in-preparation") {
		d := content.DimensionByID("national-guidelines")
		items = append(items, Item{Kind: KindGap, ID: e.ID, Title: e.Title, Path: file, Since: c.AsOf,
			Detail: fmt.Sprintf("%s: national guidelines %s (as of %s)", name, strings.ToLower(c.Label(d)), c.AsOf),
			Fix:    "when guidelines appear, add them (atlas new guidance " + e.ID + "-SLUG) and update approach.national-guidelines in " + file})
	}
	var unknown []string
	oldest := ""
	for _, d := range content.Dimensions {
		c, ok := e.Approach[d.ID]
		if !ok || c.Known() {
			continue
		}
		unknown = append(unknown, d.ID)
		if oldest == "" || c.Checked < oldest {
			oldest = c.Checked
		}
	}
	if len(unknown) > 0 {
		items = append(items, Item{Kind: KindGap, ID: e.ID, Title: e.Title, Path: file, Since: oldest,
			Detail: fmt.Sprintf("%s: %d approach cells unknown (%s), looked for on %s", name, len(unknown), strings.Join(unknown, ", "), oldest),
			Fix:    "look again; answer each cell in approach in " + file + " with its sources, or set its checked to the day you looked"})
	}
	return items
}
