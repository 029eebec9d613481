// Package synth generates a deterministic synthetic fleet for benchmarks and
// tests: hosts drawn from the real package lists in internal/fixtures/hosts,
// most identical to their AMI siblings, some drifted.
//
// The package lists are real; everything synth adds is invented and plausible:
// which base each host gets, host names, tags, probes, services, listeners,
// and the drift (a release bumped, a common tool added). Do not read
// end-of-life conclusions from a synthetic fleet.
package synth

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"time"

	"upkeep/internal/fixtures"
	"upkeep/inventory"
)

// collectedAt is when host i was collected: a fixed day plus i seconds
// (modulo an hour), so the fleet never depends on the clock.
func collectedAt(i int) time.Time {
	return time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC).Add(time.Duration(i%3600) * time.Second)
}

// base is one AMI (a real fixture list) and the role hosts built from it play.
type base struct {
	list   string
	weight int // share of the fleet, in percent
	role   string
	kernel string
	probes []inventory.Probe
	ports  []inventory.Listener
	units  []string
}

func probe(name, path, owner, output string) inventory.Probe {
	return inventory.Probe{Name: name, Path: path, Owner: owner, Output: output, Version: inventory.ProbeVersion(output)}
}

// bases returns the AMIs the fleet is drawn from. Weights give about 290
// packages per host on average, as the benchmarks promise; the test checks it.
func bases() []base {
	sshd := inventory.Listener{Proto: "tcp", Addr: "0.0.0.0", Port: 22, Process: "sshd"}
	web := []inventory.Listener{sshd, {Proto: "tcp", Addr: "0.0.0.0", Port: 80, Process: "nginx"}, {Proto: "tcp", Addr: "0.0.0.0", Port: 443, Process: "nginx"}}
	return []base{
		{list: "amazonlinux-2-container", weight: 15, role: "web", kernel: "4.14.355-277.643.amzn2.x86_64",
			probes: []inventory.Probe{probe("nginx", "/usr/local/nginx/sbin/nginx", "", "nginx version: nginx/1.12.2"),
				probe("openssl", "/usr/bin/openssl", "openssl", "OpenSSL 1.0.2k-fips  26 Jan 2017")},
			ports: web, units: []string{"amazon-ssm-agent.service", "nginx.service", "sshd.service"}},
		{list: "amazonlinux-2023-ami", weight: 20, role: "app", kernel: "6.1.158-178.288.amzn2023.x86_64",
			probes: []inventory.Probe{probe("java", "/usr/lib/jvm/java-17-amazon-corretto/bin/java", "", `openjdk version "17.0.13" 2024-10-15 LTS`),
				probe("openssl", "/usr/bin/openssl", "openssl", "OpenSSL 3.0.8 7 Feb 2023 (Library: OpenSSL 3.0.8 7 Feb 2023)")},
			ports: []inventory.Listener{sshd, {Proto: "tcp6", Addr: "::", Port: 8080, Process: "java"}},
			units: []string{"amazon-ssm-agent.service", "app.service", "sshd.service"}},
		{list: "rhel-8-ami", weight: 8, role: "app", kernel: "4.18.0-553.el8_10.x86_64",
			probes: []inventory.Probe{probe("node", "/opt/node/bin/node", "", "v16.20.2")},
			ports:  []inventory.Listener{sshd, {Proto: "tcp", Addr: "127.0.0.1", Port: 3000, Process: "node"}},
			units:  []string{"amazon-ssm-agent.service", "sshd.service"}},
		{list: "rhel-9-ami", weight: 7, role: "db", kernel: "5.14.0-427.13.1.el9_4.x86_64",
			probes: []inventory.Probe{probe("redis-server", "/usr/local/bin/redis-server", "", "Redis server v=6.2.14 sha=00000000:0 malloc=jemalloc-5.1.0 bits=64 build=e8b6a7b2c5d1f3a0")},
			ports:  []inventory.Listener{sshd, {Proto: "tcp", Addr: "0.0.0.0", Port: 6379, Process: "redis-server"}},
			units:  []string{"amazon-ssm-agent.service", "redis.service", "sshd.service"}},
		{list: "almalinux-9-ami", weight: 5, role: "worker", kernel: "5.14.0-427.13.1.el9_4.x86_64",
			ports: []inventory.Listener{sshd}, units: []string{"amazon-ssm-agent.service", "sshd.service"}},
		{list: "centos-7-httpd24-container", weight: 10, role: "web", kernel: "3.10.0-1160.119.1.el7.x86_64",
			probes: []inventory.Probe{probe("httpd", "/opt/rh/httpd24/root/usr/sbin/httpd", "httpd24-httpd", "Server version: Apache/2.4.34 (Red Hat)")},
			ports:  []inventory.Listener{sshd, {Proto: "tcp6", Addr: "::", Port: 80, Process: "httpd"}, {Proto: "tcp6", Addr: "::", Port: 443, Process: "httpd"}},
			units:  []string{"httpd24-httpd.service", "sshd.service"}},
		{list: "centos-7-container", weight: 5, role: "legacy", kernel: "3.10.0-1160.119.1.el7.x86_64",
			probes: []inventory.Probe{probe("php", "/usr/local/bin/php", "", "PHP 5.6.40 (cli) (built: Jan 12 2019 09:12:01)")},
			ports:  []inventory.Listener{sshd}, units: []string{"sshd.service"}},
		{list: "debian-11-web", weight: 10, role: "web", kernel: "5.10.0-33-cloud-amd64",
			probes: []inventory.Probe{probe("nginx", "/usr/sbin/nginx", "nginx-core", "nginx version: nginx/1.18.0"),
				probe("php", "/usr/bin/php7.4", "php7.4-cli", "PHP 7.4.33 (cli) (built: Nov  1 2024 17:51:53) ( NTS )"),
				probe("mysqld", "/usr/sbin/mariadbd", "mariadb-server-core-10.5", "/usr/sbin/mariadbd  Ver 10.5.26-MariaDB-0+deb11u2 for debian-linux-gnu on x86_64 (Debian 11)")},
			ports: append(slices.Clone(web), inventory.Listener{Proto: "tcp", Addr: "127.0.0.1", Port: 3306, Process: "mariadbd"}),
			units: []string{"mariadb.service", "nginx.service", "php7.4-fpm.service", "ssh.service"}},
		{list: "debian-12-app", weight: 10, role: "app", kernel: "6.1.0-27-cloud-amd64",
			probes: []inventory.Probe{probe("java", "/usr/bin/java", "openjdk-17-jre-headless", `openjdk version "17.0.13" 2024-10-15`),
				probe("nginx", "/usr/sbin/nginx", "nginx", "nginx version: nginx/1.22.1")},
			ports: append(slices.Clone(web), inventory.Listener{Proto: "tcp6", Addr: "::", Port: 8080, Process: "java"}),
			units: []string{"haproxy.service", "nginx.service", "postgresql@15-main.service", "ssh.service", "tomcat10.service"}},
		{list: "ubuntu-22.04-container", weight: 5, role: "worker", kernel: "6.8.0-1018-aws",
			ports: []inventory.Listener{sshd}, units: []string{"snap.amazon-ssm-agent.amazon-ssm-agent.service", "ssh.service"}},
		{list: "ubuntu-20.04-container", weight: 3, role: "bastion", kernel: "5.15.0-1066-aws",
			ports: []inventory.Listener{sshd}, units: []string{"ssh.service"}},
		{list: "debian-12-ci", weight: 2, role: "ci", kernel: "6.1.0-27-amd64",
			probes: []inventory.Probe{probe("node", "/usr/local/bin/node", "", "v18.19.0")},
			ports:  []inventory.Listener{sshd}, units: []string{"docker.service", "ssh.service"}},
	}
}

