package plan

import (
	"slices"
	"strings"

	"upkeep/registry"
)

// Rule says that one step must come before another, and why. The planner
// checks every rule on every ordered pair of steps; each match is an edge.
type Rule struct {
	Name   string
	Reason string // shown with the dependency in the plan and in --explain
	// Before reports whether step a must be done before step b.
	Before func(a, b *Step) bool
}

// DefaultRules is the planner's rule table over the embedded registry, in
// the order --explain lists matches. Each rule has a test in rules_test.go.
func DefaultRules() []Rule { return RulesFrom(registry.Default()) }

// RulesFrom is the rule table over a registry: which products link
// OpenSSL (links), which runtimes an application runs on (runtime,
// runs_on) and which products are databases, of which family, with which
// driver marks (database) are the products' own registry rows, so a
// product added to the registry gets the rules without code.
func RulesFrom(reg *registry.Registry) []Rule {
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
			Reason: "a library changes cycle first (OpenSSL): what links it is then built, installed and tested " +
				"against the new library once",
			Before: func(a, b *Step) bool {
				return a.c == b.c && a.Action == ActionUpgrade && a.FromCycle != a.To &&
					b.Action != ActionKeep && reg.Links(b.Product, a.Product)
			},
		},
		{
			Name:   "runtime-before-app",
			Reason: "the runtime is upgraded first: the application is then checked on the runtime it will run on",
			Before: func(a, b *Step) bool {
				return a.c == b.c && a.Action == ActionUpgrade && b.Action != ActionKeep &&
					reg.RunsOn(b.Product, a.Product)
			},
		},
		{
			Name: "db-clients-first",
			Reason: "a database server's major upgrade waits for the upgrades of its known clients in the same wave " +
				"(the product's client libraries, a runtime with a driver for it, a runtime on hosts with its client installed): " +
				"newer drivers speak both the old and the new server's protocol and authentication",
			Before: func(a, b *Step) bool {
				return a != b && a.wave == b.wave && a.Action == ActionUpgrade && b.Action == ActionUpgrade &&
					isDBServerMajor(reg, b) && isDBClientOf(reg, a, b)
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
// its server package is installed (the registry's role of the package, as
// the judge found it).
func isDBServerMajor(reg *registry.Registry, s *Step) bool {
	if _, ok := reg.Database(s.Product); !ok || major(s.FromCycle) == major(s.To) {
		return false
	}
	return isServer(s)
}

func isServer(s *Step) bool {
	return s.facts != nil && (s.facts.running || s.facts.server)
}

// isDBClientOf reports whether a is a client-side upgrade for the server in
// b, from what the scan shows; the planner does not know which application
// talks to which database, so it takes only what the packages say:
//   - the same product's (or its fork's) client libraries, on hosts that do
//     not run the server;
//   - a runtime whose own packages hold a driver for the product
//     (php-mysqlnd, php-pgsql, python3-PyMySQL, ...: the database's
//     drivers marks in the registry);
//   - a runtime on a cohort that has the product's client installed without
//     its server (a mysql or mariadb client package).
//
// A runtime with no such sign (Python 2.7 on a cache host) does not hold
// the server back.
func isDBClientOf(reg *registry.Registry, a, b *Step) bool {
	fam := reg.DatabaseFamily(b.Product)
	if slices.Contains(fam, a.Product) {
		return !isServer(a)
	}
	if reg.Runtime(a.Product) == "" {
		return false
	}
	if d, _ := reg.Database(b.Product); hasDriver(a.Packages, d.Drivers) {
		return true
	}
	return a.c != nil && a.c.hasClientOf(fam)
}

// hasDriver reports whether a package name holds one of a database's
// driver marks.
func hasDriver(pkgs, marks []string) bool {
	for _, p := range pkgs {
		p = strings.ToLower(p)
		for _, m := range marks {
			if strings.Contains(p, m) {
				return true
			}
		}
	}
	return false
}

// hasClientOf reports whether the cohort has a product of the family
// installed as a client only: none of its findings is the product's server
// (by the registry role of its packages) and it does not run.
func (c *Cohort) hasClientOf(family []string) bool {
	for _, fs := range c.findings {
		if !slices.Contains(family, fs[0].Product) {
			continue
		}
		server := false
		for _, f := range fs {
			server = server || f.Running || f.Role == registry.RoleServer
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
