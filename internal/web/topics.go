package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/research-security-atlas/atlas/internal/content"
)

type answer struct {
	J        *content.Jurisdiction
	Findings []*content.Entry
}

type questionAnswers struct {
	Question string
	Label    string
	Answers  []answer
}

type topicPage struct {
	basePage
	Topic     *content.TopicGroup
	Entry     *content.Entry
	Questions []questionAnswers
	Reading   []relatedRef
	Others    []*content.TopicGroup
}

func (s *Server) handleTopic(c echo.Context) error {
	st := s.state()
	slug := c.Param("slug")
	tg := st.catalog.Topic(slug)
	if tg == nil {
		return notFound(fmt.Sprintf("There is no workshop topic %q. The topics are %s.", truncate(slug), content.TopicVocab.List()))
	}
	p := topicPage{basePage: s.base(c, tg.Label), Topic: tg, Entry: tg.Entry}
	p.Description = "What each country said on " + tg.Label + " at the 2023 multilateral workshop on research security, by guiding question."
	if tg.Entry != nil && tg.Entry.Summary != "" {
		p.Description = description(tg.Entry)
	}
	if tg.Entry != nil {
		p.Title = tg.Entry.Title
		for _, r := range st.related(tg.Entry) {
			if r.Kind == string(content.Guidance) {
				p.Reading = append(p.Reading, r)
			}
		}
	}
	for _, q := range append(append([]string(nil), tg.Questions...), "general") {
		qa := questionAnswers{Question: q, Label: content.QuestionVocab.Label(q)}
		for _, j := range st.catalog.Jurisdictions {
			var fs []*content.Entry
			for _, f := range j.FindingsFor(q) {
				if q != "general" || slices.Contains(f.Topics, tg.Slug) {
					fs = append(fs, f)
				}
			}
			if len(fs) > 0 {
				qa.Answers = append(qa.Answers, answer{J: j, Findings: fs})
			}
		}
		if q != "general" || len(qa.Answers) > 0 {
			if q == "general" {
				qa.Label = "Main points and general conclusions"
			}
			p.Questions = append(p.Questions, qa)
		}
	}
	for _, o := range st.catalog.Topics {
		if o.Slug != tg.Slug {
			p.Others = append(p.Others, o)
		}
	}
	return s.render(c, http.StatusOK, "topic", p)
}

type glossaryPage struct {
	basePage
	Terms []termView
}

type termView struct {
	Entry     *content.Entry
	Countries []countryRef
}

func (s *Server) handleGlossary(c echo.Context) error {
	st := s.state()
	p := glossaryPage{basePage: s.base(c, "Glossary")}
	for _, t := range st.catalog.Terms {
		p.Terms = append(p.Terms, termView{Entry: t, Countries: countryRefs(t.Countries)})
	}
	return s.render(c, http.StatusOK, "glossary", p)
}

type timelineYear struct {
	Year       string
	Milestones []milestoneView
}

type milestoneView struct {
	Entry     *content.Entry
	Countries []countryRef
	Subject   *relatedRef // the entry the milestone is about
}

type timelinePage struct {
	basePage
	Years []timelineYear
}

func (s *Server) handleTimeline(c echo.Context) error {
	st := s.state()
	p := timelinePage{basePage: s.base(c, "Timeline")}
	for _, m := range st.catalog.Milestones {
		year := strconv.Itoa(m.Year())
		if len(p.Years) == 0 || p.Years[len(p.Years)-1].Year != year {
			p.Years = append(p.Years, timelineYear{Year: year})
		}
		mv := milestoneView{Entry: m, Countries: countryRefs(m.Countries)}
		if rel := st.related(m); len(rel) > 0 {
			mv.Subject = &rel[0]
		}
		y := &p.Years[len(p.Years)-1]
		y.Milestones = append(y.Milestones, mv)
	}
	return s.render(c, http.StatusOK, "timeline", p)
}
