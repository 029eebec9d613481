package advisories

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"upkeep/inventory"
)

// Profile is the judgement every host with the same OS, kernel, package set,
// probes and running services shares. Its findings carry no host (Host,
// HostName and Key are empty, nothing is waived) and are never modified
// once made: a fleet of a hundred thousand hosts baked from a few images
// holds a few thousand profiles, not a hundred thousand copies, and
// profiles share equal findings too (a drifted host differs from its image
// in a package or two, not in its nginx finding).
type Profile struct {
	OS        inventory.OSRelease
	OSProduct string     // endoflife.date slug of the OS, "" when unknown
	OSCycle   string     //
	Findings  []*Finding // what a host without waivers shares, in report order
	Moves     []Move     // AL2 packages the AL2 -> AL2023 table moves (see HostReport)

	ready *readyBase // readiness before any host's waivers
}

// Judged is one host's judgement in the form a whole scan is kept in:
// Findings point into shared profiles (a waived finding at a shared waived
// copy), so a host costs its identity and a slice of pointers. Finding and
// Report add the host's identity back when a writer needs it.
type Judged struct {
	Host     inventory.Host
	Status   inventory.Status
	Error    string
	Profile  *Profile   // nil when the host has no package data (not scanned)
	Findings []*Finding // read-only, shared; in the order a host report lists them

	// Readiness is the host's AL2023 readiness, waivers applied; "" when
	// not scanned.
	Readiness   Readiness
	readyWaived map[int]string // readiness entries a waiver accepts: entry index -> waiver
}

// Scanned reports whether the host has package data and so findings.
func (h *Judged) Scanned() bool { return h.Profile != nil }

// Label is the host's name, or its id when it has none: what reports sort by.
func (h *Judged) Label() string { return hostLabel(h.Host) }

// Finding returns finding i with the host's identity and key filled in.
func (h *Judged) Finding(i int) Finding {
	f := *h.Findings[i]
	f.Host, f.HostName, f.Account = h.Host.ID, hostLabel(h.Host), h.Host.Account
	f.Key = findingKey(&f)
	return f
}

// Report returns the host's full report, every finding its own copy.
func (h *Judged) Report() HostReport {
	hr := HostReport{Host: h.Host, Status: h.Status, Error: h.Error}
	if h.Profile == nil {
		return hr
	}
	hr.OS, hr.OSProduct, hr.OSCycle = h.Profile.OS, h.Profile.OSProduct, h.Profile.OSCycle
	hr.Moves = slices.Clone(h.Profile.Moves)
	hr.Findings = make([]Finding, len(h.Findings))
	for i := range h.Findings {
		hr.Findings[i] = h.Finding(i)
		hr.Findings[i].Packages = slices.Clone(hr.Findings[i].Packages)
	}
	return hr
}

// JudgedOf turns one host's full report back into the shared form, for
// callers (and tests) that hold reports: nothing is shared with other hosts.
func (d *Data) JudgedOf(hr HostReport, opt Options) Judged {
	h := Judged{Host: hr.Host, Status: hr.Status, Error: hr.Error}
	if !hr.Status.Scanned() {
		return h
	}
	p := &Profile{OS: hr.OS, OSProduct: hr.OSProduct, OSCycle: hr.OSCycle, Findings: make([]*Finding, len(hr.Findings)), Moves: hr.Moves}
	for i, f := range hr.Findings {
		p.Findings[i] = &f
	}
	p.ready = d.readyBase(p.OS, p.OSProduct, p.OSCycle, p.Findings, p.Moves)
	h.Profile, h.Findings = p, p.Findings
	h.Readiness, h.readyWaived = p.ready.forHost(hr.Host, opt)
	return h
}

// CompareJudged orders hosts as every report lists them: by name, then id.
func CompareJudged(a, b *Judged) int {
	if c := strings.Compare(a.Label(), b.Label()); c != 0 {
		return c
	}
	return strings.Compare(a.Host.ID, b.Host.ID)
}

