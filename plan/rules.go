package plan

import (
	"slices"
	"strings"
)

// Rule says that one step must come before another, and why. The planner
// checks every rule on every ordered pair of steps; each match is an edge.
type Rule struct {
	Name   string
	Reason string // shown with the dependency in the plan and in --explain
	// Before reports whether step a must be done before step b.
	Before func(a, b *Step) bool
}

// DefaultRules is the planner's rule table, in the order --explain lists
// matches. Each rule has a test in rules_test.go.
func DefaultRules() []Rule {
	// linksOpenSSL lists products that link libssl, so they are rebuilt or
	// reinstalled against a new OpenSSL cycle.
	linksOpenSSL := []string{"nginx", "apache-http-server", "php", "ruby", "python", "nodejs",
		"haproxy", "postgresql", "mysql", "mariadb", "redis", "squid", "postfix", "dovecot", "openvpn", "erlang"}
	java := []string{"amazon-corretto", "eclipse-temurin", "oracle-jdk", "redhat-build-of-openjdk",
		"openjdk-builds-from-oracle", "azul-zulu", "microsoft-build-of-openjdk"}
	// runsOn maps an application to the runtimes it runs on.
	runsOn := map[string][]string{
		"wordpress": {"php"}, "laravel": {"php"}, "phpmyadmin": {"php"}, "composer": {"php"},
		"django": {"python"}, "ansible": {"python"}, "ansible-core": {"python"}, "salt": {"python"},
		"rails": {"ruby"}, "puppet": {"ruby"},
		"rabbitmq": {"erlang"}, "apache-couchdb": {"erlang"},
	}
	for _, app := range []string{"tomcat", "eclipse-jetty", "jenkins", "apache-kafka", "apache-activemq",
		"apache-cassandra", "zookeeper", "elasticsearch", "logstash", "opensearch", "solr", "keycloak",
		"neo4j", "redhat-jboss-eap", "gradle", "jruby"} {
		runsOn[app] = java
	}
	// dbServers are products whose major upgrades change what clients must
	// speak; dbClients are runtimes whose drivers talk to them.
	dbServers := []string{"mysql", "mariadb", "postgresql", "mongodb"}
	dbClients := append([]string{"php", "python", "ruby", "nodejs", "go", "dotnet"}, java...)

	return []Rule{
		{
			Name: "os-first",
			Reason: "the cohort's OS move comes first: the package is installed on the new release, " +
				"which is what ships its target version",
			Before: func(a, b *Step) bool {
				return a.c == b.c && a.Kind == KindOS && a.Action == ActionMove && b.Kind == KindPackage && b.Action != ActionKeep
			},
		},
		{
			Name: "upgrade-path",
			Reason: "the vendor supports in-place upgrades one series at a time: this step starts from the series " +
				"the previous one reaches",
			Before: func(a, b *Step) bool {
				return a.c == b.c && a.Product == b.Product && a.Action == ActionUpgrade && b.Action == ActionUpgrade &&
					a.To == b.FromCycle && a.FromCycle != b.FromCycle
			},
		},
		{
			Name: "library-before-linker",
			Reason: "OpenSSL changes cycle first: what links libssl is then built, installed and tested " +
				"against the new library once",
			Before: func(a, b *Step) bool {
				return a.c == b.c && a.Product == "openssl" && a.Action == ActionUpgrade && a.FromCycle != a.To &&
					b.Action != ActionKeep && slices.Contains(linksOpenSSL, b.Product)
			},
		},
		{
			Name:   "runtime-before-app",
			Reason: "the runtime is upgraded first: the application is then checked on the runtime it will run on",
			Before: func(a, b *Step) bool {
				return a.c == b.c && a.Action == ActionUpgrade && b.Action != ActionKeep &&
					slices.Contains(runsOn[b.Product], a.Product)
			},
		},
		{
			Name: "db-clients-first",
			Reason: "a database server's major upgrade waits for the upgrades of its known clients in the same wave " +
				"(the product's client libraries, a runtime with a driver for it, a runtime on hosts with its client installed): " +
				"newer drivers speak both the old and the new server's protocol and authentication",
			Before: func(a, b *Step) bool {
				return a != b && a.wave == b.wave && a.Action == ActionUpgrade && b.Action == ActionUpgrade &&
					isDBServerMajor(b, dbServers) && isDBClientOf(a, b, dbClients)
			},
		},
		{
			Name: "earlier-wave-first",
			Reason: "the same change is made in the previous wave first, so production only gets what " +
				"dev and staging have already run",
			Before: func(a, b *Step) bool {
				return a.Action != ActionKeep && b.prevWave >= 0 && a.wave == b.prevWave && a.change() == b.change()
			},
		},
	}
}

