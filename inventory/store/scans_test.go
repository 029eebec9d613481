package store

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"upkeep/inventory"
)

// TestReadOnlyWhileWriteLocked: a reader opens and reads the database while
// another connection holds the write lock, as a long import does.
func TestReadOnlyWhileWriteLocked(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "upkeep.db")
	w, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	id := saveScan(t, w, inventory.Observation{Host: inventory.Host{ID: "a"}, Status: inventory.StatusOK, Report: sampleReport("a", basePkgs...)})

	// Hold the write lock with an uncommitted scan.
	conn, err := w.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, `ROLLBACK`)
	if _, err := conn.ExecContext(ctx, `INSERT INTO scans (source, started) VALUES ('import', '2026-11-21T00:00:00.000Z')`); err != nil {
		t.Fatal(err)
	}

	// No deadline of our own: a reader that needed the lock would get
	// SQLITE_BUSY once the 5 s busy timeout ran out (the writer holds it
	// until the test ends), so the test fails either way, and a loaded
	// machine that is merely slow does not make it fail.
	rctx := ctx
	r, err := OpenReadOnly(rctx, path)
	if err != nil {
		t.Fatalf("open read-only while a writer holds the lock: %v", err)
	}
	defer r.Close()
	scans, err := r.Scans(rctx)
	if err != nil {
		t.Fatalf("list scans while a writer holds the lock: %v", err)
	}
	if len(scans) != 1 || scans[0].ID != id {
		t.Errorf("reader saw scans %+v, want only the committed scan %d", scans, id)
	}
	obs, err := r.Observations(rctx, id)
	if err != nil || len(obs) != 1 {
		t.Errorf("Observations = %d, %v", len(obs), err)
	}
	if err := r.FinishScan(rctx, id, t0); err == nil {
		t.Errorf("a read-only handle wrote")
	}
	// Opening read-write a file at the current schema takes no lock either.
	rw, err := Open(rctx, path)
	if err != nil {
		t.Fatalf("open read-write while a writer holds the lock: %v", err)
	}
	rw.Close()
}

// TestOpenReadOnlyMigratesOldSchema: a file from an older upkeep is
// migrated once, then read; a missing file is not created.
func TestOpenReadOnlyMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none.db")
	if db, err := OpenReadOnly(context.Background(), path); err == nil {
		db.Close()
		t.Fatal("OpenReadOnly created a database")
	}
}

