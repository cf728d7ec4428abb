package web

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/export"
)

// The case helper: which guidance, questions, lists and contacts concern one case. What
// applies is decided by the applies_when conditions in content (see content.Catalog.Matches);
// this file reads the case, arranges the answer and never gives a verdict.

const caseCaveat = "This is orientation, not a verdict or legal advice. It lists what the Atlas's content says may concern a case like yours; it does not assess your partner, screen names against any list, or replace your institution's research-security office, the national contact point or a lawyer. Read every source."

const maxPartners = 10

// caseErrors maps a form field to what is wrong with it.
type caseErrors map[string]string

// caseChoices are the values the form offers.
type caseChoices struct {
	Homes        []*content.Jurisdiction
	Technologies []*content.Entry
}

func (st *state) caseChoices() caseChoices {
	var ch caseChoices
	for _, j := range st.catalog.Jurisdictions {
		if !isBody(j.Code) {
			ch.Homes = append(ch.Homes, j)
		}
	}
	for _, e := range st.corpus.Entries {
		if e.Kind == content.TechArea {
			ch.Technologies = append(ch.Technologies, e)
		}
	}
	slices.SortFunc(ch.Technologies, func(a, b *content.Entry) int { return strings.Compare(a.Title, b.Title) })
	return ch
}

func isBody(code string) bool {
	switch code {
	case "eu", "oecd", "g7", "int":
		return true
	}
	return false
}

// parseCase reads the case from the query string. Every problem is kept, by field, so that
// the form can show each beside its field; the API reports them together.
func (st *state) parseCase(q url.Values, ch caseChoices) (content.Case, caseErrors) {
	errs := caseErrors{}
	one := func(name string) string {
		vals := q[name]
		if len(vals) == 0 {
			return ""
		}
		if len(vals) > 1 {
			errs[name] = fmt.Sprintf("%s: give one value, not %d", name, len(vals))
		}
		v := strings.TrimSpace(vals[0])
		if len(v) > maxParamLength || !utf8.ValidString(v) {
			errs[name] = fmt.Sprintf("%s: %q is not a value this form offers", name, truncate(v))
			return ""
		}
		return v
	}
	var cs content.Case
	cs.Home = one("home")
	switch {
	case cs.Home == "":
		errs["home"] = "home: choose your home jurisdiction (the country of your institution), e.g. home=de"
	case !slices.ContainsFunc(ch.Homes, func(j *content.Jurisdiction) bool { return j.Code == cs.Home }):
		var codes []string
		for _, j := range ch.Homes {
			codes = append(codes, j.Code)
		}
		slices.Sort(codes)
		errs["home"] = fmt.Sprintf("home: %q is not a jurisdiction the Atlas covers; choose one of %s", truncate(cs.Home), strings.Join(codes, ", "))
	}
	partners := q["partner"]
	if len(partners) > maxPartners*2 {
		errs["partner"] = fmt.Sprintf("partner: give at most %d partner jurisdictions", maxPartners)
		partners = nil
	}
	for _, p := range partners {
		p = strings.TrimSpace(p)
		switch {
		case p == "" || slices.Contains(cs.Partners, p):
		case len(p) > maxParamLength || content.CountryName(p) == "" || isBody(p):
			errs["partner"] = fmt.Sprintf("partner: %q is not a country; use lower-case ISO 3166-1 codes such as cn, ru, us", truncate(p))
		default:
			cs.Partners = append(cs.Partners, p)
		}
	}
	if len(cs.Partners) > maxPartners {
		errs["partner"] = fmt.Sprintf("partner: give at most %d partner jurisdictions", maxPartners)
	}
	if cs.Activity = one("activity"); cs.Activity != "" && !content.ActivityVocab.Has(cs.Activity) {
		errs["activity"] = fmt.Sprintf("activity: %q is not an activity; choose one of %s", truncate(cs.Activity), content.ActivityVocab.List())
	}
	if cs.Technology = one("technology"); cs.Technology != "" {
		if e := st.corpus.Get(cs.Technology); e == nil || e.Kind != content.TechArea {
			var ids []string
			for _, t := range ch.Technologies {
				ids = append(ids, t.ID)
			}
			errs["technology"] = fmt.Sprintf("technology: %q is not a technology area; choose one of %s", truncate(cs.Technology), strings.Join(ids, ", "))
		}
	}
	if cs.Stage = one("stage"); cs.Stage != "" && !content.StageVocab.Has(cs.Stage) {
		errs["stage"] = fmt.Sprintf("stage: %q is not a research stage; choose one of %s", truncate(cs.Stage), content.StageVocab.List())
	}
	if cs.Funder = one("funder"); cs.Funder != "" && !content.FunderVocab.Has(cs.Funder) {
		errs["funder"] = fmt.Sprintf("funder: %q is not a funder the Atlas has rules for; choose one of %s", truncate(cs.Funder), content.FunderVocab.List())
	}
	return cs, errs
}

