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
func (j *judge) probeFindings(rep *inventory.Report, sup osSupport) []Finding {
	var out []Finding
	for _, pr := range rep.Probes {
		product := ProbeProduct(pr.Name, pr.Output)
		source := SourceHandBuilt
		if pr.Owner != "" {
			source = SourceThirdParty
			if owner, ok := ownerPackage(rep.Packages, pr.Owner); ok {
				if m, ok := j.mapPackage(owner); ok && m.Product == product {
					continue
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
		f.UpstreamVersion = strings.TrimPrefix(token, "v")
		if product == "eclipse-temurin" || product == "amazon-corretto" {
			f.UpstreamVersion = javaUpstream(f.UpstreamVersion)
		}
		if token == "" {
			f.Status = VerdictUnknown
			f.Reason = fmt.Sprintf("unparsable: %s printed no version (%q)", pr.Name, pr.Output)
			out = append(out, f)
			continue
		}
		setVerdict(&f, j.verdict(product, f.UpstreamVersion, source, sup, false))
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

// runningProducts returns, for each product with a running unit or a
// listening process, its listening ports (sorted, possibly empty).
func runningProducts(rep *inventory.Report) map[string][]int {
	out := map[string][]int{}
	for _, pd := range registry.Default().Products {
		product, prefixes := pd.Slug, pd.Processes
		if len(prefixes) == 0 {
			continue
		}
		for _, s := range rep.Services {
			if s.State == "running" && hasAnyPrefix(s.Unit, prefixes) {
				if _, ok := out[product]; !ok {
					out[product] = nil
				}
			}
		}
		for _, l := range rep.Listeners {
			if l.Process != "" && hasAnyPrefix(l.Process, prefixes) {
				out[product] = append(out[product], l.Port)
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
