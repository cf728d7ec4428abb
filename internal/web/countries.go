package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/research-security-atlas/atlas/internal/content"
)

type coverageCell struct {
	Count int
	Heat  int // 0–4, for shading
	Href  string
}

type countryRow struct {
	J        *content.Jurisdiction
	Terms    string
	Cells    []coverageCell
	Guidance int
	Findings int
}

type countriesPage struct {
	basePage
	Columns []string
	Rows    []countryRow
	// The approach matrix: the controlled dimensions, and a row per profiled jurisdiction.
	Dimensions []*content.Dimension
	Approaches []approachRow
}

type approachRow struct {
	J     *content.Jurisdiction
	Cells []approachCell
	Known int
}

// heat buckets a count for the coverage matrix's shading.
func heat(n int) int {
	switch {
	case n == 0:
		return 0
	case n <= 2:
		return 1
	case n <= 5:
		return 2
	case n <= 10:
		return 3
	}
	return 4
}

func (s *Server) handleCountries(c echo.Context) error {
	st := s.state()
	p := countriesPage{basePage: s.base(c, "Countries and organisations")}
	for _, col := range content.CoverageColumns {
		p.Columns = append(p.Columns, col.Label)
	}
	for _, j := range st.catalog.Jurisdictions {
		row := countryRow{J: j, Terms: strings.Join(j.Terms(), "; "), Guidance: len(j.Guidance), Findings: len(j.Findings)}
		for _, col := range content.CoverageColumns {
			n := j.Count(col.Facet, col.Value)
			row.Cells = append(row.Cells, coverageCell{Count: n, Heat: heat(n),
				Href: "/search?" + url.Values{"country": {j.Code}, col.Facet: {col.Value}}.Encode()})
		}
		p.Rows = append(p.Rows, row)
	}
	for i := range content.Dimensions {
		if d := &content.Dimensions[i]; d.Values != nil {
			p.Dimensions = append(p.Dimensions, d)
		}
	}
	for _, j := range st.profiled() {
		row := approachRow{J: j}
		for _, d := range p.Dimensions {
			cell := st.approachOf(j, d)
			if cell.Known() {
				row.Known++
			}
			row.Cells = append(row.Cells, cell)
		}
		p.Approaches = append(p.Approaches, row)
	}
	return s.render(c, http.StatusOK, "countries", p)
}

type entryGroup struct {
	Label   string
	Entries []*content.Entry
}

type questionGroup struct {
	Question string
	Label    string
	Findings []*content.Entry
}

type topicFindings struct {
	Topic     string
	Label     string
	Questions []questionGroup
}

type countryPage struct {
	basePage
	J         *content.Jurisdiction
	Profile   *content.Entry
	Guidance  []entryGroup
	Findings  []topicFindings
	General   []*content.Entry
	Others    []*content.Jurisdiction
	Suggested []string
}

func (s *Server) handleCountry(c echo.Context) error {
	st := s.state()
	code := c.Param("code")
	j := st.catalog.Jurisdiction(code)
	if j == nil {
		return notFound(fmt.Sprintf("There is no country or organisation with the code %q. The list of countries has every code.", truncate(code)))
	}
	p := countryPage{basePage: s.base(c, j.Name), J: j, Profile: j.Profile}
	p.Description = fmt.Sprintf("How %s approaches research security: %d guidance entries and %d workshop findings in the Research Security Atlas.", j.Name, len(j.Guidance), len(j.Findings))
	if j.Profile != nil && j.Profile.Summary != "" {
		p.Description = description(j.Profile)
	}
	for _, t := range content.TypeVocab.Values() {
		var g entryGroup
		for _, e := range j.Guidance {
			if e.Type == t {
				g.Entries = append(g.Entries, e)
			}
		}
		if len(g.Entries) > 0 {
			g.Label = content.TypeVocab.Label(t)
			p.Guidance = append(p.Guidance, g)
		}
	}
	for _, tg := range st.catalog.Topics {
		tf := topicFindings{Topic: tg.Slug, Label: tg.Label}
		for _, q := range tg.Questions {
			if fs := j.FindingsFor(q); len(fs) > 0 {
				tf.Questions = append(tf.Questions, questionGroup{Question: q, Label: content.QuestionVocab.Label(q), Findings: fs})
			}
		}
		if len(tf.Questions) > 0 {
			p.Findings = append(p.Findings, tf)
		}
	}
	p.General = j.FindingsFor("general")
	for _, o := range st.comparable() {
		if o.Code != j.Code {
			p.Others = append(p.Others, o)
		}
	}
	return s.render(c, http.StatusOK, "country", p)
}

// comparison is the side-by-side view of 2 to 4 jurisdictions: a row per topic (its
// guidance) and under it a row per guiding question (the findings).
type comparison struct {
	Countries []*content.Jurisdiction
	Rows      []compareRow
}

type compareRow struct {
	Topic         string
	TopicLabel    string
	Question      string // "" for the topic's own row
	QuestionLabel string
	Cells         []compareCell // one per country, in order
}

