package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func mustCase(t *testing.T, s *Server, query string) caseAnswer {
	t.Helper()
	rec := get(t, s, "/api/case?"+query)
	if rec.Code != http.StatusOK {
		t.Fatalf("/api/case?%s: %d %s", query, rec.Code, rec.Body)
	}
	var a caseAnswer
	if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestCaseDoneWhen holds the case helper to the cases of issue 14 and a few more, on the real
// corpus: what applies, what does not, the lists and the contacts.
func TestCaseDoneWhen(t *testing.T) {
	s := realCorpusServer(t)
	for _, test := range []struct {
		name, query                   string
		applies, notApplies           []string
		lists, contacts, questionFrom []string
	}{
		{name: "German university, partner in China", query: "home=de&partner=cn&activity=partnership",
			applies:      []string{"de-dfg-risks-international-cooperation", "de-daad-kiwi-knowledge-security-checklist", "eu-council-recommendation-research-security", "de-hrk-guiding-questions-china"},
			notApplies:   []string{"ca-national-security-guidelines-research-partnerships", "nl-national-knowledge-security-guidelines", "gb-atas"},
			questionFrom: []string{"qf-de-dfg-guiding-questions", "qf-de-daad-kiwi-checklist", "qf-de-hrk-china-questions"}},
		{name: "German university, DFG-funded quantum project with China", query: "home=de&partner=cn&activity=funding-application&technology=quantum&funder=dfg&stage=basic",
			applies:    []string{"de-dfg-risks-international-cooperation", "eu-council-recommendation-research-security"},
			notApplies: []string{"ca-strac-policy", "de-hrk-guiding-questions-china"},
			lists:      []string{"eu-critical-technology-areas-recommendation"}},
		{name: "Canadian funding application", query: "home=ca&activity=funding-application",
			applies:      []string{"ca-national-security-guidelines-research-partnerships", "ca-strac-policy"},
			notApplies:   []string{"eu-council-recommendation-research-security", "de-dfg-risks-international-cooperation"},
			lists:        []string{"ca-named-research-organizations", "ca-sensitive-technology-research-areas"},
			contacts:     []string{"ca-research-security-centre"},
			questionFrom: []string{"qf-ca-nsgrp-risk-assessment-form", "qf-ca-strac-attestation"}},
		{name: "Canadian NSERC application in quantum", query: "home=ca&activity=funding-application&funder=nserc&technology=quantum",
			applies: []string{"ca-tri-agency-strac-guidance", "ca-strac-policy"},
			lists:   []string{"ca-sensitive-technology-list", "ca-named-research-organizations"}},
		{name: "UK hiring", query: "home=gb&activity=hiring",
			applies:    []string{"gb-atas"},
			notApplies: []string{"gb-nsi-act-higher-education-guidance", "eu-council-recommendation-research-security"},
			contacts:   []string{"gb-rcat-update-report"}},
		{name: "UK spin-out investment", query: "home=gb&activity=investment",
			applies:    []string{"gb-nsi-act-higher-education-guidance", "int-five-eyes-secure-innovation"},
			notApplies: []string{"gb-atas"}},
		{name: "Netherlands", query: "home=nl",
			applies:      []string{"nl-national-knowledge-security-guidelines", "eu-council-recommendation-research-security"},
			notApplies:   []string{"int-five-eyes-secure-innovation", "de-dfg-risks-international-cooperation"},
			contacts:     []string{"nl-loket-kennisveiligheid"},
			questionFrom: []string{"qf-nl-three-step-check"}},
		{name: "UK university on an NIH award", query: "home=gb&activity=partnership&funder=nih&partner=us",
			applies:    []string{"us-nih-foreign-interference-decision-matrix", "us-nih-foreign-subawards-policy", "gb-npsa-trusted-research-academia"},
			notApplies: []string{"us-nist-ir-8484"}},
		{name: "US institution, export", query: "home=us&activity=export",
			notApplies: []string{"eu-dual-use-regulation", "gb-export-controls-academic-research"}},
	} {
		t.Run(test.name, func(t *testing.T) {
			a := mustCase(t, s, test.query)
			var applies, lists, contacts, frameworks []string
			for _, x := range a.Applies {
				applies = append(applies, x.ID)
				if x.Why == "" || x.Href != "/docs/"+x.ID {
					t.Errorf("%s: why %q, href %q", x.ID, x.Why, x.Href)
				}
			}
			for _, x := range a.Lists {
				lists = append(lists, x.Source)
			}
			for _, x := range a.Contacts {
				contacts = append(contacts, x.Source)
			}
			for _, q := range a.Questions {
				frameworks = append(frameworks, q.Framework)
			}
			for _, check := range []struct {
				what      string
				got, want []string
				present   bool
			}{{"applies", applies, test.applies, true}, {"applies", applies, test.notApplies, false},
				{"lists", lists, test.lists, true}, {"contacts", contacts, test.contacts, true},
				{"questions' frameworks", frameworks, test.questionFrom, true}} {
				for _, id := range check.want {
					if slices.Contains(check.got, id) != check.present {
						t.Errorf("%s: %s has %s = %v, want present %v", test.query, check.what, id, check.got, check.present)
					}
				}
			}
			if !strings.Contains(a.Caveat, "not a verdict") || a.LookedFor == "" {
				t.Errorf("caveat %q, looked_for %q", a.Caveat, a.LookedFor)
			}
		})
	}
}

// The reasons say how each entry reaches the case: the home, the EU, the funder.
func TestCaseWhy(t *testing.T) {
	a := mustCase(t, realCorpusServer(t), "home=de&partner=cn&activity=partnership&funder=dfg")
	why := map[string]string{}
	for _, x := range a.Applies {
		why[x.ID] = x.Why
	}
	for id, want := range map[string]string{
		"de-dfg-risks-international-cooperation":      "funded by Deutsche Forschungsgemeinschaft",
		"de-daad-kiwi-knowledge-security-checklist":   "Germany is the home jurisdiction.",
		"eu-council-recommendation-research-security": "EU guidance: Germany is an EU member state.",
		"g7-best-practices-secure-open-research":      "A G7 commitment",
	} {
		if !strings.Contains(why[id], want) {
			t.Errorf("why %s = %q, want it to contain %q", id, why[id], want)
		}
	}
	// Questions come grouped: one concept's questions are together.
	seen := map[string]bool{}
	last := ""
	for _, q := range a.Questions {
		if q.Concept != last && seen[q.Concept] {
			t.Errorf("concept %s comes twice, apart", q.Concept)
		}
		seen[q.Concept], last = true, q.Concept
		if q.Lang != "en" || q.Source == "" || q.Text == "" {
			t.Errorf("question %+v", q)
		}
	}
}

func TestCaseErrors(t *testing.T) {
	s := realCorpusServer(t)
	for _, test := range []struct{ query, want string }{
		{"", "home: choose your home jurisdiction"},
		{"home=zz", `home: "zz" is not a jurisdiction the Atlas covers; choose one of`},
		{"home=eu", `home: "eu" is not a jurisdiction`},
		{"home=de&activity=dancing", "activity: \"dancing\" is not an activity; choose one of partnership, funding-application, hiring"},
		{"home=de&technology=warp-drive", "technology: \"warp-drive\" is not a technology area; choose one of"},
		{"home=de&technology=de-dfg-risks-international-cooperation", "is not a technology area"},
		{"home=de&partner=atlantis", "partner: \"atlantis\" is not a country"},
		{"home=de&stage=late", "stage: \"late\" is not a research stage"},
		{"home=de&funder=acme", "funder: \"acme\" is not a funder"},
	} {
		rec := get(t, s, "/api/case?"+test.query)
		var body struct{ Error string }
		json.Unmarshal(rec.Body.Bytes(), &body)
		if rec.Code != http.StatusBadRequest || !strings.Contains(body.Error, test.want) {
			t.Errorf("/api/case?%s: %d %s, want 400 with %q", test.query, rec.Code, rec.Body, test.want)
		}
		if test.query == "" {
			continue
		}
		// The page gives the form back with the message beside the field.
		rec = get(t, s, "/case?"+test.query)
		doc := mustDoc(t, rec)
		if rec.Code != http.StatusBadRequest || !strings.Contains(doc.Find(".field-error").Text(), test.want) || doc.Find("form.case-form").Length() != 1 {
			t.Errorf("/case?%s: %d, field errors %q", test.query, rec.Code, doc.Find(".field-error").Text())
		}
		if doc.Find(".case-answer").Length() != 0 {
			t.Errorf("/case?%s shows an answer beside the errors", test.query)
		}
	}
}

func TestCasePage(t *testing.T) {
	s := realCorpusServer(t)
	rec := get(t, s, "/case")
	doc := mustDoc(t, rec)
	if rec.Code != 200 || doc.Find("select[name=home] option").Length() < 20 || doc.Find("select[name=partner]").Length() != 3 || doc.Find(".case-answer").Length() != 0 {
		t.Fatalf("/case: %d, %d homes, %d partner fields", rec.Code, doc.Find("select[name=home] option").Length(), doc.Find("select[name=partner]").Length())
	}
	rec = get(t, s, "/case?home=de&partner=cn&activity=partnership")
	doc = mustDoc(t, rec)
	if got := doc.Find("select[name=home] option[selected]").AttrOr("value", ""); got != "de" {
		t.Errorf("the form forgot the home: %q", got)
	}
	if got := doc.Find("select[name=partner] option[selected][value=cn]").Length(); got != 1 {
		t.Errorf("the form forgot the partner")
	}
	if doc.Find(".applies a[href='/docs/de-dfg-risks-international-cooperation']").Length() != 1 {
		t.Errorf("the DFG recommendations are not listed")
	}
	if doc.Find(".question-list q[lang=de]").Length() == 0 {
		t.Errorf("no original German wording with its lang")
	}
	if !strings.Contains(doc.Find(".caveat").Text(), "not a verdict") {
		t.Errorf("no caveat")
	}
	rl, ok := doc.Find(".case-actions a").First().Attr("href")
	if !ok || !strings.HasPrefix(rl, "/reading-list?") || !strings.Contains(rl, "id=de-dfg-risks-international-cooperation") {
		t.Fatalf("reading-list link %q", rl)
	}
	list := mustDoc(t, get(t, s, rl))
	if n := list.Find(".rl-items li").Length(); n < 5 || list.Find("a[href='/docs/ca-strac-policy']").Length() != 0 {
		t.Errorf("the case's reading list has %d entries", n)
	}
	md := get(t, s, strings.Replace(rl, "/reading-list?", "/reading-list.md?", 1))
	if md.Code != 200 || !strings.Contains(md.Body.String(), "Dealing with Risks in International Research Cooperation") || strings.Contains(md.Body.String(), "STRAC") {
		t.Errorf("the Markdown reading list: %d", md.Code)
	}
	if rec := get(t, s, "/reading-list?id=nope"); rec.Code != http.StatusBadRequest {
		t.Errorf("/reading-list?id=nope: %d", rec.Code)
	}
}

func TestCaseEmptyAnswerExplains(t *testing.T) {
	s := realCorpusServer(t)
	// Morocco has no guidance with conditions: the answer says where it looked.
	a := mustCase(t, s, "home=ma&activity=publication")
	if len(a.Applies) != 0 || !strings.Contains(a.LookedFor, "Morocco") || !strings.Contains(a.LookedFor, "publishing") {
		t.Errorf("applies %v, looked_for %q", a.Applies, a.LookedFor)
	}
	doc := mustDoc(t, get(t, s, "/case?home=ma&activity=publication"))
	if !strings.Contains(doc.Find("#applies-h + .empty").Text(), "Looked for") {
		t.Errorf("the empty answer does not explain itself: %q", doc.Find("#applies-h + .empty").Text())
	}
}

func TestAPIQuestions(t *testing.T) {
	s := realCorpusServer(t)
	var all []apiQuestion
	rec := get(t, s, "/api/questions")
	if err := json.Unmarshal(rec.Body.Bytes(), &all); err != nil || rec.Code != 200 {
		t.Fatal(rec.Code, err)
	}
	frameworks, concepts := map[string]bool{}, map[string]bool{}
	st := s.state()
	for _, q := range all {
		frameworks[q.Framework], concepts[q.Concept] = true, true
		if st.corpus.Get(q.Source) == nil || st.corpus.Get(q.Concept) == nil || q.Text == "" || q.Href == "" {
			t.Errorf("question %+v", q)
		}
		if q.Original != "" && q.Lang == "" {
			t.Errorf("%s has original wording without lang", q.ID)
		}
	}
	if len(all) < 120 || len(frameworks) < 8 || len(concepts) < 20 {
		t.Errorf("%d questions, %d frameworks, %d concepts; want at least 120, 8, 20", len(all), len(frameworks), len(concepts))
	}
	var some []apiQuestion
	json.Unmarshal(get(t, s, "/api/questions?concept=partner-military-links&framework=qf-de-dfg-guiding-questions").Body.Bytes(), &some)
	if len(some) == 0 || some[0].Concept != "partner-military-links" || some[0].Framework != "qf-de-dfg-guiding-questions" {
		t.Errorf("filtered: %+v", some)
	}
	json.Unmarshal(get(t, s, "/api/questions?source=de-dfg-risks-international-cooperation").Body.Bytes(), &some)
	for _, q := range some {
		if q.Source != "de-dfg-risks-international-cooperation" {
			t.Errorf("source filter kept %+v", q)
		}
	}
	for _, bad := range []string{"concept=nope", "source=nope", "framework=nope"} {
		rec := get(t, s, "/api/questions?"+bad)
		name := strings.Split(bad, "=")[0]
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), name+": no question has") || !strings.Contains(rec.Body.String(), "use one of") {
			t.Errorf("/api/questions?%s: %d %s", bad, rec.Code, rec.Body)
		}
	}
}

