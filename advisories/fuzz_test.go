package advisories

import (
	"bytes"
	"strings"
	"testing"

	"upkeep/inventory"
)

// TestParseListLimits: a list over a limit is refused with the limit named,
// not read into memory and judged.
func TestParseListLimits(t *testing.T) {
	osr := inventory.OSRelease{ID: "debian", VersionID: "12"}
	for _, c := range []struct {
		name, in, err string
	}{
		{"too many lines", strings.Repeat("bash\t5.2.15-2+b2\n", MaxListLines+1), "more than 100000 lines, the limit of one package list"},
		{"too many bytes", strings.Repeat("bash\t"+strings.Repeat("1", 60000)+"\n", MaxListSize/60000+1), "line 281: over the 16 MiB limit of one package list"},
		{"long line", "bash\t" + strings.Repeat("1", 70000) + "\n", "line 1 is longer than 64 KiB"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := ParseList(strings.NewReader(c.in), osr)
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Fatalf("got %v, want %q", err, c.err)
			}
		})
	}
	// At the limit, still read.
	pkgs, _, err := ParseList(strings.NewReader(strings.Repeat("bash\t5.2.15-2+b2\n", MaxListLines)), osr)
	if err != nil || len(pkgs) != MaxListLines {
		t.Fatalf("%d lines: got %d packages, %v", MaxListLines, len(pkgs), err)
	}
}

// FuzzParseList: a pasted list (check --packages) never panics, and what it
// accepts has a name and a version for every package and probe.
//
//	go test -run '^$' -fuzz=FuzzParseList -fuzztime=10m -parallel 1 ./advisories/
func FuzzParseList(f *testing.F) {
	f.Add([]byte("bash\t4.2.46-34.amzn2\nopenssl\t1:1.0.2k-24.amzn2.0.11\n"), true)
	f.Add([]byte("\uFEFF# dpkg-query -W\r\nlibc6\t2.36-9+deb12u4\r\n\r\nprobe:java\topenjdk version \"1.8.0_402\"\n"), false)
	f.Add([]byte("probe:\tx\nnginx\t1.24\tx86_64\n"), false)
	f.Fuzz(func(t *testing.T, data []byte, rpm bool) {
		osr := inventory.OSRelease{ID: "debian", VersionID: "12"}
		if rpm {
			osr = inventory.OSRelease{ID: "amzn", VersionID: "2"}
		}
		pkgs, probes, err := ParseList(bytes.NewReader(data), osr)
		if err != nil {
			if pkgs != nil || probes != nil {
				t.Fatalf("results returned with error %v", err)
			}
			return
		}
		for _, p := range pkgs {
			if p.Name == "" || p.Version == "" && p.Release == "" {
				t.Fatalf("package without name or version: %+v", p)
			}
		}
		for _, p := range probes {
			if p.Name == "" || p.Output == "" {
				t.Fatalf("probe without name or output: %+v", p)
			}
		}
	})
}

// FuzzParseWaivers: a waivers file never panics, and every waiver it
// accepts has a reason and a criterion, and a hostname pattern that compiles.
//
//	go test -run '^$' -fuzz=FuzzParseWaivers -fuzztime=10m -parallel 1 ./advisories/
func FuzzParseWaivers(f *testing.F) {
	f.Add([]byte("waivers:\n  - product: php\n    cycle: \"7.4\"\n    tag: Role=legacy\n    reason: OPS-123\n    expires: 2027-03-31\n"))
	f.Add([]byte("waivers:\n  - hostname: billing-*\n    host: i-0123\n    key: x\n    reason: r\nwaivers: []\n"))
	f.Add([]byte("a: &a [*a]\nwaivers: {x: y}\n"))
	f.Add([]byte("waivers:\n  - reason: !!binary aGk=\n    product: [php]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ws, err := ParseWaivers("w.yaml", data)
		if err != nil {
			if ws != nil {
				t.Fatalf("waivers returned with error %v", err)
			}
			if !strings.HasPrefix(err.Error(), "w.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, w := range ws {
			if w.Reason == "" || w.Product == "" && w.Cycle == "" && w.Host == "" && w.Name == "" && w.Tag == "" && w.Key == "" {
				t.Fatalf("accepted waiver without reason or criterion: %+v", w)
			}
			if strings.ContainsAny(w.Host, "*?[") {
				t.Fatalf("host id with a pattern accepted: %q", w.Host)
			}
			w.Matches("php", "7.4", "k", inventory.Host{ID: "i-1", Name: "billing-1"})
		}
	})
}