// allEmpty reports whether no compared jurisdiction has anything in the row.
func (r compareRow) allEmpty() bool {
	for _, c := range r.Cells {
		if !c.Empty() {
			return false
		}
	}
	return true
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

type compareCell struct {
	Guidance []*content.Entry
	Findings []*content.Entry
	// More is how many entries the page leaves out of a long cell, and MoreHref where they all are.
	More     int
	MoreHref string
}

func (c compareCell) Empty() bool { return len(c.Guidance) == 0 && len(c.Findings) == 0 }

// The most entries a cell of the compare page shows. Cells are read side by side, so a long one
// is cut and links to the rest; /api/compare lists them all.
const (
	compareCellGuidance = 3
	compareCellFindings = 8
)

// shorten cuts the cells of cmp for the page: a guidance cell links to the search for all of
// its entries, a findings cell to the question on the country's page.
func (cmp comparison) shorten(filters map[string][]string) {
	for _, row := range cmp.Rows {
		for i := range row.Cells {
			cell, j := &row.Cells[i], cmp.Countries[i]
			if n := len(cell.Guidance); n > compareCellGuidance {
				q := url.Values{"country": {j.Code}, "topic": {row.Topic}, "kind": {string(content.Guidance)}}
				for f, vs := range filters {
					q[f] = vs
				}
				cell.Guidance, cell.More, cell.MoreHref = cell.Guidance[:compareCellGuidance], n-compareCellGuidance, "/search?"+q.Encode()
			}
			if n := len(cell.Findings); n > compareCellFindings {
				cell.Findings, cell.More = cell.Findings[:compareCellFindings], n-compareCellFindings
				cell.MoreHref = "/countries/" + url.PathEscape(j.Code) + "#q-" + row.Question
			}
		}
	}
}

const (
	minCompare = 2
	maxCompare = 4
)

// parseCompare validates the c parameters: known codes, no repeats, at most four.
func (st *state) parseCompare(q url.Values) ([]*content.Jurisdiction, error) {
	out, err := st.compareCodes(q)
	if err != nil {
		return nil, err
	}
	if len(out) > maxCompare {
		return nil, badRequest(fmt.Sprintf("c is given %d times: compare at most %d countries at once", len(out), maxCompare))
	}
	return out, nil
}

// compareCodes reads the c parameters (or country, their name elsewhere in the API): known
// codes, without repeats, however many.
func (st *state) compareCodes(q url.Values) ([]*content.Jurisdiction, error) {
	var out []*content.Jurisdiction
	for _, code := range append(append([]string(nil), q["c"]...), q["country"]...) {
		code = strings.TrimSpace(code)
		if code == "" || slices.ContainsFunc(out, func(j *content.Jurisdiction) bool { return j.Code == code }) {
			continue
		}
		j := st.catalog.Jurisdiction(code)
		if j == nil {
			return nil, badRequest(fmt.Sprintf("c: unknown country or organisation %q; use codes from /countries such as nl, ca, gb", truncate(code)))
		}
		out = append(out, j)
	}
	return out, nil
}

// compare arranges js side by side; filters (a theme, a stage) narrow every cell.
func (st *state) compare(js []*content.Jurisdiction, filters map[string][]string) comparison {
	keep := func(es []*content.Entry) []*content.Entry {
		var out []*content.Entry
		for _, e := range es {
			if e.Matches(filters, "") {
				out = append(out, e)
			}
		}
		return out
	}
	cmp := comparison{Countries: js}
	for _, tg := range st.catalog.Topics {
		row := compareRow{Topic: tg.Slug, TopicLabel: tg.Label}
		for _, j := range js {
			row.Cells = append(row.Cells, compareCell{Guidance: keep(j.GuidanceFor(tg.Slug))})
		}
		cmp.Rows = append(cmp.Rows, row)
		for _, q := range tg.Questions {
			qr := compareRow{Topic: tg.Slug, TopicLabel: tg.Label, Question: q, QuestionLabel: content.QuestionVocab.Label(q)}
			for _, j := range js {
				qr.Cells = append(qr.Cells, compareCell{Findings: keep(j.FindingsFor(q))})
			}
			cmp.Rows = append(cmp.Rows, qr)
		}
	}
	gr := compareRow{Question: "general", QuestionLabel: content.QuestionVocab.Label("general")}
	for _, j := range js {
		gr.Cells = append(gr.Cells, compareCell{Findings: keep(j.FindingsFor("general"))})
	}
	cmp.Rows = append(cmp.Rows, gr)
	return cmp
}

type comparePage struct {
	basePage
	comparison
	Glance    []glanceRow
	Differing int  // glance rows whose known values differ
	Hidden    int  // rows left out because every cell is empty
	ShowEmpty bool // empty rows are shown on request
	EmptyHref string
	Choices   []compareChoice
	Message   string
	TooMany   bool                  // more than maxCompare were ticked: Message says so beside the picker
	Single    *content.Jurisdiction // the one jurisdiction chosen, when only one was
	Themes    []sortOption          // the focus choices; Selected marks the current one
	Stages    []sortOption
	Focus     string // the focus in words, when there is one
}

// compareFilters reads the optional focus of a comparison: one theme and one research stage.
func compareFilters(q url.Values) (map[string][]string, error) {
	f := map[string][]string{}
	for _, name := range []string{"theme", "stage"} {
		v := strings.TrimSpace(q.Get(name))
		if v == "" {
			continue
		}
		if msg := facetCheck[name](v); msg != "" {
			return nil, badRequest(msg)
		}
		f[name] = []string{v}
	}
	return f, nil
}

type compareChoice struct {
	J       *content.Jurisdiction
	Checked bool
}

func (s *Server) handleCompare(c echo.Context) error {
	st := s.state()
	js, err := st.compareCodes(c.QueryParams())
	if err != nil {
		return err
	}
	// Too many ticked: the picker comes back with the ticks kept and says what to do, rather
	// than a bare error page. The status stays 400.
	if len(js) > maxCompare {
		p := comparePage{basePage: s.base(c, "Compare"), TooMany: true,
			Message: fmt.Sprintf("You ticked %d countries or organisations; the comparison has room for %d. Untick %d and compare again.", len(js), maxCompare, len(js)-maxCompare)}
		for _, j := range st.comparable() {
			p.Choices = append(p.Choices, compareChoice{J: j, Checked: slices.Contains(js, j)})
		}
		p.Themes = []sortOption{{Value: "", Label: "All themes", Selected: true}}
		p.Stages = []sortOption{{Value: "", Label: "Any stage", Selected: true}}
		return s.render(c, http.StatusBadRequest, "compare", p)
	}
	filters, err := compareFilters(c.QueryParams())
	if err != nil {
		return err
	}
	title := "Compare"
	if len(js) >= minCompare {
		var names []string
		for _, j := range js {
			names = append(names, j.Name)
		}
		title = "Compare " + strings.Join(names, ", ")
	}
	p := comparePage{basePage: s.base(c, title)}
	for _, j := range st.comparable() {
		p.Choices = append(p.Choices, compareChoice{J: j, Checked: slices.Contains(js, j)})
	}
	p.Themes = append(p.Themes, sortOption{Value: "", Label: "All themes", Selected: len(filters["theme"]) == 0})
	for _, t := range content.ThemeVocab.Values() {
		p.Themes = append(p.Themes, sortOption{Value: t, Label: content.ThemeVocab.Label(t), Selected: len(filters["theme"]) > 0 && filters["theme"][0] == t})
	}
	p.Stages = append(p.Stages, sortOption{Value: "", Label: "Any stage", Selected: len(filters["stage"]) == 0})
	for _, v := range content.StageFacetVocab.Values() {
		p.Stages = append(p.Stages, sortOption{Value: v, Label: content.StageFacetVocab.Label(v), Selected: len(filters["stage"]) > 0 && filters["stage"][0] == v})
	}
	var focus []string
	for _, f := range []string{"theme", "stage"} {
		for _, v := range filters[f] {
			focus = append(focus, strings.ToLower(valueLabel(f, v)))
		}
	}
	p.Focus = strings.Join(focus, ", ")
	if len(js) >= minCompare {
		p.comparison = st.compare(js, filters)
		p.comparison.shorten(filters)
		theme, stage := first(filters["theme"]), first(filters["stage"])
		p.Glance = st.glance(js, theme, stage)
		for _, r := range p.Glance {
			if r.Differs {
				p.Differing++
			}
		}
		p.ShowEmpty = c.QueryParam("empty") == "1"
		if !p.ShowEmpty {
			var kept []compareRow
			for _, r := range p.Rows {
				if r.allEmpty() {
					p.Hidden++
					continue
				}
				kept = append(kept, r)
			}
			p.Rows = kept
		}
		q := c.QueryParams()
		q = url.Values{"c": q["c"], "theme": q["theme"], "stage": q["stage"]}
		if !p.ShowEmpty {
			q.Set("empty", "1")
		}
		p.EmptyHref = "/compare?" + q.Encode()
	} else if len(js) == 1 {
		// One ticked is a comparison half made: say what is missing, and where the one is.
		p.Single = js[0]
		p.Message = fmt.Sprintf("You chose %s. Tick %d to %d more to see them side by side.", js[0].Name, minCompare-1, maxCompare-1)
	} else {
		p.Message = fmt.Sprintf("Choose %d to %d countries or organisations to see them side by side.", minCompare, maxCompare)
	}
	return s.render(c, http.StatusOK, "compare", p)
}

// comparable lists the jurisdictions worth comparing: those with a profile or findings.
func (st *state) comparable() []*content.Jurisdiction {
	var out []*content.Jurisdiction
	for _, j := range st.catalog.Jurisdictions {
		if j.Profile != nil || len(j.Findings) > 0 {
			out = append(out, j)
		}
	}
	return out
}
