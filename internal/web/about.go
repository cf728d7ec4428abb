package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/research-security-atlas/atlas/internal/content"
)

// repository is where corrections are proposed.
const repository = "https://github.com/research-security-atlas/atlas"

type kindCount struct {
	Label string
	Count int
}

type aboutPage struct {
	basePage
	Kinds         []kindCount
	Guidance      int
	Jurisdictions int
	WithSource    int
	Unconfirmed   int
	NoPublicCopy  int
	VerifiedLast  string // the newest last_verified in the corpus
	Repository    string
}

// handleAbout says who keeps the Atlas, how entries are chosen and checked, and how far the
// corpus reaches, with the figures read off the corpus itself.
func (s *Server) handleAbout(c echo.Context) error {
	st := s.state()
	p := aboutPage{basePage: s.base(c, "About the Atlas"), Repository: repository}
	counts := map[content.Kind]int{}
	jurisdictions := map[string]bool{}
	for _, e := range st.corpus.Entries {
		counts[e.Kind]++
		if e.LastVerified > p.VerifiedLast {
			p.VerifiedLast = e.LastVerified
		}
		if e.Kind != content.Guidance {
			continue
		}
		p.Guidance++
		for _, c := range e.Countries {
			jurisdictions[c] = true
		}
		switch {
		case e.SourceURL != "":
			p.WithSource++
		case e.SourceStatus == "no-public-copy":
			p.NoPublicCopy++
		default:
			p.Unconfirmed++
		}
	}
	p.Jurisdictions = len(jurisdictions)
	for _, k := range content.Kinds {
		if n := counts[k]; n > 0 {
			p.Kinds = append(p.Kinds, kindCount{Label: content.KindVocab.Label(string(k)), Count: n})
		}
	}
	return s.render(c, http.StatusOK, "about", p)
}
