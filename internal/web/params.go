package web

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/search"
)

const (
	maxQueryLen = 500
	// maxValues bounds the filter values of one request, over all facets: each selected value
	// adds a link of the whole search to the page, so the page grows with their square.
	maxValues      = 30
	defaultSize    = 20
	maxSize        = 100
	maxPage        = 1000
	maxParamLength = 100
)

var yearRe = regexp.MustCompile(`^\d{4}$`)

// facetCheck validates one facet value and returns what is wrong with it, or "".
var facetCheck = map[string]func(string) string{
	"country": func(v string) string {
		if content.CountryName(v) == "" {
			return fmt.Sprintf("unknown country %q: use a lower-case ISO 3166-1 code such as nl, or eu, oecd, g7, int", v)
		}
		return ""
	},
	"topic":    vocabCheck(content.TopicVocab),
	"theme":    vocabCheck(content.ThemeVocab),
	"stage":    vocabCheck(content.StageFacetVocab),
	"phase":    vocabCheck(content.PhaseVocab),
	"type":     vocabCheck(content.TypeVocab),
	"audience": vocabCheck(content.AudienceVocab),
	"kind":     vocabCheck(content.KindVocab),
	"year": func(v string) string {
		if !yearRe.MatchString(v) {
			return fmt.Sprintf("year %q must be four digits, such as 2023", v)
		}
		return ""
	},
}

func vocabCheck(v *content.Vocabulary) func(string) string {
	return func(s string) string {
		if !v.Has(s) {
			return fmt.Sprintf("unknown %s %q: use one of %s", v.Name, s, v.List())
		}
		return ""
	}
}

// parseSearch validates the query string of /search and /api/search. Every error message says
// which parameter is wrong and what would be right.
func parseSearch(v url.Values) (search.Request, error) {
	r := search.Request{Filters: map[string][]string{}, Sort: search.SortRelevance, Page: 1, Size: defaultSize}
	q := v.Get("q")
	if !utf8.ValidString(q) {
		return r, badRequest("q is not valid UTF-8 text")
	}
	if utf8.RuneCountInString(q) > maxQueryLen {
		return r, badRequest(fmt.Sprintf("q is longer than %d characters: shorten the query", maxQueryLen))
	}
	if strings.ContainsFunc(q, func(r rune) bool { return r < 0x20 && r != '\t' }) {
		return r, badRequest("q contains control characters")
	}
	r.Query = strings.Join(strings.Fields(q), " ")

	given := 0
	for _, f := range search.Facets {
		given += len(v[f])
	}
	if given > maxValues {
		return r, badRequest(fmt.Sprintf("%d filter values given; at most %d are allowed in one search", given, maxValues))
	}
	for _, f := range search.Facets {
		vals := v[f]
		seen := map[string]bool{}
		for _, val := range vals {
			val = strings.TrimSpace(val)
			if val == "" || seen[val] {
				continue
			}
			if len(val) > maxParamLength || !utf8.ValidString(val) {
				return r, badRequest(fmt.Sprintf("%s value is not valid: at most %d characters of text", f, maxParamLength))
			}
			if msg := facetCheck[f](val); msg != "" {
				return r, badRequest(msg)
			}
			seen[val] = true
			r.Filters[f] = append(r.Filters[f], val)
		}
	}

	switch s := v.Get("sort"); s {
	case "", search.SortRelevance:
	case search.SortNewest, search.SortTitle:
		r.Sort = s
	default:
		return r, badRequest(fmt.Sprintf("sort %q is not known: use relevance, newest or title", truncate(s)))
	}
	var err error
	if r.Page, err = intParam(v, "page", 1, 1, maxPage); err != nil {
		return r, err
	}
	if r.Size, err = intParam(v, "size", defaultSize, 1, maxSize); err != nil {
		return r, err
	}
	return r, nil
}

func intParam(v url.Values, name string, def, lo, hi int) (int, error) {
	s := v.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, badRequest(fmt.Sprintf("%s must be a whole number from %d to %d", name, lo, hi))
	}
	return n, nil
}

func truncate(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	if !utf8.ValidString(s) {
		return strings.ToValidUTF8(s, "?")
	}
	return s
}

// allowParams refuses a request whose query string has a parameter the endpoint does not
// read: a misspelt filter (countries=nl) or one from another API (limit=5) would otherwise be
// ignored without a word, and the client would trust an answer to a question it did not ask.
func allowParams(names ...string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := checkParams(c.Request().URL.Path, c.QueryParams(), names); err != nil {
				return err
			}
			return next(c)
		}
	}
}

// checkParams names every parameter of q that is not among allowed, and what is allowed.
func checkParams(path string, q url.Values, allowed []string) error {
	var unknown []string
	for name := range q {
		if !slices.Contains(allowed, name) {
			unknown = append(unknown, fmt.Sprintf("%q", truncate(name)))
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	word := "parameter"
	if len(unknown) > 1 {
		word = "parameters"
	}
	takes := "takes no parameters"
	if len(allowed) > 0 {
		takes = "takes " + strings.Join(allowed, ", ")
	}
	return badRequest(fmt.Sprintf("unknown %s %s: %s %s", word, strings.Join(unknown, ", "), truncate(path), takes))
}
