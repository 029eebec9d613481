package advisories

import (
	"regexp"
	"strings"

	"upkeep/advisories/version"
)

// A rule maps installed package names to an endoflife.date product. The
// table below is the whole mapping: to teach upkeep a package, add a row
// (and a case to TestRules). Rules are tried in order; the first whose
// pattern matches and whose name cycle agrees with the version wins.
//
// Patterns are anchored regular expressions on the package name. A named
// group "c" captures a release line written into the name (php8.2-fpm,
// mariadb105, postgresql-14, java-17-openjdk): the version must then
// belong to that line, which keeps lookalikes out (php8.2-redis is the
// PECL extension, version 6.x, not PHP 8.2).
type rule struct {
	pattern string
	product string
	manager string // "rpm" or "dpkg": only packages of this manager; "" both
	primary bool   // this package's version is the product's version on the host
	dot     int    // the "c" group has no dot: insert one after this many digits (php74 -> 7.4)
	java    bool   // Java version strings: 1.8.0.432.b06, 8u432-ga, 17.0.13+11
	ver     string // when set, the upstream version must match this (anchored): names shared with other projects' packages
}

// rules is the package-name mapping table. Libraries and tools that only
// share a prefix (python3-requests, nginx-mimetypes, postgresql-common,
// mariadb-connector-c, php-pear, php-pecl-*) match no row on purpose. So do
// perl and sqlite, which the data has: the distribution's perl (perl-base is
// Essential on Debian) and SQLite library move only with the OS, and SQLite's
// one cycle never ends, so a finding per host would be noise.
var rules = []rule{
	// nginx: distro packages, dynamic modules (same source version), nginx.org builds.
	{pattern: `nginx`, product: "nginx", primary: true},
	{pattern: `nginx-(core|full|light|extras|common|filesystem|all-modules)`, product: "nginx"},
	// Modules: Fedora/EPEL's nginx-mod-*, Debian's libnginx-mod-*, nginx.org's
	// nginx-module-* (njs: "1.26.2+0.8.5"). Only those built from nginx's own
	// source carry nginx's version; third-party modules packaged under the
	// same prefix (nginx-mod-modsecurity 1.0.3, libnginx-mod-http-headers-more-filter
	// 0.34, libnginx-mod-http-auth-pam 1.5.3) do not, so the version must be 1.10 or later.
	{pattern: `(lib)?nginx-mod-[a-z0-9-]+|nginx-module-[a-z0-9-]+`, product: "nginx", ver: `1\.([1-9]\d)\..*`},

	// Apache httpd: rpm httpd, Software Collections httpd24-*, Debian apache2.
	{pattern: `httpd`, product: "apache-http-server", primary: true},
	{pattern: `httpd-(core|tools|filesystem|devel|manual)|mod_ssl|mod_http2|mod_proxy_html|mod_session|mod_ldap`, product: "apache-http-server", manager: "rpm"},
	{pattern: `httpd24-httpd`, product: "apache-http-server", manager: "rpm", primary: true},
	{pattern: `httpd24-(httpd-tools|mod_ssl|mod_session|mod_ldap|mod_proxy_html)`, product: "apache-http-server", manager: "rpm"},
	{pattern: `apache2`, product: "apache-http-server", manager: "dpkg", primary: true},
	{pattern: `apache2-(bin|data|utils|dev)`, product: "apache-http-server", manager: "dpkg"},

	// PHP. rpm: php-* core extensions (AL2 extras, RHEL modules, remi), AL2023's
	// php8.x-*, remi's Software Collections php74-php-*. Debian: phpX.Y-* and the
	// php-defaults metapackages, whose version is "2:8.1+92ubuntu1".
	{pattern: `php`, product: "php", primary: true},
	{pattern: `php-(fpm|cli)`, product: "php", primary: true},
	{pattern: `php-` + phpExt, product: "php", manager: "rpm"},
	{pattern: `php(?P<c>\d\.\d)`, product: "php", primary: true},
	{pattern: `php(?P<c>\d\.\d)-(fpm|cli)`, product: "php", primary: true},
	{pattern: `php(?P<c>\d\.\d)-` + phpExt, product: "php"},
	{pattern: `php(?P<c>\d\d)-php(-(fpm|cli))?`, product: "php", manager: "rpm", dot: 1, primary: true},
	{pattern: `php(?P<c>\d\d)-php-` + phpExt, product: "php", manager: "rpm", dot: 1},
	{pattern: `libapache2-mod-php(?P<c>\d\.\d)`, product: "php", manager: "dpkg"},
	{pattern: `php-(mysql|pgsql|curl|gd|mbstring|xml|intl|zip|bcmath|soap|opcache)`, product: "php", manager: "dpkg"},

	// MySQL (Oracle): community repo packages, RHEL's mysql-server, Debian/Ubuntu mysql-server-8.0.
	{pattern: `mysql-community-server`, product: "mysql", primary: true},
	{pattern: `mysql-community-(client|libs|common|server-core|client-core|icu-data-files|client-plugins)`, product: "mysql"},
	{pattern: `mysql-server`, product: "mysql", manager: "rpm", primary: true},
	{pattern: `mysql(-libs|-errmsg|-common)?`, product: "mysql", manager: "rpm"},
	{pattern: `mysql-server-(core-)?(?P<c>\d+\.\d+)`, product: "mysql", manager: "dpkg", primary: true},
	{pattern: `mysql-client-(core-)?(?P<c>\d+\.\d+)`, product: "mysql", manager: "dpkg"},
	{pattern: `mysql-(server|client)`, product: "mysql", manager: "dpkg"},

	// MariaDB: rpm mariadb/mariadb-server (AL2 5.5, extras 10.x), AL2023 mariadb105 /
	// mariadb1011, Debian mariadb-server(-10.5).
	{pattern: `MariaDB-server`, product: "mariadb", manager: "rpm", primary: true},
	{pattern: `MariaDB-(client|common|shared|backup|server-compat)`, product: "mariadb", manager: "rpm"},
	{pattern: `mariadb-server`, product: "mariadb", primary: true},
	{pattern: `mariadb(-(libs|common|errmsg|backup|server-utils|gssapi-server|client|server-galera|plugin-[a-z0-9-]+))?`, product: "mariadb"},
	{pattern: `mariadb-(server|client)-(core-)?(?P<c>\d+\.\d+)`, product: "mariadb", manager: "dpkg", primary: true},
	{pattern: `mariadb(?P<c>\d\d\d\d?)-server`, product: "mariadb", manager: "rpm", dot: 2, primary: true},
	{pattern: `mariadb(?P<c>\d\d\d\d?)(-(common|errmsg|backup|server-utils|gssapi-server|pam))?`, product: "mariadb", manager: "rpm", dot: 2},

	// PostgreSQL: rpm postgresql(-server), AL2023 and PGDG postgresqlNN-*, Debian postgresql-NN.
	{pattern: `postgresql-server`, product: "postgresql", manager: "rpm", primary: true},
	{pattern: `postgresql(-(libs|contrib|devel|upgrade|plperl|plpython3|pltcl|private-libs|test|docs))?`, product: "postgresql", manager: "rpm"},
	{pattern: `postgresql(?P<c>\d\d)-server`, product: "postgresql", manager: "rpm", primary: true},
	{pattern: `postgresql(?P<c>\d\d)(-(libs|contrib|devel|upgrade|plperl|plpython3|pltcl|private-libs|test|docs|static|llvmjit))?`, product: "postgresql", manager: "rpm"},
	{pattern: `postgresql-(?P<c>\d\d|9\.\d)`, product: "postgresql", manager: "dpkg", primary: true},
	{pattern: `postgresql-(client|plperl|plpython3|pltcl|server-dev)-(?P<c>\d\d|9\.\d)`, product: "postgresql", manager: "dpkg"},
	{pattern: `postgresql(-contrib|-client)?`, product: "postgresql", manager: "dpkg"},

	// Redis and Valkey (the Linux Foundation fork AL2023 later ships).
	{pattern: `redis`, product: "redis", primary: true},
	{pattern: `redis-server`, product: "redis", manager: "dpkg", primary: true},
	{pattern: `redis-(tools|sentinel|doc)`, product: "redis"},
	{pattern: `redis(?P<c>\d)(-(doc|devel))?`, product: "redis", manager: "rpm", primary: true},
	{pattern: `valkey(-server)?`, product: "valkey", primary: true},
	{pattern: `valkey-(tools|compat-redis|doc)`, product: "valkey"},

	// Java. Amazon Corretto is its own product; every other OpenJDK build is
	// judged as eclipse-temurin, the upstream OpenJDK proxy with the same cycles.
	{pattern: `java-(?P<c>1\.8\.0|\d+)-amazon-corretto(-(headless|devel|jdk|jmods|javadoc))?`, product: "amazon-corretto", java: true, primary: true},
	{pattern: `amazon-corretto-(?P<c>\d+)(-[a-z0-9-]+)?`, product: "amazon-corretto", java: true},
	{pattern: `java-(?P<c>1\.8\.0|\d+)-openjdk(-(headless|devel|src|demo|javadoc|jmods|static-libs))?`, product: "eclipse-temurin", manager: "rpm", java: true, primary: true},
	{pattern: `java-latest-openjdk(-(headless|devel))?`, product: "eclipse-temurin", manager: "rpm", java: true, primary: true},
	{pattern: `openjdk-(?P<c>\d+)-(jre|jdk)(-headless)?`, product: "eclipse-temurin", manager: "dpkg", java: true, primary: true},
	{pattern: `temurin-(?P<c>\d+)-(jdk|jre)`, product: "eclipse-temurin", java: true, primary: true},

	// Tomcat: rpm tomcat (AL2 7.0), tomcat9 (AL2023), Debian tomcat9/tomcat10.
	{pattern: `tomcat`, product: "tomcat", manager: "rpm", primary: true},
	{pattern: `tomcat-(lib|admin-webapps|webapps|el-[0-9.]+-api|jsp-[0-9.]+-api|servlet-[0-9.]+-api)`, product: "tomcat", manager: "rpm"},
	{pattern: `tomcat(?P<c>\d+)`, product: "tomcat", primary: true},
	{pattern: `tomcat(?P<c>\d+)-(common|lib|admin|webapps|user)`, product: "tomcat"},
	{pattern: `libtomcat(?P<c>\d+)-java`, product: "tomcat", manager: "dpkg"},

	// Node.js: distro nodejs, AL2023 nodejsNN, NodeSource builds (same name).
	{pattern: `nodejs`, product: "nodejs", primary: true},
	{pattern: `nodejs-(libs|full-i18n|devel|docs|npm)`, product: "nodejs", manager: "rpm"},
	{pattern: `nodejs(?P<c>\d\d)(-(libs|full-i18n|devel|npm))?`, product: "nodejs", manager: "rpm", primary: true},
	{pattern: `libnode\d+`, product: "nodejs", manager: "dpkg"}, // Debian/Ubuntu's runtime library (libnode72 is Node 12's ABI, not a line)

	// Python: the interpreter, not its libraries (python3-requests is not Python).
	{pattern: `python(?P<c>3\.\d+)`, product: "python", primary: true},
	{pattern: `python(?P<c>3\.\d+)-(libs|minimal|devel|dev|venv|tkinter)`, product: "python"},
	{pattern: `libpython(?P<c>3\.\d+)(-minimal|-stdlib|-dev)?`, product: "python", manager: "dpkg"},
	{pattern: `python(?P<c>3)(-libs|-minimal)?`, product: "python", primary: true},
	// The default-version packages (python3-defaults on Debian, python3-devel on rpm).
	{pattern: `(lib)?python(?P<c>3)-(stdlib|dev|devel)`, product: "python"},
	{pattern: `python(?P<c>3\d\d?)(-libs)?`, product: "python", manager: "rpm", dot: 1, primary: true},
	{pattern: `platform-python`, product: "python", manager: "rpm", primary: true},
	{pattern: `python(?P<c>2)?(-libs)?`, product: "python", manager: "rpm", primary: true},
	{pattern: `python(?P<c>2\.7)(-minimal)?`, product: "python", manager: "dpkg", primary: true},

	// Ruby: the interpreter, not ruby-* gems.
	{pattern: `ruby`, product: "ruby", primary: true},
	{pattern: `ruby-libs`, product: "ruby", manager: "rpm"},
	{pattern: `ruby(?P<c>\d\.\d)(-libs|-devel)?`, product: "ruby", primary: true},
	{pattern: `libruby(?P<c>\d\.\d)`, product: "ruby", manager: "dpkg"},

	// OpenSSL: the tool and its libraries (libssl3 is OpenSSL 3), not
	// openssl-pkcs11 or xmlsec1-openssl.
	{pattern: `openssl`, product: "openssl", primary: true},
	{pattern: `openssl-(libs|devel|perl|static)`, product: "openssl", manager: "rpm"},
	{pattern: `openssl(?P<c>1[01])(-(libs|devel|static))?`, product: "openssl", manager: "rpm", dot: 1, primary: true},
	{pattern: `compat-openssl(?P<c>1[01])`, product: "openssl", manager: "rpm", dot: 1},
	{pattern: `libssl(?P<c>\d(\.\d(\.\d)?)?)(t64)?`, product: "openssl", manager: "dpkg", primary: true},
	{pattern: `libssl-dev`, product: "openssl", manager: "dpkg"},

	// Linux kernel packages (the running kernel comes from uname -r when known).
	// Oracle's kernel-uek and Amazon Linux 2023's newer lines (kernel6.12) too.
	{pattern: `kernel(-uek)?(-(core|modules|modules-core|modules-extra|devel|tools|tools-libs|headers))?`, product: "linux", manager: "rpm", primary: true},
	{pattern: `kernel(?P<c>\d\.\d+)(-(core|modules|modules-core|modules-extra|devel|tools|tools-libs|headers))?`, product: "linux", manager: "rpm", primary: true},
	// Versioned kernel packages only: the linux-image-generic / linux-image-aws
	// metapackages ("5.15.0.91.88") and linux-libc-dev (userland headers) are not a kernel.
	{pattern: `linux-(image|image-unsigned|modules|modules-extra|headers)-(?P<c>\d+\.\d+)\.\d+-[0-9a-z.-]+`, product: "linux", manager: "dpkg", primary: true},

	// Containers: distro docker/docker.io, Docker's docker-ce, containerd.
	{pattern: `docker|docker\.io|docker-ce|moby-engine`, product: "docker-engine", primary: true},
	{pattern: `docker-ce-cli`, product: "docker-engine"},
	{pattern: `containerd|containerd\.io`, product: "containerd", primary: true},

	// Other server software in the endoflife.date data that fleets often carry.
	{pattern: `haproxy`, product: "haproxy", primary: true},
	{pattern: `memcached`, product: "memcached", primary: true},
	{pattern: `squid`, product: "squid", primary: true},
	{pattern: `varnish`, product: "vinyl-cache", primary: true},
	{pattern: `mongodb-org-server|mongodb-org`, product: "mongodb", primary: true},
	{pattern: `elasticsearch`, product: "elasticsearch", primary: true},
	{pattern: `rabbitmq-server`, product: "rabbitmq", primary: true},
	{pattern: `erlang(-base|-erts)?`, product: "erlang", primary: true},
	{pattern: `golang(-bin)?`, product: "go", manager: "rpm", primary: true},
	{pattern: `golang-(?P<c>1\.\d+)(-go)?`, product: "go", manager: "dpkg", primary: true},
	{pattern: `golang-go`, product: "go", manager: "dpkg", primary: true}, // the default-version metapackage, "2:1.18~0ubuntu2"
	{pattern: `grafana`, product: "grafana", primary: true},
	{pattern: `podman`, product: "podman", primary: true},
	{pattern: `postfix`, product: "postfix", primary: true},
	{pattern: `dovecot|dovecot-core`, product: "dovecot", primary: true},
	{pattern: `exim|exim4-daemon-(light|heavy)`, product: "exim", primary: true},
	{pattern: `exim4-base`, product: "exim", manager: "dpkg"},
	{pattern: `openvpn`, product: "openvpn", primary: true},
	// Kubernetes node packages from pkgs.k8s.io (kubectl is only a client).
	{pattern: `kubelet|kubeadm`, product: "kubernetes", primary: true},
	{pattern: `kubectl`, product: "kubernetes"},
}

