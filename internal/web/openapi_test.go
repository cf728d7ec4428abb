package web

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/research-security-atlas/atlas/internal/content"
)

// validate checks v against an OpenAPI 3.0 schema, resolving $ref in spec: types, required,
// properties, additionalProperties, items, enum and pattern. It returns every mismatch.
func validate(spec map[string]any, schema map[string]any, v any, at string) []string {
	if ref, ok := schema["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		return validate(spec, spec["components"].(map[string]any)["schemas"].(map[string]any)[name].(map[string]any), v, at)
	}
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, at+": "+fmt.Sprintf(format, args...)) }
	switch schema["type"] {
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			fail("want an object, got %T", v)
			return errs
		}
		props, _ := schema["properties"].(map[string]any)
		if req, ok := schema["required"].([]any); ok {
			for _, r := range req {
				if _, ok := obj[r.(string)]; !ok {
					fail("missing required %q", r)
				}
			}
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if ps, ok := props[k].(map[string]any); ok {
				errs = append(errs, validate(spec, ps, obj[k], at+"."+k)...)
				continue
			}
			switch ap := schema["additionalProperties"].(type) {
			case bool:
				if !ap {
					fail("property %q is not in the description", k)
				}
			case map[string]any:
				errs = append(errs, validate(spec, ap, obj[k], at+"."+k)...)
			}
		}
	case "array":
		arr, ok := v.([]any)
		if !ok {
			fail("want an array, got %T", v)
			return errs
		}
		if items, ok := schema["items"].(map[string]any); ok {
			for i, it := range arr {
				errs = append(errs, validate(spec, items, it, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	case "string":
		s, ok := v.(string)
		if !ok {
			fail("want a string, got %T", v)
			return errs
		}
		if enum, ok := schema["enum"].([]any); ok {
			found := false
			for _, e := range enum {
				found = found || e == s
			}
			if !found {
				fail("%q is not one of %v", s, enum)
			}
		}
		if p, ok := schema["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(s) {
			fail("%q does not match %s", s, p)
		}
	case "integer":
		f, ok := v.(float64)
		if !ok || f != float64(int64(f)) {
			fail("want an integer, got %v", v)
		}
	case "number":
		if _, ok := v.(float64); !ok {
			fail("want a number, got %T", v)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			fail("want a boolean, got %T", v)
		}
	}
	return errs
}

// TestOpenAPIDescribesRealResponses checks real answers of every documented endpoint, errors
// included, against the OpenAPI description served at /api/openapi.json.
func TestOpenAPIDescribesRealResponses(t *testing.T) {
	s := realCorpusServer(t)
	rec := get(t, s, "/api/openapi.json")
	var spec map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &spec); err != nil || rec.Code != 200 {
		t.Fatalf("/api/openapi.json: %d %v", rec.Code, err)
	}
	paths := spec["paths"].(map[string]any)
	for _, test := range []struct {
		path, target string
		status       int
	}{
		{"/api/search", "/api/search?q=partner+screening&country=nl&country=ca&stage=applied&size=5", 200},
		{"/api/search", "/api/search", 200},
		{"/api/search", "/api/search?q=zzqqxx", 200},
		{"/api/search", "/api/search?sort=sideways", 400},
		{"/api/docs/{id}", "/api/docs/nl-national-knowledge-security-guidelines", 200},
		{"/api/docs/{id}", "/api/docs/f-nl-key-elements", 200},
		{"/api/docs/{id}", "/api/docs/nl", 200},
		{"/api/docs/{id}", "/api/docs/term-knowledge-security", 200},
		{"/api/docs/{id}", "/api/docs/m-2024-eu-council-recommendation", 200},
		{"/api/docs/{id}", "/api/docs/none", 404},
		{"/api/countries", "/api/countries", 200},
		{"/api/compare", "/api/compare?c=nl&c=ca&c=gb", 200},
		{"/api/compare", "/api/compare?c=nl", 400},
		{"/api/approaches", "/api/approaches", 200},
		{"/api/approaches", "/api/approaches?c=nl&c=gb", 200},
		{"/api/approaches", "/api/approaches?c=zz", 400},
		{"/api/technologies", "/api/technologies", 200},
		{"/api/search", "/api/search?technology=quantum", 200},
		{"/api/search", "/api/search?q=security&technology=quantum&technology=artificial-intelligence", 200},
		{"/api/search", "/api/search?technology=warp-drive", 400},
		{"/readyz", "/readyz", 200},
		{"/api/suggest", "/api/suggest?q=know", 200},
		{"/api/suggest", "/api/suggest?q=" + strings.Repeat("x", 101), 400},
		{"/api/search", "/api/search?q=rsk", 200},
		{"/api/upkeep", "/api/upkeep", 200},
		{"/api/questions", "/api/questions", 200},
		{"/api/questions", "/api/questions?concept=partner-military-links&source=de-dfg-risks-international-cooperation", 200},
		{"/api/questions", "/api/questions?framework=nope", 400},
		{"/api/case", "/api/case?home=de&partner=cn&activity=partnership&technology=quantum&stage=basic&funder=dfg", 200},
		{"/api/case", "/api/case?home=ca&activity=funding-application", 200},
		{"/api/case", "/api/case?home=ma&activity=publication", 200},
		{"/api/case", "/api/case?home=zz", 400},
		{"/api/case", "/api/case?home=de&activity=dancing", 400},
		{"/api/search", "/api/search?countries=nl", 400},
		{"/api/compare", "/api/compare?country=nl&country=ca", 200},
		{"/api/approaches", "/api/approaches?country=nl", 200},
		{"/api", "/api", 200},
		{"/api", "/api?v=2", 400},
		{"/api/countries/{code}", "/api/countries/nl", 200},
		{"/api/countries/{code}", "/api/countries/eu", 200},
		{"/api/countries/{code}", "/api/countries/cn", 200},
		{"/api/countries/{code}", "/api/countries/zz", 404},
		{"/api/topics", "/api/topics", 200},
		{"/api/topics/{slug}", "/api/topics/conceptualisation", 200},
		{"/api/topics/{slug}", "/api/topics/funder-measures", 200},
		{"/api/topics/{slug}", "/api/topics/none", 404},
		{"/api/glossary", "/api/glossary", 200},
		{"/api/timeline", "/api/timeline", 200},
		{"/api/vocabularies", "/api/vocabularies", 200},
		{"/api/openapi.json", "/api/openapi.json", 200},
	} {
		op, ok := paths[test.path].(map[string]any)["get"].(map[string]any)
		if !ok {
			t.Fatalf("%s is not described", test.path)
		}
		resp, ok := op["responses"].(map[string]any)[fmt.Sprint(test.status)].(map[string]any)
		if !ok {
			t.Errorf("%s: status %d is not described", test.path, test.status)
			continue
		}
		if ref, ok := resp["$ref"].(string); ok {
			resp = spec["components"].(map[string]any)["responses"].(map[string]any)[strings.TrimPrefix(ref, "#/components/responses/")].(map[string]any)
		}
		schema := resp["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
		rec := get(t, s, test.target)
		if rec.Code != test.status {
			t.Errorf("GET %s: %d, want %d", test.target, rec.Code, test.status)
			continue
		}
		var body any
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Errorf("GET %s: %v", test.target, err)
			continue
		}
		for _, e := range validate(spec, schema, body, test.target) {
			t.Error(e)
		}
	}
}

// The validator itself notices what it should.
func TestValidateCatches(t *testing.T) {
	spec := map[string]any{"components": map[string]any{"schemas": map[string]any{}}}
	schema := map[string]any{"type": "object", "required": []any{"a"}, "additionalProperties": false,
		"properties": map[string]any{"a": map[string]any{"type": "integer"}}}
	for _, body := range []string{`{}`, `{"a": 1.5}`, `{"a": 1, "b": 2}`, `[]`} {
		var v any
		json.Unmarshal([]byte(body), &v)
		if len(validate(spec, schema, v, "x")) == 0 {
			t.Errorf("%s passed", body)
		}
	}
}

// The description's enums are the Go vocabularies, so that neither can change alone; the
// search parameters and /api/vocabularies use them.
func TestOpenAPIEnumsAreTheVocabularies(t *testing.T) {
	var spec struct {
		Servers    []struct{ URL string }
		Components struct {
			Schemas   map[string]struct{ Enum []string }
			Responses map[string]struct {
				Headers map[string]any
			}
		}
		Paths map[string]map[string]struct {
			Parameters []struct {
				Name   string
				Schema struct{ Items map[string]any }
			}
			Responses map[string]any
		}
	}
	if err := json.Unmarshal(openAPI, &spec); err != nil {
		t.Fatal(err)
	}
	schema := map[string]string{"kind": "Kind", "topic": "Topic", "theme": "Theme", "type": "Type", "stage": "Stage",
		"phase": "Phase", "audience": "Audience", "question": "GuidingQuestion", "activity": "Activity", "funder": "Funder"}
	for _, v := range vocabularies {
		name, ok := schema[v.name]
		if !ok {
			t.Errorf("vocabulary %s has no schema", v.name)
			continue
		}
		if got := spec.Components.Schemas[name].Enum; !slices.Equal(got, v.vocab.Values()) {
			t.Errorf("schema %s is %q, want the %s vocabulary %q", name, got, v.name, v.vocab.Values())
		}
	}
	if got := spec.Components.Schemas["CaseStage"].Enum; !slices.Equal(got, content.StageVocab.Values()) {
		t.Errorf("CaseStage is %q, want %q", got, content.StageVocab.Values())
	}
	for _, p := range spec.Paths["/api/search"]["get"].Parameters {
		if name, ok := schema[p.Name]; ok && p.Schema.Items["$ref"] != "#/components/schemas/"+name {
			t.Errorf("/api/search parameter %s: items %v, want the %s schema", p.Name, p.Schema.Items, name)
		}
	}
	if len(spec.Servers) != 1 || spec.Servers[0].URL != "/" {
		t.Errorf("servers %v, want one relative /", spec.Servers)
	}
	if _, ok := spec.Components.Responses["TooManyRequests"].Headers["Retry-After"]; !ok {
		t.Error("the 429 response does not describe Retry-After")
	}
	for path, ops := range spec.Paths {
		if strings.HasPrefix(path, "/api") && ops["get"].Responses["429"] == nil {
			t.Errorf("%s: no 429 described", path)
		}
	}
}

// Every /api route is described, and every described path is a route.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	var spec struct{ Paths map[string]any }
	if err := json.Unmarshal(openAPI, &spec); err != nil {
		t.Fatal(err)
	}
	s := newTestServer(t, false)
	routes := map[string]bool{}
	for _, r := range s.e.Routes() {
		p := regexp.MustCompile(`:(\w+)`).ReplaceAllString(r.Path, "{$1}")
		if (p == "/api" || strings.HasPrefix(p, "/api/")) && r.Method == "GET" {
			routes[p] = true
			if spec.Paths[p] == nil {
				t.Errorf("route %s is not in openapi.json", p)
			}
		}
	}
	for p := range spec.Paths {
		if strings.HasPrefix(p, "/api") && !routes[p] {
			t.Errorf("openapi.json describes %s, which is no route", p)
		}
	}
}
