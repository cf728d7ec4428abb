package content

import (
	"sort"
	"strings"
)

// Kind is the kind of an entry.
type Kind string

// The kinds of entry. Term and Milestone extend the product contract's four kinds so that the
// glossary and the timeline are content like everything else.
const (
	Guidance  Kind = "guidance"
	Finding   Kind = "finding"
	Country   Kind = "country"
	Topic     Kind = "topic"
	Term      Kind = "term"
	Milestone Kind = "milestone"
	Framework Kind = "framework" // the questions one national or funder framework asks
	Concept   Kind = "concept"   // one shared idea many frameworks ask about
	TechList  Kind = "techlist"  // one edition of a sensitive-technology list
	TechArea  Kind = "techarea"  // one of the Atlas's neutral technology areas
)

// Kinds lists every kind in display order.
var Kinds = []Kind{Guidance, Finding, Country, Topic, Term, Milestone, Framework, Concept, TechList, TechArea}

// A Vocabulary is a closed list of values with human labels, in display order.
type Vocabulary struct {
	Name   string
	values []string
	labels map[string]string
}

func newVocabulary(name string, pairs ...string) *Vocabulary {
	v := &Vocabulary{Name: name, labels: map[string]string{}}
	for i := 0; i+1 < len(pairs); i += 2 {
		v.values = append(v.values, pairs[i])
		v.labels[pairs[i]] = pairs[i+1]
	}
	return v
}

// Has reports whether value belongs to the vocabulary.
func (v *Vocabulary) Has(value string) bool {
	_, ok := v.labels[value]
	return ok
}

// Label returns the human label of value, or value itself when it has none.
func (v *Vocabulary) Label(value string) string {
	if l, ok := v.labels[value]; ok {
		return l
	}
	return value
}

// Values returns the values in display order.
func (v *Vocabulary) Values() []string { return append([]string(nil), v.values...) }

// Order returns the position of value in display order, or len(values) when unknown.
func (v *Vocabulary) Order(value string) int {
	for i, x := range v.values {
		if x == value {
			return i
		}
	}
	return len(v.values)
}

// List is a comma-separated list of the values, for error messages.
func (v *Vocabulary) List() string { return strings.Join(v.values, ", ") }

// The controlled vocabularies of the front matter.
var (
	KindVocab = newVocabulary("kind",
		"guidance", "Guidance", "finding", "Workshop finding", "country", "Country profile",
		"topic", "Workshop topic", "term", "Glossary term", "milestone", "Milestone",
		"framework", "Question framework", "concept", "Question concept",
		"techlist", "Technology list", "techarea", "Technology area")
	TopicVocab = newVocabulary("topic",
		"conceptualisation", "Conceptualisation of research security",
		"funder-measures", "Government and funding-agency measures",
		"institutional-role", "The role of research institutions")
	StageVocab = newVocabulary("stage", "basic", "Basic research", "applied", "Applied research",
		"experimental-development", "Experimental development")
	// StageFacetVocab is the stage facet of search: the stages, then documents that treat stages
	// differently and documents that apply the same to all research.
	StageFacetVocab = newVocabulary("stage", "basic", "Basic research", "applied", "Applied research",
		"experimental-development", "Experimental development",
		"differentiated", "Treats stages differently", "all", "Same for all research")
	PhaseVocab = newVocabulary("phase",
		"proposal-funding", "Proposal and funding", "partnership", "Partnership",
		"conduct", "Conduct of research", "dissemination", "Dissemination")
	AudienceVocab = newVocabulary("audience",
		"researcher", "Researchers", "institution", "Research institutions", "funder", "Funders",
		"government", "Government", "industry", "Industry")
	TypeVocab = newVocabulary("type",
		"guideline", "Guideline", "toolkit", "Toolkit", "framework", "Framework",
		"principles", "Principles", "checklist", "Checklist", "self-assessment", "Self-assessment",
		"portal", "Portal", "report", "Report", "legislation", "Legislation", "strategy", "Strategy",
		"recommendation", "Recommendation", "training", "Training", "statement", "Statement",
		"programme", "Programme")
	ThemeVocab = newVocabulary("theme",
		"academic-freedom", "Academic freedom",
		"contact-points", "Contact points",
		"cybersecurity", "Cybersecurity",
		"dual-use", "Dual use",
		"due-diligence", "Due diligence",
		"economic-security", "Economic security",
		"entity-lists", "Entity lists",
		"ethics-review", "Ethics review",
		"export-control", "Export control",
		"foreign-interference", "Foreign interference",
		"governance", "Governance",
		"intellectual-property", "Intellectual property",
		"international-cooperation", "International cooperation",
		"open-science", "Open science",
		"research-integrity", "Research integrity",
		"risk-assessment", "Risk assessment",
		"sensitive-technology", "Sensitive technology",
		"talent-programmes", "Talent programmes",
		"training-outreach", "Training and outreach",
		"transparency-disclosure", "Transparency and disclosure")
	StatusVocab = newVocabulary("status", "active", "Active", "planned", "Planned", "superseded", "Superseded",
		"rescinded", "Rescinded", "withdrawn", "Withdrawn")
	SourceStatusVocab = newVocabulary("source status",
		"unconfirmed", "Source address not confirmed", "no-public-copy", "No public copy")
	LegalEffectVocab = newVocabulary("legal effect",
		"binding", "Binding", "funding-condition", "Funding condition", "guidance", "Guidance", "signal", "Signal only")
	RelationVocab = newVocabulary("relation",
		"exact", "Exact", "close", "Close", "broad", "Broader", "narrow", "Narrower", "related", "Related")
	// MemberVocab lists the bodies whose rules or commitments can reach a jurisdiction.
	MemberVocab   = newVocabulary("body", "eu", "European Union", "oecd", "OECD", "g7", "G7")
	QuestionVocab = newVocabulary("question",
		"key-elements", "What are the key elements of research security in your country?",
		"undesirable-end-uses", "How are potentially undesirable end uses of research identified?",
		"collaboration-benefits", "Are there areas where the benefits of international collaboration outweigh research security concerns?",
		"openness-transparency", "How do you keep openness and transparency while safeguarding research?",
		"harmful-end-uses", "What actions safeguard against potentially harmful end uses of research?",
		"research-stages", "How are stages of research (basic to applied) told apart when applying safeguards?",
		"training-outreach", "What training and outreach build a culture of research security, and by whom?",
		"sound-decisions", "How do institutions make sound decisions on research practice and collaboration?",
		"dialogue-channels", "What channels of dialogue exist between institutions and authorities?",
		"end-use-uncertainty", "How is uncertainty about the potential end use of research managed?",
		"trusted-partnerships", "How can trusted partnerships be built, and institutions be more proactive?",
		"general", "General conclusions and main points")
)

