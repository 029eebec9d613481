package registry

import (
	"testing"
	"testing/fstest"
)

// TestStrictRows: a ships, replacements, breaking, transitions or targets
// row that names no source of its file, has an unknown key or a bad value
// fails the load, and the error names the file, the section and the row.
func TestStrictRows(t *testing.T) {
	const src = testSources
	product := func(rows string) string {
		return "product: demo\nlabel: Demo\n" + src + "packages:\n  - {pattern: demo, role: server}\n" + rows
	}
	const osFile = "families:\n  - {id: amzn, product: amazon-linux, parts: 1, manager: rpm}\n" + src
	const repoFile = src + "repositories:\n  - {id: demo-repo, label: Demo's repository, source: s}\n"
	ok := "ships:\n  - {os: amazon-linux, os_cycle: \"2023\", cycle: \"1.2\", packages: [demo], support: os, source: s}\n"
	for _, tc := range []struct {
		name, product, os, repos string
		err                      string // "" loads
	}{
		{name: "valid", product: product(ok + "breaking:\n  - {from: \"<1.2\", to: \">=1.2\", summary: s, source: s}\n" +
			"replacements:\n  - {os: amazon-linux, os_cycle: \"2023\", with: demo, label: D, cycle: \"2\", packages: [d], support: upstream, use: note, source: s}\n"),
			os:    osFile + "transitions:\n  - {os: amazon-linux, from: \"2\", to: \"2023\", summary: rebuilt, source: s}\n",
			repos: repoFile + "targets:\n  - {repository: demo-repo, product: demo, os: amazon-linux, os_cycle: \"2023\", install: the demo repository, source: s}\n"},
		{name: "source not in the file", product: product("ships:\n  - {os: amazon-linux, os_cycle: \"2023\", cycle: \"1.2\", packages: [demo], support: os, source: other}\n"),
			err: `products/demo.yaml: ships row 1 (amazon-linux 2023 1.2): source "other" is not in the file's sources`},
		{name: "a URL is not a source id", product: product("ships:\n  - {os: amazon-linux, os_cycle: \"2023\", cycle: \"1.2\", packages: [demo], support: os, source: \"https://example.org/notes\"}\n"),
			err: "ships row 1 (amazon-linux 2023 1.2): source \"https://example.org/notes\" is not in the file's sources"},
		{name: "unknown key", product: product("ships:\n  - {os: amazon-linux, os_cycle: \"2023\", cycle: \"1.2\", packages: [demo], support: os, source: s, stream: \"1.2\"}\n"),
			err: "products/demo.yaml: yaml: unmarshal errors"},
		{name: "until without a date", product: product("ships:\n  - {os: amazon-linux, os_cycle: \"2023\", cycle: \"1.2\", packages: [demo], support: until, source: s}\n"),
			err: `ships row 1 (amazon-linux 2023 1.2): until "" is not YYYY-MM-DD`},
		{name: "until with support os", product: product("ships:\n  - {os: amazon-linux, os_cycle: \"2023\", cycle: \"1.2\", packages: [demo], support: os, until: \"2030-01-01\", source: s}\n"),
			err: "until is only for support: until"},
		{name: "bad support", product: product("ships:\n  - {os: amazon-linux, os_cycle: \"2023\", cycle: \"1.2\", packages: [demo], support: vendor, source: s}\n"),
			err: `ships row 1 (amazon-linux 2023 1.2): support "vendor", want os or upstream`},
		{name: "none with packages", product: product("ships:\n  - {os: amazon-linux, os_cycle: \"2023\", cycle: \"-\", packages: [demo], source: s}\n"),
			err: "a release that ships none lists no packages"},
		{name: "row repeated", product: product(ok + "  - {os: amazon-linux, os_cycle: \"2023\", cycle: \"1.2\", packages: [demo], support: os, source: s}\n"),
			err: "products/demo.yaml: ships row 2 (amazon-linux 2023 1.2) repeats row 1"},
		{name: "replacement of no product", product: product("replacements:\n  - {os: amazon-linux, os_cycle: \"2023\", with: nothing, label: N, cycle: \"2\", packages: [n], support: os, use: plan, source: s}\n"),
			err: `replacements row 1: product "nothing" has no file in products/`},
		{name: "replacement use", product: product("replacements:\n  - {os: amazon-linux, os_cycle: \"2023\", with: demo, label: D, cycle: \"2\", packages: [d], support: os, use: maybe, source: s}\n"),
			err: `replacements row 1 (amazon-linux 2023: demo): use "maybe", want plan or note`},
		{name: "breaking without summary", product: product("breaking:\n  - {from: \"1\", to: \"2\", source: s}\n"),
			err: "breaking row 1 (1 → 2): from, to and summary are required"},
		{name: "breaking comparison not a version", product: product("breaking:\n  - {from: \"<one\", to: \"2\", summary: s, source: s}\n"),
			err: `breaking row 1 (<one → 2): "<one": a comparison needs a numeric version`},
		{name: "transition without source", os: osFile + "transitions:\n  - {os: amazon-linux, from: \"2\", to: \"2023\", summary: rebuilt}\n",
			err: "os.yaml transitions row 1 (amazon-linux 2 → 2023): source is required"},
		{name: "target of an unknown repository", repos: repoFile + "targets:\n  - {repository: nowhere, product: demo, os: amazon-linux, os_cycle: \"2023\", install: x, source: s}\n",
			err: `repositories.yaml targets row 1 (nowhere demo on amazon-linux 2023): repository "nowhere" is not in repositories`},
		{name: "target without source", repos: repoFile + "targets:\n  - {repository: demo-repo, product: demo, os: amazon-linux, os_cycle: \"2023\", install: x, source: gone}\n",
			err: `repositories.yaml targets row 1 (demo-repo demo on amazon-linux 2023): source "gone" is not in the file's sources`},
		{name: "probe output not a regexp", product: product(ok + "probes:\n  - {name: demo, output: \"demo/(1\"}\n"),
			err: "products/demo.yaml: probes row 1 (demo): output: error parsing regexp"},
		{name: "duplicate source id", product: "product: demo\nlabel: Demo\n" + src + "  - {id: s, url: https://example.org/b, retrieved: 2026-12-01}\n",
			err: `products/demo.yaml: sources row 2: id "s" is used twice`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"products/demo.yaml": {Data: []byte(or(tc.product, product(ok)))},
				"os.yaml":            {Data: []byte(or(tc.os, osFile))},
				"repositories.yaml":  {Data: []byte(or(tc.repos, repoFile))},
			}
			_, err := Parse(fsys)
			wantLoadErr(t, err, tc.err)
		})
	}
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func TestCycleMatches(t *testing.T) {
	for _, tc := range []struct {
		cycle, pattern string
		want           bool
	}{
		{"7.4", "7", true}, {"7", "7", true}, {"70", "7", false}, {"5.7", "5.7", true}, {"5.70", "5.7", false},
		{"1.24", "<1.25", true}, {"1.25", "<1.25", false}, {"1.26", ">=1.25", true}, {"1.25", ">=1.25", true},
		{"1.9", ">=1.25", false}, {"2.0", ">=2.1", false}, {"2.4", ">=2.1", true}, {"3.0", ">2", true},
		{"2", "<=2", true}, {"beta", "<1.25", false},
	} {
		if got := CycleMatches(tc.cycle, tc.pattern); got != tc.want {
			t.Errorf("CycleMatches(%q, %q) = %v, want %v", tc.cycle, tc.pattern, got, tc.want)
		}
	}
}