func scanWith(t *testing.T, db *DB, s inventory.Scan, finish bool, obs ...inventory.Observation) int64 {
	t.Helper()
	ctx := context.Background()
	if s.Started.IsZero() {
		s.Started = t0
	}
	if s.Source == "" {
		s.Source = "import"
	}
	id, err := db.BeginScan(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range obs {
		o.ScanID = id
		if err := db.SaveObservation(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	if finish {
		if err := db.FinishScan(ctx, id, s.Started.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

func okHost(id string, pkgs ...inventory.Package) inventory.Observation {
	return inventory.Observation{Host: inventory.Host{ID: id, Name: id}, Status: inventory.StatusOK, Report: sampleReport(id, pkgs...)}
}

func deadHost(id string) inventory.Observation {
	return inventory.Observation{Host: inventory.Host{ID: id, Name: id}, Status: inventory.StatusOffline, Error: "agent offline"}
}

func TestScanStatesAndResolve(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	good := scanWith(t, db, inventory.Scan{Expected: 2}, true, okHost("a", basePkgs...), okHost("b", basePkgs...))
	partial := scanWith(t, db, inventory.Scan{}, true, okHost("a", basePkgs...), deadHost("b"))
	failed := scanWith(t, db, inventory.Scan{}, true, deadHost("a"), deadHost("b"))
	empty := scanWith(t, db, inventory.Scan{}, true)
	errored := scanWith(t, db, inventory.Scan{}, false, okHost("a", basePkgs...))
	if err := db.FailScan(ctx, errored, t0, "no credentials"); err != nil {
		t.Fatal(err)
	}
	cut := scanWith(t, db, inventory.Scan{Expected: 5}, false, okHost("a", basePkgs...), okHost("b", basePkgs...))

	want := map[int64]inventory.ScanState{good: inventory.ScanComplete, partial: inventory.ScanPartial, failed: inventory.ScanFailed,
		empty: inventory.ScanEmpty, errored: inventory.ScanFailed, cut: inventory.ScanInterrupted}
	scans, err := db.Scans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range scans {
		if s.State() != want[s.ID] {
			t.Errorf("scan %d: state %s, want %s", s.ID, s.State(), want[s.ID])
		}
	}
	if s, _ := db.Scan(ctx, cut); s.Missing() != 3 || s.Expected != 5 {
		t.Errorf("interrupted scan: expected %d, missing %d; want 5, 3", s.Expected, s.Missing())
	}
	if s, _ := db.Scan(ctx, errored); s.Error != "no credentials" {
		t.Errorf("failed scan's error = %q", s.Error)
	}

	// The newest usable scan is the partial one: everything newer is skipped.
	r, err := db.ResolveScan(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if r.Scan.ID != partial {
		t.Errorf("resolved scan %d, want %d", r.Scan.ID, partial)
	}
	var skipped []int64
	for _, s := range r.Skipped {
		skipped = append(skipped, s.ID)
	}
	if !slices.Equal(skipped, []int64{cut, errored, empty, failed}) {
		t.Errorf("skipped %v, want %v", skipped, []int64{cut, errored, empty, failed})
	}
	// Asked for by id, any scan is returned.
	if r, err := db.ResolveScan(ctx, cut); err != nil || r.Scan.ID != cut {
		t.Errorf("ResolveScan(%d) = %d, %v", cut, r.Scan.ID, err)
	}
	if _, err := db.ResolveScan(ctx, 99); !errors.Is(err, ErrNotFound) {
		t.Errorf("ResolveScan(99): %v, want ErrNotFound", err)
	}
}

func TestResolveNoUsableScan(t *testing.T) {
	db := openTest(t)
	if _, err := db.ResolveScan(context.Background(), 0); !errors.Is(err, ErrNotFound) {
		t.Errorf("no scans: %v, want ErrNotFound", err)
	}
	scanWith(t, db, inventory.Scan{}, true)
	if _, err := db.ResolveScan(context.Background(), 0); !errors.Is(err, ErrNoUsableScan) {
		t.Errorf("one empty scan: %v, want ErrNoUsableScan", err)
	}
}

func countRows(t *testing.T, db *DB, table string) int {
	t.Helper()
	var n int
	if err := db.db.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDeleteScansCollectsGarbage(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	other := append(slices.Clone(basePkgs), rpm("httpd", "", "2.4.62", "1.amzn2"))
	first := scanWith(t, db, inventory.Scan{}, true, okHost("a", other...), okHost("b", basePkgs...))
	second := scanWith(t, db, inventory.Scan{}, true, okHost("a", basePkgs...), okHost("b", basePkgs...))
	if n := countRows(t, db, "package_sets"); n != 2 {
		t.Fatalf("%d package sets, want 2", n)
	}
	// An unknown id deletes nothing, not even the known one.
	if err := db.DeleteScans(ctx, []int64{first, 99}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("delete with an unknown id: %v, want ErrNotFound", err)
	}
	if n := countRows(t, db, "scans"); n != 2 {
		t.Fatalf("a failed delete left %d scans, want 2", n)
	}
	if err := db.DeleteScans(ctx, []int64{first}); err != nil {
		t.Fatal(err)
	}
	for table, want := range map[string]int{"scans": 1, "observations": 2, "package_sets": 1, "details": 2, "host_probes": 2} {
		if n := countRows(t, db, table); n != want {
			t.Errorf("%s: %d rows after delete, want %d", table, n, want)
		}
	}
	// The set cache was dropped: saving the deleted list again stores a new set.
	third := scanWith(t, db, inventory.Scan{}, true, okHost("a", other...))
	obs, err := db.Observations(ctx, third)
	if err != nil || len(obs) != 1 || len(obs[0].Report.Packages) != len(other) {
		t.Fatalf("rescan after delete: %d hosts, %v", len(obs), err)
	}
	if _, err := db.Observations(ctx, second); err != nil {
		t.Fatal(err)
	}
}

// TestDeleteSeenByOtherHandle: a writer in another process that cached a
// set id the deletion collected stores the set again instead of failing.
func TestDeleteSeenByOtherHandle(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "upkeep.db")
	a, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	first := scanWith(t, a, inventory.Scan{}, true, okHost("a", basePkgs...)) // a caches the set
	if err := b.DeleteScans(ctx, []int64{first}); err != nil {
		t.Fatal(err)
	}
	id := scanWith(t, a, inventory.Scan{}, true, okHost("a", basePkgs...))
	obs, err := a.Observations(ctx, id)
	if err != nil || len(obs) != 1 || len(obs[0].Report.Packages) != len(basePkgs) {
		t.Fatalf("save after another handle deleted the cached set: %d hosts, %v", len(obs), err)
	}
}

func TestPruneChoice(t *testing.T) {
	day := func(d int) time.Time { return t0.AddDate(0, 0, d) }
	ok := map[inventory.Status]int{inventory.StatusOK: 1}
	done := func(id int64, d int) inventory.Scan {
		return inventory.Scan{ID: id, Started: day(d), Finished: day(d), Counts: ok}
	}
	failed := func(id int64, d int) inventory.Scan {
		return inventory.Scan{ID: id, Started: day(d), Finished: day(d), Counts: map[inventory.Status]int{inventory.StatusOffline: 1}}
	}
	running := func(id int64, d int) inventory.Scan { return inventory.Scan{ID: id, Started: day(d), Counts: ok} }
	// Newest first, as the store lists them.
	scans := []inventory.Scan{running(7, 7), failed(6, 6), done(5, 5), running(4, 4), done(3, 3), failed(2, 2), done(1, 1)}
	tests := []struct {
		name string
		p    Prune
		want []int64
	}{
		{"keep 1", Prune{Keep: 1}, []int64{6, 4, 3, 2, 1}},
		{"keep 2", Prune{Keep: 2}, []int64{6, 4, 2, 1}},
		{"keep 10", Prune{Keep: 10}, []int64{6, 4, 2}},
		{"older than day 4", Prune{Before: day(4)}, []int64{3, 2, 1}},
		{"older than day 9 keeps the newest usable and the running one", Prune{Before: day(9)}, []int64{6, 4, 3, 2, 1}},
		{"either rule keeps", Prune{Keep: 1, Before: day(3)}, []int64{2, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []int64
			for _, s := range pruneChoice(scans, tt.p) {
				got = append(got, s.ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("pruned %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPruneScans(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	var ids []int64
	for d := range 4 {
		ids = append(ids, scanWith(t, db, inventory.Scan{Started: t0.AddDate(0, 0, d)}, true, okHost("a", basePkgs[:d+1]...)))
	}
	dry, err := db.PruneScans(ctx, Prune{Keep: 2, DryRun: true})
	if err != nil || len(dry) != 2 || countRows(t, db, "scans") != 4 {
		t.Fatalf("dry run: %d chosen, %v; %d scans left", len(dry), err, countRows(t, db, "scans"))
	}
	gone, err := db.PruneScans(ctx, Prune{Keep: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(gone) != 2 || gone[0].ID != ids[1] || gone[1].ID != ids[0] {
		t.Errorf("pruned %+v, want scans %d and %d", gone, ids[1], ids[0])
	}
	if n := countRows(t, db, "package_sets"); n != 2 {
		t.Errorf("%d package sets after prune, want 2", n)
	}
	if _, err := db.PruneScans(ctx, Prune{}); err == nil {
		t.Error("prune without a rule: no error")
	}
}

func TestScanIDsNeverReused(t *testing.T) {
	db := openTest(t)
	a := scanWith(t, db, inventory.Scan{}, true, okHost("a", basePkgs...))
	b := scanWith(t, db, inventory.Scan{}, true, okHost("a", basePkgs...))
	if err := db.DeleteScans(context.Background(), []int64{b}); err != nil {
		t.Fatal(err)
	}
	if c := scanWith(t, db, inventory.Scan{}, true); c <= b || a >= b {
		t.Errorf("scan ids %d, %d, then %d after deleting %d: an id was reused", a, b, c, b)
	}
}
