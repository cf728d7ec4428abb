package search

import (
	"cmp"
	"context"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestTopK checks that the heap selection gives the first k hits of a full sort, ties
// included, for every k.
func TestTopK(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	order := func(a, b scored) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.doc, b.doc))
	}
	for _, n := range []int{0, 1, 7, 100, 1000} {
		hits := make([]scored, n)
		for i := range hits {
			hits[i] = scored{int32(i), float64(r.IntN(10))} // many ties
		}
		r.Shuffle(n, func(i, j int) { hits[i], hits[j] = hits[j], hits[i] })
		want := slices.Clone(hits)
		slices.SortFunc(want, order)
		for _, k := range []int{1, 3, 20, 60, n} {
			got := topK(slices.Clone(hits), k, order)
			if w := want[:min(k, n)]; !slices.Equal(got, w) {
				t.Errorf("n=%d k=%d: got %v, want %v", n, k, got, w)
			}
		}
	}
}

// TestSuggestAsScan checks that the suggestions read off the sorted words are those a scan of
// every title and synonym gives, in the same order, for prefixes of one and two words.
func TestSuggestAsScan(t *testing.T) {
	_, real := realMemory(t)
	for _, ix := range []*Index{mustFullIndex(t), real} {
		suggestAsScan(t, ix)
	}
}

func suggestAsScan(t *testing.T, ix *Index) {
	sg := ix.suggest
	scan := func(prefix string, limit int) []Suggestion {
		p := prefixWords(prefix)
		lower := strings.ToLower(strings.TrimSpace(prefix))
		type match struct {
			it           *suggestItem
			start        int
			literal, any bool
		}
		var ms []match
		for i := range sg.items {
			it := &sg.items[i]
			for at := range it.words {
				if matchesAt(it.words, p, at) {
					ms = append(ms, match{it, at, strings.HasPrefix(strings.ToLower(it.Text), lower), true})
					break
				}
			}
		}
		slices.SortStableFunc(ms, func(a, b match) int {
			return cmp.Or(
				cmp.Compare(min(a.start, 1), min(b.start, 1)),
				compareBool(!a.literal, !b.literal),
				cmp.Compare(kindRank(a.it.Kind), kindRank(b.it.Kind)),
				compareBool(a.it.synonym, b.it.synonym),
				cmp.Compare(len(a.it.Text), len(b.it.Text)),
				strings.Compare(a.it.Text, b.it.Text),
			)
		})
		var out []Suggestion
		seen := map[string]bool{}
		for _, m := range ms {
			if !seen[m.it.ID] {
				seen[m.it.ID] = true
				out = append(out, m.it.Suggestion)
				if len(out) == limit {
					break
				}
			}
		}
		return out
	}
	prefixes := map[string]bool{}
	for _, it := range sg.items {
		for k, w := range it.words {
			for n := 1; n <= min(len(w), 4); n++ {
				prefixes[w[:n]] = true
			}
			if k+1 < len(it.words) {
				next := it.words[k+1]
				prefixes[w+" "+next[:1]] = true
				prefixes[w+" "+next[:min(3, len(next))]] = true
				prefixes[strings.ToUpper(w[:1])+w[1:]+" "+next] = true
				if k+2 < len(it.words) {
					prefixes[w+" "+next+" "+it.words[k+2][:1]] = true
				}
			}
			prefixes[strings.ToUpper(w[:min(2, len(w))])] = true
		}
	}
	prefixes["Über"], prefixes["über"] = true, true
	// Prefixes as typed with their accents ("sé", "séc"), which a list made for the folded
	// prefix does not answer.
	for _, it := range sg.items {
		for _, w := range strings.Fields(it.lower) {
			if r := []rune(w); len(r) != len(w) {
				for n := 1; n <= min(len(r), 4); n++ {
					prefixes[string(r[:n])] = true
				}
			}
		}
	}
	n := 0
	// As built, where the fixture's runs are short, then with a list made for every prefix.
	for _, long := range []int{longRun, 1} {
		sg.precompute(long)
		if long == 1 && len(sg.top) < 100 {
			t.Fatalf("lists for only %d prefixes", len(sg.top))
		}
		for p := range prefixes {
			if len(prefixWords(p)) == 0 {
				continue // punctuation: Suggest answers nothing
			}
			all := scan(p, maxSuggest) // the first limit of them are the answer for limit
			for _, limit := range []int{3, 10, maxSuggest} {
				got, err := ix.Suggest(context.Background(), p, limit)
				if err != nil {
					t.Fatal(err)
				}
				if want := all[:min(limit, len(all))]; !slices.Equal(got, want) {
					t.Errorf("%q (limit %d, lists from runs of %d): got %v, want %v", p, limit, long, got, want)
					if n++; n > 5 {
						t.FailNow()
					}
				}
			}
		}
	}
}

