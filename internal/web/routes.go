package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/research-security-atlas/atlas/internal/export"
)

func (s *Server) routes() {
	e := s.e
	// HEAD is answered as GET; net/http drops the body.
	e.Pre(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if c.Request().Method == http.MethodHead {
				c.Request().Method = http.MethodGet
			}
			return next(c)
		}
	})
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			s.log.Error("panic", "path", c.Request().URL.Path, "err", err, "stack", string(stack))
			return err
		},
	}))
	e.Use(s.securityHeaders)
	e.Use(middleware.BodyLimit("16K"))
	e.Use(s.logRequests)

	e.GET("/", s.handleHome, s.cachePages)
	e.GET("/search", s.handleSearchPage, s.cachePages)
	e.GET("/docs/:id", s.handleDocPage, s.cachePages)
	e.GET("/countries", s.handleCountries, s.cachePages)
	e.GET("/countries/:code", s.handleCountry, s.cachePages)
	e.GET("/compare", s.handleCompare, s.cachePages)
	e.GET("/approaches.csv", s.handleApproachesCSV, s.cachePages)
	e.GET("/topics", s.handleTopics, s.cachePages)
	e.GET("/topics/:slug", s.handleTopic, s.cachePages)
	e.GET("/glossary", s.handleGlossary, s.cachePages)
	e.GET("/timeline", s.handleTimeline, s.cachePages)
	e.GET("/about", s.handleAbout, s.cachePages)
	e.GET("/reading-list", s.handleReadingList, s.cachePages)
	for _, f := range export.Formats {
		e.GET("/reading-list."+f.Ext, s.handleReadingListExport(f), s.cachePages)
	}

	api := e.Group("/api", s.rateLimit())
	api.GET("/search", s.handleAPISearch)
	api.GET("/suggest", s.handleAPISuggest, s.cachePages)
	api.GET("/docs/:id", s.handleAPIDoc, s.cachePages)
	api.GET("/countries", s.handleAPICountries, s.cachePages)
	api.GET("/compare", s.handleAPICompare, s.cachePages)
	api.GET("/approaches", s.handleAPIApproaches, s.cachePages)
	api.GET("/openapi.json", s.handleOpenAPI)

	e.GET("/feed.atom", s.handleFeed, s.cachePages)
	e.GET("/feed.json", s.handleJSONFeed, s.cachePages)
	e.GET("/sitemap.xml", s.handleSitemap, s.cachePages)
	e.GET("/opensearch.xml", s.handleOpenSearch, s.cachePages)
	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok\n") })
	e.GET("/readyz", s.handleReady)
	e.GET("/static/*", s.handleStatic)
	e.GET("/robots.txt", func(c echo.Context) error {
		return c.String(http.StatusOK, "User-agent: *\nDisallow: /api/\nSitemap: "+s.baseURL(c)+"/sitemap.xml\n")
	})

	// Everything else is a 404 page, and a write is refused: the site is read-only.
	e.RouteNotFound("/*", func(c echo.Context) error { return echo.ErrNotFound })
}
