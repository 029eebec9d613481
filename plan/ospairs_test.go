package plan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"upkeep/advisories"
	"upkeep/inventory"
)

// readFixture reads a real package list from internal/fixtures/hosts: rpm
// lists are name, epoch, version, release, arch[, vendor]; dpkg lists are
// name, version, arch[, status].
func readFixture(t *testing.T, name string) []inventory.Package {
	t.Helper()
	for _, ext := range []string{".rpm", ".dpkg"} {
		b, err := os.ReadFile(filepath.Join("..", "internal", "fixtures", "hosts", name+ext))
		if err != nil {
			continue
		}
		var out []inventory.Package
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			f := strings.Split(line, "\t")
			switch {
			case strings.HasPrefix(line, "#"):
			case ext == ".rpm" && len(f) >= 5:
				ep := f[1]
				if ep == "(none)" {
					ep = ""
				}
				out = append(out, inventory.Package{Manager: "rpm", Name: f[0], Epoch: ep, Version: f[2], Release: f[3], Arch: f[4]})
			case ext == ".dpkg" && len(f) >= 3:
				p := inventory.Package{Manager: "dpkg", Name: f[0], Version: f[1], Arch: f[2]}
				if len(f) >= 4 {
					p.Status = f[3]
				}
				out = append(out, p)
			}
		}
		if len(out) < 50 {
			t.Fatalf("fixture %s: %d packages", name, len(out))
		}
		return out
	}
	t.Fatalf("no fixture %s", name)
	return nil
}

