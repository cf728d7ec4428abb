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

	"github.com/fsnotify/fsnotify"

	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/search"
	"github.com/research-security-atlas/atlas/internal/upkeep"
	"github.com/research-security-atlas/atlas/internal/web"
)

// --watch learns of changes from the file system's notifications (fsnotify: inotify on Linux),
// on every directory under content/, and waits for a burst of events to settle before it reloads.
// Where notifications cannot be had (no inotify, its watch limit reached), it falls back to
// comparing contentStamp every pollEvery: a tree walk that costs about 0.3 s of CPU at 100,000
// files, so not four times a second.
const (
	settle    = 150 * time.Millisecond // quiet after the last event before reloading
	settleMax = time.Second            // the longest a stream of events delays a reload
	pollEvery = 2 * time.Second
)

// changes reports, on the returned channel, that something under dir may have changed: once
// per burst of file-system events, or when a poll finds the stamp changed. It stops with ctx.
func changes(ctx context.Context, log *slog.Logger, dir string) <-chan struct{} {
	out := make(chan struct{}, 1)
	notify := func() {
		select {
		case out <- struct{}{}:
		default:
		}
	}
	dir = filepath.Clean(dir)
	w, err := fsnotify.NewWatcher()
	if err == nil {
		// The folder's parent too, so that a content folder replaced by another (moved away, a
		// new one made or moved in) is watched anew.
		if err = watchTree(w, dir); err == nil {
			err = w.Add(filepath.Dir(dir))
		}
		if err != nil {
			w.Close()
		}
	}
	if err != nil {
		log.Warn("no file-system notifications; polling the content folder instead", "every", pollEvery, "err", err)
		go poll(ctx, dir, notify)
		return out
	}
	go func() {
		defer w.Close()
		var quiet, deadline <-chan time.Time
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-w.Events:
				if !ok {
					return
				}
				if filepath.Dir(ev.Name) == filepath.Dir(dir) && ev.Name != dir {
					continue // a neighbour of the content folder
				}
				// A new directory is watched, with whatever was created in it before it was.
				if ev.Has(fsnotify.Create) {
					if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
						if err := watchTree(w, ev.Name); err != nil {
							log.Warn("not watching a new folder", "path", ev.Name, "err", err)
						}
					}
				}
				quiet = time.After(settle)
				if deadline == nil {
					deadline = time.After(settleMax)
				}
			case err, ok := <-w.Errors:
				if !ok {
					return
				}
				// An overflow loses events: reload to be sure.
				log.Warn("file-system notification error", "err", err)
				notify()
			case <-quiet:
				quiet, deadline = nil, nil
				notify()
			case <-deadline:
				quiet, deadline = nil, nil
				notify()
			}
		}
	}()
	return out
}

// watchTree adds dir and every directory under it to w.
func watchTree(w *fsnotify.Watcher, dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			return nil
		}
		if !d.IsDir() {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") && p != dir {
			return filepath.SkipDir
		}
		return w.Add(p)
	})
}

// poll calls notify whenever contentStamp(dir) changes, looking every pollEvery.
func poll(ctx context.Context, dir string, notify func()) {
	t := time.NewTicker(pollEvery)
	defer t.Stop()
	stamp := contentStamp(dir)
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if now := contentStamp(dir); now != stamp {
			stamp = now
			notify()
		}
	}
}

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
	changed := changes(ctx, log, cfg.content)
	var retry <-chan time.Time // fires when the last failed reload is tried again
	wait := retryFirst
	linksAt := fileStamp(filepath.Join(cfg.content, upkeep.LinksFile))
	// A change made between stamp and the start of the notifications is not missed.
	if contentStamp(cfg.content) != stamp {
		changed = startWith(changed)
	}
	for {
		retrying := false
		select {
		case <-ctx.Done():
			ix.Close()
			return
		case <-changed:
		case <-retry:
			retrying = true
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
		if now == stamp && !retrying {
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
			retry = nil
			log.Error("reload refused; still serving the previous corpus", "err", err)
			srv.SetDegraded(err.Error())
			continue
		case err != nil:
			retry = time.After(wait)
			log.Error("reload failed; still serving the previous corpus and index", "err", err, "retry in", wait)
			srv.SetDegraded(fmt.Sprintf("reload failed, retrying in %s; still serving the previous corpus and index: %v", wait, err))
			wait = min(2*wait, retryMax)
			continue
		}
		retry, wait = nil, retryFirst
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

// startWith returns a channel that delivers one change at once, then those of c.
func startWith(c <-chan struct{}) <-chan struct{} {
	out := make(chan struct{}, 1)
	out <- struct{}{}
	go func() {
		for v := range c {
			select {
			case out <- v:
			default:
			}
		}
	}()
	return out
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