// isDBServerMajor reports whether a step moves a database server across a
// major version. A host runs the server when the product is running there or
// a server package is installed.
func isDBServerMajor(s *Step, dbServers []string) bool {
	if !slices.Contains(dbServers, s.Product) || major(s.FromCycle) == major(s.To) {
		return false
	}
	return isServer(s)
}

func isServer(s *Step) bool {
	if s.facts != nil && s.facts.running {
		return true
	}
	for _, p := range s.Packages {
		if strings.HasSuffix(p, "-server") || strings.Contains(p, "-server-") {
			return true
		}
	}
	return false
}

// isDBClientOf reports whether a is a client-side upgrade for the server in
// b, from what the scan shows; the planner does not know which application
// talks to which database, so it takes only what the packages say:
//   - the same product's (or its fork's) client libraries, on hosts that do
//     not run the server;
//   - a runtime whose own packages hold a driver for the product
//     (php-mysqlnd, php-pgsql, python3-PyMySQL, ...);
//   - a runtime on a cohort that has the product's client installed without
//     its server (a mysql or mariadb client package).
//
// A runtime with no such sign (Python 2.7 on a cache host) does not hold
// the server back.
func isDBClientOf(a, b *Step, dbClients []string) bool {
	fam := dbFamily(b.Product)
	if slices.Contains(fam, a.Product) {
		return !isServer(a)
	}
	if !slices.Contains(dbClients, a.Product) {
		return false
	}
	if hasDriver(a.Packages, b.Product) {
		return true
	}
	return a.c != nil && a.c.hasClientOf(fam)
}

// dbFamily is a database product with its protocol-compatible fork: a
// MariaDB client talks to a MySQL server and the other way round.
func dbFamily(product string) []string {
	switch product {
	case "mysql", "mariadb":
		return []string{"mysql", "mariadb"}
	}
	return []string{product}
}

// driverMarks are parts of package names that carry a runtime's driver for
// a database product.
var driverMarks = map[string][]string{
	"mysql":      {"mysqlnd", "mysql", "mysqlclient", "pymysql", "mysql2"},
	"mariadb":    {"mysqlnd", "mysql", "mariadb", "pymysql", "mysql2"},
	"postgresql": {"pgsql", "psycopg", "libpq", "pg8000"},
	"mongodb":    {"mongodb", "pymongo"},
}

func hasDriver(pkgs []string, product string) bool {
	for _, p := range pkgs {
		p = strings.ToLower(p)
		for _, m := range driverMarks[product] {
			if strings.Contains(p, m) {
				return true
			}
		}
	}
	return false
}

// hasClientOf reports whether the cohort has a product of the family
// installed as a client only: its packages name no server and it does not
// run.
func (c *Cohort) hasClientOf(family []string) bool {
	for _, fs := range c.findings {
		f := fs[0]
		if !slices.Contains(family, f.Product) {
			continue
		}
		server := false
		for _, f := range fs {
			server = server || f.Running
			for _, p := range f.Packages {
				server = server || strings.HasSuffix(p, "-server") || strings.Contains(p, "-server-")
			}
		}
		if !server {
			return true
		}
	}
	return false
}

// change identifies what a step does, whatever the cohort.
func (s *Step) change() string {
	return s.Kind + "\x00" + s.Product + "\x00" + s.FromCycle + "\x00" + s.ToProduct + "\x00" + s.To
}
