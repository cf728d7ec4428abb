package main

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/search"
	"github.com/research-security-atlas/atlas/internal/upkeep"
	"github.com/research-security-atlas/atlas/internal/web"
)

// pollEvery is how often --watch looks at content/. Polling a few hundred files costs well under
// a millisecond and needs no platform-specific notification API.
const pollEvery = 250 * time.Millisecond

// contentStamp summarises the names, sizes and times of the Markdown files under dir.
func contentStamp(dir string) string {
	var b strings.Builder
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return nil
		}
		if info, err := d.Info(); err == nil {
			fmt.Fprintf(&b, "%s %d %d\n", p, info.Size(), info.ModTime().UnixNano())
		}
		return nil
	})
	return b.String()
}

// watch re-indexes when content/ changes: it reloads the corpus (keeping the last good version
// of a broken file), rebuilds the index into a new directory, swaps it in and then closes the
// old one once requests that may still use it are done. stamp is the contentStamp taken
// before corpus was loaded, so that no change made since is missed.
func watch(ctx context.Context, log *slog.Logger, cfg config, srv *web.Server, corpus *content.Corpus, ix *search.Index, stamp string) {
	t := time.NewTicker(pollEvery)
	defer t.Stop()
	linksAt := fileStamp(filepath.Join(cfg.content, upkeep.LinksFile))
	for {
		select {
		case <-ctx.Done():
			ix.Close()
			return
		case <-t.C:
		}
		// A new link record changes what pages show, not the index.
		if at := fileStamp(filepath.Join(cfg.content, upkeep.LinksFile)); at != linksAt {
			linksAt = at
			if rec, err := upkeep.ReadRecord(os.DirFS(cfg.content)); err != nil {
				log.Error("reading the link record", "err", err)
			} else {
				srv.SetLinks(rec)
				log.Info("link record reloaded")
			}
		}
		now := contentStamp(cfg.content)
		if now == stamp {
			continue
		}
		stamp = now
		start := time.Now()
		next, probs, err := loadCorpus(cfg.content)
		if err != nil {
			log.Error("reloading content", "err", err)
			continue
		}
		for _, p := range probs {
			log.Warn("content problem", "problem", p.String())
		}
		next = next.KeepLastGood(corpus, relativeTo(cfg.content, probs))
		if _, err := search.Build(ctx, cfg.index, next); err != nil {
			log.Error("re-indexing failed; still serving the previous index", "err", err)
			continue
		}
		nix, err := search.Open(cfg.index, next)
		if err != nil {
			log.Error("opening the new index failed; still serving the previous index", "err", err)
			continue
		}
		srv.Update(next, nix, probs)
		old := ix
		time.AfterFunc(10*time.Second, func() { old.Close() })
		corpus, ix = next, nix
		log.Info("re-indexed", "entries", next.Len(), "problems", len(probs), "took", time.Since(start).Round(time.Millisecond))
	}
}

// fileStamp is a file's size and modification time, or "" when it does not exist.
func fileStamp(name string) string {
	st, err := os.Stat(name)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%d %d", st.Size(), st.ModTime().UnixNano())
}

// relativeTo turns problem paths back into paths inside the content folder.
func relativeTo(dir string, probs []content.Problem) []content.Problem {
	out := make([]content.Problem, len(probs))
	for i, p := range probs {
		p.Path = strings.TrimPrefix(p.Path, dir+"/")
		out[i] = p
	}
	return out
}
