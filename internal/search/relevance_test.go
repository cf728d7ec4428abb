package search

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/research-security-atlas/atlas/internal/content"
)

var updateBaseline = flag.Bool("update-baseline", false, "rewrite testdata/relevance-baseline.json with the figures of this run")

const (
	judgmentsFile = "testdata/judgments.json"
	baselineFile  = "testdata/relevance-baseline.json"
	// relevanceTolerance is how far the overall figures may fall below the baseline before
	// TestRelevance fails.
	relevanceTolerance = 0.005
	relevanceDepth     = 10
)

type judgedQuery struct {
	User      string         `json:"user"`
	Query     string         `json:"query"`
	Added     string         `json:"added,omitempty"` // the day the query was added, for those added as a set
	Judgments map[string]int `json:"judgments"`       // entry id -> 2 (the answer) or 1 (relevant)
}

// relevanceFigures are the mean nDCG@10 and recall@10 of a set of queries.
type relevanceFigures struct {
	Queries  int     `json:"queries"`
	NDCG10   float64 `json:"ndcg_at_10"`
	Recall10 float64 `json:"recall_at_10"`
}

type relevanceBaseline struct {
	Command string                      `json:"command"`
	Overall relevanceFigures            `json:"overall"`
	ByUser  map[string]relevanceFigures `json:"by_user"`
}

// ndcg is the normalised discounted cumulative gain of ranked at depth k, with gain 2^g-1 for
// grade g.
func ndcg(ranked []string, judged map[string]int, k int) float64 {
	dcg := 0.0
	for i, id := range ranked[:min(k, len(ranked))] {
		dcg += (math.Pow(2, float64(judged[id])) - 1) / math.Log2(float64(i+2))
	}
	var grades []int
	for _, g := range judged {
		grades = append(grades, g)
	}
	slices.SortFunc(grades, func(a, b int) int { return b - a })
	ideal := 0.0
	for i, g := range grades[:min(k, len(grades))] {
		ideal += (math.Pow(2, float64(g)) - 1) / math.Log2(float64(i+2))
	}
	if ideal == 0 {
		return 0
	}
	return dcg / ideal
}

// recall is the share of the judged entries found in the first k, out of as many as can fit
// there (so that a query with twelve relevant entries can still reach 1).
func recall(ranked []string, judged map[string]int, k int) float64 {
	found := 0
	for _, id := range ranked[:min(k, len(ranked))] {
		if judged[id] > 0 {
			found++
		}
	}
	return float64(found) / float64(min(k, len(judged)))
}

func TestRelevanceMetrics(t *testing.T) {
	judged := map[string]int{"a": 2, "b": 1, "c": 1}
	for _, test := range []struct {
		ranked       []string
		ndcg, recall float64
	}{
		{[]string{"a", "b", "c"}, 1, 1},
		{[]string{"x", "y", "z"}, 0, 0},
		{[]string{"b", "a", "c"}, (1 + 3/math.Log2(3) + 1/2.0) / (3 + 1/math.Log2(3) + 1/2.0), 1},
		{[]string{"a"}, 3 / (3 + 1/math.Log2(3) + 1/2.0), 1 / 3.0},
	} {
		if got := ndcg(test.ranked, judged, 10); math.Abs(got-test.ndcg) > 1e-9 {
			t.Errorf("ndcg(%v) = %v, want %v", test.ranked, got, test.ndcg)
		}
		if got := recall(test.ranked, judged, 10); math.Abs(got-test.recall) > 1e-9 {
			t.Errorf("recall(%v) = %v, want %v", test.ranked, got, test.recall)
		}
	}
}

