package registry

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestStrictReadinessRows: a readiness, move_packages, collections or
// absent row that names no source of its file, has an unknown key, a bad
// value or repeats another fails the load, and the error names the file,
// the section and the row.
func TestStrictReadinessRows(t *testing.T) {
	const src = testSources
	product := func(rows string) string {
		return "product: demo\nlabel: Demo\n" + src + "packages:\n  - {pattern: demo, role: server}\n" + rows
	}
	const other = "product: other\nlabel: Other\n" + src + "packages:\n  - {pattern: other, role: server}\n"
	const osFile = "families:\n  - {id: amzn, product: amazon-linux, parts: 1, manager: rpm}\n" + src
	const repoFile = src + "repositories:\n  - {id: demo-repo, label: Demo's repository, source: s}\n"
	rule := "    - {availability: [removed], cycles: [\"1.2\"], severity: high, reason: why, source: s}\n"
	valid := "readiness:\n  instead: {product: other, same_cycle: true, like: -server, source: s}\n  rules:\n" + rule +
		"    - {availability: [any], severity: info, target: instance, summary: \"{what}\", reason: why, source: s}\n"
	moves := "move_packages:\n  - {os: amazon-linux, os_cycle: \"2\", packages: [yum], remediation: none, source: s}\n"
	colls := "collections:\n  - {pattern: 'demo\\d+', repository: demo-repo, source: s}\n"
	absent := "absent:\n  - {repository: demo-repo, os: amazon-linux, os_cycle: \"2023\", from: [el], packages: 'demo-.*', note: gone, source: s}\n"
	for _, tc := range []struct {
		name, product, os, repos string
		err                      string // "" loads
	}{
		{name: "valid", product: product(valid), os: osFile + moves, repos: repoFile + colls + absent},
		{name: "rule source not in the file", product: product("readiness:\n  rules:\n    - {availability: [removed], severity: high, reason: why, source: other}\n"),
			err: `products/demo.yaml: readiness rules row 1 (removed ): source "other" is not in the file's sources`},
		{name: "rule without source", product: product("readiness:\n  rules:\n    - {availability: [removed], severity: high, reason: why}\n"),
			err: "readiness rules row 1 (removed ): source is required"},
		{name: "rule unknown key", product: product("readiness:\n  rules:\n    - {availability: [removed], severity: high, reason: why, source: s, blocker: true}\n"),
			err: "products/demo.yaml: yaml: unmarshal errors"},
		{name: "rule bad severity", product: product("readiness:\n  rules:\n    - {availability: [removed], severity: urgent, reason: why, source: s}\n"),
			err: `readiness rules row 1 (removed ): severity "urgent", want one of info, low, medium, high, critical`},
		{name: "rule bad availability", product: product("readiness:\n  rules:\n    - {availability: [gone], severity: high, reason: why, source: s}\n"),
			err: `availability "gone", want one of`},
		{name: "rule without availability", product: product("readiness:\n  rules:\n    - {severity: high, reason: why, source: s}\n"),
			err: "availability is required"},
		{name: "rule without reason", product: product("readiness:\n  rules:\n    - {availability: [removed], severity: high, source: s}\n"),
			err: "reason is required"},
		{name: "rule bad target", product: product("readiness:\n  rules:\n    - {availability: [any], severity: info, target: host, reason: why, source: s}\n"),
			err: `target "host", want instance or nothing`},
		{name: "rule repeated", product: product("readiness:\n  rules:\n" + rule + rule),
			err: "products/demo.yaml: readiness rules row 2 (removed 1.2): repeats row 1 (removed 1.2)"},
		{name: "instead of no product", product: product("readiness:\n  instead: {product: nothing, source: s}\n"),
			err: `products/demo.yaml: readiness instead: product "nothing" has no file in products/`},
		{name: "instead without source", product: product("readiness:\n  instead: {product: other}\n"),
			err: "readiness instead: source is required"},
		{name: "move without source", os: osFile + "move_packages:\n  - {os: amazon-linux, os_cycle: \"2\", packages: [yum], remediation: none}\n",
			err: "os.yaml move_packages row 1 (amazon-linux 2): source is required"},
		{name: "move repeated", os: osFile + moves + "  - {os: amazon-linux, os_cycle: \"2\", packages: [dnf, yum], remediation: none, source: s}\n",
			err: "os.yaml move_packages row 2 (amazon-linux 2): package yum repeats row 1"},
		{name: "move unknown key", os: osFile + "move_packages:\n  - {os: amazon-linux, os_cycle: \"2\", packages: [yum], remediation: none, source: s, severity: info}\n",
			err: "os.yaml: yaml: unmarshal errors"},
		{name: "collection of an unknown repository", repos: repoFile + "collections:\n  - {pattern: 'rh-[^-]+', repository: scl, source: s}\n",
			err: `repositories.yaml collections row 1 (rh-[^-]+): repository "scl" is not in repositories`},
		{name: "collection bad pattern", repos: repoFile + "collections:\n  - {pattern: 'rh-[', repository: demo-repo, source: s}\n",
			err: "repositories.yaml collections row 1 (rh-[): pattern is required and must be a regular expression"},
		{name: "collection repeated", repos: repoFile + colls + "  - {pattern: 'demo\\d+', repository: demo-repo, source: s}\n",
			err: "repositories.yaml collections row 2 (demo\\d+): repeats an earlier row"},
		{name: "absent source not in the file", repos: repoFile + "absent:\n  - {repository: demo-repo, os: amazon-linux, os_cycle: \"2023\", note: gone, source: elsewhere}\n",
			err: `repositories.yaml absent row 1 (demo-repo on amazon-linux 2023): source "elsewhere" is not in the file's sources`},
		{name: "absent without note", repos: repoFile + "absent:\n  - {repository: demo-repo, os: amazon-linux, os_cycle: \"2023\", source: s}\n",
			err: "os, os_cycle and note are required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"products/demo.yaml":  {Data: []byte(or(tc.product, product("")))},
				"products/other.yaml": {Data: []byte(other)},
				"os.yaml":             {Data: []byte(or(tc.os, osFile))},
				"repositories.yaml":   {Data: []byte(or(tc.repos, repoFile))},
			}
			r, err := Parse(fsys)
			wantLoadErr(t, err, tc.err)
			if tc.err != "" {
				return
			}
			if in, ok := r.InsteadOf("demo"); !ok || in.Product != "other" || !in.SameCycle || in.Like != "-server" {
				t.Errorf("InsteadOf(demo) = %+v, %v", in, ok)
			}
			if rr, url, ok := r.ReadinessRuleFor("demo", "removed", "1.2"); !ok || rr.Severity != "high" || url != "https://example.org/notes" {
				t.Errorf("rule for removed 1.2 = %+v %q %v", rr, url, ok)
			}
			if rr, _, _ := r.ReadinessRuleFor("demo", "removed", "1.3"); rr.Severity != "info" {
				t.Errorf("rule for removed 1.3 = %+v, want the any row", rr)
			}
			if !r.ComesWithInstance("demo") || r.ComesWithInstance("other") {
				t.Error("ComesWithInstance: want demo only")
			}
			if _, ok := r.MovePackage("amazon-linux", "2", "yum"); !ok {
				t.Error("MovePackage(yum) not found")
			}
			if c := r.CollectionOf("demo12-php-fpm"); c != "demo12" {
				t.Errorf("CollectionOf(demo12-php-fpm) = %q", c)
			}
			if n := r.AbsentNote("amazon-linux", "2023", "rhel", "el", "x", true); n != "gone" {
				t.Errorf("AbsentNote for a third-party build on el = %q, want gone", n)
			}
			if n := r.AbsentNote("amazon-linux", "2023", "ubuntu", "", "x", true); n != "" {
				t.Errorf("AbsentNote for a third-party build on ubuntu = %q, want none", n)
			}
		})
	}
}

