package main

import "upkeep/inventory"

// The middleware package sets the demo fleet adds to the real base package
// lists. Every version string here is real; its source is named next to it
// and repeated in inventory/demo/README.md. Where a row of the project's
// AL2 -> AL2023 table is used, the row is copied in the comment as
//
//	al2_package  al2_source  al2_version  al2023_package  al2023_version  status
//
// (that table's al2_version values come from the "AL2023.1 upgrades from AL2"
// section of the Amazon Linux 2023.1.20230809 release notes, which compare
// against AL2 as of 2023-08-10).

const (
	vendorAmazon = "Amazon Linux"
	vendorOracle = "Oracle and/or its affiliates" // rpm -qi Vendor of MySQL community RPMs
)

// rpmPkg builds an rpm package; epoch "" means none.
func rpmPkg(name, epoch, evr, arch, vendor string) inventory.Package {
	v, r := splitVR(evr)
	return inventory.Package{Manager: "rpm", Name: name, Epoch: epoch, Version: v, Release: r, Arch: arch, Vendor: vendor}
}

// debPkg builds an installed dpkg package.
func debPkg(name, version, arch string) inventory.Package {
	return inventory.Package{Manager: "dpkg", Name: name, Version: version, Arch: arch, Status: "ii"}
}

// splitVR splits "version-release" at the last hyphen, as rpm does.
func splitVR(evr string) (string, string) {
	for i := len(evr) - 1; i >= 0; i-- {
		if evr[i] == '-' {
			return evr[:i], evr[i+1:]
		}
	}
	return evr, ""
}

// al2EC2Base turns the amazonlinux:2 container list into what an EC2
// instance of the same age has on top: a kernel, systemd, sshd, the SSM agent
// (the fleet is scanned through SSM), chrony and an updated openssl.
//
//	kernel            core          4.14.320-243.544.amzn2
//	kernel            extras:kernel-5.10  5.10.186-179.751.amzn2
//	systemd           core          219-78.amzn2.0.22
//	openssh-server    core          7.4p1-22.amzn2.0.3
//	amazon-ssm-agent  core          3.1.1732.0-1.amzn2
//	chrony            core          4.2-5.amzn2.0.2
//	openssl           core          1.0.2k-24.amzn2.0.7   (epoch 1 in rpm, per the table's note)
//	openssl-libs      core          1.0.2k-24.amzn2.0.7
//
// openssl and openssl-libs come from one source rpm, so they share an EVR.
// updatedSSL false keeps the container's own openssl-libs 1:1.0.2k-16.amzn2.1.1
// and adds no openssl binary package: a host that never ran yum update.
func al2EC2Base(kernel510, updatedSSL bool) []inventory.Package {
	kernel := rpmPkg("kernel", "", "4.14.320-243.544.amzn2", "x86_64", vendorAmazon)
	if kernel510 {
		kernel = rpmPkg("kernel", "", "5.10.186-179.751.amzn2", "x86_64", vendorAmazon)
	}
	pkgs := []inventory.Package{
		kernel,
		rpmPkg("systemd", "", "219-78.amzn2.0.22", "x86_64", vendorAmazon),
		rpmPkg("openssh-server", "", "7.4p1-22.amzn2.0.3", "x86_64", vendorAmazon),
		rpmPkg("amazon-ssm-agent", "", "3.1.1732.0-1.amzn2", "x86_64", vendorAmazon),
		rpmPkg("chrony", "", "4.2-5.amzn2.0.2", "x86_64", vendorAmazon),
	}
	if updatedSSL {
		pkgs = append(pkgs,
			rpmPkg("openssl", "1", "1.0.2k-24.amzn2.0.7", "x86_64", vendorAmazon),
			rpmPkg("openssl-libs", "1", "1.0.2k-24.amzn2.0.7", "x86_64", vendorAmazon))
	}
	return pkgs
}

// al2OpenSSLNewer is a later AL2 openssl build, 1:1.0.2k-24.amzn2.0.16, as
// printed by `yum install` on AL2 in a public build transcript
// ("Package openssl.x86_64 1:1.0.2k-24.amzn2.0.16 will be installed").
func al2OpenSSLNewer() []inventory.Package {
	return []inventory.Package{
		rpmPkg("openssl", "1", "1.0.2k-24.amzn2.0.16", "x86_64", vendorAmazon),
		rpmPkg("openssl-libs", "1", "1.0.2k-24.amzn2.0.16", "x86_64", vendorAmazon),
	}
}