// phpExt lists the extensions built from PHP's own source, so php-pear,
// php-pecl-* and php-composer-* (other projects, other versions) stay out.
const phpExt = `(common|fpm|cli|json|mysqlnd|mysql|pdo|gd|mbstring|xml|opcache|intl|pgsql|soap|bcmath|process|devel|ldap|odbc|snmp|sodium|zip|dba|enchant|ffi|gmp|embedded|dbg|pspell|tidy|xmlrpc|readline|curl|sqlite3|bz2|imap|recode|interbase|phpdbg|cgi|sybase|tidy)`

// compiledRule is a rule with its pattern compiled once.
type compiledRule struct {
	rule
	re *regexp.Regexp
	vr *regexp.Regexp // the rule's ver, nil when none
	ci int            // index of the "c" group, -1 when none
}

// mapper matches package names against the table. It is built once per Data
// and read-only afterwards.
type mapper struct {
	rules []compiledRule
}

func newMapper() *mapper {
	m := &mapper{rules: make([]compiledRule, len(rules))}
	for i, r := range rules {
		re := regexp.MustCompile(`^(?:` + r.pattern + `)$`)
		m.rules[i] = compiledRule{rule: r, re: re, ci: re.SubexpIndex("c")}
		if r.ver != "" {
			m.rules[i].vr = regexp.MustCompile(`^(?:` + r.ver + `)$`)
		}
	}
	return m
}

