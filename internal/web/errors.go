package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// userError is a problem with the request that the user can fix; its message is shown.
type userError struct {
	status int
	msg    string
}

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
	if strings.HasPrefix(c.Request().URL.Path, "/api/") {
		c.JSON(status, map[string]string{"error": msg})
		return
	}
	page := errorPage{basePage: s.base(c, http.StatusText(status)), Status: status, Message: msg}
	if err := s.render(c, status, "error", page); err != nil {
		c.String(status, msg)
	}
}

type errorPage struct {
	basePage
	Status  int
	Message string
}
