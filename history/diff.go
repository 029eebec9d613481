package history

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"upkeep/advisories"
	"upkeep/advisories/version"
	"upkeep/inventory"
)

// Kind is what changed.
type Kind string

// Kinds of change, in the order a host's changes are listed.
const (
	HostAdded      Kind = "host-added"
	HostRemoved    Kind = "host-removed"
	StatusChanged  Kind = "status"
	Upgraded       Kind = "upgraded"
	Downgraded     Kind = "downgraded"
	Rebuilt        Kind = "changed" // another build the package's own order ranks equal (a vendor or arch change)
	Added          Kind = "added"
	Removed        Kind = "removed"
	ProbeChanged   Kind = "probe"
	PortOpened     Kind = "port-opened"
	PortClosed     Kind = "port-closed"
	FindingFixed   Kind = "finding-fixed"
	FindingNew     Kind = "finding-new"
	FindingChanged Kind = "finding-changed"
)

// Kinds lists every kind in listing order.
var Kinds = []Kind{HostAdded, HostRemoved, StatusChanged, Upgraded, Downgraded, Rebuilt, Added, Removed,
	ProbeChanged, PortOpened, PortClosed, FindingFixed, FindingNew, FindingChanged}

func kindRank(k Kind) int { return slices.Index(Kinds, k) }

// Change is one difference between two scans on one host. From or To is ""
// when the thing is absent on that side.
type Change struct {
	Host     string `json:"host"`      // host id
	HostName string `json:"host_name"` // name, else the id
	Kind     Kind   `json:"change"`
	Item     string `json:"item"` // package (name.arch), probe path, port, finding (product cycle), or "status"
	From     string `json:"from"`
	To       string `json:"to"`
}

// Side is one scan to compare: its hosts and, to compare findings, their
// judged reports (nil leaves findings out).
type Side struct {
	Scan    inventory.Scan
	Obs     []inventory.Observation
	Reports []advisories.HostReport
}

// Diff is what changed from scan From to scan To.
type Diff struct {
	From, To inventory.Scan
	Changes  []Change     // by host label, then kind, then item
	Counts   map[Kind]int // changes per kind
	Hosts    int          // hosts with at least one change
}

// Compare diffs two scans. Hosts are matched by id. Package lists are
// compared once per pair of package sets, not once per host: a fleet that
// moved from one image to the next costs one comparison.
func Compare(a, b Side) *Diff {
	d := &Diff{From: a.Scan, To: b.Scan, Counts: map[Kind]int{}}
	before := map[string]*inventory.Observation{}
	for i := range a.Obs {
		before[a.Obs[i].Host.ID] = &a.Obs[i]
	}
	after := map[string]bool{}
	oldF, newF := openFindings(a.Reports), openFindings(b.Reports)
	pairs := map[[2]int64][]Change{}
	add := func(c Change) { d.Changes = append(d.Changes, c) }
	for i := range b.Obs {
		ob := &b.Obs[i]
		after[ob.Host.ID] = true
		label := label(ob.Host)
		oa := before[ob.Host.ID]
		if oa == nil {
			add(Change{Host: ob.Host.ID, HostName: label, Kind: HostAdded, Item: "host", To: string(ob.Status)})
			continue
		}
		if oa.Status != ob.Status {
			add(Change{Host: ob.Host.ID, HostName: label, Kind: StatusChanged, Item: "status", From: string(oa.Status), To: string(ob.Status)})
		}
		ra, rb := oa.Report, ob.Report
		if ra == nil || rb == nil {
			continue // nothing to compare on a host not scanned on one side
		}
		if oa.PackageSet == 0 || oa.PackageSet != ob.PackageSet {
			key := [2]int64{oa.PackageSet, ob.PackageSet}
			cs, ok := pairs[key]
			if !ok || key[0] == 0 || key[1] == 0 {
				cs = comparePackages(ra.Packages, rb.Packages)
				if key[0] != 0 && key[1] != 0 {
					pairs[key] = cs
				}
			}
			for _, c := range cs {
				c.Host, c.HostName = ob.Host.ID, label
				add(c)
			}
		}
		for _, c := range compareProbes(ra.Probes, rb.Probes) {
			c.Host, c.HostName = ob.Host.ID, label
			add(c)
		}
		for _, c := range comparePorts(ra.Listeners, rb.Listeners) {
			c.Host, c.HostName = ob.Host.ID, label
			add(c)
		}
		if a.Reports != nil && b.Reports != nil {
			for _, c := range compareFindings(oldF[ob.Host.ID], newF[ob.Host.ID]) {
				c.Host, c.HostName = ob.Host.ID, label
				add(c)
			}
		}
	}
	for i := range a.Obs {
		oa := &a.Obs[i]
		if !after[oa.Host.ID] {
			add(Change{Host: oa.Host.ID, HostName: label(oa.Host), Kind: HostRemoved, Item: "host", From: string(oa.Status)})
		}
	}
	slices.SortFunc(d.Changes, func(x, y Change) int {
		return cmp.Or(cmp.Compare(x.HostName, y.HostName), cmp.Compare(x.Host, y.Host), cmp.Compare(kindRank(x.Kind), kindRank(y.Kind)),
			compareItems(x.Item, y.Item), cmp.Compare(x.From, y.From), cmp.Compare(x.To, y.To))
	})
	last := ""
	for _, c := range d.Changes {
		d.Counts[c.Kind]++
		if c.Host != last {
			d.Hosts++
			last = c.Host
		}
	}
	return d
}

