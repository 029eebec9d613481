package store

import (
	"context"
	"os"
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
// history); -short checks 1,000 hosts against the same bound per host.
func TestRescanGrowth(t *testing.T) {
	n := 10000
	if testing.Short() {
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
