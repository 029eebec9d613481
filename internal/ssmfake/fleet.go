package ssmfake

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"

	"upkeep/internal/fixtures"
	"upkeep/inventory"
)

// FleetSpec describes a fleet of fixture instances with some broken ones.
// Broken instances are taken from the end of the fleet, in the order the
// fields are listed, so a spec always gives the same fleet.
type FleetSpec struct {
	Hosts         int      // instances in all, broken ones included
	Regions       []string // instances are dealt round-robin; default us-east-1
	Offline       int      // PingStatus ConnectionLost
	Undeliverable int      // online, but commands never reach the agent
	Hang          int      // the collector never finishes: execution times out
	Fail          int      // the collector exits non-zero
	Huge          int      // so many packages that even the compressed output passes 24,000 characters
	Windows       int      // PlatformType Windows
	Unmanaged     int      // not registered with SSM at all
	Inventory     bool     // SSM Inventory holds AWS:Application data for every Linux instance
}

// InstanceID is the id of the n-th instance of a fleet.
func InstanceID(n int) string { return fmt.Sprintf("i-%017x", n+1) }

// Fleet builds the instances of spec. Healthy instances cycle through the
// fixture hosts, so a fleet of 1,000 needs a dozen real collector runs.
func Fleet(spec FleetSpec) []Instance {
	regions := spec.Regions
	if len(regions) == 0 {
		regions = []string{"us-east-1"}
	}
	names := fixtures.Names()
	out := make([]Instance, spec.Hosts)
	for i := range out {
		name := names[i%len(names)]
		pname, pversion := platformOf(name)
		out[i] = Instance{
			ID:              InstanceID(i),
			Region:          regions[i%len(regions)],
			Host:            fixtures.Host{Fixture: name},
			PlatformName:    pname,
			PlatformVersion: pversion,
			ComputerName:    fmt.Sprintf("%s-%d", name, i+1),
			Tags:            map[string]string{"Env": []string{"prod", "staging", "dev"}[i%3], "upkeep": "enabled"},
			Inventory:       spec.Inventory,
		}
	}
	next := spec.Hosts - 1
	take := func(n int, f func(*Instance)) {
		for ; n > 0 && next >= 0; n-- {
			f(&out[next])
			next--
		}
	}
	take(spec.Offline, func(in *Instance) { in.Ping = "ConnectionLost" })
	take(spec.Undeliverable, func(in *Instance) { in.Fault = FaultUndeliverable })
	take(spec.Hang, func(in *Instance) { in.Fault = FaultHang })
	take(spec.Fail, func(in *Instance) { in.Fault = FaultFail })
	take(spec.Huge, func(in *Instance) {
		in.Host = HugeHost(in.ID)
		in.Variant = "huge-" + in.ID
		in.PlatformName, in.PlatformVersion = platformOf(in.Host.Fixture)
	})
	take(spec.Windows, func(in *Instance) {
		in.Platform, in.PlatformName, in.PlatformVersion = "Windows", "Microsoft Windows Server 2019 Datacenter", "10.0.17763"
		in.Host, in.Inventory = fixtures.Host{}, false
	})
	take(spec.Unmanaged, func(in *Instance) { in.Unmanaged = true })
	return out
}

// HugeHost is a fixture host carrying 3,000 extra packages with random
// names and versions: gzip cannot shrink them enough, so its collector
// output passes SSM's 24,000-character limit even compressed.
func HugeHost(seed string) fixtures.Host {
	var h uint64
	for _, c := range seed {
		h = h*131 + uint64(c)
	}
	rng := rand.New(rand.NewPCG(h, 7))
	host := fixtures.Host{Fixture: "debian-12-ci"}
	for i := range 3000 {
		host.Add = append(host.Add, inventory.Package{
			Name:    fmt.Sprintf("lib%08x-%d", rng.Uint32(), i),
			Version: fmt.Sprintf("%d.%d.%d-%x", rng.IntN(20), rng.IntN(100), rng.IntN(1000), rng.Uint32()),
			Arch:    "amd64", Status: "ii",
		})
	}
	return host
}

// platformOf is what SSM would report as PlatformName and PlatformVersion
// for a fixture: os-release NAME and VERSION_ID.
func platformOf(fixture string) (string, string) {
	b, err := fixtures.OSRelease(fixture)
	if err != nil {
		return "Linux", ""
	}
	var name, version string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			continue
		}
		v = strings.Trim(v, `"'`)
		switch k {
		case "NAME":
			name = v
		case "VERSION_ID":
			version = v
		}
	}
	return name, version
}
