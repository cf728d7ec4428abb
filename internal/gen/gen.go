// Package gen writes synthetic corpora for benchmarks: entries whose vocabulary, titles, tags
// and lengths are drawn from a real corpus, so that term statistics and facet spreads resemble
// the Atlas's own.
package gen

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/research-security-atlas/atlas/internal/content"
)

// Write writes n entries modelled on the guidance and findings of model into dir.
func Write(model *content.Corpus, n int, seed uint64, dir string) error {
	var docs []*content.Entry
	var words []string
	for _, e := range model.Entries {
		if e.Kind == content.Guidance || e.Kind == content.Finding {
			docs = append(docs, e)
			words = append(words, strings.Fields(e.Text)...)
		}
	}
	if len(docs) == 0 {
		return fmt.Errorf("gen: no guidance or findings to draw from")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(seed, seed))
	for i := 0; i < n; i++ {
		model := docs[r.IntN(len(docs))]
		// Words are drawn from the pooled text, so frequent terms stay frequent.
		para := func(k int) string {
			var b strings.Builder
			for j := 0; j < k; j++ {
				if j > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(strings.Trim(words[r.IntN(len(words))], "[]()*`\"'"))
			}
			return b.String() + "."
		}
		title := strings.Join(strings.Fields(model.Title)[:max(1, len(strings.Fields(model.Title))-1)], " ") + " " + para(2)
		id := fmt.Sprintf("gen-%06d", i)
		var fm strings.Builder
		fmt.Fprintf(&fm, "---\ntitle: %q\nkind: %s\ncountries: [%s]\ntopics: [%s]\nstages: [%s]\nphases: [%s]\n",
			title, model.Kind, strings.Join(model.Countries, ", "), strings.Join(model.Topics, ", "),
			strings.Join(model.Stages, ", "), strings.Join(model.Phases, ", "))
		if len(model.Themes) > 0 {
			fmt.Fprintf(&fm, "themes: [%s]\n", strings.Join(model.Themes, ", "))
		}
		if model.Kind == content.Guidance {
			fmt.Fprintf(&fm, "issuer: %q\ntype: %s\naudiences: [%s]\nlanguage: %s\nlast_verified: 2026-11-24\nsummary: %q\n",
				model.Issuer, model.Type, strings.Join(model.Audiences, ", "), model.Language, para(20))
			if model.Published != "" {
				fmt.Fprintf(&fm, "published: %q\n", model.Published)
			}
		} else {
			fmt.Fprintf(&fm, "question: %s\nreport_section: %q\n", model.Question, model.ReportSection)
		}
		fm.WriteString("---\n")
		for _, s := range model.Sections {
			if s.Title != "" {
				fmt.Fprintf(&fm, "\n## %s\n", s.Title)
			}
			fmt.Fprintf(&fm, "%s\n", para(max(10, len(strings.Fields(s.Text)))))
		}
		if len(model.Sections) == 0 {
			fmt.Fprintf(&fm, "%s\n", para(120))
		}
		if err := os.WriteFile(filepath.Join(dir, id+".md"), []byte(fm.String()), 0o644); err != nil {
			return err
		}
	}
	return nil
}
