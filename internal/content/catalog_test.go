package content

import (
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
