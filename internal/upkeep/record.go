package upkeep

import (
	"io/fs"
	"net/url"
	"strings"
)

// The statuses a recorded link can have, as /api/docs/{id} gives them in link_status.
const (
	LinkOK    = "ok"    // it answered (perhaps through a temporary redirect)
	LinkMoved = "moved" // it redirects permanently, or the page is no longer the document
	LinkDead  = "dead"  // it does not answer with the document
)

// Record is the outcome of the last atlas links --record run.
type Record struct {
	Checked string `json:"checked"` // the day of the run, YYYY-MM-DD
	Links   []Link `json:"links"`   // sorted by URL

	byURL map[string]int
}

// Link is what the run found for one address.
type Link struct {
	URL    string `json:"url"`
	Status string `json:"status"` // LinkOK, LinkMoved or LinkDead
	// Result is the checker's own verdict: ok, redirected, changed (the page title no longer
	// resembles the entry), moved or dead.
	Result  string `json:"result"`
	Code    int    `json:"code,omitempty"`
	Detail  string `json:"detail,omitempty"`
	Suggest string `json:"suggest,omitempty"` // for a permanent move: the address to cite
	Uses    []Use  `json:"uses"`
}

// Use is an entry that cites a link, and in which field (source_url, contact_point, body).
type Use struct {
	ID    string `json:"id"`
	Field string `json:"field"`
}

// ReadRecord reads the link record from the content folder; nil when there is none yet.
func ReadRecord(fsys fs.FS) (*Record, error) {
	var r Record
	ok, err := readJSON(fsys, LinksFile, &r)
	if err != nil || !ok {
		return nil, err
	}
	r.index()
	return &r, nil
}

// WriteRecord writes r into the content folder dir.
func WriteRecord(dir string, r *Record) error {
	if r.Links == nil {
		r.Links = []Link{}
	}
	return writeJSON(dir, LinksFile, r)
}

func (r *Record) index() {
	r.byURL = make(map[string]int, len(r.Links))
	for i, l := range r.Links {
		r.byURL[l.URL] = i
	}
}

// Lookup returns what the last run found for an address, ignoring its #fragment as the
// checker does.
func (r *Record) Lookup(raw string) (Link, bool) {
	if r == nil || raw == "" {
		return Link{}, false
	}
	if r.byURL == nil {
		r.index()
	}
	if u, err := url.Parse(strings.TrimSpace(raw)); err == nil {
		u.Fragment, u.RawFragment = "", ""
		raw = u.String()
	}
	i, ok := r.byURL[raw]
	if !ok {
		return Link{}, false
	}
	return r.Links[i], true
}

// Status maps the checker's verdict to the three an entry page shows: a temporary redirect
// still reaches the document, a page whose title no longer resembles the entry has as good as
// moved.
func Status(result string) string {
	switch result {
	case "ok", "redirected":
		return LinkOK
	case "moved", "changed":
		return LinkMoved
	}
	return LinkDead
}