func TestQuestionsPage(t *testing.T) {
	s := realCorpusServer(t)
	doc := mustDoc(t, get(t, s, "/questions"))
	cols := doc.Find(".qmatrix thead th.fw-col").Length() - 1
	rows := doc.Find(".qmatrix tbody tr").Length()
	if cols < 8 || rows < 20 {
		t.Errorf("matrix %d frameworks × %d concepts", cols, rows)
	}
	href, _ := doc.Find(".qmatrix tbody td a").First().Attr("href")
	if !strings.HasPrefix(href, "/questions?concept=") {
		t.Fatalf("matrix cell links to %q", href)
	}
	if n := doc.Find(".question-list li").Length(); n < 120 {
		t.Errorf("%d questions listed", n)
	}
	if doc.Find(".question-list q[lang]").Length() == 0 {
		t.Errorf("no original wording with a lang attribute")
	}
	href, _, _ = strings.Cut(href, "#")
	filtered := mustDoc(t, get(t, s, href))
	if n := filtered.Find(".question-list li").Length(); n == 0 || n > 20 {
		t.Errorf("%s lists %d questions", href, n)
	}
	if rec := get(t, s, "/questions?concept=nope"); rec.Code != 400 {
		t.Errorf("/questions?concept=nope: %d", rec.Code)
	}
}
