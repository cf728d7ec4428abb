package web

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/export"
	"github.com/research-security-atlas/atlas/internal/search"
)

// This file sets the sensitive-technology lists side by side: each list's categories mapped to
// the Atlas's neutral technology areas (/technologies, /api/technologies, /technologies.csv),
// and the technology filter of search and the reading list that those mappings make possible.

// techList is one edition of a technology list, arranged for display.
type techList struct {
	E            *content.Entry
	Jurisdiction string // the code of its first country
	Name         string // the jurisdiction's name
	Source       *content.Entry
	Older        *techList // the edition it supersedes, when that is in the corpus
	Newer        *techList // the edition that supersedes it
	// Against Older: categories added, no longer listed, and kept under another label.
	Added, Removed []content.TechCategory
	Renamed        []renamedCategory
	GroupStart     bool // the first list of its group of columns
}

type renamedCategory struct{ From, To content.TechCategory }

// Short is the list's title without the jurisdiction and year in parentheses at its end, and
// without what follows a colon: short enough for a column heading.
func (l *techList) Short() string {
	t := l.E.Title
	if strings.HasSuffix(t, ")") {
		if i := strings.LastIndex(t, " ("); i > 0 {
			t = t[:i]
		}
	}
	if i := strings.Index(t, ": "); i > 0 {
		t = t[:i]
	}
	return t
}

// Year is the year of the edition.
func (l *techList) Year() string {
	if len(l.E.Published) >= 4 {
		return l.E.Published[:4]
	}
	return l.E.Published
}

// EffectLabel is the list's legal effect for people.
func (l *techList) EffectLabel() string { return content.LegalEffectVocab.Label(l.E.LegalEffect) }

// Changed reports whether anything differs from the older edition.
func (l *techList) Changed() bool { return len(l.Added)+len(l.Removed)+len(l.Renamed) > 0 }

// techGroup is the lists of one jurisdiction, newest edition first; export-control lists form
// groups of their own, after the others.
type techGroup struct {
	Code, Name    string
	ExportControl bool
	Lists         []*techList
}

// techMapping is one category of one list mapped to an area.
type techMapping struct {
	List     *techList
	Category *content.TechCategory
	content.AreaMapping
}

// RelationLabel is the relation in words: "the category is … the area".
func (m techMapping) RelationLabel() string { return content.RelationVocab.Label(m.Relation) }

// Counts reports whether the mapping puts guidance in the area for the technology filter:
// every relation but related.
func (m techMapping) Counts() bool { return m.Relation != "related" }

// techArea is one neutral technology area with every list's categories mapped to it.
type techArea struct {
	E        *content.Entry
	Mappings []techMapping // in list order, then category order
	// Entries are the ids the technology filter keeps for the area: each list with a category
	// mapped more closely than related, and the list's source entry.
	Entries []string
}

// techData is the technology lists and areas of one corpus.
type techData struct {
	Lists  []*techList // grouped by jurisdiction, newest edition first, export control last
	Groups []techGroup
	Areas  []*techArea // by label
	byArea map[string]*techArea
	byList map[string]*techList
}

// areaIDs lists the ids of the areas, for messages.
func (td *techData) areaIDs() string {
	ids := make([]string, len(td.Areas))
	for i, a := range td.Areas {
		ids[i] = a.E.ID
	}
	return strings.Join(ids, ", ")
}

// tech returns the state's technology lists and areas, arranging them on first use.
func (st *state) tech() *techData {
	st.techOnce.Do(func() { st.techData = newTechData(st.corpus) })
	return st.techData
}