// al2PHP74 is PHP 7.4 from the amazon-linux-extras php7.4 topic.
//
//	php-cli       extras:php7.4  7.4.33-1.amzn2  php8.1-cli,php8.2-cli      8.1.21-1.amzn2023.0.1  newer-only
//	php-fpm       extras:php7.4  7.4.33-1.amzn2  php8.1-fpm,php8.2-fpm      8.1.21-1.amzn2023.0.1  newer-only
//	php-common    extras:php7.4  7.4.33-1.amzn2  php8.1-common,...          8.1.21-1.amzn2023.0.1  newer-only
//	php-mysqlnd   extras:php7.4  7.4.33-1.amzn2  php8.1-mysqlnd,...         8.1.21-1.amzn2023.0.1  newer-only
//	php-pdo       extras:php7.4  7.4.33-1.amzn2  php8.1-pdo,...             8.1.21-1.amzn2023.0.1  newer-only
//	php-mbstring  extras:php7.4  7.4.33-1.amzn2  php8.1-mbstring,...        8.1.21-1.amzn2023.0.1  newer-only
//	php-xml       extras:php7.4  7.4.33-1.amzn2  php8.1-xml,...             8.1.21-1.amzn2023.0.1  newer-only
//	php-opcache   extras:php7.4  7.4.33-1.amzn2  php8.1-opcache,...         8.1.21-1.amzn2023.0.1  newer-only
//
// The extras topic publishes no epoch for php.
func al2PHP74() []inventory.Package {
	var pkgs []inventory.Package
	for _, n := range []string{"php-cli", "php-common", "php-fpm", "php-mbstring", "php-mysqlnd", "php-opcache", "php-pdo", "php-xml"} {
		pkgs = append(pkgs, rpmPkg(n, "", "7.4.33-1.amzn2", "x86_64", vendorAmazon))
	}
	return pkgs
}

// al2NginxExtras is nginx from the amazon-linux-extras nginx1 topic:
//
//	nginx  extras:nginx1  1.22.1-1.amzn2.0.2  nginx  1.24.0-1.amzn2023.0.1  available
//
// Amazon's nginx packages carry epoch 1 (as nginx-1:1.20.0-2.amzn2.0.5 did).
func al2NginxExtras() []inventory.Package {
	return []inventory.Package{rpmPkg("nginx", "1", "1.22.1-1.amzn2.0.2", "x86_64", vendorAmazon)}
}

// al2MySQL57 is MySQL Community Server 5.7.44 (the last 5.7 release) from
// Oracle's MySQL 5.7 community yum repository for EL7, which AL2 hosts used
// because AL2 ships no MySQL: package files mysql-community-{server,client,
// common,libs}-5.7.44-1.el7.x86_64.rpm. The table's row:
//
//	mysql-community-server  other  -  mariadb105-server  10.5.18-1.amzn2023.0.1  replaced
func al2MySQL57() []inventory.Package {
	var pkgs []inventory.Package
	for _, n := range []string{"mysql-community-client", "mysql-community-common", "mysql-community-libs", "mysql-community-server"} {
		pkgs = append(pkgs, rpmPkg(n, "", "5.7.44-1.el7", "x86_64", vendorOracle))
	}
	return pkgs
}

// al2Java8 is the AL2 core OpenJDK 8 build 1:1.8.0.412.b08-1.amzn2.0.1, the
// EVR in its install path /usr/lib/jvm/java-1.8.0-openjdk-1.8.0.412.b08-1.amzn2.0.1.x86_64
// as set in public JAVA_HOME settings for AL2 hosts; java-1.8.0-openjdk has
// epoch 1 on EL and AL2, and -headless is built from the same source rpm.
//
//	java-1.8.0-openjdk  core  -  java-1.8.0-amazon-corretto  1.8.0_382.b05-1.amzn2023  replaced
func al2Java8() []inventory.Package {
	return []inventory.Package{
		rpmPkg("java-1.8.0-openjdk", "1", "1.8.0.412.b08-1.amzn2.0.1", "x86_64", vendorAmazon),
		rpmPkg("java-1.8.0-openjdk-headless", "1", "1.8.0.412.b08-1.amzn2.0.1", "x86_64", vendorAmazon),
	}
}

// al2Redis6 and al2Redis4 are redis from the extras redis6 and redis4.0 topics:
//
//	redis  extras:redis6    6.2.13-1.amzn2       redis6  6.2.13-1.amzn2023.0.1  namespaced
//	redis  extras:redis4.0  4.0.10-2.amzn2.0.2   redis6  6.2.13-1.amzn2023.0.1  newer-only
func al2Redis6() []inventory.Package {
	return []inventory.Package{rpmPkg("redis", "", "6.2.13-1.amzn2", "x86_64", vendorAmazon)}
}

