package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"gopkg.in/yaml.v3"

	"upkeep/inventory"
	"upkeep/inventory/store"
)

// evil is what a hostile host or a tampered SSM answer can put in any
// field: terminal escapes (a title change, a screen clear, a C1 CSI), a
// carriage return that would overwrite the line, bidi overrides and
// isolates, HTML, a Markdown link, pipes and a formula.
const evil = "=HYPERLINK(\"http:x\")\x1b]2;owned\x07\x1b[2J\u009b31m\rfake\u202eevil\u2066\u200e<script>alert(1)<img src=x onerror=alert(1)>[x](javascript:alert(1))|`"

// saveHostile stores one scan with hostile values in every field a host or
// SSM sets, and one megabyte-long version.
func saveHostile(t *testing.T, dir string) { saveHostileScan(t, dir, "1.20.0", true) }

// saveHostileScan stores a hostile scan whose nginx has the version given,
// finished or left interrupted.
func saveHostileScan(t *testing.T, dir, nginx string, finish bool) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(dir, "upkeep", "upkeep.db")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	t0 := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	id, err := st.BeginScan(ctx, inventory.Scan{Source: "import", Targets: evil, Started: t0})
	if err != nil {
		t.Fatal(err)
	}
	tags := map[string]string{"Env": "prod" + evil, "Role": "-web" + evil}
	rep := &inventory.Report{
		Format: 1,
		Facts: inventory.Facts{Hostname: "web" + evil, Kernel: "4.14.355-1.amzn2" + evil, Arch: "x86_64", CollectedAt: t0,
			OS: inventory.OSRelease{ID: "amzn", VersionID: "2", Name: "Amazon Linux", PrettyName: "Amazon Linux 2" + evil}},
		Packages: []inventory.Package{
			{Manager: "rpm", Name: "nginx", Version: nginx, Release: "2.amzn2.0.5" + evil, Arch: "x86_64", Vendor: "Amazon" + evil},
			{Manager: "rpm", Name: "openssl", Version: "1.0.2k", Release: "26.amzn2", Arch: "x86_64", Vendor: "@evil" + evil},
			{Manager: "rpm", Name: "+evil" + evil, Version: strings.Repeat("9", 1<<20), Release: "1", Arch: "noarch", Vendor: evil},
		},
		Tags: tags,
	}
	obs := []inventory.Observation{
		{ScanID: id, Host: inventory.Host{ID: "i-0evil" + evil, Name: "web" + evil, Source: "import", Region: evil, Tags: tags,
			Platform: evil, IPAddress: evil}, Status: inventory.StatusOK, Report: rep},
		{ScanID: id, Host: inventory.Host{ID: "i-0failed", Name: "-db" + evil, Source: "import"}, Status: inventory.StatusFailed, Error: "collector said " + evil},
	}
	if err := st.SaveObservations(ctx, obs); err != nil {
		t.Fatal(err)
	}
	if !finish {
		return
	}
	if err := st.FinishScan(ctx, id, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
}

// Every command, in every format, keeps hostile values inert: no control
// or format character reaches a table, Markdown or prose; Markdown carries
// no HTML; no CSV cell is a formula; JSON and YAML parse; and a megabyte
// value does not blow a table up.
func TestHostileValuesEveryCommand(t *testing.T) {
	dir := t.TempDir()
	saveHostile(t, dir)
	at := []string{"--at", "2026-11-24"}
	type tc struct {
		args    []string
		formats []string
	}
	all := []string{"table", "json", "yaml", "csv"}
	cases := []tc{
		{[]string{"inventory"}, append(all, "cyclonedx")},
		{[]string{"inventory", "packages"}, all},
		{[]string{"inventory", "where", "*"}, all},
		{[]string{"inventory", "scans"}, all},
		{append([]string{"check", "--all"}, at...), append(all, "markdown")},
		{append([]string{"check", "--all", "--wide"}, at...), []string{"table"}},
		{append([]string{"readiness"}, at...), append(all, "markdown")},
		{append([]string{"readiness", "--host", "i-0evil*"}, at...), append(all, "markdown")},
		{append([]string{"plan", "--all"}, at...), append(all, "markdown")},
		{append([]string{"plan", "--long"}, at...), []string{"table"}},
		{append([]string{"plan", "--explain", "1"}, at...), []string{"table"}},
		{append([]string{"report"}, at...), []string{"markdown", "json", "yaml"}},
	}
	for _, c := range cases {
		for _, f := range c.formats {
			for _, width := range []int{0, 100} {
				if width > 0 && f != "table" {
					continue
				}
				args := append(append([]string{}, c.args...), "--output", f)
				out, stderr, code := runTTY(t, dir, width, map[string]string{"NO_COLOR": "1"}, args...)
				name := strings.Join(args, " ")
				if code != 0 {
					t.Errorf("%s: exit %d: %s", name, code, stderr)
					continue
				}
				if !inert(stderr) {
					t.Errorf("%s: stderr carries control characters: %q", name, stderr)
				}
				switch f {
				case "table", "markdown":
					if !inert(out) {
						t.Errorf("%s (width %d): control characters reach the output: %q", name, width, firstBad(out))
					}
					if len(out) > 512<<10 {
						t.Errorf("%s (width %d): %d bytes: a megabyte value blew the table up", name, width, len(out))
					}
					if f == "markdown" && (strings.Contains(out, "<script") || strings.Contains(strings.ReplaceAll(out, `\](`, ""), "](javascript")) {
						t.Errorf("%s: markdown passes HTML or a link", name)
					}
				case "csv":
					recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
					if err != nil {
						t.Errorf("%s: %v", name, err)
					}
					for _, r := range recs {
						for _, cell := range r {
							if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) && !isNum(cell) {
								t.Errorf("%s: a formula cell %q", name, cell[:min(40, len(cell))])
							}
						}
					}
				case "json", "cyclonedx":
					if !inert(out) {
						t.Errorf("%s: control or format characters reach the JSON raw: %q", name, firstBad(out))
					}
					if !json.Valid([]byte(out)) {
						t.Errorf("%s: invalid JSON", name)
					}
					if !strings.Contains(out, `\u001b]2;owned`) {
						t.Errorf("%s: JSON lost the raw value", name)
					}
				case "yaml":
					if !inert(out) {
						t.Errorf("%s: control or format characters reach the YAML raw: %q", name, firstBad(out))
					}
					var v any
					if err := yaml.Unmarshal([]byte(out), &v); err != nil {
						t.Errorf("%s: invalid YAML: %v", name, err)
					}
				}
			}
		}
	}
}

// inert: no control character but newlines, no C1, no format control.
func inert(s string) bool {
	for _, r := range s {
		if (r < 0x20 && r != '\n') || (r >= 0x7f && r <= 0x9f) || r == 0x2028 || r == 0x2029 || unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}

func isNum(s string) bool {
	s = strings.TrimLeft(s, "+-")
	return s != "" && strings.Trim(s, "0123456789.") == ""
}

func firstBad(s string) string {
	for i, r := range s {
		if !inert(string(r)) {
			return s[max(0, i-60):min(len(s), i+20)]
		}
	}
	return ""
}
