package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	atlas "github.com/research-security-atlas/atlas"
	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/search"
	"github.com/research-security-atlas/atlas/internal/upkeep"
	"github.com/research-security-atlas/atlas/internal/web"
)

func cmdServe(args []string, stdout, stderr io.Writer) error {
	var cfg config
	var templates, static string
	var watchContent bool
	var baseURL, proxies, debugAddr string
	var memLimit string
	var rateLimit float64
	var rateBurst, maxConns, maxConnsPerClient int
	fs := newFlagSet("serve", stderr, &cfg, true)
	fs.StringVar(&templates, "templates", envOr("ATLAS_TEMPLATES", "templates"), "templates folder (env ATLAS_TEMPLATES)")
	fs.StringVar(&static, "static", envOr("ATLAS_STATIC", "static"), "static files folder (env ATLAS_STATIC)")
	fs.BoolVar(&watchContent, "watch", false, "re-index when a content file is added, changed or removed")
	fs.Float64Var(&rateLimit, "rate-limit", envFloat("ATLAS_RATE_LIMIT", 20), "searches (API, search pages, feeds, reading lists) per second per client, 0 for no limit (env ATLAS_RATE_LIMIT)")
	fs.IntVar(&rateBurst, "rate-burst", 40, "searches one client may make at once")
	fs.IntVar(&maxConns, "max-conns", envInt("ATLAS_MAX_CONNS", 4096), "open connections at most, in total; kept below the open-file limit (env ATLAS_MAX_CONNS)")
	fs.IntVar(&maxConnsPerClient, "max-conns-per-client", envInt("ATLAS_MAX_CONNS_PER_CLIENT", 128), "open connections one client (an IPv4 address, an IPv6 /64) may hold; trusted proxies count only towards --max-conns (env ATLAS_MAX_CONNS_PER_CLIENT)")
	fs.StringVar(&proxies, "trusted-proxy", envOr("ATLAS_TRUSTED_PROXY", ""), "comma-separated CIDRs of reverse proxies whose X-Forwarded-For is believed (env ATLAS_TRUSTED_PROXY)")
	fs.StringVar(&debugAddr, "debug-addr", envOr("ATLAS_DEBUG_ADDR", ""), "serve Go's pprof profiles on this separate address, e.g. 127.0.0.1:6060 (off when empty)")
	fs.StringVar(&memLimit, "memory-limit", envOr("ATLAS_MEMORY_LIMIT", ""), "soft memory limit for the Go heap, e.g. 512MiB or 2GiB, 0 for none; default half the machine's or container's memory, or GOMEMLIMIT if set (env ATLAS_MEMORY_LIMIT)")
	fs.StringVar(&baseURL, "base-url", envOr("ATLAS_BASE_URL", ""), "public address of the site, for feeds, sitemap and exports (env ATLAS_BASE_URL)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	contentFS, contentFrom := folderOrEmbedded(cfg.content, set["content"] || os.Getenv("ATLAS_CONTENT") != "", atlas.Content())
	templatesFS, _ := folderOrEmbedded(templates, set["templates"] || os.Getenv("ATLAS_TEMPLATES") != "", atlas.Templates())
	staticFS, _ := folderOrEmbedded(static, set["static"] || os.Getenv("ATLAS_STATIC") != "", atlas.Static())
	if watchContent && contentFrom == "" {
		fmt.Fprintf(stderr, "atlas serve: --watch needs a content folder; %s does not exist\n", cfg.content)
		return errUsage
	}
	trusted, err := parseCIDRs(proxies)
	if err != nil {
		fmt.Fprintf(stderr, "atlas serve: --trusted-proxy: %v\n", err)
		return errUsage
	}
	log := newLogger(stderr, cfg.verbose)
	// Every connection is a file descriptor, and the index, the content and the logs need some
	// too: the total stays below what the process may open.
	if n := openFileLimit(); n > 0 && maxConns > n-fdReserve {
		maxConns = max(16, n-fdReserve)
		log.Info("connection limit lowered to fit the open-file limit", "max-conns", maxConns, "open-file limit", n)
	}
	// The heap is mostly short-lived request garbage: collecting less often raised the
	// throughput of distinct searches by about half (docs/performance.md). The memory limit makes
	// the collector work harder only near what the machine can give; it grows with the corpus, so
	// it is not fixed (see memlimit.go).
	limit, setLimit, err := memoryLimit(memLimit, os.Getenv("GOMEMLIMIT"), machineMemory(os.ReadFile))
	if err != nil {
		fmt.Fprintf(stderr, "atlas serve: %v\n", err)
		return errUsage
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if setLimit {
		if limit == 0 {
			limit = math.MaxInt64
		}
		debug.SetMemoryLimit(limit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	// One process owns an index: a second one fails here, clearly and at once.
	lock, err := search.AcquireLock(cfg.index, lockWait)
	if err != nil {
		return err
	}
	defer lock.Release()

	stamp := contentStamp(cfg.content)
	var corpus *content.Corpus
	var probs []content.Problem
	if contentFrom != "" {
		corpus, probs, err = loadCorpus(contentFrom)
	} else {
		log.Info("no content folder: serving the snapshot built into this binary", "folder", cfg.content)
		corpus, probs, err = loadCorpusFS(contentFS, "(built-in content)")
	}
	if err != nil {
		return err
	}
	for _, p := range probs {
		log.Warn("content problem", "problem", p.String())
	}
	if baseURL == "" {
		log.Info("no --base-url: feeds, the sitemap and exports use relative addresses")
	}
	srv, err := web.New(web.Config{Templates: templatesFS, Static: staticFS, Logger: log, BaseURL: baseURL,
		RateLimit: rateLimit, RateBurst: rateBurst, TrustedProxies: trusted, ContentDir: cmp.Or(contentFrom, "content"),
		MaxConns: maxConns, MaxConnsPerClient: maxConnsPerClient}, corpus)
	if err != nil {
		return err
	}
	// The last recorded link check (atlas links --record), for entry pages and /upkeep.
	if rec, err := upkeep.ReadRecord(contentFS); err != nil {
		log.Warn("link record not read", "err", err)
	} else {
		srv.SetLinks(rec)
	}
	if debugAddr != "" {
		// Profiles stay off the public address: they reveal internals and cost CPU.
		mux := http.NewServeMux()
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
		go func() {
			log.Info("profiles", "addr", "http://"+debugAddr+"/debug/pprof/")
			if err := http.ListenAndServe(debugAddr, mux); err != nil {
				log.Error("profile server", "err", err)
			}
		}()
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", cfg.addr, err)
	}
	hs := srv.HTTPServer(cfg.addr)
	served := make(chan error, 1)
	go func() { served <- hs.Serve(srv.LimitListener(ln)) }()
	log.Info("listening", "addr", "http://"+ln.Addr().String(), "entries", corpus.Len(), "memory limit", memoryLimitText(debug.SetMemoryLimit(-1)))

	// The site answers (with /readyz 503) while the index is opened or built.
	start := time.Now()
	ix, rebuilt, err := search.OpenOrBuild(ctx, cfg.index, corpus)
	if err != nil {
		hs.Close()
		return fmt.Errorf("index: %w", err)
	}
	if rebuilt != "" {
		log.Info("index rebuilt", "path", cfg.index, "reason", rebuilt, "documents", ix.Len(), "took", time.Since(start).Round(time.Millisecond))
	} else {
		log.Info("index opened", "path", cfg.index, "documents", ix.Len(), "took", time.Since(start).Round(time.Millisecond))
	}
	srv.Update(corpus, ix, probs)
	if watchContent {
		// The watcher owns the index from here: it closes it when it is replaced or at exit.
		go watch(ctx, log, cfg, srv, corpus, ix, stamp)
	} else {
		defer ix.Close()
	}

	select {
	case err := <-served:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	case <-ctx.Done():
	}
	log.Info("shutting down: draining requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return hs.Shutdown(shutdownCtx)
}

func parseCIDRs(list string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, s := range strings.Split(list, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if !strings.Contains(s, "/") {
			if strings.Contains(s, ":") {
				s += "/128"
			} else {
				s += "/32"
			}
		}
		_, n, err := net.ParseCIDR(s)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// fdReserve is the file descriptors kept for everything but connections.
const fdReserve = 128

func envInt(key string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(key)); err == nil {
		return v
	}
	return def
}

func envFloat(key string, def float64) float64 {
	if v, err := strconv.ParseFloat(os.Getenv(key), 64); err == nil {
		return v
	}
	return def
}

// folderOrEmbedded picks a folder on disk when it was asked for or exists, and otherwise the
// copy built into the binary. It returns the folder's path, or "" for the built-in copy.
func folderOrEmbedded(dir string, explicit bool, embedded fs.FS) (fs.FS, string) {
	if explicit {
		return os.DirFS(dir), dir
	}
	if info, err := os.Stat(dir); err == nil && info.IsDir() {
		return os.DirFS(dir), dir
	}
	return embedded, ""
}
