package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The stale-data warning counts the data's age from today, not --at; it
// shows once a day per database; its hint names the flags that choose the
// database; --quiet silences it.
func TestStaleWarningOncePerDay(t *testing.T) {
	dir := loadDemo(t)
	os.Remove(filepath.Join(dir, "upkeep", "demo.db.state.json")) // what loading the demo on the real day left
	day := func(s string) func() time.Time {
		d, _ := time.Parse(time.DateOnly, s)
		return func() time.Time { return d.Add(10 * time.Hour) }
	}
	check := func(now func() time.Time, args ...string) string {
		t.Helper()
		ios, _, errOut := testIO("")
		getenv := func(k string) string {
			if k == "XDG_DATA_HOME" {
				return dir
			}
			return ""
		}
		if code := runAt(context.Background(), append([]string{"--demo", "check", "--output", "json"}, args...), ios, getenv, now); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		return errOut.String()
	}
	const warn = "end-of-life data is"
	// Data of 2026-08-22 is 60 days old on 2026-10-21: no warning, even
	// judged at a day years ahead.
	if got := check(day("2026-10-21"), "--at", "2030-01-01"); strings.Contains(got, warn) {
		t.Errorf("warning for young data judged ahead: %q", got)
	}
	got := check(day("2027-01-10"), "--at", "2026-09-01")
	if !strings.Contains(got, "end-of-life data is 141 days old (2026-08-22)") || !strings.Contains(got, "'upkeep --demo data update'") {
		t.Errorf("first warning of the day: %q", got)
	}
	if got := check(day("2027-01-10")); strings.Contains(got, warn) {
		t.Errorf("second warning the same day: %q", got)
	}
	if got := check(day("2027-01-11"), "--quiet"); got != "" {
		t.Errorf("--quiet printed %q", got)
	}
	if got := check(day("2027-01-11")); !strings.Contains(got, "142 days old") {
		t.Errorf("no warning on the next day: %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "upkeep", "demo.db.state.json")); err != nil {
		t.Errorf("state file: %v", err)
	}
	// Another database, named with --db, has its own day, and the hint names it.
	other := filepath.Join(t.TempDir(), "fleet db.db")
	if err := os.WriteFile(other, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	ios, _, errOut := testIO("nginx\t1.20.0-1\n")
	runAt(context.Background(), []string{"--db", other, "check", "--os", "amzn:2", "--packages", "-"}, ios, func(string) string { return "" }, day("2027-01-11"))
	if !strings.Contains(errOut.String(), `'upkeep --db "`+other+`" data update'`) {
		t.Errorf("--db hint: %q", errOut.String())
	}
}
