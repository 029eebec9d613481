package history

import (
	"context"
	"flag"
	"slices"
	"testing"
	"time"

	"upkeep/internal/synth"
	"upkeep/inventory"
	"upkeep/inventory/store"
)

var (
	benchDB    = flag.String("benchdb", "", "write two scans of a synthetic fleet to this database (for timing diff and drift), then stop")
	benchHosts = flag.Int("benchhosts", 10000, "hosts of the -benchdb fleet")
)

// TestBenchDatabase writes the database docs/benchmarks.md times diff and
// drift on: the synthetic fleet (internal/synth, seed 1), then a week later
// the same fleet with one host in ten upgraded (two packages' releases
// bumped) and one in a hundred gone. It runs only with -benchdb.
func TestBenchDatabase(t *testing.T) {
	if *benchDB == "" {
		t.Skip("only with -benchdb PATH")
	}
	ctx := context.Background()
	fleet, err := synth.Fleet(*benchHosts, 1)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, *benchDB)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	save := func(started time.Time, hosts func(i int, r *inventory.Report) *inventory.Report) {
		id, err := db.BeginScan(ctx, inventory.Scan{Source: "import", Targets: "synth", Started: started, Expected: len(fleet)})
		if err != nil {
			t.Fatal(err)
		}
		var batch []inventory.Observation
		flush := func() {
			if err := db.SaveObservations(ctx, batch); err != nil {
				t.Fatal(err)
			}
			batch = batch[:0]
		}
		for i, r := range fleet {
			if r = hosts(i, r); r != nil {
				batch = append(batch, inventory.Observation{ScanID: id, Status: inventory.StatusOK, Report: r,
					Host: inventory.Host{ID: synth.InstanceID(1, i), Name: r.Facts.Hostname, Source: "import", Tags: r.Tags}})
			}
			if len(batch) == 128 {
				flush()
			}
		}
		flush()
		if err := db.FinishScan(ctx, id, started.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	t0 := time.Date(2026, 11, 17, 9, 0, 0, 0, time.UTC)
	save(t0, func(_ int, r *inventory.Report) *inventory.Report { return r })
	save(t0.AddDate(0, 0, 7), func(i int, r *inventory.Report) *inventory.Report {
		switch {
		case i%100 == 99:
			return nil
		case i%10 != 3:
			return r
		}
		c := *r
		c.Packages = slices.Clone(r.Packages)
		for j := range 2 {
			p := &c.Packages[(i+j*7)%len(c.Packages)]
			if p.Manager == "rpm" {
				p.Release += ".1"
			} else {
				p.Version += "+u1"
			}
		}
		c.Facts.CollectedAt = c.Facts.CollectedAt.AddDate(0, 0, 7)
		return &c
	})
}
