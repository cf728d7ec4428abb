package web

import (
	"fmt"
	"html/template"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/research-security-atlas/atlas/internal/content"
)

type answer struct {
	Js       []*content.Jurisdiction // one, or the several that share the findings
	Findings []*content.Entry
}

type questionAnswers struct {
	Question   string
	Label      string
	Discussion template.HTML // what the topic's summary says about the question
	Answers    []answer
}

// bodySection is one part of a rendered body under an h2 or h3.
type bodySection struct {
	Level   int
	Heading template.HTML // inner HTML of the heading
	HTML    template.HTML
}

var headingRe = regexp.MustCompile(`(?s)<h([23])[^>]*>(.*?)</h[23]>`)

// splitBody cuts a rendered body at its h2 and h3 headings; what comes before the first
// heading is a section of level 0.
func splitBody(h template.HTML) []bodySection {
	s := string(h)
	var out []bodySection
	locs := headingRe.FindAllStringSubmatchIndex(s, -1)
	start, level, heading := 0, 0, ""
	for _, m := range locs {
		if body := strings.TrimSpace(s[start:m[0]]); body != "" || level > 0 {
			out = append(out, bodySection{Level: level, Heading: template.HTML(heading), HTML: template.HTML(body)})
		}
		level = int(s[m[2]] - '0')
		heading = s[m[4]:m[5]]
		start = m[1]
	}
	if body := strings.TrimSpace(s[start:]); body != "" || level > 0 {
		out = append(out, bodySection{Level: level, Heading: template.HTML(heading), HTML: template.HTML(body)})
	}
	return out
}

type topicPage struct {
	basePage
	Topic     *content.TopicGroup
	Entry     *content.Entry
	Intro     template.HTML // the summary's text before its first heading
	Questions []questionAnswers
	Rest      []bodySection // the summary's other sections: main points, reading
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
	// One name per topic: the vocabulary's label, in the heading as in every list and link.
	discussion := map[string]template.HTML{}
	if tg.Entry != nil {
		// The summary repeats the guiding questions as headings, each followed by its id; its
		// text goes under the page's own heading for the question instead.
		for _, sec := range splitBody(tg.Entry.HTML) {
			switch {
			case sec.Level == 0:
				p.Intro = sec.HTML
			case sec.Level == 2 && strings.EqualFold(stripTags(string(sec.Heading)), "Guiding questions"):
			case sec.Level == 3 && questionOf(string(sec.Heading), tg.Questions) != "":
				discussion[questionOf(string(sec.Heading), tg.Questions)] = sec.HTML
			default:
				p.Rest = append(p.Rest, sec)
			}
		}
		for _, r := range st.related(tg.Entry) {
			if r.Kind == string(content.Guidance) {
				p.Reading = append(p.Reading, r)
			}
		}
	}
	for _, q := range append(append([]string(nil), tg.Questions...), "general") {
		qa := questionAnswers{Question: q, Label: content.QuestionVocab.Label(q), Discussion: discussion[q]}
		// A finding several countries share is listed once, under all of them.
		seen := map[string]bool{}
		shared := map[string]int{} // countries joined -> index in qa.Answers
		for _, j := range st.catalog.Jurisdictions {
			var fs []*content.Entry
			for _, f := range j.FindingsFor(q) {
				if seen[f.ID] || (q == "general" && !slices.Contains(f.Topics, tg.Slug)) {
					continue
				}
				seen[f.ID] = true
				if len(f.Countries) < 2 {
					fs = append(fs, f)
					continue
				}
				key := strings.Join(f.Countries, ",")
				i, ok := shared[key]
				if !ok {
					a := answer{}
					for _, code := range f.Countries {
						if oj := st.catalog.Jurisdiction(code); oj != nil {
							a.Js = append(a.Js, oj)
						}
					}
					qa.Answers = append(qa.Answers, a)
					i = len(qa.Answers) - 1
					shared[key] = i
				}
				qa.Answers[i].Findings = append(qa.Answers[i].Findings, f)
			}
			if len(fs) > 0 {
				qa.Answers = append(qa.Answers, answer{Js: []*content.Jurisdiction{j}, Findings: fs})
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

var tagRe = regexp.MustCompile(`<[^>]*>`)

func stripTags(h string) string { return strings.TrimSpace(tagRe.ReplaceAllString(h, "")) }

// questionOf finds which of questions a heading of the summary is about: the one whose id it
// names (in a code span) or whose label it repeats.
func questionOf(heading string, questions []string) string {
	for _, q := range questions {
		if strings.Contains(heading, "<code>"+q+"</code>") || strings.HasPrefix(stripTags(heading), content.QuestionVocab.Label(q)) {
			return q
		}
	}
	return ""
}

type topicSummary struct {
	Topic     *content.TopicGroup
	Summary   string
	Questions []string // labels
	Findings  int
}

type topicsPage struct {
	basePage
	Topics []topicSummary
}

// handleTopics lists the workshop's topics, each with its guiding questions and the number of
// findings recorded for it.
func (s *Server) handleTopics(c echo.Context) error {
	st := s.state()
	p := topicsPage{basePage: s.base(c, "Workshop topics")}
	for _, tg := range st.catalog.Topics {
		ts := topicSummary{Topic: tg}
		if tg.Entry != nil {
			ts.Summary = tg.Entry.Summary
		}
		for _, q := range tg.Questions {
			ts.Questions = append(ts.Questions, content.QuestionVocab.Label(q))
		}
		for _, e := range st.corpus.Entries {
			if e.Kind == content.Finding && (slices.Contains(tg.Questions, e.Question) || (e.Question == "general" && slices.Contains(e.Topics, tg.Slug))) {
				ts.Findings++
			}
		}
		p.Topics = append(p.Topics, ts)
	}
	return s.render(c, http.StatusOK, "topics", p)
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
