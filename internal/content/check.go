package content

import (
	"fmt"
	"strings"
	"time"
)

// StaleAfter is how old last_verified may be before check warns: a year.
const StaleAfter = 365 * 24 * time.Hour

// UnknownAfter is how long an approach cell may stay unknown after it was last looked for
// before check warns (and check --strict fails): long enough for a slow ministry, short enough
// that a gap is looked at twice a year.
const UnknownAfter = 180 * 24 * time.Hour

// checkEntry checks the rules that involve more than one field of one entry.
func checkEntry(e *Entry, now time.Time) []Problem {
	var probs []Problem
	add := func(sev Severity, line int, format string, args ...any) {
		probs = append(probs, Problem{Path: e.Path, Line: line, Message: fmt.Sprintf(format, args...), Severity: sev})
	}
	// upkeep adds a warning that --strict makes an error.
	upkeep := func(rule string, line int, format string, args ...any) {
		add(Warning, line, format, args...)
		probs[len(probs)-1].Rule = rule
	}
	if e.Kind == Finding && e.Question != "" && e.Question != "general" {
		if t := QuestionTopic[e.Question]; !contains(e.Topics, t) {
			add(Error, e.Line("topics"), "question %q belongs to topic %q, which topics must include", e.Question, t)
		}
	}
	// A topic has one name everywhere, its vocabulary label; the workshop's longer wording
	// belongs in the body.
	if e.Kind == Topic && TopicVocab.Has(e.ID) && e.Title != TopicVocab.Label(e.ID) {
		add(Error, e.Line("title"), "a topic's title is its name on every page: use %q, and give other wording in the body", TopicVocab.Label(e.ID))
	}
	for _, f := range e.FalseFriends {
		for _, syn := range e.Synonyms {
			if strings.EqualFold(syn, f.Phrase) {
				add(Error, f.line, "%q is both a synonym and a false friend of this term: keep one", f.Phrase)
			}
		}
	}
	if e.Kind == Country && len(e.Countries) != 1 {
		add(Error, e.Line("countries"), "a country profile covers exactly one jurisdiction")
	}
	switch {
	case e.Status == "superseded" && e.SupersededBy == "":
		add(Error, e.Line("status"), "status superseded needs superseded_by: the id of the successor")
	case e.SupersededBy != "" && e.Status != "superseded" && e.Status != "rescinded":
		add(Error, e.Line("superseded_by"), "superseded_by is set but status is neither superseded nor rescinded")
	case e.SupersededBy == e.ID && e.ID != "":
		add(Error, e.Line("superseded_by"), "an entry cannot supersede itself")
	}
	if e.Kind == Guidance {
		switch {
		case e.SourceURL != "" && e.SourceStatus != "":
			add(Error, e.Line("source_status"), "source_status is for entries without a source_url: drop one of them")
		case e.SourceURL == "" && e.SourceStatus == "":
			upkeep(RuleNoSource, 1, "no source_url and no source_status: give the document's address, or say it is unconfirmed or has no public copy (with source_checked)")
		case e.SourceStatus != "" && e.SourceChecked == "":
			add(Error, e.Line("source_status"), "source_status needs source_checked: the day the address was looked for")
		}
	}
	if e.Kind == Country {
		var missing []string
		for _, d := range Dimensions {
			if _, ok := e.Approach[d.ID]; !ok {
				missing = append(missing, d.ID)
			}
		}
		if len(missing) > 0 {
			add(Warning, e.Line("approach"), "approach has no cell for %s: answer each, or give value: unknown with checked", strings.Join(missing, ", "))
		}
		for _, d := range Dimensions {
			c, ok := e.Approach[d.ID]
			if !ok || c.Known() {
				continue
			}
			if t, err := time.Parse("2006-01-02", c.Checked); err == nil && now.Sub(t) > UnknownAfter {
				upkeep(RuleUnknownCell, c.checkedLine, "approach %s has been unknown since it was looked for on %s, more than %d days ago: look again, then answer it or set checked to the day you did",
					d.ID, c.Checked, int(UnknownAfter.Hours()/24))
			}
		}
	}
	if e.DifferentiatesStages && len(e.Stages) == 0 {
		add(Warning, e.Line("differentiates_stages"), "differentiates_stages is true: list in stages the stages it singles out")
	}
	if e.LastVerified != "" {
		if t, err := time.Parse("2006-01-02", e.LastVerified); err == nil && now.Sub(t) > StaleAfter {
			upkeep(RuleUnverified, e.Line("last_verified"), "last verified on %s, more than a year ago: check the facts again", e.LastVerified)
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
		if e.SourceURL != "" {
			key := normaliseURL(e.SourceURL)
			if prev, dup := urls[key]; dup {
				probs = append(probs, Problem{Path: e.Path, Line: e.Line("source_url"),
					Message: fmt.Sprintf("source_url is also the source of %s (%s): one entry per source", prev.ID, prev.Path)})
			} else {
				urls[key] = e
			}
		}
		probs = append(probs, checkReferences(c, e)...)
	}
	return probs
}

// checkReferences checks that the ids an entry's structured fields cite exist and are of the
// right kind: approach sources, a framework's source and concepts, a list's areas.
func checkReferences(c *Corpus, e *Entry) []Problem {
	var probs []Problem
	add := func(line int, format string, args ...any) {
		probs = append(probs, Problem{Path: e.Path, Line: line, Message: fmt.Sprintf(format, args...)})
	}
	// want reports an id that does not exist, or names an entry of another kind.
	want := func(line int, what, id string, kinds ...Kind) {
		t := c.Get(id)
		switch {
		case t == nil:
			add(line, "%s %q does not exist", what, id)
		case len(kinds) > 0 && !contains(kinds, t.Kind):
			add(line, "%s %q is a %s, not a %s", what, id, t.Kind, kinds[0])
		}
	}
	for _, d := range Dimensions {
		cell, ok := e.Approach[d.ID]
		if !ok {
			continue
		}
		for i, id := range cell.Sources {
			want(cell.sourceLines[i], "approach "+d.ID+" source", id)
		}
	}
	if e.Source != "" {
		want(e.Line("source"), "source", e.Source, Guidance)
	}
	for _, f := range e.FalseFriends {
		if f.See != "" {
			want(f.line, fmt.Sprintf("false friend %q: see", f.Phrase), f.See)
		}
	}
	for _, q := range e.Questions {
		if q.Concept != "" {
			want(q.conceptLine, fmt.Sprintf("question %q: concept", q.ID), q.Concept, Concept)
		}
		if q.Source != "" {
			want(q.sourceLine, fmt.Sprintf("question %q: source", q.ID), q.Source, Guidance)
		}
	}
	for i, cond := range e.AppliesWhen {
		for j, id := range cond.Technologies {
			want(cond.techLines[j], fmt.Sprintf("applies_when condition %d: technology", i+1), id, TechArea)
		}
	}
	if e.Supersedes != "" {
		want(e.Line("supersedes"), "supersedes", e.Supersedes, TechList)
	}
	for _, cat := range e.Categories {
		for _, m := range cat.Areas {
			want(m.line, fmt.Sprintf("category %q: area", cat.ID), m.Area, TechArea)
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
