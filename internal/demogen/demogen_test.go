package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"upkeep/inventory"
)

const testFleet = "../../inventory/demo/fleet"

// TestCommittedFleetIsGenerated fails when inventory/demo/fleet differs from
// what the generator makes now: the committed fleet cannot drift from its
// generator (or from the base lists). Fix with `go run ./internal/demogen`.
func TestCommittedFleetIsGenerated(t *testing.T) {
	files, err := generate(fleet())
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range files {
		want = append(want, f.Name)
		got, err := os.ReadFile(filepath.Join(testFleet, f.Name))
		if err != nil {
			t.Errorf("%s: %v (run: go run ./internal/demogen)", f.Name, err)
			continue
		}
		if !bytes.Equal(got, f.Data) {
			t.Errorf("%s: committed file differs from the generator's output (run: go run ./internal/demogen)", f.Name)
		}
	}
	committed, err := filepath.Glob(filepath.Join(testFleet, "*.out"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range committed {
		committed[i] = filepath.Base(committed[i])
	}
	slices.Sort(committed)
	slices.Sort(want)
	if !slices.Equal(committed, want) {
		t.Errorf("committed hosts %v, generator makes %v", committed, want)
	}
}

// TestGenerateIsDeterministic runs the generator twice in one process.
func TestGenerateIsDeterministic(t *testing.T) {
	a, err := generate(fleet())
	if err != nil {
		t.Fatal(err)
	}
	b, err := generate(fleet())
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Name != b[i].Name || !bytes.Equal(a[i].Data, b[i].Data) {
			t.Errorf("%s: two runs differ", a[i].Name)
		}
	}
}

// TestRunWritesAndPrunes: run writes every host and removes a stale output.
func TestRunWritesAndPrunes(t *testing.T) {
	dir := t.TempDir()
	stale := filepath.Join(dir, "gone-host-99.out")
	if err := os.WriteFile(stale, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale output kept: %v", err)
	}
	got, _ := filepath.Glob(filepath.Join(dir, "*.out"))
	if len(got) != len(fleet()) {
		t.Errorf("wrote %d files, fleet has %d hosts", len(got), len(fleet()))
	}
}

func TestGenerateRejects(t *testing.T) {
	good := al2Web("web-1", "prod", true)
	bad := good
	bad.base = "no-such-fixture"
	tests := []struct {
		name  string
		specs []hostSpec
	}{
		{"unknown base list", []hostSpec{bad}},
		{"duplicate host", []hostSpec{good, good}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := generate(tt.specs); err == nil {
				t.Fatal("generate succeeded")
			}
		})
	}
}

func TestOverlay(t *testing.T) {
	base := []inventory.Package{
		rpmPkg("openssl-libs", "1", "1.0.2k-16.amzn2.1.1", "x86_64", vendorAmazon),
		rpmPkg("bash", "", "4.2.46-30.amzn2", "x86_64", vendorAmazon),
	}
	tests := []struct {
		name string
		add  []inventory.Package
		want []string // name evr, in order
	}{
		{"nothing added", nil, []string{"openssl-libs 1:1.0.2k-16.amzn2.1.1", "bash 4.2.46-30.amzn2"}},
		{"update replaces same name and arch",
			[]inventory.Package{rpmPkg("openssl-libs", "1", "1.0.2k-24.amzn2.0.7", "x86_64", vendorAmazon)},
			[]string{"bash 4.2.46-30.amzn2", "openssl-libs 1:1.0.2k-24.amzn2.0.7"}},
		{"other arch installs alongside",
			[]inventory.Package{rpmPkg("openssl-libs", "1", "1.0.2k-16.amzn2.1.1", "i686", vendorAmazon)},
			[]string{"openssl-libs 1:1.0.2k-16.amzn2.1.1", "bash 4.2.46-30.amzn2", "openssl-libs 1:1.0.2k-16.amzn2.1.1"}},
		{"new package appended",
			[]inventory.Package{rpmPkg("redis", "", "6.2.13-1.amzn2", "x86_64", vendorAmazon)},
			[]string{"openssl-libs 1:1.0.2k-16.amzn2.1.1", "bash 4.2.46-30.amzn2", "redis 6.2.13-1.amzn2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range overlay(base, tt.add) {
				got = append(got, p.Name+" "+p.EVR())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSplitVR(t *testing.T) {
	tests := []struct{ in, v, r string }{
		{"7.4.33-1.amzn2", "7.4.33", "1.amzn2"},
		{"1.8.0.412.b08-1.amzn2.0.1", "1.8.0.412.b08", "1.amzn2.0.1"},
		{"7.4p1-22.amzn2.0.3", "7.4p1", "22.amzn2.0.3"},
		{"noversion", "noversion", ""},
	}
	for _, tt := range tests {
		if v, r := splitVR(tt.in); v != tt.v || r != tt.r {
			t.Errorf("splitVR(%q) = %q, %q; want %q, %q", tt.in, v, r, tt.v, tt.r)
		}
	}
}

func TestHostIDs(t *testing.T) {
	instance := regexp.MustCompile(`^i-0[0-9a-f]{16}$`)
	machine := regexp.MustCompile(`^[0-9a-f]{32}$`)
	seen := map[string]string{}
	for _, s := range fleet() {
		id := hostID(s.name)
		if !instance.MatchString(id.instance) || !machine.MatchString(id.machine) {
			t.Errorf("%s: ids %+v do not look like EC2 instance and machine ids", s.name, id)
		}
		if other, dup := seen[id.instance]; dup {
			t.Errorf("%s and %s share instance id %s", s.name, other, id.instance)
		}
		seen[id.instance] = s.name
	}
}