// caseFields is the order the form and the API report problems in.
var caseFields = []string{"home", "partner", "activity", "technology", "stage", "funder"}

func (errs caseErrors) joined() string {
	var out []string
	for _, f := range caseFields {
		if m, ok := errs[f]; ok {
			out = append(out, m)
		}
	}
	return strings.Join(out, "; ")
}

type caseApplies struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Href   string `json:"href"`
	Why    string `json:"why"`
	Via    string `json:"via"`
	Type   string `json:"type,omitempty"`
	Issuer string `json:"issuer,omitempty"`
}

type caseQuestion struct {
	Text           string `json:"text"`
	Concept        string `json:"concept"`
	ConceptLabel   string `json:"concept_label"`
	Source         string `json:"source"`
	Lang           string `json:"lang"` // the language of text: always en, the Atlas's own words
	Original       string `json:"original,omitempty"`
	OriginalLang   string `json:"original_lang,omitempty"`
	Framework      string `json:"framework"`
	FrameworkTitle string `json:"framework_title"`
	Href           string `json:"href"`
}

type caseLink struct {
	Title  string `json:"title"`
	URL    string `json:"url"`
	Source string `json:"source"`
	Href   string `json:"href"`
	Why    string `json:"why,omitempty"`
}

type caseAnswer struct {
	Case        caseEcho       `json:"case"`
	Applies     []caseApplies  `json:"applies"`
	Questions   []caseQuestion `json:"questions"`
	Lists       []caseLink     `json:"lists"`
	Contacts    []caseLink     `json:"contacts"`
	Caveat      string         `json:"caveat"`
	LookedFor   string         `json:"looked_for"`
	ReadingList string         `json:"reading_list,omitempty"`
}

type caseEcho struct {
	Home       string   `json:"home"`
	Partners   []string `json:"partners"`
	Activity   string   `json:"activity,omitempty"`
	Technology string   `json:"technology,omitempty"`
	Stage      string   `json:"stage,omitempty"`
	Funder     string   `json:"funder,omitempty"`
}

// viaOrder puts what applies through the home first, then the funder, the partners, the
// bodies the home belongs to and international instruments.
func viaOrder(cs content.Case, via string) int {
	switch {
	case via == cs.Home:
		return 0
	case via == "funder":
		return 1
	case slices.Contains(cs.Partners, via):
		return 2
	case via == "int":
		return 4
	}
	return 3
}

// answer works out what concerns cs.
func (st *state) answer(cs content.Case) caseAnswer {
	a := caseAnswer{Case: caseEcho{Home: cs.Home, Partners: append([]string{}, cs.Partners...), Activity: cs.Activity,
		Technology: cs.Technology, Stage: cs.Stage, Funder: cs.Funder},
		Applies: []caseApplies{}, Questions: []caseQuestion{}, Lists: []caseLink{}, Contacts: []caseLink{}, Caveat: caseCaveat}
	matches := st.catalog.Matches(st.corpus, cs)
	slices.SortStableFunc(matches, func(x, y content.Match) int { return viaOrder(cs, x.Via) - viaOrder(cs, y.Via) })
	sources := map[string]bool{}
	homeContact := false
	var ids []string
	for _, m := range matches {
		e := m.Entry
		sources[e.ID] = true
		if !slices.Contains(ids, e.ID) {
			ids = append(ids, e.ID)
		}
		why := strings.Join(m.Why, " ")
		if cs.Stage != "" && e.DifferentiatesStages {
			why += fmt.Sprintf(" It treats research stages differently: check what it says for %s.", strings.ToLower(content.StageVocab.Label(cs.Stage)))
		}
		switch m.Role {
		case "list":
			a.Lists = append(a.Lists, linkOf(e, e.Title, why))
		case "contact":
			a.Contacts = append(a.Contacts, linkOf(e, e.Title, why))
			homeContact = homeContact || m.Via == cs.Home
		default:
			a.Applies = append(a.Applies, caseApplies{ID: e.ID, Title: e.Title, Href: "/docs/" + url.PathEscape(e.ID), Why: why, Via: m.Via,
				Type: e.Type, Issuer: e.Issuer})
		}
	}
	a.Lists = append(a.Lists, st.technologyLists(cs)...)
	if j := st.catalog.Jurisdiction(cs.Home); !homeContact && j != nil && j.Profile != nil && j.Profile.ContactPoint != "" {
		a.Contacts = append(a.Contacts, caseLink{Title: "National contact point of " + j.Name, URL: j.Profile.ContactPoint,
			Source: j.Profile.ID, Href: "/countries/" + j.Code, Why: "The contact point named in the Atlas's profile of " + j.Name + "."})
	}
	for _, q := range st.questionBank() {
		if !sources[q.SourceID()] {
			continue
		}
		a.Questions = append(a.Questions, caseQuestion{Text: q.Text, Concept: q.Question.Concept, ConceptLabel: q.ConceptLabel(),
			Source: q.SourceID(), Lang: "en", Original: q.Original, OriginalLang: q.Lang, Framework: q.Framework.ID,
			FrameworkTitle: q.Framework.Title, Href: "/questions#" + q.Anchor()})
	}
	// Grouped by concept: the concepts by title, the questions of one concept in bank order.
	slices.SortStableFunc(a.Questions, func(x, y caseQuestion) int {
		return cmp.Or(strings.Compare(strings.ToLower(x.ConceptLabel), strings.ToLower(y.ConceptLabel)), strings.Compare(x.Concept, y.Concept))
	})
	if len(ids) > 0 {
		a.ReadingList = withQuery("/reading-list", url.Values{"id": ids})
	}
	a.LookedFor = st.lookedFor(cs)
	return a
}

