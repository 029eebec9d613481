package registry

import (
	"slices"
	"strings"
	"testing"
)

// planReleases are the OS releases the planner moves hosts to, besides
// Amazon Linux 2023 (whose rows come from AWS's package lists and have
// tests of their own): each registry product needs a ships row for each,
// or the planner can only say "not known whether ... ships ...".
var planReleases = []string{"debian 12", "debian 13", "ubuntu 22.04", "ubuntu 24.04", "el 8", "el 9", "el 10"}

// knownGaps are the product × release pairs without a ships row because no
// source with provenance was found yet: the planner says "not known" for
// them. A pair leaves this list when a sourced row is added (a row "-"
// when the release ships none). Products that only their vendors ship
// (Grafana, MongoDB, the vendors' JDK builds) have rows on no distribution.
var knownGaps = map[string]string{
	"amazon-corretto":            "debian 12, debian 13, ubuntu 22.04, ubuntu 24.04, el 8, el 9, el 10",
	"azul-zulu":                  "debian 12, debian 13, ubuntu 22.04, ubuntu 24.04, el 8, el 9, el 10",
	"containerd":                 "debian 12, debian 13, ubuntu 22.04, ubuntu 24.04, el 8, el 9, el 10",
	"docker-engine":              "debian 12, debian 13, ubuntu 22.04, ubuntu 24.04, el 8, el 9, el 10",
	"dovecot":                    "el 8, el 9, el 10",
	"elasticsearch":              "debian 12, debian 13, ubuntu 22.04, ubuntu 24.04, el 8, el 9, el 10",
	"erlang":                     "ubuntu 22.04, ubuntu 24.04, el 8, el 9, el 10",
	"exim":                       "el 8, el 9, el 10",
	"go":                         "debian 12, debian 13, ubuntu 22.04, ubuntu 24.04, el 8, el 9, el 10",
	"grafana":                    "debian 12, debian 13, ubuntu 22.04, ubuntu 24.04, el 8, el 9, el 10",
	"haproxy":                    "el 8, el 9, el 10",
	"kubernetes":                 "debian 12, debian 13, ubuntu 22.04, ubuntu 24.04, el 8, el 9, el 10",
	"linux":                      "el 8, el 9, el 10",
	"memcached":                  "el 8, el 9, el 10",
	"microsoft-build-of-openjdk": "debian 12, debian 13, ubuntu 22.04, ubuntu 24.04, el 8, el 9, el 10",
	"mongodb":                    "debian 12, debian 13, ubuntu 22.04, ubuntu 24.04, el 8, el 9, el 10",
	"openjdk-builds-from-oracle": "debian 12, debian 13, ubuntu 22.04, ubuntu 24.04, el 8, el 9, el 10",
	"openssl":                    "el 8, el 10",
	"openvpn":                    "ubuntu 22.04, ubuntu 24.04, el 8, el 9, el 10",
	"oracle-jdk":                 "debian 12, debian 13, ubuntu 22.04, ubuntu 24.04, el 8, el 9, el 10",
	"podman":                     "debian 12, debian 13, ubuntu 22.04, ubuntu 24.04, el 8, el 9, el 10",
	"postfix":                    "el 8, el 9, el 10",
	"rabbitmq":                   "ubuntu 22.04, ubuntu 24.04, el 8, el 9, el 10",
	"redhat-build-of-openjdk":    "debian 12, debian 13, ubuntu 22.04, ubuntu 24.04, el 8, el 9, el 10",
	"squid":                      "el 9, el 10",
	"tomcat":                     "el 8, el 9",
	"valkey":                     "el 8",
	"vinyl-cache":                "ubuntu 22.04, ubuntu 24.04, el 8, el 9, el 10",
}

// TestShipsCoverage: every registry product has a ships row for every
// release the planner targets, or the pair is listed in knownGaps; a
// listed pair that has gained a row must leave the list, so the list
// stays the truth the docs quote.
func TestShipsCoverage(t *testing.T) {
	r := Default()
	has := map[string]bool{} // "product os os_cycle"
	for _, row := range r.Ships() {
		has[row.Product+" "+row.OS+" "+row.OSCycle] = true
	}
	for _, p := range r.Products {
		var gaps []string
		if g := knownGaps[p.Slug]; g != "" {
			gaps = strings.Split(g, ", ")
		}
		for _, g := range gaps {
			if !slices.Contains(planReleases, g) {
				t.Errorf("knownGaps[%s] names %q, not a release the planner targets", p.Slug, g)
			}
		}
		for _, rel := range planReleases {
			listed := slices.Contains(gaps, rel)
			switch row := has[p.Slug+" "+rel]; {
			case !row && !listed:
				t.Errorf("%s has no ships row for %s: add one with its source to %s (cycle \"-\" when the release ships none), or list the gap in knownGaps", p.Slug, rel, p.File())
			case row && listed:
				t.Errorf("%s has a ships row for %s now: remove the pair from knownGaps", p.Slug, rel)
			}
		}
	}
	for slug := range knownGaps {
		if _, ok := r.bySlug[slug]; !ok {
			t.Errorf("knownGaps names %q, which has no file in products/", slug)
		}
	}
}
