package history

import (
	"cmp"
	"fmt"
	"maps"
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

// Side is one scan to compare, reduced by NewSide to what diff reads, so
// that one scan's full reports and findings can be dropped before the other
// is loaded.
type Side struct {
	Scan   inventory.Scan
	Hosts  []HostState
	Judged bool // findings were compared
}

// HostState is what diff compares of one host.
type HostState struct {
	ID, Name  string
	Status    inventory.Status
	Scanned   bool
	Set       int64               // package set id, 0 when unknown
	Packages  []inventory.Package // shared with every host of the set; read-only
	Probes    []inventory.Probe
	Listeners []inventory.Listener
	Findings  map[string]FindingState // open findings by key (eol, unpatched, eol-soon; not waived)
}

// FindingState is an open finding as diff shows it.
type FindingState struct {
	Item   string
	Status string
}

// NewSide reduces a scan's observations and, when judged, their reports
// (nil: findings are not compared) to what Compare needs. reports may cover
// only some hosts (see Changed): the others are taken to have the same
// findings in both scans.
func NewSide(scan inventory.Scan, obs []inventory.Observation, reports []advisories.HostReport) Side {
	open := openFindings(reports)
	sd := Side{Scan: scan, Hosts: make([]HostState, len(obs)), Judged: reports != nil}
	for i := range obs {
		o := &obs[i]
		h := HostState{ID: o.Host.ID, Name: label(o.Host), Status: o.Status, Set: o.PackageSet, Findings: open[o.Host.ID]}
		if r := o.Report; r != nil {
			h.Scanned, h.Packages, h.Probes, h.Listeners = true, r.Packages, r.Probes, r.Listeners
		}
		sd.Hosts[i] = h
	}
	return sd
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
	before := make(map[string]*HostState, len(a.Hosts))
	for i := range a.Hosts {
		before[a.Hosts[i].ID] = &a.Hosts[i]
	}
	after := make(map[string]bool, len(b.Hosts))
	judged := a.Judged && b.Judged
	pairs := map[[2]int64][]Change{}
	add := func(c Change) { d.Changes = append(d.Changes, c) }
	for i := range b.Hosts {
		hb := &b.Hosts[i]
		after[hb.ID] = true
		ha := before[hb.ID]
		if ha == nil {
			add(Change{Host: hb.ID, HostName: hb.Name, Kind: HostAdded, Item: "host", To: string(hb.Status)})
			continue
		}
		if ha.Status != hb.Status {
			add(Change{Host: hb.ID, HostName: hb.Name, Kind: StatusChanged, Item: "status", From: string(ha.Status), To: string(hb.Status)})
		}
		if !ha.Scanned || !hb.Scanned {
			continue // nothing to compare on a host not scanned on one side
		}
		var cs []Change
		if ha.Set == 0 || ha.Set != hb.Set {
			key := [2]int64{ha.Set, hb.Set}
			var ok bool
			if cs, ok = pairs[key]; !ok || key[0] == 0 || key[1] == 0 {
				cs = comparePackages(ha.Packages, hb.Packages)
				if key[0] != 0 && key[1] != 0 {
					pairs[key] = cs
				}
			}
		}
		cs = append(slices.Clip(cs), compareProbes(ha.Probes, hb.Probes)...)
		cs = append(cs, comparePorts(ha.Listeners, hb.Listeners)...)
		if judged {
			cs = append(cs, compareFindings(ha.Findings, hb.Findings)...)
		}
		for _, c := range cs {
			c.Host, c.HostName = hb.ID, hb.Name
			add(c)
		}
	}
	for i := range a.Hosts {
		ha := &a.Hosts[i]
		if !after[ha.ID] {
			add(Change{Host: ha.ID, HostName: ha.Name, Kind: HostRemoved, Item: "host", From: string(ha.Status)})
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
// or eol-soon, not waived), by finding key. A host that was judged has a
// non-nil map, empty when nothing is open.
func openFindings(rs []advisories.HostReport) map[string]map[string]FindingState {
	out := map[string]map[string]FindingState{}
	for i := range rs {
		r := &rs[i]
		if !r.Status.Scanned() {
			continue
		}
		m := map[string]FindingState{}
		for j := range r.Findings {
			f := &r.Findings[j]
			if f.Waived || (f.Status != advisories.VerdictEOL && f.Status != advisories.VerdictUnpatched && f.Status != advisories.VerdictEOLSoon) {
				continue
			}
			m[f.Key] = FindingState{Item: findingItem(f), Status: string(f.Status)}
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

// compareFindings lists findings fixed, new and changed (eol-soon to eol,
// ...) on a host judged in both scans.
func compareFindings(a, b map[string]FindingState) []Change {
	if a == nil || b == nil {
		return nil
	}
	var out []Change
	for k, f := range a {
		g, ok := b[k]
		switch {
		case !ok:
			out = append(out, Change{Kind: FindingFixed, Item: f.Item, From: f.Status})
		case g.Status != f.Status:
			out = append(out, Change{Kind: FindingChanged, Item: f.Item, From: f.Status, To: g.Status})
		}
	}
	for k, g := range b {
		if _, ok := a[k]; !ok {
			out = append(out, Change{Kind: FindingNew, Item: g.Item, To: g.Status})
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

// SameInputs reports whether a host's two observations give the judge the
// same input (package set, OS and kernel, probes, services, listeners,
// tags, support statements): the same data and flags then give the same
// findings, so diff judges only the hosts for which it is false.
func SameInputs(a, b *inventory.Observation) bool {
	ra, rb := a.Report, b.Report
	if ra == nil || rb == nil || a.PackageSet == 0 || a.PackageSet != b.PackageSet || a.Status != b.Status || a.Host.Name != b.Host.Name {
		return false
	}
	fa, fb := ra.Facts, rb.Facts
	return fa.OS == fb.OS && fa.Kernel == fb.Kernel && fa.Arch == fb.Arch && fa.Hostname == fb.Hostname &&
		slices.Equal(ra.Probes, rb.Probes) && slices.Equal(ra.Services, rb.Services) && slices.Equal(ra.Listeners, rb.Listeners) &&
		slices.Equal(ra.Support, rb.Support) && maps.Equal(ra.Tags, rb.Tags) && maps.Equal(a.Host.Tags, b.Host.Tags)
}

// Changed returns the observations of a and of b whose hosts are in both
// scans with different judge inputs (SameInputs false), to be judged.
func Changed(a, b []inventory.Observation) (ca, cb []inventory.Observation) {
	byID := make(map[string]*inventory.Observation, len(a))
	for i := range a {
		byID[a[i].Host.ID] = &a[i]
	}
	for i := range b {
		if oa := byID[b[i].Host.ID]; oa != nil && !SameInputs(oa, &b[i]) {
			ca, cb = append(ca, *oa), append(cb, b[i])
		}
	}
	return ca, cb
}
