package main

import "upkeep/inventory"

// hostSpec describes one demo host: a real base package list plus the
// middleware, probes, services and listeners its role adds.
type hostSpec struct {
	name      string              // Name tag and output file name
	env, role string              // Env and Role tags
	base      string              // fixture list name in internal/fixtures/hosts, without extension
	kernel    string              // uname -r
	arch      string              // uname -m
	add       []inventory.Package // added; a base package with the same name and arch is replaced
	probes    []inventory.Probe
	services  []string // running systemd units
	listeners []inventory.Listener
	note      string // one line for the README: what is special about this host
}

// Base lists (internal/fixtures/hosts) the fleet is built from.
const (
	baseAL2      = "amazonlinux-2-container"
	baseAL2023   = "amazonlinux-2023-ami"
	baseUbuntu22 = "ubuntu-22.04-container"
	baseUbuntu20 = "ubuntu-20.04-container"
	baseDebian11 = "debian-11-web"
	baseDebian12 = "debian-12-app"
	baseRocky9   = "rockylinux-9-container"
)

// Kernel releases (uname -r) per base. Sources: the AL2 kernel rows of the
// AL2 -> AL2023 table (4.14.320-243.544.amzn2, 5.10.186-179.751.amzn2); the
// AL2023 AMI list's own kernel package (6.1.175-219.359.amzn2023); login
// banners of EC2 Ubuntu 22.04.3 and 20.04.6 hosts (5.15.0-1051-aws); uname
// output of Debian 11 (5.10.0-28-cloud-amd64, Debian 5.10.209-2) and Debian 12
// EC2 hosts (6.1.0-13-cloud-amd64, Debian 6.1.55-1); Rocky Linux 9.3 on arm64
// (5.14.0-362.8.1.el9_3.aarch64).
const (
	kernelAL2     = "4.14.320-243.544.amzn2.x86_64"
	kernelAL2510  = "5.10.186-179.751.amzn2.x86_64"
	kernelAL2023  = "6.1.175-219.359.amzn2023.x86_64"
	kernelUbuntu  = "5.15.0-1051-aws"
	kernelDeb11   = "5.10.0-28-cloud-amd64"
	kernelDeb12   = "6.1.0-13-cloud-amd64"
	kernelRocky93 = "5.14.0-362.8.1.el9_3.aarch64"
)

func probe(name, path, owner, output string) inventory.Probe {
	return inventory.Probe{Name: name, Path: path, Owner: owner, Output: output}
}

func listen(proto, addr string, port int, process string) inventory.Listener {
	return inventory.Listener{Proto: proto, Addr: addr, Port: port, Process: process}
}

// handBuiltNginx is nginx 1.10.3 compiled into /usr/local/nginx years ago:
// no package owns it, so only the probe sees it. The line is what `nginx -v`
// prints for that release.
func handBuiltNginx() inventory.Probe {
	return probe("nginx", "/usr/local/nginx/sbin/nginx", "", "nginx version: nginx/1.10.3")
}

// ubuntuNginxProbe: Ubuntu's nginx names the distribution in `nginx -v`.
func ubuntuNginxProbe() inventory.Probe {
	return probe("nginx", "/usr/sbin/nginx", "nginx-core", "nginx version: nginx/1.18.0 (Ubuntu)")
}

func webListeners(process string) []inventory.Listener {
	return []inventory.Listener{listen("tcp", "0.0.0.0", 80, process), listen("tcp", "0.0.0.0", 443, process)}
}

// al2Services are the units every Amazon Linux EC2 host runs.
func al2Services() []string {
	return []string{"amazon-ssm-agent.service", "chronyd.service", "sshd.service"}
}

func sshListener() inventory.Listener { return listen("tcp", "0.0.0.0", 22, "sshd") }

// al2Host is an Amazon Linux 2 EC2 host with the common base additions.
func al2Host(name, env, role string, kernel510, updatedSSL bool) hostSpec {
	k := kernelAL2
	if kernel510 {
		k = kernelAL2510
	}
	return hostSpec{
		name: name, env: env, role: role, base: baseAL2, kernel: k, arch: "x86_64",
		add:       al2EC2Base(kernel510, updatedSSL),
		services:  al2Services(),
		listeners: []inventory.Listener{sshListener()},
	}
}

