package search

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

// laterDone is a context that is done from its n-th look on: it stands for a deadline that
// passes while a search runs, without depending on how long the search takes.
type laterDone struct {
	context.Context
	looks, n int32
}

func (c *laterDone) Err() error {
	if atomic.AddInt32(&c.looks, 1) >= c.n {
		return context.DeadlineExceeded
	}
	return nil
}

func (c *laterDone) Done() <-chan struct{} {
	if atomic.LoadInt32(&c.looks) >= c.n {
		done := make(chan struct{})
		close(done)
		return done
	}
	return nil
}

// A search whose context ends while it runs stops and says so, instead of running to the end.
func TestSearchStopsWhenItsContextEnds(t *testing.T) {
	ix := mustIndex(t)
	for _, q := range []string{"research security partner screening", "knowledge security guidelines netherlands", "zzyzx qqq"} {
		ctx := &laterDone{Context: context.Background(), n: 2}
		res, err := ix.Search(ctx, Request{Query: q, Page: 1, Size: 10})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Search(%q) with a context that ends after it starts = %v, %v; want DeadlineExceeded", q, res, err)
		}
	}
	// A context that stays alive gets its answer.
	if res, err := ix.Search(context.Background(), Request{Query: "research security", Page: 1, Size: 10}); err != nil || res.Total == 0 {
		t.Errorf("Search = %v, %v", res, err)
	}
}
