package web

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/research-security-atlas/atlas/internal/content"
)

// apiCountryProfile is one jurisdiction as /api/countries/{code} gives it: what the country
// page shows, as data.
type apiCountryProfile struct {
	Code         string                     `json:"code"`
	Name         string                     `json:"name"`
	Terms        []string                   `json:"terms"`
	MemberOf     []string                   `json:"member_of"`
	ContactPoint string                     `json:"contact_point,omitempty"`
	Summary      string                     `json:"summary,omitempty"`
	Profile      *relatedRef                `json:"profile,omitempty"` // the profile entry, when written
	Approach     map[string]apiApproachCell `json:"approach"`          // by dimension; empty without a profile
	Documents    int                        `json:"documents"`
	Findings     int                        `json:"findings"`
	Guidance     []relatedRef               `json:"guidance"`
	FindingRefs  []relatedRef               `json:"finding_refs"`
	Href         string                     `json:"href"`
}

func (s *Server) handleAPICountry(c echo.Context) error {
	st := s.state()
	code := c.Param("code")
	j := st.catalog.Jurisdiction(code)
	if j == nil {
		return notFound(fmt.Sprintf("no country or organisation with the code %q; /api/countries lists every code", truncate(code)))
	}
	out := apiCountryProfile{Code: j.Code, Name: j.Name, Terms: nonNil(j.Terms()), MemberOf: []string{},
		Approach: map[string]apiApproachCell{}, Documents: len(j.Guidance), Findings: len(j.Findings),
		Guidance: entryRefs(j.Guidance), FindingRefs: entryRefs(j.Findings), Href: "/countries/" + j.Code}
	if p := j.Profile; p != nil {
		r := ref(p)
		out.Profile, out.MemberOf, out.ContactPoint, out.Summary = &r, nonNil(p.MemberOf), p.ContactPoint, p.Summary
		for i := range content.Dimensions {
			out.Approach[content.Dimensions[i].ID] = apiCell(st.approachOf(j, &content.Dimensions[i]))
		}
	}
	return c.JSON(http.StatusOK, out)
}

func entryRefs(es []*content.Entry) []relatedRef {
	out := []relatedRef{}
	for _, e := range es {
		out = append(out, ref(e))
	}
	return out
}

type apiGuidingQuestion struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

type apiTopic struct {
	Slug      string               `json:"slug"`
	Label     string               `json:"label"`
	Summary   string               `json:"summary,omitempty"`
	Entry     *relatedRef          `json:"entry,omitempty"` // the topic's own entry, when written
	Questions []apiGuidingQuestion `json:"questions"`
	Findings  int                  `json:"findings"`
	Href      string               `json:"href"`
}

// apiTopicOf is a topic with its guiding questions and the number of findings under them.
func (st *state) apiTopicOf(tg *content.TopicGroup) apiTopic {
	t := apiTopic{Slug: tg.Slug, Label: tg.Label, Questions: []apiGuidingQuestion{}, Href: "/topics/" + tg.Slug}
	if tg.Entry != nil {
		r := ref(tg.Entry)
		t.Entry, t.Summary = &r, tg.Entry.Summary
	}
	for _, q := range tg.Questions {
		t.Questions = append(t.Questions, apiGuidingQuestion{ID: q, Label: content.QuestionVocab.Label(q)})
	}
	t.Findings = len(st.topicFindings(tg))
	return t
}

// topicFindings are the findings on one of the topic's questions, or general ones on it.
func (st *state) topicFindings(tg *content.TopicGroup) []*content.Entry {
	var out []*content.Entry
	for _, e := range st.corpus.Entries {
		if e.Kind == content.Finding && (slices.Contains(tg.Questions, e.Question) || (e.Question == "general" && slices.Contains(e.Topics, tg.Slug))) {
			out = append(out, e)
		}
	}
	return out
}

func (s *Server) handleAPITopics(c echo.Context) error {
	st := s.state()
	out := []apiTopic{}
	for _, tg := range st.catalog.Topics {
		out = append(out, st.apiTopicOf(tg))
	}
	return c.JSON(http.StatusOK, out)
}

type apiTopicFinding struct {
	relatedRef
	Question  string   `json:"question"`
	Countries []string `json:"countries"`
}

type apiTopicDetail struct {
	apiTopic
	FindingRefs []apiTopicFinding `json:"finding_refs"`
	Guidance    []relatedRef      `json:"guidance"`
}

func (s *Server) handleAPITopic(c echo.Context) error {
	st := s.state()
	slug := c.Param("slug")
	tg := st.catalog.Topic(slug)
	if tg == nil {
		return notFound(fmt.Sprintf("no workshop topic %q; the topics are %s", truncate(slug), content.TopicVocab.List()))
	}
	out := apiTopicDetail{apiTopic: st.apiTopicOf(tg), FindingRefs: []apiTopicFinding{}, Guidance: []relatedRef{}}
	for _, e := range st.topicFindings(tg) {
		out.FindingRefs = append(out.FindingRefs, apiTopicFinding{relatedRef: ref(e), Question: e.Question, Countries: nonNil(e.Countries)})
	}
	if tg.Entry != nil {
		for _, r := range st.related(tg.Entry) {
			if r.Kind == string(content.Guidance) {
				out.Guidance = append(out.Guidance, r)
			}
		}
	}
	return c.JSON(http.StatusOK, out)
}

