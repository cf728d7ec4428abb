package content

import (
	"maps"
	"os"
	"slices"
	"testing"
)

// TestSimilar checks, for every entry of the real corpus, that Similar returns what ranking
// every candidate with a stable sort returns, and what it must leave out.
func TestSimilar(t *testing.T) {
	c, _, err := Load(os.DirFS("../../content"), ".", Options{})
	if err != nil {
		t.Fatal(err)
	}
	cat := NewCatalog(c)
	for _, e := range c.Entries {
		var all []similarEntry
		for _, o := range c.Entries {
			if o != e && o.Kind != Topic && o.Kind != Milestone && !slices.Contains(e.Related, o.ID) {
				if s := similarity(e, o); s >= 4 {
					all = append(all, similarEntry{o, s})
				}
			}
		}
		slices.SortStableFunc(all, bySimilarity)
		for _, n := range []int{0, 1, 5, 20} {
			got := cat.Similar(c, e, n)
			want := []*Entry{}
			for i := 0; i < n && i < len(all); i++ {
				want = append(want, all[i].e)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("Similar(%s, %d) = %v, want %v", e.ID, n, ids(got), ids(want))
			}
			for _, o := range got {
				if o == e || slices.Contains(e.Related, o.ID) || o.Kind == Topic || o.Kind == Milestone {
					t.Errorf("Similar(%s) returned %s, which it must leave out", e.ID, o.ID)
				}
			}
		}
	}
	// The Dutch national guidelines' neighbours are other governments' and organisations'
	// guidelines, none of them an entry the Dutch guidelines already list as related.
	nl := c.Get("nl-national-knowledge-security-guidelines")
	if nl == nil {
		t.Fatal("nl-national-knowledge-security-guidelines is missing")
	}
	got := cat.Similar(c, nl, 5)
	if len(got) != 5 {
		t.Fatalf("Similar(nl guidelines) = %v: want five", ids(got))
	}
	for _, o := range got {
		if o.Kind != Guidance || slices.Contains(o.Countries, "nl") {
			t.Errorf("Similar(nl guidelines) has %s: want guidance from elsewhere (the Dutch entries are related already)", o.ID)
		}
	}
}

func ids(es []*Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

// CountFacets counts each facet within the other facets' selections, not its own.
func TestCountFacets(t *testing.T) {
	entries := []*Entry{
		{ID: "a", Kind: Guidance, Countries: []string{"nl"}, Themes: []string{"due-diligence"}},
		{ID: "b", Kind: Guidance, Countries: []string{"ca"}, Themes: []string{"due-diligence", "export-control"}},
		{ID: "c", Kind: Guidance, Countries: []string{"nl"}, Themes: []string{"export-control"}},
	}
	got := CountFacets(entries, map[string][]string{"country": {"nl"}, "theme": {"export-control"}}, []string{"country", "theme"})
	// Countries among the export-control entries (b, c); themes among the Dutch ones (a, c).
	if want := map[string]int{"ca": 1, "nl": 1}; !maps.Equal(got["country"], want) {
		t.Errorf("country = %v, want %v", got["country"], want)
	}
	if want := map[string]int{"due-diligence": 1, "export-control": 1}; !maps.Equal(got["theme"], want) {
		t.Errorf("theme = %v, want %v", got["theme"], want)
	}
}