// al2Web: the hand-built nginx in front of php-fpm 7.4 from extras.
func al2Web(name, env string, updatedSSL bool) hostSpec {
	h := al2Host(name, env, "web", false, updatedSSL)
	h.add = append(h.add, al2PHP74()...)
	h.probes = append(h.probes, handBuiltNginx())
	h.services = append(h.services, "nginx.service", "php-fpm.service")
	h.listeners = append(h.listeners, webListeners("nginx")...)
	return h
}

// al2API: a Java 8 service on :8080.
func al2API(name, env string) hostSpec {
	h := al2Host(name, env, "api", true, true)
	h.add = append(h.add, al2Java8()...)
	// OpenJDK 8 prints its version as 1.8.0_<update>.
	h.probes = append(h.probes, probe("java", "/usr/lib/jvm/java-1.8.0-openjdk-1.8.0.412.b08-1.amzn2.0.1.x86_64/jre/bin/java",
		"java-1.8.0-openjdk-headless", `openjdk version "1.8.0_412"`))
	h.services = append(h.services, "orders-api.service")
	h.listeners = append(h.listeners, listen("tcp6", "::", 8080, "java"))
	return h
}

// al2DB: MySQL 5.7 community from Oracle's repository on :3306.
func al2DB(name, env string) hostSpec {
	h := al2Host(name, env, "db", false, true)
	h.add = append(h.add, al2MySQL57()...)
	h.services = append(h.services, "mysqld.service")
	h.listeners = append(h.listeners, listen("tcp6", "::", 3306, "mysqld"))
	return h
}

// al2Cache: redis from an extras topic on :6379.
func al2Cache(name, env string, redis []inventory.Package) hostSpec {
	h := al2Host(name, env, "cache", true, true)
	h.add = append(h.add, redis...)
	h.services = append(h.services, "redis.service")
	h.listeners = append(h.listeners, listen("tcp", "0.0.0.0", 6379, "redis-server"))
	return h
}

// al2023Host is an Amazon Linux 2023 host: the AMI list already has the
// SSM agent, sshd and chrony.
func al2023Host(name, env, role string) hostSpec {
	return hostSpec{
		name: name, env: env, role: role, base: baseAL2023, kernel: kernelAL2023, arch: "x86_64",
		services:  al2Services(),
		listeners: []inventory.Listener{sshListener()},
	}
}

// ubuntuHost: the SSM agent is a snap on Ubuntu's EC2 images, so it is a
// running unit but no dpkg package.
func ubuntuHost(name, env, role, base string) hostSpec {
	return hostSpec{
		name: name, env: env, role: role, base: base, kernel: kernelUbuntu, arch: "x86_64",
		services: []string{"snap.amazon-ssm-agent.amazon-ssm-agent.service"},
	}
}

