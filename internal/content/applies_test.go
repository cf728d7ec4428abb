package content

import (
	"strings"
	"testing"
)

// appliesOK is a guidance entry with one condition of every sort; each case below breaks it.
var appliesOK = strings.Replace(goodGuidance, "summary: A good entry.\n", `summary: A good entry.
applies_when:
  - activities: [partnership, visit]
    partners: [cn]
    why: It asks institutions to assess partnerships with partners abroad.
  - funders: [nwo]
    technologies: [quantum]
    stages: [applied]
    why: NWO applies it to applied quantum research it funds.
  - as: contact
    activities: [hiring]
`, 1)

func TestAppliesWhenCheck(t *testing.T) {
	for _, test := range []struct {
		name, old, new, want string
	}{
		{"valid", "", "", ""},
		{"unknown activity", "[partnership, visit]", "[partnering]",
			`guidance/rule.md:17: applies_when condition 1: unknown activity "partnering": use one of partnership, funding-application, hiring, visit, foreign-funding, publication, export, investment`},
		{"partner that is a body", "partners: [cn]", "partners: [eu]",
			`guidance/rule.md:18: applies_when condition 1: partner "eu" is not a country`},
		{"unknown funder", "funders: [nwo]", "funders: [nwoo]",
			`guidance/rule.md:20: applies_when condition 2: unknown funder "nwoo": use one of arc, cfi`},
		{"technology that does not exist", "technologies: [quantum]", "technologies: [qubits]",
			`guidance/rule.md:21: applies_when condition 2: technology "qubits" does not exist`},
		{"technology of the wrong kind", "technologies: [quantum]", "technologies: [rule]",
			`guidance/rule.md:21: applies_when condition 2: technology "rule" is a guidance, not a techarea`},
		{"no why", "    why: It asks institutions to assess partnerships with partners abroad.\n", "",
			`guidance/rule.md:17: applies_when condition 1 needs why`},
		{"unknown key", "    partners: [cn]\n", "    partner: [cn]\n",
			`guidance/rule.md:18: applies_when condition 1: unknown key "partner" (use activities, partners, funders, technologies, stages, reach, as, why)`},
		{"unknown role", "as: contact", "as: helpdesk",
			`guidance/rule.md:24: applies_when condition 3: unknown role "helpdesk" in as: use one of guidance, list, contact`},
		{"not a list", "applies_when:\n  - activities: [partnership, visit]", "applies_when: partnership\nx_activities:\n  - activities: [partnership, visit]",
			`guidance/rule.md:16: applies_when must be a list of conditions`},
	} {
		t.Run(test.name, func(t *testing.T) {
			file := appliesOK
			if test.old != "" {
				if !strings.Contains(file, test.old) {
					t.Fatalf("fixture lacks %q", test.old)
				}
				file = strings.Replace(file, test.old, test.new, 1)
			}
			_, probs := load(t, map[string]string{"guidance/rule.md": file,
				"technologies/areas/quantum.md": areaOK})
			var got []string
			for _, p := range probs {
				got = append(got, p.String())
			}
			if test.want == "" {
				if len(got) > 0 {
					t.Errorf("problems: %v", got)
				}
				return
			}
			for _, g := range got {
				if strings.HasPrefix(g, test.want) {
					return
				}
			}
			t.Errorf("problems:\n%s\nwant one starting with:\n%s", strings.Join(got, "\n"), test.want)
		})
	}
}

func TestMatches(t *testing.T) {
	profile := "---\ntitle: Netherlands\nkind: country\ncountries: [nl]\nterms: [knowledge security]\nsummary: One.\nmember_of: [eu]\n---\nBody.\n"
	eu := strings.Replace(strings.Replace(appliesOK, "countries: [nl]", "countries: [eu]", 1), "https://example.org/good", "https://example.org/eu", 1)
	c, probs := load(t, map[string]string{"guidance/rule.md": appliesOK, "guidance/eu-rule.md": eu,
		"countries/nl.md": profile, "technologies/areas/quantum.md": areaOK})
	for _, p := range probs {
		if p.Severity == Error {
			t.Fatal(p)
		}
	}
	cat := NewCatalog(c)
	for _, test := range []struct {
		name string
		cs   Case
		want string // id/role:via, space-separated
	}{
		{"home partnership with China", Case{Home: "nl", Partners: []string{"cn"}, Activity: "partnership"}, "eu-rule/guidance:eu rule/guidance:nl"},
		{"no partner named", Case{Home: "nl", Activity: "partnership"}, ""},
		{"another home", Case{Home: "de", Partners: []string{"cn"}, Activity: "partnership"}, ""},
		{"funder reaches any home", Case{Home: "de", Funder: "nwo", Technology: "quantum", Stage: "applied"}, "eu-rule/guidance:funder rule/guidance:funder"},
		{"funder, another technology", Case{Home: "nl", Funder: "nwo", Technology: "space"}, "eu-rule/contact:eu rule/contact:nl"},
		{"contact", Case{Home: "nl", Activity: "hiring"}, "eu-rule/contact:eu rule/contact:nl"},
		{"any activity", Case{Home: "nl", Partners: []string{"cn"}}, "eu-rule/guidance:eu eu-rule/contact:eu rule/guidance:nl rule/contact:nl"},
	} {
		var got []string
		for _, m := range cat.Matches(c, test.cs) {
			got = append(got, m.Entry.ID+"/"+m.Role+":"+m.Via)
			if m.Role == "guidance" && len(m.Why) < 2 {
				t.Errorf("%s: %s has reasons %q, want the reach and the condition's why", test.name, m.Entry.ID, m.Why)
			}
		}
		if g := strings.Join(got, " "); g != test.want {
			t.Errorf("%s: Matches(%+v) = %q, want %q", test.name, test.cs, g, test.want)
		}
	}
}
