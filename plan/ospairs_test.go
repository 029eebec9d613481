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
// is past its end, and checks the targets against the ships table: each is
// a line the new release ships, none is past its end or ends inside the
// window while the release ships a line supported longer, none ends before
// another shipped line (the rule: supported longest), and nothing "carries
// over" without a row saying the new release ships and supports that line;
// a product without a row is named as not known. The wanted targets pin the
// data: a changed row shows up here.
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
		toOS          string            // the release the OS step moves to
		want          map[string]string // product → final target
	}{
		{"AL2 to AL2023", "amazonlinux-2-container", inventory.OSRelease{ID: "amzn", VersionID: "2"}, "2026-11-24",
			[]inventory.Package{rpm("php-fpm", "7.4.33", "1.amzn2"), rpm("php-cli", "7.4.33", "1.amzn2"), rpm("mariadb-server", "10.5.18", "1.amzn2"),
				rpm("nginx", "1.22.1", "1.amzn2.0.2"), rpm("mysql-community-server", "5.7.44", "1.el7"), rpm("redis", "6.2.13", "1.amzn2")}, "2023",
			map[string]string{"php": "8.5", "mariadb": "12.3", "nginx": "1.30", "mysql": "8.4"}},
		{"Ubuntu 22.04 to 24.04", "ubuntu-22.04-container", inventory.OSRelease{ID: "ubuntu", VersionID: "22.04"}, "2027-05-01",
			[]inventory.Package{deb("nginx", "1.18.0-6ubuntu14.4"), deb("php8.1-fpm", "8.1.2-1ubuntu2.14"), deb("postgresql-14", "14.11-0ubuntu0.22.04.1"),
				deb("mysql-server-8.0", "8.0.36-0ubuntu0.22.04.1"), deb("openjdk-11-jre-headless", "11.0.22+7-0ubuntu2~22.04.1")}, "24.04",
			map[string]string{"php": "8.3", "nginx": "1.24", "postgresql": "16", "mysql": "8.0", "eclipse-temurin": "17"}},
		{"Debian 12 to 13", "debian-12-app", inventory.OSRelease{ID: "debian", VersionID: "12"}, "2026-11-24",
			[]inventory.Package{deb("postgresql-15", "15.6-0+deb12u1"), deb("openjdk-17-jre-headless", "17.0.11+9-1~deb12u1"),
				deb("nginx", "1.22.1-9"), deb("php8.2-fpm", "8.2.18-1~deb12u1")}, "13",
			map[string]string{"php": "8.4", "nginx": "1.26", "postgresql": "17", "eclipse-temurin": "21", "python": "3.13"}},
		{"CentOS 7 to the RHEL 9 family", "centos-7-container", inventory.OSRelease{ID: "centos", VersionID: "7"}, "2026-11-24",
			[]inventory.Package{rpm("httpd", "2.4.6", "99.el7.centos.1"), rpm("mariadb-server", "5.5.68", "1.el7"), rpm("php", "5.4.16", "48.el7"),
				rpm("rh-nodejs14-nodejs", "14.11.0", "2.el7"), rpm("java-1.8.0-openjdk-headless", "1.8.0.412.b08", "1.el7_9")}, "9",
			// The RHEL 9 default streams live as long as RHEL 9 (2032-05-31).
			map[string]string{"php": "8.0", "mariadb": "10.5", "python": "3.9", "nodejs": "26", "eclipse-temurin": "25"}},
		{"CentOS 7 with Software Collections to the RHEL family after RHEL 9 left full support", "centos-7-httpd24-container", inventory.OSRelease{ID: "centos", VersionID: "7"}, "2027-06-15",
			[]inventory.Package{rpm("rh-php73-php-fpm", "7.3.20", "1.el7"), rpm("rh-postgresql12-postgresql-server", "12.5", "1.el7"), rpm("rh-redis5-redis", "5.0.5", "2.el7")}, "10",
			// 2027-06-15: RHEL 9 left full support on 2027-05-31, so the
			// rebuild lands on RHEL 10; RHEL 10 ships no Redis (Valkey in its place).
			map[string]string{"php": "8.3", "postgresql": "16"}},
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
			checkOSPair(t, p, cat, ships, at, at.AddDate(0, 0, within), tc.toOS, tc.want)
		})
	}
}

