package content

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// This file holds the rules of the case helper ("what applies to my case"). The rules are
// content: a guidance entry says in applies_when when it concerns a case, and the reach of a
// jurisdiction comes from the country profiles' member_of. The code only evaluates them.

// ActivityVocab lists what a case can be about: the product contract's activities.
var ActivityVocab = newVocabulary("activity",
	"partnership", "A research partnership or collaboration",
	"funding-application", "A funding application",
	"hiring", "Hiring or hosting a researcher or student",
	"visit", "A visit or travel abroad",
	"foreign-funding", "Funding, a gift or a contract from abroad",
	"publication", "Publishing or sharing results",
	"export", "Sending items, software or technology abroad",
	"investment", "An investment in or by the institution, or a spin-out")

// FunderVocab lists the funders a condition can name and a case can choose.
var FunderVocab = newVocabulary("funder",
	"arc", "Australian Research Council (ARC)",
	"cfi", "Canada Foundation for Innovation (CFI)",
	"cihr", "Canadian Institutes of Health Research (CIHR)",
	"daad", "German Academic Exchange Service (DAAD)",
	"dfg", "Deutsche Forschungsgemeinschaft (DFG)",
	"dod", "US Department of Defense (DoD)",
	"doe", "US Department of Energy (DOE)",
	"horizon-europe", "Horizon Europe (European Commission)",
	"nih", "US National Institutes of Health (NIH)",
	"nserc", "Natural Sciences and Engineering Research Council of Canada (NSERC)",
	"nsf", "US National Science Foundation (NSF)",
	"nwo", "Dutch Research Council (NWO)",
	"rcf", "Research Council of Finland",
	"sshrc", "Social Sciences and Humanities Research Council of Canada (SSHRC)",
	"ukri", "UK Research and Innovation (UKRI)")

// RoleVocab is what a matching entry is to the case: guidance that applies, a list to consult
// (linked, never screened) or a contact to ask.
var RoleVocab = newVocabulary("role", "guidance", "Guidance that applies", "list", "A list to consult", "contact", "Whom to ask")

// ReachVocab says whose jurisdiction an entry must belong to: the case's home (or a body the
// home belongs to), or one of the partners' (the partner's rules reach the project).
var ReachVocab = newVocabulary("reach", "home", "The home jurisdiction", "partner", "A partner's jurisdiction")

// Condition is one item of a guidance entry's applies_when: the entry concerns a case that
// meets every list the condition gives. A list left out does not restrict.
type Condition struct {
	Activities   []string // ActivityVocab
	Partners     []string // jurisdiction codes: a partner of the case is one of them
	Funders      []string // FunderVocab: the case's funder is one of them; the funding reaches any home
	Technologies []string // techarea ids
	Stages       []string // StageVocab
	Reach        string   // ReachVocab; "" is home
	Role         string   // RoleVocab; "" is guidance
	Why          string   // one sentence: why the entry concerns such a case

	line      int
	techLines []int
}

// RoleOrDefault is the condition's role, guidance when not given.
func (c Condition) RoleOrDefault() string { return cmpOr(c.Role, "guidance") }

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

var conditionKeys = []string{"activities", "partners", "funders", "technologies", "stages", "reach", "as", "why"}

// decodeAppliesWhen reads a guidance entry's applies_when conditions.
func decodeAppliesWhen(e *Entry, n *yaml.Node, add adder) {
	if n.Kind != yaml.SequenceNode {
		add(n.Line+1, "applies_when must be a list of conditions, e.g. - {activities: [partnership], why: \"…\"}")
		return
	}
	if len(n.Content) == 0 {
		add(n.Line+1, "applies_when is empty: leave it out, or give at least one condition")
	}
	for i, it := range n.Content {
		what := fmt.Sprintf("applies_when condition %d", i+1)
		m, ok := mapKeys(it, what, conditionKeys, add)
		if !ok {
			continue
		}
		c := Condition{line: it.Line + 1}
		list := func(key string, check func(string) string) ([]string, []int) {
			v := m[key]
			if v == nil {
				return nil, nil
			}
			items, ok := listValues(v)
			if !ok || len(items) == 0 {
				add(v.Line+1, "%s: %s must be a non-empty list, e.g. %s: [a, b]", what, key, key)
				return nil, nil
			}
			var out []string
			var lines []int
			for _, x := range items {
				val := strings.TrimSpace(x.Value)
				switch msg := check(val); {
				case msg != "":
					add(x.Line+1, "%s: %s", what, msg)
				case slices.Contains(out, val):
					add(x.Line+1, "%s: %s lists %q twice", what, key, val)
				default:
					out = append(out, val)
					lines = append(lines, x.Line+1)
				}
			}
			return out, lines
		}
		vocab := func(v *Vocabulary) func(string) string {
			return func(s string) string {
				if !v.Has(s) {
					return fmt.Sprintf("unknown %s %q: use one of %s", v.Name, s, v.List())
				}
				return ""
			}
		}
		c.Activities, _ = list("activities", vocab(ActivityVocab))
		c.Partners, _ = list("partners", func(s string) string {
			if _, body := bodies[s]; body || CountryName(s) == "" {
				return fmt.Sprintf("partner %q is not a country: use a lower-case ISO 3166-1 code such as cn, ru, us", s)
			}
			return ""
		})
		c.Funders, _ = list("funders", vocab(FunderVocab))
		c.Technologies, c.techLines = list("technologies", func(s string) string { return checkID(s, time.Time{}) })
		c.Stages, _ = list("stages", vocab(StageVocab))
		c.Reach = scalar(m["reach"], what+" reach", add)
		c.Role = scalar(m["as"], what+" as", add)
		c.Why = scalar(m["why"], what+" why", add)
		if c.Reach != "" && !ReachVocab.Has(c.Reach) {
			add(m["reach"].Line+1, "%s: unknown reach %q: use one of %s", what, c.Reach, ReachVocab.List())
		}
		if c.Role != "" && !RoleVocab.Has(c.Role) {
			add(m["as"].Line+1, "%s: unknown role %q in as: use one of %s", what, c.Role, RoleVocab.List())
		}
		if c.Why == "" && c.RoleOrDefault() == "guidance" {
			add(c.line, "%s needs why: one sentence saying why the entry concerns such a case", what)
		}
		if c.Reach == "partner" && len(c.Partners) > 0 {
			add(m["reach"].Line+1, "%s: with reach: partner the entry's own countries are the partners; leave partners out", what)
		}
		e.AppliesWhen = append(e.AppliesWhen, c)
	}
}