// Judger judges a scan one host at a time, keeping what hosts share: package
// mapping per package, findings per package set, and whole judgements per
// profile. Memory grows with the distinct profiles, not with the hosts.
type Judger struct {
	j        *judge
	profiles map[string]*Profile
	findings map[string]*Finding   // every distinct finding of any profile
	ready    map[string]*readyBase // every distinct readiness base
	waived   map[waivedKey]*Finding
}

type waivedKey struct {
	f                    *Finding
	waiver, reasonSuffix string
}

// NewJudger returns a judger for one evaluation.
func (d *Data) NewJudger(opt Options) *Judger {
	return &Judger{j: d.newJudge(opt), profiles: map[string]*Profile{}, findings: map[string]*Finding{},
		ready: map[string]*readyBase{}, waived: map[waivedKey]*Finding{}}
}

// Profiles is how many distinct profiles the judger has made.
func (jr *Judger) Profiles() int { return len(jr.profiles) }

// PackageLoader reads the package list of a stored package set, for hosts
// whose observation carries the set's id but not its packages.
type PackageLoader func(set int64) ([]inventory.Package, error)

// Host judges one observed host. When the observation names a package set
// but carries no packages, load reads them, once per new profile; the
// packages are not kept. o is not modified.
func (jr *Judger) Host(o *inventory.Observation, load PackageLoader) (Judged, error) {
	h := Judged{Host: o.Host, Status: o.Status, Error: o.Error}
	if o.Report == nil || !o.Status.Scanned() {
		return h, nil
	}
	rep := o.Report
	key := ""
	if o.PackageSet != 0 && !jr.j.opt.PerPackage {
		key = profileKey(o)
	}
	p := jr.profiles[key]
	if p == nil || key == "" {
		if rep.Packages == nil && o.PackageSet != 0 && load != nil {
			pkgs, err := load(o.PackageSet)
			if err != nil {
				return h, fmt.Errorf("judge host %s: %w", o.Host.ID, err)
			}
			r := *rep
			r.Packages = pkgs
			rep = &r
		}
		p = jr.share(jr.j.profile(rep))
		if key != "" {
			jr.profiles[key] = p
		}
	}
	h.Profile = p
	h.Findings = jr.waive(p, o.Host)
	h.Readiness, h.readyWaived = p.ready.forHost(o.Host, jr.j.opt)
	return h, nil
}

// share swaps a new profile's findings and readiness for equal ones other
// profiles already hold.
func (jr *Judger) share(p *Profile) *Profile {
	var rk strings.Builder
	for _, s := range []string{p.OS.ID, p.OS.VersionID, p.OSProduct, p.OSCycle} {
		rk.WriteString(s)
		rk.WriteByte(0)
	}
	for i, f := range p.Findings {
		k := identity(f)
		c, ok := jr.findings[k]
		if !ok {
			c = new(Finding) // its own allocation: the profile's array can go
			*c = *f
			jr.findings[k] = c
		}
		p.Findings[i] = c
		fmt.Fprintf(&rk, "%p,", c)
	}
	fmt.Fprintf(&rk, "%#v", p.Moves) // every field, quoted
	rb, ok := jr.ready[rk.String()]
	if !ok {
		rb = jr.j.d.readyBase(p.OS, p.OSProduct, p.OSCycle, p.Findings, p.Moves)
		jr.ready[rk.String()] = rb
	}
	p.ready = rb
	return p
}

