package store

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"upkeep/internal/synth"
	"upkeep/inventory"
)

// fileSize checkpoints the WAL into the database file and returns the
// file's size, so that what a scan added is counted whether or not it was
// still in the WAL.
func fileSize(t testing.TB, db *DB) int64 {
	t.Helper()
	if _, err := db.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(db.Path())
	if err != nil {
		t.Fatal(err)
	}
	wal, err := os.Stat(db.Path() + "-wal")
	if err == nil {
		return st.Size() + wal.Size()
	}
	return st.Size()
}

func saveFleet(t testing.TB, db *DB, fleet []*inventory.Report, started time.Time) {
	t.Helper()
	ctx := context.Background()
	id, err := db.BeginScan(ctx, inventory.Scan{Source: "import", Targets: "synth", Started: started, Expected: len(fleet)})
	if err != nil {
		t.Fatal(err)
	}
	var batch []inventory.Observation
	for i, r := range fleet {
		batch = append(batch, inventory.Observation{ScanID: id, Status: inventory.StatusOK, Report: r,
			Host: inventory.Host{ID: synth.InstanceID(1, i), Name: r.Facts.Hostname, Source: "import"}})
		if len(batch) == 128 || i == len(fleet)-1 {
			if err := db.SaveObservations(ctx, batch); err != nil {
				t.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	if err := db.FinishScan(ctx, id, started.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
}

// TestRescanGrowth: rescanning an unchanged fleet costs about one small row
// per host. 10,000 hosts must grow the file by at most 0.5 MB (issue: cheap
// history); -short checks 1,000 hosts against the same bound per host, and
// so does the race run: the bound is per host, and storing 20,000 hosts
// under the race detector took 12 minutes of a loaded machine.
func TestRescanGrowth(t *testing.T) {
	n := 10000
	if testing.Short() || raceEnabled {
		n = 1000
	}
	fleet, err := synth.Fleet(n, 1)
	if err != nil {
		t.Fatal(err)
	}
	db := openTest(t)
	saveFleet(t, db, fleet, t0)
	first := fileSize(t, db)
	saveFleet(t, db, fleet, t0.Add(24*time.Hour))
	second := fileSize(t, db)
	growth := second - first
	limit := int64(n) * 50 // 0.5 MB for 10,000 hosts
	t.Logf("%d hosts: first scan %d bytes, unchanged rescan +%d bytes (%.1f bytes/host)", n, first, growth, float64(growth)/float64(n))
	if growth > limit {
		t.Errorf("rescanning %d unchanged hosts grew the database by %d bytes, want at most %d", n, growth, limit)
	}
	if c := countRows(t, db, "details"); c != n {
		t.Errorf("%d details rows after two scans of %d unchanged hosts, want %d", c, n, n)
	}
}

// TestDailyRescanGrowth measures a month of daily rescans: 10,000 hosts,
// one day in two nothing changes, the other days one host in ten gets one
// package upgraded (a new release of its first package). It is a
// measurement for docs/benchmarks.md, not part of every run: 31 scans of
// 10,000 hosts take minutes, so it runs only when UPKEEP_GROWTH_DAYS is set
// (the number of days). It still fails when an unchanged day costs more
// than the 50 bytes a host TestRescanGrowth allows.
func TestDailyRescanGrowth(t *testing.T) {
	days := 0
	if s := os.Getenv("UPKEEP_GROWTH_DAYS"); s != "" {
		if _, err := fmt.Sscan(s, &days); err != nil || days < 1 {
			t.Fatalf("UPKEEP_GROWTH_DAYS=%q: want a number of days", s)
		}
	}
	if days == 0 {
		t.Skip("a measurement: set UPKEEP_GROWTH_DAYS=30 to run it")
	}
	const n = 10000
	fleet, err := synth.Fleet(n, 1)
	if err != nil {
		t.Fatal(err)
	}
	db := openTest(t)
	saveFleet(t, db, fleet, t0)
	first := fileSize(t, db)
	prev, changedBytes, unchangedBytes := first, int64(0), int64(0)
	for d := 1; d <= days; d++ {
		changed := d%2 == 1
		if changed {
			for i := d % 10; i < n; i += 10 {
				r := *fleet[i]
				r.Packages = slices.Clone(r.Packages)
				r.Packages[0].Release = fmt.Sprintf("%s.day%d", r.Packages[0].Release, d)
				fleet[i] = &r
			}
		}
		saveFleet(t, db, fleet, t0.Add(time.Duration(d)*24*time.Hour))
		size := fileSize(t, db)
		grew := size - prev
		prev = size
		if changed {
			changedBytes += grew
		} else {
			unchangedBytes += grew
			if grew > n*50 {
				t.Errorf("day %d: an unchanged rescan grew the database by %d bytes, want at most %d", d, grew, n*50)
			}
		}
	}
	changedDays, unchangedDays := (days+1)/2, days/2
	t.Logf("%d hosts, %d daily rescans: first scan %d bytes, file after %d days %d bytes (+%d)", n, days, first, days, prev, prev-first)
	if changedDays > 0 {
		t.Logf("days with 10%% of hosts upgraded: +%d bytes a day on average", changedBytes/int64(changedDays))
	}
	if unchangedDays > 0 {
		t.Logf("days with nothing changed: +%d bytes a day on average", unchangedBytes/int64(unchangedDays))
	}
}
