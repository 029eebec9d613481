package registry

import (
	"testing"
	"testing/fstest"
)

// TestToolsRows: a tools or family_lines row of os.yaml that names no
// source, has an unknown key or lacks a required value fails the load, and
// the error names the file, the section and the row.
func TestToolsRows(t *testing.T) {
	const src = testSources
	const families = "families:\n  - {id: amzn, product: amazon-linux, parts: 1, manager: rpm}\n" +
		"  - {id: rhel, product: rhel, family: el, parts: 1, manager: rpm}\n"
	const product = "product: demo\nlabel: Demo\n" + src + "packages:\n  - {pattern: demo, role: server}\n"
	const repos = src
	for _, tc := range []struct {
		name, rows string
		err        string // "" loads
	}{
		{name: "valid", rows: "tools:\n  - {os: el, os_cycle: \"<8\", installer: yum install, query: \"yum list available '{package}*'\", source: s}\n" +
			"  - {os: debian, installer: apt-get install, upgrade: \"move to {label} {to}{path}\", in_place: true, source: s}\n" +
			"family_lines:\n  - {family: el, product: rhel, label: RHEL family, source: s}\n"},
		{name: "no source", rows: "tools:\n  - {os: debian, installer: apt-get install}\n",
			err: "os.yaml tools row 1 (debian ): source is required"},
		{name: "a URL is not a source id", rows: "tools:\n  - {os: debian, installer: apt-get install, source: \"https://example.org/notes\"}\n",
			err: `os.yaml tools row 1 (debian ): source "https://example.org/notes" is not in the file's sources`},
		{name: "unknown key", rows: "tools:\n  - {os: debian, installer: apt-get install, remove: apt-get remove, source: s}\n",
			err: "os.yaml: yaml: unmarshal errors:\n  line 7: field remove not found"},
		{name: "no installer", rows: "tools:\n  - {os: debian, query: \"apt-cache policy {package}\", source: s}\n",
			err: "os.yaml tools row 1 (debian ): os and installer are required"},
		{name: "query without the package", rows: "tools:\n  - {os: debian, installer: apt-get install, query: apt-cache policy, source: s}\n",
			err: `os.yaml tools row 1 (debian ): query "apt-cache policy" must name {package}`},
		{name: "upgrade without the release", rows: "tools:\n  - {os: debian, installer: apt-get install, upgrade: apt-get full-upgrade, source: s}\n",
			err: `upgrade "apt-get full-upgrade" must name {to}`},
		{name: "bad cycle comparison", rows: "tools:\n  - {os: el, os_cycle: \"<eight\", installer: yum install, source: s}\n",
			err: `os.yaml tools row 1 (el <eight): "<eight": a comparison needs a numeric version`},
		{name: "lts_path without its source", rows: "tools:\n  - {os: ubuntu, installer: apt-get install, lts_path: true, source: s}\n",
			err: "os.yaml tools row 1 (ubuntu ): lts_path and lts_source go together"},
		{name: "lts_source not in the file", rows: "tools:\n  - {os: ubuntu, installer: apt-get install, lts_path: true, lts_source: gone, source: s}\n",
			err: `os.yaml tools row 1 (ubuntu ): lts_source: source "gone" is not in the file's sources`},
		{name: "family line without source", rows: "family_lines:\n  - {family: el, product: rhel, label: RHEL family}\n",
			err: "os.yaml family_lines row 1 (el): source is required"},
		{name: "family line of a non-member", rows: "family_lines:\n  - {family: el, product: amazon-linux, label: RHEL family, source: s}\n",
			err: `os.yaml family_lines row 1 (el): product "amazon-linux" is not a member of family "el"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"products/demo.yaml": {Data: []byte(product)},
				"os.yaml":            {Data: []byte(families + src + tc.rows)},
				"repositories.yaml":  {Data: []byte(repos)},
			}
			_, err := Parse(fsys)
			wantLoadErr(t, err, tc.err)
		})
	}
}

// TestToolsLookup: the embedded os.yaml's rows, found by OS product or
// family and release; an OS it has no row for has no tools.
func TestToolsLookup(t *testing.T) {
	r := Default()
	for _, tc := range []struct {
		os, cycle, installer, query, source string // installer "" no row
	}{
		{"amazon-linux", "2", "yum install", "yum list available 'x*'", "al2023-compare-al2"},
		{"amazon-linux", "2023", "dnf install", "dnf list --available 'x*'", "al2023-dnf"},
		{"centos", "7", "yum install", "yum list available 'x*'", "rhel8-yum-dnf"},
		{"rhel", "8", "dnf install", "dnf list --available 'x*'", "rhel8-yum-dnf"},
		{"almalinux", "9", "dnf install", "dnf list --available 'x*'", "rhel8-yum-dnf"},
		{"el", "10", "dnf install", "dnf list --available 'x*'", "rhel8-yum-dnf"},
		{"oracle-linux", "7", "yum install", "yum list available 'x*'", "rhel8-yum-dnf"},
		{"centos-stream", "9", "dnf install", "dnf list --available 'x*'", "rhel8-yum-dnf"},
		{"fedora", "41", "dnf install", "dnf list --available 'x*'", "fedora-dnf"},
		{"ubuntu", "24.04", "apt-get install", "apt-cache policy x", "ubuntu-upgrade"},
		{"debian", "12", "apt-get install", "apt-cache policy x", "debian-upgrade"},
		{"alpine-linux", "3.20", "", "", ""},
		{"sles", "15.6", "", "", ""},
	} {
		got, src, ok := r.Tools(tc.os, tc.cycle)
		if ok != (tc.installer != "") || got.Installer != tc.installer || src.ID != tc.source {
			t.Errorf("Tools(%s, %s) = %q (source %q, %v), want %q (source %q)", tc.os, tc.cycle, got.Installer, src.ID, ok, tc.installer, tc.source)
			continue
		}
		if ok {
			if q := Fill(got.Query, "{package}", "x"); q != tc.query {
				t.Errorf("Tools(%s, %s) query %q, want %q", tc.os, tc.cycle, q, tc.query)
			}
			if src.URL == "" || src.Retrieved == "" {
				t.Errorf("Tools(%s, %s): source %q has no URL or retrieved day", tc.os, tc.cycle, src.ID)
			}
		}
	}
	if fl, ok := r.FamilyLine("el"); !ok || fl.Product != "rhel" || fl.Label != "RHEL family" {
		t.Errorf("FamilyLine(el) = %+v, %v", fl, ok)
	}
	if _, ok := r.FamilyLine("debian"); ok {
		t.Error("FamilyLine(debian): a family line for an OS with no family")
	}
}
