package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// Every flag of atlas serve is in README.md's command table.
func TestServeFlagsInREADME(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var row string
	for _, l := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(l, "| `atlas serve") {
			row = l
		}
	}
	_, _, help := runAtlas(t, "serve", "-h")
	flags := regexp.MustCompile(`(?m)^  -([a-z-]+)`).FindAllStringSubmatch(help, -1)
	if row == "" || len(flags) < 10 {
		t.Fatalf("no serve row in README.md, or no flags in serve -h:\n%s", help)
	}
	for _, f := range flags {
		dashes := "--"
		if len(f[1]) == 1 {
			dashes = "-"
		}
		if !strings.Contains(row, "["+dashes+f[1]+" ") && !strings.Contains(row, "["+dashes+f[1]+"]") {
			t.Errorf("README.md's serve row lacks %s%s", dashes, f[1])
		}
	}
}