// QuestionTopic maps each guiding question to its topic; general belongs to none.
var QuestionTopic = map[string]string{
	"key-elements": "conceptualisation", "undesirable-end-uses": "conceptualisation",
	"collaboration-benefits": "conceptualisation",
	"openness-transparency":  "funder-measures", "harmful-end-uses": "funder-measures",
	"research-stages": "funder-measures", "training-outreach": "funder-measures",
	"sound-decisions": "institutional-role", "dialogue-channels": "institutional-role",
	"end-use-uncertainty": "institutional-role", "trusted-partnerships": "institutional-role",
}

// Jurisdictions that are not countries.
var bodies = map[string]string{
	"eu":   "European Union",
	"oecd": "OECD",
	"g7":   "G7",
	"int":  "International",
}

// IsBody reports whether code is a body (the EU, the OECD, the G7, or the international
// organisations) rather than a country.
func IsBody(code string) bool {
	_, ok := bodies[code]
	return ok
}

// CountryName returns the English name of a jurisdiction code, or "" when the code is unknown.
func CountryName(code string) string {
	if n, ok := bodies[code]; ok {
		return n
	}
	return isoCountries[code]
}

// adjectives are the words a query uses for a jurisdiction besides its name: "Dutch guidance",
// "UK screening". Abbreviations that are also English words ("US") are left out, and so is
// "Chinese": in this field it names the partner ("cooperation with Chinese universities") far
// more often than the issuer of the guidance.
var adjectives = map[string][]string{
	"at": {"Austrian"}, "au": {"Australian"}, "be": {"Belgian"}, "bg": {"Bulgarian"}, "br": {"Brazilian"},
	"ca": {"Canadian"}, "ch": {"Swiss"}, "cy": {"Cypriot"}, "cz": {"Czech"},
	"de": {"German"}, "dk": {"Danish"}, "ee": {"Estonian"}, "es": {"Spanish"}, "eu": {"EU"},
	"fi": {"Finnish"}, "fr": {"French"}, "gb": {"British", "UK"}, "gr": {"Greek"}, "hr": {"Croatian"},
	"hu": {"Hungarian"}, "ie": {"Irish"}, "il": {"Israeli"}, "in": {"Indian"}, "is": {"Icelandic"},
	"it": {"Italian"}, "jp": {"Japanese"}, "kr": {"Korean", "South Korean"}, "lt": {"Lithuanian"},
	"lu": {"Luxembourgish"}, "lv": {"Latvian"}, "ma": {"Moroccan"}, "mt": {"Maltese"}, "nl": {"Dutch"},
	"no": {"Norwegian"}, "pl": {"Polish"}, "pt": {"Portuguese"}, "ro": {"Romanian"},
	"se": {"Swedish"}, "sg": {"Singaporean"}, "si": {"Slovenian"}, "sk": {"Slovak", "Slovakian"},
	"tw": {"Taiwanese"}, "ua": {"Ukrainian"}, "us": {"American", "USA"}, "za": {"South African"},
}

// CountryAdjectives returns the other words for a jurisdiction listed in adjectives.
func CountryAdjectives(code string) []string { return adjectives[code] }

// LanguageName returns the English name of an ISO 639-1 code, or "" when unknown.
func LanguageName(code string) string { return isoLanguages[code] }

// SortCountries returns the given codes sorted by name, with the international bodies last.
func SortCountries(codes []string) []string {
	out := append([]string(nil), codes...)
	sort.SliceStable(out, func(i, j int) bool {
		_, bi := bodies[out[i]]
		_, bj := bodies[out[j]]
		if bi != bj {
			return !bi
		}
		return CountryName(out[i]) < CountryName(out[j])
	})
	return out
}

// CountryCodes returns the ISO 3166-1 codes the Atlas knows, sorted by country name.
func CountryCodes() []string {
	out := make([]string, 0, len(isoCountries))
	for code := range isoCountries {
		out = append(out, code)
	}
	return SortCountries(out)
}