// compareItems orders ports numerically and everything else as text.
func compareItems(a, b string) int {
	na, ea := strconv.Atoi(strings.SplitN(a, "/", 2)[0])
	nb, eb := strconv.Atoi(strings.SplitN(b, "/", 2)[0])
	if ea == nil && eb == nil && na != nb {
		return cmp.Compare(na, nb)
	}
	return cmp.Compare(a, b)
}

func label(h inventory.Host) string {
	if h.Name != "" {
		return h.Name
	}
	return h.ID
}

// pkgKey names a package across scans: its manager, name and arch.
type pkgKey struct{ manager, name, arch string }

func (k pkgKey) item() string {
	if k.arch == "" {
		return k.name
	}
	return k.name + "." + k.arch
}

func scheme(manager string) version.Scheme {
	if manager == "dpkg" {
		return version.Deb
	}
	return version.RPM
}

// versions maps each installed package to its versions (several for an
// installonly package such as the kernel), sorted by the package's order.
func versions(pkgs []inventory.Package) map[pkgKey][]string {
	out := map[pkgKey][]string{}
	for _, p := range pkgs {
		if !p.Installed() {
			continue
		}
		k := pkgKey{p.Manager, p.Name, p.Arch}
		if evr := p.EVR(); !slices.Contains(out[k], evr) {
			out[k] = append(out[k], evr)
		}
	}
	for k, vs := range out {
		s := scheme(k.manager)
		slices.SortFunc(vs, func(a, b string) int { return cmp.Or(version.Compare(s, a, b), cmp.Compare(a, b)) })
	}
	return out
}

// comparePackages lists the package changes from list a to list b, with
// no host: upgraded or downgraded by the package manager's own order when
// one version replaced another, added and removed otherwise (an installonly
// package gaining a version is an addition).
func comparePackages(a, b []inventory.Package) []Change {
	va, vb := versions(a), versions(b)
	var out []Change
	for k, olds := range va {
		news, ok := vb[k]
		if !ok {
			for _, v := range olds {
				out = append(out, Change{Kind: Removed, Item: k.item(), From: v})
			}
			continue
		}
		if len(olds) == 1 && len(news) == 1 {
			if olds[0] == news[0] {
				continue
			}
			kind := Rebuilt
			switch c := version.Compare(scheme(k.manager), olds[0], news[0]); {
			case c < 0:
				kind = Upgraded
			case c > 0:
				kind = Downgraded
			}
			out = append(out, Change{Kind: kind, Item: k.item(), From: olds[0], To: news[0]})
			continue
		}
		for _, v := range olds {
			if !slices.Contains(news, v) {
				out = append(out, Change{Kind: Removed, Item: k.item(), From: v})
			}
		}
		for _, v := range news {
			if !slices.Contains(olds, v) {
				out = append(out, Change{Kind: Added, Item: k.item(), To: v})
			}
		}
	}
	for k, news := range vb {
		if _, ok := va[k]; !ok {
			for _, v := range news {
				out = append(out, Change{Kind: Added, Item: k.item(), To: v})
			}
		}
	}
	return out
}

