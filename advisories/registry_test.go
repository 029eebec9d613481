package advisories

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"upkeep/inventory"
	"upkeep/registry"
)

// withRegistry returns the embedded data judged through a copy of the
// embedded registry files with edits applied (file name -> new content
// from the old; a file that did not exist gets "").
func withRegistry(t *testing.T, edits map[string]func(string) string) *Data {
	t.Helper()
	files := fstest.MapFS{}
	err := fs.WalkDir(registry.Files(), ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := fs.ReadFile(registry.Files(), p)
		files[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, edit := range edits {
		old := ""
		if f, ok := files[name]; ok {
			old = string(f.Data)
		}
		changed := edit(old)
		if changed == old {
			t.Fatalf("edit of %s changed nothing", name)
		}
		files[name] = &fstest.MapFile{Data: []byte(changed)}
	}
	reg, err := registry.Parse(files)
	if err != nil {
		t.Fatalf("test registry: %v", err)
	}
	d, err := mustLoad(t).WithRegistry(reg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// cut removes from s the text from the first from up to (not including)
// the first to after it ("" for the end).
func cut(from, to string) func(string) string {
	return func(s string) string {
		i := strings.Index(s, from)
		if i < 0 {
			return s
		}
		j := len(s)
		if to != "" {
			if k := strings.Index(s[i+len(from):], to); k >= 0 {
				j = i + len(from) + k
			}
		}
		return s[:i] + s[j:]
	}
}

// TestReadinessFromRegistryRows: what readiness says of a product comes from
// the registry's rows only. A product that exists only in a test registry
// gets AL2023's product in its place and its own severity; removing a
// product's readiness rule (Python 2.7), an os.yaml move_packages entry
// (yum) or a repositories.yaml absent row (EPEL) changes the entry.
func TestReadinessFromRegistryRows(t *testing.T) {
	const demoJDK = `product: demo-jdk
label: Demo JDK
sources:
  - {id: s, url: https://example.org/demo-jdk, retrieved: 2026-12-01, about: a product of this test only}
packages:
  - {pattern: 'demo-jdk-(?P<c>\d+)', manager: rpm, role: runtime, java: true}
`
	const demoReady = `readiness:
  instead: {product: amazon-corretto, same_cycle: true, source: s}
  rules:
    - {availability: [replaced], severity: low, reason: "a drop-in of the same line, in this test", source: s}
`
	jdk := al2Pkg("demo-jdk-17", "17.0.13.0.11", "1.amzn2")
	py := al2Pkg("python", "2.7.18", "1.amzn2.0.8")
	yum := al2Pkg("yum", "3.4.3", "158.amzn2.0.6")
	// exim: an EPEL package of AL2 that no AL2023 data lists (openvpn, once
	// such an example, is in AL2023's own repositories since 2023.6).
	epel := al2Pkg("exim", "4.97.1", "1.el7")
	pkgs := []inventory.Package{jdk, py, yum, epel}

	embedded := readinessOf(t, mustLoad(t), al2, pkgs, nil)
	e, ok := entryFor2(embedded, "python", "")
	if !ok || e.Severity != SevHigh || e.Inhibitor || !strings.Contains(e.Summary, "AL2's yum needs it") {
		t.Errorf("embedded registry, Python 2.7: %+v", e)
	}
	if e, _ := entryFor2(embedded, "", "yum"); e.Severity != SevInfo || !strings.Contains(e.Remediation, "call yum") {
		t.Errorf("embedded registry, yum: %+v, want info (os.yaml move_packages)", e)
	}
	if e, _ := entryFor2(embedded, "exim", ""); !strings.Contains(e.Summary, "EPEL does not exist for AL2023") {
		t.Errorf("embedded registry, an .el7 exim on AL2: %+v, want the EPEL note", e)
	}
	if _, ok := entryFor2(embedded, "demo-jdk", ""); ok {
		t.Error("the embedded registry maps demo-jdk")
	}

	changed := withRegistry(t, map[string]func(string) string{
		"products/demo-jdk.yaml": func(string) string { return demoJDK + demoReady },
		"products/python.yaml":   cut("\nreadiness:", ""),
		"os.yaml": func(s string) string {
			return strings.Replace(s, "packages: [yum, amazon-linux-extras]", "packages: [amazon-linux-extras]", 1)
		},
		"repositories.yaml": cut("\n  - {repository: epel, os: amazon-linux", "\n"),
	})
	r := readinessOf(t, changed, al2, pkgs, nil)
	e, ok = entryFor2(r, "demo-jdk", "")
	if !ok || e.Availability != AvailReplaced || !strings.Contains(e.AL2023Package, "amazon-corretto") || e.Severity != SevLow || e.Inhibitor {
		t.Errorf("demo-jdk, a product only the test registry has: %+v, want replaced by Corretto at severity low (its readiness rows)", e)
	}
	if e, _ := entryFor2(r, "python", ""); e.Severity != SevCritical || !e.Inhibitor || strings.Contains(e.Summary, "yum needs it") {
		t.Errorf("Python 2.7 without its readiness rule: %+v, want the default for a removed product (critical, inhibitor)", e)
	}
	if e, _ := entryFor2(r, "", "yum"); e.Severity == SevInfo {
		t.Errorf("yum without its move_packages entry: %+v, want the AL2 table's own severity", e)
	}
	if e, _ := entryFor2(r, "exim", ""); strings.Contains(e.Summary, "EPEL") {
		t.Errorf("without the absent row: %+v still names EPEL", e)
	}
	if r.Readiness != Blocked {
		t.Errorf("host readiness %s, want blocked (Python 2.7 is an inhibitor without its rule)", r.Readiness)
	}

	bare := withRegistry(t, map[string]func(string) string{"products/demo-jdk.yaml": func(string) string { return demoJDK }})
	if e, _ := entryFor2(readinessOf(t, bare, al2, pkgs, nil), "demo-jdk", ""); e.Availability != AvailRemoved || !e.Inhibitor {
		t.Errorf("demo-jdk without a readiness section: %+v, want removed, an inhibitor", e)
	}
}

// TestJudgeFromRegistryRows: the judge's Software Collection and probe
// options come from the registry's rows: without repositories.yaml's
// httpd24 collection row an httpd24 build is no longer judged by the
// collection's life cycle, and without java: true on Corretto's probe rule
// its Java version string is not read as one; without vendor_on on the
// Corretto repository family, Amazon Linux's own Corretto package is taken
// for a third-party build.
func TestJudgeFromRegistryRows(t *testing.T) {
	centos7 := inventory.OSRelease{ID: "centos", VersionID: "7", Name: "CentOS Linux"}
	httpd := inventory.Package{Manager: "rpm", Name: "httpd24-httpd", Version: "2.4.34", Release: "7.el7", Arch: "x86_64", Vendor: "CentOS"}
	java := inventory.Probe{Name: "java", Path: "/opt/java/bin/java", Output: `openjdk version "1.8.0_432" OpenJDK Runtime Environment Corretto-8.432.06.1`, Version: "1.8.0_432"}
	corretto := al2Pkg("java-17-amazon-corretto-headless", "17.0.13+11", "1.amzn2.1")
	judge1 := func(d *Data, osr inventory.OSRelease, rep *inventory.Report) []Finding {
		rep.Facts.OS = osr
		opt := Options{At: day("2026-12-01"), Within: 180}
		return d.Judge([]inventory.Observation{{Host: inventory.Host{ID: "h"}, Status: inventory.StatusOK, Report: rep}}, opt)[0].Findings
	}
	find := func(fs []Finding, product string) Finding {
		for _, f := range fs {
			if f.Product == product {
				return f
			}
		}
		t.Fatalf("no %s finding in %+v", product, fs)
		return Finding{}
	}
	for _, tc := range []struct {
		name  string
		d     *Data
		coll  bool   // the verdict names the collection
		cycle string // the Corretto probe's cycle
		src   string // the Corretto package's source on AL2
	}{
		{"embedded", mustLoad(t), true, "8", SourceOSVendor},
		{"changed", withRegistry(t, map[string]func(string) string{
			"repositories.yaml": func(s string) string {
				return strings.Replace(cut("\n  - {pattern: 'httpd24'", "\n")(s), "vendor_on: [amzn], ", "", 1)
			},
			"products/amazon-corretto.yaml": func(s string) string { return strings.Replace(s, "{name: java, java: true,", "{name: java,", 1) },
		}), false, "", SourceThirdParty},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := find(judge1(tc.d, centos7, &inventory.Report{Packages: []inventory.Package{httpd}}), "apache-http-server")
			if got := strings.Contains(f.Reason, "httpd24 Software Collection"); got != tc.coll {
				t.Errorf("httpd24-httpd on CentOS 7: %s (%s), names the collection %v, want %v", f.Status, f.Reason, got, tc.coll)
			}
			c := find(judge1(tc.d, al2, &inventory.Report{Packages: []inventory.Package{corretto}}), "amazon-corretto")
			if c.Source != tc.src {
				t.Errorf("AL2's java-17-amazon-corretto: source %s, want %s", c.Source, tc.src)
			}
			p := find(judge1(tc.d, al2, &inventory.Report{Probes: []inventory.Probe{java}}), "amazon-corretto")
			if (p.Cycle == "8") != (tc.cycle == "8") {
				t.Errorf("Corretto probe: cycle %q (upstream %q), want 8: %v", p.Cycle, p.UpstreamVersion, tc.cycle == "8")
			}
		})
	}
}

// TestReadinessInstallerFromRegistry: the install command of an entry for
// a product AL2023 ships is os.yaml's tools row for Amazon Linux 2023;
// without the row the entry names no command of its own.
func TestReadinessInstallerFromRegistry(t *testing.T) {
	pkgs := []inventory.Package{al2Pkg("nginx", "1.22.1", "1.amzn2.0.3")}
	const row = `  - {os: amazon-linux, installer: "dnf install"`
	for _, tc := range []struct {
		name string
		d    *Data
		want string
	}{
		{"embedded", mustLoad(t), "dnf install nginx"},
		{"changed", withRegistry(t, map[string]func(string) string{
			"os.yaml": func(s string) string {
				return strings.Replace(s, row, `  - {os: amazon-linux, installer: "dnf -y install"`, 1)
			},
		}), "dnf -y install nginx"},
		{"no row", withRegistry(t, map[string]func(string) string{
			"os.yaml": func(s string) string {
				return strings.Replace(s, row, `  - {os: amazon-linux, os_cycle: "2024", installer: "dnf install"`, 1)
			},
		}), "install nginx with Amazon Linux 2023's package manager (upkeep's registry names no installer for it)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, ok := entryFor2(readinessOf(t, tc.d, al2, pkgs, nil), "nginx", "")
			if !ok || e.Availability != AvailAvailable {
				t.Fatalf("nginx on AL2: %+v, want available on AL2023", e)
			}
			if e.Remediation != tc.want {
				t.Errorf("remediation %q, want %q", e.Remediation, tc.want)
			}
		})
	}
}
