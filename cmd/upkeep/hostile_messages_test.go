package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"upkeep/advisories"
	"upkeep/inventory"
	"upkeep/plan"
)

// hostileOutput is a collector output whose host names itself with C1 and
// bidi characters (an import refuses an ESC outright).
func hostileOutput(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	r := &inventory.Report{Format: 1, Facts: inventory.Facts{Hostname: "web\u009b31m\u202eevil", Kernel: "5.10.0", Arch: "x86_64",
		OS: inventory.OSRelease{ID: "amzn", VersionID: "2", Name: "Amazon Linux", PrettyName: "Amazon Linux 2\u202e"}},
		Packages: []inventory.Package{{Manager: "rpm", Name: "nginx", Version: "1.20.0", Release: "1\u202e", Arch: "x86_64"}}}
	if err := inventory.Encode(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Messages quote hosts too: warnings, notes ("skipping the newer scan
// ..."), errors naming an import file or a package line, completions,
// diffs, vercmp's complaint. Each command that can print host-set text is
// run on hostile data (evil: ESC, C1 CSI, CR, bidi override) and neither
// stream may carry a raw control or format character, with the exact exit
// code each case should have.
func TestHostileTextEveryMessage(t *testing.T) {
	dir := t.TempDir()
	saveHostileScan(t, dir, "1.20.0", true)
	saveHostileScan(t, dir, "1.24.0", true)
	saveHostileScan(t, dir, "1.26.0", false) // newest, interrupted: judging commands skip it and say so

	files := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(files, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pkgs := write("pkgs.tsv", "nginx"+evil+"\t1:1.20.0-2.amzn2"+evil+"\n"+"openssl\t1:1.0.2k-26.amzn2\n")
	badPkgs := write("bad.tsv", "nginx\t1.20.0\textra"+evil+"\tmore\n")
	evilName := write("web\x1b]2;owned\x07\u009b31m\rfake\u202e.out", "#upkeep-gzip \n") // a file name is a CSV field of --import: no quote
	hostOut := write("host.out", string(hostileOutput(t)))

	at := []string{"--at", "2026-11-24"}
	cases := []struct {
		args []string
		code int
	}{
		{append([]string{"check", "--all"}, at...), 0},
		{append([]string{"check", "--os", "amzn:2", "--packages", pkgs, "--all"}, at...), 0},
		{append([]string{"check", "--os", "amzn:2", "--packages", badPkgs}, at...), 2},
		{[]string{"diff", "1", "2"}, 0},
		{[]string{"diff", "1", "2", "--output", "markdown"}, 0},
		{[]string{"drift"}, 0},
		{[]string{"inventory", "--status", "failed"}, 0},
		{[]string{"inventory", "scans"}, 0},
		{[]string{"scans"}, 0},
		{[]string{"scan", "--import", evilName}, 1},
		{[]string{"scan", "--import", hostOut}, 0},
		{[]string{"vercmp", "1" + evil, "2"}, 0},
		{[]string{"__complete", "check", "--host", ""}, 0},
		{[]string{"__complete", "inventory", "--scan", ""}, 0},
		{[]string{"__complete", "scan", "--tag", ""}, 0},
		{[]string{"__complete", "scan", "--region", ""}, 0},
	}
	for _, c := range cases {
		name := strings.Join(c.args, " ")
		out, stderr, code := runTTY(t, dir, 0, map[string]string{"NO_COLOR": "1"}, c.args...)
		if code != c.code {
			t.Errorf("%s: exit %d, want %d: %s", name, code, c.code, firstLine(stderr))
		}
		if !inert(stderr) {
			t.Errorf("%s: stderr carries control characters: %q", name, firstBad(stderr))
		}
		if c.args[0] == "__complete" {
			out = strings.ReplaceAll(out, "\t", " ") // a completion is "value<TAB>description"
		}
		if !inert(out) {
			t.Errorf("%s: stdout carries control characters: %q", name, firstBad(out))
		}
	}

	// vercmp's batch mode names the line it cannot read.
	ios, out, errOut := testIO("1.0\t" + evil + "\tx\n")
	if code := run(t.Context(), []string{"vercmp"}, ios, func(string) string { return "" }); code != 2 {
		t.Errorf("vercmp on a bad line: exit %d, want 2", code)
	}
	if !inert(out.String()) || !inert(errOut.String()) {
		t.Errorf("vercmp on a bad line: %q %q", out, errOut)
	}
}

// The demo's lines about this machine quote what it said about itself.
func TestHostileDemoLines(t *testing.T) {
	ob := inventory.Observation{Host: inventory.Host{ID: "i-0" + evil, Name: "web" + evil},
		Report: &inventory.Report{Facts: inventory.Facts{OS: inventory.OSRelease{ID: "amzn", VersionID: "2", PrettyName: evil}}}}
	var b bytes.Buffer
	writeLocalLine(&b, ob, advisories.HostReport{})
	if !inert(b.String()) || !strings.Contains(b.String(), `\x1b]2;owned`) {
		t.Errorf("this machine's line: %q", b.String())
	}
	b.Reset()
	if err := writeDemoFindings(&b, demoFindings{Steps: 1, Waves: 1, FirstSteps: []*plan.Step{{Number: 1, ProductLabel: evil, Cohort: evil, From: evil, To: evil, Risk: plan.RiskLow}}}); err != nil {
		t.Fatal(err)
	}
	if !inert(b.String()) {
		t.Errorf("demo findings: %q", firstBad(b.String()))
	}
	b.Reset()
	sum := demoSummary{Hosts: 1, ScanID: 1, ByOS: []count{{Key: evil, Count: 1}}, ByStatus: []count{{Key: evil, Count: 1}},
		Middleware: []middlewareSpread{{Product: evil, Hosts: 1, Versions: []count{{Key: evil, Count: 1}}}}}
	if err := writeDemoSummary(&b, sum, nil); err != nil {
		t.Fatal(err)
	}
	if !inert(b.String()) {
		t.Errorf("demo summary: %q", firstBad(b.String()))
	}
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
