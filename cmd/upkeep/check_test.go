package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"upkeep/internal/synth"
	"upkeep/inventory"
	"upkeep/inventory/store"
)

// runAdv runs upkeep in-process with its data folder under dir.
func runAdv(t *testing.T, dir, stdin string, args ...string) (string, string, int) {
	t.Helper()
	ios, out, errOut := testIO(stdin)
	getenv := func(k string) string {
		if k == "XDG_DATA_HOME" {
			return dir
		}
		return ""
	}
	code := run(context.Background(), args, ios, getenv)
	return out.String(), errOut.String(), code
}

// loadDemo returns a fresh data folder holding the bundled demo fleet (not
// this machine), as `upkeep demo --no-local` leaves it (a copy of one load
// per test binary: demo_template_test.go).
func loadDemo(t *testing.T) string {
	t.Helper()
	return copyDemo(t, "now", time.Now)
}

type findingOut struct {
	HostName        string   `json:"host_name"`
	Kind            string   `json:"kind"`
	Package         string   `json:"package"`
	Packages        []string `json:"packages"`
	Product         string   `json:"product"`
	UpstreamVersion string   `json:"upstream_version"`
	Cycle           string   `json:"cycle"`
	Status          string   `json:"status"`
	EOLDate         string   `json:"eol_date"`
	Source          string   `json:"source"`
	AL2023          string   `json:"al2023"`
	Key             string   `json:"key"`
	DataDate        string   `json:"data_date"`
}

// TestCheckDemoGolden pins check on the demo fleet at 2026-11-24 and checks
// what the fleet was built to show.
func TestCheckDemoGolden(t *testing.T) {
	dir := loadDemo(t)
	for _, tc := range []struct{ name, format string }{{"check.md", "markdown"}, {"check.json", "json"}} {
		out, stderr, code := runAdv(t, dir, "", "--demo", "check", "--at", "2026-11-24", "--output", tc.format)
		if code != 0 {
			t.Fatalf("check --output %s: exit %d\n%s", tc.format, code, stderr)
		}
		assertGolden(t, filepath.Join("advisories", tc.name+".golden"), out)
	}
	out, _, _ := runAdv(t, dir, "", "--demo", "check", "--at", "2026-11-24", "--output", "json")
	var fs []findingOut
	if err := json.Unmarshal([]byte(out), &fs); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range fs {
		if f.DataDate != "2026-08-22" {
			t.Fatalf("finding %s has data date %q", f.Key, f.DataDate)
		}
		if f.Status == "unknown" && f.Product != "" && f.Kind != "package" {
			t.Logf("unknown: %+v", f)
		}
		switch {
		case f.Kind == "probe" && f.Product == "nginx" && f.UpstreamVersion == "1.10.3":
			if f.Status != "eol" || f.Source != "hand-built" || f.Cycle != "1.10" {
				t.Errorf("hand-built nginx: %+v", f)
			}
			seen["nginx-1.10"] = true
		case f.Kind == "os" && f.Product == "amazon-linux" && f.Cycle == "2":
			if f.Status != "eol" || f.EOLDate != "2026-06-30" {
				t.Errorf("Amazon Linux 2: %+v", f)
			}
			seen["al2"] = true
		case f.Product == "openssl" && f.Cycle == "1.0.2":
			if f.Status != "eol" || f.AL2023 != "newer-only" {
				t.Errorf("openssl 1.0.2k on AL2: %+v", f)
			}
			seen["openssl"] = true
		case f.Product == "php" && f.Cycle == "7.4":
			seen["php"] = true
		case f.Product == "mysql" && f.Cycle == "5.7":
			if f.Status != "eol" || f.AL2023 != "replaced" {
				t.Errorf("mysql 5.7: %+v", f)
			}
			seen["mysql"] = true
		case f.Product == "nginx" && f.Cycle == "1.18" && f.Kind == "package":
			seen["nginx-1.18-"+f.Status] = true
		}
	}
	for _, k := range []string{"nginx-1.10", "al2", "openssl", "php", "mysql", "nginx-1.18-eol-soon"} {
		if !seen[k] {
			t.Errorf("demo check has no %s finding", k)
		}
	}

	// Filters.
	out, _, code := runAdv(t, dir, "", "--demo", "check", "--at", "2026-11-24", "--host", "prod-web-01", "--status", "eol", "--output", "json")
	if code != 0 {
		t.Fatalf("filtered check: exit %d", code)
	}
	fs = nil
	if err := json.Unmarshal([]byte(out), &fs); err != nil {
		t.Fatal(err)
	}
	if len(fs) == 0 {
		t.Fatal("filtered check printed nothing")
	}
	for _, f := range fs {
		if f.HostName != "prod-web-01" || f.Status != "eol" {
			t.Errorf("filter let through %+v", f)
		}
	}
	if _, stderr, code := runAdv(t, dir, "", "--demo", "check", "--host", "no-such-host"); code != 2 || !strings.Contains(stderr, "no such host") {
		t.Errorf("unknown host: exit %d, %q", code, stderr)
	}
}

type hostOut struct {
	Host      string `json:"host"`
	HostName  string `json:"host_name"`
	OS        string `json:"os"`
	Readiness string `json:"readiness"`
	Entries   []struct {
		Key          string `json:"key"`
		Severity     string `json:"severity"`
		Inhibitor    bool   `json:"inhibitor"`
		Summary      string `json:"summary"`
		Remediation  string `json:"remediation"`
		Availability string `json:"availability"`
	} `json:"entries"`
}

