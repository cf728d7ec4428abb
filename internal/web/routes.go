package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/research-security-atlas/atlas/internal/export"
	"github.com/research-security-atlas/atlas/internal/search"
)

// searchParams are the parameters of a search, in the API and in the feeds of a search.
var searchParams = append([]string{"q", "technology", "scope", "sort", "page", "size"}, search.Facets...)

// readingListParams are the parameters of the reading list and its downloads.
var readingListParams = append([]string{"q", "kind", "id", "superseded", "technology"}, readingListFacets...)

func (s *Server) routes() {
	e := s.e
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			s.log.Error("panic", "path", c.Request().URL.Path, "err", err, "stack", string(stack))
			return err
		},
	}))
	e.Use(s.securityHeaders)
	e.Use(s.readOnly)
	e.Use(middleware.BodyLimit("16K"))
	e.Use(s.logRequests)
	// Compression outside the validators: the ETag is the hash of the body before it.
	e.Use(compress)
	e.Use(s.conditional)

	// One budget per client covers the API and every page that searches or filters the corpus:
	// those are the requests that cost work, and a page cache miss costs as much as an API call.
	limit := s.rateLimit()
	e.GET("/", s.handleHome, s.cachePages)
	e.GET("/search", s.handleSearchPage, limit, s.cachePages)
	e.GET("/docs/:id", s.handleDocPage, s.cachePages)
	e.GET("/countries", s.handleCountries, s.cachePages)
	e.GET("/countries/:code", s.handleCountry, s.cachePages)
	e.GET("/compare", s.handleCompare, s.cachePages)
	// Downloads and feeds are read by programs, which should hear that a parameter did nothing.
	e.GET("/approaches.csv", s.handleApproachesCSV, allowParams(), s.cachePages)
	e.GET("/technologies", s.handleTechnologies, s.cachePages)
	e.GET("/technologies.csv", s.handleTechnologiesCSV, allowParams(), s.cachePages)
	e.GET("/topics", s.handleTopics, s.cachePages)
	e.GET("/topics/:slug", s.handleTopic, s.cachePages)
	e.GET("/glossary", s.handleGlossary, s.cachePages)
	e.GET("/timeline", s.handleTimeline, s.cachePages)
	e.GET("/about", s.handleAbout, s.cachePages)
	e.GET("/questions", s.handleQuestions, s.cachePages)
	e.GET("/case", s.handleCase, s.cachePages)
	e.GET("/reading-list", s.handleReadingList, limit, s.cachePages)
	for _, f := range export.Formats {
		e.GET("/reading-list."+f.Ext, s.handleReadingListExport(f), limit, allowParams(readingListParams...), s.cachePages)
	}

	e.GET("/api", s.handleAPIIndex, limit, allowParams(), s.cachePages)
	api := e.Group("/api", limit)
	api.GET("/search", s.handleAPISearch, allowParams(searchParams...))
	api.GET("/suggest", s.handleAPISuggest, allowParams("q"), s.cachePages)
	api.GET("/docs/:id", s.handleAPIDoc, allowParams(), s.cachePages)
	api.GET("/countries", s.handleAPICountries, allowParams(), s.cachePages)
	api.GET("/countries/:code", s.handleAPICountry, allowParams(), s.cachePages)
	api.GET("/topics", s.handleAPITopics, allowParams(), s.cachePages)
	api.GET("/topics/:slug", s.handleAPITopic, allowParams(), s.cachePages)
	api.GET("/glossary", s.handleAPIGlossary, allowParams(), s.cachePages)
	api.GET("/timeline", s.handleAPITimeline, allowParams(), s.cachePages)
	api.GET("/vocabularies", s.handleAPIVocabularies, allowParams(), s.cachePages)
	// c is the short name the compare page's form sends; country is the name every other
	// endpoint uses.
	api.GET("/compare", s.handleAPICompare, allowParams("country", "c", "theme", "stage"), s.cachePages)
	api.GET("/approaches", s.handleAPIApproaches, allowParams("country", "c"), s.cachePages)
	api.GET("/technologies", s.handleAPITechnologies, allowParams(), s.cachePages)
	api.GET("/questions", s.handleAPIQuestions, allowParams("concept", "source", "framework"), s.cachePages)
	api.GET("/case", s.handleAPICase, allowParams("home", "partner", "activity", "technology", "stage", "funder"), s.cachePages)
	api.GET("/openapi.json", s.handleOpenAPI, allowParams())
	// The organiser's worklist reads the server's live state (content problems held back,
	// the link record): never cached.
	api.GET("/upkeep", s.handleAPIUpkeep, allowParams())
	e.GET("/upkeep", s.handleUpkeep)
	e.GET("/upkeep.atom", s.handleUpkeepFeed)

	e.GET("/feed.atom", s.handleFeed, limit, allowParams(searchParams...), s.cachePages)
	e.GET("/feed.json", s.handleJSONFeed, limit, allowParams(searchParams...), s.cachePages)
	e.GET("/sitemap.xml", s.handleSitemap, allowParams(), s.cachePages)
	e.GET("/opensearch.xml", s.handleOpenSearch, allowParams(), s.cachePages)
	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok\n") })
	e.GET("/readyz", s.handleReady)
	e.GET("/static/*", s.handleStatic)
	// Browsers and feed readers ask for /favicon.ico whatever the page links to.
	e.GET("/favicon.ico", s.handleFavicon)
	e.GET("/robots.txt", func(c echo.Context) error {
		robots := "User-agent: *\nDisallow: /api/\n"
		if s.publicURL != "" { // robots.txt takes only an absolute sitemap address
			robots += "Sitemap: " + s.publicURL + "/sitemap.xml\n"
		}
		return c.String(http.StatusOK, robots)
	})

	// Everything else is a 404 page, and a write is refused: the site is read-only.
	e.RouteNotFound("/*", func(c echo.Context) error { return echo.ErrNotFound })
}
