package main

import (
	"strings"
	"testing"

	"upkeep/inventory"
)

func TestNouns(t *testing.T) {
	for _, c := range []struct {
		n    int
		noun string
		want string
	}{
		{0, "file", "0 files"},
		{1, "file", "1 file"},
		{2, "file", "2 files"},
		{1, "listening socket", "1 listening socket"},
		{40, "host", "40 hosts"},
	} {
		if got := nouns(c.n, c.noun); got != c.want {
			t.Errorf("nouns(%d, %q) = %q, want %q", c.n, c.noun, got, c.want)
		}
	}
}

// TestDescribeOneOfEach: a host with one package, one probe and one
// listening socket is described in the singular.
func TestDescribeOneOfEach(t *testing.T) {
	ob := inventory.Observation{Status: inventory.StatusOK, Report: &inventory.Report{
		Packages:  make([]inventory.Package, 1),
		Probes:    make([]inventory.Probe, 1),
		Listeners: make([]inventory.Listener, 1),
	}}
	if got, want := describe(ob), "ok, 1 package, 1 probe, 1 listening socket"; got != want {
		t.Errorf("describe = %q, want %q", got, want)
	}
	ob.Report.Packages = make([]inventory.Package, 2)
	if got := describeSSM(ob); !strings.HasPrefix(got, "ok, 2 packages, 1 probe,") {
		t.Errorf("describeSSM = %q", got)
	}
	ob.Status = inventory.StatusInventory
	ob.Report.Packages = make([]inventory.Package, 1)
	if got, want := describeSSM(ob), "inventory, 1 package"; got != want {
		t.Errorf("describeSSM = %q, want %q", got, want)
	}
}

func TestVerb(t *testing.T) {
	if got := nouns(1, "host") + " " + verb(1, "has", "have"); got != "1 host has" {
		t.Errorf("got %q", got)
	}
	if got := nouns(3, "host") + " " + verb(3, "has", "have"); got != "3 hosts have" {
		t.Errorf("got %q", got)
	}
}
