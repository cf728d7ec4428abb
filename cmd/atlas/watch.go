package main

import (
	"context"
	"errors"
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

// contentStamp summarises the names, sizes and times of the Markdown files under dir. A
// symbolic link is followed, so that a change to its target counts, and one that cannot be
// followed counts as its error.
func contentStamp(dir string) string {
	var b strings.Builder
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			fmt.Fprintf(&b, "%s %v\n", p, err)
			return nil
		}
		if d.IsDir() || !strings.HasSuffix(p, ".md") {
			return nil
		}
		if info, err := os.Stat(p); err == nil {
			fmt.Fprintf(&b, "%s %d %d\n", p, info.Size(), info.ModTime().UnixNano())
		} else {
			fmt.Fprintf(&b, "%s %v\n", p, err)
		}
		return nil
	})
	return b.String()
}

// A reload that would leave fewer than minKept of the entries served is refused: an emptied or
// half-copied content folder is far more often a mistake than an edit. Restarting the server
// publishes whatever content/ holds.
const minKept = 0.5

// retryFirst and retryMax bound the wait before a failed re-index is tried again.
const (
	retryFirst = time.Second
	retryMax   = time.Minute
)

// watch re-indexes when content/ changes: it reloads the corpus (keeping the last good version
// of a broken file), rebuilds the index into a new directory, swaps it in and then closes the
// old one once requests that may still use it are done. stamp is the contentStamp taken
// before corpus was loaded, so that no change made since is missed. A reload that fails is
// reported on /readyz as degraded; a failed re-index is retried, with a growing wait, until it
// succeeds or the content changes again.
func watch(ctx context.Context, log *slog.Logger, cfg config, srv *web.Server, corpus *content.Corpus, ix *search.Index, stamp string) {
	t := time.NewTicker(pollEvery)
	defer t.Stop()
	var retryAt time.Time // when the last failed reload is tried again; zero when none failed
	wait := retryFirst
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
		if now == stamp && (retryAt.IsZero() || time.Now().Before(retryAt)) {
			continue
		}
		if now != stamp {
			wait = retryFirst
		}
		stamp = now
		next, probs, err := reload(ctx, log, cfg, corpus)
		switch {
		case errors.Is(err, errRefused):
			// Nothing to retry: the same content would be refused again. The next change is read.
			retryAt = time.Time{}
			log.Error("reload refused; still serving the previous corpus", "err", err)
			srv.SetDegraded(err.Error())
			continue
		case err != nil:
			retryAt = time.Now().Add(wait)
			log.Error("reload failed; still serving the previous corpus and index", "err", err, "retry in", wait)
			srv.SetDegraded(fmt.Sprintf("reload failed, retrying in %s; still serving the previous corpus and index: %v", wait, err))
			wait = min(2*wait, retryMax)
			continue
		}
		retryAt, wait = time.Time{}, retryFirst
		srv.SetDegraded()
		srv.Update(next.corpus, next.index, probs)
		old := ix
		time.AfterFunc(10*time.Second, func() { old.Close() })
		corpus, ix = next.corpus, next.index
	}
}

// errRefused marks a reload that watch will not publish.
var errRefused = errors.New("reload refused")

type reloaded struct {
	corpus *content.Corpus
	index  *search.Index
}

// reload loads content/ and builds and opens its index, refusing a corpus that lost most of
// the entries of prev.
func reload(ctx context.Context, log *slog.Logger, cfg config, prev *content.Corpus) (reloaded, []content.Problem, error) {
	start := time.Now()
	next, probs, err := loadCorpus(cfg.content)
	if err != nil {
		return reloaded{}, nil, fmt.Errorf("reloading content: %w", err)
	}
	for _, p := range probs {
		log.Warn("content problem", "problem", p.String())
	}
	next = next.KeepLastGood(prev, relativeTo(cfg.content, probs))
	if float64(next.Len()) < minKept*float64(prev.Len()) {
		return reloaded{}, nil, fmt.Errorf("%w: %s now holds %d of the %d entries served; restart the server to publish it", errRefused, cfg.content, next.Len(), prev.Len())
	}
	if _, err := search.Build(ctx, cfg.index, next); err != nil {
		return reloaded{}, nil, fmt.Errorf("re-indexing: %w", err)
	}
	nix, err := search.Open(cfg.index, next)
	if err != nil {
		return reloaded{}, nil, fmt.Errorf("opening the new index: %w", err)
	}
	log.Info("re-indexed", "entries", next.Len(), "problems", len(probs), "took", time.Since(start).Round(time.Millisecond))
	return reloaded{next, nix}, probs, nil
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

// fileStamp is a file's size and modification time, or "" when it does not exist.
func fileStamp(name string) string {
	st, err := os.Stat(name)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%d %d", st.Size(), st.ModTime().UnixNano())
}
