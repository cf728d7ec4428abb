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
	Line     int
	Message  string
	Severity Severity
}

func (p Problem) String() string {
	if p.Severity == Warning {
		return fmt.Sprintf("%s:%d: warning: %s", p.Path, p.Line, p.Message)
	}
	return fmt.Sprintf("%s:%d: %s", p.Path, p.Line, p.Message)
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
