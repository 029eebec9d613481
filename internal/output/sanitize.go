package output

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Hosts are untrusted: every value a host or SSM can set (a computer name,
// a package's vendor, a version string) reaches a terminal, a spreadsheet
// or a Markdown renderer through one of the functions below. Each has a
// fast path that returns the string untouched when it is clean, because
// almost every cell is, and check renders a hundred thousand of them.

// Terminal makes s safe to print on a terminal: control characters (C0,
// DEL, C1), Unicode format controls (bidi overrides and isolates, zero-width
// marks, U+2028/U+2029) and invalid UTF-8 are shown as escapes (\x1b,
// \u202e) instead of acting on the terminal or reordering the line.
func Terminal(s string) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			b.WriteByte(c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteString(`\x`)
			b.WriteString(hex2(c))
		case r < 0x20 || r == 0x7f:
			switch r {
			case '\t':
				b.WriteString(`\t`)
			case '\n':
				b.WriteString(`\n`)
			case '\r':
				b.WriteString(`\r`)
			default:
				b.WriteString(`\x`)
				b.WriteString(hex2(byte(r)))
			}
		case unsafeRune(r):
			b.WriteString(`\u`)
			h := strconv.FormatInt(int64(r), 16)
			b.WriteString(strings.Repeat("0", max(0, 4-len(h))))
			b.WriteString(h)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// isPlain reports whether s is printable ASCII only: nothing to escape.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// isSafeText reports whether s needs no escaping at all: printable ASCII,
// or valid UTF-8 with no control or format character.
func isSafeText(s string) bool {
	if isPlain(s) {
		return true
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size <= 1) || r < 0x20 || r == 0x7f || unsafeRune(r) {
			return false
		}
		i += size
	}
	return true
}

// unsafeRune is a non-ASCII rune that must not reach a terminal as is: C1
// controls, format controls (Cf: bidi embeddings, overrides and isolates,
// LRM/RLM, zero-width joiners, BOM) and the line and paragraph separators.
func unsafeRune(r rune) bool {
	return (r >= 0x80 && r <= 0x9f) || r == 0x2028 || r == 0x2029 || unicode.Is(unicode.Cf, r)
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&0xf]})
}

// MarkdownText makes s safe inside a Markdown table cell or line of text:
// controls shown as in Terminal, HTML metacharacters as entities (a
// renderer must not run a host's <script>), and backslashes, pipes,
// brackets and backticks escaped so a value cannot end a cell, open a link
// or start code.
func MarkdownText(s string) string { return escapeMarkdown(Terminal(s)) }

// escapeMarkdown escapes Markdown and HTML in text already sanitised.
func escapeMarkdown(s string) string {
	if !strings.ContainsAny(s, "<>&|\\[]`") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			// Only an ampersand that could start an entity (&lt; &#60;).
			if i+1 < len(s) && (s[i+1] == '#' || isLetter(s[i+1])) {
				b.WriteString("&amp;")
			} else {
				b.WriteByte('&')
			}
		case '|', '\\', '[', ']', '`':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// CSVCell neutralises a cell a spreadsheet would read as a formula (one
// that starts with = + - @, a tab or a carriage return) by prefixing a
// single quote, as OWASP advises for CSV injection. A plain number ("-3")
// cannot be a formula and stays a number. The rest of the value is kept
// whole: CSV is for machines.
func CSVCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if isNumber(s) {
			return s
		}
		return "'" + s
	}
	return s
}

func isNumber(s string) bool {
	if s[0] == '-' || s[0] == '+' {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	dot := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
		case c == '.' && !dot && i > 0 && i < len(s)-1:
			dot = true
		default:
			return false
		}
	}
	return true
}

// Elide shortens s to at most width display columns by cutting out its
// middle ("openssl-1.0.2k…fips"): both ends of a version or a name say the
// most. s must already be sanitised.
func Elide(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if Width(s) <= width {
		return s
	}
	if width == 1 {
		return "…"
	}
	rs := []rune(s)
	if isPlain(s) || len(rs) == len(s) {
		keep := width - 1
		head := (keep + 1) / 2
		tail := keep - head
		return string(rs[:head]) + "…" + string(rs[len(rs)-tail:])
	}
	// Wide runes: take whole runes from each end while they fit.
	keep := width - 1
	var head, tail []rune
	w := 0
	for _, r := range rs {
		rw := runeWidth(r)
		if w+rw > (keep+1)/2 {
			break
		}
		head = append(head, r)
		w += rw
	}
	tailW := keep - w
	w = 0
	for i := len(rs) - 1; i >= len(head); i-- {
		rw := runeWidth(rs[i])
		if w+rw > tailW {
			break
		}
		tail = append([]rune{rs[i]}, tail...)
		w += rw
	}
	return string(head) + "…" + string(tail)
}

// Width is the number of terminal columns s takes: one per rune, two for
// East Asian wide and fullwidth runes, none for combining marks.
func Width(s string) int {
	if isPlain(s) {
		return len(s)
	}
	w := 0
	for _, r := range s {
		w += runeWidth(r)
	}
	return w
}

func runeWidth(r rune) int {
	switch {
	case r < 0x300:
		return 1
	case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || r == 0x200b:
		return 0
	case r >= 0x1100 && (r <= 0x115f || r == 0x2329 || r == 0x232a ||
		(r >= 0x2e80 && r <= 0xa4cf && r != 0x303f) ||
		(r >= 0xac00 && r <= 0xd7a3) ||
		(r >= 0xf900 && r <= 0xfaff) ||
		(r >= 0xfe30 && r <= 0xfe6f) ||
		(r >= 0xff00 && r <= 0xff60) ||
		(r >= 0xffe0 && r <= 0xffe6) ||
		(r >= 0x1f300 && r <= 0x1f64f) ||
		(r >= 0x1f900 && r <= 0x1f9ff) ||
		(r >= 0x20000 && r <= 0x3fffd)):
		return 2
	}
	return 1
}

func isLetter(c byte) bool { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }

// TerminalLines is Terminal for text of several lines (an error message,
// a plan in prose): each line is sanitised, the line breaks are kept.
func TerminalLines(s string) string {
	if isPlain(strings.ReplaceAll(s, "\n", " ")) {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Terminal(l)
	}
	return strings.Join(lines, "\n")
}
