package web

import (
	"context"
	"strings"
	"testing"

	"github.com/research-security-atlas/atlas/internal/search"
)

func TestResultCache(t *testing.T) {
	c := newResultCache(2)
	r1, r2, r3 := &search.Results{Total: 1}, &search.Results{Total: 2}, &search.Results{Total: 3}
	c.put("a", r1)
	c.put("b", r2)
	c.get("a") // a is now the most recent, so b goes first
	c.put("c", r3)
	if _, ok := c.get("b"); ok {
		t.Error("the least recently used entry was kept")
	}
	if got, ok := c.get("a"); !ok || got != r1 {
		t.Error("a recently used entry was dropped")
	}
	k1 := cacheKey(search.Request{Query: "x", Filters: map[string][]string{"country": {"nl", "ca"}, "topic": {"conceptualisation"}}, Page: 1, Size: 20})
	k2 := cacheKey(search.Request{Query: "x", Filters: map[string][]string{"topic": {"conceptualisation"}, "country": {"ca", "nl"}}, Page: 1, Size: 20})
	k3 := cacheKey(search.Request{Query: "x", Filters: map[string][]string{"country": {"nl"}}, Page: 1, Size: 20})
	if k1 != k2 || k1 == k3 {
		t.Errorf("keys: %q %q %q", k1, k2, k3)
	}
}

// A swapped-in index starts with an empty cache: a search after the swap sees the new index.
func TestCacheDroppedOnSwap(t *testing.T) {
	s := newTestServer(t, true)
	before := get(t, s, "/api/search?q=security").Body.String()
	s.SetSearcher(fixedSearcher{total: 42})
	after := get(t, s, "/api/search?q=security").Body.String()
	if before == after || !strings.Contains(after, `"total":42`) {
		t.Errorf("after the swap the old result was served: %s", after)
	}
}

type fixedSearcher struct{ total int }

func (f fixedSearcher) Search(_ context.Context, _ search.Request) (*search.Results, error) {
	return &search.Results{Total: f.total, Facets: map[string][]search.FacetCount{}}, nil
}
func (f fixedSearcher) Len() int { return 0 }

func (f fixedSearcher) Suggest(context.Context, string, int) ([]search.Suggestion, error) {
	return nil, nil
}

// A page rendered before the corpus changed is not served after it.
func TestPageCacheDroppedOnUpdate(t *testing.T) {
	s := newTestServer(t, true)
	first := get(t, s, "/docs/nl-guidelines").Body.String()
	if again := get(t, s, "/docs/nl-guidelines").Body.String(); again != first {
		t.Fatal("the same page rendered twice differs")
	}
	corpus := s.state().corpus
	e := corpus.Get("nl-guidelines")
	old := e.Title
	e.Title = "Renamed guidelines"
	defer func() { e.Title = old }()
	s.Update(corpus, s.state().index, nil)
	if body := get(t, s, "/docs/nl-guidelines").Body.String(); !strings.Contains(body, "Renamed guidelines") {
		t.Error("after an update the cached page was served")
	}
	if rec := get(t, s, "/reading-list.csv"); !strings.Contains(rec.Header().Get("Content-Disposition"), "reading-list.csv") {
		t.Error("first CSV download lacks its file name")
	}
	if rec := get(t, s, "/reading-list.csv"); !strings.Contains(rec.Header().Get("Content-Disposition"), "reading-list.csv") {
		t.Error("a cached CSV download lost its file name")
	}
}
