package web

import (
	"container/list"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/research-security-atlas/atlas/internal/search"
)

// resultCache keeps the results of recent searches. It belongs to one state, so swapping in a
// new index or corpus starts an empty cache and no stale result can be served.
type resultCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // front: most recently used
	items map[string]*list.Element
}

type cacheItem struct {
	key string
	res *search.Results
}

const cacheSize = 4096

func newResultCache(max int) *resultCache {
	return &resultCache{max: max, order: list.New(), items: map[string]*list.Element{}}
}

func (c *resultCache) get(key string) (*search.Results, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.order.MoveToFront(el)
		return el.Value.(*cacheItem).res, true
	}
	return nil, false
}

func (c *resultCache) put(key string, res *search.Results) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		el.Value.(*cacheItem).res = res
		c.order.MoveToFront(el)
		return
	}
	c.items[key] = c.order.PushFront(&cacheItem{key, res})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*cacheItem).key)
	}
}

// cacheKey is a canonical form of a request: the same search written with its parameters in
// another order hits the same entry.
func cacheKey(r search.Request) string {
	var b strings.Builder
	b.WriteString(r.Query)
	b.WriteString("\x00")
	b.WriteString(r.Sort)
	b.WriteString("\x00")
	b.WriteString(strconv.Itoa(r.Page))
	b.WriteString("\x00")
	b.WriteString(strconv.Itoa(r.Size))
	for _, f := range search.Facets {
		vals := append([]string(nil), r.Filters[f]...)
		if len(vals) == 0 {
			continue
		}
		sort.Strings(vals)
		b.WriteString("\x00" + f + "=" + strings.Join(vals, "\x01"))
	}
	if len(r.Reach) > 0 {
		b.WriteString("\x00reach=" + strings.Join(r.Reach, "\x01"))
	}
	if r.IDs != nil {
		ids := append([]string(nil), r.IDs...)
		sort.Strings(ids)
		b.WriteString("\x00ids=" + strings.Join(ids, "\x01"))
	}
	return b.String()
}

// pageCache keeps rendered responses of the read-only pages, bounded by their total size. Like
// the result cache it belongs to one state.
type pageCache struct {
	mu    sync.Mutex
	max   int // bytes
	size  int
	order *list.List
	items map[string]*list.Element
}

type cachedPage struct {
	key         string
	status      int
	contentType string
	disposition string
	body        []byte
}

const pageCacheBytes = 32 << 20

func newPageCache(max int) *pageCache {
	return &pageCache{max: max, order: list.New(), items: map[string]*list.Element{}}
}

func (c *pageCache) get(key string) (*cachedPage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.order.MoveToFront(el)
		return el.Value.(*cachedPage), true
	}
	return nil, false
}

func (c *pageCache) put(p *cachedPage) {
	if len(p.body) > c.max/16 {
		return // one huge page must not push out everything else
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[p.key]; ok {
		c.size -= len(el.Value.(*cachedPage).body)
		c.order.Remove(el)
	}
	c.items[p.key] = c.order.PushFront(p)
	c.size += len(p.body)
	for c.size > c.max {
		last := c.order.Back()
		old := last.Value.(*cachedPage)
		c.order.Remove(last)
		delete(c.items, old.key)
		c.size -= len(old.body)
	}
}
