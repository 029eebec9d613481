package advisories

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"upkeep/inventory"
)

func al2Pkg(name, ver, rel string) inventory.Package {
	return inventory.Package{Manager: "rpm", Name: name, Version: ver, Release: rel, Arch: "x86_64"}
}

func readinessOf(t *testing.T, d *Data, osr inventory.OSRelease, pkgs []inventory.Package, services []string) HostReadiness {
	t.Helper()
	rep := &inventory.Report{Facts: inventory.Facts{OS: osr}, Packages: pkgs}
	for _, s := range services {
		rep.Services = append(rep.Services, inventory.Service{Unit: s, State: "running"})
	}
	opt := Options{At: day("2026-11-24"), Within: 180}
	hr := d.Judge([]inventory.Observation{{Host: inventory.Host{ID: "h"}, Status: inventory.StatusOK, Report: rep}}, opt)
	return d.Readiness(hr, opt)[0]
}

func entryFor2(r HostReadiness, product, pkg string) (Entry, bool) {
	for _, e := range r.Entries {
		if (product != "" && e.Product == product) || (pkg != "" && e.Package == pkg) {
			return e, true
		}
	}
	return Entry{}, false
}

var al2 = inventory.OSRelease{ID: "amzn", VersionID: "2", Name: "Amazon Linux"}

// TestReadinessVendorRepoAndClients: MySQL, which AL2023 does not ship but
// Oracle's repository serves, is work with the repository named, not an
// inhibitor; a host with only the client gets a client remedy.
func TestReadinessVendorRepoAndClients(t *testing.T) {
	d := mustLoad(t)
	server := readinessOf(t, d, al2, []inventory.Package{
		al2Pkg("mysql-community-server", "5.7.44", "1.el7"), al2Pkg("mysql-community-client", "5.7.44", "1.el7"),
	}, []string{"mysqld.service"})
	e, ok := entryFor2(server, "mysql", "")
	if !ok || e.Inhibitor || server.Readiness == Blocked || !strings.Contains(e.Remediation, "Oracle's MySQL Yum repository") {
		t.Errorf("MySQL server: %s, entry %+v", server.Readiness, e)
	}
	// AL2023 2023.12 ships MariaDB 10.5 (ended 2025-06-24), 10.11, 11.4,
	// 11.8 and 12.3: the alternative is the line supported longest (12.3,
	// to 2029-06-12), never the ended one.
	if !strings.Contains(e.AL2023Package, "mariadb123") {
		t.Errorf("MySQL's AL2023 alternative %q, want the MariaDB line that lasts longest (12.3), not 10.5 (ended 2025-06-24)", e.AL2023Package)
	}

	client := readinessOf(t, d, al2, []inventory.Package{al2Pkg("mysql-community-client", "5.7.44", "1.el7"), al2Pkg("mysql-community-libs", "5.7.44", "1.el7")}, nil)
	e, ok = entryFor2(client, "mysql", "")
	if !ok || e.Inhibitor || e.Severity != SevLow || !strings.Contains(e.Summary, "client only") || !strings.Contains(e.Remediation, "mysql-community-client") {
		t.Errorf("MySQL client only: %+v", e)
	}
}

// TestReadinessAL2Table: every package the AL2 -> AL2023 table knows as
// replaced or removed is reported when the host has it.
func TestReadinessAL2Table(t *testing.T) {
	d := mustLoad(t)
	r := readinessOf(t, d, al2, []inventory.Package{
		al2Pkg("ntp", "4.2.8p15", "1.amzn2.0.1"), al2Pkg("awscli", "1.18.147", "1.amzn2.0.2"),
		al2Pkg("compat-openssl10", "1.0.2o", "4.amzn2"), al2Pkg("epel-release", "7", "11"),
		al2Pkg("bash", "4.2.46", "34.amzn2"),
	}, nil)
	want := map[string]string{"ntp": "chrony", "awscli": "awscli-2", "compat-openssl10": "all compat-* packages dropped", "epel-release": "no EPEL"}
	for pkg, text := range want {
		e, ok := entryFor2(r, "", pkg)
		if !ok || !strings.Contains(e.Summary, text) || e.Remediation == "" || (e.Product == "" && e.Key != "h/al2023/package/"+pkg) {
			t.Errorf("%s: %+v (found %v), want a summary naming %q", pkg, e, ok, text)
		}
	}
	if _, ok := entryFor2(r, "", "bash"); ok {
		t.Error("bash (available under the same name) is reported")
	}
	if r.Readiness != NeedsWork {
		t.Errorf("readiness %s, want needs-work", r.Readiness)
	}
}

