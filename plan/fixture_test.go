package plan

import (
	"fmt"
	"time"

	"upkeep/advisories"
	"upkeep/registry"
)

// memCatalog is a small in-memory catalog: a few real cycles (dates as
// endoflife.date has them) and the embedded ships table.
type memCatalog struct {
	cycles map[string][]advisories.Cycle
	ships  *ShipTable
}

func (m memCatalog) Cycles(p string) []advisories.Cycle { return m.cycles[p] }
func (m memCatalog) Ships(os, c, p string) Shipping     { return m.ships.Ships(os, c, p) }

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// cy makes a cycle; eol "" means no end date announced yet.
func cy(product, name, released, eol string) advisories.Cycle {
	c := advisories.Cycle{Product: product, Name: name, Released: day(released), EOL: advisories.PhaseEnd{Tracked: true}}
	if eol != "" {
		c.EOL.Date = day(eol)
	}
	return c
}

func testCatalog() memCatalog {
	cs := []advisories.Cycle{
		// listed newest first, as the source mostly does
		cy("amazon-linux", "2023", "2023-03-15", "2029-06-30"),
		cy("amazon-linux", "2", "2018-06-26", "2026-06-30"),
		cy("amazon-linux", "2018.03", "2018-03-01", "2023-12-31"),
		cy("ubuntu", "24.04", "2024-04-25", "2029-05-31"),
		cy("ubuntu", "22.04", "2022-04-21", "2027-04-01"),
		cy("ubuntu", "20.04", "2020-04-23", "2025-05-31"),
		cy("nginx", "1.31", "2026-04-20", ""),
		cy("nginx", "1.30", "2026-04-14", ""),
		cy("nginx", "1.28", "2025-04-23", "2026-04-14"),
		cy("nginx", "1.24", "2023-04-11", "2024-04-23"),
		cy("nginx", "1.10", "2016-04-26", "2017-04-12"),
		cy("openssl", "3.5", "2025-04-08", "2030-04-08"),
		cy("openssl", "3.0", "2021-09-07", "2026-09-07"),
		cy("openssl", "1.1.1", "2018-09-11", "2023-09-11"),
		cy("openssl", "1.0.2", "2015-01-22", "2019-12-31"),
		cy("php", "8.4", "2024-11-21", "2028-12-31"),
		cy("php", "8.3", "2023-11-23", "2027-12-31"),
		cy("php", "8.2", "2022-12-08", "2026-12-31"),
		cy("php", "8.1", "2021-11-25", "2025-12-31"),
		cy("php", "7.4", "2019-11-28", "2022-11-28"),
		cy("mysql", "8.4", "2024-04-30", "2032-04-30"),
		cy("mysql", "8.0", "2018-04-19", "2026-04-30"),
		cy("mysql", "5.7", "2015-10-21", "2023-10-31"),
		cy("python", "3.12", "2023-10-02", "2028-10-31"),
		cy("python", "3.11", "2022-10-24", "2027-10-31"),
		cy("python", "3.10", "2021-10-04", "2026-10-31"),
		cy("python", "3.8", "2019-10-14", "2024-10-07"),
		cy("redis", "6.2", "2021-02-22", "2027-04-01"),
	}
	m := memCatalog{cycles: map[string][]advisories.Cycle{}, ships: DefaultShips()}
	for _, c := range cs {
		m.cycles[c.Product] = append(m.cycles[c.Product], c)
	}
	return m
}

var testAt = day("2026-11-24")

// fleetBuilder makes hosts and findings the way the judge would.
type fleetBuilder struct {
	cat      memCatalog
	at       time.Time
	hosts    []Host
	findings []advisories.Finding
}

type prodSpec struct {
	product, label, version, cycle string
	kind                           advisories.Kind
	pkgs                           []string
	path                           string // probe path (hand-built)
	running                        bool
	ports                          []int
	distro                         bool // OS-vendor patched while the OS lives
}

func (b *fleetBuilder) host(name, role, env, os, osCycle string, prods ...prodSpec) {
	b.hosts = append(b.hosts, Host{ID: "i-" + name, Name: name, Tags: map[string]string{"Role": role, "Env": env}})
	osLabel := map[string]string{"amazon-linux": "Amazon Linux", "ubuntu": "Ubuntu"}[os]
	osStatus, osEOL, osDays := b.judge(os, osCycle)
	b.findings = append(b.findings, advisories.Finding{
		Host: "i-" + name, HostName: name, Kind: advisories.KindOS, Package: "os-release", Version: osCycle,
		Product: os, ProductLabel: osLabel, Cycle: osCycle, Status: osStatus, EOLDate: osEOL, Days: osDays,
	})
	for _, p := range prods {
		st, eol, days := b.judge(p.product, p.cycle)
		if p.distro && osStatus != advisories.VerdictEOL {
			st = advisories.VerdictDistroSupported
		}
		f := advisories.Finding{
			Host: "i-" + name, HostName: name, Kind: p.kind, Package: p.path, Packages: p.pkgs, Version: p.version,
			Product: p.product, ProductLabel: p.label, UpstreamVersion: p.version, Cycle: p.cycle,
			Status: st, EOLDate: eol, Days: days, Running: p.running, Ports: p.ports, Source: "os-vendor",
		}
		// As the judge does: an OS vendor's core package is patched until
		// the OS ends (distro-supported until then), and says until when.
		if p.distro {
			f.VendorUntil = osEOL
			if st == advisories.VerdictDistroSupported {
				f.DistroUntil = osEOL
			}
		}
		// As the judge does: the finding plays the best registry role
		// among its packages (a server beats its client).
		manager := map[string]string{"ubuntu": "dpkg", "debian": "dpkg"}[os]
		if manager == "" {
			manager = "rpm"
		}
		for _, name := range p.pkgs {
			if m, ok := registry.Default().Map(manager, name, p.version); ok && m.Product == p.product &&
				(f.Role == "" || registry.RoleRank(m.Role) < registry.RoleRank(f.Role)) {
				f.Role = m.Role
			}
		}
		if p.kind == advisories.KindProbe {
			f.Source = "hand-built"
		} else {
			f.Package = p.pkgs[0]
		}
		b.findings = append(b.findings, f)
	}
}

