package advisories

import (
	"testing"

	"upkeep/internal/synth"
	"upkeep/inventory"
)

// synthObservations turns a synthetic fleet into observations the way the
// store hands them out: hosts with the same package list share one slice
// and one PackageSet id.
func synthObservations(tb testing.TB, n int) []inventory.Observation {
	tb.Helper()
	fleet, err := synth.Fleet(n, 1)
	if err != nil {
		tb.Fatal(err)
	}
	sets := map[*inventory.Package]int64{}
	obs := make([]inventory.Observation, n)
	for i, r := range fleet {
		id, ok := sets[&r.Packages[0]]
		if !ok {
			id = int64(len(sets) + 1)
			sets[&r.Packages[0]] = id
		}
		obs[i] = inventory.Observation{ScanID: 1, Host: inventory.Host{ID: synth.InstanceID(1, i), Name: r.Facts.Hostname, Tags: r.Tags},
			Status: inventory.StatusOK, Report: r, PackageSet: id}
	}
	return obs
}

// BenchmarkJudge10k judges 10,000 synthetic hosts (about 290 packages each,
// one in ten drifted from its image) at a fixed day, readiness included.
func BenchmarkJudge10k(b *testing.B) {
	d := mustLoad(b)
	obs := synthObservations(b, 10000)
	opt := Options{At: day("2026-11-24"), Within: 180}
	b.ResetTimer()
	for b.Loop() {
		reports := d.Judge(obs, opt)
		if len(reports) != len(obs) {
			b.Fatal("lost hosts")
		}
		d.Readiness(reports, opt)
	}
}

// TestJudgeSharesSets: hosts of one package set get the same package
// findings as if judged alone (the cache changes nothing but time).
func TestJudgeSharesSets(t *testing.T) {
	d := mustLoad(t)
	obs := synthObservations(t, 200)
	opt := Options{At: day("2026-11-24"), Within: 180}
	all := d.Judge(obs, opt)
	byID := map[string]HostReport{}
	for _, r := range all {
		byID[r.Host.ID] = r
	}
	for _, o := range obs[:40] {
		o.PackageSet = 0 // no cache
		alone := d.Judge([]inventory.Observation{o}, opt)[0]
		got := byID[o.Host.ID]
		if len(alone.Findings) != len(got.Findings) {
			t.Fatalf("%s: %d findings alone, %d in the fleet", o.Host.ID, len(alone.Findings), len(got.Findings))
		}
		for i := range alone.Findings {
			a, g := alone.Findings[i], got.Findings[i]
			if a.Key != g.Key || a.Status != g.Status || a.Version != g.Version || a.AL2023 != g.AL2023 || len(a.Packages) != len(g.Packages) {
				t.Errorf("%s: finding %d differs: alone %+v, fleet %+v", o.Host.ID, i, a, g)
			}
		}
	}
}