// checkOSPair checks a plan's OS move and its targets against the ships
// table, independently of how the planner chose them.
func checkOSPair(t *testing.T, p *Plan, cat Catalog, ships *ShipTable, at, deadline time.Time, toOS string, want map[string]string) {
	t.Helper()
	var osStep *Step
	got := map[string]string{}
	for _, s := range p.Steps {
		t.Logf("step %d: %s %s → %s on %s: %s | %q", s.Number, s.Product, s.FromCycle, s.To, s.OnOS, s.Hint, s.Reasons)
		if s.Kind == KindOS {
			osStep = s
		} else if s.Action != ActionKeep {
			got[s.Product] = s.To
		}
	}
	if osStep == nil || osStep.To != toOS {
		t.Fatalf("OS step %v, want a move to %s (notes %q)", osStep, toOS, p.Notes)
	}
	osProduct, osCycle := osStep.Product, osStep.To
	if osStep.ToProduct != "" {
		osProduct = osStep.ToProduct
	}
	osEnd := time.Time{}
	if c := findCycle(cat.Cycles(osProduct), osCycle); c != nil {
		osEnd = c.EOL.Date
	}
	// end is when a shipped line stops being patched on the release.
	end := func(product string, of Offer) time.Time {
		switch {
		case !of.Until.IsZero():
			if !osEnd.IsZero() && osEnd.Before(of.Until) {
				return osEnd
			}
			return of.Until
		case of.OSSupported:
			return osEnd
		}
		if c := findCycle(cat.Cycles(product), of.Cycle); c != nil {
			if c.EOL.Date.IsZero() && !c.EOL.Passed(at) {
				return at.AddDate(100, 0, 0) // no end announced
			}
			return c.EOL.Date
		}
		return time.Time{}
	}
	offer := func(product, cycle string) (Offer, bool) {
		for _, of := range ships.Ships(osStep.Product, osCycle, product).Offers {
			if of.Cycle == cycle {
				return of, true
			}
		}
		return Offer{}, false
	}

	// Carry-overs: each has a row whose line lives past the window.
	var carried, unknown []string
	for _, part := range strings.Split(osStep.facts.shipNote, "; ") {
		if list, ok := strings.CutPrefix(part, "carried over as the new release ships them: "); ok {
			carried = strings.Split(list, ", ")
		}
		if list, ok := strings.CutPrefix(part, "not known whether "+osStep.OnOS+" ships "); ok {
			list, _, _ = strings.Cut(list, ": ")
			unknown = strings.Split(list, ", ")
		}
	}
	for _, pc := range carried {
		prod, cyc, _ := strings.Cut(pc, " ")
		of, ok := offer(prod, cyc)
		switch {
		case !ok:
			t.Errorf("%s carries over to %s without a ships row", pc, osStep.OnOS)
		case end(prod, of).Before(deadline):
			t.Errorf("%s carries over to %s although the line ends %s, inside the window", pc, osStep.OnOS, end(prod, of).Format(time.DateOnly))
		}
	}
	for _, pc := range unknown {
		prod, _, _ := strings.Cut(pc, " ")
		if sh := ships.Ships(osStep.Product, osCycle, prod); sh.Known {
			t.Errorf("%s is called not known on %s although the ships table has a row", pc, osStep.OnOS)
		}
	}

	// Every product of the cohort is accounted for: a step, a carry-over
	// with a row, or named as not known. Nothing passes silently.
	said := map[string]bool{}
	for _, pc := range append(carried, unknown...) {
		said[pc] = true
	}
	for _, s := range p.Steps {
		said[s.Product+" "+s.FromCycle] = true
	}
	for _, pc := range osStep.c.Products {
		if !said[pc] {
			t.Errorf("%s: neither a step, nor carried over, nor named as not known on %s", pc, osStep.OnOS)
		}
	}

	for _, s := range p.Steps {
		if s.Kind == KindOS || s.Action != ActionUpgrade || s.facts.via != "" && s.To != lastHop(s.facts.via) {
			continue // intermediate hops of a required path pass lines that ended
		}
		sh := ships.Ships(osStep.Product, osCycle, s.Product)
		if len(sh.Offers) == 0 {
			continue // nothing shipped or not known: upstream cycles, said in the step
		}
		target, ok := offer(s.Product, s.To)
		if !ok {
			t.Errorf("%s → %s on %s: not a shipped line", s.Product, s.To, s.OnOS)
			continue
		}
		te := end(s.Product, target)
		for _, of := range sh.Offers {
			if cmpCycle(of.Cycle, s.FromCycle) < 0 {
				continue
			}
			oe := end(s.Product, of)
			if te.Before(deadline) && oe.After(te) {
				t.Errorf("%s → %s ends %s, inside the window (%s), although %s %s ships until %s",
					s.Product, s.To, te.Format(time.DateOnly), deadline.Format(time.DateOnly), s.Product, of.Cycle, oe.Format(time.DateOnly))
			}
			if oe.After(te) {
				t.Errorf("%s → %s (until %s) is not the line supported longest: %s ships until %s",
					s.Product, s.To, te.Format(time.DateOnly), of.Cycle, oe.Format(time.DateOnly))
			}
		}
		if !strings.Contains(strings.Join(s.Reasons, "\n"), "is supported until "+te.Format(time.DateOnly)) {
			t.Errorf("%s → %s: no reason says until when (%s): %q", s.Product, s.To, te.Format(time.DateOnly), s.Reasons)
		}
	}
	for prod, w := range want {
		if got[prod] != w {
			t.Errorf("%s → %q, want %q", prod, got[prod], w)
		}
	}
}

func lastHop(via string) string {
	parts := strings.Split(via, " → ")
	return parts[len(parts)-1]
}