func linkOf(e *content.Entry, title, why string) caseLink {
	return caseLink{Title: title, URL: e.SourceURL, Source: e.ID, Href: "/docs/" + url.PathEscape(e.ID), Why: why}
}

// technologyLists finds the technology lists of the jurisdictions that reach the case with a
// category mapped to its technology area, linked through the guidance entry each comes from.
func (st *state) technologyLists(cs content.Case) []caseLink {
	if cs.Technology == "" {
		return nil
	}
	reach := st.catalog.Reach(cs.Home)
	superseded := map[string]bool{}
	for _, e := range st.corpus.Entries {
		if e.Kind == content.TechList && e.Supersedes != "" {
			superseded[e.Supersedes] = true
		}
	}
	area := st.corpus.Get(cs.Technology)
	var out []caseLink
	for _, e := range st.corpus.Entries {
		if e.Kind != content.TechList || superseded[e.ID] || !slices.ContainsFunc(e.Countries, func(c string) bool { _, ok := reach[c]; return ok }) {
			continue
		}
		var cats []string
		for _, cat := range e.Categories {
			for _, m := range cat.Areas {
				if m.Area == cs.Technology {
					cats = append(cats, fmt.Sprintf("%s (%s)", cat.Label, strings.ToLower(content.RelationVocab.Label(m.Relation))))
				}
			}
		}
		if len(cats) == 0 {
			continue
		}
		src := st.corpus.Get(e.Source)
		if src == nil {
			continue
		}
		l := linkOf(src, e.Title, fmt.Sprintf("Its categories %s map to %s. Check the list itself: the Atlas's mapping is a guide.", strings.Join(cats, "; "), area.Title))
		if !slices.ContainsFunc(out, func(x caseLink) bool { return x.Source == l.Source }) {
			out = append(out, l)
		}
	}
	return out
}

// lookedFor says in one sentence what the answer was looked for in, so that an empty answer
// explains itself.
func (st *state) lookedFor(cs content.Case) string {
	reach := st.catalog.Reach(cs.Home)
	var where []string
	for _, code := range content.SortCountries(mapKeys(reach)) {
		where = append(where, content.CountryName(code))
	}
	var what []string
	if cs.Activity != "" {
		what = append(what, "about "+strings.ToLower(content.ActivityVocab.Label(cs.Activity)))
	} else {
		what = append(what, "about any activity")
	}
	if len(cs.Partners) > 0 {
		var names []string
		for _, p := range cs.Partners {
			names = append(names, content.CountryName(p))
		}
		what = append(what, "with partners in "+strings.Join(names, ", "))
	}
	if cs.Technology != "" {
		if t := st.corpus.Get(cs.Technology); t != nil {
			what = append(what, "in "+t.Title)
		}
	}
	if cs.Stage != "" {
		what = append(what, "at the stage of "+strings.ToLower(content.StageVocab.Label(cs.Stage)))
	}
	s := fmt.Sprintf("Looked for guidance whose applies_when conditions concern a case %s, from %s", strings.Join(what, ", "), strings.Join(where, ", "))
	if cs.Funder != "" {
		s += ", and for rules of " + content.FunderVocab.Label(cs.Funder) + " wherever it funds"
	}
	if len(cs.Partners) > 0 {
		s += ", and for rules of the partners' jurisdictions that reach projects with them"
	}
	return s + "."
}

func mapKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func (s *Server) handleAPICase(c echo.Context) error {
	st := s.state()
	cs, errs := st.parseCase(c.QueryParams(), st.caseChoices())
	if len(errs) > 0 {
		return badRequest(errs.joined())
	}
	return c.JSON(http.StatusOK, st.answer(cs))
}

// option is one choice of a select.
type option struct {
	Value, Label string
	Selected     bool
}

