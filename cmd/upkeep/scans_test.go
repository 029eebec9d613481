package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"upkeep/internal/synth"
	"upkeep/inventory"
	"upkeep/inventory/store"
)

// interruptedDB stores a finished scan of 3 hosts, then a scan that meant
// to import 5 hosts and stopped after 2, as an import killed half way does.
func interruptedDB(t *testing.T) (dir string, db *store.DB, good, cut int64) {
	t.Helper()
	dir = t.TempDir()
	ctx := context.Background()
	if err := os.MkdirAll(filepath.Join(dir, "upkeep"), 0o755); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, filepath.Join(dir, "upkeep", "upkeep.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	fleet, err := synth.Fleet(3, 1)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	save := func(expected, hosts int, finish bool) int64 {
		id, err := db.BeginScan(ctx, inventory.Scan{Source: "import", Targets: "fleet", Started: at, Expected: expected})
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range fleet[:hosts] {
			o := inventory.Observation{ScanID: id, Host: inventory.Host{ID: synth.InstanceID(1, i), Name: r.Facts.Hostname}, Status: inventory.StatusOK, Report: r}
			if err := db.SaveObservation(ctx, o); err != nil {
				t.Fatal(err)
			}
		}
		if finish {
			if err := db.FinishScan(ctx, id, at.Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		return id
	}
	good = save(3, 3, true)
	cut = save(5, 2, false)
	return dir, db, good, cut
}

// TestInterruptedScanNotJudged: the interrupted import is skipped by
// default (and said so); asked for with --scan it is judged with a warning,
// and its 3 hosts never stored count as not scanned.
func TestInterruptedScanNotJudged(t *testing.T) {
	dir, _, good, cut := interruptedDB(t)
	for _, cmd := range []string{"check", "readiness", "plan", "report"} {
		_, stderr, code := runAdv(t, dir, "", cmd, "--at", "2026-11-24", "--output", "json")
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s", cmd, code, stderr)
		}
		want := "judging scan 1 (complete, 2026-11-20 09:00); skipped newer scan 2 (interrupted: it never finished (killed, cancelled with Ctrl-C, or still running); it stored 2 of the 5 hosts it meant to)"
		if !strings.Contains(stderr, want) || good != 1 || cut != 2 {
			t.Errorf("%s: stderr does not say which scan it judges and why:\n%s", cmd, stderr)
		}
	}

	stdout, stderr, code := runAdv(t, dir, "", "report", "--at", "2026-11-24", "--output", "json", "--scan", "2")
	if code != 0 {
		t.Fatalf("report --scan 2: exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"warning: scan 2 is interrupted", "did not store 3 of the 5 hosts it meant to scan"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("report --scan 2: stderr lacks %q:\n%s", want, stderr)
		}
	}
	var rep struct {
		Summary struct {
			Hosts      int `json:"hosts"`
			NotScanned int `json:"not_scanned"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("report json: %v\n%.300s", err, stdout)
	}
	if rep.Summary.Hosts != 5 || rep.Summary.NotScanned != 3 {
		t.Errorf("report --scan 2: %d hosts, %d not scanned; want 5 and 3", rep.Summary.Hosts, rep.Summary.NotScanned)
	}
	_, stderr, code = runAdv(t, dir, "", "check", "--at", "2026-11-24", "--scan", "2")
	if code != 0 || !strings.Contains(stderr, "3 hosts of the scan have no package data") {
		t.Errorf("check --scan 2: exit %d, stderr:\n%s", code, stderr)
	}
}

// TestReadersDuringWrite: while another connection holds the write lock (a
// long import), inventory scans and check still work.
func TestReadersDuringWrite(t *testing.T) {
	dir, _, _, _ := interruptedDB(t)
	ctx := context.Background()
	w, err := store.Open(ctx, filepath.Join(dir, "upkeep", "upkeep.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.HoldWriteLock(ctx, func() {
		for _, args := range [][]string{{"inventory", "scans"}, {"check", "--at", "2026-11-24"}, {"inventory"}, {"scans"}} {
			stdout, stderr, code := runAdv(t, dir, "", args...)
			if code != 0 || stdout == "" {
				t.Errorf("%s while a writer holds the lock: exit %d\n%s", strings.Join(args, " "), code, stderr)
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
}
