package registry

import (
	"slices"
	"testing"
	"testing/fstest"
)

// TestStrictPlanRows: a links, runs_on, database or upgrade_path row that
// names no source of its file, repeats a row, has an unknown key or names
// nothing the registry knows fails the load, naming file, section and row.
func TestStrictPlanRows(t *testing.T) {
	const src = testSources
	product := func(rows string) string {
		return "product: demo\nlabel: Demo\n" + src + "packages:\n  - {pattern: demo, role: server}\n" + rows
	}
	const lib = "product: lib\nlabel: Lib\npackages:\n  - {pattern: libdemo, role: library}\nruntime: vm\n"
	const osFile = "families:\n  - {id: amzn, product: amazon-linux, parts: 1, manager: rpm}\n" + src
	const path = "upgrade_path:\n  action: a\n  rollback: r\n  restart: s\n  source: s\n  hops:\n"
	for _, tc := range []struct {
		name, product string
		err           string // "" loads
	}{
		{name: "valid", product: product("links:\n  - {product: lib, source: s}\nruns_on:\n  - {runtime: vm, source: s}\n  - {runtime: lib, source: s}\n" +
			"database: {family: demo, drivers: [demodb], source: s}\n" + path +
			"    - {from: \"1.0\", to: \"2.0\", source: s}\n    - {from: \"2.0\", to: \"3.0\", source: s}\n")},
		{name: "link without source", product: product("links:\n  - {product: lib}\n"),
			err: "products/demo.yaml: links row 1 (lib): source is required"},
		{name: "link source not in the file", product: product("links:\n  - {product: lib, source: other}\n"),
			err: `products/demo.yaml: links row 1 (lib): source "other" is not in the file's sources`},
		{name: "link repeated", product: product("links:\n  - {product: lib, source: s}\n  - {product: lib, source: s}\n"),
			err: "products/demo.yaml: links row 2 (lib): repeats row 1"},
		{name: "link to no product", product: product("links:\n  - {product: nothing, source: s}\n"),
			err: `products/demo.yaml: links row 1: product "nothing" has no file in products/`},
		{name: "link unknown key", product: product("links:\n  - {product: lib, source: s, version: \"3\"}\n"),
			err: "products/demo.yaml: yaml: unmarshal errors"},
		{name: "runs_on nothing", product: product("runs_on:\n  - {runtime: jvm, source: s}\n"),
			err: `products/demo.yaml: runs_on row 1: "jvm" is neither a runtime group`},
		{name: "runs_on repeated", product: product("runs_on:\n  - {runtime: vm, source: s}\n  - {runtime: vm, source: s}\n"),
			err: "products/demo.yaml: runs_on row 2 (vm): repeats row 1"},
		{name: "database without family", product: product("database: {drivers: [demodb], source: s}\n"),
			err: "products/demo.yaml: database: family is required"},
		{name: "database without source", product: product("database: {family: demo, drivers: [demodb]}\n"),
			err: "products/demo.yaml: database: source is required"},
		{name: "driver repeated", product: product("database: {family: demo, drivers: [demodb, demodb], source: s}\n"),
			err: "products/demo.yaml: database: drivers row 2 (demodb) repeats row 1"},
		{name: "path without restart", product: product("upgrade_path:\n  action: a\n  rollback: r\n  source: s\n"),
			err: "products/demo.yaml: upgrade_path: action, rollback and restart are required"},
		{name: "hop without source", product: product(path + "    - {from: \"1.0\", to: \"2.0\"}\n"),
			err: "products/demo.yaml: upgrade_path hops row 1 (1.0 → 2.0): source is required"},
		{name: "hop backwards", product: product(path + "    - {from: \"2.0\", to: \"1.0\", source: s}\n"),
			err: "upgrade_path hops row 1 (2.0 → 1.0): from and to are numeric series, from older than to"},
		{name: "hop repeated", product: product(path + "    - {from: \"1.0\", to: \"2.0\", source: s}\n    - {from: \"1.0\", to: \"2.0\", source: s}\n"),
			err: "upgrade_path hops row 2 (1.0 → 2.0): starts at 1.0, but the previous hop ends at 2.0"},
		{name: "path unknown key", product: product("upgrade_path:\n  action: a\n  rollback: r\n  restart: s\n  source: s\n  skip: true\n"),
			err: "products/demo.yaml: yaml: unmarshal errors"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"products/demo.yaml": {Data: []byte(tc.product)},
				"products/lib.yaml":  {Data: []byte(lib)},
				"os.yaml":            {Data: []byte(osFile)},
				"repositories.yaml":  {Data: []byte(src)},
			}
			_, err := Parse(fsys)
			wantLoadErr(t, err, tc.err)
		})
	}
}

// TestPlanData checks the embedded registry's planner rows against what
// the planner relied on before they were data: every product that links
// OpenSSL, the Java runtime group, the database families and the vendor
// paths.
func TestPlanData(t *testing.T) {
	r := Default()
	var links, java []string
	for _, p := range r.Products {
		if r.Links(p.Slug, "openssl") {
			links = append(links, p.Slug)
		}
		if r.Runtime(p.Slug) == "java" {
			java = append(java, p.Slug)
		}
	}
	wantLinks := []string{"apache-http-server", "dovecot", "erlang", "haproxy", "mariadb", "mysql", "nginx", "nodejs",
		"openvpn", "php", "postfix", "postgresql", "python", "redis", "ruby", "squid"}
	if !slices.Equal(links, wantLinks) {
		t.Errorf("products linking openssl %q, want %q", links, wantLinks)
	}
	wantJava := []string{"amazon-corretto", "azul-zulu", "eclipse-temurin", "microsoft-build-of-openjdk",
		"openjdk-builds-from-oracle", "oracle-jdk", "redhat-build-of-openjdk"}
	if !slices.Equal(java, wantJava) {
		t.Errorf("java runtime group %q, want %q", java, wantJava)
	}
	for _, tc := range []struct {
		app, runtime string
		want         bool
	}{
		{"tomcat", "amazon-corretto", true}, {"tomcat", "oracle-jdk", true}, {"rabbitmq", "erlang", true},
		{"elasticsearch", "eclipse-temurin", true}, {"tomcat", "php", false}, {"nginx", "amazon-corretto", false},
	} {
		if got := r.RunsOn(tc.app, tc.runtime); got != tc.want {
			t.Errorf("RunsOn(%s, %s) = %v, want %v", tc.app, tc.runtime, got, tc.want)
		}
	}
	for product, want := range map[string][]string{
		"mysql": {"mariadb", "mysql"}, "mariadb": {"mariadb", "mysql"}, "postgresql": {"postgresql"}, "mongodb": {"mongodb"}, "redis": nil,
	} {
		if got := r.DatabaseFamily(product); !slices.Equal(got, want) {
			t.Errorf("DatabaseFamily(%s) = %q, want %q", product, got, want)
		}
	}
	p, ok := r.UpgradePath("mysql")
	if !ok || !slices.Equal(p.Series, []string{"5.5", "5.6", "5.7", "8.0", "8.4"}) || p.HopSource["8.0"] != "https://dev.mysql.com/doc/refman/8.0/en/upgrade-paths.html" {
		t.Errorf("mysql path %+v", p)
	}
	for _, product := range []string{"mariadb", "postgresql"} {
		if p, ok := r.UpgradePath(product); !ok || p.Series != nil || p.SourceURL == "" {
			t.Errorf("%s path %+v: want one with no hops (any later major in one step) and a source", product, p)
		}
	}
}
