package web

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/research-security-atlas/atlas/internal/content"
)

// bankQuestion is one question of the question bank with the entries it points to resolved.
type bankQuestion struct {
	content.Question
	Framework *content.Entry
	Concept   *content.Entry // nil when the concept entry is missing (the check reports it)
	Src       *content.Entry // the entry the question comes from; nil when missing
}

// SourceID is the id of the entry the question comes from.
func (q bankQuestion) SourceID() string { return cmp.Or(q.Source, q.Framework.Source) }

// Anchor is the question's place on /questions.
func (q bankQuestion) Anchor() string { return "q-" + q.Framework.ID + "-" + q.ID }

// ConceptLabel is the concept's title, or its id when the entry is missing.
func (q bankQuestion) ConceptLabel() string {
	if q.Concept != nil {
		return q.Concept.Title
	}
	return q.Question.Concept
}

// questionBank lists every question of every framework, frameworks in order (jurisdiction
// name, then title), questions in the order their file gives them.
func (st *state) questionBank() []bankQuestion {
	var out []bankQuestion
	for _, fw := range st.frameworks() {
		for _, q := range fw.Questions {
			bq := bankQuestion{Question: q, Framework: fw, Concept: st.corpus.Get(q.Concept)}
			bq.Src = st.corpus.Get(bq.SourceID())
			out = append(out, bq)
		}
	}
	return out
}

// frameworks lists the framework entries by jurisdiction name, then title.
func (st *state) frameworks() []*content.Entry {
	var fws []*content.Entry
	for _, e := range st.corpus.Entries {
		if e.Kind == content.Framework {
			fws = append(fws, e)
		}
	}
	slices.SortFunc(fws, func(a, b *content.Entry) int {
		return cmp.Or(strings.Compare(content.CountryName(a.Countries[0]), content.CountryName(b.Countries[0])), strings.Compare(a.Title, b.Title))
	})
	return fws
}

// concepts lists the concept entries by title.
func (st *state) concepts() []*content.Entry {
	var cs []*content.Entry
	for _, e := range st.corpus.Entries {
		if e.Kind == content.Concept {
			cs = append(cs, e)
		}
	}
	slices.SortFunc(cs, func(a, b *content.Entry) int {
		return strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title))
	})
	return cs
}

// questionFilter is the optional concept, source and framework of /questions and /api/questions.
type questionFilter struct {
	Concept, Source, Framework string
}

func (f questionFilter) keeps(q bankQuestion) bool {
	return (f.Concept == "" || q.Question.Concept == f.Concept) && (f.Source == "" || q.SourceID() == f.Source) &&
		(f.Framework == "" || q.Framework.ID == f.Framework)
}

func (f questionFilter) empty() bool { return f == questionFilter{} }

// parseQuestionFilter validates the filters against the bank: an unknown value is a 400 that
// names the choices.
func parseQuestionFilter(q url.Values, bank []bankQuestion) (questionFilter, error) {
	var f questionFilter
	choices := map[string][]string{}
	for _, bq := range bank {
		for k, v := range map[string]string{"concept": bq.Question.Concept, "source": bq.SourceID(), "framework": bq.Framework.ID} {
			if !slices.Contains(choices[k], v) {
				choices[k] = append(choices[k], v)
			}
		}
	}
	for _, p := range []struct {
		name string
		to   *string
	}{{"concept", &f.Concept}, {"source", &f.Source}, {"framework", &f.Framework}} {
		vals := q[p.name]
		if len(vals) == 0 || strings.TrimSpace(vals[0]) == "" {
			continue
		}
		if len(vals) > 1 {
			return f, badRequest(fmt.Sprintf("%s: give one value, not %d", p.name, len(vals)))
		}
		v := strings.TrimSpace(vals[0])
		if !slices.Contains(choices[p.name], v) {
			list := slices.Clone(choices[p.name])
			slices.Sort(list)
			return f, badRequest(fmt.Sprintf("%s: no question has %s %q; use one of %s", p.name, p.name, truncate(v), strings.Join(list, ", ")))
		}
		*p.to = v
	}
	return f, nil
}

type apiQuestion struct {
	ID             string `json:"id"`
	Text           string `json:"text"`
	Original       string `json:"original,omitempty"`
	Lang           string `json:"lang,omitempty"` // the language of original
	Concept        string `json:"concept"`
	ConceptLabel   string `json:"concept_label"`
	Source         string `json:"source"`
	Framework      string `json:"framework"`
	FrameworkTitle string `json:"framework_title"`
	Href           string `json:"href"`
}

