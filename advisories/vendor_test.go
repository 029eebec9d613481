package advisories

import (
	"strings"
	"testing"

	"upkeep/inventory"
)

// judgeHost judges one scanned host at a day.
func judgeHost(t *testing.T, d *Data, osID string, rep inventory.Report, at string, ext bool) HostReport {
	t.Helper()
	osr, err := ParseOS(osID)
	if err != nil {
		t.Fatal(err)
	}
	rep.Facts.OS = osr
	o := inventory.Observation{Host: inventory.Host{ID: "i-1", Name: "h"}, Status: inventory.StatusOK, Report: &rep}
	return d.Judge([]inventory.Observation{o}, Options{At: day(at), Within: 180, ExtendedSupport: ext})[0]
}

func findingOf(hr HostReport, product string) (Finding, bool) {
	for _, f := range hr.Findings {
		if f.Product == product && f.Kind != KindOS {
			return f, true
		}
	}
	return Finding{}, false
}

func rpmPkg(name, evr string) inventory.Package { return ParseEVR(name, evr) }

// TestVendorLifeCycles covers the vendor rules a pasted list cannot carry:
// the host's own support statement, the rpm module label and the archive
// component.
func TestVendorLifeCycles(t *testing.T) {
	d := mustLoad(t)
	module := func(p inventory.Package, label string) inventory.Package { p.Module = label; return p }
	component := func(name, v, c string) inventory.Package {
		return inventory.Package{Manager: "dpkg", Name: name, Version: v, Status: "ii", Component: c}
	}
	cases := []struct {
		name    string
		os      string
		rep     inventory.Report
		at      string
		ext     bool
		product string
		status  Verdict
		reason  string // a fragment the reason must hold
	}{
		{name: "AL2023 supportinfo date wins", os: "amzn:2023", at: "2026-12-01",
			rep: inventory.Report{Packages: []inventory.Package{rpmPkg("nginx", "1:1.24.0-1.amzn2023.0.4")},
				Support: []inventory.SupportStatement{{Package: "nginx", Level: "supported", Ends: "2027-01-15", Source: "dnf supportinfo"}}},
			product: "nginx", status: VerdictEOLSoon, reason: "dnf supportinfo"},
		{name: "AL2023 supportinfo end-of-support", os: "amzn:2023", at: "2026-12-01",
			rep: inventory.Report{Packages: []inventory.Package{rpmPkg("nginx", "1:1.24.0-1.amzn2023.0.4")},
				Support: []inventory.SupportStatement{{Package: "nginx", Level: "end-of-support", Source: "dnf supportinfo"}}},
			product: "nginx", status: VerdictEOL, reason: "no fixes from the vendor either"},
		{name: "AL2023 core package without a statement", os: "amzn:2023", at: "2026-12-01",
			rep:     inventory.Report{Packages: []inventory.Package{rpmPkg("httpd", "2.4.62-1.amzn2023")}},
			product: "apache-http-server", status: VerdictSupported},
		{name: "RHEL 8 stream from MODULARITYLABEL, retired", os: "rhel:8", at: "2022-01-01",
			rep:     inventory.Report{Packages: []inventory.Package{module(rpmPkg("nodejs", "1:12.22.5-1.module+el8.4.0+12093+a7d2a7e2"), "nodejs:12:8040020210817085445:522a0ee4")}},
			product: "nodejs", status: VerdictEOLSoon, reason: "nodejs 12 Application Stream"},
		{name: "RHEL 8 stream outliving upstream", os: "rhel:8", at: "2026-12-01",
			rep:     inventory.Report{Packages: []inventory.Package{module(rpmPkg("php-fpm", "7.4.33-1.module+el8.8.0+17865+a7d2a7e2"), "php:7.4:8080020230324:522a0ee4")}},
			product: "php", status: VerdictDistroSupported, reason: "until 2029-05-31"},
		{name: "EL7 Software Collection after RHEL 7 maintenance", os: "centos:7", at: "2026-12-01",
			rep:     inventory.Report{Packages: []inventory.Package{rpmPkg("rh-nodejs14-nodejs", "14.21.3-4.el7")}},
			product: "nodejs", status: VerdictEOL, reason: "rh-nodejs14 Software Collection"},
		{name: "Ubuntu universe recorded by apt", os: "ubuntu:22.04", at: "2026-06-01",
			rep:     inventory.Report{Packages: []inventory.Package{component("memcached", "1.6.14-1ubuntu0.1", "universe")}},
			product: "memcached", status: VerdictSupported, reason: "Ubuntu Pro"},
		{name: "Ubuntu universe redis without Ubuntu Pro", os: "ubuntu:22.04", at: "2026-06-01",
			rep:     inventory.Report{Packages: []inventory.Package{component("redis-server", "5:6.0.16-1ubuntu1", "universe")}},
			product: "redis", status: VerdictEOL, reason: "Ubuntu Pro"},
		{name: "Ubuntu universe redis with Ubuntu Pro", os: "ubuntu:22.04", at: "2026-06-01", ext: true,
			rep:     inventory.Report{Packages: []inventory.Package{component("redis-server", "5:6.0.16-1ubuntu1", "universe")}},
			product: "redis", status: VerdictDistroSupported, reason: "ESM Apps"},
		{name: "Ubuntu main package", os: "ubuntu:22.04", at: "2026-06-01",
			rep:     inventory.Report{Packages: []inventory.Package{component("nginx", "1.18.0-6ubuntu14.4", "main")}},
			product: "nginx", status: VerdictDistroSupported},
		{name: "extended support counts the OS's phase, not OpenSSL's premium support", os: "ubuntu:20.04", at: "2026-12-01", ext: true,
			rep:     inventory.Report{Packages: []inventory.Package{component("libssl1.1", "1.1.1f-1ubuntu2.24", "main")}},
			product: "openssl", status: VerdictDistroSupported, reason: "paid upstream support, which upkeep does not count"},
		{name: "Ubuntu component unknown: never distro-supported on a guess", os: "ubuntu:20.04", at: "2024-01-01",
			rep:     inventory.Report{Packages: []inventory.Package{component("php7.4-fpm", "7.4.3-4ubuntu2.24", "")}},
			product: "php", status: VerdictUnknown, reason: "distro-supported until 2025-05-31 only if it is in main"},
		{name: "Ubuntu component unknown, the registry says main", os: "ubuntu:22.04", at: "2024-01-01",
			rep:     inventory.Report{Packages: []inventory.Package{component("nginx", "1.18.0-6ubuntu14.4", "")}},
			product: "nginx", status: VerdictDistroSupported},
		{name: "Ubuntu component recorded as main", os: "ubuntu:20.04", at: "2024-01-01",
			rep:     inventory.Report{Packages: []inventory.Package{component("php7.4-fpm", "7.4.3-4ubuntu2.24", "main")}},
			product: "php", status: VerdictDistroSupported, reason: "until 2025-05-31"},
		{name: "Ubuntu component unknown, the release ended: unpatched either way", os: "ubuntu:20.04", at: "2026-12-01",
			rep:     inventory.Report{Packages: []inventory.Package{component("php7.4-fpm", "7.4.3-4ubuntu2.24", "")}},
			product: "php", status: VerdictEOL, reason: "no fixes from the vendor either"},
		{name: "Ubuntu universe after the release ended: nobody patches it", os: "ubuntu:18.04", at: "2024-01-01",
			rep:     inventory.Report{Packages: []inventory.Package{component("tomcat9", "9.0.16-3ubuntu0.18.04.2", "universe")}},
			product: "tomcat", status: VerdictUnpatched, reason: "community maintained, gets no fixes after the release ends"},
		{name: "a vendor build on an ended OS", os: "amzn:2", at: "2026-12-01",
			rep:     inventory.Report{Packages: []inventory.Package{rpmPkg("httpd", "2.4.62-1.amzn2.0.2")}},
			product: "apache-http-server", status: VerdictUnpatched, reason: "no fixes since Amazon Linux 2 ended on 2026-06-30"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hr := judgeHost(t, d, c.os, c.rep, c.at, c.ext)
			f, ok := findingOf(hr, c.product)
			if !ok {
				t.Fatalf("no %s finding in %+v", c.product, hr.Findings)
			}
			if f.Status != c.status || !strings.Contains(f.Reason, c.reason) {
				t.Errorf("got %s (%s), want %s with %q", f.Status, f.Reason, c.status, c.reason)
			}
		})
	}
}

