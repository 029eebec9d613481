package output

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Cell caps: a table cell and a Markdown cell are cut in the middle past
// these many columns, so that one host with a megabyte-long value cannot
// make every row of a table a megabyte of padding. JSON, YAML and CSV keep
// every value whole.
const (
	TableCellCap    = 200
	MarkdownCellCap = 4000
)

// Options say how to render: the format, and for tables the terminal.
type Options struct {
	Format Format
	// Width is the terminal's width in columns; 0 (a pipe or a file) means
	// rows are never fitted: every column shows, only capped.
	Width int
	Wide  bool // show Wide columns, and never drop or shorten one
	Color bool // colour cells by their Style (terminals only)
}

// Render writes rows in the chosen format. rows is read twice for a table
// (measure, then write) and once otherwise.
func Render[R any](w io.Writer, o Options, v View[R], rows Rows[R]) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var err error
	switch o.Format {
	case JSON:
		err = renderJSON(bw, v, rows)
	case YAML:
		err = renderYAML(bw, v, rows)
	case CSV:
		err = renderCSV(bw, v, rows)
	case Markdown:
		err = renderMarkdown(bw, v, rows)
	default:
		err = renderTable(bw, o, v, rows)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// cellText is a value as a table or Markdown cell shows it: sanitised, on
// one line, capped.
func cellText(s string, limit int) string {
	s = Terminal(s)
	if len(s) > limit { // bytes ≥ columns: only long strings need measuring
		s = Elide(s, limit)
	}
	return s
}

// shortWord is the width up to which an optional column holds single
// words (a kind, a count) better dropped than cut.
const shortWord = 10

// full is the column's natural width, in the form chosen.
func (c *tableCol[R]) full() int {
	if c.useShort {
		return c.shortW
	}
	return c.maxW
}

// minWidth is how narrow a column may be cut before it is dropped.
func (c *tableCol[R]) minWidth() int {
	if c.Min > 0 {
		return c.Min
	}
	return c.hdrW
}

type tableCol[R any] struct {
	Column[R]
	width    int // chosen width
	hdrW     int
	maxW     int // widest value
	shortW   int // widest Short value
	useShort bool
	dropped  bool
	nonEmpty bool
}

func renderTable[R any](w *bufio.Writer, o Options, v View[R], rows Rows[R]) error {
	var cols []*tableCol[R]
	for _, c := range v.Columns {
		if c.Header == "" || (c.Wide && !o.Wide) {
			continue
		}
		h := Terminal(c.Header)
		cols = append(cols, &tableCol[R]{Column: c, hdrW: Width(h), maxW: Width(h), shortW: Width(h)})
	}
	if len(cols) == 0 {
		return nil
	}
	if v.Title != "" {
		writeText(w, v.Title, o.Width)
		w.WriteByte('\n')
	}
	// Measure pass.
	for r := range rows {
		for _, c := range cols {
			v := c.Value(r)
			if v != "" {
				c.nonEmpty = true
			}
			if n := Width(cellText(v, TableCellCap)); n > c.maxW {
				c.maxW = n
			}
			if c.Short != nil {
				if n := Width(cellText(c.Short(r), TableCellCap)); n > c.shortW {
					c.shortW = n
				}
			}
		}
	}
	for _, c := range cols {
		c.width = c.maxW
		c.dropped = c.OmitEmpty && !c.nonEmpty
	}
	if o.Width > 0 && !o.Wide {
		fit(cols, o.Width)
	}
	shown := slices.DeleteFunc(slices.Clone(cols), func(c *tableCol[R]) bool { return c.dropped })

	writeHeader := func() {
		cells := make([]string, len(shown))
		for i, c := range shown {
			cells[i] = Elide(Terminal(c.Header), c.width)
		}
		writeLine(w, shown, cells, nil, false)
	}
	group, first := "", true
	cells := make([]string, len(shown))
	styles := make([]Style, len(shown))
	for r := range rows {
		if v.Group != nil {
			if g := v.Group(r); first || g != group {
				if !first {
					w.WriteByte('\n')
				}
				group = g
				heading := Terminal(g)
				if o.Width > 0 {
					heading = Elide(heading, o.Width)
				}
				w.WriteString(Paint(heading, Bold, o.Color))
				w.WriteByte('\n')
				writeHeader()
			}
		} else if first {
			writeHeader()
		}
		first = false
		for i, c := range shown {
			val := c.Value
			if c.useShort {
				val = c.Short
			}
			cells[i] = Elide(cellText(val(r), TableCellCap), c.width)
			styles[i] = Plain
			if c.Style != nil && o.Color {
				styles[i] = c.Style(r)
			}
		}
		writeLine(w, shown, cells, styles, o.Color)
	}
	if first && v.Group == nil {
		writeHeader()
	}
	if v.Footer != "" {
		w.WriteByte('\n')
		writeText(w, v.Footer, o.Width)
	}
	return nil
}

// writeText writes lines of text, sanitised and wrapped to width.
func writeText(w *bufio.Writer, text string, width int) {
	for _, para := range strings.Split(text, "\n") {
		for _, l := range wrap(Terminal(para), width) {
			w.WriteString(l)
			w.WriteByte('\n')
		}
	}
}

// writeLine writes one aligned row: two spaces between columns, no padding
// after the last non-empty cell.
func writeLine[R any](w *bufio.Writer, cols []*tableCol[R], cells []string, styles []Style, color bool) {
	last := len(cells) - 1
	for last >= 0 && cells[last] == "" {
		last--
	}
	for i := 0; i <= last; i++ {
		c := cols[i]
		pad := c.width - Width(cells[i])
		if i > 0 {
			w.WriteString("  ")
		}
		if c.Right && pad > 0 {
			w.WriteString(strings.Repeat(" ", pad))
		}
		st := Plain
		if styles != nil {
			st = styles[i]
		}
		w.WriteString(Paint(cells[i], st, color))
		if !c.Right && i < last && pad > 0 {
			w.WriteString(strings.Repeat(" ", pad))
		}
	}
	w.WriteByte('\n')
}

// fit narrows columns until a row fits in width: first the short forms of
// the least important columns, then, least important first, each column is
// cut in the middle down to its minimum and dropped if that is not enough
// (columns of priority 0 are never dropped). As a last resort the widest
// columns are cut further, so that no line is ever wider than the terminal.
func fit[R any](cols []*tableCol[R], width int) {
	total := func() int {
		t, n := 0, 0
		for _, c := range cols {
			if !c.dropped {
				t += c.width
				n++
			}
		}
		return t + 2*max(0, n-1)
	}
	if total() <= width {
		return
	}
	order := slices.Clone(cols)
	slices.SortStableFunc(order, func(a, b *tableCol[R]) int { return b.Priority - a.Priority })
	for _, c := range order {
		if c.Short != nil {
			c.useShort = true
			c.width = c.shortW
			if total() <= width {
				return
			}
		}
	}
	// Optional columns first: cut each to its minimum, least important
	// first (a short word such as a kind is never cut: it is dropped
	// instead); then drop the least important until a row fits. Only then
	// are the essential columns (priority 0) cut. Finally the room a drop
	// freed goes back to the cut columns, most important first.
	cut := func(c *tableCol[R]) bool {
		if m := c.minWidth(); !c.dropped && c.width > m && (c.Priority == 0 || c.full() > shortWord) {
			c.width = max(m, c.width-(total()-width))
		}
		return total() <= width
	}
	for _, c := range order {
		if c.Priority > 0 && cut(c) {
			return
		}
	}
	for _, c := range order {
		if c.Priority > 0 && total() > width {
			c.dropped = true
		}
	}
	if total() > width {
		for _, c := range order {
			if c.Priority == 0 && cut(c) {
				break
			}
		}
	}
	for i := len(order) - 1; i >= 0; i-- {
		c := order[i]
		if spare := width - total(); !c.dropped && spare > 0 && c.width < c.full() {
			c.width = min(c.full(), c.width+spare)
		}
	}
	for total() > width {
		var widest *tableCol[R]
		for _, c := range cols {
			if !c.dropped && (widest == nil || c.width > widest.width) {
				widest = c
			}
		}
		if widest.width > 1 {
			widest.width--
			continue
		}
		// Every column is one wide: drop the rightmost.
		for i := len(cols) - 1; i >= 0; i-- {
			if !cols[i].dropped {
				cols[i].dropped = true
				break
			}
		}
		if total() == 0 {
			return
		}
	}
}

// wrap breaks text into lines of at most width columns at spaces (0: one
// line); a word longer than the width is cut.
func wrap(s string, width int) []string {
	if width <= 0 || Width(s) <= width {
		return []string{s}
	}
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = word
		case Width(line)+1+Width(word) <= width:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
		for Width(line) > width {
			r := []rune(line)
			cut := min(len(r), width)
			for Width(string(r[:cut])) > width {
				cut--
			}
			lines = append(lines, string(r[:cut]))
			line = string(r[cut:])
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

func renderMarkdown[R any](w *bufio.Writer, v View[R], rows Rows[R]) error {
	var cols []Column[R]
	for _, c := range v.Columns {
		if c.Header != "" {
			cols = append(cols, c)
		}
	}
	header := func() {
		w.WriteString("|")
		for _, c := range cols {
			w.WriteString(" " + MarkdownText(c.Header) + " |")
		}
		w.WriteString("\n|")
		for range cols {
			w.WriteString(" --- |")
		}
		w.WriteByte('\n')
	}
	if v.Title != "" {
		for _, l := range strings.Split(v.Title, "\n") {
			fmt.Fprintf(w, "%s\n\n", MarkdownText(l))
		}
	}
	group, first := "", true
	for r := range rows {
		if v.Group != nil {
			if g := v.Group(r); first || g != group {
				if !first {
					w.WriteByte('\n')
				}
				group = g
				fmt.Fprintf(w, "### %s\n\n", MarkdownText(g))
				header()
			}
		} else if first {
			header()
		}
		first = false
		w.WriteString("|")
		for _, c := range cols {
			w.WriteString(" " + markdownCell(c.Value(r)) + " |")
		}
		w.WriteByte('\n')
	}
	if first && v.Group == nil {
		header()
	}
	if v.Footer != "" {
		for _, l := range strings.Split(v.Footer, "\n") {
			fmt.Fprintf(w, "\n%s\n", MarkdownText(l))
		}
	}
	return nil
}

func markdownCell(s string) string {
	s = Terminal(s)
	if len(s) > MarkdownCellCap {
		s = Elide(s, MarkdownCellCap)
	}
	return escapeMarkdown(s)
}

func renderCSV[R any](w *bufio.Writer, v View[R], rows Rows[R]) error {
	var cols []Column[R]
	var header []string
	for _, c := range v.Columns {
		if c.Field != "" {
			cols = append(cols, c)
			header = append(header, c.Field)
		}
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	rec := make([]string, len(cols))
	for r := range rows {
		for i, c := range cols {
			rec[i] = CSVCell(c.Value(r))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