// match is the result of mapping one package.
type match struct {
	Product  string
	Upstream string // upstream version ("1.20.0", "8.0.432" for Java 8)
	Line     string // the release line named in the package name, "" when none
	Primary  bool
	Rule     int // index of the rule in the table
}

// Map maps one package (manager "rpm" or "dpkg", name, version as the package
// manager prints it) to a product. It reports false for a package no rule
// claims.
func (m *mapper) Map(manager, name, evr string) (match, bool) {
	scheme := version.RPM
	if manager == "dpkg" {
		scheme = version.Deb
	}
	for i := range m.rules {
		r := &m.rules[i]
		if r.manager != "" && r.manager != manager {
			continue
		}
		sub := r.re.FindStringSubmatch(name)
		if sub == nil {
			continue
		}
		up := upstreamOf(scheme, evr, r.java)
		if r.vr != nil && !r.vr.MatchString(up) {
			continue
		}
		line := ""
		if r.ci >= 0 {
			line = nameLine(sub[r.ci], r.dot, r.java)
			if line != "" && !sameLine(up, line) {
				continue
			}
		}
		return match{Product: r.product, Upstream: up, Line: line, Primary: r.primary, Rule: i}, true
	}
	return match{}, false
}

// nameLine turns what the "c" group captured into a release line.
func nameLine(c string, dot int, java bool) string {
	if java && c == "1.8.0" {
		return "8"
	}
	if dot > 0 && !strings.Contains(c, ".") && len(c) > dot {
		return c[:dot] + "." + c[dot:]
	}
	return c
}

