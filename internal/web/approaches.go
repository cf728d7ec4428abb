package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/research-security-atlas/atlas/internal/content"
	"github.com/research-security-atlas/atlas/internal/export"
)

// approachCell is one jurisdiction's answer on one dimension, arranged for a page.
type approachCell struct {
	J        *content.Jurisdiction
	Dim      *content.Dimension
	Cell     content.Cell
	Recorded bool // the profile has a cell for the dimension
	Label    string
	Mark     string
	Level    int
	Sources  []*content.Entry
}

// Known reports whether the cell has a confirmed answer.
func (c approachCell) Known() bool { return c.Recorded && c.Cell.Known() }

// Href is where the cell's evidence is: its first source, else the profile.
func (c approachCell) Href() string {
	if len(c.Sources) > 0 {
		return "/docs/" + c.Sources[0].ID
	}
	return "/countries/" + c.J.Code
}

// approachOf returns j's answer on d, with its sources resolved.
func (st *state) approachOf(j *content.Jurisdiction, d *content.Dimension) approachCell {
	ac := approachCell{J: j, Dim: d, Label: "Not recorded", Mark: "?"}
	if j.Profile == nil {
		return ac
	}
	cell, ok := j.Profile.Approach[d.ID]
	if !ok {
		return ac
	}
	ac.Cell, ac.Recorded, ac.Label = cell, true, cell.Label(d)
	ac.Mark, ac.Level = d.Mark(cell.Value)
	for _, id := range cell.Sources {
		if e := st.corpus.Get(id); e != nil {
			ac.Sources = append(ac.Sources, e)
		}
	}
	return ac
}

// profiled lists the jurisdictions that have a profile, in catalogue order.
func (st *state) profiled() []*content.Jurisdiction {
	var out []*content.Jurisdiction
	for _, j := range st.catalog.Jurisdictions {
		if j.Profile != nil {
			out = append(out, j)
		}
	}
	return out
}

// glanceRow is one dimension across the jurisdictions compared.
type glanceRow struct {
	Dim     *content.Dimension
	Cells   []approachCell
	Differs bool // the known values are not all the same
}

// glance arranges the approach dimensions of js side by side, keeping those the focus concerns.
func (st *state) glance(js []*content.Jurisdiction, theme, stage string) []glanceRow {
	var rows []glanceRow
	for i := range content.Dimensions {
		d := &content.Dimensions[i]
		if !d.Concerns(theme, stage) {
			continue
		}
		row := glanceRow{Dim: d}
		seen := map[string]bool{}
		for _, j := range js {
			c := st.approachOf(j, d)
			row.Cells = append(row.Cells, c)
			if c.Known() && d.Values != nil {
				seen[c.Cell.Value] = true
			}
		}
		row.Differs = len(seen) > 1
		rows = append(rows, row)
	}
	return rows
}

type apiDimensionValue struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

type apiDimension struct {
	ID       string              `json:"id"`
	Label    string              `json:"label"`
	Question string              `json:"question"`
	Values   []apiDimensionValue `json:"values"` // empty for a free-text dimension
}

type apiApproachCell struct {
	Value   string       `json:"value,omitempty"`
	Label   string       `json:"label,omitempty"`
	Text    string       `json:"text,omitempty"`
	Sources []string     `json:"sources,omitempty"`
	Refs    []relatedRef `json:"source_refs,omitempty"`
	AsOf    string       `json:"as_of,omitempty"`
	Checked string       `json:"checked,omitempty"`
}

type apiApproachJurisdiction struct {
	Code  string                     `json:"code"`
	Name  string                     `json:"name"`
	Href  string                     `json:"href"`
	Cells map[string]apiApproachCell `json:"cells"`
}

type apiApproaches struct {
	Dimensions    []apiDimension            `json:"dimensions"`
	Jurisdictions []apiApproachJurisdiction `json:"jurisdictions"`
}