func al2Redis4() []inventory.Package {
	return []inventory.Package{rpmPkg("redis", "", "4.0.10-2.amzn2.0.2", "x86_64", vendorAmazon)}
}

// AL2023 middleware, from the project's list of every binary RPM in AL2023
// release 2023.1.20230809 (al2023-packages.tsv: name, epoch, version,
// release). That list prints no epoch and no vendor, so both are left unset,
// as the amazonlinux-2023-ami base list also has them (see its README).
//
//	nginx, nginx-core, nginx-filesystem      1.24.0-1.amzn2023.0.1
//	php8.2-cli, -common, -fpm, -mysqlnd,
//	  -opcache, -pdo, -mbstring, -xml        8.2.7-1.amzn2023.0.1
//	mariadb105, -common, -server, -errmsg    10.5.18-1.amzn2023.0.1
//	redis6                                   6.2.13-1.amzn2023.0.1
func al2023Nginx() []inventory.Package {
	var pkgs []inventory.Package
	for _, n := range []string{"nginx", "nginx-core", "nginx-filesystem"} {
		arch := "x86_64"
		if n == "nginx-filesystem" {
			arch = "noarch"
		}
		pkgs = append(pkgs, rpmPkg(n, "", "1.24.0-1.amzn2023.0.1", arch, ""))
	}
	return pkgs
}

func al2023PHP82() []inventory.Package {
	var pkgs []inventory.Package
	for _, n := range []string{"php8.2-cli", "php8.2-common", "php8.2-fpm", "php8.2-mbstring", "php8.2-mysqlnd", "php8.2-opcache", "php8.2-pdo", "php8.2-xml"} {
		pkgs = append(pkgs, rpmPkg(n, "", "8.2.7-1.amzn2023.0.1", "x86_64", ""))
	}
	return pkgs
}

func al2023MariaDB105() []inventory.Package {
	var pkgs []inventory.Package
	for _, n := range []string{"mariadb105", "mariadb105-common", "mariadb105-errmsg", "mariadb105-server"} {
		pkgs = append(pkgs, rpmPkg(n, "", "10.5.18-1.amzn2023.0.1", "x86_64", ""))
	}
	return pkgs
}

func al2023Redis6() []inventory.Package {
	return []inventory.Package{rpmPkg("redis6", "", "6.2.13-1.amzn2023.0.1", "x86_64", "")}
}

// Ubuntu packages are published versions of the Ubuntu archive's -updates /
// -security pockets, as apt and dpkg print them:
//
//	22.04 nginx, nginx-common, nginx-core  1.18.0-6ubuntu14.4 (14.3 on a host behind on updates)
//	22.04 php8.1-*                         8.1.2-1ubuntu2.14  (2.13 behind)
//	22.04 mysql-server-8.0 and friends     8.0.36-0ubuntu0.22.04.1
//	22.04 redis-server, redis-tools        5:6.0.16-1ubuntu1
//	20.04 nginx, nginx-common, nginx-core  1.18.0-0ubuntu1.4
//	20.04 php7.4-*                         7.4.3-4ubuntu2.19  (2.18 behind)
//	20.04 redis-server, redis-tools        5:5.0.7-2ubuntu0.1
//
// Debian's nginx packaging, which Ubuntu follows, makes nginx and
// nginx-common arch "all" and nginx-core the binary.
func ubuntuNginx(version string) []inventory.Package {
	return []inventory.Package{
		debPkg("nginx", version, "all"),
		debPkg("nginx-common", version, "all"),
		debPkg("nginx-core", version, "amd64"),
	}
}

func ubuntuPHP(branch, version string) []inventory.Package {
	names := []string{"cli", "common", "fpm", "mysql", "opcache", "readline"}
	if branch == "7.4" {
		names = append(names, "json") // a separate package before PHP 8
	}
	var pkgs []inventory.Package
	for _, n := range names {
		pkgs = append(pkgs, debPkg("php"+branch+"-"+n, version, "amd64"))
	}
	return pkgs
}

func ubuntuMySQL80() []inventory.Package {
	var pkgs []inventory.Package
	for _, n := range []string{"mysql-client-8.0", "mysql-client-core-8.0", "mysql-server-8.0", "mysql-server-core-8.0"} {
		pkgs = append(pkgs, debPkg(n, "8.0.36-0ubuntu0.22.04.1", "amd64"))
	}
	return pkgs
}

func ubuntuRedis(version string) []inventory.Package {
	return []inventory.Package{debPkg("redis-server", version, "amd64"), debPkg("redis-tools", version, "amd64")}
}