// identity is every field of a finding as one string: equal strings, equal
// findings. Each value is prefixed with its length, so no value a host
// reports can pass for two. TestIdentityCoversEveryField fails when a field
// is added to Finding and not here.
func identity(f *Finding) string {
	var b []byte
	str := func(s string) {
		b = strconv.AppendInt(b, int64(len(s)), 10)
		b = append(b, ':')
		b = append(b, s...)
	}
	for _, s := range []string{f.Host, f.HostName, f.Account, string(f.Kind), f.Package, f.Version, f.Product, f.ProductLabel,
		f.UpstreamVersion, f.Cycle, string(f.Status), f.Phase, f.EOLDate, f.DistroUntil, f.VendorUntil, f.Source,
		string(f.AL2023), f.AL2023Package, f.AL2023Why, f.Reason, f.WaiverReason, f.Key, f.Role} {
		str(s)
	}
	// A nil and an empty list differ, as they do to DeepEqual.
	b = strconv.AppendBool(b, f.Packages == nil)
	b = strconv.AppendInt(b, int64(len(f.Packages)), 10)
	for _, s := range f.Packages {
		str(s)
	}
	b = strconv.AppendBool(b, f.Ports == nil)
	b = strconv.AppendInt(b, int64(len(f.Ports)), 10)
	for _, p := range f.Ports {
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(p), 10)
	}
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(f.Days), 10)
	b = strconv.AppendBool(b, f.Running)
	b = strconv.AppendBool(b, f.Waived)
	return string(b)
}

// waive applies the waivers to one host's findings. A host no waiver
// touches shares the profile's pointers; a waived finding is a copy shared
// by every host the same waiver accepts it on.
func (jr *Judger) waive(p *Profile, host inventory.Host) []*Finding {
	if len(jr.j.opt.Waivers) == 0 {
		return p.Findings
	}
	var out []*Finding
	for i, base := range p.Findings {
		f := *base
		f.Host, f.HostName, f.Account = host.ID, hostLabel(host), host.Account
		f.Key = findingKey(&f)
		applyWaivers(&f, jr.j.opt, host)
		if !f.Waived && f.Reason == base.Reason {
			continue
		}
		if out == nil {
			out = slices.Clone(p.Findings)
		}
		k := waivedKey{base, f.WaiverReason, strings.TrimPrefix(f.Reason, base.Reason)}
		c, ok := jr.waived[k]
		if !ok {
			f.Host, f.HostName, f.Account, f.Key = "", "", "", ""
			c = &f
			jr.waived[k] = c
		}
		out[i] = c
	}
	if out == nil {
		return p.Findings
	}
	return out
}

// profileKey is everything of a host's report a profile may depend on, as
// one string: hosts with equal keys get equal findings. Only what names
// the host itself (hostname, machine id, when it was collected, uptime,
// tags, warnings) is left out, and the packages, which the package set's
// id stands for. TestProfileKeyCoversReport fails when a field is added
// to the report and not here. Values are length-prefixed: hosts are
// untrusted, and one that could make its key equal another's would hand
// that host its own findings.
func profileKey(o *inventory.Observation) string {
	var b []byte
	str := func(ss ...string) {
		for _, s := range ss {
			b = strconv.AppendInt(b, int64(len(s)), 10)
			b = append(b, ':')
			b = append(b, s...)
		}
	}
	num := func(n int) {
		b = strconv.AppendInt(b, int64(n), 10)
		b = append(b, ',')
	}
	r := o.Report
	b = strconv.AppendInt(b, o.PackageSet, 10)
	b = append(b, ',')
	num(r.Format)
	os := r.Facts.OS
	str(os.ID, os.VersionID, os.Name, os.PrettyName, os.IDLike, r.Facts.Kernel, r.Facts.Arch)
	num(len(r.Probes))
	for _, p := range r.Probes {
		str(p.Name, p.Path, p.Owner, p.Output, p.Version)
	}
	num(len(r.Services))
	for _, s := range r.Services {
		str(s.Unit, s.State)
	}
	num(len(r.Listeners))
	for _, l := range r.Listeners {
		str(l.Proto, l.Addr, l.Process, l.Exe, l.Owner)
		num(l.Port)
	}
	num(len(r.Support))
	for _, s := range r.Support {
		str(s.Package, s.Level, s.Ends, s.Source)
	}
	num(len(r.Listings))
	for _, l := range r.Listings {
		str(l.Package, l.Source, l.List, l.Kind, l.Version, l.Ends, l.Note)
	}
	return string(b)
}
