// Package content loads the Atlas corpus: Markdown files with YAML front matter, one entry per
// file, as specified in docs/content.md.
//
// Load decodes front matter strictly (unknown keys and values outside the vocabularies are
// problems reported as path:line), renders each body once with goldmark (raw HTML off), and
// splits the rendered HTML into sections and plain text with goquery. A file with problems is
// left out of the corpus; the rest loads, so one bad file never takes the site down.
package content
