package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/labstack/echo/v4"
)

// minCompress is the smallest body worth compressing: below it the encoding's own overhead
// and the work cost more than the bytes saved.
const minCompress = 1024

// brotliLevel trades speed for size on answers encoded per request. On a 47 KB search page
// of the real corpus (BenchmarkCompress) level 5 gives 7.3 KB against gzip's 7.9 KB in about
// one and a half times gzip's time; level 4 is no smaller than gzip, and level 6 saves a few
// dozen bytes more for a third more time.
const brotliLevel = 5

// compress sends an answer of minCompress bytes or more brotli- or gzip-encoded, whichever the
// client prefers (brotli when it likes both alike), and marks every answer Vary:
// Accept-Encoding. It holds the whole body, which the handlers produce in one piece anyway,
// and it sits outside the validators: the ETag is the hash of the body before encoding.
func compress(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req, res := c.Request(), c.Response()
		res.Header().Add("Vary", "Accept-Encoding")
		enc := negotiateEncoding(req.Header.Get("Accept-Encoding"))
		if enc == "" {
			return next(c)
		}
		orig := res.Writer
		held := &heldWriter{header: orig.Header(), status: http.StatusOK}
		res.Writer = held
		err := next(c)
		res.Writer = orig
		if !held.wrote {
			return err
		}
		body := held.buf.Bytes()
		h := orig.Header()
		if len(body) >= minCompress && h.Get("Content-Encoding") == "" && compressible(h.Get("Content-Type")) {
			var out bytes.Buffer
			if encode(&out, enc, body) == nil {
				body = out.Bytes()
				h.Set("Content-Encoding", enc)
				h.Set("Content-Length", strconv.Itoa(len(body)))
			}
		}
		orig.WriteHeader(held.status)
		if _, werr := orig.Write(body); werr != nil && err == nil {
			return werr
		}
		return err
	}
}

func encode(w io.Writer, enc string, body []byte) error {
	var zw io.WriteCloser
	if enc == "br" {
		zw = brotli.NewWriterLevel(w, brotliLevel)
	} else {
		zw = gzip.NewWriter(w)
	}
	if _, err := zw.Write(body); err != nil {
		return err
	}
	return zw.Close()
}

// negotiateEncoding picks br or gzip from an Accept-Encoding header by their q-values, br on
// a tie; "" when the client takes neither.
func negotiateEncoding(header string) string {
	q := map[string]float64{}
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		weight := 1.0
		if k, v, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.TrimSpace(k) == "q" {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				continue
			}
			weight = f
		}
		if name != "" {
			q[name] = weight
		}
	}
	weight := func(name string) float64 {
		if w, ok := q[name]; ok {
			return w
		}
		return q["*"] // zero when absent
	}
	br, gz := weight("br"), weight("gzip")
	switch {
	case br > 0 && br >= gz:
		return "br"
	case gz > 0:
		return "gzip"
	}
	return ""
}

// compressible reports whether a media type is text that compresses: pages, JSON, feeds,
// CSV, the citation formats, scripts and style sheets; not images or fonts.
func compressible(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch {
	case strings.HasPrefix(mt, "text/"), strings.HasSuffix(mt, "+json"), strings.HasSuffix(mt, "+xml"):
		return true
	}
	switch mt {
	case "application/json", "application/xml", "application/javascript", "image/svg+xml",
		"application/x-bibtex", "application/x-research-info-systems", "application/vnd.citationstyles.csl+json":
		return true
	}
	return false
}
