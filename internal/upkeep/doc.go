// Package upkeep keeps what organisers need to keep the Atlas current: the results of the last
// link check (links.json), a content hash per entry (hashes.json), both kept in the content
// folder beside the entries, and the worklist built from them, the corpus and its problems.
//
// Both files are JSON rather than Markdown, so the content loader never reads them as
// entries, and have no leading dot, so that they are embedded in the binary with the content
// and the site built into it shows the same link statuses.
package upkeep
