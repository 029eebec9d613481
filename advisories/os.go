package advisories

import (
	"slices"
	"strings"

	"upkeep/inventory"
	"upkeep/registry"
)

// OSCycle maps an os-release to its endoflife.date product and cycle by
// the registry's os.yaml families: rhel 9.4 and 9 are both cycle 9 (parts:
// 1); Amazon Linux 2023's "2023.6.20241010" is 2023, Amazon Linux 1's
// 2018.03 is a cycle as written, and CentOS Stream (NAME "CentOS Stream",
// or any centos 9 and later, which a pasted list's --os centos:9 does not
// name) is centos-stream (the family's cycles row).
// It returns empty strings for an OS it does not know.
func OSCycle(r inventory.OSRelease) (product, cycle string) {
	fam, ok := registry.Default().OSFamily(r.ID)
	if !ok {
		return "", ""
	}
	return fam.CycleOf(r.Name+" "+r.PrettyName, r.VersionID)
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
			// A family the OS's own repositories ship is the OS vendor's
			// there (vendor_on: Corretto on Amazon Linux).
			if !slices.Contains(r.VendorOn, strings.ToLower(strings.TrimSpace(osr.ID))) {
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
