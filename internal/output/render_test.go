package output

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

type pkgRow struct {
	Host     string   `json:"host"`
	Product  string   `json:"product"`
	Version  string   `json:"version"`
	Status   string   `json:"status"`
	Packages []string `json:"packages"`
}

func pkgView() View[pkgRow] {
	return View[pkgRow]{
		Columns: []Column[pkgRow]{
			{Header: "HOST", Field: "host", Value: func(r pkgRow) string { return r.Host }},
			{Header: "PRODUCT", Field: "product", Value: func(r pkgRow) string { return r.Product }},
			{Header: "VERSION", Field: "version", Value: func(r pkgRow) string { return r.Version }, Priority: 1, Min: 12},
			{Header: "STATUS", Field: "status", Value: func(r pkgRow) string { return r.Status },
				Style: func(r pkgRow) Style {
					if r.Status == "eol" {
						return Danger
					}
					return Plain
				}},
			{Header: "PACKAGES", Field: "packages", Priority: 5,
				Value: func(r pkgRow) string { return strings.Join(r.Packages, ",") },
				Short: func(r pkgRow) string { return strings.Repeat("x", len(r.Packages)) }},
			{Header: "NOTE", Priority: 9, Wide: true, Value: func(r pkgRow) string { return "wide only" }},
		},
		Footer: "Data: endoflife.date 2026-08-22 (commit abcdef1); Amazon Linux 2023 packages 2023.9.20251117. Judged at 2026-11-24.",
	}
}

var sampleRows = []pkgRow{
	{"web-1", "nginx", "1.20.1-2.amzn2.0.5", "eol", []string{"nginx", "nginx-core", "nginx-filesystem", "nginx-mod-stream", "nginx-mod-mail"}},
	{"db-01.prod.example.internal", "mysql", "5.7.44-1.el7", "supported", []string{"mysql-community-server"}},
	{"api-2", "openssl", "1:1.0.2k-fips-26.amzn2.0.15.very.long.release.string", "eol-soon", nil},
}

func render(t *testing.T, o Options, v View[pkgRow], rows []pkgRow) string {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, o, v, slices.Values(rows)); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// At every width a table fits: no line is wider than the terminal, none
// ends in padding, and every row is still there.
func TestTableFitsWidth(t *testing.T) {
	for _, width := range []int{20, 40, 60, 80, 100, 200} {
		out := render(t, Options{Format: Table, Width: width}, pkgView(), sampleRows)
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		for _, l := range lines {
			if Width(l) > width {
				t.Errorf("width %d: line is %d wide: %q", width, Width(l), l)
			}
			if strings.HasSuffix(l, " ") {
				t.Errorf("width %d: trailing space in %q", width, l)
			}
		}
		for _, r := range sampleRows {
			if width >= 60 && !strings.Contains(out, r.Host[:3]) {
				t.Errorf("width %d: row %s missing:\n%s", width, r.Host, out)
			}
		}
		if strings.Contains(out, "wide only") {
			t.Errorf("width %d: a wide column shows without --wide", width)
		}
	}
	// At 80 the package list collapses to its short form before anything is cut.
	out := render(t, Options{Format: Table, Width: 80}, pkgView(), sampleRows)
	if !strings.Contains(out, "xxxxx") || strings.Contains(out, "nginx-mod-mail") {
		t.Errorf("PACKAGES did not collapse at 80 columns:\n%s", out)
	}
}

