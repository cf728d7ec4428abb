package upkeep

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
)

// Hashes holds a content hash per entry, written by atlas check --stamp and atlas verify, so
// that atlas check can tell that an entry changed without its updated date moving.
type Hashes struct {
	Stamped string           `json:"stamped"` // the day of the last stamp
	Entries map[string]Stamp `json:"entries"` // by entry id
}

// Stamp is an entry's hash and its updated date when it was taken.
type Stamp struct {
	Hash    string `json:"hash"`
	Updated string `json:"updated,omitempty"`
}

// upkeepKeys are the front-matter lines a hash leaves out: verifying an entry, or stamping it,
// is not a change of its content.
var upkeepKeys = [][]byte{[]byte("last_verified:"), []byte("source_checked:"), []byte("updated:")}

// Hash returns the content hash of an entry file: its bytes with line endings made "\n" and
// without its top-level last_verified, source_checked and updated lines.
func Hash(data []byte) string {
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	h := sha256.New()
	inFront := false
	for i, l := range bytes.SplitAfter(data, []byte("\n")) {
		if t := bytes.TrimRight(l, " \t\n"); string(bytes.TrimPrefix(t, []byte("\ufeff"))) == "---" {
			inFront = i == 0
		} else if inFront && hasAnyPrefix(l, upkeepKeys) {
			continue
		}
		h.Write(l)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func hasAnyPrefix(l []byte, prefixes [][]byte) bool {
	for _, p := range prefixes {
		if bytes.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

// ReadHashes reads the hashes from the content folder; nil when there are none yet.
func ReadHashes(fsys fs.FS) (*Hashes, error) {
	var h Hashes
	ok, err := readJSON(fsys, HashesFile, &h)
	if err != nil || !ok {
		return nil, err
	}
	if h.Entries == nil {
		h.Entries = map[string]Stamp{}
	}
	return &h, nil
}

// WriteHashes writes h into the content folder dir.
func WriteHashes(dir string, h *Hashes) error { return writeJSON(dir, HashesFile, h) }

// Change says how an entry differs from its stamp.
type Change int

const (
	Unchanged Change = iota
	New              // no stamp yet
	Edited           // the content changed and updated moved with it
	Unmarked         // the content changed but updated is still the stamped date
)

// Compare tells how an entry file (its bytes and current updated date) differs from its stamp.
func (h *Hashes) Compare(id string, data []byte, updated string) Change {
	s, ok := h.Entries[id]
	switch {
	case !ok:
		return New
	case s.Hash == Hash(data):
		return Unchanged
	case updated != s.Updated:
		return Edited
	}
	return Unmarked
}