// extras are tools a drifted host may have had installed by hand.
func extras(manager string) []inventory.Package {
	if manager == "rpm" {
		return []inventory.Package{
			{Manager: "rpm", Name: "jq", Version: "1.6", Release: "2.el7", Arch: "x86_64"},
			{Manager: "rpm", Name: "tmux", Version: "1.8", Release: "4.el7", Arch: "x86_64"},
			{Manager: "rpm", Name: "htop", Version: "2.2.0", Release: "3.el7", Arch: "x86_64"},
			{Manager: "rpm", Name: "strace", Version: "4.24", Release: "6.el7", Arch: "x86_64"},
		}
	}
	return []inventory.Package{
		{Manager: "dpkg", Name: "jq", Version: "1.6-2.1", Arch: "amd64", Status: "ii"},
		{Manager: "dpkg", Name: "tmux", Version: "3.3a-3", Arch: "amd64", Status: "ii"},
		{Manager: "dpkg", Name: "htop", Version: "3.2.2-2", Arch: "amd64", Status: "ii"},
		{Manager: "dpkg", Name: "strace", Version: "6.1-0.1", Arch: "amd64", Status: "ii"},
	}
}

// loaded is a base with its fixture data read.
type loaded struct {
	base
	os   inventory.OSRelease
	pkgs []inventory.Package
}

