package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/upkeep"
)

// linkView is what the last recorded link check found for an entry's own address: a guidance
// entry's source, a country's contact point.
type linkView struct {
	URL     string
	Status  string // ok, moved, dead
	Checked string
	Detail  string
	Suggest string
}

func (st *state) linkOf(e *content.Entry) *linkView {
	u := e.SourceURL
	if e.Kind == content.Country {
		u = e.ContactPoint
	}
	l, ok := st.links.Lookup(u)
	if !ok {
		return nil
	}
	return &linkView{URL: l.URL, Status: l.Status, Checked: st.links.Checked, Detail: l.Detail, Suggest: l.Suggest}
}

// worklist builds the organiser's worklist from the server's state: its corpus, the content
// problems it is holding back and the last recorded link check.
func (s *Server) worklist(st *state) []upkeep.Item {
	items := upkeep.Worklist(upkeep.Inputs{Corpus: st.corpus, Problems: st.problems, Links: st.links, Dir: s.cfg.ContentDir, Now: time.Now()})
	if items == nil {
		items = []upkeep.Item{}
	}
	return items
}

type upkeepGroup struct {
	Kind, Label, Help string
	Items             []upkeep.Item
}

type upkeepPage struct {
	basePage
	Groups       []upkeepGroup
	Total        int
	LinksChecked string
}

// upkeepLabels name each kind of item and say what it means, in the order of upkeep.Kinds.
var upkeepLabels = map[string][2]string{
	upkeep.KindContentProblem: {"Content problems", "Files that do not load (the site keeps showing their last good version, or nothing) and placeholders left in bodies."},
	upkeep.KindDeadLink:       {"Dead links", "Addresses that did not answer with the document at the last recorded link check."},
	upkeep.KindMovedLink:      {"Moved links", "Addresses that redirect permanently, or whose page no longer looks like the document."},
	upkeep.KindUnverified:     {"Not verified for a year", "Entries nobody has checked against their source for more than a year, oldest first."},
	upkeep.KindNoSource:       {"Sources to find", "Guidance whose source address is unconfirmed or not given."},
	upkeep.KindGap:            {"Gaps", "Jurisdictions without national guidelines, and approach answers still unknown."},
}

func (s *Server) handleUpkeep(c echo.Context) error {
	st := s.state()
	items := s.worklist(st)
	p := upkeepPage{basePage: s.base(c, "Upkeep: what needs attention"), Total: len(items)}
	if st.links != nil {
		p.LinksChecked = st.links.Checked
	}
	for _, k := range upkeep.Kinds {
		g := upkeepGroup{Kind: k, Label: upkeepLabels[k][0], Help: upkeepLabels[k][1]}
		for _, it := range items {
			if it.Kind == k {
				g.Items = append(g.Items, it)
			}
		}
		p.Groups = append(p.Groups, g)
	}
	return s.render(c, http.StatusOK, "upkeep", p)
}

func (s *Server) handleAPIUpkeep(c echo.Context) error {
	st := s.state()
	out := struct {
		Items        []upkeep.Item `json:"items"`
		LinksChecked string        `json:"links_checked,omitempty"`
	}{Items: s.worklist(st)}
	if st.links != nil {
		out.LinksChecked = st.links.Checked
	}
	return c.JSON(http.StatusOK, out)
}

// handleUpkeepFeed serves the worklist as Atom, for organisers who watch it in a reader: an
// entry per item, dated by the day it was found or last looked at.
func (s *Server) handleUpkeepFeed(c echo.Context) error {
	st := s.state()
	base := s.publicURL
	today := time.Now().UTC().Format("2006-01-02")
	f := atomFeed{Title: "Research Security Atlas: what needs attention", ID: tagPrefix + "upkeep", Updated: atomTime(today),
		Links: []atomLink{{Href: base + "/upkeep.atom", Rel: "self", Type: "application/atom+xml"},
			{Href: base + "/upkeep", Rel: "alternate", Type: "text/html"}}}
	f.Author.Name = "Research Security Atlas"
	for _, it := range s.worklist(st) {
		day := it.Since
		if len(day) != 10 {
			day = today
		}
		href := base + "/docs/" + url.PathEscape(it.ID)
		if e := st.corpus.Get(it.ID); e != nil {
			href = base + entryHref(e)
		}
		f.Entries = append(f.Entries, atomEntry{
			Title:    upkeepLabels[it.Kind][0] + ": " + it.Title,
			ID:       base + "/upkeep#" + it.Kind + "/" + url.PathEscape(it.ID) + "/" + url.PathEscape(it.URL),
			Updated:  atomTime(day),
			Links:    []atomLink{{Href: href, Rel: "alternate", Type: "text/html"}},
			Summary:  it.Detail + ". Fix: " + it.Fix,
			Category: []atomCat{{Term: it.Kind, Label: upkeepLabels[it.Kind][0]}},
		})
	}
	return writeXML(c, "application/atom+xml; charset=utf-8", f)
}