// fleet lists the demo hosts in file order. Prod is the largest environment,
// dev the smallest; most hosts are Amazon Linux 2 because that is the fleet
// upkeep is built for.
func fleet() []hostSpec {
	var hosts []hostSpec

	// Amazon Linux 2, production.
	for _, n := range []string{"prod-web-01", "prod-web-02", "prod-web-03", "prod-web-04"} {
		hosts = append(hosts, al2Web(n, "prod", true))
	}
	drift := al2Host("prod-web-05", "prod", "web", false, false)
	drift.add = append(drift.add, al2OpenSSLNewer()...)
	drift.add = append(drift.add, al2NginxExtras()...)
	drift.add = append(drift.add, al2PHP74()...)
	drift.probes = []inventory.Probe{probe("nginx", "/usr/sbin/nginx", "nginx", "nginx version: nginx/1.22.1")}
	drift.services = append(drift.services, "nginx.service", "php-fpm.service")
	drift.listeners = append(drift.listeners, webListeners("nginx")...)
	drift.note = "rebuilt from extras: nginx 1.22.1 package instead of the hand-built 1.10.3, and a newer openssl build"
	hosts = append(hosts, drift)

	hosts = append(hosts, al2API("prod-api-01", "prod"), al2API("prod-api-02", "prod"))
	nodeAPI := al2API("prod-api-03", "prod")
	nodeAPI.probes = append(nodeAPI.probes, probe("node", "/opt/node-v16.20.2-linux-x64/bin/node", "", "v16.20.2"))
	nodeAPI.services = append(nodeAPI.services, "pricing-worker.service")
	nodeAPI.listeners = append(nodeAPI.listeners, listen("tcp", "0.0.0.0", 3000, "node"))
	nodeAPI.note = "also runs a Node.js 16.20.2 worker unpacked under /opt (no package)"
	hosts = append(hosts, nodeAPI)

	hosts = append(hosts, al2DB("prod-db-01", "prod"), al2DB("prod-db-02", "prod"))
	hosts = append(hosts, al2Cache("prod-cache-01", "prod", al2Redis6()))
	oldCache := al2Cache("prod-cache-02", "prod", al2Redis4())
	oldCache.note = "still on redis 4.0 from the extras redis4.0 topic; its sibling moved to redis6"
	hosts = append(hosts, oldCache)

	// Amazon Linux 2, staging and dev.
	hosts = append(hosts, al2Web("stg-web-01", "staging", true))
	oldSSL := al2Web("stg-web-02", "staging", false)
	oldSSL.note = "never updated: openssl-libs still 1:1.0.2k-16.amzn2.1.1 from the original image"
	hosts = append(hosts, oldSSL)
	hosts = append(hosts, al2API("stg-api-01", "staging"), al2DB("stg-db-01", "staging"))
	hosts = append(hosts, al2Web("dev-web-01", "dev", true))

	// Amazon Linux 2023: the target platform, one host per role that moved.
	for _, w := range []struct{ name, env string }{{"prod-web-10", "prod"}, {"stg-web-10", "staging"}} {
		h := al2023Host(w.name, w.env, "web")
		h.add = append(al2023Nginx(), al2023PHP82()...)
		h.probes = []inventory.Probe{probe("nginx", "/usr/sbin/nginx", "nginx-core", "nginx version: nginx/1.24.0")}
		h.services = append(h.services, "nginx.service", "php-fpm.service")
		h.listeners = append(h.listeners, webListeners("nginx")...)
		h.note = "already on AL2023: nginx 1.24 and php8.2 from the AL2023 repositories"
		hosts = append(hosts, h)
	}
	db := al2023Host("stg-db-10", "staging", "db")
	db.add = al2023MariaDB105()
	db.services = append(db.services, "mariadb.service")
	db.listeners = append(db.listeners, listen("tcp6", "::", 3306, "mariadbd"))
	hosts = append(hosts, db)
	cache := al2023Host("dev-cache-10", "dev", "cache")
	cache.add = al2023Redis6()
	cache.services = append(cache.services, "redis6.service")
	cache.listeners = append(cache.listeners, listen("tcp", "0.0.0.0", 6379, "redis6-server"))
	hosts = append(hosts, cache)

	// Ubuntu 22.04.
	for _, w := range []struct{ name, env, nginx, php string }{
		{"prod-web-20", "prod", "1.18.0-6ubuntu14.4", "8.1.2-1ubuntu2.14"},
		{"prod-web-21", "prod", "1.18.0-6ubuntu14.4", "8.1.2-1ubuntu2.14"},
		{"stg-web-20", "staging", "1.18.0-6ubuntu14.3", "8.1.2-1ubuntu2.13"},
	} {
		h := ubuntuHost(w.name, w.env, "web", baseUbuntu22)
		h.add = append(ubuntuNginx(w.nginx), ubuntuPHP("8.1", w.php)...)
		h.probes = []inventory.Probe{ubuntuNginxProbe()}
		h.services = append(h.services, "nginx.service", "php8.1-fpm.service")
		h.listeners = webListeners("nginx")
		if w.env == "staging" {
			h.note = "behind on updates: nginx 1.18.0-6ubuntu14.3 and php8.1 8.1.2-1ubuntu2.13"
		}
		hosts = append(hosts, h)
	}
	udb := ubuntuHost("prod-db-20", "prod", "db", baseUbuntu22)
	udb.add = ubuntuMySQL80()
	udb.services = append(udb.services, "mysql.service")
	udb.listeners = []inventory.Listener{listen("tcp", "0.0.0.0", 3306, "mysqld"), listen("tcp", "127.0.0.1", 33060, "mysqld")}
	hosts = append(hosts, udb)
	ucache := ubuntuHost("prod-cache-20", "prod", "cache", baseUbuntu22)
	ucache.add = ubuntuRedis("5:6.0.16-1ubuntu1")
	ucache.services = append(ucache.services, "redis-server.service")
	ucache.listeners = []inventory.Listener{listen("tcp", "0.0.0.0", 6379, "redis-server")}
	hosts = append(hosts, ucache)

	// Ubuntu 20.04.
	for _, w := range []struct{ name, env, php string }{
		{"prod-web-30", "prod", "7.4.3-4ubuntu2.19"},
		{"stg-web-30", "staging", "7.4.3-4ubuntu2.18"},
	} {
		h := ubuntuHost(w.name, w.env, "web", baseUbuntu20)
		h.add = append(ubuntuNginx("1.18.0-0ubuntu1.4"), ubuntuPHP("7.4", w.php)...)
		h.probes = []inventory.Probe{ubuntuNginxProbe()}
		h.services = append(h.services, "nginx.service", "php7.4-fpm.service")
		h.listeners = webListeners("nginx")
		hosts = append(hosts, h)
	}
	fcache := ubuntuHost("dev-cache-30", "dev", "cache", baseUbuntu20)
	fcache.add = ubuntuRedis("5:5.0.7-2ubuntu0.1")
	fcache.services = append(fcache.services, "redis-server.service")
	fcache.listeners = []inventory.Listener{listen("tcp", "127.0.0.1", 6379, "redis-server")}
	hosts = append(hosts, fcache)

	// Debian: the base lists already hold the middleware (nginx, php-fpm,
	// mariadb, redis on 11; nginx, php8.2-fpm, postgresql 15, tomcat10,
	// haproxy, memcached, redis on 12).
	for _, w := range []struct{ name, env string }{{"prod-web-40", "prod"}, {"dev-web-40", "dev"}} {
		hosts = append(hosts, hostSpec{
			name: w.name, env: w.env, role: "web", base: baseDebian11, kernel: kernelDeb11, arch: "x86_64",
			probes:   []inventory.Probe{probe("nginx", "/usr/sbin/nginx", "nginx-core", "nginx version: nginx/1.18.0")},
			services: []string{"mariadb.service", "nginx.service", "php7.4-fpm.service", "redis-server.service"},
			listeners: append(webListeners("nginx"),
				listen("tcp", "127.0.0.1", 3306, "mariadbd"), listen("tcp", "127.0.0.1", 6379, "redis-server")),
		})
	}
	hosts = append(hosts, hostSpec{
		name: "prod-api-41", env: "prod", role: "api", base: baseDebian12, kernel: kernelDeb12, arch: "x86_64",
		// bookworm's nginx package holds the binary itself (no nginx-core).
		probes: []inventory.Probe{probe("nginx", "/usr/sbin/nginx", "nginx", "nginx version: nginx/1.22.1")},
		services: []string{"haproxy.service", "memcached.service", "nginx.service", "php8.2-fpm.service",
			"postgresql@15-main.service", "redis-server.service", "tomcat10.service"},
		listeners: append(webListeners("nginx"),
			listen("tcp", "0.0.0.0", 8443, "haproxy"), listen("tcp6", "::", 8080, "java"),
			listen("tcp", "127.0.0.1", 5432, "postgres"), listen("tcp", "127.0.0.1", 6379, "redis-server"),
			listen("tcp", "127.0.0.1", 11211, "memcached")),
	})

	// Rocky Linux 9 on Graviton, with a JDK unpacked under /opt.
	hosts = append(hosts, hostSpec{
		name: "dev-api-50", env: "dev", role: "api", base: baseRocky9, kernel: kernelRocky93, arch: "aarch64",
		probes:    []inventory.Probe{probe("java", "/opt/jdk-17.0.9+9/bin/java", "", `openjdk version "17.0.9" 2023-10-17`)},
		services:  []string{"inventory-api.service"},
		listeners: []inventory.Listener{listen("tcp6", "::", 8080, "java")},
		note:      "a Temurin 17.0.9 JDK unpacked under /opt runs the service; no package owns it",
	})
	return hosts
}
