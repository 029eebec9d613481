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

// TestFirstByteIndexMatchesScan maps package names with the index and by
// trying every rule in order, and the results must be the same: every name
// of the embedded AL2023 list (as rpm, which is what loading the data
// does), and every name of the fixture hosts and the truth table, each
// also with its first letter's case swapped, as rpm and as dpkg.
func TestFirstByteIndexMatchesScan(t *testing.T) {
	r := Default()
	scan := *r
	sm := *r.mapper
	for b := range sm.byFirst {
		sm.byFirst[b] = sm.all
	}
	scan.mapper = &sm

	column := func(path string, col int) []string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Split(line, "\t"); len(f) > col && !strings.HasPrefix(line, "#") {
				out = append(out, f[col])
			}
		}
		return out
	}
	al2023 := column("../advisories/data/al2023-packages.tsv", 0)
	if len(al2023) < 5000 {
		t.Fatalf("only %d AL2023 names: the test reads the wrong file", len(al2023))
	}
	others := map[string]bool{"": true}
	rpms, _ := filepath.Glob("../internal/fixtures/hosts/*.rpm")
	debs, _ := filepath.Glob("../internal/fixtures/hosts/*.dpkg")
	files := append(rpms, debs...)
	for _, f := range append(files, "../advisories/testdata/truth.tsv") {
		col := 0
		if strings.HasSuffix(f, "truth.tsv") {
			col = 1
		}
		for _, n := range column(f, col) {
			others[n] = true
			others[swapCase.ReplaceAllStringFunc(n, func(s string) string {
				if u := strings.ToUpper(s); u != s {
					return u
				}
				return strings.ToLower(s)
			})] = true
		}
	}
	if len(others) < 1000 {
		t.Fatalf("only %d fixture and truth-table names: the test reads the wrong files", len(others))
	}
	compared, mapped := 0, 0
	check := func(mgr, n string) {
		// The index only skips rules by name; one version will do.
		got, gok := r.Map(mgr, n, "1:1.20.0-2.amzn2.0.5")
		want, wok := scan.Map(mgr, n, "1:1.20.0-2.amzn2.0.5")
		if got != want || gok != wok {
			t.Fatalf("Map(%s, %q): index gives %+v %v, trying every rule %+v %v", mgr, n, got, gok, want, wok)
		}
		compared++
		if gok {
			mapped++
		}
	}
	for _, n := range al2023 {
		check("rpm", n)
	}
	for n := range others {
		check("rpm", n)
		check("dpkg", n)
	}
	if mapped == 0 {
		t.Fatal("no name mapped: the comparison tests nothing")
	}
	t.Logf("%d mappings compared, %d mapped", compared, mapped)
}

var swapCase = regexp.MustCompile(`^[a-zA-Z]`)
