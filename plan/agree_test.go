package plan

import (
	"slices"
	"strings"
	"testing"
	"time"

	"upkeep/advisories"
	"upkeep/inventory"
	"upkeep/registry"
)

// TestTargetsAgree: for every product the registry ships on Amazon Linux
// 2023, an Amazon Linux 2 host with the oldest line AL2023 ships is judged
// (readiness picks its AL2023 package) and planned (the OS step moves it to
// AL2023 and a package step, or the carry-over, names the target line): the
// package readiness recommends must be one of the planner's target line's
// packages in the same ships rows. Readiness takes its lines from the AL2023
// package data and the planner from the ships rows, so a line added to one
// and not the other, or a support kind that differs, fails here.
func TestTargetsAgree(t *testing.T) {
	d, err := advisories.Load()
	if err != nil {
		t.Fatal(err)
	}
	reg := registry.Default()
	lines := map[string][]registry.ShipRow{} // product -> its AL2023 rows that ship a line
	var products []string
	for _, r := range reg.Ships() {
		if r.OS != "amazon-linux" || r.OSCycle != "2023" || r.Cycle == "-" {
			continue
		}
		if _, ok := lines[r.Product]; !ok {
			products = append(products, r.Product)
		}
		lines[r.Product] = append(lines[r.Product], r)
	}
	if len(products) < 10 {
		t.Fatalf("%d products shipped on AL2023 in the registry, want at least 10", len(products))
	}
	at, within := day("2026-12-01"), 180
	cat := NewCatalog(d, nil)
	for _, product := range products {
		t.Run(product, func(t *testing.T) {
			rows := lines[product]
			oldest := rows[0]
			for _, r := range rows[1:] {
				if cmpCycle(r.Cycle, oldest.Cycle) < 0 {
					oldest = r
				}
			}
			// The AL2 build of the oldest line, under the row's first package name.
			pkg := inventory.Package{Manager: "rpm", Name: oldest.Packages[0], Version: oldest.Cycle + ".1", Release: "1.amzn2", Arch: "x86_64"}
			rep := &inventory.Report{Facts: inventory.Facts{OS: inventory.OSRelease{ID: "amzn", VersionID: "2"}, Hostname: "h1"},
				Packages: []inventory.Package{pkg}}
			opt := advisories.Options{At: at, Within: within}
			hrs := d.Judge([]inventory.Observation{{Host: inventory.Host{ID: "i-1", Name: "h1"}, Status: inventory.StatusOK, Report: rep}}, opt)
			var fs []advisories.Finding
			var f *advisories.Finding
			for _, hr := range hrs {
				fs = append(fs, hr.Findings...)
			}
			for i := range fs {
				if fs[i].Product == product && fs[i].Kind == advisories.KindPackage {
					f = &fs[i]
				}
			}
			if f == nil {
				t.Fatalf("%s %s on AL2 made no %s finding", pkg.Name, pkg.Version, product)
			}
			p, err := Build(Input{At: at, Hosts: []Host{{ID: "i-1", Name: "h1", Tags: map[string]string{"Env": "prod"}}},
				Findings: fs, Catalog: cat, Options: Options{Within: time.Duration(within) * 24 * time.Hour}})
			if err != nil {
				t.Fatal(err)
			}
			toProduct, target := planTarget(p, product)
			if target == "" {
				// No line lasts and nothing replaces it: readiness must not
				// name a lasting line either.
				if !strings.Contains(f.AL2023Why, "is known to be supported past") {
					t.Errorf("%s %s: the plan names no target (notes %q), readiness recommends %q (%s, %s)",
						product, f.Cycle, p.Notes, f.AL2023Package, f.AL2023, f.AL2023Why)
				}
				return
			}
			var want []string
			for _, r := range reg.Ships() {
				if r.Product == toProduct && r.OS == "amazon-linux" && r.OSCycle == "2023" && r.Cycle == target {
					want = append(want, r.Packages...)
				}
			}
			for _, r := range reg.Replacements() {
				if r.Product == product && r.With == toProduct && r.OS == "amazon-linux" && r.OSCycle == "2023" && r.Cycle == target {
					want = append(want, r.Packages...)
				}
			}
			got := strings.Split(f.AL2023Package, ",")
			if !slices.ContainsFunc(got, func(n string) bool { return slices.Contains(want, n) }) {
				t.Errorf("%s %s: readiness recommends %q (%s, %s), the plan targets %s %s (packages %v; steps %s)",
					product, f.Cycle, f.AL2023Package, f.AL2023, f.AL2023Why, toProduct, target, want, planSteps(p))
			}
		})
	}
}

// planTarget is the AL2023 product and line the plan gives product: the
// last hop of its package step after the OS move (another product for a
// replace step), or the line the OS step carries over; "" when the plan
// names none.
func planTarget(p *Plan, product string) (string, string) {
	toProduct, to := product, ""
	for _, s := range p.Steps {
		switch {
		case s.Kind == KindOS:
			for _, part := range strings.Split(s.facts.shipNote, "; ") {
				list, ok := strings.CutPrefix(part, "carried over as the new release ships them: ")
				if !ok {
					continue
				}
				for _, pc := range strings.Split(list, ", ") {
					if prod, cyc, _ := strings.Cut(pc, " "); prod == product {
						to = cyc
					}
				}
			}
		case s.Product == product && s.Action == ActionReplace:
			toProduct, to = s.ToProduct, s.To
		case s.Product == product && (s.Action == ActionUpgrade || s.Action == ActionKeep):
			to = s.To
		}
	}
	return toProduct, to
}

func planSteps(p *Plan) string {
	var out []string
	for _, s := range p.Steps {
		out = append(out, s.Kind+" "+s.Action+" "+s.Product+" "+s.FromCycle+"→"+s.To)
	}
	return strings.Join(out, "; ")
}