func newTechData(corpus *content.Corpus) *techData {
	td := &techData{byArea: map[string]*techArea{}, byList: map[string]*techList{}}
	for _, e := range corpus.Entries {
		switch e.Kind {
		case content.TechArea:
			a := &techArea{E: e}
			td.Areas = append(td.Areas, a)
			td.byArea[e.ID] = a
		case content.TechList:
			l := &techList{E: e}
			if len(e.Countries) > 0 {
				l.Jurisdiction, l.Name = e.Countries[0], content.CountryName(e.Countries[0])
			}
			if e.Source != "" {
				l.Source = corpus.Get(e.Source)
			}
			td.Lists = append(td.Lists, l)
			td.byList[e.ID] = l
		}
	}
	slices.SortFunc(td.Areas, func(a, b *techArea) int {
		return cmp.Or(strings.Compare(a.E.Title, b.E.Title), strings.Compare(a.E.ID, b.E.ID))
	})
	order := map[string]int{}
	for i, code := range content.SortCountries(jurisdictionsOf(td.Lists)) {
		order[code] = i
	}
	slices.SortFunc(td.Lists, func(a, b *techList) int {
		if a.E.ExportControl != b.E.ExportControl {
			if a.E.ExportControl {
				return 1
			}
			return -1
		}
		return cmp.Or(order[a.Jurisdiction]-order[b.Jurisdiction], strings.Compare(b.E.Published, a.E.Published), strings.Compare(a.E.ID, b.E.ID))
	})
	for _, l := range td.Lists {
		if old := td.byList[l.E.Supersedes]; old != nil && old != l {
			l.Older, old.Newer = old, l
			l.Added, l.Removed, l.Renamed = diffCategories(old.E.Categories, l.E.Categories)
		}
		if n := len(td.Groups); n == 0 || td.Groups[n-1].Code != l.Jurisdiction || td.Groups[n-1].ExportControl != l.E.ExportControl {
			td.Groups = append(td.Groups, techGroup{Code: l.Jurisdiction, Name: l.Name, ExportControl: l.E.ExportControl})
			l.GroupStart = true
		}
		g := &td.Groups[len(td.Groups)-1]
		g.Lists = append(g.Lists, l)
		for i := range l.E.Categories {
			c := &l.E.Categories[i]
			for _, m := range c.Areas {
				a := td.byArea[m.Area]
				if a == nil {
					continue // atlas check reports it
				}
				tm := techMapping{List: l, Category: c, AreaMapping: m}
				a.Mappings = append(a.Mappings, tm)
				if tm.Counts() {
					for _, id := range []string{l.E.ID, l.E.Source} {
						if id != "" && !slices.Contains(a.Entries, id) {
							a.Entries = append(a.Entries, id)
						}
					}
				}
			}
		}
	}
	return td
}

func jurisdictionsOf(ls []*techList) []string {
	var out []string
	for _, l := range ls {
		if !slices.Contains(out, l.Jurisdiction) {
			out = append(out, l.Jurisdiction)
		}
	}
	return out
}

// diffCategories compares two editions' categories by id: those only in the newer are added,
// those only in the older removed, and those in both under another label renamed.
func diffCategories(older, newer []content.TechCategory) (added, removed []content.TechCategory, renamed []renamedCategory) {
	find := func(cs []content.TechCategory, id string) *content.TechCategory {
		for i := range cs {
			if cs[i].ID == id {
				return &cs[i]
			}
		}
		return nil
	}
	for _, c := range newer {
		switch o := find(older, c.ID); {
		case o == nil:
			added = append(added, c)
		case o.Label != c.Label:
			renamed = append(renamed, renamedCategory{From: *o, To: c})
		}
	}
	for _, c := range older {
		if find(newer, c.ID) == nil {
			removed = append(removed, c)
		}
	}
	return added, removed, renamed
}