// Case is what the case helper is asked about.
type Case struct {
	Home       string   // a jurisdiction code
	Partners   []string // partner jurisdictions
	Activity   string   // ActivityVocab, or "" for any
	Technology string   // a techarea id, or ""
	Stage      string   // StageVocab, or ""
	Funder     string   // FunderVocab, or ""
}

// Match is one entry that concerns a case, in one role, with the reasons.
type Match struct {
	Entry *Entry
	Role  string // RoleVocab
	Via   string // the jurisdiction through which it reaches the case: the home, a body, a partner, or "funder"
	Why   []string
}

// Reach returns the jurisdictions whose entries reach a case at home, with the reason for
// each: the home itself, the bodies in its profile's member_of, and int (international
// instruments; one that also names countries reaches only those).
func (cat *Catalog) Reach(home string) map[string]string {
	name := CountryName(home)
	out := map[string]string{home: fmt.Sprintf("%s is the home jurisdiction.", name)}
	if j := cat.Jurisdiction(home); j != nil && j.Profile != nil {
		for _, b := range j.Profile.MemberOf {
			switch b {
			case "eu":
				out[b] = fmt.Sprintf("EU guidance: %s is an EU member state.", name)
			default:
				out[b] = fmt.Sprintf("A %s commitment: %s is a member of the %s.", CountryName(b), name, CountryName(b))
			}
		}
	}
	out["int"] = "An international commitment or instrument, not a national rule."
	return out
}

// Matches evaluates every applies_when condition of the corpus against cs. An entry appears
// once per role, with every reason that led to it, in the corpus's order.
func (cat *Catalog) Matches(c *Corpus, cs Case) []Match {
	reach := cat.Reach(cs.Home)
	var out []Match
	index := map[string]int{}
	for _, e := range c.Entries {
		if e.Kind != Guidance || !e.IsActive() {
			continue
		}
		for _, cond := range e.AppliesWhen {
			via, because, ok := cond.reaches(e, cs, reach)
			if !ok || !cond.fits(cs) {
				continue
			}
			key := e.ID + "\x00" + cond.RoleOrDefault()
			i, seen := index[key]
			if !seen {
				i = len(out)
				index[key] = i
				out = append(out, Match{Entry: e, Role: cond.RoleOrDefault(), Via: via})
			}
			m := &out[i]
			for _, w := range []string{because, cond.Why} {
				if w != "" && !slices.Contains(m.Why, w) {
					m.Why = append(m.Why, w)
				}
			}
		}
	}
	return out
}

// reaches reports whether an entry's jurisdiction reaches cs under the condition, and why.
func (cond Condition) reaches(e *Entry, cs Case, reach map[string]string) (via, why string, ok bool) {
	if cs.Funder != "" && slices.Contains(cond.Funders, cs.Funder) {
		return "funder", fmt.Sprintf("The project is funded by %s.", FunderVocab.Label(cs.Funder)), true
	}
	if cond.Reach == "partner" {
		for _, p := range cs.Partners {
			if slices.Contains(e.Countries, p) {
				return p, fmt.Sprintf("%s is a partner's jurisdiction, and its rules reach the project.", CountryName(p)), true
			}
		}
		return "", "", false
	}
	for _, code := range e.Countries {
		// An international entry that names its members (the Five Eyes) reaches only them.
		if code == "int" && len(e.Countries) > 1 {
			continue
		}
		if r, ok := reach[code]; ok {
			return code, r, true
		}
	}
	return "", "", false
}

// fits reports whether cs meets every list the condition gives. A case without an activity or
// a stage is not held to the condition's list of them: it asks about all. Technologies,
// funders and partners narrow a condition to cases that name one of them.
func (cond Condition) fits(cs Case) bool {
	in := func(list []string, v string) bool { return len(list) == 0 || v == "" || slices.Contains(list, v) }
	if !in(cond.Activities, cs.Activity) || !in(cond.Stages, cs.Stage) {
		return false
	}
	if len(cond.Technologies) > 0 && !slices.Contains(cond.Technologies, cs.Technology) {
		return false
	}
	if len(cond.Funders) > 0 && !slices.Contains(cond.Funders, cs.Funder) {
		return false
	}
	if len(cond.Partners) > 0 && !slices.ContainsFunc(cs.Partners, func(p string) bool { return slices.Contains(cond.Partners, p) }) {
		return false
	}
	return true
}