// TestRolesAndRunning: a configuration stub alone is no finding, a client
// library is never running, and a listener counts for the product of the
// package that owns its executable.
func TestRolesAndRunning(t *testing.T) {
	d := mustLoad(t)
	rep := inventory.Report{
		Packages: []inventory.Package{
			rpmPkg("nginx-filesystem", "1:1.20.1-14.el9_2.1"),
			rpmPkg("php-fpm", "8.0.30-1.el9_2"),
			rpmPkg("mariadb-libs", "3:10.5.22-1.el9_2"),
			rpmPkg("mysql-community-server", "8.0.40-1.el9"),
		},
		Listeners: []inventory.Listener{
			{Proto: "tcp", Port: 3306, Process: "mysqld", Exe: "/usr/sbin/mysqld", Owner: "mysql-community-server"},
			{Proto: "tcp", Port: 9000, Process: "php-fpm"},
		},
	}
	hr := judgeHost(t, d, "rhel:9", rep, "2026-06-01", false)
	if f, ok := findingOf(hr, "nginx"); ok {
		t.Errorf("nginx-filesystem alone made a finding: %+v", f)
	}
	maria, ok := findingOf(hr, "mariadb")
	if !ok || maria.Role != "library" || maria.Running || len(maria.Ports) != 0 {
		t.Errorf("mariadb-libs: %+v", maria)
	}
	mysql, ok := findingOf(hr, "mysql")
	if !ok || mysql.Role != "server" || !mysql.Running || len(mysql.Ports) != 1 || mysql.Ports[0] != 3306 {
		t.Errorf("mysql-community-server: %+v", mysql)
	}
	php, ok := findingOf(hr, "php")
	if !ok || php.Role != "runtime" || !php.Running {
		t.Errorf("php-fpm by process name: %+v", php)
	}

	// A listener whose owner is a library's package claims nothing, even
	// when its process name looks like a server's.
	rep.Listeners = []inventory.Listener{{Proto: "tcp", Port: 3306, Process: "mariadbd", Owner: "mariadb-libs"}}
	hr = judgeHost(t, d, "rhel:9", rep, "2026-06-01", false)
	if f, _ := findingOf(hr, "mariadb"); f.Running {
		t.Errorf("a library's listener made mariadb running: %+v", f)
	}
}

