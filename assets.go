// Package atlas carries the site's templates, static files and a snapshot of the content, so
// that a single atlas binary can run the site with nothing beside it. Flags point the binary
// at live folders instead.
package atlas

import (
	"embed"
	"io/fs"
)

//go:embed templates static content
var files embed.FS

func sub(dir string) fs.FS {
	f, err := fs.Sub(files, dir)
	if err != nil {
		panic(err) // the directories are fixed at build time
	}
	return f
}

// Templates returns the embedded templates/ folder.
func Templates() fs.FS { return sub("templates") }

// Static returns the embedded static/ folder.
func Static() fs.FS { return sub("static") }

// Content returns the snapshot of content/ taken when the binary was built.
func Content() fs.FS { return sub("content") }