// TestReadinessBlocked: a product AL2023 does not ship and no vendor
// repository serves still blocks the move.
func TestReadinessBlocked(t *testing.T) {
	d := mustLoad(t)
	r := readinessOf(t, d, al2, []inventory.Package{al2Pkg("varnish", "6.0.8", "1.el7")}, nil)
	if r.Readiness != Blocked {
		t.Errorf("varnish: %s %+v", r.Readiness, r.Entries)
	}
}

// TestAL2ToAL2023Targets runs the real AL2 package list (a container image)
// with the middleware of a typical web host and checks every target AL2023
// readiness names: none is past its end or ends inside the window when
// AL2023 ships a line that lasts longer, and each says until when.
func TestAL2ToAL2023Targets(t *testing.T) {
	d := mustLoad(t)
	pkgs := fixtureRPMs(t, "amazonlinux-2-container")
	pkgs = append(pkgs,
		al2Pkg("php-fpm", "7.4.33", "1.amzn2"), al2Pkg("php-cli", "7.4.33", "1.amzn2"),
		al2Pkg("nodejs", "16.20.2", "1.el7"), al2Pkg("mariadb-server", "10.5.18", "1.amzn2"),
		al2Pkg("postgresql-server", "13.20", "1.amzn2"), al2Pkg("tomcat", "7.0.76", "1.amzn2"),
		al2Pkg("ruby", "2.6.10", "1.amzn2"), al2Pkg("java-1.8.0-openjdk", "1.8.0.412.b08", "1.amzn2"),
		al2Pkg("redis", "6.2.13", "1.amzn2"))
	at := day("2026-11-24")
	deadline := at.AddDate(0, 0, 180)
	r := readinessOf(t, d, al2, pkgs, nil)
	checked := 0
	for _, e := range r.Entries {
		if e.Product == "" || e.AL2023Package == "" || e.Product == "linux" {
			continue
		}
		for _, name := range strings.Split(e.AL2023Package, ",") {
			product := e.Product
			switch product {
			case "mysql":
				product = "mariadb"
			case "eclipse-temurin":
				product = "amazon-corretto"
			case "redis":
				if name == "valkey" {
					continue
				}
			}
			o, ok := d.offerNamed(product, name)
			if !ok {
				continue // a curated row's package the data lists no version for
			}
			end, ok := d.offerEnd(product, o)
			if !ok {
				t.Errorf("%s → %s: end of support not known", e.Product, name)
				continue
			}
			if end.before(deadline) || end.text == "ended" {
				if _, _, longer := d.lastingOffer(product, "0", "", deadline); longer {
					t.Errorf("%s → %s ends %s, inside the window, although a longer line ships", e.Product, name, end.text)
				}
			}
			checked++
		}
		// Until when, or that no shipped line is known to last (the data has
		// only lines that end inside the window).
		if !strings.Contains(e.Summary, "supported until") && !strings.Contains(e.Summary, "is known to be supported past") && e.Availability != AvailRemoved {
			t.Errorf("%s: the summary does not say until when: %s", e.Product, e.Summary)
		}
	}
	if checked < 6 {
		t.Errorf("only %d targets checked: %+v", checked, r.Entries)
	}
}

// fixtureRPMs reads a real package list from internal/fixtures/hosts
// (name, epoch, version, release, arch columns).
func fixtureRPMs(t *testing.T, name string) []inventory.Package {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "internal", "fixtures", "hosts", name+".rpm"))
	if err != nil {
		t.Fatal(err)
	}
	var out []inventory.Package
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 5 || strings.HasPrefix(line, "#") {
			continue
		}
		ep := f[1]
		if ep == "(none)" {
			ep = ""
		}
		out = append(out, inventory.Package{Manager: "rpm", Name: f[0], Epoch: ep, Version: f[2], Release: f[3], Arch: f[4]})
	}
	if len(out) < 50 {
		t.Fatalf("fixture %s: only %d packages", name, len(out))
	}
	return out
}
