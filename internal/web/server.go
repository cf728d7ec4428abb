// Package web serves the Atlas site and its JSON API with echo. Pages are rendered on the
// server with html/template and work without JavaScript.
package web

import (
	"context"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/search"
	"github.com/research-security-atlas/atlas/internal/upkeep"
)

// Searcher is what the handlers need of the index.
type Searcher interface {
	Search(ctx context.Context, r search.Request) (*search.Results, error)
	Suggest(ctx context.Context, prefix string, limit int) ([]search.Suggestion, error)
	Len() int
}

// Config is what the server is built from.
type Config struct {
	Templates fs.FS // the templates/ folder
	Static    fs.FS // the static/ folder
	Logger    *slog.Logger
	// SearchTimeout bounds the time one search may take.
	SearchTimeout time.Duration
	// RateLimit is how many searching requests (the API, search pages, feeds and reading
	// lists) per second one client may make on average, with RateBurst at once; zero turns the
	// limit off.
	RateLimit float64
	RateBurst int
	// TrustedProxies are the networks whose X-Forwarded-For header is believed. Without them a
	// client is always the connection's address: a header any client can set never decides.
	TrustedProxies []*net.IPNet
	// Timeouts of the HTTP server; zero means the default.
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// ContentDir is the content folder's name as organisers see it, put before entry paths on
	// /upkeep; default "content".
	ContentDir string
	// MaxConns bounds the open connections, MaxConnsPerClient those of one client (an IPv4
	// address or an IPv6 /64; trusted proxies only count towards the total). Zero means the
	// default. See LimitListener.
	MaxConns, MaxConnsPerClient int
	// BaseURL is the site's public address (https://atlas.example.org), used in feeds, the
	// sitemap and exports. When empty those use relative addresses: never the Host a request
	// names, which the client chooses.
	BaseURL string
}

// Server is the HTTP side of the Atlas.
type Server struct {
	e       *echo.Echo
	current atomic.Pointer[state]
	// degraded are the reasons, besides content errors, that /readyz reports a degraded state.
	degraded atomic.Pointer[[]string]
	conns    *conns
	views    *views
	static   *staticFiles
	log      *slog.Logger
	timeout  time.Duration
	// publicURL is Config.BaseURL without a trailing slash: the prefix of every absolute
	// address the site writes, or "" for relative ones.
	publicURL string
	cfg       Config
}

// state is what one request reads: a corpus, its catalog and the index built from it. It is
// replaced whole, so a request never mixes an old corpus with a new index.
type state struct {
	corpus   *content.Corpus
	catalog  *content.Catalog
	index    Searcher // nil until the index is open
	problems []content.Problem
	links    *upkeep.Record // the last recorded link check, or nil
	cache    *resultCache
	pages    *pageCache

	made time.Time // when this state was put in place: see lastModified

	techOnce sync.Once
	techData *techData // see tech

	serviceOnce sync.Once
	serviceIDs  map[string]bool // see services
}

// services are the entries schema.org should call a GovernmentService: see adviceServices.
func (st *state) services() map[string]bool {
	st.serviceOnce.Do(func() { st.serviceIDs = adviceServices(st.catalog) })
	return st.serviceIDs
}

// New builds the server for corpus. The index comes later through SetSearcher: until then
// /readyz and search answer 503.
func New(cfg Config, corpus *content.Corpus) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.ContentDir == "" {
		cfg.ContentDir = "content"
	}
	if cfg.SearchTimeout == 0 {
		cfg.SearchTimeout = 3 * time.Second
	}
	st, err := newStaticFiles(cfg.Static)
	if err != nil {
		return nil, err
	}
	for _, d := range []struct {
		v   *time.Duration
		def time.Duration
	}{{&cfg.ReadHeaderTimeout, 5 * time.Second}, {&cfg.ReadTimeout, 10 * time.Second}, {&cfg.WriteTimeout, 20 * time.Second}, {&cfg.IdleTimeout, 60 * time.Second}} {
		if *d.v == 0 {
			*d.v = d.def
		}
	}
	if cfg.MaxConns <= 0 {
		cfg.MaxConns = defaultMaxConns
	}
	if cfg.MaxConnsPerClient <= 0 {
		cfg.MaxConnsPerClient = defaultMaxConnsPerClient
	}
	s := &Server{conns: newConns(cfg.MaxConns, cfg.MaxConnsPerClient, cfg.TrustedProxies), log: cfg.Logger, timeout: cfg.SearchTimeout, static: st, publicURL: strings.TrimRight(cfg.BaseURL, "/"), cfg: cfg}
	s.current.Store(newState(corpus, content.NewCatalog(corpus), nil, nil, nil))
	s.views, err = newViews(cfg.Templates, s.templateFuncs())
	if err != nil {
		return nil, err
	}
	s.e = echo.New()
	s.e.HideBanner = true
	s.e.HidePort = true
	s.e.HTTPErrorHandler = s.handleError
	s.e.IPExtractor = func(r *http.Request) string {
		if ip := clientIP(r, cfg.TrustedProxies); ip != nil {
			return ip.String()
		}
		return ""
	}
	s.routes()
	return s, nil
}

// newState is what the server answers from, with empty caches, made now.
func newState(corpus *content.Corpus, catalog *content.Catalog, x Searcher, problems []content.Problem, links *upkeep.Record) *state {
	return &state{corpus: corpus, catalog: catalog, index: x, problems: problems, links: links,
		cache: newResultCache(cacheSize), pages: newPageCache(pageCacheBytes), made: time.Now()}
}

// SetSearcher makes the server ready with the index of its current corpus.
func (s *Server) SetSearcher(x Searcher) {
	old := s.current.Load()
	s.current.Store(newState(old.corpus, old.catalog, x, old.problems, old.links))
}

// SetLinks gives the server the results of the last recorded link check (atlas links
// --record), shown on entry pages, in /api/docs and on /upkeep; nil for none.
func (s *Server) SetLinks(r *upkeep.Record) {
	old := s.current.Load()
	s.current.Store(newState(old.corpus, old.catalog, old.index, old.problems, r))
}

// Update replaces the corpus and its index together, as after a change to content/. Problems
// are the content problems found while loading, shown on /readyz.
func (s *Server) Update(corpus *content.Corpus, x Searcher, problems []content.Problem) {
	s.current.Store(newState(corpus, content.NewCatalog(corpus), x, problems, s.current.Load().links))
}

// SetDegraded sets what /readyz reports as wrong besides content errors, such as a reload that
// was refused or a re-index that failed; none clears it.
func (s *Server) SetDegraded(reasons ...string) {
	if len(reasons) == 0 {
		s.degraded.Store(nil)
		return
	}
	s.degraded.Store(&reasons)
}

func (s *Server) state() *state { return s.current.Load() }

// ServeHTTP lets the server be used as an http.Handler. HEAD is answered as GET: echo routes
// and the handlers see a copy of the request that says GET, while net/http, whose own request
// still says HEAD, sends the headers and drops the body.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodHead {
		get := *r
		get.Method = http.MethodGet
		r = &get
	}
	s.e.ServeHTTP(w, r)
}

// HTTPServer returns an http.Server with bounded header, read, write and idle times. Serve it
// on LimitListener's listener for the connection limits.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    16 << 10,
		ConnState:         s.conns.state,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}