// sameLine reports whether an upstream version belongs to a release line:
// its leading numbers start with the line's numbers.
func sameLine(upstream, line string) bool {
	u, l := numericParts(upstream), numericParts(line)
	if len(u) < len(l) || len(l) == 0 {
		return false
	}
	for i := range l {
		if strings.TrimLeft(u[i], "0") != strings.TrimLeft(l[i], "0") {
			return false
		}
	}
	return true
}

// upstreamOf takes the upstream version out of a package version: epoch,
// release or revision and repack markers go ("12.22.9~dfsg" -> "12.22.9",
// "1:3.0~exp1" -> "3.0"). Java versions are rewritten to feature.interim.update.
func upstreamOf(s version.Scheme, evr string, java bool) string {
	u := version.UpstreamOf(s, evr)
	if i := strings.IndexByte(u, '~'); i > 0 {
		u = u[:i]
	}
	if i := strings.IndexByte(u, '+'); i > 0 && !java {
		u = u[:i] // rpm too: nginx.org's nginx-module-njs "1.26.2+0.8.5" is nginx 1.26.2
	}
	if java {
		return javaUpstream(u)
	}
	return u
}

var (
	javaLegacyRE = regexp.MustCompile(`^1\.(\d+)\.0[._](\d+)`)  // 1.8.0.432.b06, 1.8.0_382.b05
	javaUpdateRE = regexp.MustCompile(`^(\d+)u(\d+)`)           // 8u432-ga
	javaModernRE = regexp.MustCompile(`^(\d+)(\.\d+)?(\.\d+)?`) // 17.0.13+11, 11.0.25.0.9, "21"
)

