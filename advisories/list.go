package advisories

import (
	"bufio"
	"errors"
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

// MaxListLines bounds a package list for check --packages: the largest
// hosts carry about 10,000 packages, and judging two million pasted lines
// once took 7 GB. Lines, not bytes, because every line becomes a package.
const MaxListLines = 100_000

// MaxListSize bounds the bytes of a package list, and maxListLine one line:
// a real line is under 300 bytes, so these only stop what is not a list.
const (
	MaxListSize = 16 << 20
	maxListLine = 64 << 10
)

var errListSize = fmt.Errorf("over the %d MiB limit of one package list (a host's list is well under 1 MiB): give one host's list, split a larger one", MaxListSize>>20)

// capped fails a read that would go past its budget.
type capped struct {
	r    io.Reader
	left int64
}

func (c *capped) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, errListSize
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// ParseList reads a package list for check --packages: one "NAME<TAB>VERSION"
// per line, the version exactly as the package manager prints it (rpm
// "[E:]V-R", or the deb version), or "probe:BINARY<TAB>VERSION" with what the
// binary printed. Blank lines and lines starting with # are skipped; the
// OS's family says whether versions are rpm or deb.
func ParseList(r io.Reader, osr inventory.OSRelease) (pkgs []inventory.Package, probes []inventory.Probe, err error) {
	// A panic below is a bug; it must come back as an error about this list.
	defer func() {
		if p := recover(); p != nil {
			pkgs, probes, err = nil, nil, fmt.Errorf("cannot read this list (%v): please report it", p)
		}
	}()
	mgr := osManager(osr.ID)
	if mgr != "rpm" && mgr != "dpkg" {
		return nil, nil, fmt.Errorf("no package scheme for os-release ID %q", osr.ID)
	}
	sc := bufio.NewScanner(&capped{r: r, left: MaxListSize})
	sc.Buffer(make([]byte, 4096), maxListLine)
	n := 0
	for sc.Scan() {
		n++
		if n > MaxListLines {
			return nil, nil, fmt.Errorf("more than %d lines, the limit of one package list (a host has at most about 10,000 packages): give one host's list, split a larger one", MaxListLines)
		}
		line := strings.TrimRight(sc.Text(), "\r")
		if n == 1 {
			line = strings.TrimPrefix(line, "\uFEFF") // a byte order mark from a Windows editor or a spreadsheet
		}
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		name, ver, ok := strings.Cut(line, "\t")
		if !ok {
			// Spaces instead of a TAB, as lists are pasted from a terminal or
			// a ticket ("nginx 1.20.0-2.amzn2"): neither a package name nor a
			// version holds a space, so the first run of blanks splits them.
			// A probe's output keeps its inner spaces.
			if f := strings.Fields(line); len(f) >= 2 {
				name, ver, ok = f[0], strings.TrimSpace(strings.TrimSpace(line)[len(f[0]):]), true
				if !strings.HasPrefix(name, "probe:") && len(f) > 2 {
					return nil, nil, fmt.Errorf("line %d: more than two fields (an arch column?): want NAME<TAB>VERSION or NAME VERSION, got %q", n, clip(line))
				}
			}
		}
		name, ver = strings.TrimSpace(name), strings.TrimSpace(ver)
		if !ok || name == "" || ver == "" {
			return nil, nil, fmt.Errorf("line %d: want NAME<TAB>VERSION, NAME VERSION or probe:BINARY<TAB>VERSION, got %q", n, clip(line))
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
			p := ParseEVR(name, ver)
			if p.Version == "" {
				return nil, nil, fmt.Errorf("line %d: version %q has nothing after its epoch: want [EPOCH:]VERSION-RELEASE, got %q", n, ver, clip(line))
			}
			pkgs = append(pkgs, p)
		} else {
			pkgs = append(pkgs, inventory.Package{Manager: "dpkg", Name: name, Version: ver, Status: "ii"})
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, nil, fmt.Errorf("line %d is longer than %d KiB: want NAME<TAB>VERSION lines (is this a package list?)", n+1, maxListLine>>10)
		}
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