// TestEmbeddedReadinessData: the embedded registry's Software Collection
// names and probe options, as the judge reads them.
func TestEmbeddedReadinessData(t *testing.T) {
	r := Default()
	for name, want := range map[string]string{
		"rh-php73-php-fpm": "rh-php73", "rh-nodejs14-nodejs": "rh-nodejs14", "rh-postgresql12-postgresql-server": "rh-postgresql12",
		"httpd24-httpd": "httpd24", "httpd24-mod_ssl": "httpd24", "httpd": "", "rh-": "", "php74-php-fpm": "",
	} {
		if got := r.CollectionOf(name); got != want {
			t.Errorf("CollectionOf(%s) = %q, want %q", name, got, want)
		}
	}
	if m := r.Probe("java", `openjdk version "17.0.13" 2024-10-15 LTS Corretto-17.0.13.11.1`); m.Product != "amazon-corretto" || !m.Java || m.VendorUnknown {
		t.Errorf("Corretto java probe: %+v", m)
	}
	if m := r.Probe("java", `openjdk version "11.0.2"`); m.Product != "eclipse-temurin" || !m.Java || !m.VendorUnknown {
		t.Errorf("java probe of no known vendor: %+v", m)
	}
	if m := r.Probe("nginx", "nginx version: nginx/1.24.0"); m.Product != "nginx" || m.Java {
		t.Errorf("nginx probe: %+v", m)
	}
}

// TestOSCycles: os.yaml's families cycles rows name CentOS Stream and Amazon
// Linux 1's cycles, and a bad row fails the load naming the family.
func TestOSCycles(t *testing.T) {
	r := Default()
	for _, tc := range []struct{ id, names, version, product, cycle string }{
		{"centos", "CentOS Linux", "7", "centos", "7"},
		{"centos", "CentOS Stream CentOS Stream 8", "8", "centos-stream", "8"},
		{"centos", "", "9", "centos-stream", "9"},
		{"centos", "", "10", "centos-stream", "10"},
		{"amzn", "Amazon Linux", "2023.6.20241010", "amazon-linux", "2023"},
		{"amzn", "Amazon Linux AMI", "2018.03", "amazon-linux", "2018.03"},
		{"amzn", "Amazon Linux", "2", "amazon-linux", "2"},
		{"rhel", "Red Hat Enterprise Linux", "9.4", "rhel", "9"},
		{"ubuntu", "Ubuntu", "22.04", "ubuntu", "22.04"},
	} {
		f, ok := r.OSFamily(tc.id)
		if !ok {
			t.Fatalf("no family %s", tc.id)
		}
		if p, c := f.CycleOf(tc.names, tc.version); p != tc.product || c != tc.cycle {
			t.Errorf("%s %q %s: %s %s, want %s %s", tc.id, tc.names, tc.version, p, c, tc.product, tc.cycle)
		}
	}
	const src = testSources
	for cycles, want := range map[string]string{
		"{stream_product: demo-stream, source: s}": "os.yaml families demo cycles: stream_product and stream_from go together",
		"{whole: '2[', source: s}":                 "os.yaml families demo cycles: whole: error parsing regexp",
		"{whole: '201\\d', source: t}":             `os.yaml families demo cycles: source "t" is not in the file's sources`,
	} {
		fsys := fstest.MapFS{
			"os.yaml":           {Data: []byte(src + "families:\n  - {id: demo, product: demo, parts: 1, cycles: " + cycles + "}\n")},
			"repositories.yaml": {Data: []byte(src)},
		}
		if _, err := Parse(fsys); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("cycles %s: error %v, want %q", cycles, err, want)
		}
	}
}