func apiDimensions() []apiDimension {
	out := []apiDimension{}
	for _, d := range content.Dimensions {
		ad := apiDimension{ID: d.ID, Label: d.Label, Question: d.Question, Values: []apiDimensionValue{}}
		if d.Values != nil {
			for _, v := range d.Values.Values() {
				ad.Values = append(ad.Values, apiDimensionValue{Value: v, Label: d.Values.Label(v)})
			}
		}
		out = append(out, ad)
	}
	return out
}

// apiCell is the JSON form of a cell: a cell the profile does not record is unknown without a
// date, since nobody has looked for it.
func apiCell(ac approachCell) apiApproachCell {
	if !ac.Recorded {
		return apiApproachCell{Value: content.Unknown, Label: "Not recorded"}
	}
	out := apiApproachCell{Value: ac.Cell.Value, Text: ac.Cell.Text, Sources: ac.Cell.Sources, AsOf: ac.Cell.AsOf, Checked: ac.Cell.Checked}
	if ac.Dim.Values != nil || ac.Cell.Value == content.Unknown {
		out.Label = ac.Label
	}
	for _, e := range ac.Sources {
		out.Refs = append(out.Refs, ref(e))
	}
	return out
}

// approachJurisdictions reads the optional c (or country) parameters of /api/approaches: any
// number of known codes; none means every profiled jurisdiction.
func (st *state) approachJurisdictions(q url.Values) ([]*content.Jurisdiction, error) {
	codes := append(append([]string(nil), q["c"]...), q["country"]...)
	if len(codes) == 0 {
		return st.profiled(), nil
	}
	var out []*content.Jurisdiction
	for _, code := range codes {
		code = strings.TrimSpace(code)
		j := st.catalog.Jurisdiction(code)
		if j == nil || j.Profile == nil {
			return nil, badRequest(fmt.Sprintf("c: no profile for %q; use codes from /api/approaches such as nl, ca, gb", truncate(code)))
		}
		if !slices.Contains(out, j) {
			out = append(out, j)
		}
	}
	return out, nil
}

func (s *Server) handleAPIApproaches(c echo.Context) error {
	st := s.state()
	js, err := st.approachJurisdictions(c.QueryParams())
	if err != nil {
		return err
	}
	out := apiApproaches{Dimensions: apiDimensions(), Jurisdictions: []apiApproachJurisdiction{}}
	for _, j := range js {
		aj := apiApproachJurisdiction{Code: j.Code, Name: j.Name, Href: "/countries/" + j.Code, Cells: map[string]apiApproachCell{}}
		for i := range content.Dimensions {
			aj.Cells[content.Dimensions[i].ID] = apiCell(st.approachOf(j, &content.Dimensions[i]))
		}
		out.Jurisdictions = append(out.Jurisdictions, aj)
	}
	return c.JSON(http.StatusOK, out)
}

// approachesCSVHeader is the header of /approaches.csv: one row per jurisdiction and dimension.
var approachesCSVHeader = []string{"code", "jurisdiction", "dimension", "question", "value", "label", "text", "sources", "as_of", "checked"}

func (s *Server) handleApproachesCSV(c echo.Context) error {
	st := s.state()
	var b bytes.Buffer
	b.WriteString("\ufeff") // so that spreadsheet programs read the file as UTF-8
	w := csv.NewWriter(&b)
	w.Write(approachesCSVHeader)
	for _, j := range st.profiled() {
		for i := range content.Dimensions {
			d := &content.Dimensions[i]
			ac := apiCell(st.approachOf(j, d))
			w.Write([]string{j.Code, j.Name, d.ID, d.Question, ac.Value, ac.Label, export.CSVSafe(ac.Text),
				strings.Join(ac.Sources, " "), ac.AsOf, ac.Checked})
		}
	}
	w.Flush()
	c.Response().Header().Set("Content-Disposition", `attachment; filename="approaches.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", b.Bytes())
}
