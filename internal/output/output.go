// Package output writes rows as an aligned table, JSON or CSV, the formats
// every listing command shares. Writers format; they never decide content.
package output

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Format is an output format chosen with --output.
type Format string

// Formats shared by the listing commands; reports add markdown and html.
const (
	Table    Format = "table"
	JSON     Format = "json"
	CSV      Format = "csv"
	Markdown Format = "markdown"
	HTML     Format = "html"
)

// Parse checks s against the formats a command allows.
func Parse(s string, allowed ...Format) (Format, error) {
	names := make([]string, len(allowed))
	for i, a := range allowed {
		if string(a) == s || (a == Markdown && s == "md") {
			return a, nil
		}
		names[i] = string(a)
	}
	return "", fmt.Errorf("unknown output format %q: use one of %s", s, strings.Join(names, ", "))
}

// WriteTable writes an aligned, plain-text table with a header row.
func WriteTable(w io.Writer, header []string, rows [][]string) error {
	// tabwriter writes every cell separately: buffer them, or a table of
	// 60,000 findings costs as many system calls.
	bw := bufio.NewWriterSize(w, 64<<10)
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(clean(r), "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteCSV writes RFC 4180 CSV with a header row.
func WriteCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// WriteMarkdown writes a GitHub-flavoured Markdown table.
func WriteMarkdown(w io.Writer, header []string, rows [][]string) error {
	esc := func(cells []string) string {
		out := make([]string, len(cells))
		for i, c := range cells {
			out[i] = strings.ReplaceAll(strings.ReplaceAll(c, "|", `\|`), "\n", " ")
		}
		return "| " + strings.Join(out, " | ") + " |"
	}
	sep := make([]string, len(header))
	for i := range sep {
		sep[i] = "---"
	}
	if _, err := fmt.Fprintln(w, esc(header)); err != nil {
		return err
	}
	fmt.Fprintln(w, "| "+strings.Join(sep, " | ")+" |")
	for _, r := range rows {
		fmt.Fprintln(w, esc(r))
	}
	return nil
}

// WriteJSON writes v as indented JSON followed by a newline.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// clean keeps tabs and newlines in values from breaking table columns.
func clean(r []string) []string {
	out := make([]string, len(r))
	for i, c := range r {
		out[i] = strings.NewReplacer("\t", " ", "\n", " ").Replace(c)
	}
	return out
}
