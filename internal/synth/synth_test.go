package synth

import (
	"cmp"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"upkeep/inventory"
)

func TestFleetIsDeterministic(t *testing.T) {
	a, err := Fleet(300, 7)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Fleet(300, 7)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("two fleets with the same seed differ")
	}
	c, err := Fleet(300, 8)
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(a, c) {
		t.Errorf("fleets with seeds 7 and 8 are identical")
	}
	first, again := InstanceID(7, 1), InstanceID(7, 1)
	if first == InstanceID(7, 2) || first != again || len(first) != 19 {
		t.Errorf("instance ids: %s %s", InstanceID(7, 1), InstanceID(7, 2))
	}
}

// TestFleetShape checks what the benchmarks rely on: about 290 packages per
// host, about 10% drift, and unique host names.
func TestFleetShape(t *testing.T) {
	const n = 10000
	fleet, err := Fleet(n, 1)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	names := map[string]bool{}
	sets := map[*inventory.Package]bool{}
	for _, r := range fleet {
		total += len(r.Packages)
		names[r.Facts.Hostname] = true
		sets[&r.Packages[0]] = true
		if r.Tags["Env"] == "" || r.Tags["Role"] == "" {
			t.Fatalf("host %s has tags %v", r.Facts.Hostname, r.Tags)
		}
	}
	avg := float64(total) / n
	if avg < 280 || avg > 300 {
		t.Errorf("average %.1f packages per host, want 280-300", avg)
	}
	if len(names) != n {
		t.Errorf("%d distinct host names, want %d", len(names), n)
	}
	// Each drifted host has its own slice; the others share their base's.
	drifted := len(sets) - len(bases())
	if drifted < n*8/100 || drifted > n*12/100 {
		t.Errorf("%d drifted hosts of %d, want about 10%%", drifted, n)
	}
	t.Logf("%d hosts, %d package rows, %.1f per host, %d drifted", n, total, avg, drifted)
}

// TestWriteDirParses writes collector outputs and reads them back with the
// real parser.
func TestWriteDirParses(t *testing.T) {
	fleet, err := Fleet(40, 3)
	if err != nil {
		t.Fatal(err)
	}
	paths, err := WriteDir(t.TempDir(), fleet)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := inventory.Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(p), err)
		}
		want := fleet[i]
		if got.Facts != want.Facts || !reflect.DeepEqual(got.Tags, want.Tags) {
			t.Errorf("%s: facts or tags differ:\n got %+v %v\nwant %+v %v", p, got.Facts, got.Tags, want.Facts, want.Tags)
		}
		if !reflect.DeepEqual(sorted(got.Packages), sorted(want.Packages)) {
			t.Errorf("%s: packages differ after parsing", p)
		}
		if len(got.Probes) != len(want.Probes) || len(got.Listeners) != len(want.Listeners) || len(got.Services) != len(want.Services) {
			t.Errorf("%s: probes/listeners/services %d/%d/%d, want %d/%d/%d", p, len(got.Probes), len(got.Listeners), len(got.Services),
				len(want.Probes), len(want.Listeners), len(want.Services))
		}
	}
}

func sorted(p []inventory.Package) []inventory.Package {
	out := slices.Clone(p)
	slices.SortFunc(out, func(a, b inventory.Package) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Arch, b.Arch), cmp.Compare(a.Version, b.Version), cmp.Compare(a.Release, b.Release))
	})
	return out
}

func TestFleetHasNoDuplicatePackages(t *testing.T) {
	fleet, err := Fleet(2000, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range fleet {
		seen := map[inventory.Package]bool{}
		for _, p := range r.Packages {
			if seen[p] {
				t.Fatalf("host %s lists %s %s twice", r.Facts.Hostname, p.Name, p.EVR())
			}
			seen[p] = true
		}
	}
}

// FleetDrift(n, seed, 1) drifts every host: nearly every package list is
// its own, where Fleet's hosts share a few dozen.
func TestFleetDriftEveryHost(t *testing.T) {
	distinct := func(every int) int {
		fleet, err := FleetDrift(1000, 1, every)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, r := range fleet {
			// Every field counts; JSON is several times cheaper than
			// fmt.Sprint here, which dominated the race run.
			b, err := json.Marshal(r.Packages)
			if err != nil {
				t.Fatal(err)
			}
			seen[string(b)] = true
		}
		return len(seen)
	}
	if n := distinct(1); n < 800 {
		t.Errorf("every host drifted: %d distinct package lists of 1000, want at least 800", n)
	}
	if n := distinct(10); n > 200 {
		t.Errorf("one host in ten drifted: %d distinct package lists of 1000, want at most 200", n)
	}
	if _, err := FleetDrift(10, 1, 0); err == nil {
		t.Error("FleetDrift(10, 1, 0) did not fail")
	}
}
