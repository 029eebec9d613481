package plan

import (
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"upkeep/registry"
)

// testRegistry loads the repository's registry files with some files
// replaced or added: what the planner knows of a product must come from
// these files alone.
func testRegistry(t *testing.T, files map[string]string) *registry.Registry {
	t.Helper()
	fsys := fstest.MapFS{}
	err := fs.WalkDir(os.DirFS("../registry"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		b, err := os.ReadFile("../registry/" + p)
		fsys[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for p, s := range files {
		fsys[p] = &fstest.MapFile{Data: []byte(s)}
	}
	reg, err := registry.Parse(fsys)
	if err != nil {
		t.Fatalf("test registry: %v", err)
	}
	return reg
}

// withoutSection returns a product file with one top-level section (and
// its rows) removed.
func withoutSection(t *testing.T, product, section string) string {
	t.Helper()
	b, err := os.ReadFile("../registry/products/" + product + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	skip := false
	for _, l := range strings.SplitAfter(string(b), "\n") {
		if l != "" && l[0] != ' ' && l[0] != '#' {
			skip = strings.HasPrefix(l, section+":")
		}
		if !skip {
			out = append(out, l)
		}
	}
	s := strings.Join(out, "")
	if s == string(b) {
		t.Fatalf("%s has no %s section", product, section)
	}
	return s
}

// acme is a product known only to a test registry: a database server that
// links OpenSSL, runs on Java, has PHP drivers named php-acmedb and a
// vendor path that may not skip 2.0.
const acme = `product: acme
label: Acme DB
sources:
  - {id: acme-docs, url: https://acme.example/docs, retrieved: 2026-12-01, about: the vendor's manual}
packages:
  - {pattern: 'acme-server', role: server}
links:
  - {product: openssl, source: acme-docs}
runs_on:
  - {runtime: java, source: acme-docs}
database:
  family: acme
  drivers: [acmedb]
  source: acme-docs
upgrade_path:
  action: acme-upgrade --data
  rollback: restore the dump
  restart: acme restart
  source: acme-docs
  hops:
    - {from: "1.0", to: "2.0", source: acme-docs}
    - {from: "2.0", to: "3.0", source: acme-docs}
`

// TestRulesReadTheRegistry: a product added only to a registry gets the
// rules from its rows, and removing a row removes the edge.
func TestRulesReadTheRegistry(t *testing.T) {
	c := &Cohort{Name: "db/dev", Wave: "dev"}
	ossl := mk(c, KindPackage, ActionUpgrade, "openssl", "1.0.2", "3.0")
	java := mk(c, KindPackage, ActionUpgrade, "amazon-corretto", "8", "17")
	php := mk(c, KindPackage, ActionUpgrade, "php", "7.4", "8.2", "php-cli", "php-acmedb")
	server := mk(c, KindPackage, ActionUpgrade, "acme", "1.0", "3.0", "acme-server")
	server.facts.server = true
	nginx := mk(c, KindPackage, ActionUpgrade, "nginx", "1.10", "1.24")

	withAcme := testRegistry(t, map[string]string{"products/acme.yaml": acme})
	noLinks := testRegistry(t, map[string]string{"products/nginx.yaml": withoutSection(t, "nginx", "links")})
	for _, tc := range []struct {
		name string
		reg  *registry.Registry
		rule string
		a, b *Step
		want bool
	}{
		{"acme links openssl", withAcme, "library-before-linker", ossl, server, true},
		{"acme is unknown to the embedded registry", registry.Default(), "library-before-linker", ossl, server, false},
		{"acme runs on java", withAcme, "runtime-before-app", java, server, true},
		{"acme's php driver", withAcme, "db-clients-first", php, server, true},
		{"no acme, no driver", registry.Default(), "db-clients-first", php, server, false},
		{"nginx links openssl", registry.Default(), "library-before-linker", ossl, nginx, true},
		{"nginx without its links row", noLinks, "library-before-linker", ossl, nginx, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i := slices.IndexFunc(RulesFrom(tc.reg), func(r Rule) bool { return r.Name == tc.rule })
			if got := RulesFrom(tc.reg)[i].Before(tc.a, tc.b); got != tc.want {
				t.Errorf("%s: %s before %s = %v, want %v", tc.rule, tc.a.Product, tc.b.Product, got, tc.want)
			}
		})
	}
}

// TestUpgradePathFromRegistry: a product's upgrade_path rows split a step
// that skips a series and fill its notes, with each hop's source.
func TestUpgradePathFromRegistry(t *testing.T) {
	reg := testRegistry(t, map[string]string{"products/acme.yaml": acme})
	s := mk(&Cohort{Name: "db/dev", Wave: "dev"}, KindPackage, ActionUpgrade, "acme", "1.0", "3.0", "acme-server")
	s.ProductLabel = "Acme DB"
	steps := chainSteps(reg, s, nil)
	var got []string
	for _, h := range steps {
		dbStepNotes(reg, h, false)
		got = append(got, h.FromCycle+"→"+h.To+" "+h.Migration+" / "+h.Rollback+" / "+h.Restart)
	}
	want := []string{
		"1.0→2.0 acme-upgrade --data (https://acme.example/docs) / restore the dump / acme restart",
		"2.0→3.0 acme-upgrade --data (https://acme.example/docs) / restore the dump / acme restart",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("steps\n%q\nwant\n%q", got, want)
	}
	if h := steps[0].Hint; !strings.Contains(h, "upgrade Acme DB 1.0 to 2.0 in place (a required step: https://acme.example/docs)") {
		t.Errorf("hint %q", h)
	}
	// Without the hops, the vendor allows the jump in one step.
	one := registry.Default()
	if n := len(chainSteps(one, mk(&Cohort{}, KindPackage, ActionUpgrade, "acme", "1.0", "3.0"), nil)); n != 1 {
		t.Errorf("a product with no upgrade_path: %d steps, want 1", n)
	}
}

// TestPlanEdgeFollowsLinks: on the hand fleet, nginx's upgrade waits for
// OpenSSL's on the same cohort; with nginx's links row removed from the
// registry, that edge is gone.
func TestPlanEdgeFollowsLinks(t *testing.T) {
	edge := func(reg *registry.Registry) bool {
		in := handFleet()
		in.Options.Registry = reg
		p, err := Build(in)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range p.Steps {
			if s.Product != "nginx" || s.Action != ActionUpgrade {
				continue
			}
			for _, d := range s.DependsOn {
				if o := p.Steps[d-1]; o.Product == "openssl" && o.Cohort == s.Cohort {
					return true
				}
			}
		}
		return false
	}
	if !edge(nil) {
		t.Fatal("with the embedded registry, no nginx step waits for OpenSSL")
	}
	if edge(testRegistry(t, map[string]string{"products/nginx.yaml": withoutSection(t, "nginx", "links")})) {
		t.Error("nginx's links row removed, but an nginx step still waits for OpenSSL")
	}
}
