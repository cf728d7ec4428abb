package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// maxAge is how long a browser or a proxy may reuse an answer without asking again. Every
// answer is a pure function of the corpus, which changes a few times a day at most.
const cacheControl = "public, max-age=60"

// noStore are the answers about the server's live state: never kept anywhere.
func noStore(path string) bool {
	switch path {
	case "/healthz", "/readyz", "/upkeep", "/upkeep.atom", "/api/upkeep":
		return true
	}
	return false
}

// etagOf is a weak validator of body: weak, since the same body is sent gzipped or not.
func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `W/"` + hex.EncodeToString(sum[:12]) + `"`
}

// conditional gives every successful GET answer a validator (ETag, a hash of the body, unless
// the handler set one) and Last-Modified (when the served corpus last changed), lets it be cached for a
// short while, and answers 304 Not Modified when the client's copy is current. The answer is
// held until the handler is done, so that the hash is of the whole body.
func (s *Server) conditional(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req, res := c.Request(), c.Response()
		if noStore(req.URL.Path) {
			res.Header().Set("Cache-Control", "no-store")
			return next(c)
		}
		if req.Method != http.MethodGet || strings.HasPrefix(req.URL.Path, "/static/") {
			return next(c)
		}
		orig := res.Writer
		bw := &heldWriter{header: orig.Header(), status: http.StatusOK}
		res.Writer = bw
		err := next(c)
		res.Writer = orig
		if !bw.wrote {
			return err
		}
		h := orig.Header()
		if err == nil && bw.status == http.StatusOK {
			etag := h.Get("ETag")
			if etag == "" {
				etag = etagOf(bw.buf.Bytes())
				h.Set("ETag", etag)
			}
			lm := s.state().lastModified()
			if !lm.IsZero() {
				h.Set("Last-Modified", lm.Format(http.TimeFormat))
			}
			h.Set("Cache-Control", cacheControl)
			if notModified(req, etag, lm) {
				for _, k := range []string{"Content-Type", "Content-Length", "Content-Disposition"} {
					h.Del(k)
				}
				res.Status = http.StatusNotModified
				orig.WriteHeader(http.StatusNotModified)
				return nil
			}
		}
		orig.WriteHeader(bw.status)
		if _, werr := orig.Write(bw.buf.Bytes()); werr != nil && err == nil {
			err = werr
		}
		return err
	}
}

// notModified reports whether the client's copy, named by If-None-Match or dated by
// If-Modified-Since, is current. If-None-Match wins when both are sent (RFC 9110 13.2.2).
func notModified(r *http.Request, etag string, lm time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimSpace(t)
			if t == "*" || strings.TrimPrefix(t, "W/") == strings.TrimPrefix(etag, "W/") {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" && !lm.IsZero() {
		t, err := http.ParseTime(ims)
		return err == nil && !lm.Truncate(time.Second).After(t)
	}
	return false
}

// heldWriter keeps an answer's status and body until conditional decides what to send.
type heldWriter struct {
	header http.Header
	status int
	wrote  bool
	buf    bytes.Buffer
}

func (w *heldWriter) Header() http.Header { return w.header }

func (w *heldWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
}

func (w *heldWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.buf.Write(b)
}

// lastModified is when what the server answers from last changed: the corpus, its index or the
// link record put in place, to the second. The entries' own dates name days, too coarse for a
// validator: an edit made the same day as the previous one would be answered 304.
func (st *state) lastModified() time.Time {
	return st.made.Truncate(time.Second)
}
