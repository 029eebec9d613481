package advisories

import (
	"strings"

	"upkeep/inventory"
)

// osFamily is what upkeep knows about one os-release ID.
type osFamily struct {
	product string // endoflife.date slug
	parts   int    // how many VERSION_ID numbers name the cycle (rhel 9.4 -> 9)
	manager string // rpm or dpkg
	vendors []string
}

// osFamilies maps os-release ID to its product. Vendors are the rpm VENDOR
// strings (substrings) of the OS's own packages: anything else on the host
// comes from a third-party repository.
var osFamilies = map[string]osFamily{
	"amzn":          {product: "amazon-linux", parts: 1, manager: "rpm", vendors: []string{"Amazon"}},
	"rhel":          {product: "rhel", parts: 1, manager: "rpm", vendors: []string{"Red Hat"}},
	"centos":        {product: "centos", parts: 1, manager: "rpm", vendors: []string{"CentOS"}},
	"rocky":         {product: "rocky-linux", parts: 1, manager: "rpm", vendors: []string{"Rocky"}},
	"almalinux":     {product: "almalinux", parts: 1, manager: "rpm", vendors: []string{"AlmaLinux"}},
	"ol":            {product: "oracle-linux", parts: 1, manager: "rpm", vendors: []string{"Oracle America"}},
	"fedora":        {product: "fedora", parts: 1, manager: "rpm", vendors: []string{"Fedora Project"}},
	"ubuntu":        {product: "ubuntu", parts: 2, manager: "dpkg"},
	"debian":        {product: "debian", parts: 1, manager: "dpkg"},
	"alpine":        {product: "alpine-linux", parts: 2, manager: "apk"},
	"sles":          {product: "sles", parts: 2, manager: "rpm", vendors: []string{"SUSE"}},
	"opensuse-leap": {product: "opensuse", parts: 2, manager: "rpm", vendors: []string{"SUSE", "openSUSE"}},
}

// OSCycle maps an os-release to its endoflife.date product and cycle:
// rhel 9.4 and 9 are both cycle 9; Amazon Linux 2023's "2023.6.20241010"
// is 2023; CentOS Stream (ID centos, NAME "CentOS Stream") is centos-stream.
// It returns empty strings for an OS it does not know.
func OSCycle(r inventory.OSRelease) (product, cycle string) {
	id := strings.ToLower(strings.TrimSpace(r.ID))
	fam, ok := osFamilies[id]
	if !ok {
		return "", ""
	}
	product = fam.product
	if id == "centos" && strings.Contains(strings.ToLower(r.Name+" "+r.PrettyName), "stream") {
		product = "centos-stream"
	}
	v := strings.TrimSpace(r.VersionID)
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
	if len(p) > fam.parts {
		p = p[:fam.parts]
	}
	return product, joinParts(p)
}

// osManager is the package manager of an os-release ID ("" when unknown).
func osManager(id string) string {
	return osFamilies[strings.ToLower(strings.TrimSpace(id))].manager
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

// thirdPartyMarkers are release or revision fragments of packages built
// outside the OS vendor: NodeSource, PGDG, remi, nginx.org, Ondřej Surý's
// PHP archive, Docker's and MySQL's repositories (which append the
// distribution codename or "1ubuntu22.04").
var thirdPartyMarkers = []string{"nodesource", "pgdg", "PGDG", "remi", ".ngx", "deb.sury.org", "+maria~",
	"~focal", "~jammy", "~noble", "~bionic", "~xenial", "~buster", "~bullseye", "~bookworm", "~trixie",
	"-1ubuntu18.04", "-1ubuntu20.04", "-1ubuntu22.04", "-1ubuntu24.04", "-1debian10", "-1debian11", "-1debian12", "-1debian13"}

// thirdPartyNames are packages only third-party repositories ship.
var thirdPartyNames = []string{"mysql-community-", "docker-ce", "containerd.io", "temurin-", "mysql80-", "mysql57-",
	"MariaDB-", "mongodb-org", "elasticsearch", "grafana", "kubelet", "kubeadm", "kubectl"}

// packageSource tells a package of the OS vendor from one of a third-party
// repository, by name, rpm vendor and release tag. On Amazon Linux every
// vendor package carries "amzn" in its release, so an ".el7" build there is
// EPEL.
func packageSource(osr inventory.OSRelease, p inventory.Package) string {
	for _, n := range thirdPartyNames {
		if strings.HasPrefix(p.Name, n) {
			return SourceThirdParty
		}
	}
	id := strings.ToLower(osr.ID)
	if id != "amzn" && strings.Contains(p.Name, "amazon-corretto") {
		return SourceThirdParty // Corretto is Amazon Linux's own; elsewhere it comes from Amazon's repository
	}
	if p.Manager == "rpm" && strings.HasPrefix(p.Name, "php") && len(p.Name) > 5 && isDigits(p.Name[3:5]) && strings.HasPrefix(p.Name[5:], "-php") {
		return SourceThirdParty // remi's Software Collections (php74-php-fpm)
	}
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
	for _, m := range thirdPartyMarkers {
		if strings.Contains(tag, m) {
			return SourceThirdParty
		}
	}
	if p.Manager == "rpm" {
		if id == "amzn" && !strings.Contains(p.Release, "amzn") {
			return SourceThirdParty
		}
		if v := strings.TrimSpace(p.Vendor); v != "" && v != "(none)" {
			ok := false
			for _, want := range osFamilies[id].vendors {
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

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Sources of the version a finding judges.
const (
	SourceOSVendor   = "os-vendor"
	SourceThirdParty = "third-party"
	SourceHandBuilt  = "hand-built"
)
