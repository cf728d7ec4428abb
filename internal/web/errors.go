package web

import (
	"errors"
	"net/http"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

// userError is a problem with the request that the user can fix; its message is shown.
type userError struct {
	status int
	msg    string
}

// linkedError is a userError whose page offers the way on: the last page of a search, say.
type linkedError struct {
	err                *userError
	linkHref, linkText string
}

func (e *linkedError) Error() string { return e.err.msg }
func (e *linkedError) Unwrap() error { return e.err }

func (e *userError) Error() string { return e.msg }

func badRequest(msg string) error { return &userError{http.StatusBadRequest, msg} }

func notFound(msg string) error { return &userError{http.StatusNotFound, msg} }

var errNotReady = &userError{http.StatusServiceUnavailable, "The search index is being built. Try again in a few seconds."}

// handleError is the one place errors become responses: JSON under /api/, an HTML page
// elsewhere. Internal errors are logged and shown only as "Internal error."
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, msg := http.StatusInternalServerError, "Internal error."
	var ue *userError
	var he *echo.HTTPError
	switch {
	case errors.As(err, &ue):
		status, msg = ue.status, ue.msg
	case errors.As(err, &he):
		status = he.Code
		switch status {
		case http.StatusNotFound:
			msg = "There is no page at this address."
		case http.StatusMethodNotAllowed:
			msg = "This site is read-only: only GET and HEAD requests are answered."
		case http.StatusRequestEntityTooLarge:
			msg = "The request body is too large."
		default:
			msg = http.StatusText(status)
		}
	}
	if status >= 500 && status != http.StatusServiceUnavailable {
		s.log.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
	}
	if status == http.StatusServiceUnavailable {
		c.Response().Header().Set("Retry-After", "5")
	}
	if p := c.Request().URL.Path; p == "/api" || strings.HasPrefix(p, "/api/") {
		c.JSON(status, map[string]string{"error": msg})
		return
	}
	page := errorPage{basePage: s.base(c, errorTitle(status)), Status: status, Message: msg}
	var le *linkedError
	if errors.As(err, &le) {
		page.LinkHref, page.LinkText = le.linkHref, le.linkText
	} else if status == http.StatusBadRequest && c.Request().URL.RawQuery != "" {
		// A person who followed a stale or mistyped link is told so in plain words first; the
		// exact problem, which names the parameter, follows for whoever wrote the link.
		page.Plain = "Part of this address cannot be used: it may come from an old or mistyped link."
		page.LinkHref, page.LinkText = c.Request().URL.Path, "Open this page without the address's options"
		if c.Request().URL.Path == "/search" {
			page.LinkText = "Start a new search"
		}
	}
	if q := c.QueryParam("q"); status == http.StatusBadRequest && c.Request().URL.Path == "/search" && validQuery(q) {
		page.Search = q
	}
	if status == http.StatusNotFound {
		// Past the last page of a search, the box keeps the search; elsewhere it offers the
		// words of the address.
		if q := c.QueryParam("q"); c.Request().URL.Path == "/search" && q != "" {
			page.Search = q
		} else {
			page.Search = searchWords(c.Request().URL.Path)
		}
	}
	if err := s.render(c, status, "error", page); err != nil {
		c.String(status, msg)
	}
}

type errorPage struct {
	basePage
	Status             int
	Plain              string // what happened, for a reader who did not write the address
	Message            string
	LinkHref, LinkText string
	Search             string // the search box's words: on a 404, the address's last segment
}

// errorTitle names an error status in plain words.
func errorTitle(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "Something in this address is not right"
	case http.StatusNotFound:
		return "Page not found"
	case http.StatusMethodNotAllowed:
		return "This site is read-only"
	case http.StatusTooManyRequests:
		return "Too many requests"
	case http.StatusServiceUnavailable:
		return "Not ready yet"
	case http.StatusInternalServerError:
		return "Something went wrong on our side"
	}
	return http.StatusText(status)
}

// searchWords turns the last segment of a path into words to search for: /docs/trusted-research
// gives "trusted research". Anything that is not a letter or a digit separates words.
func searchWords(p string) string {
	p = strings.TrimRight(p, "/")
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		p = p[i+1:]
	}
	p = strings.TrimSuffix(p, path.Ext(p))
	if !utf8.ValidString(p) {
		return ""
	}
	words := strings.FieldsFunc(p, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	out := strings.Join(words, " ")
	if len(out) > 100 {
		out = strings.ToValidUTF8(out[:100], "")
	}
	return out
}

// validQuery reports whether q can go back into a search box as it is.
func validQuery(q string) bool {
	return q != "" && len(q) <= maxQueryLen && utf8.ValidString(q) && !strings.ContainsFunc(q, unicode.IsControl)
}

// plural is n and the noun, with an s unless n is one.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