// TestProbeVendors: a probed java is told by what it prints.
func TestProbeVendors(t *testing.T) {
	cases := []struct{ output, product string }{
		{`openjdk version "17.0.9" 2023-10-17 LTS OpenJDK Runtime Environment Corretto-17.0.9.8.1`, "amazon-corretto"},
		{`java version "11.0.2" 2019-01-15 LTS`, "oracle-jdk"},
		{`openjdk version "11.0.2" 2019-01-15 IMPLEMENTOR="Oracle Corporation"`, "openjdk-builds-from-oracle"},
		{`openjdk version "17.0.9" 2023-10-17 OpenJDK Runtime Environment Temurin-17.0.9+9`, "eclipse-temurin"},
		{`openjdk version "17.0.9" 2023-10-17`, "eclipse-temurin"}, // no vendor named: OpenJDK, and no verdict
		// What the collector prints from a JDK's release file.
		{`release file: version "17.0.9", IMPLEMENTOR="Eclipse Adoptium"`, "eclipse-temurin"},
		{`release file: version "17.0.13", IMPLEMENTOR="Amazon.com Inc."`, "amazon-corretto"},
		{`release file: version "21.0.5", IMPLEMENTOR="Azul Systems, Inc."`, "azul-zulu"},
		{`release file: version "21.0.5", IMPLEMENTOR="Microsoft"`, "microsoft-build-of-openjdk"},
		{`release file: version "17.0.9", IMPLEMENTOR="Red Hat, Inc."`, "redhat-build-of-openjdk"},
		{`java version "21.0.5" 2024-10-15 LTS (release file: IMPLEMENTOR="Oracle Corporation")`, "oracle-jdk"},
		{`openjdk version "11.0.2" 2019-01-15 (release file: IMPLEMENTOR="Oracle Corporation")`, "openjdk-builds-from-oracle"},
		// Oracle's release file alone cannot tell its JDK from its OpenJDK builds.
		{`release file: version "11.0.2", IMPLEMENTOR="Oracle Corporation"`, "eclipse-temurin"},
		{`openjdk version "17.0.9" 2023-10-17 OpenJDK Runtime Environment Zulu17.46+19-CA`, "azul-zulu"},
		{`openjdk version "21.0.5" 2024-10-15 LTS OpenJDK Runtime Environment Microsoft-10377968`, "microsoft-build-of-openjdk"},
	}
	for _, c := range cases {
		if got := ProbeProduct("java", c.output); got != c.product {
			t.Errorf("%q: got %s, want %s", c.output, got, c.product)
		}
	}
	if got := ProbeProduct("mysqld", "mysqld  Ver 10.5.23-MariaDB for Linux"); got != "mariadb" {
		t.Errorf("a MariaDB mysqld: %s", got)
	}
	if got := ProbeProduct("valkey-server", "Valkey server v=8.0.2"); got != "valkey" {
		t.Errorf("valkey-server: %s", got)
	}
}

// TestAL2023SupportInfoData: with AWS's SupportInfo data from 'upkeep data
// update', an AL2023 package's statement decides where the host has none;
// the host's own 'dnf supportinfo' answer still wins.
func TestAL2023SupportInfoData(t *testing.T) {
	d := mustLoad(t).WithAL2023Repo(&AL2023Repo{Release: "2023.9.20251014", ReleaseDate: "2025-10-14",
		Packages: []AL2023Package{{Name: "nginx", Version: "1.28.0", Release: "1.amzn2023.0.1", Repo: "core"}},
		Support:  []AL2023Support{{Package: "nginx", Level: "supported", Ends: "2026-12-15"}}})
	rep := inventory.Report{Packages: []inventory.Package{rpmPkg("nginx", "1:1.28.0-1.amzn2023.0.1")}}
	f, _ := findingOf(judgeHost(t, d, "amzn:2023", rep, "2026-12-01", false), "nginx")
	if f.Status != VerdictEOLSoon || !strings.Contains(f.Reason, "AL2023 SupportInfo") {
		t.Errorf("repository statement: %s (%s)", f.Status, f.Reason)
	}
	rep.Support = []inventory.SupportStatement{{Package: "nginx", Level: "supported", Ends: "2028-06-30", Source: "dnf supportinfo"}}
	f, _ = findingOf(judgeHost(t, d, "amzn:2023", rep, "2026-12-01", false), "nginx")
	if f.Status != VerdictDistroSupported || f.DistroUntil != "2028-06-30" || !strings.Contains(f.Reason, "dnf supportinfo") {
		t.Errorf("the host's statement: %s (%s)", f.Status, f.Reason)
	}
}
