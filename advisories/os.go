package advisories

import (
	"strings"

	"upkeep/inventory"
	"upkeep/registry"
)

// OSCycle maps an os-release to its endoflife.date product and cycle:
// rhel 9.4 and 9 are both cycle 9; Amazon Linux 2023's "2023.6.20241010"
// is 2023; CentOS Stream (ID centos, NAME "CentOS Stream", or any centos 9
// and later) is centos-stream.
// It returns empty strings for an OS it does not know.
func OSCycle(r inventory.OSRelease) (product, cycle string) {
	id := strings.ToLower(strings.TrimSpace(r.ID))
	fam, ok := registry.Default().OSFamily(id)
	if !ok {
		return "", ""
	}
	product = fam.Product
	if id == "centos" && strings.Contains(strings.ToLower(r.Name+" "+r.PrettyName), "stream") {
		product = "centos-stream"
	}
	v := strings.TrimSpace(r.VersionID)
	if id == "centos" {
		// CentOS Linux ended with 8; 9 and later exist only as CentOS Stream,
		// whose os-release a pasted list (--os centos:9) does not carry.
		if p := numericParts(v); len(p) > 0 && (len(p[0]) > 1 || p[0] >= "9") {
			product = "centos-stream"
		}
	}
	if id == "amzn" && strings.HasPrefix(v, "2023") {
		return product, "2023" // 2023, 2023.6.20241010: one cycle
	}
	if id == "amzn" && (v == "2018.03" || strings.HasPrefix(v, "201")) {
		return product, v // Amazon Linux 1 cycles are named by their release
	}
	p := numericParts(v)
	if len(p) == 0 {
		return product, ""
	}
	if len(p) > fam.Parts {
		p = p[:fam.Parts]
	}
	return product, joinParts(p)
}

// osManager is the package manager of an os-release ID ("" when unknown).
func osManager(id string) string {
	f, _ := registry.Default().OSFamily(id)
	return f.Manager
}

// isAL2023 reports whether an os-release is Amazon Linux 2023.
func isAL2023(r inventory.OSRelease) bool {
	p, c := OSCycle(r)
	return p == "amazon-linux" && c == "2023"
}

// isAL2 reports whether an os-release is Amazon Linux 2.
func isAL2(r inventory.OSRelease) bool {
	p, c := OSCycle(r)
	return p == "amazon-linux" && c == "2"
}

// packageSource tells a package of the OS vendor from one of a third-party
// repository: by the repository family the registry names for the package,
// by the release markers of third-party families (repositories.yaml), and
// by rpm vendor and release tag. On Amazon Linux every vendor package
// carries "amzn" in its release, so an ".el7" build there is EPEL.
func (d *Data) packageSource(osr inventory.OSRelease, p inventory.Package, m match) string {
	reg := d.reg
	if m.Repo != "" {
		if r, ok := reg.Repository(m.Repo); ok && !r.Vendor {
			// Corretto is Amazon Linux's own; elsewhere it comes from Amazon's repository.
			if !(m.Repo == "corretto" && strings.EqualFold(strings.TrimSpace(osr.ID), "amzn")) {
				return SourceThirdParty
			}
		}
	}
	id := strings.ToLower(osr.ID)
	tag := p.Release
	if p.Manager != "rpm" {
		tag = p.Version
		if i := strings.LastIndexByte(tag, '-'); i >= 0 {
			tag = tag[i:]
		} else if i := strings.IndexByte(tag, '+'); i >= 0 {
			tag = tag[i:] // no revision: a native version such as MariaDB's "1:10.11.9+maria~ubu2204"
		} else {
			tag = ""
		}
	}
	for _, r := range reg.Repositories {
		if r.Vendor {
			continue
		}
		for _, mk := range r.Markers {
			if strings.Contains(tag, mk) {
				return SourceThirdParty
			}
		}
	}
	if p.Manager == "rpm" {
		fam, _ := reg.OSFamily(id)
		if fam.Release != "" && !strings.Contains(p.Release, fam.Release) {
			return SourceThirdParty
		}
		if v := strings.TrimSpace(p.Vendor); v != "" && v != "(none)" {
			ok := false
			for _, want := range fam.Vendors {
				if strings.Contains(v, want) {
					ok = true
				}
			}
			if !ok {
				return SourceThirdParty
			}
		}
	}
	return SourceOSVendor
}

// Sources of the version a finding judges.
const (
	SourceOSVendor   = "os-vendor"
	SourceThirdParty = "third-party"
	SourceHandBuilt  = "hand-built"
)
