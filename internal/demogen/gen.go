package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"upkeep/internal/fixtures"
	"upkeep/inventory"
)

// collectedAt is when the demo scan "ran" on the i-th host. Fixed so that
// regenerating gives the same bytes; each host answers a few seconds after
// the one before, as results trickle in from a real fan-out.
func collectedAt(i int) time.Time {
	return time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC).Add(time.Duration(i*3) * time.Second)
}

// file is one generated collector output.
type file struct {
	Name string // prod-web-01.out
	Data []byte
}

// generate builds every host of specs from its base list and returns their
// collector outputs, in the order given.
func generate(specs []hostSpec) ([]file, error) {
	out := make([]file, 0, len(specs))
	seen := map[string]bool{}
	for i, s := range specs {
		if seen[s.name] {
			return nil, fmt.Errorf("demo host %s: listed twice", s.name)
		}
		seen[s.name] = true
		r, err := buildReport(s, i)
		if err != nil {
			return nil, fmt.Errorf("demo host %s: %w", s.name, err)
		}
		var b bytes.Buffer
		if err := inventory.Encode(&b, r); err != nil {
			return nil, fmt.Errorf("demo host %s: %w", s.name, err)
		}
		out = append(out, file{Name: s.name + ".out", Data: b.Bytes()})
	}
	return out, nil
}

// buildReport assembles one host's report; i is its position in the fleet.
func buildReport(s hostSpec, i int) (*inventory.Report, error) {
	base, err := fixtures.Packages(s.base)
	if err != nil {
		return nil, err
	}
	osr, err := readOSRelease(s.base)
	if err != nil {
		return nil, err
	}
	id := hostID(s.name)
	r := &inventory.Report{
		// The demo fleet stays in format 1, so every test run reads that
		// older format end to end, as saved outputs from older collectors are.
		Format: 1,
		Facts: inventory.Facts{
			Hostname:    hostname(s, i),
			Kernel:      s.kernel,
			Arch:        s.arch,
			Uptime:      uptime(s.name),
			CollectedAt: collectedAt(i),
			MachineID:   id.machine,
			OS:          osr,
		},
		Packages:  overlay(base, s.add),
		Probes:    s.probes,
		Listeners: s.listeners,
		Tags:      map[string]string{"Env": s.env, "Role": s.role, "Name": s.name, "InstanceId": id.instance},
	}
	for _, u := range s.services {
		r.Services = append(r.Services, inventory.Service{Unit: u, State: "running"})
	}
	return r, nil
}

// overlay returns base with add applied: an added package replaces a base
// package of the same name and arch (an update), otherwise it is installed
// alongside.
func overlay(base, add []inventory.Package) []inventory.Package {
	replaced := map[string]bool{}
	for _, p := range add {
		replaced[p.Name+"\x00"+p.Arch] = true
	}
	var out []inventory.Package
	for _, p := range base {
		if !replaced[p.Name+"\x00"+p.Arch] {
			out = append(out, p)
		}
	}
	return append(out, add...)
}

// ids are a host's stable, made-up identifiers, derived from its name so
// they never change between runs.
type ids struct {
	instance string // i- and 17 hex digits, like an EC2 instance id
	machine  string // 32 hex digits, like /etc/machine-id
}

func hostID(name string) ids {
	sum := sha256.Sum256([]byte("upkeep demo fleet/" + name))
	h := hex.EncodeToString(sum[:])
	return ids{instance: "i-0" + h[:16], machine: h[16:48]}
}

// uptime is between 3 and 400 days, derived from the name.
func uptime(name string) time.Duration {
	sum := sha256.Sum256([]byte("uptime/" + name))
	days := 3 + (int(sum[0])<<8|int(sum[1]))%398
	return time.Duration(days)*24*time.Hour + time.Duration(sum[2])*time.Minute
}

// hostname is the EC2 default: ip-<private address>, with the regional
// domain on Amazon Linux and RHEL-family images. Environments live in
// separate VPCs (prod 10.20, staging 10.30, dev 10.40) and roles in subnets.
func hostname(s hostSpec, i int) string {
	net := map[string]int{"prod": 20, "staging": 30, "dev": 40}[s.env]
	sub := map[string]int{"web": 1, "api": 2, "db": 3, "cache": 4}[s.role]
	h := fmt.Sprintf("ip-10-%d-%d-%d", net, sub, 10+i)
	switch s.base {
	case baseAL2, baseAL2023, baseRocky9:
		h += ".eu-west-1.compute.internal"
	}
	return h
}

// readOSRelease reads the fields upkeep keeps from the base's os-release.
func readOSRelease(base string) (inventory.OSRelease, error) {
	data, err := fixtures.OSRelease(base)
	if err != nil {
		return inventory.OSRelease{}, err
	}
	o := inventory.ParseOSRelease(data)
	if o.ID == "" || o.VersionID == "" {
		return o, fmt.Errorf("os-release of %s: no ID or VERSION_ID", base)
	}
	return o, nil
}
