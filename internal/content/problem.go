package content

import (
	"cmp"
	"fmt"
	"slices"
)

// Severity says whether a problem stops a file from loading.
type Severity int

const (
	// Error leaves the file out of the corpus and makes atlas check fail.
	Error Severity = iota
	// Warning is reported but changes nothing.
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Problem is one thing wrong with one content file.
type Problem struct {
	Path     string
	Line     int // from 1; 0 when the problem is with the file as a whole
	Message  string
	Severity Severity
}

// String is "path:line: message", or "path: message" for a problem of the whole file (Line 0).
func (p Problem) String() string {
	where := p.Path
	if p.Line > 0 {
		where = fmt.Sprintf("%s:%d", p.Path, p.Line)
	}
	if p.Severity == Warning {
		return fmt.Sprintf("%s: warning: %s", where, p.Message)
	}
	return fmt.Sprintf("%s: %s", where, p.Message)
}

func sortProblems(ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Line, b.Line))
	})
}

// Errors counts the problems of severity Error.
func Errors(ps []Problem) int {
	n := 0
	for _, p := range ps {
		if p.Severity == Error {
			n++
		}
	}
	return n
}
