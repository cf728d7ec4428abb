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
	// Rule names an upkeep warning (one of the Rule constants) that atlas check --strict
	// treats as an error; "" for every other problem.
	Rule string
}

// The upkeep rules: warnings in day-to-day use, errors under atlas check --strict (and in CI),
// since each is something an organiser must come back to rather than a broken file.
const (
	RuleTODO        = "todo"         // a TODO placeholder left in the body
	RuleUnverified  = "unverified"   // last_verified more than a year ago
	RuleNoSource    = "no-source"    // guidance with neither source_url nor source_status
	RuleUnknownCell = "unknown-cell" // an approach cell left unknown, looked for too long ago
	RuleLinkText    = "link-text"    // a link whose text says nothing out of context
)

// Strict returns ps with every upkeep warning made an error, as atlas check --strict reports
// them.
func Strict(ps []Problem) []Problem {
	out := make([]Problem, len(ps))
	for i, p := range ps {
		if p.Rule != "" {
			p.Severity = Error
		}
		out[i] = p
	}
	return out
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