type apiTerm struct {
	ID       string   `json:"id"`
	Term     string   `json:"term"`
	Summary  string   `json:"summary,omitempty"`
	Synonyms []string `json:"synonyms"`
	// FalseFriends are look-alike phrases that mean something else; search takes them literally.
	FalseFriends []apiFalseFriend `json:"false_friends"`
	Countries    []string         `json:"countries"`
	HTML         string           `json:"html"`
	Href         string           `json:"href"`
}

type apiFalseFriend struct {
	Phrase string `json:"phrase"`
	Means  string `json:"means"`
	See    string `json:"see,omitempty"`
}

func (s *Server) handleAPIGlossary(c echo.Context) error {
	st := s.state()
	out := []apiTerm{}
	for _, t := range st.catalog.Terms {
		ff := []apiFalseFriend{}
		for _, f := range t.FalseFriends {
			ff = append(ff, apiFalseFriend{Phrase: f.Phrase, Means: f.Means, See: f.See})
		}
		out = append(out, apiTerm{ID: t.ID, Term: t.Title, Summary: t.Summary, Synonyms: nonNil(t.Synonyms), FalseFriends: ff,
			Countries: nonNil(t.Countries), HTML: string(t.HTML), Href: "/docs/" + t.ID})
	}
	return c.JSON(http.StatusOK, out)
}

type apiMilestone struct {
	ID        string      `json:"id"`
	Title     string      `json:"title"`
	Date      string      `json:"date"`
	Year      int         `json:"year"`
	Summary   string      `json:"summary,omitempty"`
	Countries []string    `json:"countries"`
	Subject   *relatedRef `json:"subject,omitempty"` // the entry the milestone is about
	Href      string      `json:"href"`
}

func (s *Server) handleAPITimeline(c echo.Context) error {
	st := s.state()
	out := []apiMilestone{}
	for _, m := range st.catalog.Milestones {
		am := apiMilestone{ID: m.ID, Title: m.Title, Date: m.When(), Year: m.Year(), Summary: m.Summary,
			Countries: nonNil(m.Countries), Href: "/docs/" + m.ID}
		if rel := st.related(m); len(rel) > 0 {
			am.Subject = &rel[0]
		}
		out = append(out, am)
	}
	return c.JSON(http.StatusOK, out)
}

// vocabularies are the fixed vocabularies a client may filter by, by their parameter's name.
var vocabularies = []struct {
	name  string
	vocab *content.Vocabulary
}{
	{"kind", content.KindVocab}, {"topic", content.TopicVocab}, {"theme", content.ThemeVocab},
	{"type", content.TypeVocab}, {"stage", content.StageFacetVocab}, {"phase", content.PhaseVocab},
	{"audience", content.AudienceVocab}, {"question", content.QuestionVocab},
	{"activity", content.ActivityVocab}, {"funder", content.FunderVocab},
}

func (s *Server) handleAPIVocabularies(c echo.Context) error {
	out := map[string][]apiDimensionValue{}
	for _, v := range vocabularies {
		vals := []apiDimensionValue{}
		for _, val := range v.vocab.Values() {
			vals = append(vals, apiDimensionValue{Value: val, Label: v.vocab.Label(val)})
		}
		out[v.name] = vals
	}
	// The two vocabularies that the corpus, not the code, defines.
	st := s.state()
	out["country"] = []apiDimensionValue{}
	for _, j := range st.catalog.Jurisdictions {
		out["country"] = append(out["country"], apiDimensionValue{Value: j.Code, Label: j.Name})
	}
	out["technology"] = []apiDimensionValue{}
	for _, a := range st.tech().Areas {
		out["technology"] = append(out["technology"], apiDimensionValue{Value: a.E.ID, Label: a.E.Title})
	}
	return c.JSON(http.StatusOK, out)
}

type apiEndpoint struct {
	Path        string `json:"path"`
	Description string `json:"description"`
}

// apiIndex is what /api answers: every endpoint, and where the full description is.
var apiIndex = []apiEndpoint{
	{"/api/search", "search the corpus: q and the facets; hits, facet counts and pages"},
	{"/api/suggest", "titles and glossary terms starting with q, for a search box"},
	{"/api/docs/{id}", "one entry: every front-matter field, html, sections and related entries"},
	{"/api/countries", "every jurisdiction: code, name, terms, counts"},
	{"/api/countries/{code}", "one jurisdiction's profile: member_of, contact point, approach cells, its guidance and findings"},
	{"/api/compare", "2 to 4 jurisdictions side by side (country, repeated; c is an alias)"},
	{"/api/approaches", "the approach dimensions and each profiled jurisdiction's answers"},
	{"/api/topics", "the workshop topics with their guiding questions"},
	{"/api/topics/{slug}", "one topic: its guiding questions, findings and guidance"},
	{"/api/glossary", "the glossary terms"},
	{"/api/timeline", "the milestones, by date"},
	{"/api/vocabularies", "the fixed vocabularies the filters take, with labels"},
	{"/api/technologies", "the sensitive-technology lists against the Atlas's technology areas"},
	{"/api/questions", "the question bank"},
	{"/api/case", "what applies to a case"},
	{"/api/upkeep", "the organiser's worklist"},
	{"/api/openapi.json", "the OpenAPI 3 description of all of these"},
}

func (s *Server) handleAPIIndex(c echo.Context) error {
	return c.JSON(http.StatusOK, struct {
		OpenAPI   string        `json:"openapi"`
		Endpoints []apiEndpoint `json:"endpoints"`
	}{"/api/openapi.json", apiIndex})
}
