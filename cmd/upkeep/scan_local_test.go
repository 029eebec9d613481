package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"upkeep/internal/synth"
)

// TestImportExitCodes pins the exit code of each import outcome, which the
// testscripts can only see as "failed or not".
func TestImportExitCodes(t *testing.T) {
	dir := t.TempDir()
	fleet, err := synth.Fleet(3, 1)
	if err != nil {
		t.Fatal(err)
	}
	paths, err := synth.WriteDir(filepath.Join(dir, "fleet"), fleet)
	if err != nil {
		t.Fatal(err)
	}
	good := paths[0]
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.out")
	if err := os.WriteFile(cut, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	junk := filepath.Join(dir, "junk.out")
	if err := os.WriteFile(junk, []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"all ok", []string{good}, exitOK, "1 ok"},
		{"folder", []string{filepath.Join(dir, "fleet")}, exitOK, "imported 3 files as 3 hosts: 3 ok"},
		{"some failed", []string{good, cut}, exitPartial, "1 ok, 1 truncated"},
		{"none ok", []string{junk, cut}, exitFailure, "1 truncated, 1 unparsable"},
		{"missing file", []string{filepath.Join(dir, "nope")}, exitUsage, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, out, errOut := testIO("")
			db := filepath.Join(t.TempDir(), "u.db")
			code := run(context.Background(), []string{"--db", db, "scan", "--import", strings.Join(tt.args, ",")}, ios, func(string) string { return "" })
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, errOut)
			}
			if !strings.Contains(errOut.String(), tt.stderr) {
				t.Errorf("stderr %q does not say %q", errOut, tt.stderr)
			}
			if out.Len() != 0 {
				t.Errorf("import wrote to stdout: %q", out)
			}
		})
	}
}
