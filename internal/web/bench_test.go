package web

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/research-security-atlas/atlas/internal/content"
)

// benchServer serves the real corpus from an on-disk index, as atlas serve does.
func benchServer(b *testing.B) *Server {
	b.Helper()
	corpus, _, err := content.Load(os.DirFS("../../content"), ".", content.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return serveCorpus(b, corpus)
}

// BenchmarkPages renders each kind of page once per iteration. Search pages are served from the
// result cache after the first iteration, as repeated searches are in production.
func BenchmarkPages(b *testing.B) {
	s := benchServer(b)
	for _, path := range []string{
		"/", "/search?q=partner+screening&country=nl", "/api/search?q=partner+screening&country=nl",
		"/docs/nl-national-knowledge-security-guidelines", "/countries", "/compare?c=nl&c=ca&c=gb",
		"/topics/funder-measures", "/reading-list", "/api/docs/nl-national-knowledge-security-guidelines",
	} {
		b.Run(path, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatalf("%s: %d", path, rec.Code)
				}
			}
		})
	}
}

// BenchmarkCompress encodes the real corpus's search page as compress does for each request,
// reporting the encoded size: the figures behind brotliLevel.
func BenchmarkCompress(b *testing.B) {
	s := benchServer(b)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/search?q=research+security", nil))
	body := rec.Body.Bytes()
	for _, enc := range []string{"gzip", "br"} {
		b.Run(enc, func(b *testing.B) {
			var out bytes.Buffer
			for i := 0; i < b.N; i++ {
				out.Reset()
				if err := encode(&out, enc, body); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(body)), "plain-bytes")
			b.ReportMetric(float64(out.Len()), "encoded-bytes")
		})
	}
}
