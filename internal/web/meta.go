package web

import (
	"encoding/json"
	"html/template"
	"slices"
	"strings"

	"github.com/research-security-atlas/atlas/internal/content"
)

// defaultDescription is the description of pages that have none of their own.
const defaultDescription = "Find, search and compare research-security guidance from governments, funders and universities."

// sitePages are the pages that are not about one entry, each with its description; the
// sitemap lists those with inSitemap.
var sitePages = []struct {
	path, description string
	inSitemap         bool
}{
	{"/", defaultDescription, true},
	{"/search", "Search research-security guidance and the 2023 workshop findings, filtered by country, topic, research stage, phase and audience.", true},
	{"/countries", "Every profiled jurisdiction's approach to research security: legal basis, guidelines, advice services, screening and more, each answer linked to its source.", true},
	{"/compare", "Compare the research-security approaches of two to four countries side by side.", true},
	{"/case", "What applies to your case: the guidance, the questions to ask, the technology lists and the contacts for your country, partner, activity and field, without a verdict.", true},
	{"/questions", "The questions national and funder frameworks ask before a partnership, a grant or a hire, grouped by what they are about and linked to their source.", true},
	{"/technologies", "National sensitive- and critical-technology lists side by side, mapped onto shared technology areas, each list linked to its source.", true},
	{"/topics", "The three topics of the 2023 multilateral workshop on research security, with their guiding questions and what each country said.", true},
	{"/reading-list", "A reading list of research-security guidance by jurisdiction and type, to download as Markdown, CSV, BibTeX, RIS or CSL-JSON.", true},
	{"/glossary", "The terms countries use for research security — knowledge security, trusted research, safeguarding science — and what they mean.", true},
	{"/timeline", "Milestones of research-security policy, by year.", true},
	{"/about", "Who keeps the Research Security Atlas, how entries are chosen and checked, and the licences of its code and content.", true},
	{"/upkeep", "What in the Atlas needs attention: dead or moved links, entries not verified for a year, missing sources and content problems.", false},
}

// pageDescription is the description of the page at path, or the default one.
func pageDescription(path string) string {
	for _, p := range sitePages {
		if p.path == path {
			return p.description
		}
	}
	return defaultDescription
}

// metaTag is one <meta name=… content=…> in the head of a page.
type metaTag struct {
	Name, Content string
}

// description is the text of a page's <meta name="description">: a summary, or the start of
// the text, at most 200 bytes.
func description(e *content.Entry) string {
	d := e.Summary
	if d == "" {
		d = e.Text
	}
	if d == "" {
		return defaultDescription
	}
	return content.Shorten(strings.Join(strings.Fields(d), " "), 200)
}

// creatorOf is who an entry is by: its issuer, or for a finding the jurisdiction that spoke.
func creatorOf(e *content.Entry) string {
	if e.Issuer != "" {
		return e.Issuer
	}
	if e.Kind == content.Finding && len(e.Countries) > 0 {
		return content.CountryName(e.Countries[0])
	}
	return ""
}

// citationTags are the Highwire Press tags Zotero's browser connector (and Google Scholar)
// read, so that a guidance entry or a finding is saved with its title, issuer and date in one
// click. Every tag is in the HTML from the server: none depends on script.
func citationTags(e *content.Entry) []metaTag {
	if e.Kind != content.Guidance && e.Kind != content.Finding {
		return nil
	}
	tags := []metaTag{{"citation_title", e.Title}}
	if c := creatorOf(e); c != "" {
		tags = append(tags, metaTag{"citation_author", c})
	}
	if w := e.When(); w != "" {
		tags = append(tags, metaTag{"citation_publication_date", strings.ReplaceAll(w, "-", "/")})
	}
	if e.SourceURL != "" {
		tags = append(tags, metaTag{"citation_public_url", e.SourceURL})
	}
	if e.Language != "" {
		tags = append(tags, metaTag{"citation_language", e.Language})
	}
	if e.Type == "report" && e.Issuer != "" {
		tags = append(tags, metaTag{"citation_technical_report_institution", e.Issuer})
	}
	return tags
}

