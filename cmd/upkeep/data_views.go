package main

import (
	"strconv"

	"upkeep/internal/output"
)

// datasetRow is one dataset of `data status`; JSON fields are stable.
type datasetRow struct {
	Name      string `json:"name"`
	Origin    string `json:"origin"` // embedded, or database: what the judging commands use
	Source    string `json:"source"`
	Date      string `json:"date"`
	FetchedAt string `json:"fetched_at,omitempty"`
	AgeDays   int    `json:"age_days"`
	Stale     bool   `json:"stale"`

	update string // the command that refreshes it, with the flags that name the database
}

// dataStatusView: the CSV has the JSON fields, in the JSON order.
func dataStatusView() output.View[datasetRow] {
	type R = datasetRow
	return output.View[datasetRow]{
		Columns: []output.Column[R]{
			{Header: "DATASET", Field: "name", Value: func(r R) string { return r.Name }},
			{Field: "origin", Value: func(r R) string { return r.Origin }},
			{Header: "SOURCE", Field: "source", Value: func(r R) string { return r.Source }, Priority: 2, Min: 20},
			{Header: "DATE", Field: "date", Value: func(r R) string { return r.Date }},
			{Field: "fetched_at", Value: func(r R) string { return r.FetchedAt }},
			{Header: "AGE_DAYS", Field: "age_days", Value: func(r R) string { return strconv.Itoa(r.AgeDays) }, Priority: 3},
			{Field: "stale", Value: func(r R) string { return strconv.FormatBool(r.Stale) }},
			{Header: "STATE", Value: func(r R) string {
				if r.Stale {
					return "stale: run '" + r.update + "'"
				}
				return "ok"
			}, Short: func(r R) string {
				if r.Stale {
					return "stale"
				}
				return "ok"
			}, Style: func(r R) output.Style {
				if r.Stale {
					return output.Warn
				}
				return output.OK
			}, Priority: 1},
		},
		JSON: func(r R) any { return r },
	}
}
