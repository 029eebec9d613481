package advisories

import (
	"strings"
	"testing"

	"upkeep/inventory"
)

// TestDebianSecurityLists: what a host's debian-security-support lists say
// of a package overrides the release's life: ended is a date of its own
// (unpatched or eol after it, eol-soon before it), limited is never
// supported or distro-supported. The lines are real: nodejs from
// security-support-ended.deb9, golang.* from security-support-limited of
// debian-security-support 1:12+2026.06.30. Without the lists (an older
// collector, a pasted list), the verdict is what it was.
func TestDebianSecurityLists(t *testing.T) {
	d := mustLoad(t)
	deb := func(name, v string) inventory.Package {
		return inventory.Package{Manager: "dpkg", Name: name, Version: v, Arch: "amd64", Status: "ii"}
	}
	nodejs9 := inventory.SecurityListing{Package: "nodejs", Source: "nodejs", List: "security-support-ended.deb9", Kind: inventory.ListingEnded,
		Version: "0.10.29~dfsg-2", Ends: "2020-02-20", Note: "https://lists.debian.org/debian-lts/2020/02/msg00045.html and https://bugs.debian.org/931376"}
	golang := inventory.SecurityListing{Package: "golang-1.19-go", Source: "golang-1.19", List: "security-support-limited", Kind: inventory.ListingLimited,
		Note: "See https://www.debian.org/releases/bookworm/amd64/release-notes/ch-information.en.html#golang-static-linking"}
	node := []inventory.Package{deb("nodejs", "4.8.2~dfsg-1")}
	golangPkgs := []inventory.Package{deb("golang-1.19-go", "1.19.8-2"), deb("golang-1.19-src", "1.19.8-2")}
	cases := []struct {
		name     string
		os       string
		rep      inventory.Report
		at       string
		ext      bool
		product  string
		status   Verdict
		reason   []string // fragments the reason must hold
		untilSet string   // want DistroUntil
	}{
		{name: "no list: the release's life", os: "debian:9", at: "2019-12-01",
			rep: inventory.Report{Packages: node}, product: "nodejs", status: VerdictDistroSupported, untilSet: "2020-07-18"},
		{name: "ended list: its day is the end", os: "debian:9", at: "2019-06-01",
			rep: inventory.Report{Packages: node, Listings: []inventory.SecurityListing{nodejs9}}, product: "nodejs", status: VerdictDistroSupported,
			untilSet: "2020-02-19", reason: []string{"ending security support on 2020-02-20"}},
		{name: "ended list: past its day", os: "debian:9", at: "2020-03-01",
			rep: inventory.Report{Packages: node, Listings: []inventory.SecurityListing{nodejs9}}, product: "nodejs", status: VerdictEOL,
			reason: []string{"no fixes from the vendor either since Debian 9 (for source package nodejs, by its debian-security-support list) ended on 2020-02-19", "ending security support on 2020-02-20",
				"(security-support-ended.deb9)", "debian-lts/2020/02/msg00045"}},
		{name: "ended list: its day within the window", os: "debian:9", at: "2019-12-01",
			rep: inventory.Report{Packages: node, Listings: []inventory.SecurityListing{nodejs9}}, product: "nodejs", status: VerdictEOLSoon,
			reason: []string{"stops patching it on 2020-02-19"}},
		{name: "ended list counts in LTS too", os: "debian:9", at: "2021-06-01", ext: true,
			rep: inventory.Report{Packages: node, Listings: []inventory.SecurityListing{nodejs9}}, product: "nodejs", status: VerdictEOL,
			reason: []string{"ended on 2020-02-19"}},
		{name: "ended list of another release is not this host's", os: "debian:10", at: "2019-12-01",
			rep: inventory.Report{Packages: node, Listings: []inventory.SecurityListing{nodejs9}}, product: "nodejs", status: VerdictDistroSupported},
		{name: "no list: Go 1.19 distro-supported", os: "debian:12", at: "2026-01-01",
			rep: inventory.Report{Packages: golangPkgs}, product: "go", status: VerdictDistroSupported, untilSet: "2026-07-11"},
		{name: "limited list: never distro-supported", os: "debian:12", at: "2026-01-01",
			rep: inventory.Report{Packages: golangPkgs, Listings: []inventory.SecurityListing{golang}}, product: "go", status: VerdictUnknown,
			reason: []string{"Debian limits security support for golang-1.19 on Debian 12", "golang-static-linking", "(security-support-limited)", "depends on how it is used"}},
		{name: "limited list: a worse verdict stands", os: "debian:12", at: "2026-12-01",
			rep: inventory.Report{Packages: golangPkgs, Listings: []inventory.SecurityListing{golang}}, product: "go", status: VerdictEOL,
			reason: []string{"Debian limits security support for golang-1.19"}},
		{name: "lists on Ubuntu are Debian's, not Ubuntu's", os: "ubuntu:22.04", at: "2026-01-01",
			rep: inventory.Report{Packages: []inventory.Package{{Manager: "dpkg", Name: "golang-1.18-go", Version: "1.18.1-1ubuntu1.2", Status: "ii", Component: "main"}},
				Listings: []inventory.SecurityListing{{Package: "golang-1.18-go", Source: "golang-1.18", List: "security-support-limited", Kind: inventory.ListingLimited}}},
			product: "go", status: VerdictDistroSupported},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hr := judgeHost(t, d, c.os, c.rep, c.at, c.ext)
			f, ok := findingOf(hr, c.product)
			if !ok {
				t.Fatalf("no %s finding in %+v", c.product, hr.Findings)
			}
			if f.Status != c.status {
				t.Errorf("status %s, want %s (%s)", f.Status, c.status, f.Reason)
			}
			for _, r := range c.reason {
				if !strings.Contains(f.Reason, r) {
					t.Errorf("reason %q does not say %q", f.Reason, r)
				}
			}
			if c.untilSet != "" && f.DistroUntil != c.untilSet {
				t.Errorf("distro until %q, want %q (%s)", f.DistroUntil, c.untilSet, f.Reason)
			}
		})
	}
}
