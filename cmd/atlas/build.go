package main

import (
	"context"
	"fmt"
	"io"
	"os/signal"
	"syscall"
	"time"

	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/search"
)

// lockWait is how long a command waits for another atlas process to release the index.
const lockWait = 2 * time.Second

func cmdBuild(args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlagSet("build", stderr, &cfg, false)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	corpus, probs, err := loadCorpus(cfg.content)
	if err != nil {
		return err
	}
	for _, p := range probs {
		fmt.Fprintln(stderr, p)
	}
	if n := content.Errors(probs); n > 0 {
		return fmt.Errorf("%d content errors: fix them (see atlas check); the index was not changed", n)
	}
	lock, err := search.AcquireLock(cfg.index, lockWait)
	if err != nil {
		return err
	}
	defer lock.Release()
	stats, err := search.Build(ctx, cfg.index, corpus)
	if err != nil {
		return fmt.Errorf("build failed, the previous index is untouched: %w", err)
	}
	fmt.Fprintf(stdout, "indexed %d entries (%s) into %s in %s\n", stats.Documents, kindCounts(corpus),
		cfg.index, stats.Took.Round(time.Millisecond))
	return nil
}

func kindCounts(c *content.Corpus) string {
	n := map[content.Kind]int{}
	for _, e := range c.Entries {
		n[e.Kind]++
	}
	s := ""
	for _, k := range content.Kinds {
		if n[k] == 0 {
			continue
		}
		if s != "" {
			s += ", "
		}
		s += fmt.Sprintf("%d %s", n[k], k)
	}
	return s
}
