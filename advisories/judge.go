package advisories

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"upkeep/advisories/version"
	"upkeep/inventory"
	"upkeep/registry"
)

// sourceOS marks the OS finding itself: no distro support applies to it.
const sourceOS = "os"

// Options say how to judge. At is the evaluation day (the caller reads the
// clock, never this package); Within is the eol-soon window in days.
type Options struct {
	At              time.Time
	Within          int
	ExtendedSupport bool     // count Debian LTS, Ubuntu ESM, RHEL ELS and other eoes phases as support
	Waivers         []Waiver // accepted findings
	PerPackage      bool     // one finding per package, unmapped ones included (check --packages)
}

// HostReport is every finding on one host.
type HostReport struct {
	Host      inventory.Host
	OS        inventory.OSRelease
	OSProduct string // endoflife.date slug of the OS, "" when unknown
	OSCycle   string
	Status    inventory.Status // the scan status; hosts not scanned have no findings
	Error     string
	Findings  []Finding
	// Moves are the host's Amazon Linux 2 packages that the AL2 → AL2023
	// table knows as replaced or removed and no finding covers (ntp,
	// awscli, epel-release); empty on other OS releases.
	Moves []Move
}

// Judge judges every observed host at opt.At, sorted by host name. Hosts
// with the same package set (and OS) share the work: package mapping is
// cached per package and per set, so a fleet baked from a few images costs
// a few hosts. A whole scan is better judged host by host with a Judger,
// which keeps each host's findings shared instead of copied.
func (d *Data) Judge(obs []inventory.Observation, opt Options) []HostReport {
	j := d.NewJudger(opt)
	out := make([]HostReport, 0, len(obs))
	for i := range obs {
		h, _ := j.Host(&obs[i], nil) // packages are in the observations: nothing to read, nothing fails
		out = append(out, h.Report())
	}
	slices.SortFunc(out, func(a, b HostReport) int {
		return cmp.Or(cmp.Compare(hostLabel(a.Host), hostLabel(b.Host)), cmp.Compare(a.Host.ID, b.Host.ID))
	})
	return out
}

func hostLabel(h inventory.Host) string {
	if h.Name != "" {
		return h.Name
	}
	return h.ID
}

type pkgKey struct {
	manager, name, evr string
}

type pkgResult struct {
	m  match
	ok bool
}

type judge struct {
	d        *Data
	opt      Options
	pkgs     map[pkgKey]pkgResult
	verdicts map[verdictKey]verdict
}

func (d *Data) newJudge(opt Options) *judge {
	return &judge{d: d, opt: opt, pkgs: map[pkgKey]pkgResult{}, verdicts: map[verdictKey]verdict{}}
}

type verdictKey struct {
	product, upstream, source, vendor string
}

// verdict memoizes judgeCycle: the running kernel and probed binaries repeat
// across a fleet.
func (j *judge) verdict(product, upstream, source string, vl vendorLife) verdict {
	k := verdictKey{product, upstream, source, vl.key()}
	if v, ok := j.verdicts[k]; ok {
		return v
	}
	v := j.d.judgeCycle(product, upstream, source, vl, j.opt)
	j.verdicts[k] = v
	return v
}

// profile judges what a host's findings depend on: its OS, kernel, packages,
// probes, services, listeners and support statements, but not its
// identity. The findings carry no host, key or waiver; they are sorted as
// a host report lists them. Hosts share the work through the Judger's
// profiles and the per-package and per-verdict caches, not per package
// set: a set seen again with another kernel costs a pass over its
// packages, all of them cached.
func (j *judge) profile(rep *inventory.Report) *Profile {
	p := &Profile{OS: rep.Facts.OS}
	p.OSProduct, p.OSCycle = OSCycle(p.OS)
	sup := j.d.osSupportAt(p.OSProduct, p.OSCycle, j.opt)
	if isAL2(p.OS) {
		p.Moves = j.d.al2Moves(rep.Packages)
	}
	env := newHostEnv(rep, p.OS, sup)

	var fs []Finding
	fs = append(fs, j.osFinding(HostReport{OS: p.OS, OSProduct: p.OSProduct, OSCycle: p.OSCycle}))
	kernel, hasKernel := j.kernelFinding(rep, env)
	pkgFs := j.packageFindings(env, rep.Packages)
	if hasKernel {
		// The running kernel decides; installed kernel packages are listed with it.
		kept := pkgFs[:0]
		for _, f := range pkgFs {
			if f.Product == "linux" && !j.opt.PerPackage {
				kernel.Packages = mergeNames(kernel.Packages, f.Packages)
				continue
			}
			kept = append(kept, f)
		}
		pkgFs = kept
		fs = append(fs, kernel)
	}
	fs = append(fs, pkgFs...)
	fs = append(fs, j.probeFindings(rep, env)...)

	onAL2023 := isAL2023(p.OS)
	running := j.runningProducts(rep)
	for i := range fs {
		f := &fs[i]
		if r, ok := running[f.Product]; ok && f.Product != "" && f.Kind != KindOS && registry.Serving(f.Role) {
			f.Running = true
			f.Ports = r
		}
		if !onAL2023 && f.Product != "" && f.Kind != KindOS && f.Kind != KindPackage {
			j.d.availability(f, p.OS, j.opt) // packages got theirs with their set
		}
	}
	slices.SortFunc(fs, compareFindings)
	p.Findings = make([]*Finding, len(fs))
	for i := range fs {
		p.Findings[i] = &fs[i]
	}
	return p
}

