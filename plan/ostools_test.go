package plan

import (
	"os"
	"strings"
	"testing"

	"upkeep/advisories"
	"upkeep/registry"
)

// osYAML is the repository's os.yaml with each old string replaced by its
// new one (every old string must be there: a test of a row that moved is
// no test).
func osYAML(t *testing.T, oldNew ...string) string {
	t.Helper()
	b, err := os.ReadFile("../registry/os.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for i := 0; i < len(oldNew); i += 2 {
		if !strings.Contains(s, oldNew[i]) {
			t.Fatalf("os.yaml has no %q", oldNew[i])
		}
		s = strings.Replace(s, oldNew[i], oldNew[i+1], 1)
	}
	return s
}

// hintsOn plans in and returns the hints of its steps whose OnOS starts
// with on, "kind product: hint" each.
func hintsOn(t *testing.T, in Input, reg *registry.Registry, on string) []string {
	t.Helper()
	in.Options.Registry = reg
	p, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range p.Steps {
		if strings.HasPrefix(s.OnOS, on) {
			out = append(out, s.Kind+" "+s.Product+": "+s.Hint)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no step on %s", on)
	}
	return out
}

// TestToolsFromRegistry: the package commands and release moves in step
// hints are os.yaml's tools rows for the release the step runs on: a
// changed row changes the hint, and a release with no row gets no guessed
// command, only a statement that the registry names none.
func TestToolsFromRegistry(t *testing.T) {
	ubuntuRow := `  - {os: ubuntu, installer: "apt-get install", query: "apt-cache policy {package}",
     upgrade: "sudo do-release-upgrade to {label} {to}{path}, or rebuild from a {label} {to} image",
     in_place: true, source: ubuntu-upgrade, lts_path: true, lts_source: ubuntu-release-upgrades}
`
	for _, tc := range []struct {
		name string
		reg  *registry.Registry
		on   string
		want []string
	}{
		{"embedded", registry.Default(), "Ubuntu", []string{
			"os ubuntu: sudo do-release-upgrade to Ubuntu 22.04, or rebuild from a Ubuntu 22.04 image",
			"package python: apt-get install python3",
		}},
		{"ubuntu's row changed", testRegistry(t, map[string]string{"os.yaml": osYAML(t,
			`installer: "apt-get install", query: "apt-cache policy {package}",
     upgrade: "sudo do-release-upgrade to {label} {to}{path}, or rebuild from a {label} {to} image"`,
			`installer: "apt install --no-install-recommends", query: "apt policy {package}",
     upgrade: "sudo do-release-upgrade -f DistUpgradeViewNonInteractive (to {label} {to}{path})"`)}), "Ubuntu", []string{
			"os ubuntu: sudo do-release-upgrade -f DistUpgradeViewNonInteractive (to Ubuntu 22.04)",
			"package python: apt install --no-install-recommends python3",
		}},
		{"ubuntu's row removed", testRegistry(t, map[string]string{"os.yaml": osYAML(t, ubuntuRow, "")}), "Ubuntu", []string{
			"os ubuntu: rebuild on Ubuntu 22.04",
			"package python: install python3 with the package manager of ubuntu 22.04 (upkeep's registry names no installer for it)",
		}},
		{"AL2023's installer changed", testRegistry(t, map[string]string{"os.yaml": osYAML(t,
			`  - {os: amazon-linux, installer: "dnf install"`, `  - {os: amazon-linux, installer: "dnf -y install"`)}), "Amazon Linux 2023", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := hintsOn(t, handFleet(), tc.reg, tc.on)
			if tc.want == nil {
				// Every AL2023 install hint follows the row.
				n := 0
				for _, h := range got {
					if strings.Contains(h, "dnf install") {
						t.Errorf("hint %q: the row says dnf -y install", h)
					}
					if strings.Contains(h, ": dnf -y install ") {
						n++
					}
				}
				if n == 0 {
					t.Errorf("no hint uses the changed installer: %q", got)
				}
				return
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("hints\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// TestFamilyLineFromRegistry: a CentOS 7 cohort with no CentOS successor
// moves to the release line os.yaml's family_lines names for its family;
// without that row it is not planned, and the plan says so.
func TestFamilyLineFromRegistry(t *testing.T) {
	cat := testCatalog()
	for _, c := range []advisories.Cycle{
		cy("centos", "7", "2014-07-07", "2024-06-30"),
		cy("rhel", "8", "2019-05-07", "2029-05-31"), cy("rhel", "9", "2022-05-18", "2032-05-31"),
		cy("almalinux", "8", "2019-05-07", "2029-05-31"), cy("almalinux", "9", "2022-05-18", "2032-05-31"),
	} {
		cat.cycles[c.Product] = append(cat.cycles[c.Product], c)
	}
	b := &fleetBuilder{cat: cat, at: testAt}
	b.host("c7", "web", "prod", "centos", "7", specPy38)
	in := Input{At: testAt, DataDate: "2026-08-22", Hosts: b.hosts, Findings: b.findings, Catalog: b.cat}
	const row = `  - {family: el, product: rhel, label: "RHEL family", source: rhel-life-cycle}` + "\n"
	for _, tc := range []struct {
		name string
		reg  *registry.Registry
		want string // "to_product to_label" of the OS step, "" none
	}{
		{"embedded", registry.Default(), "rhel RHEL family"},
		{"the line named otherwise", testRegistry(t, map[string]string{"os.yaml": osYAML(t, row,
			`  - {family: el, product: almalinux, label: "AlmaLinux line", source: rhel-life-cycle}`+"\n")}), "almalinux AlmaLinux line"},
		{"no family line", testRegistry(t, map[string]string{"os.yaml": osYAML(t, row, "")}), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in.Options.Registry = tc.reg
			p, err := Build(in)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			for _, s := range p.Steps {
				if s.Kind == KindOS && s.Action == ActionMove {
					got = s.ToProduct + " " + s.ToLabel
				}
			}
			if got != tc.want {
				t.Errorf("OS move to %q, want %q", got, tc.want)
			}
			if tc.want == "" && !strings.Contains(strings.Join(p.Notes, "\n"), "no supported successor of") {
				t.Errorf("no note says the move is not planned: %q", p.Notes)
			}
		})
	}
}

// TestLTSPathFromRegistry: the releases an in-place upgrade passes through
// are only the LTS ones where os.yaml's tools row says lts_path (Ubuntu),
// and every release without it.
func TestLTSPathFromRegistry(t *testing.T) {
	lts := func(c advisories.Cycle) advisories.Cycle { c.LTS = true; return c }
	cs := []advisories.Cycle{
		lts(cy("ubuntu", "20.04", "2020-04-23", "2025-05-31")), cy("ubuntu", "21.04", "2021-04-22", "2022-01-20"),
		lts(cy("ubuntu", "22.04", "2022-04-21", "2027-04-01")), cy("ubuntu", "23.10", "2023-10-12", "2024-07-11"),
		lts(cy("ubuntu", "24.04", "2024-04-25", "2029-05-31")),
	}
	noLTS := testRegistry(t, map[string]string{"os.yaml": osYAML(t, ", lts_path: true, lts_source: ubuntu-release-upgrades", "")})
	for _, tc := range []struct {
		name string
		reg  *registry.Registry
		want string
	}{
		{"embedded", registry.Default(), "22.04"},
		{"without lts_path", noLTS, "21.04, 22.04, 23.10"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.Join(via(cs, "20.04", "24.04", ltsPath(tc.reg, "ubuntu", "20.04")), ", ")
			if got != tc.want {
				t.Errorf("20.04 → 24.04 through %q, want %q", got, tc.want)
			}
		})
	}
}
