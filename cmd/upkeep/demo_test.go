package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"upkeep/internal/synth"
	"upkeep/inventory"
	"upkeep/inventory/store"
	"upkeep/plan"
)

// runDemoTest runs a demo command whose local scan is replaced, and the
// streams it writes to.
func runDemoTest(t *testing.T, scanLocal func(context.Context) ([]byte, error)) (stdout, stderr string, db string) {
	t.Helper()
	ios, out, errOut := testIO("")
	data := t.TempDir()
	getenv := func(k string) string {
		if k == "XDG_DATA_HOME" {
			return data
		}
		return ""
	}
	f := &factory{io: ios, getenv: getenv, now: func() time.Time { return time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC) }}
	o := &demoOptions{f: f, scanLocal: scanLocal, localTimeout: 100 * time.Millisecond}
	if err := o.run(context.Background()); err != nil {
		t.Fatalf("demo: %v\nstderr: %s", err, errOut)
	}
	return out.String(), errOut.String(), filepath.Join(data, "upkeep", "demo.db")
}

// TestDemoLocalScanFails: the demo goes on, says why on stderr, and keeps
// the failed host as a row.
func TestDemoLocalScanFails(t *testing.T) {
	tests := []struct {
		name    string
		scan    func(context.Context) ([]byte, error)
		wantErr string
	}{
		{"collector error", func(context.Context) ([]byte, error) { return nil, errors.New("sh: not found") }, "sh: not found"},
		{"unparsable output", func(context.Context) ([]byte, error) { return []byte("#upkeep-collector 1\nX\n"), nil }, "unparsable"},
		{"cut short", func(context.Context) ([]byte, error) { return []byte("#upkeep-collector 1\nH\thostname\tx\n"), nil }, "truncated"},
		{"too slow", func(ctx context.Context) ([]byte, error) { <-ctx.Done(); return nil, ctx.Err() }, "took longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, path := runDemoTest(t, tt.scan)
			if !strings.Contains(stderr, tt.wantErr) || !strings.Contains(stderr, "the demo goes on") {
				t.Errorf("stderr %q: want %q and that the demo goes on", stderr, tt.wantErr)
			}
			if !strings.Contains(stdout, "upkeep demo: the bundled fleet, 33 hosts") || !regexpMatch(`ok +33\n`, stdout) {
				t.Errorf("summary does not show the 33 ok hosts of the bundled fleet:\n%s", stdout)
			}
			db, err := store.Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			scan, err := db.LatestScan(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if scan.Source != "demo" || scan.Finished.IsZero() {
				t.Errorf("scan %+v: want a finished demo scan", scan)
			}
			hosts, err := db.Hosts(context.Background(), scan.ID)
			if err != nil {
				t.Fatal(err)
			}
			notOK := 0
			for _, h := range hosts {
				if h.Status != "ok" {
					notOK++
				}
			}
			if len(hosts) != 34 || notOK != 1 {
				t.Errorf("stored %d hosts, %d not ok; want 34 with this machine's failed row", len(hosts), notOK)
			}
		})
	}
}

// TestDemoSummarySameEveryRun: the summary on stdout is the bundled
// fleet's, byte for byte the same whether this machine's scan succeeds, is
// slow past its budget or fails; only stderr tells them apart.
func TestDemoSummarySameEveryRun(t *testing.T) {
	fleet, err := synth.Fleet(1, 7)
	if err != nil {
		t.Fatal(err)
	}
	var good bytes.Buffer
	if err := inventory.Encode(&good, fleet[0]); err != nil {
		t.Fatal(err)
	}
	scans := []struct {
		name   string
		scan   func(context.Context) ([]byte, error)
		stderr string
	}{
		{"scanned", func(context.Context) ([]byte, error) { return good.Bytes(), nil }, "This machine, "},
		{"slow", func(ctx context.Context) ([]byte, error) { <-ctx.Done(); return nil, ctx.Err() }, "took longer than"},
		{"failed", func(context.Context) ([]byte, error) { return nil, errors.New("exec: sh: not found") }, "sh: not found"},
	}
	var first string
	for i, sc := range scans {
		stdout, stderr, _ := runDemoTest(t, sc.scan)
		if !strings.Contains(stderr, sc.stderr) {
			t.Errorf("%s: stderr %q lacks %q", sc.name, stderr, sc.stderr)
		}
		if i == 0 {
			first = stdout
			if !strings.Contains(stdout, "past end of life") {
				t.Fatalf("no headline in:\n%s", stdout)
			}
			continue
		}
		if stdout != first {
			t.Errorf("summary with this machine %s differs from the one with it %s:\n%s\n---\n%s", sc.name, scans[0].name, stdout, first)
		}
	}
}

