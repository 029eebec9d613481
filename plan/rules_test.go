package plan

import (
	"strings"
	"testing"

	"upkeep/advisories"
)

// mk makes a bare step for rule tests.
func mk(c *Cohort, kind, action, product, from, to string, pkgs ...string) *Step {
	return &Step{c: c, Cohort: c.Name, wave: c.waveIdx, Wave: c.Wave, Kind: kind, Action: action, Product: product,
		FromCycle: from, To: to, Packages: pkgs, facts: &facts{}, prevWave: -1}
}

func TestRules(t *testing.T) {
	web := &Cohort{Name: "web/dev", Wave: "dev"}
	db := &Cohort{Name: "db/dev", Wave: "dev"}
	webProd := &Cohort{Name: "web/prod", Wave: "prod", waveIdx: 2}
	dbProd := &Cohort{Name: "db/prod", Wave: "prod", waveIdx: 2}
	webStaging := &Cohort{Name: "web/staging", Wave: "staging", waveIdx: 1}

	osMove := mk(web, KindOS, ActionMove, "amazon-linux", "2", "2023")
	nginx := mk(web, KindPackage, ActionUpgrade, "nginx", "1.10", "1.24")
	ossl := mk(web, KindPackage, ActionUpgrade, "openssl", "1.0.2", "3.0")
	osslSame := mk(web, KindPackage, ActionUpgrade, "openssl", "3.0", "3.0")
	redis := mk(web, KindPackage, ActionUpgrade, "redis", "6.2", "7.2")
	keep := mk(web, KindPackage, ActionKeep, "nginx", "1.24", "1.24")
	java := mk(web, KindPackage, ActionUpgrade, "amazon-corretto", "8", "17")
	tomcat := mk(web, KindPackage, ActionUpgrade, "tomcat", "8.5", "9.0")
	phpWeb := mk(web, KindPackage, ActionUpgrade, "php", "7.4", "8.2")
	phpDriver := mk(web, KindPackage, ActionUpgrade, "php", "7.4", "8.2", "php-cli", "php-mysqlnd")
	phpPgsql := mk(web, KindPackage, ActionUpgrade, "php", "7.4", "8.2", "php-cli", "php-pgsql")
	// A worker cohort with the MariaDB client (no server) installed: its
	// runtimes may talk to a MySQL server through it.
	worker := &Cohort{Name: "worker/dev", Wave: "dev", findings: map[string][]*advisories.Finding{
		"mariadb 10.5": {{Product: "mariadb", Packages: []string{"mariadb", "mariadb-libs"}}},
	}}
	pyWorker := mk(worker, KindPackage, ActionUpgrade, "python", "2.7", "3.9", "python", "python-libs")
	// A cache cohort whose Python has no driver and no client beside it.
	cache := &Cohort{Name: "cache/dev", Wave: "dev", findings: map[string][]*advisories.Finding{
		"redis 6.2": {{Product: "redis", Packages: []string{"redis6"}, Running: true}},
	}}
	pyCache := mk(cache, KindPackage, ActionUpgrade, "python", "2.7", "3.9", "python", "python-libs")
	// A cohort with a MariaDB server installed but stopped: its role (from
	// the registry) says server, so its Python is not a client.
	stopped := &Cohort{Name: "stopped/dev", Wave: "dev", findings: map[string][]*advisories.Finding{
		"mariadb 10.5": {{Product: "mariadb", Packages: []string{"mariadb-server", "mariadb"}, Role: "server"}},
	}}
	pyStopped := mk(stopped, KindPackage, ActionUpgrade, "python", "2.7", "3.9", "python", "python-libs")
	mariadbClient := mk(web, KindPackage, ActionUpgrade, "mariadb", "10.5", "10.11", "mariadb-client")
	erlang := mk(web, KindPackage, ActionUpgrade, "erlang", "24", "27")
	rabbit := mk(web, KindPackage, ActionUpgrade, "rabbitmq", "3.9", "4.1")
	mysqlServer := mk(db, KindPackage, ActionUpgrade, "mysql", "5.7", "8.4", "mysql-community-server")
	mysqlMinor := mk(db, KindPackage, ActionUpgrade, "mysql", "8.0", "8.4", "mysql-community-server")
	mysqlClient := mk(web, KindPackage, ActionUpgrade, "mysql", "5.7", "8.4", "mysql-community-client")
	phpProd := mk(webProd, KindPackage, ActionUpgrade, "php", "7.4", "8.2", "php-mysqlnd")
	mysqlProd := mk(dbProd, KindPackage, ActionUpgrade, "mysql", "5.7", "8.4", "mysql-community-server")
	phpStaging := mk(webStaging, KindPackage, ActionUpgrade, "php", "7.4", "8.2")
	phpProdAfterStaging := mk(webProd, KindPackage, ActionUpgrade, "php", "7.4", "8.2")
	phpProdAfterStaging.prevWave = 1
	phpProdOther := mk(webProd, KindPackage, ActionUpgrade, "php", "7.4", "8.3")
	phpProdOther.prevWave = 1
	mysqlHop1 := mk(db, KindPackage, ActionUpgrade, "mysql", "5.7", "8.0", "mysql-community-server")
	mysqlHop2 := mk(db, KindPackage, ActionUpgrade, "mysql", "8.0", "8.4", "mysql-community-server")
	// The judge gives a finding its packages' best registry role: these
	// steps' packages hold the server.
	for _, s := range []*Step{mysqlServer, mysqlMinor, mysqlProd, mysqlHop1, mysqlHop2} {
		s.facts.server = true
	}
	// A server package not running and not marked server (a client-only
	// finding) is not the server, whatever its name.
	mysqlNamedOnly := mk(db, KindPackage, ActionUpgrade, "mysql", "5.7", "8.4", "mysql-community-server")

	rules := map[string]*Rule{}
	for _, r := range DefaultRules() {
		rules[r.Name] = &r
		if r.Reason == "" {
			t.Errorf("rule %s has no reason", r.Name)
		}
	}
	for _, tc := range []struct {
		rule string
		a, b *Step
		want bool
		why  string
	}{
		{"os-first", osMove, nginx, true, "a package on a moving cohort waits for the move"},
		{"os-first", nginx, osMove, false, "never the other way"},
		{"os-first", osMove, mysqlServer, false, "only within the cohort"},
		{"os-first", osMove, keep, false, "a keep step needs nothing"},
		{"library-before-linker", ossl, nginx, true, "openssl before what links it"},
		{"library-before-linker", ossl, phpWeb, true, "php links libssl"},
		{"library-before-linker", osslSame, nginx, false, "no cycle change, nothing to rebuild against"},
		{"library-before-linker", ossl, java, false, "the JDK carries its own TLS"},
		{"library-before-linker", ossl, mysqlServer, false, "another cohort"},
		{"runtime-before-app", java, tomcat, true, "java before tomcat"},
		{"runtime-before-app", erlang, rabbit, true, "erlang before what runs on it"},
		{"runtime-before-app", tomcat, java, false, "not the other way"},
		{"runtime-before-app", phpWeb, redis, false, "redis does not run on php"},
		{"db-clients-first", phpDriver, mysqlServer, true, "php with mysqlnd is a client of the server"},
		{"db-clients-first", phpWeb, mysqlServer, false, "php with no MySQL driver is not known to talk to it"},
		{"db-clients-first", phpPgsql, mysqlServer, false, "a PostgreSQL driver does not make a MySQL client"},
		{"db-clients-first", mysqlClient, mysqlServer, true, "the client library before the server"},
		{"db-clients-first", mariadbClient, mysqlServer, true, "a MariaDB client talks to a MySQL server"},
		{"db-clients-first", pyWorker, mysqlServer, true, "a runtime on hosts with the client installed"},
		{"db-clients-first", pyCache, mysqlServer, false, "a runtime with no driver and no client beside it"},
		{"db-clients-first", pyStopped, mysqlServer, false, "a stopped server beside it is a server, not a client"},
		{"db-clients-first", phpDriver, mysqlMinor, false, "a minor server upgrade keeps its protocol"},
		{"db-clients-first", mysqlServer, mysqlClient, false, "the client is not a server"},
		{"db-clients-first", phpDriver, mysqlProd, false, "only within the same wave"},
		{"db-clients-first", phpProd, mysqlProd, true, "prod clients before the prod server"},
		{"db-clients-first", phpDriver, mysqlNamedOnly, false, "the server is known by the registry role of its packages, not by a name"},
		{"upgrade-path", mysqlHop1, mysqlHop2, true, "5.7 → 8.0 before 8.0 → 8.4"},
		{"upgrade-path", mysqlHop2, mysqlHop1, false, "never the other way"},
		{"upgrade-path", mysqlHop1, mysqlProd, false, "another cohort"},
		{"earlier-wave-first", phpStaging, phpProdAfterStaging, true, "the same change ran in the previous wave"},
		{"earlier-wave-first", phpWeb, phpProdAfterStaging, false, "only the nearest earlier wave with the change"},
		{"earlier-wave-first", phpStaging, phpProdOther, false, "a different target is a different change"},
	} {
		r := rules[tc.rule]
		if r == nil {
			t.Fatalf("no rule %s", tc.rule)
		}
		if got := r.Before(tc.a, tc.b); got != tc.want {
			t.Errorf("%s: %s %s→%s on %s before %s %s→%s on %s = %v, want %v (%s)", tc.rule,
				tc.a.Product, tc.a.FromCycle, tc.a.To, tc.a.Cohort, tc.b.Product, tc.b.FromCycle, tc.b.To, tc.b.Cohort, got, tc.want, tc.why)
		}
	}
	// Every rule in the table has a case above.
	tested := map[string]bool{"os-first": true, "library-before-linker": true, "runtime-before-app": true, "db-clients-first": true, "earlier-wave-first": true, "upgrade-path": true}
	for name := range rules {
		if !tested[name] {
			t.Errorf("rule %s has no test case", name)
		}
	}
}

