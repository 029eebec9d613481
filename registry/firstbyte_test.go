package registry

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestFirstBytes checks the first-byte sets of patterns shaped like the
// registry's: each byte a match can start with is in the set, and the
// ones listed as out are not.
func TestFirstBytes(t *testing.T) {
	cases := []struct {
		pattern string
		in, out string
	}{
		{`^(?:nginx(-.*)?)$`, "n", "Nx-"},
		{`^(?:(lib)?nginx-mod.*)$`, "ln", "Lx"},
		{`^(?:php(?P<c>[0-9.]+)?-{0,1}fpm)$`, "p", "f0"},
		{`^(?:(?i)tomcat)$`, "tT", "x"},
		{`^(?:(?i)kernel)$`, "kK\xe2", "x"}, // the Kelvin sign folds to k
		{`^(?:[a-c0-9]+)$`, "abc09", "dA"},
		{`^(?:.*-server)$`, "a-Z\x00\xff", ""},
		{`^(?:x?y*z)$`, "xyz", "a"},
		{`^(?:(a|b)c|d)$`, "abd", "c"},
		{`^(?:é)$`, "\xc3", "e"},
	}
	for _, c := range cases {
		set := patternFirstBytes(c.pattern)
		for i := 0; i < len(c.in); i++ {
			if !set.has(c.in[i]) {
				t.Errorf("%s: %q can start a match, not in the set", c.pattern, c.in[i])
			}
		}
		for i := 0; i < len(c.out); i++ {
			if set.has(c.out[i]) {
				t.Errorf("%s: %q cannot start a match, but is in the set", c.pattern, c.out[i])
			}
		}
	}
}

// TestFirstByteIndexMatchesScan maps every package name the repository
// knows (the embedded AL2023 list, the fixture hosts, the truth table), and
// each with its first letter's case swapped, with the index and by trying
// every rule in order: the results must be the same.
func TestFirstByteIndexMatchesScan(t *testing.T) {
	r := Default()
	scan := *r
	sm := *r.mapper
	for b := range sm.byFirst {
		sm.byFirst[b] = sm.all
	}
	scan.mapper = &sm

	names := map[string]bool{}
	addColumn := func(path string, col int) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Split(line, "\t"); len(f) > col && !strings.HasPrefix(line, "#") {
				names[f[col]] = true
			}
		}
	}
	addColumn("../advisories/data/al2023-packages.tsv", 0)
	addColumn("../advisories/testdata/truth.tsv", 1)
	for _, ext := range []string{"rpm", "dpkg"} {
		files, _ := filepath.Glob("../internal/fixtures/hosts/*." + ext)
		for _, f := range files {
			addColumn(f, 0)
		}
	}
	if len(names) < 5000 {
		t.Fatalf("only %d names: the test reads the wrong files", len(names))
	}
	swap := regexp.MustCompile(`^[a-zA-Z]`)
	for n := range names {
		names[swap.ReplaceAllStringFunc(n, func(s string) string {
			if u := strings.ToUpper(s); u != s {
				return u
			}
			return strings.ToLower(s)
		})] = true
	}
	names[""] = true
	mapped := 0
	for n := range names {
		for _, mgr := range []string{"rpm", "dpkg"} {
			// The index only skips rules by name; one version will do.
			got, gok := r.Map(mgr, n, "1:1.20.0-2.amzn2.0.5")
			want, wok := scan.Map(mgr, n, "1:1.20.0-2.amzn2.0.5")
			if got != want || gok != wok {
				t.Fatalf("Map(%s, %q): index gives %+v %v, trying every rule %+v %v", mgr, n, got, gok, want, wok)
			}
			if gok {
				mapped++
			}
		}
	}
	if mapped == 0 {
		t.Fatal("no name mapped: the comparison tests nothing")
	}
	t.Logf("%d names, %d mappings compared", len(names), mapped)
}
