package advisories

import (
	"fmt"
	"testing"

	"upkeep/inventory"
	"upkeep/registry"
)

// TestShipsAgreeWithJudge: every package a registry ships row names maps to
// the row's product and line, and the judge gives the OS vendor's build of
// it the support the row says (os: the release's life; upstream: upstream's
// dates). The planner picks targets from the same rows and readiness takes
// an AL2023 package's end from them (Registry.AL2023OSLife), so a row that
// disagrees with the judge's vendor rules fails here, not on a fleet.
func TestShipsAgreeWithJudge(t *testing.T) {
	d := mustLoad(t)
	reg := registry.Default()
	fams := map[string]string{} // OS product slug -> os-release ID
	for _, f := range reg.OSFamilies {
		if _, ok := fams[f.Product]; !ok {
			fams[f.Product] = f.ID
		}
	}
	n := 0
	for _, row := range reg.Ships() {
		// Not checked here: the el family's rows, whose Application Stream
		// dates the judge reads from the products' stream rules (a host's
		// module label decides), and kernels, judged from uname -r rather
		// than from a package (linux-generic is a metapackage).
		if row.Cycle == "-" || row.OS == "el" || row.Product == "linux" {
			continue
		}
		osID, ok := fams[row.OS]
		if !ok {
			t.Errorf("ships %s %s %s: OS %q has no family in os.yaml", row.Product, row.OS, row.OSCycle, row.OS)
			continue
		}
		osr := inventory.OSRelease{ID: osID, VersionID: row.OSCycle}
		at := day("2026-12-01")
		opt := Options{At: at}
		sup := d.osSupportAt(row.OS, row.OSCycle, opt)
		if !sup.known {
			t.Errorf("ships %s on %s %s: the end-of-life data has no such OS release", row.Product, row.OS, row.OSCycle)
			continue
		}
		fam, _ := reg.OSFamily(osID)
		for _, name := range row.Packages {
			n++
			where := fmt.Sprintf("%s ships row %s %s %s, package %s", row.Product, row.OS, row.OSCycle, row.Cycle, name)
			p := vendorBuild(fam.Manager, row.OS, name, row.Cycle)
			mt, ok := reg.Map(p.Manager, p.Name, p.Version+"-"+p.Release)
			if !ok || mt.Product != row.Product {
				t.Errorf("%s: maps to %q, want %s", where, mt.Product, row.Product)
				continue
			}
			if c, ok := d.MatchCycle(row.Product, mt.Upstream); ok && c.Name != row.Cycle {
				t.Errorf("%s: version %s is line %s, want %s", where, mt.Upstream, c.Name, row.Cycle)
			}
			env := newHostEnv(&inventory.Report{}, osr, sup)
			vl := d.vendorLifeOf(env, row.Product, row.Cycle, &p, opt)
			if vl.kind != row.Support {
				t.Errorf("%s: the judge gives the vendor build support %q (%s), the row says %q", where, vl.kind, vl.why, row.Support)
			}
			if row.OS == "amazon-linux" && row.OSCycle == "2023" && reg.AL2023OSLife(name) != (row.Support == registry.SupportOS) {
				t.Errorf("%s: readiness's AL2023 life for it disagrees with the row", where)
			}
		}
	}
	if n < 50 {
		t.Errorf("checked %d ships packages, want the registry's rows (at least 50)", n)
	}
}

// vendorBuild is an OS vendor's build of a package at a release line, as a
// host would list it.
func vendorBuild(manager, osProduct, name, cycle string) inventory.Package {
	v := cycle + ".1"
	if manager == "dpkg" {
		return inventory.Package{Manager: "dpkg", Name: name, Version: v + "-1", Status: "ii"}
	}
	rel := "1.el9"
	if osProduct == "amazon-linux" {
		rel = "1.amzn2023.0.1"
	}
	return inventory.Package{Manager: "rpm", Name: name, Version: v, Release: rel}
}
