package advisories

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"upkeep/inventory"
)

// ParseOS reads the --os value "ID:VERSION_ID" (amzn:2, ubuntu:22.04).
func ParseOS(s string) (inventory.OSRelease, error) {
	id, ver, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || id == "" || ver == "" {
		return inventory.OSRelease{}, fmt.Errorf("os %q: want ID:VERSION_ID as in /etc/os-release, such as amzn:2, amzn:2023, ubuntu:22.04, debian:12, rhel:9", s)
	}
	r := inventory.OSRelease{ID: strings.ToLower(id), VersionID: ver}
	if osManager(r.ID) == "" {
		return r, fmt.Errorf("os %q: unknown os-release ID %q (known: amzn, rhel, centos, rocky, almalinux, ol, fedora, ubuntu, debian)", s, id)
	}
	return r, nil
}

// ParseList reads a package list for check --packages: one "NAME<TAB>VERSION"
// per line, the version exactly as the package manager prints it (rpm
// "[E:]V-R", or the deb version), or "probe:BINARY<TAB>VERSION" with what the
// binary printed. Blank lines and lines starting with # are skipped; the
// OS's family says whether versions are rpm or deb.
func ParseList(r io.Reader, osr inventory.OSRelease) ([]inventory.Package, []inventory.Probe, error) {
	mgr := osManager(osr.ID)
	if mgr != "rpm" && mgr != "dpkg" {
		return nil, nil, fmt.Errorf("no package scheme for os-release ID %q", osr.ID)
	}
	var pkgs []inventory.Package
	var probes []inventory.Probe
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if n == 1 {
			line = strings.TrimPrefix(line, "\uFEFF") // a byte order mark from a Windows editor or a spreadsheet
		}
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		name, ver, ok := strings.Cut(line, "\t")
		name, ver = strings.TrimSpace(name), strings.TrimSpace(ver)
		if !ok || name == "" || ver == "" {
			return nil, nil, fmt.Errorf("line %d: want NAME<TAB>VERSION or probe:BINARY<TAB>VERSION, got %q", n, clip(line))
		}
		if bin, ok := strings.CutPrefix(name, "probe:"); ok {
			if strings.TrimSpace(bin) == "" {
				return nil, nil, fmt.Errorf("line %d: probe: without a binary name: want probe:BINARY<TAB>VERSION, got %q", n, clip(line))
			}
			v := inventory.ProbeVersion(ver)
			if v == "" && len(numericParts(ver)) > 0 {
				v = ver // a bare major ("21") is a version too
			}
			probes = append(probes, inventory.Probe{Name: bin, Path: "probe:" + bin, Output: ver, Version: v})
			continue
		}
		if strings.Contains(ver, "\t") {
			return nil, nil, fmt.Errorf("line %d: more than two TAB-separated fields (an arch column?): want NAME<TAB>VERSION, got %q", n, clip(line))
		}
		if mgr == "rpm" {
			pkgs = append(pkgs, ParseEVR(name, ver))
		} else {
			pkgs = append(pkgs, inventory.Package{Manager: "dpkg", Name: name, Version: ver, Status: "ii"})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("line %d: %w", n+1, err)
	}
	return pkgs, probes, nil
}

// JudgeList judges a pasted package list as one host with the given
// os-release: one finding per package (unmapped ones included, product
// empty and status unknown) and one for the OS.
func (d *Data) JudgeList(osr inventory.OSRelease, pkgs []inventory.Package, probes []inventory.Probe, opt Options) HostReport {
	opt.PerPackage = true
	o := inventory.Observation{Host: inventory.Host{ID: "packages", Name: "packages"}, Status: inventory.StatusOK,
		Report: &inventory.Report{Facts: inventory.Facts{OS: osr}, Packages: pkgs, Probes: probes}}
	return d.Judge([]inventory.Observation{o}, opt)[0]
}

// clip shortens a rejected line for an error message, so a binary file
// pasted by mistake does not fill the terminal.
func clip(line string) string {
	const max = 80
	if len(line) <= max {
		return line
	}
	return line[:max] + "..."
}