// compareProbes lists probed binaries (by path) found, gone or changed.
func compareProbes(a, b []inventory.Probe) []Change {
	key := func(p inventory.Probe) string { return p.Name + " " + p.Path }
	va := map[string]string{}
	for _, p := range a {
		va[key(p)] = dash(p.Version)
	}
	vb := map[string]string{}
	for _, p := range b {
		vb[key(p)] = dash(p.Version)
	}
	var out []Change
	for k, v := range va {
		if w, ok := vb[k]; !ok {
			out = append(out, Change{Kind: ProbeChanged, Item: k, From: v})
		} else if w != v {
			out = append(out, Change{Kind: ProbeChanged, Item: k, From: v, To: w})
		}
	}
	for k, w := range vb {
		if _, ok := va[k]; !ok {
			out = append(out, Change{Kind: ProbeChanged, Item: k, To: w})
		}
	}
	return out
}

// dash stands for a probe that printed no version token.
func dash(v string) string {
	if v == "" {
		return "?"
	}
	return v
}

// comparePorts lists listening TCP ports opened and closed, with the
// process that listens.
func comparePorts(a, b []inventory.Listener) []Change {
	ports := func(ls []inventory.Listener) map[int]string {
		m := map[int]string{}
		for _, l := range ls {
			if _, ok := m[l.Port]; !ok || m[l.Port] == "" {
				m[l.Port] = l.Process
			}
		}
		return m
	}
	pa, pb := ports(a), ports(b)
	var out []Change
	for p, proc := range pb {
		if _, ok := pa[p]; !ok {
			out = append(out, Change{Kind: PortOpened, Item: fmt.Sprintf("%d/tcp", p), To: proc})
		}
	}
	for p, proc := range pa {
		if _, ok := pb[p]; !ok {
			out = append(out, Change{Kind: PortClosed, Item: fmt.Sprintf("%d/tcp", p), From: proc})
		}
	}
	return out
}

// openFindings are each host's findings that need action (eol, unpatched
// or eol-soon, not waived), by finding key.
func openFindings(rs []advisories.HostReport) map[string]map[string]*advisories.Finding {
	out := map[string]map[string]*advisories.Finding{}
	for i := range rs {
		r := &rs[i]
		if !r.Status.Scanned() {
			continue
		}
		m := map[string]*advisories.Finding{}
		for j := range r.Findings {
			f := &r.Findings[j]
			if f.Waived || (f.Status != advisories.VerdictEOL && f.Status != advisories.VerdictUnpatched && f.Status != advisories.VerdictEOLSoon) {
				continue
			}
			m[f.Key] = f
		}
		out[r.Host.ID] = m
	}
	return out
}

func findingItem(f *advisories.Finding) string {
	s := strings.TrimSpace(f.ProductLabel + " " + f.Cycle)
	if s == "" {
		s = f.Key
	}
	if f.Kind == advisories.KindProbe {
		s += " (" + f.Package + ")"
	}
	return s
}

// compareFindings lists findings fixed, new and changed (eol-soon to eol, ...)
// on a host scanned in both scans.
func compareFindings(a, b map[string]*advisories.Finding) []Change {
	if a == nil || b == nil {
		return nil
	}
	var out []Change
	for k, f := range a {
		g, ok := b[k]
		switch {
		case !ok:
			out = append(out, Change{Kind: FindingFixed, Item: findingItem(f), From: string(f.Status)})
		case g.Status != f.Status:
			out = append(out, Change{Kind: FindingChanged, Item: findingItem(f), From: string(f.Status), To: string(g.Status)})
		}
	}
	for k, g := range b {
		if _, ok := a[k]; !ok {
			out = append(out, Change{Kind: FindingNew, Item: findingItem(g), To: string(g.Status)})
		}
	}
	return out
}

// Summary is one line of counts: "3 hosts changed: 12 upgraded, 1 host removed".
func (d *Diff) Summary() string {
	var parts []string
	for _, k := range Kinds {
		if n := d.Counts[k]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, k))
		}
	}
	if len(parts) == 0 {
		return fmt.Sprintf("scan %d to scan %d: no change", d.From.ID, d.To.ID)
	}
	return fmt.Sprintf("scan %d to scan %d: %d %s changed: %s", d.From.ID, d.To.ID, d.Hosts, plural(d.Hosts, "host"), strings.Join(parts, ", "))
}

func plural(n int, s string) string {
	if n == 1 {
		return s
	}
	return s + "s"
}