// TestRelevance measures the search on the real corpus against the judged queries in
// testdata/judgments.json and fails when the overall nDCG@10 or recall@10 falls below the
// committed baseline. Run with -v to see every query; with -update-baseline to rewrite the
// baseline after an improvement (or after a content change the judgments were updated for).
func TestRelevance(t *testing.T) {
	corpus, _, err := content.Load(os.DirFS("../../content"), ".", content.Options{Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	var set struct {
		Queries []judgedQuery `json:"queries"`
	}
	b, err := os.ReadFile(judgmentsFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &set); err != nil {
		t.Fatalf("%s: %v", judgmentsFile, err)
	}
	for _, q := range set.Queries {
		for id, g := range q.Judgments {
			if corpus.Get(id) == nil {
				t.Errorf("%s: query %q judges %q, which is not in content/ (renamed, removed or failing atlas check?)", judgmentsFile, q.Query, id)
			}
			if g < 1 || g > 2 {
				t.Errorf("%s: query %q grades %q %d; grades are 1 and 2", judgmentsFile, q.Query, id, g)
			}
		}
	}
	if t.Failed() {
		return
	}

	ix, err := NewMemory(corpus)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()

	type sum struct{ n, ndcg, recall float64 }
	byUser := map[string]*sum{}
	byAdded := map[string]*sum{}
	all := &sum{}
	var report strings.Builder
	for _, q := range set.Queries {
		res, err := ix.Search(context.Background(), Request{Query: q.Query, Page: 1, Size: relevanceDepth})
		if err != nil {
			t.Fatalf("Search(%q): %v", q.Query, err)
		}
		var ranked []string
		for _, h := range res.Hits {
			ranked = append(ranked, h.ID)
		}
		n, r := ndcg(ranked, q.Judgments, relevanceDepth), recall(ranked, q.Judgments, relevanceDepth)
		if byUser[q.User] == nil {
			byUser[q.User] = &sum{}
		}
		sums := []*sum{all, byUser[q.User]}
		if q.Added != "" {
			if byAdded[q.Added] == nil {
				byAdded[q.Added] = &sum{}
			}
			sums = append(sums, byAdded[q.Added])
		}
		for _, s := range sums {
			s.n++
			s.ndcg += n
			s.recall += r
		}
		var marks []string
		for _, id := range ranked {
			marks = append(marks, fmt.Sprintf("%s%s", id, strings.Repeat("*", q.Judgments[id])))
		}
		fmt.Fprintf(&report, "%-9s nDCG %.3f recall %.2f  %-60q %s\n", q.User, n, r, q.Query, strings.Join(marks, " "))
	}
	t.Logf("per query (entries marked * relevant, ** the answer):\n%s", report.String())

	figures := func(s *sum) relevanceFigures {
		round := func(x float64) float64 { return math.Round(x*1000) / 1000 }
		return relevanceFigures{Queries: int(s.n), NDCG10: round(s.ndcg / s.n), Recall10: round(s.recall / s.n)}
	}
	got := relevanceBaseline{
		Command: "go test ./internal/search -run TestRelevance -v",
		Overall: figures(all),
		ByUser:  map[string]relevanceFigures{},
	}
	for u, s := range byUser {
		got.ByUser[u] = figures(s)
	}
	t.Logf("overall: nDCG@10 %.3f, recall@10 %.3f over %d queries", got.Overall.NDCG10, got.Overall.Recall10, got.Overall.Queries)
	for _, u := range []string{"policy", "officer", "organiser"} {
		if f, ok := got.ByUser[u]; ok {
			t.Logf("%-9s: nDCG@10 %.3f, recall@10 %.3f over %d queries", u, f.NDCG10, f.Recall10, f.Queries)
		}
	}
	for _, day := range slices.Sorted(maps.Keys(byAdded)) {
		f := figures(byAdded[day])
		t.Logf("added %s: nDCG@10 %.3f, recall@10 %.3f over %d queries", day, f.NDCG10, f.Recall10, f.Queries)
	}

	if *updateBaseline {
		out, _ := json.MarshalIndent(got, "", "  ")
		if err := os.WriteFile(baselineFile, append(out, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", baselineFile)
		return
	}
	var base relevanceBaseline
	b, err = os.ReadFile(baselineFile)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/search -run TestRelevance -update-baseline to write it)", err)
	}
	if err := json.Unmarshal(b, &base); err != nil {
		t.Fatalf("%s: %v", baselineFile, err)
	}
	if got.Overall.NDCG10 < base.Overall.NDCG10-relevanceTolerance {
		t.Errorf("nDCG@10 fell to %.3f from the baseline %.3f", got.Overall.NDCG10, base.Overall.NDCG10)
	}
	if got.Overall.Recall10 < base.Overall.Recall10-relevanceTolerance {
		t.Errorf("recall@10 fell to %.3f from the baseline %.3f", got.Overall.Recall10, base.Overall.Recall10)
	}
}