// A pipe (width 0) keeps full rows; --wide adds the wide columns.
func TestTablePipeAndWide(t *testing.T) {
	out := render(t, Options{Format: Table}, pkgView(), sampleRows)
	for _, want := range []string{"nginx-mod-mail", "1:1.0.2k-fips-26.amzn2.0.15.very.long.release.string", "Judged at 2026-11-24."} {
		if !strings.Contains(out, want) {
			t.Errorf("pipe output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "wide only") {
		t.Error("wide column without Wide")
	}
	if out := render(t, Options{Format: Table, Width: 80, Wide: true}, pkgView(), sampleRows); !strings.Contains(out, "wide only") || !strings.Contains(out, "nginx-mod-mail") {
		t.Errorf("--wide output:\n%s", out)
	}
}

const hostile = "\x1b]2;pwned\x07\x1b[2J\u009b31m\u202eevil\u2066<script>alert(1)</script>|=HYPERLINK(\"http://x\",\"y\")\r\n@x"

// A hostile value is inert in every format: no control character reaches
// a table or Markdown, Markdown carries no HTML and no extra cell, a CSV
// cell is no formula and keeps its value, JSON and YAML keep it exactly.
func TestHostileValuesEveryFormat(t *testing.T) {
	rows := []pkgRow{{Host: hostile, Product: "=1+1", Version: "-cmd|' /C calc'!A0", Status: "+x", Packages: []string{"@SUM(1)", hostile}}}
	for _, f := range []Format{Table, Markdown} {
		out := render(t, Options{Format: f, Width: 100, Color: false}, pkgView(), rows)
		if !isSafeText(strings.ReplaceAll(out, "\n", "")) {
			t.Errorf("%s output carries control characters: %q", f, out)
		}
		if f == Markdown {
			if strings.Contains(out, "<script") {
				t.Errorf("markdown passes HTML: %s", out)
			}
			for _, l := range strings.Split(strings.TrimSpace(out), "\n")[:3] {
				if n := strings.Count(strings.ReplaceAll(l, `\|`, ""), "|"); n != 7 {
					t.Errorf("markdown row has %d separators: %q", n, l)
				}
			}
		}
	}
	out := render(t, Options{Format: CSV}, pkgView(), rows)
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("CSV: %v %q", err, out)
	}
	for i, c := range recs[1] {
		if c != "" && strings.ContainsAny(c[:1], "=+-@\t\r") {
			t.Errorf("CSV cell %d starts a formula: %q", i, c)
		}
	}
	if recs[1][0] != strings.ReplaceAll(hostile, "\r", "") || recs[1][1] != "'=1+1" {
		t.Errorf("CSV lost the value: %q", recs[1])
	}
	var js []pkgRow
	v := pkgView()
	v.JSON = func(r pkgRow) any { return r }
	if err := json.Unmarshal([]byte(render(t, Options{Format: JSON}, v, rows)), &js); err != nil || js[0].Host != hostile {
		t.Errorf("JSON round trip: %v %q", err, js)
	}
	var ys []pkgRow
	if err := yaml.Unmarshal([]byte(render(t, Options{Format: YAML}, v, rows)), &ys); err != nil || ys[0].Host != hostile {
		t.Errorf("YAML round trip: %v %+v", err, ys)
	}
}

// One megabyte-long value in one row of many does not widen every row:
// the table grows with the data, not with rows × the widest cell.
func TestTableOutputLinear(t *testing.T) {
	rows := make([]pkgRow, 2000)
	for i := range rows {
		rows[i] = pkgRow{Host: "web", Product: "nginx", Version: "1.20", Status: "eol"}
	}
	rows[7].Version = strings.Repeat("A", 1<<20)
	for _, f := range []Format{Table, Markdown} {
		out := render(t, Options{Format: f}, pkgView(), rows)
		if len(out) > 2000*(TableCellCap+100) {
			t.Errorf("%s: %d bytes for 2,000 short rows and one 1 MB value", f, len(out))
		}
	}
	if out := render(t, Options{Format: CSV}, pkgView(), rows); !strings.Contains(out, rows[7].Version) {
		t.Error("CSV does not keep the full value")
	}
}

// The table reads its rows twice (measure, write) and needs nothing else:
// a caller can regenerate them instead of holding a slice.
func TestTableStreamsTwice(t *testing.T) {
	passes := 0
	gen := func(yield func(pkgRow) bool) {
		passes++
		for i := 0; i < 3; i++ {
			if !yield(pkgRow{Host: strings.Repeat("h", i+1), Product: "p", Version: "1", Status: "eol"}) {
				return
			}
		}
	}
	var b bytes.Buffer
	if err := Render(&b, Options{Format: Table}, pkgView(), gen); err != nil {
		t.Fatal(err)
	}
	if passes != 2 {
		t.Errorf("rows read %d times, want 2", passes)
	}
	want := "HOST  PRODUCT  VERSION  STATUS  PACKAGES\nh     p        1        eol\nhh    p        1        eol\nhhh   p        1        eol\n"
	if got := strings.SplitN(b.String(), "\n\n", 2)[0] + "\n"; got != want {
		t.Errorf("table:\n%s\nwant:\n%s", got, want)
	}
}

func TestColorOnlyWhenAsked(t *testing.T) {
	plain := render(t, Options{Format: Table}, pkgView(), sampleRows)
	if strings.Contains(plain, "\x1b") {
		t.Error("escape codes without Color")
	}
	colored := render(t, Options{Format: Table, Color: true}, pkgView(), sampleRows)
	if !strings.Contains(colored, "\x1b[31meol\x1b[0m") {
		t.Errorf("no colour on eol:\n%q", colored)
	}
	// Colour changes nothing but the escapes.
	if stripped := stripANSI(colored); stripped != plain {
		t.Errorf("colour changed the layout:\n%s\nvs\n%s", stripped, plain)
	}
	for _, f := range []Format{Markdown, CSV, JSON, YAML} {
		if out := render(t, Options{Format: f, Color: true}, pkgView(), sampleRows); strings.Contains(out, "\x1b") {
			t.Errorf("%s carries colour", f)
		}
	}
}

func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b {
			for i < len(s) && s[i] != 'm' {
				i++
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// JSON streams the bytes encoding the whole slice would give; YAML has the
// JSON keys in the JSON order; a view without a JSON shape uses its fields.
func TestJSONAndYAML(t *testing.T) {
	v := pkgView()
	v.JSON = func(r pkgRow) any { return r }
	var want bytes.Buffer
	if err := WriteJSON(&want, sampleRows); err != nil {
		t.Fatal(err)
	}
	if got := render(t, Options{Format: JSON}, v, sampleRows); got != want.String() {
		t.Errorf("streamed JSON:\n%s\nwant:\n%s", got, want.String())
	}
	if got := render(t, Options{Format: JSON}, v, nil); got != "[]\n" {
		t.Errorf("empty JSON: %q", got)
	}
	y := render(t, Options{Format: YAML}, v, sampleRows[:1])
	wantY := "- host: web-1\n  product: nginx\n  version: 1.20.1-2.amzn2.0.5\n  status: eol\n  packages:\n    - nginx\n    - nginx-core\n    - nginx-filesystem\n    - nginx-mod-stream\n    - nginx-mod-mail\n"
	if y != wantY {
		t.Errorf("YAML:\n%s\nwant:\n%s", y, wantY)
	}
	// Strings that look like other types stay strings.
	b, err := EncodeYAML(map[string]string{"v": "1.20", "b": "true", "n": "null"})
	if err != nil || string(b) != "b: \"true\"\nn: \"null\"\nv: \"1.20\"\n" {
		t.Errorf("EncodeYAML: %q %v", b, err)
	}
	fields := render(t, Options{Format: JSON}, pkgView(), sampleRows[:1])
	if !strings.Contains(fields, `"host": "web-1"`) || strings.Contains(fields, "NOTE") {
		t.Errorf("JSON of fields:\n%s", fields)
	}
}

func TestGroups(t *testing.T) {
	v := pkgView()
	v.Group = func(r pkgRow) string { return "wave " + r.Status }
	out := render(t, Options{Format: Table}, v, sampleRows)
	if strings.Count(out, "HOST ") != 3 || !strings.HasPrefix(out, "wave eol\nHOST") || !strings.Contains(out, "\n\nwave supported\nHOST") {
		t.Errorf("groups:\n%s", out)
	}
	md := render(t, Options{Format: Markdown}, v, sampleRows)
	if !strings.Contains(md, "### wave eol\n\n| HOST |") {
		t.Errorf("markdown groups:\n%s", md)
	}
}

// On a narrow terminal the optional columns give way first: a short word
// column is dropped rather than cut, and the essential columns stay whole
// while dropping optional ones is enough.
func TestFitOrder(t *testing.T) {
	type row struct{ id, kind, note string }
	v := View[row]{Columns: []Column[row]{
		{Header: "ID", Value: func(r row) string { return r.id }},
		{Header: "KIND", Value: func(r row) string { return r.kind }, Priority: 5},
		{Header: "NOTE", Value: func(r row) string { return r.note }, Priority: 2, Min: 10},
	}}
	rows := []row{{"i-0123456789abcdef0", "package", strings.Repeat("n", 40)}}
	var b bytes.Buffer
	if err := Render(&b, Options{Format: Table, Width: 35}, v, slices.Values(rows)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, "i-0123456789abcdef0") || strings.Contains(out, "KIND") || strings.Contains(out, "pa…") {
		t.Errorf("fit at 35:\n%s", out)
	}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if Width(l) > 35 {
			t.Errorf("line of %d: %q", Width(l), l)
		}
	}
}