// TestDemoSummary checks the summary against the bundled fleet, with this
// machine left out so the numbers are exact.
func TestDemoSummary(t *testing.T) {
	ios, out, errOut := testIO("")
	data := t.TempDir()
	f := &factory{io: ios, getenv: func(k string) string {
		if k == "XDG_DATA_HOME" {
			return data
		}
		return ""
	}, now: time.Now}
	o := &demoOptions{f: f, noLocal: true, scanLocal: func(context.Context) ([]byte, error) {
		t.Error("--no-local ran the collector")
		return nil, nil
	}}
	o.judging.at, o.judging.within = "2026-11-24", 180 // the flags' defaults are not bound here
	if err := o.run(context.Background()); err != nil {
		t.Fatalf("%v: %s", err, errOut)
	}
	db, err := store.Open(context.Background(), filepath.Join(data, "upkeep", "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sum, err := summarize(context.Background(), db, 1)
	if err != nil {
		t.Fatal(err)
	}
	wantOS := []count{{"Amazon Linux 2", 17}, {"Ubuntu 22.04", 5}, {"Amazon Linux 2023", 4}, {"Ubuntu 20.04", 3},
		{"Debian GNU/Linux 11", 2}, {"Debian GNU/Linux 12", 1}, {"Rocky Linux 9.3", 1}}
	if !slices.Equal(sum.ByOS, wantOS) {
		t.Errorf("by OS %v, want %v", sum.ByOS, wantOS)
	}
	if sum.Hosts != 33 || !slices.Equal(sum.ByStatus, []count{{"ok", 33}}) {
		t.Errorf("%d hosts, statuses %v; want 33 ok", sum.Hosts, sum.ByStatus)
	}
	if len(sum.Middleware) == 0 || sum.Middleware[0].Product != "nginx" {
		t.Fatalf("middleware %+v: want nginx first", sum.Middleware)
	}
	// The hand-built nginx has no package: only the probe can count it.
	wantNginx := []count{{"1.10.3", 7}, {"1.18.0", 7}, {"1.22.1", 2}, {"1.24.0", 2}}
	if got := sum.Middleware[0]; got.Hosts != 18 || !slices.Equal(got.Versions, wantNginx) {
		t.Errorf("nginx spread %v on %d hosts, want %v on 18", got.Versions, got.Hosts, wantNginx)
	}
	// The headline is what check, readiness and plan say of the same scan
	// (their own golden tests pin the details).
	for _, want := range []string{
		"judged at 2026-11-24 with end-of-life data of 2026-08-22",
		"past end of life         25 hosts (135 findings)",
		"end of life soon          8 hosts",
		"Amazon Linux 2023         4 ready, 29 need work, 0 blocked",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if !regexpMatch(`upgrade plan +\d+ steps in 3 waves; the first:\n    1\. \[dev\] `, out.String()) {
		t.Errorf("summary does not start the plan with the dev wave:\n%s", out)
	}
	if !strings.Contains(out.String(), "What to try next") {
		t.Errorf("no next steps in:\n%s", out)
	}
}

func TestSortCounts(t *testing.T) {
	got := sortCounts(map[string]int{"b": 2, "a": 2, "c": 5, "d": 1})
	want := []count{{"c", 5}, {"a", 2}, {"b", 2}, {"d", 1}}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func regexpMatch(pattern, s string) bool { return regexp.MustCompile(pattern).MatchString(s) }

// TestDemoFindingsNameTheNewProduct: a first step that moves to another
// product names it, as the plan does ("Redis 5.0.7 → Valkey 7.2").
func TestDemoFindingsNameTheNewProduct(t *testing.T) {
	var b strings.Builder
	h := demoFindings{Steps: 1, Waves: 1, FirstSteps: []*plan.Step{{Number: 2, Wave: "dev", ProductLabel: "Redis",
		From: "5.0.7", To: "7.2", ToLabel: "Valkey", Cohort: "cache/dev", Risk: plan.RiskMedium}}}
	if err := writeDemoFindings(&b, h); err != nil {
		t.Fatal(err)
	}
	if want := "2. [dev] Redis 5.0.7 → Valkey 7.2 on cache/dev (medium risk)"; !strings.Contains(b.String(), want) {
		t.Errorf("demo findings:\n%s\nwant a line %q", b.String(), want)
	}
}
