package advisories

import (
	"regexp"
	"slices"
	"testing"

	"upkeep/inventory"
	"upkeep/registry"
)

// TestCollectorProbesMatchRegistry keeps the collector's probe list and the
// registry's probe rules in step: a registry probe the collector never runs
// is knowledge nobody can use, and a collector probe the registry does not
// map runs a binary as root for nothing.
func TestCollectorProbesMatchRegistry(t *testing.T) {
	r, err := registry.Load()
	if err != nil {
		t.Fatal(err)
	}
	var collector []string
	for _, m := range regexp.MustCompile(`\bprobe ([a-z0-9-]+) "\$1"`).FindAllSubmatch(inventory.Script(), -1) {
		collector = append(collector, string(m[1]))
	}
	slices.Sort(collector)
	collector = slices.Compact(collector)
	if len(collector) < 10 {
		t.Fatalf("found only %d probes in the collector (%v): has the probe_file syntax changed?", len(collector), collector)
	}
	reg := r.ProbeNames()
	for _, n := range reg {
		if !slices.Contains(collector, n) {
			t.Errorf("the registry maps probe %q, which the collector never runs", n)
		}
	}
	for _, n := range collector {
		if !slices.Contains(reg, n) {
			t.Errorf("the collector runs probe %q, which no registry product maps", n)
		}
	}
}
