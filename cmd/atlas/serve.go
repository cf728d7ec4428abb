package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/research-security-atlas/atlas/internal/search"
	"github.com/research-security-atlas/atlas/internal/web"
)

func cmdServe(args []string, stdout, stderr io.Writer) error {
	var cfg config
	var templates, static string
	var watchContent bool
	var baseURL string
	fs := newFlagSet("serve", stderr, &cfg, true)
	fs.StringVar(&templates, "templates", envOr("ATLAS_TEMPLATES", "templates"), "templates folder (env ATLAS_TEMPLATES)")
	fs.StringVar(&static, "static", envOr("ATLAS_STATIC", "static"), "static files folder (env ATLAS_STATIC)")
	fs.BoolVar(&watchContent, "watch", false, "re-index when a content file is added, changed or removed")
	fs.StringVar(&baseURL, "base-url", envOr("ATLAS_BASE_URL", ""), "public address of the site, for feeds, sitemap and exports (env ATLAS_BASE_URL)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	log := newLogger(stderr, cfg.verbose)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	// One process owns an index: a second one fails here, clearly and at once.
	lock, err := search.AcquireLock(cfg.index, lockWait)
	if err != nil {
		return err
	}
	defer lock.Release()

	stamp := contentStamp(cfg.content)
	corpus, probs, err := loadCorpus(cfg.content)
	if err != nil {
		return err
	}
	for _, p := range probs {
		log.Warn("content problem", "problem", p.String())
	}
	srv, err := web.New(web.Config{Templates: os.DirFS(templates), Static: os.DirFS(static), Logger: log, BaseURL: baseURL}, corpus)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", cfg.addr, err)
	}
	hs := srv.HTTPServer(cfg.addr)
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	log.Info("listening", "addr", "http://"+ln.Addr().String(), "entries", corpus.Len())

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
