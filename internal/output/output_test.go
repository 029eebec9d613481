package output

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		allowed []Format
		want    Format
		err     string
	}{
		{"json", []Format{Table, JSON}, JSON, ""},
		{"md", []Format{Table, Markdown}, Markdown, ""},
		{"markdown", []Format{Markdown}, Markdown, ""},
		{"html", []Format{Table, JSON, CSV}, "", `unknown output format "html": use one of table, json, csv`},
		{"", []Format{Table}, "", "unknown output format"},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in, tt.allowed...)
		if got != tt.want || (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("Parse(%q) = %q, %v; want %q, %q", tt.in, got, err, tt.want, tt.err)
		}
	}
}

// A value with a tab, newline, comma, quote or pipe must not break the row
// structure of any format.
func TestAwkwardValues(t *testing.T) {
	header := []string{"host", "note"}
	rows := [][]string{{"web-1", "a\tb\nc, \"d\" | e"}, {"web-2", ""}}

	var tb bytes.Buffer
	if err := WriteTable(&tb, header, rows); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSuffix(tb.String(), "\n"), "\n"); len(lines) != 3 {
		t.Errorf("table has %d lines, want 3:\n%s", len(lines), tb.String())
	}

	var cb bytes.Buffer
	if err := WriteCSV(&cb, header, rows); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&cb).ReadAll()
	if err != nil || len(recs) != 3 || recs[1][1] != rows[0][1] {
		t.Errorf("CSV round trip: %q, %v", recs, err)
	}

	var mb bytes.Buffer
	if err := WriteMarkdown(&mb, header, rows); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(mb.String(), "\n"), "\n")
	if len(lines) != 4 || !strings.Contains(lines[2], `\|`) {
		t.Errorf("markdown:\n%s", mb.String())
	}
	for _, l := range lines {
		if strings.Count(strings.ReplaceAll(l, `\|`, ""), "|") != 3 {
			t.Errorf("markdown row %q does not have 2 cells", l)
		}
	}

	var jb bytes.Buffer
	if err := WriteJSON(&jb, map[string]string{"note": "<a&b>"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(jb.String(), "<a&b>") {
		t.Errorf("JSON escaped HTML characters: %s", jb.String())
	}
}
