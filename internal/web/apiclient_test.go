package web

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
)

// Every /api endpoint refuses a parameter it does not read, and names it.
func TestAPIUnknownParameters(t *testing.T) {
	s := realCorpusServer(t)
	for _, test := range []struct {
		target string
		status int
		names  []string // in the error message
	}{
		{"/api/search?countries=nl", 400, []string{`"countries"`, "country"}},
		{"/api/search?q=x&limit=5", 400, []string{`"limit"`, "size"}},
		{"/api/search?limit=5&offset=2", 400, []string{`parameters "limit", "offset"`}},
		{"/api/search?q=x&country=nl&size=5", 200, nil},
		{"/api/suggest?q=kn&n=3", 400, []string{`"n"`}},
		{"/api/docs/nl?format=xml", 400, []string{`"format"`, "takes no parameters"}},
		{"/api/countries?country=nl", 400, []string{`"country"`}},
		{"/api/compare?country=nl&country=ca", 200, nil},
		{"/api/compare?c=nl&c=ca", 200, nil},
		{"/api/compare?c=nl&country=ca&theme=x", 400, []string{"theme"}},
		{"/api/compare?countries=nl&countries=ca", 400, []string{`"countries"`}},
		{"/api/approaches?country=nl", 200, nil},
		{"/api/approaches?c=nl", 200, nil},
		{"/api/approaches?jurisdiction=nl", 400, []string{`"jurisdiction"`}},
		{"/api/technologies?area=quantum", 400, []string{`"area"`}},
		{"/api/questions?topic=x", 400, []string{`"topic"`, "concept"}},
		{"/api/case?home=de&activity=publication&country=cn", 400, []string{`"country"`, "partner"}},
		{"/api/openapi.json?v=1", 400, []string{`"v"`}},
		{"/api/upkeep?all=1", 400, []string{`"all"`}},
	} {
		rec := get(t, s, test.target)
		if rec.Code != test.status {
			t.Errorf("GET %s: %d, want %d: %s", test.target, rec.Code, test.status, rec.Body)
			continue
		}
		if test.status != 400 {
			continue
		}
		var body struct{ Error string }
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Errorf("GET %s: %v", test.target, err)
		}
		for _, n := range test.names {
			if !strings.Contains(body.Error, n) {
				t.Errorf("GET %s: error %q does not name %s", test.target, body.Error, n)
			}
		}
	}
}

// /api/compare and /api/approaches answer the same for c and country.
func TestAPICountryAlias(t *testing.T) {
	s := realCorpusServer(t)
	for _, pair := range [][2]string{
		{"/api/compare?c=nl&c=gb", "/api/compare?country=nl&country=gb"},
		{"/api/approaches?c=nl&c=gb", "/api/approaches?country=nl&country=gb"},
	} {
		a, b := get(t, s, pair[0]), get(t, s, pair[1])
		if a.Code != 200 || a.Body.String() != b.Body.String() {
			t.Errorf("%s (%d) and %s (%d) differ", pair[0], a.Code, pair[1], b.Code)
		}
	}
}

// A write is a 405 that says which methods are answered, on every route; OPTIONS is answered
// with those methods, and under /api as a CORS preflight.
func TestMethods(t *testing.T) {
	s := newTestServer(t, true)
	for _, test := range []struct {
		method, target string
		status         int
		cors           bool
	}{
		{"POST", "/", 405, false},
		{"PUT", "/docs/nl-guidelines", 405, false},
		{"DELETE", "/api/search", 405, true},
		{"PATCH", "/api/docs/nl-guidelines", 405, true},
		{"POST", "/nowhere", 405, false},
		{"OPTIONS", "/search", 204, false},
		{"OPTIONS", "/api/search", 204, true},
		{"GET", "/api/countries", 200, true},
		{"GET", "/api/nowhere", 404, true},
		{"GET", "/countries", 200, false},
	} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(test.method, test.target, nil)
		req.Header.Set("Origin", "https://example.org")
		s.ServeHTTP(rec, req)
		h := rec.Header()
		if rec.Code != test.status {
			t.Errorf("%s %s: %d, want %d", test.method, test.target, rec.Code, test.status)
		}
		if test.status != 200 && test.status != 404 && h.Get("Allow") != "GET, HEAD, OPTIONS" {
			t.Errorf("%s %s: Allow %q", test.method, test.target, h.Get("Allow"))
		}
		if got := h.Get("Access-Control-Allow-Origin") == "*"; got != test.cors {
			t.Errorf("%s %s: Access-Control-Allow-Origin %q", test.method, test.target, h.Get("Access-Control-Allow-Origin"))
		}
		if h.Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf("%s %s: credentials allowed", test.method, test.target)
		}
		if test.method == "OPTIONS" && test.cors && (h.Get("Access-Control-Allow-Methods") != "GET, HEAD" || !strings.Contains(h.Get("Access-Control-Allow-Headers"), "If-None-Match")) {
			t.Errorf("%s %s: preflight headers %v", test.method, test.target, h)
		}
	}
}
