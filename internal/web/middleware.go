package web

import (
	"bytes"
	"errors"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"
)

// csp allows nothing inline and nothing from elsewhere: every style and script is a file
// under /static/.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; manifest-src 'self'"

func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()")
		if !strings.HasPrefix(c.Request().URL.Path, "/static/") {
			h.Set("Cache-Control", "no-cache")
		}
		return next(c)
	}
}

func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		s.log.Debug("request", "method", c.Request().Method, "path", c.Request().URL.Path,
			"status", c.Response().Status, "took", time.Since(start))
		return nil
	}
}

// rateLimit limits each client's requests to the routes it is given to, all from one budget.
// The client is the connection's address (or the address a trusted proxy reports): a header
// any client can set never decides.
func (s *Server) rateLimit() echo.MiddlewareFunc {
	if s.cfg.RateLimit <= 0 {
		return func(next echo.HandlerFunc) echo.HandlerFunc { return next }
	}
	burst := s.cfg.RateBurst
	if burst <= 0 {
		burst = int(2 * s.cfg.RateLimit)
	}
	retry := strconv.Itoa(max(1, int(math.Ceil(1/s.cfg.RateLimit))))
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Store: middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
			Rate: rate.Limit(s.cfg.RateLimit), Burst: burst, ExpiresIn: 3 * time.Minute}),
		IdentifierExtractor: func(c echo.Context) (string, error) {
			if key := clientKey(net.ParseIP(c.RealIP())); key != "" {
				return key, nil
			}
			return "", errors.New("no client address")
		},
		DenyHandler: func(c echo.Context, _ string, _ error) error {
			c.Response().Header().Set("Retry-After", retry)
			return &userError{http.StatusTooManyRequests, "Too many requests from your address: wait a moment and try again."}
		},
		ErrorHandler: func(c echo.Context, err error) error {
			return &userError{http.StatusForbidden, "The client address could not be read."}
		},
	})
}

// cachePages serves a page from the current state's page cache, or renders it and keeps a
// copy. Every page is a pure function of the corpus, the index and the URL, so a copy stays
// right until the state is replaced.
func (s *Server) cachePages(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		st := s.state()
		if st.index == nil || c.Request().Method != http.MethodGet {
			return next(c)
		}
		key := c.Request().URL.RequestURI()
		if p, ok := st.pages.get(key); ok {
			h := c.Response().Header()
			if p.disposition != "" {
				h.Set("Content-Disposition", p.disposition)
			}
			return c.Blob(p.status, p.contentType, p.body)
		}
		rec := &recordingWriter{ResponseWriter: c.Response().Writer}
		c.Response().Writer = rec
		err := next(c)
		if err == nil && c.Response().Status == http.StatusOK && s.state() == st {
			h := c.Response().Header()
			st.pages.put(&cachedPage{key: key, status: http.StatusOK, contentType: h.Get("Content-Type"),
				disposition: h.Get("Content-Disposition"), body: rec.buf.Bytes()})
		}
		return err
	}
}

// recordingWriter keeps a copy of what a handler writes.
type recordingWriter struct {
	http.ResponseWriter
	buf bytes.Buffer
}

func (w *recordingWriter) Write(b []byte) (int, error) {
	w.buf.Write(b)
	return w.ResponseWriter.Write(b)
}

// allowed are the methods every route answers: the site is read-only.
const allowed = "GET, HEAD, OPTIONS"

// corsHeaders are the request headers a page elsewhere may send to the API, and
// corsExposed the response headers its script may read.
const (
	corsHeaders = "Accept, Accept-Language, If-None-Match, If-Modified-Since"
	corsExposed = "ETag, Last-Modified, Retry-After, Server-Timing, X-Took-Ms"
)

// readOnly answers a write with 405 and the methods that would be answered, and an OPTIONS
// request (a CORS preflight, say) with 204 and the same. The API may be read from any origin:
// it is public, read-only and never looks at credentials, so a page elsewhere may call it.
func (s *Server) readOnly(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		api := c.Request().URL.Path == "/api" || strings.HasPrefix(c.Request().URL.Path, "/api/")
		if api {
			h.Set("Access-Control-Allow-Origin", "*")
			h.Set("Access-Control-Expose-Headers", corsExposed)
		}
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead:
			return next(c)
		case http.MethodOptions:
			h.Set("Allow", allowed)
			if api {
				h.Set("Access-Control-Allow-Methods", "GET, HEAD")
				h.Set("Access-Control-Allow-Headers", corsHeaders)
				h.Set("Access-Control-Max-Age", "86400")
			}
			return c.NoContent(http.StatusNoContent)
		}
		h.Set("Allow", allowed)
		return echo.ErrMethodNotAllowed
	}
}