// caseConceptGroup is the questions of one concept in a case answer.
type caseConceptGroup struct {
	Concept, Label string
	Questions      []caseQuestion
}

type casePage struct {
	basePage
	Asked      bool // the form was sent
	Errors     caseErrors
	Homes      []option
	Partners   [][]option // one select per partner, and some empty ones
	Activities []option
	Techs      []option
	Stages     []option
	Funders    []option
	Answer     caseAnswer
	Summary    []string // the case in words, for print
	Groups     []caseConceptGroup
	Frameworks int
	Downloads  []download
	JSONHref   string
}

func options(values []string, label func(string) string, selected string, none string) []option {
	out := []option{{Value: "", Label: none, Selected: selected == ""}}
	for _, v := range values {
		out = append(out, option{Value: v, Label: label(v), Selected: v == selected})
	}
	return out
}

func (s *Server) handleCase(c echo.Context) error {
	st := s.state()
	ch := st.caseChoices()
	q := c.QueryParams()
	p := casePage{basePage: s.base(c, "What applies to my case"), Errors: caseErrors{}}
	var cs content.Case
	for _, f := range caseFields {
		if _, ok := q[f]; ok {
			p.Asked = true
		}
	}
	if p.Asked {
		cs, p.Errors = st.parseCase(q, ch)
	}
	// The form keeps what was typed, even a value it rejects for another field.
	keep := func(name string) string { return strings.TrimSpace(q.Get(name)) }
	var homes []string
	for _, j := range ch.Homes {
		homes = append(homes, j.Code)
	}
	p.Homes = options(homes, content.CountryName, keep("home"), "Choose…")
	countries := content.CountryCodes()
	var chosen []string
	for _, v := range q["partner"] {
		if v = strings.TrimSpace(v); v != "" && len(chosen) < maxPartners {
			chosen = append(chosen, v)
		}
	}
	for i := 0; i < max(3, len(chosen)+1) && i < maxPartners; i++ {
		sel := ""
		if i < len(chosen) {
			sel = chosen[i]
		}
		p.Partners = append(p.Partners, options(countries, content.CountryName, sel, "None"))
	}
	p.Activities = options(content.ActivityVocab.Values(), content.ActivityVocab.Label, keep("activity"), "Any activity")
	var techs []string
	for _, t := range ch.Technologies {
		techs = append(techs, t.ID)
	}
	p.Techs = options(techs, func(id string) string { return st.corpus.Get(id).Title }, keep("technology"), "Not specified")
	p.Stages = options(content.StageVocab.Values(), content.StageVocab.Label, keep("stage"), "Not specified")
	p.Funders = options(content.FunderVocab.Values(), content.FunderVocab.Label, keep("funder"), "Not specified")

	status := http.StatusOK
	switch {
	case !p.Asked:
	case len(p.Errors) > 0:
		status = http.StatusBadRequest
	default:
		p.Answer = st.answer(cs)
		p.Summary = caseSummary(st, cs)
		seen := map[string]bool{}
		for _, q := range p.Answer.Questions {
			if n := len(p.Groups); n == 0 || p.Groups[n-1].Concept != q.Concept {
				p.Groups = append(p.Groups, caseConceptGroup{Concept: q.Concept, Label: q.ConceptLabel})
			}
			g := &p.Groups[len(p.Groups)-1]
			g.Questions = append(g.Questions, q)
			if !seen[q.Framework] {
				seen[q.Framework] = true
				p.Frameworks++
			}
		}
		if p.Answer.ReadingList != "" {
			rq, _ := url.ParseQuery(strings.TrimPrefix(p.Answer.ReadingList, "/reading-list?"))
			for _, f := range export.Formats {
				p.Downloads = append(p.Downloads, download{Label: formatLabel[f.Name], Href: withQuery("/reading-list."+f.Ext, rq)})
			}
		}
		p.JSONHref = "/api/case?" + c.QueryString()
	}
	return s.render(c, status, "case", p)
}

// caseSummary is the case in words: one line per part.
func caseSummary(st *state, cs content.Case) []string {
	out := []string{"Home: " + content.CountryName(cs.Home)}
	if len(cs.Partners) > 0 {
		var names []string
		for _, p := range cs.Partners {
			names = append(names, content.CountryName(p))
		}
		out = append(out, "Partners: "+strings.Join(names, ", "))
	}
	if cs.Activity != "" {
		out = append(out, "Activity: "+content.ActivityVocab.Label(cs.Activity))
	}
	if cs.Technology != "" {
		out = append(out, "Technology: "+st.corpus.Get(cs.Technology).Title)
	}
	if cs.Stage != "" {
		out = append(out, "Stage: "+content.StageVocab.Label(cs.Stage))
	}
	if cs.Funder != "" {
		out = append(out, "Funder: "+content.FunderVocab.Label(cs.Funder))
	}
	return out
}