func (b *fleetBuilder) judge(product, cycle string) (advisories.Verdict, string, int) {
	for _, c := range b.cat.cycles[product] {
		if c.Name != cycle {
			continue
		}
		if c.EOL.Date.IsZero() {
			return advisories.VerdictSupported, "", 0
		}
		days := int(b.at.Sub(c.EOL.Date).Hours() / 24)
		switch {
		case days > 0:
			return advisories.VerdictEOL, c.EOL.Date.Format("2006-01-02"), days
		case days > -90:
			return advisories.VerdictEOLSoon, c.EOL.Date.Format("2006-01-02"), days
		}
		return advisories.VerdictSupported, c.EOL.Date.Format("2006-01-02"), days
	}
	return advisories.VerdictUnknown, "", 0
}

var (
	specNginx   = prodSpec{product: "nginx", label: "nginx", version: "1.10.3", cycle: "1.10", kind: advisories.KindProbe, path: "/usr/local/nginx/sbin/nginx", running: true, ports: []int{80, 443}}
	specOpenSSL = prodSpec{product: "openssl", label: "OpenSSL", version: "1.0.2k", cycle: "1.0.2", kind: advisories.KindPackage, pkgs: []string{"openssl", "openssl-libs"}, distro: true}
	specPHP     = prodSpec{product: "php", label: "PHP", version: "7.4.33", cycle: "7.4", kind: advisories.KindPackage, pkgs: []string{"php-cli", "php-common", "php-fpm", "php-mysqlnd"}, running: true}
	specMySQL   = prodSpec{product: "mysql", label: "MySQL", version: "5.7.44", cycle: "5.7", kind: advisories.KindPackage, pkgs: []string{"mysql-community-client", "mysql-community-server"}, running: true, ports: []int{3306}}
	specPHP81   = prodSpec{product: "php", label: "PHP", version: "8.1.31", cycle: "8.1", kind: advisories.KindPackage, pkgs: []string{"php8.1-cli", "php8.1-fpm"}, running: true}
	specOSSL3   = prodSpec{product: "openssl", label: "OpenSSL", version: "3.0.8", cycle: "3.0", kind: advisories.KindPackage, pkgs: []string{"openssl-libs"}, distro: true}
	specPy38    = prodSpec{product: "python", label: "Python", version: "3.8.10", cycle: "3.8", kind: advisories.KindPackage, pkgs: []string{"python3.8"}}
	specRedis   = prodSpec{product: "redis", label: "Redis", version: "6.2.14", cycle: "6.2", kind: advisories.KindPackage, pkgs: []string{"redis6"}, running: true, ports: []int{6379}}
)

// handFleet is a small fleet shaped like the ones upkeep is for: Amazon
// Linux 2 web hosts with a hand-built nginx, AL2 database hosts, AL2023 API
// hosts, an Ubuntu 20.04 box and a healthy cache, across three environments.
func handFleet() Input {
	b := &fleetBuilder{cat: testCatalog(), at: testAt}
	for env, n := range map[string]int{"dev": 1, "staging": 2, "prod": 4} {
		for i := 1; i <= n; i++ {
			b.host(fmt.Sprintf("web-%s-%d", env, i), "web", env, "amazon-linux", "2", specNginx, specOpenSSL, specPHP)
		}
	}
	b.host("db-dev-1", "db", "dev", "amazon-linux", "2", specOpenSSL, specMySQL)
	b.host("db-prod-1", "db", "prod", "amazon-linux", "2", specOpenSSL, specMySQL)
	b.host("db-prod-2", "db", "prod", "amazon-linux", "2", specOpenSSL, specMySQL)
	b.host("api-staging-1", "api", "staging", "amazon-linux", "2023", specOSSL3, specPHP81)
	b.host("api-prod-1", "api", "prod", "amazon-linux", "2023", specOSSL3, specPHP81)
	b.host("api-prod-2", "api", "prod", "amazon-linux", "2023", specOSSL3, specPHP81)
	b.host("app-dev-1", "api", "dev", "ubuntu", "20.04", specPy38)
	b.host("cache-prod-1", "cache", "prod", "amazon-linux", "2023", specOSSL3, specRedis)
	return Input{At: testAt, DataDate: "2026-08-22", Hosts: b.hosts, Findings: b.findings, Catalog: b.cat}
}