func apiQuestionOf(q bankQuestion) apiQuestion {
	return apiQuestion{ID: q.Framework.ID + "/" + q.ID, Text: q.Text, Original: q.Original, Lang: q.Lang,
		Concept: q.Question.Concept, ConceptLabel: q.ConceptLabel(), Source: q.SourceID(),
		Framework: q.Framework.ID, FrameworkTitle: q.Framework.Title, Href: "/questions#" + q.Anchor()}
}

func (s *Server) handleAPIQuestions(c echo.Context) error {
	st := s.state()
	bank := st.questionBank()
	f, err := parseQuestionFilter(c.QueryParams(), bank)
	if err != nil {
		return err
	}
	out := []apiQuestion{}
	for _, q := range bank {
		if f.keeps(q) {
			out = append(out, apiQuestionOf(q))
		}
	}
	return c.JSON(http.StatusOK, out)
}

// matrixCell is the number of questions one framework asks about one concept.
type matrixCell struct {
	Framework *content.Entry
	Count     int
	Href      string
}

type matrixRow struct {
	Concept    *content.Entry
	Cells      []matrixCell
	Frameworks int // how many frameworks ask about it
	Questions  int
}

// conceptGroup is the questions about one concept, in the order of the bank.
type conceptGroup struct {
	Concept   *content.Entry
	Questions []bankQuestion
}

type questionsPage struct {
	basePage
	Frameworks []*content.Entry
	Matrix     []matrixRow
	Groups     []conceptGroup
	Total      int // questions in the bank
	Shown      int // questions listed under the filter
	Filter     questionFilter
	FilterText string
	JSONHref   string
}

// FrameworkLabel is the short column heading of a framework: its jurisdiction and title.
func (questionsPage) FrameworkLabel(fw *content.Entry) string {
	return strings.ToUpper(fw.Countries[0]) + " · " + content.Shorten(fw.Title, 36)
}

func (s *Server) handleQuestions(c echo.Context) error {
	st := s.state()
	bank := st.questionBank()
	f, err := parseQuestionFilter(c.QueryParams(), bank)
	if err != nil {
		return err
	}
	p := questionsPage{basePage: s.base(c, "Question bank"), Frameworks: st.frameworks(), Total: len(bank), Filter: f}
	count := map[[2]string]int{}
	for _, q := range bank {
		count[[2]string{q.Question.Concept, q.Framework.ID}]++
	}
	for _, concept := range st.concepts() {
		row := matrixRow{Concept: concept}
		for _, fw := range p.Frameworks {
			n := count[[2]string{concept.ID, fw.ID}]
			cell := matrixCell{Framework: fw, Count: n}
			if n > 0 {
				cell.Href = "/questions?" + url.Values{"concept": {concept.ID}, "framework": {fw.ID}}.Encode() + "#list-h"
				row.Frameworks++
				row.Questions += n
			}
			row.Cells = append(row.Cells, cell)
		}
		if row.Questions > 0 {
			p.Matrix = append(p.Matrix, row)
		}
		g := conceptGroup{Concept: concept}
		for _, q := range bank {
			if q.Question.Concept == concept.ID && f.keeps(q) {
				g.Questions = append(g.Questions, q)
			}
		}
		if len(g.Questions) > 0 {
			p.Groups = append(p.Groups, g)
			p.Shown += len(g.Questions)
		}
	}
	var parts []string
	if f.Concept != "" {
		parts = append(parts, "about “"+st.corpus.Get(f.Concept).Title+"”")
	}
	if f.Framework != "" {
		parts = append(parts, "in "+st.corpus.Get(f.Framework).Title)
	}
	if f.Source != "" {
		parts = append(parts, "from "+st.corpus.Get(f.Source).Title)
	}
	p.FilterText = strings.Join(parts, ", ")
	q := url.Values{}
	for k, v := range map[string]string{"concept": f.Concept, "source": f.Source, "framework": f.Framework} {
		if v != "" {
			q.Set(k, v)
		}
	}
	p.JSONHref = withQuery("/api/questions", q)
	return s.render(c, http.StatusOK, "questions", p)
}

// Heat is the shade of a matrix cell: more questions, darker.
func (c matrixCell) Heat() int { return min(c.Count, 4) }