// schemaType is the schema.org type of an entry: Legislation for laws, GovernmentService for
// a portal or programme that is a contact point (service: a jurisdiction's advice-service cell
// cites it), DefinedTerm for glossary terms, Report for reports, CreativeWork otherwise. The
// theme alone is not enough: funding calls and committees carry it too.
func schemaType(e *content.Entry, service bool) string {
	switch {
	case e.Kind == content.Term:
		return "DefinedTerm"
	case e.Kind != content.Guidance:
		return "CreativeWork"
	case e.Type == "legislation":
		return "Legislation"
	case service && (e.Type == "portal" || e.Type == "programme") && slices.Contains(e.Themes, "contact-points"):
		return "GovernmentService"
	case e.Type == "report":
		return "Report"
	}
	return "CreativeWork"
}

// jsonLD is the schema.org description of an entry, for <script type="application/ld+json">.
// json.Marshal escapes <, > and & as \u003c, \u003e and \u0026, so no text of the entry can
// close the script element; the result is therefore safe as template.JS.
func jsonLD(e *content.Entry, pageURL string, service bool) template.JS {
	typ := schemaType(e, service)
	ld := map[string]any{"@context": "https://schema.org", "@type": typ, "name": e.Title, "description": description(e)}
	if pageURL != "" {
		ld["mainEntityOfPage"] = pageURL
	}
	if e.SourceURL != "" {
		ld["url"] = e.SourceURL
	}
	var places []map[string]string
	for _, c := range e.Countries {
		places = append(places, map[string]string{"@type": "Place", "name": content.CountryName(c)})
	}
	org := func() map[string]string {
		if e.Issuer == "" {
			return nil
		}
		return map[string]string{"@type": "Organization", "name": e.Issuer}
	}
	switch typ {
	case "DefinedTerm":
		ld["inDefinedTermSet"] = map[string]string{"@type": "DefinedTermSet", "name": "Research Security Atlas glossary", "url": "/glossary"}
		if len(e.Synonyms) > 0 {
			ld["alternateName"] = e.Synonyms
		}
		if len(e.Terms) > 0 {
			ld["termCode"] = e.Terms[0]
		}
	case "GovernmentService":
		if o := org(); o != nil {
			o["@type"] = "GovernmentOrganization"
			ld["serviceOperator"] = o
			ld["provider"] = o
		}
		if len(places) > 0 {
			ld["areaServed"] = places
		}
		if len(e.Audiences) > 0 {
			var aud []string
			for _, a := range e.Audiences {
				aud = append(aud, content.AudienceVocab.Label(a))
			}
			ld["audience"] = map[string]any{"@type": "Audience", "audienceType": strings.Join(aud, ", ")}
		}
	default:
		if o := org(); o != nil {
			ld["publisher"] = o
			ld["author"] = o
		}
		if w := e.When(); w != "" {
			ld["datePublished"] = w
		}
		if e.Language != "" {
			ld["inLanguage"] = e.Language
		}
		if len(e.Topics) > 0 || len(e.Themes) > 0 {
			var about []string
			for _, t := range e.Topics {
				about = append(about, content.TopicVocab.Label(t))
			}
			for _, t := range e.Themes {
				about = append(about, content.ThemeVocab.Label(t))
			}
			ld["about"] = about
		}
		if typ == "Legislation" {
			if len(places) > 0 {
				ld["legislationJurisdiction"] = places[0]["name"]
			}
			if w := e.When(); w != "" {
				ld["legislationDate"] = w
			}
			if o := org(); o != nil {
				ld["legislationPassedBy"] = o
			}
			if e.IsActive() {
				ld["legislationLegalForce"] = "https://schema.org/InForce"
			} else {
				ld["legislationLegalForce"] = "https://schema.org/NotInForce"
			}
		} else if len(places) > 0 {
			ld["spatialCoverage"] = places
		}
	}
	if ch := e.Changed(); ch != "" {
		ld["dateModified"] = ch
	}
	b, err := json.Marshal(ld)
	if err != nil {
		return ""
	}
	return template.JS(b)
}

// adviceServices are the entries that jurisdictions' advice-service cells cite as their
// service, or as the one being set up.
func adviceServices(cat *content.Catalog) map[string]bool {
	out := map[string]bool{}
	for _, j := range cat.Jurisdictions {
		if j.Profile == nil {
			continue
		}
		if c, ok := j.Profile.Approach["advice-service"]; ok && (c.Value == "yes" || c.Value == "planned") {
			for _, id := range c.Sources {
				out[id] = true
			}
		}
	}
	return out
}
