// Package output renders what upkeep reports: every command's table, CSV,
// Markdown, JSON and YAML go through one column-driven renderer (columns.go,
// render.go), and every value a host can set goes through one sanitising
// layer (sanitize.go) on its way to a terminal, a spreadsheet or a Markdown
// renderer. Writers format; they never decide content.
package output

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Format is an output format chosen with --output.
type Format string

// Formats shared by the listing commands; reports add markdown and html.
const (
	Table    Format = "table"
	JSON     Format = "json"
	YAML     Format = "yaml"
	CSV      Format = "csv"
	Markdown Format = "markdown"
	HTML     Format = "html"
)

// Parse checks s against the formats a command allows.
func Parse(s string, allowed ...Format) (Format, error) {
	names := make([]string, len(allowed))
	for i, a := range allowed {
		if string(a) == s || (a == Markdown && s == "md") || (a == YAML && s == "yml") {
			return a, nil
		}
		names[i] = string(a)
	}
	return "", fmt.Errorf("unknown output format %q: use one of %s", s, strings.Join(names, ", "))
}

// stringsView is the view of a plain header and rows of cells.
func stringsView(header []string, field bool) View[[]string] {
	cols := make([]Column[[]string], len(header))
	for i, h := range header {
		cols[i] = Column[[]string]{Header: h, Value: func(r []string) string {
			if i < len(r) {
				return r[i]
			}
			return ""
		}}
		if field {
			cols[i].Field = h
		}
	}
	return View[[]string]{Columns: cols}
}

// WriteTable writes an aligned, plain-text table with a header row.
func WriteTable(w io.Writer, header []string, rows [][]string) error {
	return Render(w, Options{Format: Table}, stringsView(header, false), slices.Values(rows))
}

// WriteCSV writes RFC 4180 CSV with a header row, formulas neutralised.
func WriteCSV(w io.Writer, header []string, rows [][]string) error {
	return Render(w, Options{Format: CSV}, stringsView(header, true), slices.Values(rows))
}

// WriteMarkdown writes a GitHub-flavoured Markdown table.
func WriteMarkdown(w io.Writer, header []string, rows [][]string) error {
	return Render(w, Options{Format: Markdown}, stringsView(header, false), slices.Values(rows))
}

// WriteJSON writes v as indented JSON followed by a newline.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(JSONWriter(w))
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
