//go:build !unix

package main

// openFileLimit is 0 where there is no limit on open files to read.
func openFileLimit() int { return 0 }
