// Command atlas builds, checks and serves the Research Security Atlas.
//
//	atlas serve [--addr 127.0.0.1:8080] [--content content] [--index index/atlas.bleve]
//	atlas build [--content content] [--index index/atlas.bleve]
//	atlas check [--content content] [--strict] [--stamp]
//	atlas links [--record] [--patch]
//	atlas verify ID…
//	atlas upkeep
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
)

const usage = `usage: atlas <command> [flags]

commands:
  serve   open the index (building it when missing or stale) and serve the site and API
  build   rebuild the index atomically
  check   validate every content file
  new     write a new content file with every field to fill in
  import  draft a guidance entry from a saved HTML page
  export  write the reading list as md, csv, bibtex, ris or json
  links   check every external URL in the corpus (--record keeps the results, --patch offers moves)
  verify  record that entries were checked against their sources today
  upkeep  list what needs an organiser's attention, most urgent first

Run "atlas <command> -h" for the flags of a command.
`

// errProblems means a command found problems it has already printed.
var errProblems = errors.New("problems found")

// errNoNetwork means nothing could be checked because the network never answered; atlas exits
// 3, so that a script can tell "offline" from "a link is dead".
var errNoNetwork = errors.New("no network")

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmds := map[string]func([]string, io.Writer, io.Writer) error{
		"serve":  cmdServe,
		"build":  cmdBuild,
		"check":  cmdCheck,
		"new":    cmdNew,
		"import": cmdImport,
		"export": cmdExport,
		"links":  cmdLinks,
		"verify": cmdVerify,
		"upkeep": cmdUpkeep,
		// Each further command lives in a file of its own named after it.
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
			fmt.Fprint(stdout, usage)
			return 0
		}
		fmt.Fprintf(stderr, "atlas: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	err := cmd(args[1:], stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errProblems):
		return 1
	case errors.Is(err, errNoNetwork):
		return 3
	case errors.Is(err, errUsage):
		return 2
	}
	fmt.Fprintf(stderr, "atlas %s: %v\n", args[0], err)
	return 1
}

var errUsage = errors.New("usage")

// config holds the flags every command shares. Flags win over the environment, which wins
// over the defaults.
type config struct {
	addr    string
	content string
	index   string
	verbose bool
}

func newFlagSet(name string, stderr io.Writer, cfg *config, withAddr bool) *flag.FlagSet {
	fs := flag.NewFlagSet("atlas "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.content, "content", envOr("ATLAS_CONTENT", "content"), "content folder (env ATLAS_CONTENT)")
	fs.StringVar(&cfg.index, "index", envOr("ATLAS_INDEX", "index/atlas.bleve"), "index path (env ATLAS_INDEX)")
	if withAddr {
		fs.StringVar(&cfg.addr, "addr", envOr("ATLAS_ADDR", "127.0.0.1:8080"), "listen address (env ATLAS_ADDR)")
	}
	fs.BoolVar(&cfg.verbose, "v", false, "verbose logging")
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return errUsage
	}
	return nil
}

// parseFlagsArgs parses flags that may come before or after the positional arguments, which
// it returns.
func parseFlagsArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, errUsage
		}
		if fs.NArg() == 0 {
			return rest, nil
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func newLogger(w io.Writer, verbose bool) *slog.Logger {
	level := slog.LevelInfo
	if verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}
