package content

import (
	"fmt"
	"strings"
	"time"
)

// staleAfter is how old last_verified may be before check warns.
const staleAfter = 365 * 24 * time.Hour

// checkEntry checks the rules that involve more than one field of one entry.
func checkEntry(e *Entry, now time.Time) []Problem {
	var probs []Problem
	add := func(sev Severity, line int, format string, args ...any) {
		probs = append(probs, Problem{Path: e.Path, Line: line, Message: fmt.Sprintf(format, args...), Severity: sev})
	}
	if e.Kind == Finding && e.Question != "" && e.Question != "general" {
		if t := QuestionTopic[e.Question]; !contains(e.Topics, t) {
			add(Error, e.Line("topics"), "question %q belongs to topic %q, which topics must include", e.Question, t)
		}
	}
	if e.Kind == Country && len(e.Countries) != 1 {
		add(Error, e.Line("countries"), "a country profile covers exactly one jurisdiction")
	}
	switch {
	case e.Status == "superseded" && e.SupersededBy == "":
		add(Error, e.Line("status"), "status superseded needs superseded_by: the id of the successor")
	case e.SupersededBy != "" && e.Status != "superseded":
		add(Error, e.Line("superseded_by"), "superseded_by is set but status is not superseded")
	case e.SupersededBy == e.ID && e.ID != "":
		add(Error, e.Line("superseded_by"), "an entry cannot supersede itself")
	}
	if e.LastVerified != "" {
		if t, err := time.Parse("2006-01-02", e.LastVerified); err == nil && now.Sub(t) > staleAfter {
			add(Warning, e.Line("last_verified"), "last verified on %s, more than a year ago: check the facts again", e.LastVerified)
		}
	}
	for i, r := range e.Related {
		if r == e.ID {
			add(Error, e.itemLine("related", i), "an entry cannot be related to itself")
		}
	}
	return probs
}

// crossCheck checks the rules that involve several entries: links to ids that exist and
// source URLs given once.
func crossCheck(c *Corpus, paths map[string]string, _ time.Time) []Problem {
	var probs []Problem
	urls := map[string]*Entry{}
	for _, e := range c.Entries {
		for i, r := range e.Related {
			if _, ok := paths[r]; !ok {
				probs = append(probs, Problem{Path: e.Path, Line: e.itemLine("related", i),
					Message: fmt.Sprintf("related id %q does not exist", r)})
			}
		}
		if s := e.SupersededBy; s != "" {
			if _, ok := paths[s]; !ok {
				probs = append(probs, Problem{Path: e.Path, Line: e.Line("superseded_by"),
					Message: fmt.Sprintf("superseded_by id %q does not exist", s)})
			}
		}
		if e.URL != "" {
			key := normaliseURL(e.URL)
			if prev, dup := urls[key]; dup {
				probs = append(probs, Problem{Path: e.Path, Line: e.Line("url"),
					Message: fmt.Sprintf("url is also the source of %s (%s): one entry per source", prev.ID, prev.Path)})
			} else {
				urls[key] = e
			}
		}
	}
	return probs
}

// normaliseURL makes addresses that differ only in scheme, case of host or a trailing slash
// compare equal.
func normaliseURL(u string) string {
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	host, rest, _ := strings.Cut(u, "/")
	return strings.ToLower(strings.TrimPrefix(host, "www.")) + "/" + strings.TrimSuffix(rest, "/")
}