// parseTechnology reads the technology parameter of search and the reading list: known area
// ids, any number of them (OR). It returns the areas chosen and the ids of the entries they
// keep; ids is nil when no area is chosen.
func (st *state) parseTechnology(v url.Values) (areas, ids []string, err error) {
	vals := v["technology"]
	if len(vals) > maxValues {
		return nil, nil, badRequest(fmt.Sprintf("technology is given %d times; at most %d values are allowed", len(vals), maxValues))
	}
	td := st.tech()
	for _, val := range vals {
		val = strings.TrimSpace(val)
		if val == "" || slices.Contains(areas, val) {
			continue
		}
		a := td.byArea[val]
		if a == nil {
			if len(val) > maxParamLength || !utf8.ValidString(val) {
				return nil, nil, badRequest(fmt.Sprintf("technology value is not valid: use one of %s", td.areaIDs()))
			}
			return nil, nil, badRequest(fmt.Sprintf("unknown technology %q: use one of %s", truncate(val), td.areaIDs()))
		}
		areas = append(areas, val)
		if ids == nil {
			ids = []string{}
		}
		for _, id := range a.Entries {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	return areas, ids, nil
}

// searchRequest validates the query string of /search, /api/search and the feed: the facets
// with parseSearch, and the technology areas, which become the ids the search may return.
func (st *state) searchRequest(v url.Values) (search.Request, error) {
	req, err := parseSearch(v)
	if err != nil {
		return req, err
	}
	_, req.IDs, err = st.parseTechnology(v)
	if err != nil {
		return req, err
	}
	switch scope := v.Get("scope"); scope {
	case "":
	case "applies":
		req.Reach = st.reach(req.Filters["country"])
	default:
		return req, badRequest(fmt.Sprintf("scope %q is not known: use scope=applies (with a country) or leave it out", truncate(scope)))
	}
	return req, nil
}

// reach is what scope=applies adds to a country selection: the bodies whose rules reach the
// selected countries (their profiles' member_of) and the international instruments, in the
// order of content.SortCountries; none without a selection.
func (st *state) reach(countries []string) []string {
	if len(countries) == 0 {
		return nil
	}
	set := map[string]string{}
	for _, c := range countries {
		for b, why := range st.catalog.Reach(c) {
			if content.IsBody(b) && !slices.Contains(countries, b) {
				set[b] = why
			}
		}
	}
	return content.SortCountries(keys(set))
}

// appliesVia is the body through which an entry of a scope=applies search reaches the selected
// countries: "" when it belongs to one of them itself, else the first of reach it belongs to.
func appliesVia(e *content.Entry, req search.Request) string {
	if len(req.Reach) == 0 || slices.ContainsFunc(e.Countries, func(c string) bool { return slices.Contains(req.Filters["country"], c) }) {
		return ""
	}
	for _, b := range req.Reach {
		if slices.Contains(e.Countries, b) {
			return b
		}
	}
	return ""
}

// technologyFacet counts the technology areas among the hits of req without its own
// technology selection (the facets are disjunctive), with one more search: the entries some
// area keeps are few.
func (st *state) technologyFacet(ctx context.Context, req search.Request, selected []string) (facetView, error) {
	td := st.tech()
	all := td.allEntries()
	req.IDs, req.Page, req.Size = all, 1, len(all)+1
	res, err := st.index.Search(ctx, req)
	if err != nil {
		return facetView{}, err
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return td.techFacet(td.areaCounts(ids), selected), nil
}

// areaLabel is an area's name, or its id when the corpus has no such area.
func (td *techData) areaLabel(id string) string {
	if a := td.byArea[id]; a != nil {
		return a.E.Title
	}
	return id
}

// techFacet is the technology filter shown beside search results and the reading list: the
// areas with how many of the entries matching the other filters each keeps.
func (td *techData) techFacet(counts map[string]int, selected []string) facetView {
	fv := facetView{Name: "technology", Label: "Technology area", Values: []facetValue{}, Open: len(selected) > 0}
	for _, a := range td.Areas {
		n, sel := counts[a.E.ID], slices.Contains(selected, a.E.ID)
		if n > 0 || sel {
			fv.Values = append(fv.Values, facetValue{Value: a.E.ID, Label: a.E.Title, Count: n, Selected: sel})
		}
	}
	slices.SortStableFunc(fv.Values, func(a, b facetValue) int { return b.Count - a.Count })
	return fv
}

// areaCounts counts, for every area, how many of ids it keeps.
func (td *techData) areaCounts(ids []string) map[string]int {
	out := map[string]int{}
	for _, a := range td.Areas {
		for _, id := range ids {
			if slices.Contains(a.Entries, id) {
				out[a.E.ID]++
			}
		}
	}
	return out
}

// allEntries is every id some area keeps.
func (td *techData) allEntries() []string {
	out := []string{}
	for _, a := range td.Areas {
		for _, id := range a.Entries {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}

type apiTechAreaRef struct {
	Area     string `json:"area"`
	Relation string `json:"relation"`
	Note     string `json:"note"`
}

type apiTechCategory struct {
	ID    string           `json:"id"`
	Label string           `json:"label"`
	Sub   []string         `json:"sub,omitempty"`
	Areas []apiTechAreaRef `json:"areas"`
}

type apiTechCategoryRef struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

type apiTechRename struct {
	ID    string `json:"id"`
	From  string `json:"from"`
	Label string `json:"label"`
}

// apiTechChanges is what changed from the edition a list supersedes.
type apiTechChanges struct {
	From    string               `json:"from"`
	Added   []apiTechCategoryRef `json:"added"`
	Removed []apiTechCategoryRef `json:"removed"`
	Renamed []apiTechRename      `json:"renamed"`
}

type apiTechList struct {
	ID               string            `json:"id"`
	Title            string            `json:"title"`
	Href             string            `json:"href"`
	Jurisdiction     string            `json:"jurisdiction"`
	JurisdictionName string            `json:"jurisdiction_name"`
	Issuer           string            `json:"issuer"`
	Published        string            `json:"published"`
	LegalEffect      string            `json:"legal_effect"`
	Source           string            `json:"source"`
	Supersedes       string            `json:"supersedes,omitempty"`
	SupersededBy     string            `json:"superseded_by,omitempty"`
	ExportControl    bool              `json:"export_control,omitempty"`
	Categories       []apiTechCategory `json:"categories"`
	Changes          *apiTechChanges   `json:"changes,omitempty"`
}

type apiTechMapping struct {
	List          string `json:"list"`
	Category      string `json:"category"`
	CategoryLabel string `json:"category_label"`
	Relation      string `json:"relation"`
	Note          string `json:"note"`
}

type apiTechArea struct {
	ID         string           `json:"id"`
	Label      string           `json:"label"`
	Summary    string           `json:"summary"`
	Href       string           `json:"href"`
	SearchHref string           `json:"search_href"`
	Mappings   []apiTechMapping `json:"mappings"`
}

type apiTechnologies struct {
	Lists []apiTechList `json:"lists"`
	Areas []apiTechArea `json:"areas"`
}

func refs(cs []content.TechCategory) []apiTechCategoryRef {
	out := []apiTechCategoryRef{}
	for _, c := range cs {
		out = append(out, apiTechCategoryRef{ID: c.ID, Label: c.Label})
	}
	return out
}

func (td *techData) api() apiTechnologies {
	out := apiTechnologies{Lists: []apiTechList{}, Areas: []apiTechArea{}}
	for _, l := range td.Lists {
		e := l.E
		al := apiTechList{ID: e.ID, Title: e.Title, Href: "/docs/" + url.PathEscape(e.ID), Jurisdiction: l.Jurisdiction, JurisdictionName: l.Name,
			Issuer: e.Issuer, Published: e.Published, LegalEffect: e.LegalEffect, Source: e.Source,
			ExportControl: e.ExportControl, Categories: []apiTechCategory{}}
		if l.Older != nil {
			al.Supersedes = l.Older.E.ID
			ch := &apiTechChanges{From: l.Older.E.ID, Added: refs(l.Added), Removed: refs(l.Removed), Renamed: []apiTechRename{}}
			for _, r := range l.Renamed {
				ch.Renamed = append(ch.Renamed, apiTechRename{ID: r.To.ID, From: r.From.Label, Label: r.To.Label})
			}
			al.Changes = ch
		}
		if l.Newer != nil {
			al.SupersededBy = l.Newer.E.ID
		}
		for _, c := range e.Categories {
			ac := apiTechCategory{ID: c.ID, Label: c.Label, Sub: c.Sub, Areas: []apiTechAreaRef{}}
			for _, m := range c.Areas {
				ac.Areas = append(ac.Areas, apiTechAreaRef{Area: m.Area, Relation: m.Relation, Note: m.Note})
			}
			al.Categories = append(al.Categories, ac)
		}
		out.Lists = append(out.Lists, al)
	}
	for _, a := range td.Areas {
		aa := apiTechArea{ID: a.E.ID, Label: a.E.Title, Summary: a.E.Summary, Href: "/docs/" + url.PathEscape(a.E.ID),
			SearchHref: "/search?technology=" + url.QueryEscape(a.E.ID), Mappings: []apiTechMapping{}}
		for _, m := range a.Mappings {
			aa.Mappings = append(aa.Mappings, apiTechMapping{List: m.List.E.ID, Category: m.Category.ID, CategoryLabel: m.Category.Label,
				Relation: m.Relation, Note: m.Note})
		}
		out.Areas = append(out.Areas, aa)
	}
	return out
}

func (s *Server) handleAPITechnologies(c echo.Context) error {
	return c.JSON(http.StatusOK, s.state().tech().api())
}

// technologiesCSVHeader is the header of /technologies.csv: one row per mapping of a category
// to an area.
var technologiesCSVHeader = []string{"list", "jurisdiction", "legal_effect", "category", "category_label", "area", "area_label", "relation", "note"}

func (s *Server) handleTechnologiesCSV(c echo.Context) error {
	td := s.state().tech()
	var b bytes.Buffer
	b.WriteString("\ufeff") // so that spreadsheet programs read the file as UTF-8
	w := csv.NewWriter(&b)
	w.Write(technologiesCSVHeader)
	for _, l := range td.Lists {
		for _, cat := range l.E.Categories {
			for _, m := range cat.Areas {
				w.Write([]string{l.E.ID, l.Jurisdiction, l.E.LegalEffect, cat.ID, export.CSVSafe(cat.Label), m.Area,
					export.CSVSafe(td.areaLabel(m.Area)), m.Relation, export.CSVSafe(m.Note)})
			}
		}
	}
	w.Flush()
	c.Response().Header().Set("Content-Disposition", `attachment; filename="technologies.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", b.Bytes())
}

// techCell is what one list says about one area.
type techCell struct {
	List     *techList
	Mappings []techMapping
}

// Label says which list the cell is about, for the cards on a phone: the jurisdiction and the
// year tell the lists apart, with the edition or export control marked.
func (c techCell) Label() string {
	s := c.List.Name + ", " + c.List.Year()
	switch {
	case c.List.E.ExportControl:
		s += " (export control)"
	case c.List.Newer != nil:
		s += " (older edition)"
	}
	return s
}

// techRow is one area across the lists.
type techRow struct {
	Area  *techArea
	Cells []techCell
	Lists int // how many lists map a category to the area
}

type technologiesPage struct {
	basePage
	Groups    []techGroup
	Lists     []*techList
	Rows      []techRow
	Relations []sortOption // the relations with their labels, for the key
	Mappings  int
	Changed   []*techList // lists with an older edition in the Atlas
}

func (s *Server) handleTechnologies(c echo.Context) error {
	td := s.state().tech()
	p := technologiesPage{basePage: s.base(c, "Sensitive-technology lists side by side"), Groups: td.Groups, Lists: td.Lists}
	p.Wide = true
	for _, v := range content.RelationVocab.Values() {
		p.Relations = append(p.Relations, sortOption{Value: v, Label: content.RelationVocab.Label(v)})
	}
	for _, a := range td.Areas {
		row := techRow{Area: a}
		for _, l := range td.Lists {
			cell := techCell{List: l}
			for _, m := range a.Mappings {
				if m.List == l {
					cell.Mappings = append(cell.Mappings, m)
				}
			}
			if len(cell.Mappings) > 0 {
				row.Lists++
			}
			row.Cells = append(row.Cells, cell)
		}
		p.Mappings += len(a.Mappings)
		p.Rows = append(p.Rows, row)
	}
	for _, l := range td.Lists {
		if l.Older != nil {
			p.Changed = append(p.Changed, l)
		}
	}
	return s.render(c, http.StatusOK, "technologies", p)
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
