package output

import (
	"iter"
)

// Column is one column of a view: a heading and a value function, after
// pluto's pkg/api/columns.go. The same column list serves every format:
// Header names it in tables and Markdown, Field in CSV (and in JSON when
// the view has no JSON shape of its own); a column with only one of the two
// appears only in those formats.
type Column[R any] struct {
	Header string         // table and Markdown heading; "" for machine formats only
	Field  string         // CSV heading (snake_case); "" for human formats only
	Value  func(R) string // the cell; raw, the writer sanitises it per format
	// Short is a narrower form tried before the column is cut or dropped
	// when a terminal is too narrow (a package list collapses to a count).
	Short func(R) string
	// Priority orders what goes first when the terminal is too narrow:
	// 0 is never dropped; higher numbers are shortened, then dropped, first.
	Priority int
	// Min is the narrowest the column is cut to (in the middle) before it
	// is dropped; 0 means the width of its heading.
	Min int
	// Wide columns show only with --wide (and always in Markdown).
	Wide bool
	// Style colours the cell on a colour terminal (nil: plain).
	Style func(R) Style
	// Right aligns the column to the right (counts).
	Right bool
	// OmitEmpty leaves the column out of a table where no row has a value
	// (an ERROR column when nothing failed).
	OmitEmpty bool
}

// View is what a command renders: its columns, and optionally a JSON shape
// per row, a section heading per group of rows, and a closing line.
type View[R any] struct {
	Columns []Column[R]
	// JSON returns the element a row becomes in JSON and YAML. Without it a
	// row is an object of its Field columns, in column order.
	JSON func(R) any
	// Group names the section a row belongs to in tables and Markdown
	// (plan: its wave); a heading line starts each new group.
	Group func(R) string
	// Title opens tables and Markdown and Footer closes them (the data
	// line, notes): text, wrapped to the terminal, one paragraph a line.
	// JSON, YAML and CSV carry the same facts in fields instead.
	Title, Footer string
	// JSONLines writes one compact JSON element per line instead of
	// indenting each field: fleet-wide findings run to a hundred thousand
	// elements, and indenting doubled check's time on 10,000 hosts.
	JSONLines bool
}

// Rows is where a view's rows come from. A table reads it twice, once to
// measure the columns and once to write them, so a caller can stream rows
// from a store or regenerate them instead of holding the whole table; a
// slice is slices.Values(s).
type Rows[R any] = iter.Seq[R]

// Style is a colour for a cell on a colour terminal.
type Style int

// Styles upkeep uses: danger for eol and blocked, warn for eol-soon and
// needs-work, ok for supported and ready, dim for unknown.
const (
	Plain Style = iota
	Danger
	Warn
	OK
	Dim
	Bold
)

func (s Style) code() string {
	switch s {
	case Danger:
		return "\x1b[31m"
	case Warn:
		return "\x1b[33m"
	case OK:
		return "\x1b[32m"
	case Dim:
		return "\x1b[2m"
	case Bold:
		return "\x1b[1m"
	}
	return ""
}

const reset = "\x1b[0m"

// Paint wraps s in the style's escape codes when colour is on.
func Paint(s string, st Style, color bool) string {
	if !color || st == Plain || s == "" {
		return s
	}
	return st.code() + s + reset
}