// TestRuleCycleIsReported feeds a rule that contradicts os-first: the plan
// must fail with an error naming the steps and rules in the loop.
func TestRuleCycleIsReported(t *testing.T) {
	in := handFleet()
	in.Options.Rules = append(DefaultRules(), Rule{
		Name:   "php-before-os",
		Reason: "a contradiction, for the test",
		Before: func(a, b *Step) bool {
			return a.c == b.c && a.Product == "php" && b.Kind == KindOS
		},
	})
	_, err := Build(in)
	ce, ok := err.(*CycleError)
	if !ok {
		t.Fatalf("Build with contradicting rules: error %v, want a *CycleError", err)
	}
	if len(ce.Steps) < 3 || ce.Steps[0] != ce.Steps[len(ce.Steps)-1] {
		t.Errorf("cycle steps %q: want a closed loop", ce.Steps)
	}
	msg := err.Error()
	for _, want := range []string{"dependency cycle", "php-before-os", "os-first", "amazon-linux 2→2023"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not name %q", msg, want)
		}
	}
}

// TestServerByRole: a step runs the database server when a finding's
// packages hold its server by the registry's role, whatever the package is
// called (Debian's postgresql-14 has no "-server" in its name), and not
// when they hold only its client and libraries.
func TestServerByRole(t *testing.T) {
	for _, tc := range []struct {
		f    advisories.Finding
		want bool
	}{
		{advisories.Finding{Product: "postgresql", Packages: []string{"postgresql-14", "postgresql-client-14"}, Role: "server"}, true},
		{advisories.Finding{Product: "postgresql", Packages: []string{"postgresql-client-14", "libpq5"}, Role: "client"}, false},
		{advisories.Finding{Product: "mariadb", Packages: []string{"mariadb-libs"}, Role: "library", Running: true}, true},
	} {
		s := &Step{facts: mergeFacts([]*advisories.Finding{&tc.f})}
		if got := isServer(s); got != tc.want {
			t.Errorf("%v (role %s, running %v): server %v, want %v", tc.f.Packages, tc.f.Role, tc.f.Running, got, tc.want)
		}
	}
}
