package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"upkeep/internal/output"
)

// runTTY runs upkeep in-process with stdout as a terminal of the given
// width (0: a pipe) and the environment env.
func runTTY(t *testing.T, dir string, cols int, env map[string]string, args ...string) (string, string, int) {
	t.Helper()
	ios, out, errOut := testIO("")
	ios.outTTY = cols > 0
	ios.termCols = cols
	getenv := func(k string) string {
		if k == "XDG_DATA_HOME" {
			return dir
		}
		return env[k]
	}
	code := run(context.Background(), args, ios, getenv)
	return out.String(), errOut.String(), code
}

// Every table command, on a terminal of 80, 100 and 200 columns, prints
// no line wider than the terminal and none that ends in padding.
func TestTablesFitTerminal(t *testing.T) {
	dir := loadDemo(t)
	cmds := [][]string{
		{"check"},
		{"check", "--all"},
		{"plan"},
		{"readiness"},
		{"readiness", "--host", "prod-db-01"},
		{"inventory"},
		{"inventory", "packages", "--name", "openssl*"},
		{"inventory", "where", "nginx"},
		{"inventory", "scans"},
		{"data", "status"},
	}
	for _, width := range []int{80, 100, 200} {
		for _, args := range cmds {
			full := append([]string{"--demo"}, args...)
			if args[0] == "check" || args[0] == "plan" || args[0] == "readiness" {
				full = append(full, "--at", "2026-11-24")
			}
			out, stderr, code := runTTY(t, dir, width, nil, full...)
			if code != 0 {
				t.Fatalf("%v at %d columns: exit %d\n%s", args, width, code, stderr)
			}
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if len(lines) < 2 {
				t.Errorf("%v at %d columns: only %d lines", args, width, len(lines))
			}
			for _, l := range lines {
				if w := output.Width(stripEscapes(l)); w > width {
					t.Errorf("%v at %d columns: a line of %d: %q", args, width, w, l)
				}
				if strings.HasSuffix(l, " ") {
					t.Errorf("%v at %d columns: trailing padding: %q", args, width, l)
				}
			}
		}
	}
	// A pipe keeps full rows: check's package lists are not collapsed.
	out, _, _ := runTTY(t, dir, 0, nil, "--demo", "check", "--at", "2026-11-24")
	if !strings.Contains(out, "mysql-community-client,mysql-community-common") {
		t.Errorf("piped check lost its package lists:\n%s", out)
	}
	// --wide on a terminal shows every column in full, WHY too.
	out, _, _ = runTTY(t, dir, 80, nil, "--demo", "check", "--at", "2026-11-24", "--wide")
	if !strings.Contains(out, "WHY") || !strings.Contains(out, "mysql-community-client,mysql-community-common") {
		t.Errorf("--wide:\n%s", out)
	}
}

// Colour: a pipe and NO_COLOR give the same bytes, with no escape; a
// terminal gets colour unless NO_COLOR or --color never; --color always
// colours a pipe.
func TestColorModes(t *testing.T) {
	dir := loadDemo(t)
	args := []string{"--demo", "check", "--at", "2026-11-24"}
	pipe, _, _ := runTTY(t, dir, 0, nil, args...)
	noColor, _, _ := runTTY(t, dir, 0, map[string]string{"NO_COLOR": "1"}, args...)
	if pipe != noColor {
		t.Error("NO_COLOR changes piped output")
	}
	if strings.Contains(pipe, "\x1b") {
		t.Error("escape codes in piped output")
	}
	tty, _, _ := runTTY(t, dir, 300, nil, args...)
	if !strings.Contains(tty, "\x1b[31meol since") {
		t.Errorf("no colour on a terminal:\n%q", tty[:min(len(tty), 400)])
	}
	for _, env := range []map[string]string{{"NO_COLOR": "1"}, {"TERM": "dumb"}} {
		if out, _, _ := runTTY(t, dir, 300, env, args...); strings.Contains(out, "\x1b") {
			t.Errorf("%v: escapes on a terminal", env)
		}
	}
	if out, _, _ := runTTY(t, dir, 300, nil, append(args, "--color", "never")...); strings.Contains(out, "\x1b") {
		t.Error("--color never: escapes")
	}
	always, _, _ := runTTY(t, dir, 0, nil, append(args, "--color", "always")...)
	if !strings.Contains(always, "\x1b[31m") || stripEscapes(always) != pipe {
		t.Error("--color always on a pipe: no colour, or not the piped text with colour")
	}
	// Machine formats never carry colour.
	for _, f := range []string{"json", "yaml", "csv", "markdown"} {
		if out, _, _ := runTTY(t, dir, 300, nil, append(args, "--color", "always", "--output", f)...); strings.Contains(out, "\x1b") {
			t.Errorf("--output %s carries escapes", f)
		}
	}
}

func stripEscapes(s string) string {
	var b bytes.Buffer
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
