package store

import (
	"context"
	"path/filepath"
	"testing"

	"upkeep/internal/synth"
	"upkeep/inventory"
)

// BenchmarkSaveObservation stores synthetic hosts one transaction each, as
// a scan does; ns/op is per host (about 290 packages).
func BenchmarkSaveObservation(b *testing.B) {
	fleet, err := synth.Fleet(2000, 1)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	id, err := db.BeginScan(ctx, inventory.Scan{Source: "import", Started: t0})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		r := fleet[i%len(fleet)]
		o := inventory.Observation{ScanID: id, Host: inventory.Host{ID: synth.InstanceID(1, i), Name: r.Facts.Hostname}, Status: inventory.StatusOK, Report: r}
		if err := db.SaveObservation(ctx, o); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkObservations loads a whole 10,000-host scan, as check and plan do.
func BenchmarkObservations(b *testing.B) {
	const n = 10000
	fleet, err := synth.Fleet(n, 1)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	id, err := db.BeginScan(ctx, inventory.Scan{Source: "import", Started: t0})
	if err != nil {
		b.Fatal(err)
	}
	for i, r := range fleet {
		o := inventory.Observation{ScanID: id, Host: inventory.Host{ID: synth.InstanceID(1, i), Name: r.Facts.Hostname}, Status: inventory.StatusOK, Report: r}
		if err := db.SaveObservation(ctx, o); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		obs, err := db.Observations(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		if len(obs) != n {
			b.Fatalf("%d observations, want %d", len(obs), n)
		}
	}
}

// BenchmarkSaveObservations stores hosts 128 per transaction, as
// `scan --import` does; ns/op is per host.
func BenchmarkSaveObservations(b *testing.B) {
	fleet, err := synth.Fleet(2048, 1)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	id, err := db.BeginScan(ctx, inventory.Scan{Source: "import", Started: t0})
	if err != nil {
		b.Fatal(err)
	}
	const batch = 128
	obs := make([]inventory.Observation, 0, batch)
	i := 0
	for b.Loop() {
		r := fleet[i%len(fleet)]
		obs = append(obs, inventory.Observation{ScanID: id, Host: inventory.Host{ID: synth.InstanceID(1, i), Name: r.Facts.Hostname}, Status: inventory.StatusOK, Report: r})
		i++
		if len(obs) == batch {
			if err := db.SaveObservations(ctx, obs); err != nil {
				b.Fatal(err)
			}
			obs = obs[:0]
		}
	}
	if err := db.SaveObservations(ctx, obs); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkEachObservation streams a stored 10,000-host scan, each host's
// package set read once per set, as the judging commands read it.
func BenchmarkEachObservation(b *testing.B) {
	const n = 10000
	fleet, err := synth.Fleet(n, 1)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	id, err := db.BeginScan(ctx, inventory.Scan{Source: "import", Started: t0})
	if err != nil {
		b.Fatal(err)
	}
	obs := make([]inventory.Observation, 0, 128)
	for i, r := range fleet {
		obs = append(obs, inventory.Observation{ScanID: id, Host: inventory.Host{ID: synth.InstanceID(1, i), Name: r.Facts.Hostname},
			Status: inventory.StatusOK, Report: r})
		if len(obs) == cap(obs) || i == n-1 {
			if err := db.SaveObservations(ctx, obs); err != nil {
				b.Fatal(err)
			}
			obs = obs[:0]
		}
	}
	b.ResetTimer()
	for b.Loop() {
		hosts, sets := 0, map[int64]bool{}
		err := db.EachObservation(ctx, id, func(o *inventory.Observation, packages func(int64) ([]inventory.Package, error)) error {
			hosts++
			if !sets[o.PackageSet] {
				sets[o.PackageSet] = true
				if _, err := packages(o.PackageSet); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		if hosts != n {
			b.Fatalf("%d hosts, want %d", hosts, n)
		}
	}
}
