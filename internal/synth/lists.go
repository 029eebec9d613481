package synth

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"strings"

	"upkeep/internal/fixtures"
	"upkeep/inventory"
)

// readList reads internal/fixtures/hosts/<name>.rpm or .dpkg. rpm lists are
// NAME EPOCH VERSION RELEASE ARCH VENDOR with "(none)" for unset tags; dpkg
// lists are PACKAGE VERSION ARCH STATUS with dpkg's trailing space in STATUS.
func readList(name string) ([]inventory.Package, error) {
	for _, ext := range []string{"rpm", "dpkg"} {
		path := "hosts/" + name + "." + ext
		data, err := fs.ReadFile(fixtures.Hosts, path)
		if err != nil {
			continue
		}
		return parseList(data, ext, path)
	}
	return nil, fmt.Errorf("no package list %s.rpm or %s.dpkg in the fixtures", name, name)
}

func parseList(data []byte, ext, path string) ([]inventory.Package, error) {
	none := func(s string) string {
		if s == "(none)" {
			return ""
		}
		return s
	}
	var pkgs []inventory.Package
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		if sc.Text() == "" {
			continue
		}
		f := strings.Split(sc.Text(), "\t")
		switch {
		case ext == "rpm" && len(f) == 6:
			pkgs = append(pkgs, inventory.Package{Manager: "rpm", Name: f[0], Epoch: none(f[1]), Version: f[2],
				Release: f[3], Arch: none(f[4]), Vendor: none(f[5])})
		case ext == "dpkg" && len(f) == 4:
			pkgs = append(pkgs, inventory.Package{Manager: "dpkg", Name: f[0], Version: f[1], Arch: f[2],
				Status: strings.TrimSpace(f[3])})
		default:
			return nil, fmt.Errorf("%s:%d: %d fields", path, n, len(f))
		}
	}
	return pkgs, sc.Err()
}

// readOSRelease reads the fields upkeep keeps from <name>.os-release. The
// fixtures have no Amazon Linux 2 file; al2 is what AL2 prints.
func readOSRelease(name string) (inventory.OSRelease, error) {
	if name == "amazonlinux-2-container" {
		return inventory.OSRelease{ID: "amzn", VersionID: "2", Name: "Amazon Linux", PrettyName: "Amazon Linux 2", IDLike: "centos rhel fedora"}, nil
	}
	data, err := fs.ReadFile(fixtures.Hosts, "hosts/"+name+".os-release")
	if err != nil {
		return inventory.OSRelease{}, fmt.Errorf("os-release of %s: %w", name, err)
	}
	var os inventory.OSRelease
	for _, line := range strings.Split(string(data), "\n") {
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		v = strings.Trim(v, `"'`)
		switch k {
		case "ID":
			os.ID = v
		case "VERSION_ID":
			os.VersionID = v
		case "NAME":
			os.Name = v
		case "PRETTY_NAME":
			os.PrettyName = v
		case "ID_LIKE":
			os.IDLike = v
		}
	}
	return os, nil
}