// TestBrowsePages checks that the empty query's pages, read off the precomputed orders, are
// the slices of a full sort of every entry that passes the filters, for each sort.
func TestBrowsePages(t *testing.T) {
	ix := mustFullIndex(t)
	m := ix.mem
	for _, filters := range []map[string][]string{nil, {"kind": {"guidance"}}, {"kind": {"finding", "term"}}} {
		f := ix.filter(Request{Filters: filters})
		var all []scored
		for n := range m.docs {
			if fails, _ := f.fails(&m.docs[n]); fails == 0 {
				all = append(all, scored{int32(n), 1})
			}
		}
		for _, sort := range []string{SortRelevance, SortNewest, SortTitle} {
			want := slices.Clone(all)
			slices.SortFunc(want, m.order(sort, false))
			for page := 1; page <= 4; page++ {
				res, err := ix.Search(context.Background(), Request{Filters: filters, Sort: sort, Page: page, Size: 3})
				if err != nil {
					t.Fatal(err)
				}
				if res.Total != len(all) {
					t.Errorf("%v %s: total %d, want %d", filters, sort, res.Total, len(all))
				}
				var got, w []string
				for _, h := range res.Hits {
					got = append(got, h.ID)
				}
				for _, h := range want[min((page-1)*3, len(want)):min(page*3, len(want))] {
					w = append(w, m.docs[h.doc].id)
				}
				if !slices.Equal(got, w) {
					t.Errorf("%v %s page %d: got %v, want %v", filters, sort, page, got, w)
				}
			}
		}
	}
}

// TestFacetCountsByBits checks that counting facets with the values' bitsets gives what
// counting hit by hit gives (totals, disjunctive counts, hits and their order), with and
// without a query, for selections in one facet and in several.
func TestFacetCountsByBits(t *testing.T) {
	_, ix := realMemory(t)
	defer func() { ix.mem.counting = countAuto }()
	ctx := context.Background()
	filters := []map[string][]string{
		nil,
		{"country": {"nl"}},
		{"country": {"nl", "de"}},
		{"country": {"nl"}, "theme": {"due-diligence"}},
		{"kind": {"guidance"}, "stage": {"basic"}, "year": {"2024", "2023"}},
		{"country": {"xx"}}, // a value no entry has
	}
	n := 0
	for _, q := range []string{"", "research security", "export control", "partner screening", "training for researchers"} {
		for _, f := range filters {
			for _, sort := range []string{SortRelevance, SortNewest, SortTitle} {
				for _, page := range []int{1, 2} {
					r := Request{Query: q, Filters: f, Sort: sort, Page: page, Size: 20}
					if f["country"] != nil && page == 2 {
						r.Reach = []string{"eu"} // what applies from above, without "int"
					}
					ix.mem.counting = countPerHit
					want, err := ix.Search(ctx, r)
					if err != nil {
						t.Fatal(err)
					}
					ix.mem.counting = countByBits
					got, err := ix.Search(ctx, r)
					if err != nil {
						t.Fatal(err)
					}
					want.Took, got.Took = 0, 0
					if !reflect.DeepEqual(got, want) {
						t.Errorf("%+v:\nby bits  %d hits, %v\nper hit  %d hits, %v", r, got.Total, got.Facets, want.Total, want.Facets)
					}
					if want.Total > 0 {
						n++
					}
				}
			}
		}
	}
	if n < 60 {
		t.Errorf("only %d of the requests found anything: the comparison tests little", n)
	}
}