// Fleet returns n synthetic hosts, the same for the same n and seed. About
// 10% of hosts drift from their AMI; the others share their base's
// Packages slice, and hosts of a base share Probes and Listeners, so treat
// every slice as read-only. It fails only if the embedded fixtures are broken. Host i's EC2 id is
// InstanceID(seed, i); its tags are Env, Role and Name.
func Fleet(n int, seed int64) ([]*inventory.Report, error) {
	return FleetDrift(n, seed, 10)
}

// FleetDrift is Fleet with one host in every drifted from its AMI (10 for
// Fleet's fleet); 1 drifts every host, which makes nearly every package
// list distinct: the worst case for anything that shares work per list.
func FleetDrift(n int, seed int64, every int) ([]*inventory.Report, error) {
	if every < 1 {
		return nil, fmt.Errorf("synth: drift one host in %d: want 1 or more", every)
	}
	var ls []loaded
	var cum []int
	total := 0
	for _, b := range bases() {
		pkgs, err := fixtures.Packages(b.list)
		if err != nil {
			return nil, err
		}
		osr, err := readOSRelease(b.list)
		if err != nil {
			return nil, err
		}
		ls = append(ls, loaded{base: b, os: osr, pkgs: pkgs})
		total += b.weight
		cum = append(cum, total)
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x75706b656570))
	out := make([]*inventory.Report, n)
	for i := range n {
		pick := rng.IntN(total)
		k, _ := slices.BinarySearch(cum, pick+1)
		out[i] = host(rng, &ls[k], i, every)
	}
	return out, nil
}

func host(rng *rand.Rand, b *loaded, i, every int) *inventory.Report {
	env := []string{"dev", "staging", "prod", "prod", "prod"}[rng.IntN(5)]
	name := fmt.Sprintf("%s-%s-%05d", b.role, env, i)
	pkgs := b.pkgs
	if rng.IntN(every) == 0 {
		pkgs = drift(rng, pkgs)
	}
	services := make([]inventory.Service, len(b.units))
	for j, u := range b.units {
		services[j] = inventory.Service{Unit: u, State: "running"}
	}
	return &inventory.Report{
		Format: inventory.FormatVersion,
		Facts: inventory.Facts{
			Hostname:    name,
			Kernel:      b.kernel,
			Arch:        "x86_64",
			Uptime:      time.Duration(3600+rng.IntN(400*86400)) * time.Second,
			CollectedAt: collectedAt(i),
			MachineID:   fmt.Sprintf("%032x", rng.Uint64()),
			OS:          b.os,
		},
		Packages:  pkgs,
		Probes:    b.probes,
		Services:  services,
		Listeners: b.ports,
		Tags:      map[string]string{"Env": env, "Role": b.role, "Name": name},
	}
}

// drift returns a copy of pkgs with one to three packages upgraded (the
// release, or the Debian revision, bumped) and up to two tools added.
func drift(rng *rand.Rand, pkgs []inventory.Package) []inventory.Package {
	out := slices.Clone(pkgs)
	for range 1 + rng.IntN(3) {
		p := &out[rng.IntN(len(out))]
		if p.Manager == "rpm" {
			p.Release += ".1"
		} else {
			p.Version += "+u1"
		}
	}
	pool := extras(pkgs[0].Manager)
	for _, j := range rng.Perm(len(pool))[:rng.IntN(3)] {
		// A tool the AMI already ships is not added twice.
		if !slices.ContainsFunc(pkgs, func(p inventory.Package) bool { return p.Name == pool[j].Name }) {
			out = append(out, pool[j])
		}
	}
	return out
}

// InstanceID is the EC2-style id of host i of Fleet(n, seed).
func InstanceID(seed int64, i int) string {
	// splitmix64 of (seed, i): unique per host, stable across runs.
	x := uint64(seed)*0x9e3779b97f4a7c15 + uint64(i) + 1
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	x ^= x >> 31
	return fmt.Sprintf("i-%017x", x)
}

// WriteDir writes each report as a collector output (plain form) to
// dir/<hostname>.out and returns the paths in fleet order.
func WriteDir(dir string, reports []*inventory.Report) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("write fleet: %w", err)
	}
	paths := make([]string, len(reports))
	var buf bytes.Buffer
	for i, r := range reports {
		buf.Reset()
		if err := inventory.Encode(&buf, r); err != nil {
			return nil, fmt.Errorf("encode host %s: %w", r.Facts.Hostname, err)
		}
		paths[i] = filepath.Join(dir, r.Facts.Hostname+".out")
		if err := os.WriteFile(paths[i], buf.Bytes(), 0o644); err != nil {
			return nil, fmt.Errorf("write fleet: %w", err)
		}
	}
	return paths, nil
}