// javaUpstream normalizes the ways Java versions are written to
// "feature.interim.update": 1.8.0.432.b06 and 8u432-ga are both 8.0.432.
func javaUpstream(u string) string {
	if m := javaLegacyRE.FindStringSubmatch(u); m != nil {
		return m[1] + ".0." + m[2]
	}
	if m := javaUpdateRE.FindStringSubmatch(u); m != nil {
		return m[1] + ".0." + m[2]
	}
	if m := javaModernRE.FindString(u); m != "" {
		return m
	}
	return u
}

// numericParts returns the leading dot-separated numbers of a version:
// "1.0.2k" -> [1 0 2], "v18.19.0" -> [18 19 0], "2.0.0.648" -> [2 0 0 648].
func numericParts(v string) []string {
	v = strings.TrimSpace(v)
	if len(v) > 1 && (v[0] == 'v' || v[0] == 'V') {
		v = v[1:]
	}
	var out []string
	for v != "" {
		i := 0
		for i < len(v) && v[i] >= '0' && v[i] <= '9' {
			i++
		}
		if i == 0 {
			break
		}
		out = append(out, v[:i])
		if i < len(v) && v[i] == '.' {
			v = v[i+1:]
			continue
		}
		break
	}
	return out
}

func joinParts(p []string) string { return strings.Join(p, ".") }