// TestReadinessDemoGolden pins readiness on the demo fleet and checks its
// JSON contract: every host with os, readiness and entries, each entry with
// severity, summary, remediation and a key.
func TestReadinessDemoGolden(t *testing.T) {
	dir := loadDemo(t)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"readiness.txt", []string{"--output", "table"}},
		{"readiness.json", []string{"--output", "json"}},
		{"readiness-prod-db-01.md", []string{"--host", "prod-db-01", "--output", "markdown"}},
	} {
		args := append([]string{"--demo", "readiness", "--at", "2026-11-24"}, tc.args...)
		out, stderr, code := runAdv(t, dir, "", args...)
		if code != 0 {
			t.Fatalf("readiness %v: exit %d\n%s", tc.args, code, stderr)
		}
		assertGolden(t, filepath.Join("advisories", tc.name+".golden"), out)
	}
	out, _, _ := runAdv(t, dir, "", "--demo", "readiness", "--at", "2026-11-24", "--output", "json")
	var hs []hostOut
	if err := json.Unmarshal([]byte(out), &hs); err != nil {
		t.Fatal(err)
	}
	if len(hs) != 33 {
		t.Errorf("%d hosts, want the 33 demo hosts", len(hs))
	}
	count := map[string]int{}
	keys := map[string]bool{}
	for _, h := range hs {
		count[h.Readiness]++
		if h.Host == "" || h.OS == "" || len(h.Entries) == 0 {
			t.Errorf("host %+v lacks host, os or entries", h)
		}
		for _, e := range h.Entries {
			if e.Key == "" || e.Summary == "" || e.Remediation == "" || e.Severity == "" {
				t.Errorf("%s: incomplete entry %+v", h.HostName, e)
			}
			if keys[e.Key] {
				t.Errorf("duplicate key %s", e.Key)
			}
			keys[e.Key] = true
		}
		if strings.HasPrefix(h.OS, "amzn:2023") && h.Readiness != "ready" {
			t.Errorf("%s is on AL2023 but %s", h.HostName, h.Readiness)
		}
	}
	// No demo host is blocked: MySQL, the one product AL2023 does not ship,
	// comes from Oracle's repository, which serves AL2023 (needs-work).
	if count["ready"] == 0 || count["needs-work"] == 0 || count["blocked"] != 0 {
		t.Errorf("want ready and needs-work hosts and none blocked on the demo fleet, got %v", count)
	}

	out, stderr, code := runAdv(t, dir, "", "--demo", "readiness", "--at", "2026-11-24", "--fail-on", "blocked")
	if code != 0 || !strings.Contains(out, "READINESS") {
		t.Errorf("readiness --fail-on blocked: exit %d, stderr %q", code, stderr)
	}
	if _, _, code := runAdv(t, dir, "", "--demo", "readiness", "--host", "dev-cache-10", "--fail-on", "blocked"); code != 0 {
		t.Errorf("an AL2023 host is not blocked, got exit %d", code)
	}
	if _, _, code := runAdv(t, dir, "", "--demo", "readiness", "--fail-on", "eol"); code != 2 {
		t.Errorf("readiness --fail-on eol: exit %d, want 2", code)
	}
	if _, _, code := runAdv(t, dir, "", "--demo", "check", "--at", "2026-11-24", "--fail-on", "eol"); code != 1 {
		t.Errorf("check --fail-on eol on the demo fleet: exit %d, want 1", code)
	}
	if _, _, code := runAdv(t, dir, "", "--demo", "check", "--at", "2026-11-24", "--fail-on", "blocked"); code != 0 {
		t.Errorf("check --fail-on blocked on the demo fleet (no host blocked): exit %d, want 0", code)
	}
}

// TestNoScan: check without a scan says what to do instead of failing oddly.
func TestNoScan(t *testing.T) {
	_, stderr, code := runAdv(t, t.TempDir(), "", "check")
	if code != 1 || !strings.Contains(stderr, "no scan in the database yet: run 'upkeep scan'") {
		t.Errorf("exit %d, %q", code, stderr)
	}
}

// BenchmarkCheck10k runs the whole `upkeep check --output json` on a stored
// 10,000-host synthetic scan: open the database, read the scan, judge it,
// write the report. The 2 s target is for this.
func BenchmarkCheck10k(b *testing.B) {
	const n = 10000
	dir := b.TempDir()
	db := filepath.Join(dir, "bench.db")
	saveSynth(b, db, n)
	for _, format := range []string{"table", "json"} {
		b.Run(format, func(b *testing.B) {
			for b.Loop() {
				ios, out, errOut := testIO("")
				getenv := func(string) string { return "" }
				code := run(context.Background(), []string{"--db", db, "check", "--at", "2026-11-24", "--output", format}, ios, getenv)
				if code != 0 {
					b.Fatalf("check: exit %d: %s", code, errOut)
				}
				if out.Len() < n*100 {
					b.Fatalf("report too short: %d bytes", out.Len())
				}
				b.ReportMetric(float64(bytes.Count(out.Bytes(), []byte("\n"))-2), "findings")
				b.ReportMetric(float64(out.Len())/1e6, "MB-out")
			}
		})
	}
}

func saveSynth(b *testing.B, path string, n int) {
	b.Helper()
	ctx := context.Background()
	fleet, err := synth.Fleet(n, 1)
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	t0 := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	id, err := st.BeginScan(ctx, inventory.Scan{Source: "import", Started: t0})
	if err != nil {
		b.Fatal(err)
	}
	var batch []inventory.Observation
	for i, r := range fleet {
		batch = append(batch, inventory.Observation{ScanID: id, Host: inventory.Host{ID: synth.InstanceID(1, i), Name: r.Facts.Hostname, Tags: r.Tags},
			Status: inventory.StatusOK, Report: r})
		if len(batch) == 128 || i == len(fleet)-1 {
			if err := st.SaveObservations(ctx, batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	if err := st.FinishScan(ctx, id, t0.Add(time.Hour)); err != nil {
		b.Fatal(err)
	}
}
