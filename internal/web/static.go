package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
)

// staticFiles serves static/ from memory. URLs carry a content hash (?v=…) so that files can
// be cached for a year and still change the moment they are edited.
type staticFiles struct {
	files map[string][]byte
	hash  map[string]string
}

func newStaticFiles(fsys fs.FS) (*staticFiles, error) {
	st := &staticFiles{files: map[string][]byte{}, hash: map[string]string{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		st.files[p] = b
		st.hash[p] = hex.EncodeToString(sum[:])[:12]
		return nil
	})
	return st, err
}

// url returns the versioned URL of a static file.
func (st *staticFiles) url(p string) string {
	return "/static/" + p + "?v=" + st.hash[p]
}

func (s *Server) handleStatic(c echo.Context) error {
	p := strings.TrimPrefix(path.Clean("/"+c.Param("*")), "/")
	b, ok := s.static.files[p]
	if !ok {
		return echo.ErrNotFound
	}
	h := c.Response().Header()
	if c.QueryParam("v") == s.static.hash[p] {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	h.Set("ETag", `"`+s.static.hash[p]+`"`)
	if c.Request().Header.Get("If-None-Match") == `"`+s.static.hash[p]+`"` {
		return c.NoContent(http.StatusNotModified)
	}
	ct := mime.TypeByExtension(path.Ext(p))
	if ct == "" {
		ct = "application/octet-stream"
	}
	return c.Blob(http.StatusOK, ct, b)
}

// handleFavicon serves the icon at the address browsers try first; the pages link to the SVG.
func (s *Server) handleFavicon(c echo.Context) error {
	const p = "favicon.ico"
	b, ok := s.static.files[p]
	if !ok {
		return echo.ErrNotFound
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "public, max-age=86400")
	h.Set("ETag", `"`+s.static.hash[p]+`"`)
	if c.Request().Header.Get("If-None-Match") == `"`+s.static.hash[p]+`"` {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, "image/vnd.microsoft.icon", b)
}
