package output

import (
	"strings"
	"testing"
)

func TestTerminal(t *testing.T) {
	tests := []struct{ in, want string }{
		{"web-1", "web-1"},
		{"", ""},
		{"naïve 日本", "naïve 日本"},
		{"\x1b]2;owned\x07", `\x1b]2;owned\x07`},
		{"a\tb\nc\rd", `a\tb\nc\rd`},
		{"del\x7f", `del\x7f`},
		{"c1\u009b2J", `c1\u009b2J`},
		{"evil\u202egnp.exe", `evil\u202egnp.exe`},
		{"\u2066iso\u2069 \u200e\u200f", `\u2066iso\u2069 \u200e\u200f`},
		{"zw\u200bj\ufeff", `zw\u200bj\ufeff`},
		{"line\u2028sep", `line\u2028sep`},
		{"bad\xffutf8", `bad\xffutf8`},
	}
	for _, tt := range tests {
		if got := Terminal(tt.in); got != tt.want {
			t.Errorf("Terminal(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := Terminal(tt.in); !isSafeText(got) {
			t.Errorf("Terminal(%q) = %q is not safe text", tt.in, got)
		}
	}
}

// A clean string comes back as the same string, not a copy.
func TestTerminalFastPath(t *testing.T) {
	s := strings.Repeat("nginx-1.20.1 ", 10)
	if n := testing.AllocsPerRun(100, func() { _ = Terminal(s) }); n != 0 {
		t.Errorf("Terminal allocates %v times on a clean string", n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = MarkdownText(s) }); n != 0 {
		t.Errorf("MarkdownText allocates %v times on a clean string", n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = CSVCell(s) }); n != 0 {
		t.Errorf("CSVCell allocates %v times on a clean string", n)
	}
}

func TestMarkdownText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"nginx 1.20", "nginx 1.20"},
		{"<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"},
		{"a|b", `a\|b`},
		{`end\|`, `end\\\|`},
		{"[x](javascript:alert(1))", `\[x\](javascript:alert(1))`},
		{"`code`", "\\`code\\`"},
		{"a&b", "a&amp;b"},
		{"Maintenance & Security", "Maintenance & Security"},
		{"&#60;", "&amp;#60;"},
		{"\x1b[2J", `\\x1b\[2J`},
	}
	for _, tt := range tests {
		if got := MarkdownText(tt.in); got != tt.want {
			t.Errorf("MarkdownText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCSVCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"web-1", "web-1"},
		{"", ""},
		{"=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"},
		{"+cmd", "'+cmd"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"-42", "-42"},
		{"-1.5", "-1.5"},
		{"+7", "+7"},
		{"-", "'-"},
		{"-.5", "'-.5"},
	}
	for _, tt := range tests {
		if got := CSVCell(tt.in); got != tt.want {
			t.Errorf("CSVCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestElideAndWidth(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  string
	}{
		{"openssl-1.0.2k-fips", 30, "openssl-1.0.2k-fips"},
		{"openssl-1.0.2k-fips", 9, "open…fips"},
		{"openssl-1.0.2k-fips", 1, "…"},
		{"openssl", 0, ""},
		{"日本語のホスト名", 7, "日…ト名"},
	}
	for _, tt := range tests {
		got := Elide(tt.in, tt.width)
		if got != tt.want {
			t.Errorf("Elide(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
		if Width(got) > max(tt.width, 0) {
			t.Errorf("Elide(%q, %d) is %d wide", tt.in, tt.width, Width(got))
		}
	}
	if Width("日本") != 4 || Width("e\u0301") != 1 || Width("abc") != 3 {
		t.Errorf("Width: %d %d %d", Width("日本"), Width("e\u0301"), Width("abc"))
	}
}

func BenchmarkTerminalClean(b *testing.B) {
	s := "openssl-libs-1.0.2k-26.amzn2.0.1"
	for b.Loop() {
		_ = Terminal(s)
	}
}

func TestTerminalLines(t *testing.T) {
	in := "line 3: bad name \x1b[31mred\nRun 'upkeep --help'"
	want := "line 3: bad name \\x1b[31mred\nRun 'upkeep --help'"
	if got := TerminalLines(in); got != want {
		t.Errorf("TerminalLines = %q, want %q", got, want)
	}
	if s := "a\nb"; TerminalLines(s) != s {
		t.Error("clean text changed")
	}
}