// TestOSReleasePairs plans real package lists (with the middleware a web or
// database host adds) across each OS move, at a date when the old release
// is past its end, and checks the targets: none is past its end or ends
// inside the window when the new release ships a line supported longer, and
// nothing "carries over" that the ships table does not list.
func TestOSReleasePairs(t *testing.T) {
	d, err := advisories.Load()
	if err != nil {
		t.Fatal(err)
	}
	ships := DefaultShips()
	cat := NewCatalog(d, ships)
	rpm := func(n, v, r string) inventory.Package {
		return inventory.Package{Manager: "rpm", Name: n, Version: v, Release: r, Arch: "x86_64"}
	}
	deb := func(n, v string) inventory.Package {
		return inventory.Package{Manager: "dpkg", Name: n, Version: v, Arch: "amd64", Status: "ii"}
	}
	for _, tc := range []struct {
		name, fixture string
		osr           inventory.OSRelease
		at            string
		add           []inventory.Package
		toOS          string // the release the OS step moves to; "" when no move is planned
	}{
		{"AL2 to AL2023", "amazonlinux-2-container", inventory.OSRelease{ID: "amzn", VersionID: "2"}, "2026-11-24",
			[]inventory.Package{rpm("php-fpm", "7.4.33", "1.amzn2"), rpm("php-cli", "7.4.33", "1.amzn2"), rpm("mariadb-server", "10.5.18", "1.amzn2"),
				rpm("nginx", "1.22.1", "1.amzn2.0.2"), rpm("mysql-community-server", "5.7.44", "1.el7"), rpm("redis", "6.2.13", "1.amzn2")}, "2023"},
		{"Ubuntu 22.04 to 24.04", "ubuntu-22.04-container", inventory.OSRelease{ID: "ubuntu", VersionID: "22.04"}, "2027-05-01",
			[]inventory.Package{deb("nginx", "1.18.0-6ubuntu14.4"), deb("php8.1-fpm", "8.1.2-1ubuntu2.14"), deb("postgresql-14", "14.11-0ubuntu0.22.04.1"),
				deb("mysql-server-8.0", "8.0.36-0ubuntu0.22.04.1")}, "24.04"},
		{"Debian 12 to 13", "debian-12-app", inventory.OSRelease{ID: "debian", VersionID: "12"}, "2026-11-24",
			[]inventory.Package{deb("postgresql-15", "15.6-0+deb12u1"), deb("openjdk-17-jre-headless", "17.0.11+9-1~deb12u1"),
				deb("nginx", "1.22.1-9"), deb("php8.2-fpm", "8.2.18-1~deb12u1")}, "13"},
		{"CentOS 7 to the RHEL 9 family", "centos-7-container", inventory.OSRelease{ID: "centos", VersionID: "7"}, "2026-11-24",
			[]inventory.Package{rpm("httpd", "2.4.6", "99.el7.centos.1"), rpm("mariadb-server", "5.5.68", "1.el7"), rpm("php", "5.4.16", "48.el7")}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			at := day(tc.at)
			within := 180
			pkgs := append(readFixture(t, tc.fixture), tc.add...)
			rep := &inventory.Report{Facts: inventory.Facts{OS: tc.osr, Hostname: "h1"}, Packages: pkgs}
			opt := advisories.Options{At: at, Within: within}
			hrs := d.Judge([]inventory.Observation{{Host: inventory.Host{ID: "i-1", Name: "h1"}, Status: inventory.StatusOK, Report: rep}}, opt)
			var fs []advisories.Finding
			for _, hr := range hrs {
				fs = append(fs, hr.Findings...)
			}
			p, err := Build(Input{At: at, Hosts: []Host{{ID: "i-1", Name: "h1", Tags: map[string]string{"Env": "prod", "Role": "app"}}},
				Findings: fs, Catalog: cat, Options: Options{Within: time.Duration(within) * 24 * time.Hour}})
			if err != nil {
				t.Fatal(err)
			}
			deadline := at.AddDate(0, 0, within)
			moved := ""
			for _, s := range p.Steps {
				t.Logf("step %d: %s %s → %s on %s", s.Number, s.Product, s.FromCycle, s.To, s.OnOS)
				if s.Kind == KindOS {
					moved = s.To
					for _, part := range strings.Split(s.facts.shipNote, "; ") {
						list, ok := strings.CutPrefix(part, "carried over as the new release ships them: ")
						if !ok {
							continue
						}
						for _, pc := range strings.Split(list, ", ") {
							prod, cyc, _ := strings.Cut(pc, " ")
							sh := ships.Ships(s.Product, s.To, prod)
							found := false
							for _, of := range sh.Offers {
								found = found || of.Cycle == cyc
							}
							if !found {
								t.Errorf("%s %s carries over on %s %s without a ships row", prod, cyc, s.Product, s.To)
							}
						}
					}
					continue
				}
				if s.Action != ActionUpgrade || s.facts.via != "" && s.To != lastHop(s.facts.via) {
					continue // intermediate hops of a required path pass lines that ended
				}
				osProduct, osCycle := s.c.osProduct, s.c.osCycle
				if moved != "" {
					osCycle = moved
				}
				sh := ships.Ships(osProduct, osCycle, s.Product)
				if len(sh.Offers) == 0 {
					continue // nothing shipped: upstream cycles, said in the step
				}
				cs := cat.Cycles(s.Product)
				end := func(cycle string, osSupported bool) time.Time {
					if osSupported {
						if c := findCycle(cat.Cycles(osProduct), osCycle); c != nil {
							return c.EOL.Date
						}
					}
					if c := findCycle(cs, cycle); c != nil {
						if c.EOL.Date.IsZero() && !c.EOL.Passed(at) {
							return at.AddDate(100, 0, 0) // no end announced
						}
						return c.EOL.Date
					}
					return time.Time{}
				}
				var target *Offer
				for i := range sh.Offers {
					if sh.Offers[i].Cycle == s.To {
						target = &sh.Offers[i]
					}
				}
				if target == nil {
					t.Errorf("%s → %s on %s %s: not a shipped line", s.Product, s.To, osProduct, osCycle)
					continue
				}
				te := end(s.To, target.OSSupported)
				for _, of := range sh.Offers {
					if cmpCycle(of.Cycle, s.FromCycle) < 0 {
						continue
					}
					oe := end(of.Cycle, of.OSSupported)
					if te.Before(deadline) && oe.After(te) {
						t.Errorf("%s → %s ends %s, inside the window (%s), although %s %s ships until %s",
							s.Product, s.To, te.Format(time.DateOnly), deadline.Format(time.DateOnly), s.Product, of.Cycle, oe.Format(time.DateOnly))
					}
				}
			}
			if moved != tc.toOS {
				t.Errorf("OS moves to %q, want %q (notes %q)", moved, tc.toOS, p.Notes)
			}
		})
	}
}

func lastHop(via string) string {
	parts := strings.Split(via, " → ")
	return parts[len(parts)-1]
}
