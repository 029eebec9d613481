package advisories

import (
	"strings"
	"sync"
	"testing"
	"time"

	"upkeep/inventory"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// loaded is the embedded data, parsed once for all of the package's tests.
// Parsing maps every AL2023 package through the registry, which under the
// race detector cost seconds per test; the tests only read the data, so
// sharing it also lets the race detector catch a judge that writes to it.
var loaded = sync.OnceValues(Load)

func mustLoad(t testing.TB) *Data {
	t.Helper()
	d, err := loaded()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// realCase is one real package/version string from a real host or image
// (internal/fixtures/hosts, the demo fleet sources, distribution archives),
// judged at a fixed day.
type realCase struct {
	os, name, version                string
	product, upstream, cycle, status string
	at                               string // "" = 2026-11-24
	extended                         bool
}

var realCases = []realCase{
	// Amazon Linux 2: at 2026-11-24 the OS itself is out of support (2026-06-30).
	{os: "amzn:2", name: "nginx", version: "1:1.20.0-2.amzn2.0.5", product: "nginx", upstream: "1.20.0", cycle: "1.20", status: "eol"},
	{os: "amzn:2", name: "nginx-filesystem", version: "1:1.20.0-2.amzn2.0.5", product: "nginx", upstream: "1.20.0", cycle: "1.20", status: "eol"},
	{os: "amzn:2", name: "openssl", version: "1:1.0.2k-24.amzn2.0.11", product: "openssl", upstream: "1.0.2k", cycle: "1.0.2", status: "eol"},
	{os: "amzn:2", name: "openssl-libs", version: "1:1.0.2k-16.amzn2.1.1", product: "openssl", upstream: "1.0.2k", cycle: "1.0.2", status: "eol"},
	{os: "amzn:2", name: "openssl11", version: "1:1.1.1g-12.amzn2.0.20", product: "openssl", upstream: "1.1.1g", cycle: "1.1.1", status: "eol"},
	{os: "amzn:2", name: "java-1.8.0-openjdk", version: "1:1.8.0.432.b06-1.amzn2.0.1", product: "eclipse-temurin", upstream: "8.0.432", cycle: "8", status: "unpatched"},
	{os: "amzn:2", name: "java-1.8.0-openjdk-headless", version: "1:1.8.0.412.b08-1.amzn2.0.1", product: "eclipse-temurin", upstream: "8.0.412", cycle: "8", status: "unpatched"},
	{os: "amzn:2", name: "java-17-amazon-corretto-headless", version: "1:17.0.13+11-1.amzn2.1", product: "amazon-corretto", upstream: "17.0.13", cycle: "17", status: "unpatched"},
	{os: "amzn:2", name: "java-1.8.0-amazon-corretto", version: "1:1.8.0_382.b05-1.amzn2", product: "amazon-corretto", upstream: "8.0.382", cycle: "8", status: "unpatched"},
	{os: "amzn:2", name: "php-fpm", version: "7.4.33-1.amzn2", product: "php", upstream: "7.4.33", cycle: "7.4", status: "eol"},
	{os: "amzn:2", name: "php-cli", version: "7.4.33-1.amzn2", product: "php", upstream: "7.4.33", cycle: "7.4", status: "eol"},
	{os: "amzn:2", name: "php74-php-fpm", version: "7.4.33-13.el7.remi", product: "php", upstream: "7.4.33", cycle: "7.4", status: "eol"},
	{os: "amzn:2", name: "mariadb-server", version: "1:5.5.68-1.amzn2.0.1", product: "mariadb", upstream: "5.5.68", cycle: "5.5", status: "eol"},
	{os: "amzn:2", name: "mysql-community-server", version: "5.7.44-1.el7", product: "mysql", upstream: "5.7.44", cycle: "5.7", status: "eol"},
	{os: "amzn:2", name: "redis", version: "6.2.14-1.amzn2.0.1", product: "redis", upstream: "6.2.14", cycle: "6.2", status: "unpatched"},
	{os: "amzn:2", name: "kernel", version: "5.10.228-219.884.amzn2", product: "linux", upstream: "5.10.228", cycle: "5.10", status: "unpatched"},
	{os: "amzn:2", name: "kernel", version: "4.14.320-243.544.amzn2", product: "linux", upstream: "4.14.320", cycle: "4.14", status: "eol"},
	{os: "amzn:2", name: "httpd", version: "2.4.62-1.amzn2.0.2", product: "apache-http-server", upstream: "2.4.62", cycle: "2.4", status: "unpatched"},
	{os: "amzn:2", name: "python3", version: "3.7.16-1.amzn2.0.9", product: "python", upstream: "3.7.16", cycle: "3.7", status: "eol"},
	{os: "amzn:2", name: "python", version: "2.7.18-1.amzn2.0.9", product: "python", upstream: "2.7.18", cycle: "2.7", status: "eol"},
	{os: "amzn:2", name: "docker", version: "25.0.6-1.amzn2.0.2", product: "docker-engine", upstream: "25.0.6", cycle: "25.0", status: "unpatched"},
	{os: "amzn:2", name: "postgresql-server", version: "9.2.24-8.amzn2.0.4", product: "postgresql", upstream: "9.2.24", cycle: "9.2", status: "eol"},
	{os: "amzn:2", name: "tomcat", version: "7.0.76-10.amzn2.0.5", product: "tomcat", upstream: "7.0.76", cycle: "7", status: "eol"},
	{os: "amzn:2", name: "nodejs", version: "2:18.20.4-1nodesource", product: "nodejs", upstream: "18.20.4", cycle: "18", status: "eol"},
	{os: "amzn:2", name: "probe:nginx", version: "nginx version: nginx/1.10.3", product: "nginx", upstream: "1.10.3", cycle: "1.10", status: "eol"},
	// AL2 while it was still in support: core packages are patched by AWS,
	// Extras topics (php7.4) and third-party builds follow upstream.
	{os: "amzn:2", name: "openssl", version: "1:1.0.2k-24.amzn2.0.11", product: "openssl", upstream: "1.0.2k", cycle: "1.0.2", status: "eol-soon", at: "2026-01-01"},
	{os: "amzn:2", name: "php-fpm", version: "7.4.33-1.amzn2", product: "php", upstream: "7.4.33", cycle: "7.4", status: "eol", at: "2026-01-01"},
	{os: "amzn:2", name: "mysql-community-server", version: "5.7.44-1.el7", product: "mysql", upstream: "5.7.44", cycle: "5.7", status: "eol", at: "2026-01-01"},
	{os: "amzn:2", name: "nginx", version: "1.24.0-1.el7.ngx", product: "nginx", upstream: "1.24.0", cycle: "1.24", status: "eol", at: "2026-01-01"},
	{os: "amzn:2", name: "mariadb-server", version: "1:5.5.68-1.amzn2.0.1", product: "mariadb", upstream: "5.5.68", cycle: "5.5", status: "eol-soon", at: "2026-01-01"},

	// Amazon Linux 2023 (in support until 2029-06-30).
	{os: "amzn:2023", name: "nginx", version: "1:1.24.0-1.amzn2023.0.4", product: "nginx", upstream: "1.24.0", cycle: "1.24", status: "distro-supported"},
	{os: "amzn:2023", name: "php8.2-fpm", version: "8.2.20-1.amzn2023.0.1", product: "php", upstream: "8.2.20", cycle: "8.2", status: "eol-soon"},
	{os: "amzn:2023", name: "php8.2-cli", version: "8.2.20-1.amzn2023.0.1", product: "php", upstream: "8.2.20", cycle: "8.2", status: "eol-soon"},
	{os: "amzn:2023", name: "mariadb105-server", version: "3:10.5.25-1.amzn2023.0.1", product: "mariadb", upstream: "10.5.25", cycle: "10.5", status: "eol"},
	{os: "amzn:2023", name: "postgresql15-server", version: "15.8-1.amzn2023.0.1", product: "postgresql", upstream: "15.8", cycle: "15", status: "supported"},
	{os: "amzn:2023", name: "redis6", version: "6.2.14-1.amzn2023.0.1", product: "redis", upstream: "6.2.14", cycle: "6.2", status: "eol-soon"},
	{os: "amzn:2023", name: "valkey", version: "8.0.2-1.amzn2023.0.1", product: "valkey", upstream: "8.0.2", cycle: "8.0", status: "supported"},
	{os: "amzn:2023", name: "openssl", version: "1:3.0.8-1.amzn2023.0.14", product: "openssl", upstream: "3.0.8", cycle: "3.0", status: "distro-supported"},
	{os: "amzn:2023", name: "openssl-libs", version: "3.5.5-1.amzn2023.0.5", product: "openssl", upstream: "3.5.5", cycle: "3.5", status: "supported"},
	{os: "amzn:2023", name: "python3", version: "3.9.25-1.amzn2023.0.6", product: "python", upstream: "3.9.25", cycle: "3.9", status: "distro-supported"},
	{os: "amzn:2023", name: "python3.11", version: "3.11.9-1.amzn2023.0.3", product: "python", upstream: "3.11.9", cycle: "3.11", status: "supported"},
	{os: "amzn:2023", name: "ruby3.2", version: "3.2.4-1.amzn2023.0.2", product: "ruby", upstream: "3.2.4", cycle: "3.2", status: "eol"},
	{os: "amzn:2023", name: "kernel", version: "6.1.175-219.359.amzn2023", product: "linux", upstream: "6.1.175", cycle: "6.1", status: "supported"},
	{os: "amzn:2023", name: "nodejs20", version: "1:20.17.0-1.amzn2023.0.1", product: "nodejs", upstream: "20.17.0", cycle: "20", status: "eol"},
	{os: "amzn:2023", name: "tomcat9", version: "1:9.0.96-1.amzn2023.0.1", product: "tomcat", upstream: "9.0.96", cycle: "9.0", status: "eol-soon"},
	{os: "amzn:2023", name: "java-17-amazon-corretto-headless", version: "1:17.0.13+11-1.amzn2023.1", product: "amazon-corretto", upstream: "17.0.13", cycle: "17", status: "supported"},
	{os: "amzn:2023", name: "docker", version: "25.0.6-1.amzn2023.0.2", product: "docker-engine", upstream: "25.0.6", cycle: "25.0", status: "distro-supported"},

	// RHEL family.
	{os: "rhel:9", name: "nginx", version: "1:1.20.1-14.el9_2.1", product: "nginx", upstream: "1.20.1", cycle: "1.20", status: "distro-supported"},
	{os: "rhel:9", name: "php-fpm", version: "8.0.30-1.el9_2", product: "php", upstream: "8.0.30", cycle: "8.0", status: "distro-supported"},
	{os: "rhel:9", name: "mysql-server", version: "8.0.36-1.el9_3", product: "mysql", upstream: "8.0.36", cycle: "8.0", status: "eol"},
	{os: "rhel:9", name: "postgresql-server", version: "13.14-1.el9_3", product: "postgresql", upstream: "13.14", cycle: "13", status: "distro-supported"},
	{os: "rhel:9", name: "java-17-openjdk-headless", version: "1:17.0.12.0.7-2.el9", product: "eclipse-temurin", upstream: "17.0.12", cycle: "17", status: "supported"},
	{os: "rhel:9", name: "openssl", version: "3.5.5-4.el9_8", product: "openssl", upstream: "3.5.5", cycle: "3.5", status: "supported"},
	{os: "rhel:9", name: "kernel", version: "5.14.0-687.20.1.el9_8", product: "linux", upstream: "5.14.0", cycle: "5.14", status: "distro-supported"},
	{os: "rhel:9", name: "postgresql16-server", version: "16.4-1PGDG.rhel9", product: "postgresql", upstream: "16.4", cycle: "16", status: "supported"},
	{os: "rhel:9", name: "nodejs", version: "2:16.20.2-1nodesource", product: "nodejs", upstream: "16.20.2", cycle: "16", status: "eol"},
	{os: "rhel:8", name: "openssl", version: "1.1.1k-16.el8_6", product: "openssl", upstream: "1.1.1k", cycle: "1.1.1", status: "distro-supported"},
	{os: "rhel:8", name: "platform-python", version: "3.6.8-76.el8_10", product: "python", upstream: "3.6.8", cycle: "3.6", status: "distro-supported"},
	{os: "rhel:8", name: "python39", version: "3.9.25-2.module+el8.10.0+23718+1842ae33", product: "python", upstream: "3.9.25", cycle: "3.9", status: "eol"},
	{os: "rhel:8", name: "kernel", version: "4.18.0-553.137.1.el8_10", product: "linux", upstream: "4.18.0", cycle: "4.18", status: "distro-supported"},
	{os: "rocky:9.3", name: "openssl", version: "1:3.0.7-24.el9", product: "openssl", upstream: "3.0.7", cycle: "3.0", status: "distro-supported"},
	{os: "rocky:9.3", name: "python3", version: "3.9.18-1.el9_3", product: "python", upstream: "3.9.18", cycle: "3.9", status: "distro-supported"},
	{os: "almalinux:9.4", name: "openssl-libs", version: "3.5.5-4.el9_8", product: "openssl", upstream: "3.5.5", cycle: "3.5", status: "supported"},
	{os: "centos:7", name: "httpd24-httpd", version: "2.4.34-7.el7", product: "apache-http-server", upstream: "2.4.34", cycle: "2.4", status: "unpatched"},
	{os: "centos:7", name: "openssl-libs", version: "1:1.0.2k-16.el7_6.1", product: "openssl", upstream: "1.0.2k", cycle: "1.0.2", status: "eol"},
	{os: "centos:8", name: "nodejs", version: "1:10.21.0-3.module_el8.2.0+391+8da3adc6", product: "nodejs", upstream: "10.21.0", cycle: "10", status: "eol"},
	{os: "centos:8", name: "java-1.8.0-openjdk-headless", version: "1:1.8.0.272.b10-1.el8_2", product: "eclipse-temurin", upstream: "8.0.272", cycle: "8", status: "unpatched"},

	// Ubuntu 20.04: standard support ended 2025-05-31, so upstream verdicts...
	{os: "ubuntu:20.04", name: "nginx", version: "1.18.0-0ubuntu1.4", product: "nginx", upstream: "1.18.0", cycle: "1.18", status: "eol"},
	{os: "ubuntu:20.04", name: "libssl1.1", version: "1.1.1f-1ubuntu2.23", product: "openssl", upstream: "1.1.1f", cycle: "1.1.1", status: "eol"},
	{os: "ubuntu:20.04", name: "php7.4-fpm", version: "7.4.3-4ubuntu2.24", product: "php", upstream: "7.4.3", cycle: "7.4", status: "eol"},
	{os: "ubuntu:20.04", name: "python3.8", version: "3.8.10-0ubuntu1~20.04.12", product: "python", upstream: "3.8.10", cycle: "3.8", status: "eol"},
	{os: "ubuntu:20.04", name: "openjdk-11-jre-headless", version: "11.0.24+8-1ubuntu3~20.04", product: "eclipse-temurin", upstream: "11.0.24", cycle: "11", status: "unpatched"},
	{os: "ubuntu:20.04", name: "postgresql-12", version: "12.20-0ubuntu0.20.04.1", product: "postgresql", upstream: "12.20", cycle: "12", status: "eol"},
	{os: "ubuntu:20.04", name: "apache2", version: "2.4.41-4ubuntu3.21", product: "apache-http-server", upstream: "2.4.41", cycle: "2.4", status: "unpatched"},
	// ... unless ESM counts.
	{os: "ubuntu:20.04", name: "nginx", version: "1.18.0-0ubuntu1.4", product: "nginx", upstream: "1.18.0", cycle: "1.18", status: "distro-supported", extended: true},
	// Ubuntu 22.04 (standard support until 2027-04-01).
	{os: "ubuntu:22.04", name: "nginx", version: "1.18.0-6ubuntu14.4", product: "nginx", upstream: "1.18.0", cycle: "1.18", status: "eol-soon"},
	{os: "ubuntu:22.04", name: "nginx-core", version: "1.18.0-6ubuntu14.4", product: "nginx", upstream: "1.18.0", cycle: "1.18", status: "eol-soon"},
	{os: "ubuntu:22.04", name: "nginx", version: "1.24.0-1~jammy", product: "nginx", upstream: "1.24.0", cycle: "1.24", status: "eol"},
	{os: "ubuntu:22.04", name: "php8.1-fpm", version: "8.1.2-1ubuntu2.19", product: "php", upstream: "8.1.2", cycle: "8.1", status: "eol-soon"},
	{os: "ubuntu:22.04", name: "php-fpm", version: "2:8.1+92ubuntu1", product: "php", upstream: "8.1", cycle: "8.1", status: "eol-soon"},
	{os: "ubuntu:22.04", name: "php8.2-fpm", version: "8.2.25-1+ubuntu22.04.1+deb.sury.org+1", product: "php", upstream: "8.2.25", cycle: "8.2", status: "eol-soon"},
	{os: "ubuntu:22.04", name: "mysql-server-8.0", version: "8.0.39-0ubuntu0.22.04.1", product: "mysql", upstream: "8.0.39", cycle: "8.0", status: "eol-soon"},
	{os: "ubuntu:22.04", name: "mysql-community-server", version: "8.0.40-1ubuntu22.04", product: "mysql", upstream: "8.0.40", cycle: "8.0", status: "eol"},
	{os: "ubuntu:22.04", name: "postgresql-14", version: "14.13-0ubuntu0.22.04.1", product: "postgresql", upstream: "14.13", cycle: "14", status: "eol-soon"},
	{os: "ubuntu:22.04", name: "redis-server", version: "5:6.0.16-1ubuntu1", product: "redis", upstream: "6.0.16", cycle: "6.0", status: "eol"},
	{os: "ubuntu:22.04", name: "openjdk-8-jre-headless", version: "8u422-b05-1~22.04", product: "eclipse-temurin", upstream: "8.0.422", cycle: "8", status: "eol-soon"},
	{os: "ubuntu:22.04", name: "libssl3", version: "3.0.2-0ubuntu1.26", product: "openssl", upstream: "3.0.2", cycle: "3.0", status: "eol-soon"},
	{os: "ubuntu:22.04", name: "nodejs", version: "12.22.9~dfsg-1ubuntu3.6", product: "nodejs", upstream: "12.22.9", cycle: "12", status: "eol"},
	{os: "ubuntu:22.04", name: "nodejs", version: "20.18.0-1nodesource1", product: "nodejs", upstream: "20.18.0", cycle: "20", status: "eol"},
	{os: "ubuntu:22.04", name: "docker-ce", version: "5:27.3.1-1~ubuntu.22.04~jammy", product: "docker-engine", upstream: "27.3.1", cycle: "27", status: "eol"},
	{os: "ubuntu:22.04", name: "containerd.io", version: "1.7.22-1", product: "containerd", upstream: "1.7.22", cycle: "1.7", status: "eol"},
	{os: "ubuntu:22.04", name: "linux-image-5.15.0-1051-aws", version: "5.15.0-1051.56", product: "linux", upstream: "5.15.0", cycle: "5.15", status: "eol-soon"},
	{os: "ubuntu:22.04", name: "ruby3.0", version: "3.0.2-7ubuntu2.7", product: "ruby", upstream: "3.0.2", cycle: "3.0", status: "eol-soon"},
	// A java that does not say whose build it is gets no verdict: the vendor decides how long a line is patched.
	{os: "ubuntu:22.04", name: "probe:java", version: `openjdk version "1.8.0_432"`, product: "eclipse-temurin", upstream: "8.0.432", cycle: "8", status: "unknown"},
	{os: "ubuntu:22.04", name: "probe:java", version: `openjdk version "1.8.0_432" OpenJDK Runtime Environment (Temurin)(build 1.8.0_432-b06)`, product: "eclipse-temurin", upstream: "8.0.432", cycle: "8", status: "supported"},
	// Ubuntu 24.04 (until 2029-05-31).
	{os: "ubuntu:24.04", name: "nginx", version: "1.24.0-2ubuntu7.1", product: "nginx", upstream: "1.24.0", cycle: "1.24", status: "distro-supported"},
	{os: "ubuntu:24.04", name: "php8.3-fpm", version: "8.3.6-0ubuntu0.24.04.2", product: "php", upstream: "8.3.6", cycle: "8.3", status: "supported"},
	{os: "ubuntu:24.04", name: "libssl3t64", version: "3.0.13-0ubuntu3.4", product: "openssl", upstream: "3.0.13", cycle: "3.0", status: "unknown"}, // component not known (pasted list), not in the registry as main,
	{os: "ubuntu:24.04", name: "python3.12", version: "3.12.3-1ubuntu0.3", product: "python", upstream: "3.12.3", cycle: "3.12", status: "supported"},
	{os: "ubuntu:24.04", name: "postgresql-16", version: "16.4-0ubuntu0.24.04.2", product: "postgresql", upstream: "16.4", cycle: "16", status: "supported"},
	{os: "ubuntu:24.04", name: "openjdk-21-jre-headless", version: "21.0.4+7-1ubuntu2~24.04", product: "eclipse-temurin", upstream: "21.0.4", cycle: "21", status: "supported"},
	{os: "ubuntu:24.04", name: "redis-server", version: "5:7.0.15-1ubuntu0.24.04.1", product: "redis", upstream: "7.0.15", cycle: "7.0", status: "eol"},
	{os: "ubuntu:24.04", name: "docker.io", version: "24.0.7-0ubuntu4.1", product: "docker-engine", upstream: "24.0.7", cycle: "24.0", status: "unknown"}, // component not known (pasted list), not in the registry as main,
	{os: "ubuntu:24.04", name: "nodejs", version: "18.19.1+dfsg-6ubuntu5", product: "nodejs", upstream: "18.19.1", cycle: "18", status: "eol"},
	// Debian 11 (standard support ended 2024-08-14) and 12 (ended 2026-07-11).
	{os: "debian:11", name: "nginx", version: "1.18.0-6.1+deb11u3", product: "nginx", upstream: "1.18.0", cycle: "1.18", status: "eol"},
	{os: "debian:11", name: "libnginx-mod-stream", version: "1.18.0-6.1+deb11u3", product: "nginx", upstream: "1.18.0", cycle: "1.18", status: "eol"},
	{os: "debian:11", name: "php7.4-fpm", version: "7.4.33-1+deb11u5", product: "php", upstream: "7.4.33", cycle: "7.4", status: "eol"},
	{os: "debian:11", name: "mariadb-server-10.5", version: "1:10.5.23-0+deb11u1", product: "mariadb", upstream: "10.5.23", cycle: "10.5", status: "eol"},
	{os: "debian:11", name: "redis-server", version: "5:6.0.16-1+deb11u2", product: "redis", upstream: "6.0.16", cycle: "6.0", status: "eol"},
	{os: "debian:11", name: "openssl", version: "1.1.1w-0+deb11u1", product: "openssl", upstream: "1.1.1w", cycle: "1.1.1", status: "eol"},
	{os: "debian:11", name: "python3.9", version: "3.9.2-1", product: "python", upstream: "3.9.2", cycle: "3.9", status: "eol"},
	{os: "debian:11", name: "nginx", version: "1.18.0-6.1+deb11u3", product: "nginx", upstream: "1.18.0", cycle: "1.18", status: "eol-soon", at: "2026-06-01", extended: true},
	{os: "debian:12", name: "nginx", version: "1.22.1-9+deb12u9", product: "nginx", upstream: "1.22.1", cycle: "1.22", status: "eol"},
	{os: "debian:12", name: "php8.2-fpm", version: "8.2.32-1~deb12u1", product: "php", upstream: "8.2.32", cycle: "8.2", status: "unpatched"},
	{os: "debian:12", name: "postgresql-15", version: "15.18-0+deb12u1", product: "postgresql", upstream: "15.18", cycle: "15", status: "unpatched"},
	{os: "debian:12", name: "redis-server", version: "5:7.0.15-1~deb12u7", product: "redis", upstream: "7.0.15", cycle: "7.0", status: "eol"},
	{os: "debian:12", name: "openjdk-17-jre-headless", version: "17.0.19+10-1~deb12u2", product: "eclipse-temurin", upstream: "17.0.19", cycle: "17", status: "unpatched"},
	{os: "debian:12", name: "tomcat10", version: "10.1.55-1~deb12u1", product: "tomcat", upstream: "10.1.55", cycle: "10.1", status: "unpatched"},
	{os: "debian:12", name: "haproxy", version: "2.6.12-1+deb12u3", product: "haproxy", upstream: "2.6.12", cycle: "2.6", status: "unpatched"},
	{os: "debian:12", name: "memcached", version: "1.6.18-1", product: "memcached", upstream: "1.6.18", cycle: "1.6", status: "unpatched"},
	{os: "debian:12", name: "libssl3", version: "3.0.20-1~deb12u2", product: "openssl", upstream: "3.0.20", cycle: "3.0", status: "eol"},
	{os: "debian:12", name: "python3.11", version: "3.11.2-6+deb12u8", product: "python", upstream: "3.11.2", cycle: "3.11", status: "unpatched"},
	{os: "debian:12", name: "mariadb-server", version: "1:10.11.6-0+deb12u1", product: "mariadb", upstream: "10.11.6", cycle: "10.11", status: "unpatched"},
	{os: "debian:12", name: "php8.2-fpm", version: "8.2.32-1~deb12u1", product: "php", upstream: "8.2.32", cycle: "8.2", status: "eol-soon", at: "2026-07-10"},

	// Added with the audit of the host fixtures: the python3-defaults
	// packages, Node's runtime library, versioned kernel subpackages, the Go
	// metapackage, nginx.org's modules, Corretto and MariaDB's own repositories.
	{os: "debian:12", name: "libpython3-stdlib", version: "3.11.2-1+b1", product: "python", upstream: "3.11.2", cycle: "3.11", status: "unpatched"},
	{os: "debian:12", name: "libnode108", version: "18.19.0+dfsg-6~deb12u2", product: "nodejs", upstream: "18.19.0", cycle: "18", status: "eol"},
	{os: "ubuntu:22.04", name: "libnode72", version: "12.22.9~dfsg-1ubuntu3.6", product: "nodejs", upstream: "12.22.9", cycle: "12", status: "eol"},
	{os: "ubuntu:22.04", name: "linux-modules-extra-5.15.0-91-generic", version: "5.15.0-91.101", product: "linux", upstream: "5.15.0", cycle: "5.15", status: "eol-soon"},
	{os: "ubuntu:22.04", name: "golang-go", version: "2:1.18~0ubuntu2", product: "go", upstream: "1.18", cycle: "1.18", status: "eol-soon"},
	{os: "centos:8", name: "podman", version: "1.6.4-10.module_el8.2.0+305+5e198a41", product: "podman", upstream: "1.6.4", cycle: "1.6", status: "eol"},
	{os: "rhel:9", name: "nginx-module-njs", version: "1:1.26.2+0.8.5-1.el9.ngx", product: "nginx", upstream: "1.26.2", cycle: "1.26", status: "eol"},
	{os: "ubuntu:22.04", name: "java-17-amazon-corretto-jdk", version: "1:17.0.12.7-1", product: "amazon-corretto", upstream: "17.0.12", cycle: "17", status: "supported"},
	{os: "ubuntu:22.04", name: "mariadb-server", version: "1:10.6.19+maria~ubu2204", product: "mariadb", upstream: "10.6.19", cycle: "10.6", status: "eol"},
	{os: "amzn:2023", name: "perl-base", version: "2.27-477.amzn2023.0.9", status: "unknown"},
	{os: "amzn:2023", name: "perl-Carp", version: "1.50-458.amzn2023.0.2", status: "unknown"},
	{os: "rhel:9", name: "openssl-fips-provider", version: "3.5.5-4.el9_8", status: "unknown"},

	// Lookalikes that are not the product.
	{os: "amzn:2", name: "nginx-mimetypes", version: "2.1.49-3.amzn2", status: "unknown"},
	{os: "amzn:2", name: "python3-requests", version: "2.20.0-1.amzn2", status: "unknown"},
	{os: "amzn:2", name: "php-pear", version: "1:1.9.4-21.amzn2", status: "unknown"},
	{os: "amzn:2", name: "php-pecl-redis", version: "2.2.8-1.amzn2", status: "unknown"},
	{os: "amzn:2023", name: "mariadb-connector-c", version: "3.1.13-1.amzn2023.0.3", status: "unknown"},
	{os: "amzn:2023", name: "openssl-pkcs11", version: "0.4.12-3.amzn2023.0.1", status: "unknown"},
	{os: "ubuntu:22.04", name: "postgresql-common", version: "238", status: "unknown"},
	{os: "ubuntu:22.04", name: "php-common", version: "2:92ubuntu1", status: "unknown"},
	{os: "debian:11", name: "mysql-common", version: "5.8+1.0.7", status: "unknown"},
	{os: "debian:11", name: "libmariadb3", version: "1:10.5.23-0+deb11u1", status: "unknown"},
	{os: "ubuntu:24.04", name: "php8.3-redis", version: "6.0.2-1", status: "unknown"},
}

func TestRealPackages(t *testing.T) {
	d := mustLoad(t)
	if len(realCases) < 80 {
		t.Fatalf("want at least 80 real cases, have %d", len(realCases))
	}
	for _, c := range realCases {
		name := c.os + "/" + c.name + "=" + c.version
		if c.at != "" {
			name += "@" + c.at
		}
		if c.extended {
			name += "+esm"
		}
		t.Run(name, func(t *testing.T) {
			osr, err := ParseOS(c.os)
			if err != nil {
				t.Fatal(err)
			}
			pkgs, probes, err := ParseList(strings.NewReader(c.name+"\t"+c.version+"\n"), osr)
			if err != nil {
				t.Fatal(err)
			}
			at := day("2026-11-24")
			if c.at != "" {
				at = day(c.at)
			}
			hr := d.JudgeList(osr, pkgs, probes, Options{At: at, Within: 180, ExtendedSupport: c.extended})
			var f *Finding
			for i := range hr.Findings {
				if hr.Findings[i].Kind != KindOS {
					f = &hr.Findings[i]
				}
			}
			if f == nil {
				t.Fatalf("no finding for %s", c.name)
			}
			got := [4]string{f.Product, f.UpstreamVersion, f.Cycle, string(f.Status)}
			want := [4]string{c.product, c.upstream, c.cycle, c.status}
			if c.product == "" {
				got[1], got[2] = "", ""
			}
			if got != want {
				t.Errorf("got product %q upstream %q cycle %q status %q, want %q %q %q %q (%s)",
					got[0], got[1], got[2], got[3], want[0], want[1], want[2], want[3], f.Reason)
			}
		})
	}
}

func TestOSCycle(t *testing.T) {
	for _, c := range []struct {
		id, ver, name  string
		product, cycle string
	}{
		{"amzn", "2", "", "amazon-linux", "2"},
		{"amzn", "2023", "", "amazon-linux", "2023"},
		{"amzn", "2023.6.20241010", "", "amazon-linux", "2023"},
		{"amzn", "2018.03", "", "amazon-linux", "2018.03"},
		{"rhel", "9.4", "", "rhel", "9"},
		{"rhel", "9", "", "rhel", "9"},
		{"ubuntu", "22.04", "", "ubuntu", "22.04"},
		{"debian", "12", "", "debian", "12"},
		{"centos", "9", "CentOS Stream", "centos-stream", "9"},
		{"centos", "9", "", "centos-stream", "9"},
		{"centos", "10", "", "centos-stream", "10"},
		{"centos", "8", "", "centos", "8"},
		{"centos", "7", "CentOS Linux", "centos", "7"},
		{"rocky", "9.3", "", "rocky-linux", "9"},
		{"almalinux", "9.4", "", "almalinux", "9"},
		{"ol", "8.9", "", "oracle-linux", "8"},
		{"gentoo", "2.14", "", "", ""},
	} {
		p, cy := OSCycle(inventory.OSRelease{ID: c.id, VersionID: c.ver, Name: c.name})
		if p != c.product || cy != c.cycle {
			t.Errorf("%s %s: got %s %s, want %s %s", c.id, c.ver, p, cy, c.product, c.cycle)
		}
	}
}

// TestOSVerdicts: the OS is a product too; AL2 ended 2026-06-30 in the
// snapshot, as AWS says.
func TestOSVerdicts(t *testing.T) {
	d := mustLoad(t)
	for _, c := range []struct {
		os, at, status, date string
		ext                  bool
	}{
		{"amzn:2", "2026-11-24", "eol", "2026-06-30", false},
		{"amzn:2", "2026-06-30", "eol-soon", "2026-06-30", false},
		{"amzn:2023.6.20241010", "2026-11-24", "supported", "2029-06-30", false},
		{"ubuntu:20.04", "2026-11-24", "eol", "2025-05-31", false},
		{"ubuntu:20.04", "2026-11-24", "supported", "2030-04-02", true},
		{"debian:12", "2026-11-24", "eol", "2026-07-11", false},
		{"rhel:9.4", "2026-11-24", "supported", "2032-05-31", false},
	} {
		osr, err := ParseOS(c.os)
		if err != nil {
			t.Fatal(err)
		}
		hr := d.JudgeList(osr, nil, nil, Options{At: day(c.at), Within: 180, ExtendedSupport: c.ext})
		f := hr.Findings[0]
		if f.Kind != KindOS || string(f.Status) != c.status || f.EOLDate != c.date {
			t.Errorf("%s at %s ext=%v: got %s %s %s (%s), want %s %s", c.os, c.at, c.ext, f.Kind, f.Status, f.EOLDate, f.Reason, c.status, c.date)
		}
	}
}

// TestOlderThanData: a version older than every cycle the data tracks is
// end-of-life when the oldest tracked cycle is.
func TestOlderThanData(t *testing.T) {
	d := mustLoad(t)
	osr, _ := ParseOS("amzn:2")
	pkgs, _, err := ParseList(strings.NewReader("redis\t4.0.10-2.amzn2.0.2\n"), osr)
	if err != nil {
		t.Fatal(err)
	}
	f := d.JudgeList(osr, pkgs, nil, Options{At: day("2026-11-24"), Within: 180}).Findings[1]
	if f.Status != VerdictEOL || f.Cycle != "4.0" || f.EOLDate != "2022-04-27" {
		t.Errorf("redis 4.0: got %s %s %s (%s)", f.Status, f.Cycle, f.EOLDate, f.Reason)
	}
}

// TestVendorUntil: an OS vendor's own package carries the day its OS
// release's support ends, before and after that day; packages from an
// extras topic, a third-party repository or a hand-built binary do not.
func TestVendorUntil(t *testing.T) {
	d := mustLoad(t)
	tests := []struct {
		os, name, version, at, want string
	}{
		{"amzn:2", "openssl", "1:1.0.2k-24.amzn2.0.11", "2026-11-24", "2026-06-30"},
		{"amzn:2", "openssl", "1:1.0.2k-24.amzn2.0.11", "2026-01-10", "2026-06-30"},
		{"amzn:2", "php-fpm", "7.4.33-1.amzn2", "2026-11-24", ""},              // extras topic php7.4
		{"amzn:2", "mysql-community-server", "5.7.44-1.el7", "2026-11-24", ""}, // Oracle's repository
		{"ubuntu:22.04", "nginx", "1.18.0-6ubuntu14.4", "2026-11-24", "2027-04-01"},
	}
	for _, tt := range tests {
		t.Run(tt.os+"/"+tt.name+"@"+tt.at, func(t *testing.T) {
			osr, err := ParseOS(tt.os)
			if err != nil {
				t.Fatal(err)
			}
			pkgs, probes, err := ParseList(strings.NewReader(tt.name+"\t"+tt.version+"\n"), osr)
			if err != nil {
				t.Fatal(err)
			}
			hr := d.JudgeList(osr, pkgs, probes, Options{At: day(tt.at), Within: 180})
			for _, f := range hr.Findings {
				if f.Kind == KindPackage {
					if f.VendorUntil != tt.want {
						t.Errorf("VendorUntil %q, want %q (source %s, %s)", f.VendorUntil, tt.want, f.Source, f.Reason)
					}
					return
				}
			}
			t.Fatalf("no package finding in %+v", hr.Findings)
		})
	}
}

// TestJudgeSkipsRemovedPackages: a dpkg package whose configuration files
// are all that remain (rc) runs nothing and gets no finding.
func TestJudgeSkipsRemovedPackages(t *testing.T) {
	d := mustLoad(t)
	rep := &inventory.Report{
		Facts: inventory.Facts{OS: inventory.OSRelease{ID: "debian", VersionID: "12", Name: "Debian GNU/Linux"}},
		Packages: []inventory.Package{
			{Manager: "dpkg", Name: "apache2", Version: "2.4.62-1~deb12u2", Arch: "amd64", Status: "rc"},
			{Manager: "dpkg", Name: "nginx", Version: "1.22.1-9+deb12u1", Arch: "amd64", Status: "ii"},
		},
	}
	hr := d.Judge([]inventory.Observation{{Host: inventory.Host{ID: "web-1"}, Status: inventory.StatusOK, Report: rep}},
		Options{At: day("2026-11-24"), Within: 180})
	products := map[string]bool{}
	for _, f := range hr[0].Findings {
		products[f.Product] = true
	}
	if !products["nginx"] || products["apache-http-server"] {
		t.Errorf("products %v: want nginx, and no finding for the removed apache2", products)
	}
}
