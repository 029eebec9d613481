package advisories

import (
	"fmt"
	"slices"
	"strings"

	"upkeep/inventory"
	"upkeep/registry"
)

// ProbeProduct maps a probed binary to a product, reading the output where
// the name is not enough (a java that says Corretto, a mysqld that is MariaDB).
func ProbeProduct(name, output string) string {
	return registry.Default().ProbeProduct(name, output)
}

// probeFindings judges binaries no mapped package owns (a hand-built nginx
// in /usr/local); a probe whose owning package is mapped to the same
// product is already judged through that package.
func (j *judge) probeFindings(rep *inventory.Report, env hostEnv) []Finding {
	var out []Finding
	for _, pr := range rep.Probes {
		pm := j.d.reg.Probe(pr.Name, pr.Output)
		product, vendorUnknown := pm.Product, pm.VendorUnknown
		source := SourceHandBuilt
		if pr.Owner != "" {
			source = SourceThirdParty
			if owner, ok := ownerPackage(rep.Packages, pr.Owner); ok {
				if _, ok := j.mapPackage(owner); ok {
					continue // the owning package is judged, and its name says more than the binary's output
				}
			}
		}
		f := Finding{Kind: KindProbe, Package: pr.Path, Packages: []string{pr.Path}, Version: pr.Version, Source: source}
		if f.Version == "" {
			f.Version = inventory.ProbeVersion(pr.Output)
		}
		token := f.Version
		if j.opt.PerPackage && pr.Output != "" {
			f.Version = pr.Output // a pasted list gets back what it said
		}
		if f.Package == "" {
			f.Package = "probe:" + pr.Name
			f.Packages = []string{f.Package}
		}
		if product == "" {
			f.Status = VerdictUnknown
			f.Reason = fmt.Sprintf("unmapped: no product for probed binary %s", pr.Name)
			out = append(out, f)
			continue
		}
		f.Product = product
		f.Role = j.d.probeRole(product)
		f.UpstreamVersion = strings.TrimPrefix(token, "v")
		if pm.Java { // the registry's probe rule: a Java version string
			f.UpstreamVersion = javaUpstream(f.UpstreamVersion)
		}
		if token == "" {
			f.Status = VerdictUnknown
			f.Reason = fmt.Sprintf("unparsable: %s printed no version (%q)", pr.Name, pr.Output)
			out = append(out, f)
			continue
		}
		if vendorUnknown {
			// Support of one line depends on whose build it is (Oracle's
			// OpenJDK 11 builds ended 2019, Temurin's run to 2027): no
			// vendor, no verdict.
			f.Status = VerdictUnknown
			if p, ok := j.d.Product(product); ok {
				f.ProductLabel = p.Label
			}
			f.Cycle = fallbackCycle(f.UpstreamVersion)
			if c, ok := j.d.MatchCycle(product, f.UpstreamVersion); ok {
				f.Cycle = c.Name
			}
			f.Reason = fmt.Sprintf("unknown vendor: %s does not say whose build it is (Corretto, Temurin, Oracle, Red Hat, Zulu, Microsoft), and the vendor decides how long a line is patched; install it from a package, or waive it naming its vendor", f.Package)
			out = append(out, f)
			continue
		}
		setVerdict(&f, j.verdict(product, f.UpstreamVersion, source, vendorLife{}))
		if f.Cycle == "" {
			f.Cycle = fallbackCycle(f.UpstreamVersion)
		}
		out = append(out, f)
	}
	return out
}

// ownerPackage finds the package that owns a probed binary; probes are few,
// so a scan of the list is cheaper than indexing every host's packages.
func ownerPackage(pkgs []inventory.Package, name string) (inventory.Package, bool) {
	for _, p := range pkgs {
		if p.Name == name {
			return p, true
		}
	}
	return inventory.Package{}, false
}

// probeRole is the role a probed binary plays: the role of the product's
// first server or runtime package.
func (d *Data) probeRole(product string) string {
	if p, ok := d.reg.Product(product); ok {
		for _, r := range p.Packages {
			if registry.Serving(r.Role) {
				return r.Role
			}
		}
	}
	return registry.RoleServer
}

// runningProducts returns, for each product with a running unit or a
// listening process, its listening ports (sorted, possibly empty). A
// listener whose executable's owning package is known (rpm -qf, dpkg -S)
// counts for that package's product, and only when the package is a server
// or runtime; a listener or unit without one is matched by name, and the
// caller marks only server and runtime findings running.
func (j *judge) runningProducts(rep *inventory.Report) map[string][]int {
	out := map[string][]int{}
	prods := j.d.reg.Products
	for _, l := range rep.Listeners {
		if l.Owner != "" {
			owner, ok := ownerPackage(rep.Packages, l.Owner)
			if !ok {
				owner = inventory.Package{Manager: osManager(rep.Facts.OS.ID), Name: l.Owner}
			}
			if m, ok := j.mapPackage(owner); ok && registry.Serving(m.Role) {
				out[m.Product] = append(out[m.Product], l.Port)
			}
			continue
		}
		if l.Process == "" {
			continue
		}
		for _, pd := range prods {
			if hasAnyPrefix(l.Process, pd.Processes) {
				out[pd.Slug] = append(out[pd.Slug], l.Port)
			}
		}
	}
	for _, s := range rep.Services {
		if s.State != "running" {
			continue
		}
		for _, pd := range prods {
			if _, ok := out[pd.Slug]; !ok && hasAnyPrefix(s.Unit, pd.Processes) {
				out[pd.Slug] = nil
			}
		}
	}
	for k, v := range out {
		slices.Sort(v)
		out[k] = slices.Compact(v)
	}
	return out
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