func mergeNames(a, b []string) []string {
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

var kindOrder = map[Kind]int{KindOS: 0, KindKernel: 1, KindPackage: 2, KindProbe: 3}

func compareFindings(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(kindOrder[a.Kind], kindOrder[b.Kind]),
		cmp.Compare(boolInt(a.Product == ""), boolInt(b.Product == "")),
		cmp.Compare(a.Product, b.Product),
		cmp.Compare(a.Cycle, b.Cycle),
		cmp.Compare(a.Package, b.Package),
		cmp.Compare(a.Version, b.Version),
	)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func findingKey(f *Finding) string {
	k := f.Host + "/" + string(f.Kind) + "/" + f.Product + "/" + f.Cycle
	if f.Kind == KindProbe || f.Product == "" {
		k += "/" + f.Package
	}
	return k
}

func (j *judge) osFinding(hr HostReport) Finding {
	f := Finding{Kind: KindOS, Package: "os-release", Version: hr.OS.ID + ":" + hr.OS.VersionID,
		Product: hr.OSProduct, Source: SourceOSVendor}
	if hr.OS.ID == "" {
		f.Version = ""
	}
	if hr.OSProduct == "" {
		f.Status = VerdictUnknown
		f.Reason = fmt.Sprintf("unmapped: os-release ID %q is not an OS upkeep knows", hr.OS.ID)
		return f
	}
	if hr.OSCycle == "" {
		f.Status = VerdictUnknown
		f.Reason = fmt.Sprintf("unparsable: VERSION_ID %q", hr.OS.VersionID)
		return f
	}
	f.UpstreamVersion = hr.OS.VersionID
	v := j.d.judgeCycle(hr.OSProduct, hr.OSCycle, sourceOS, vendorLife{}, j.opt)
	if _, ok := j.d.Cycle(hr.OSProduct, hr.OSCycle); !ok {
		v = verdict{status: VerdictUnknown, reason: fmt.Sprintf("no data: %s has no release %s", hr.OSProduct, hr.OSCycle)}
		if p, ok := j.d.Product(hr.OSProduct); ok {
			v.label = p.Label
		}
	}
	setVerdict(&f, v)
	f.Cycle = hr.OSCycle
	return f
}

func setVerdict(f *Finding, v verdict) {
	f.Status, f.Phase, f.EOLDate, f.Days, f.DistroUntil, f.VendorUntil, f.Reason = v.status, v.phase, v.eolDate, v.days, v.distroUntil, v.vendorUntil, v.reason
	f.ProductLabel = v.label
	if v.cycle != "" {
		f.Cycle = v.cycle
	}
}

// kernelFinding judges the running kernel (uname -r), which decides even
// when several kernel packages are installed.
func (j *judge) kernelFinding(rep *inventory.Report, env hostEnv) (Finding, bool) {
	k := strings.TrimSpace(rep.Facts.Kernel)
	if k == "" {
		return Finding{}, false
	}
	f := Finding{Kind: KindKernel, Package: "uname -r", Version: k, Product: "linux", Source: SourceOSVendor, Role: registry.RoleServer}
	parts := numericParts(k)
	if len(parts) > 3 {
		parts = parts[:3]
	}
	f.UpstreamVersion = joinParts(parts)
	c, _ := j.d.MatchCycle("linux", f.UpstreamVersion)
	setVerdict(&f, j.verdict("linux", f.UpstreamVersion, SourceOSVendor, j.d.vendorLifeOf(env, "linux", c.Name, nil, j.opt)))
	return f, true
}

// mapped is one package the rules claim.
type mapped struct {
	pkg    inventory.Package
	m      match
	cycle  string
	source string
}

func (j *judge) mapPackage(p inventory.Package) (match, bool) {
	k := pkgKey{p.Manager, p.Name, p.EVR()}
	if r, ok := j.pkgs[k]; ok {
		return r.m, r.ok
	}
	m, ok := j.d.reg.Map(p.Manager, p.Name, k.evr)
	j.pkgs[k] = pkgResult{m, ok}
	return m, ok
}

// packageFindings maps packages to products and collapses the packages of
// one product cycle into one finding (or, with PerPackage, keeps one
// finding per package).
func (j *judge) packageFindings(env hostEnv, pkgs []inventory.Package) []Finding {
	osr := env.osr
	groups := map[string][]mapped{}
	var order []string
	var out []Finding
	for _, p := range pkgs {
		if !p.Installed() {
			continue // removed, configuration files left (dpkg rc): nothing runs
		}
		m, ok := j.mapPackage(p)
		if !ok {
			if j.opt.PerPackage {
				out = append(out, Finding{Kind: KindPackage, Package: p.Name, Packages: []string{p.Name}, Version: p.EVR(),
					Status: VerdictUnknown, Reason: fmt.Sprintf("unmapped: no rule maps package %s to a product", p.Name)})
			}
			continue
		}
		cy := ""
		if c, ok := j.d.MatchCycle(m.Product, m.Upstream); ok {
			cy = c.Name
		} else {
			cy = fallbackCycle(m.Upstream)
		}
		mp := mapped{pkg: p, m: m, cycle: cy, source: j.d.packageSource(osr, p, m)}
		if j.opt.PerPackage {
			out = append(out, j.groupFinding([]mapped{mp}, env))
			continue
		}
		key := m.Product + "\x00" + cy
		if _, ok := groups[key]; !ok {
			order = append(order, key)
		}
		groups[key] = append(groups[key], mp)
	}
	for _, k := range order {
		f := j.groupFinding(groups[k], env)
		if f.Role == registry.RoleConfig {
			// Configuration or directory stubs alone (nginx-filesystem,
			// pulled in by php-fpm) are not the product on the host.
			continue
		}
		out = append(out, f)
	}
	if !isAL2023(osr) {
		for i := range out {
			if out[i].Product != "" {
				j.d.availability(&out[i], osr, j.opt)
			}
		}
	}
	return out
}

// groupFinding judges the packages of one product cycle on one host. The
// deciding package is a primary one (nginx rather than nginx-filesystem),
// then the newest, then the first by name.
func (j *judge) groupFinding(g []mapped, env hostEnv) Finding {
	best := 0
	role := ""
	names := make([]string, 0, len(g))
	for i, m := range g {
		names = append(names, m.pkg.Name)
		if role == "" || registry.RoleRank(m.m.Role) < registry.RoleRank(role) {
			role = m.m.Role
		}
		b := g[best]
		scheme := version.RPM
		if m.pkg.Manager == "dpkg" {
			scheme = version.Deb
		}
		c := cmp.Or(cmp.Compare(boolInt(m.m.Primary), boolInt(b.m.Primary)),
			version.Compare(scheme, m.pkg.EVR(), b.pkg.EVR()),
			cmp.Compare(b.pkg.Name, m.pkg.Name))
		if c > 0 {
			best = i
		}
	}
	slices.Sort(names)
	names = slices.Compact(names)
	d := g[best]
	f := Finding{Kind: KindPackage, Package: d.pkg.Name, Packages: names, Version: d.pkg.EVR(), Product: d.m.Product,
		UpstreamVersion: d.m.Upstream, Cycle: d.cycle, Source: d.source, Role: role}
	vl := vendorLife{}
	if d.source == SourceOSVendor {
		vl = j.d.vendorLifeOf(env, d.m.Product, d.cycle, &d.pkg, j.opt)
	}
	setVerdict(&f, j.verdict(d.m.Product, d.m.Upstream, d.source, vl))
	return f
}

// ParseEVR splits a version as rpm prints it ("[E:]V-R") into a package.
func ParseEVR(name, evr string) inventory.Package {
	p := inventory.Package{Manager: "rpm", Name: name}
	if i := strings.IndexByte(evr, ':'); i > 0 {
		if _, err := strconv.Atoi(evr[:i]); err == nil {
			p.Epoch, evr = evr[:i], evr[i+1:]
		}
	}
	if i := strings.LastIndexByte(evr, '-'); i > 0 {
		p.Version, p.Release = evr[:i], evr[i+1:]
	} else {
		p.Version = evr
	}
	return p
}
