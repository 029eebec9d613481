package advisories

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"upkeep/inventory"
	"upkeep/registry"
)

// Readiness is a host's state for the move to Amazon Linux 2023.
type Readiness string

// Readiness values: blocked when an inhibitor stands (nothing on AL2023
// fills the role), needs-work when something must change, ready otherwise.
const (
	Ready     Readiness = "ready"
	NeedsWork Readiness = "needs-work"
	Blocked   Readiness = "blocked"
)

// Severities of readiness entries, lowest first.
const (
	SevInfo     = "info"
	SevLow      = "low"
	SevMedium   = "medium"
	SevHigh     = "high"
	SevCritical = "critical"
)

// Entry is one line of a host's pre-upgrade report.
type Entry struct {
	Key           string       // host/al2023/product/cycle: stable, for waivers and diffs
	Product       string       // endoflife.date slug; "" for the OS move itself
	Cycle         string       //
	Package       string       // the installed package or binary
	Version       string       // as installed
	Availability  Availability // available, newer-only, namespaced, removed, replaced, unknown
	AL2023Package string       // what to install on AL2023, when known
	Severity      string       // info, low, medium, high, critical
	Inhibitor     bool         // blocks the move until resolved
	Summary       string
	Remediation   string
	Waived        bool
	WaiverReason  string
}

// HostReadiness is one host's AL2023 readiness.
type HostReadiness struct {
	Host      inventory.Host
	OS        string // "amzn:2"
	OSLabel   string // "Amazon Linux 2"
	Readiness Readiness
	Entries   []Entry
}

// Readiness turns judged hosts into AL2023 readiness reports. Hosts that
// were not scanned have nothing to judge and are left out.
func (d *Data) Readiness(reports []HostReport, opt Options) []HostReadiness {
	var out []HostReadiness
	for _, hr := range reports {
		if !hr.Status.Scanned() {
			continue
		}
		fs := make([]*Finding, len(hr.Findings))
		for i := range hr.Findings {
			fs[i] = &hr.Findings[i]
		}
		rb := d.readyBase(hr.OS, hr.OSProduct, hr.OSCycle, fs, hr.Moves)
		r, waived := rb.forHost(hr.Host, opt)
		out = append(out, rb.host(hr.Host, r, waived))
	}
	return out
}

// HostReadiness returns a judged host's readiness report, entries and all.
// It is made anew on each call: a fleet keeps only the state.
func (h *Judged) HostReadiness() HostReadiness {
	if h.Profile == nil {
		return HostReadiness{Host: h.Host}
	}
	return h.Profile.ready.host(h.Host, h.Readiness, h.readyWaived)
}

// readyBase is the readiness every host with the same findings and moves
// shares, before any host's waivers. Entry keys hold what follows the host
// id.
type readyBase struct {
	os, osLabel string
	entries     []Entry
	readiness   Readiness
}

func (d *Data) readyBase(osr inventory.OSRelease, osProduct, osCycle string, fs []*Finding, moves []Move) *readyBase {
	r := &readyBase{os: osr.ID + ":" + osr.VersionID, osLabel: osProduct + " " + osCycle}
	if p, ok := d.Product(osProduct); ok {
		r.osLabel = p.Label + " " + osCycle
	}
	if isAL2023(osr) {
		r.readiness = Ready
		r.entries = []Entry{{Key: "/al2023/os", Severity: SevInfo, Summary: "already on Amazon Linux 2023",
			Remediation: "none for the OS move; end-of-life findings still apply (upkeep check)"}}
		return r
	}
	os := Entry{Key: "/al2023/os", Package: "os-release", Version: r.os, Severity: SevInfo,
		Summary:     fmt.Sprintf("%s has no in-place upgrade to Amazon Linux 2023", r.osLabel),
		Remediation: "launch a new AL2023 instance and move the workload; rebuild AMIs and user data"}
	switch osManager(osr.ID) {
	case "dpkg":
		os.Severity = SevMedium
		os.Summary = fmt.Sprintf("%s is a dpkg distribution: package names, paths and service layout differ on AL2023 (rpm)", r.osLabel)
		os.Remediation = "rebuild the host on AL2023 from its configuration management, mapping each package below"
	case "":
		os.Severity = SevMedium
		os.Summary = fmt.Sprintf("%s is not an OS upkeep knows", r.os)
		os.Remediation = "check the workload by hand"
	}
	r.entries = append(r.entries, os)
	for _, f := range fs {
		if f.Product == "" || f.Kind == KindOS || f.AL2023 == "" {
			continue
		}
		e := d.entryFor(*f, osr)
		e.Key = "/al2023/" + f.Product + "/" + f.Cycle
		if f.Kind == KindProbe {
			e.Key += "/" + f.Package
		}
		r.entries = append(r.entries, e)
	}
	for _, m := range moves {
		e := d.moveEntry(m, osProduct, osCycle) // no product or cycle: waivers name it by key
		e.Key = "/al2023/package/" + m.Package
		r.entries = append(r.entries, e)
	}
	// Every key of a host starts with its id, so the order of the suffixes
	// is the order of the keys.
	slices.SortFunc(r.entries[1:], func(a, b Entry) int {
		return cmp.Or(cmp.Compare(sevRank(b.Severity), sevRank(a.Severity)), cmp.Compare(a.Key, b.Key))
	})
	r.readiness = stateOf(r.entries, nil)
	return r
}

// stateOf is blocked when an inhibitor stands, needs-work when an entry
// above info does; waived entries count for nothing.
func stateOf(entries []Entry, waived map[int]string) Readiness {
	r := Ready
	for i, e := range entries {
		_, w := waived[i]
		switch {
		case w || e.Waived:
		case e.Inhibitor:
			r = Blocked
		case e.Severity != SevInfo && r == Ready:
			r = NeedsWork
		}
	}
	return r
}

// forHost applies the waivers to the entries on one host (the OS entry
// itself cannot be waived): its readiness, and which entries a waiver
// accepts (nil when none).
func (rb *readyBase) forHost(h inventory.Host, opt Options) (Readiness, map[int]string) {
	var waived map[int]string
	if len(opt.Waivers) > 0 {
		for i := 1; i < len(rb.entries); i++ {
			e := &rb.entries[i]
			key := h.ID + e.Key
			for _, w := range opt.Waivers {
				if w.Active(opt.At) && w.Matches(e.Product, e.Cycle, key, h) {
					if waived == nil {
						waived = map[int]string{}
					}
					waived[i] = w.Describe()
					break
				}
			}
		}
	}
	if waived == nil {
		return rb.readiness, nil
	}
	return stateOf(rb.entries, waived), waived
}

// host makes one host's readiness report from the shared entries.
func (rb *readyBase) host(h inventory.Host, r Readiness, waived map[int]string) HostReadiness {
	out := HostReadiness{Host: h, OS: rb.os, OSLabel: rb.osLabel, Readiness: r, Entries: make([]Entry, len(rb.entries))}
	for i, e := range rb.entries {
		e.Key = h.ID + e.Key
		if why, ok := waived[i]; ok {
			e.Waived, e.WaiverReason = true, why
		}
		out.Entries[i] = e
	}
	return out
}

func sevRank(s string) int {
	return slices.Index([]string{SevInfo, SevLow, SevMedium, SevHigh, SevCritical}, s)
}

// entryFor words one product's AL2023 availability as a pre-upgrade entry
// for a host on osr. What is particular to a product (Temurin's move to
// Corretto, a compatibility library, the kernel) is the registry's
// readiness rules, never a name here.
func (d *Data) entryFor(f Finding, osr inventory.OSRelease) Entry {
	e := Entry{Product: f.Product, Cycle: f.Cycle, Package: f.Package, Version: f.Version, Availability: f.AL2023, AL2023Package: f.AL2023Package}
	what := fmt.Sprintf("%s %s (%s)", labelOr(f), f.Cycle, f.Package)
	target := f.AL2023Package
	if target == "" {
		target = "no AL2023 package"
	}
	switch f.AL2023 {
	case AvailAvailable:
		e.Severity = SevInfo
		e.Summary = fmt.Sprintf("%s: AL2023 ships %s", what, target)
		e.Remediation = d.installOnAL2023(f.AL2023Package)
	case AvailNamespaced:
		e.Severity = SevLow
		e.Summary = fmt.Sprintf("%s: AL2023 ships this line as %s", what, target)
		e.Remediation = "install " + f.AL2023Package + " instead of " + f.Package + "; update service names and paths in configuration"
	case AvailNewerOnly:
		e.Severity = SevMedium
		e.Summary = fmt.Sprintf("%s: AL2023 ships only a newer line (%s)", what, target)
		e.Remediation = "test the application on " + target + " before the move; compatibility risk"
	case AvailReplaced:
		e.Severity = SevHigh
		e.Inhibitor = true
		e.Summary = fmt.Sprintf("%s: not in AL2023; replaced by %s", what, target)
		e.Remediation = "switch to " + target + " and test, or install from the vendor's own repository"
		if d.plannedReplacement(f.Product) {
			// A replacement the planner moves to (Valkey for Redis) is a
			// drop-in: work, not a blocker.
			e.Severity, e.Inhibitor = SevMedium, false
		}
	case AvailRemoved:
		e.Severity = SevCritical
		e.Inhibitor = true
		e.Summary = fmt.Sprintf("%s: no AL2023 package", what)
		e.Remediation = "build it, find another source, or replace it before the move"
		// A repository family that does not serve AL2023 (EPEL): the
		// registry's repositories.yaml absent rows.
		osProduct, _ := OSCycle(osr)
		fam, _ := d.reg.OSFamily(osr.ID)
		if note := d.reg.AbsentNote("amazon-linux", "2023", osProduct, fam.Family, f.Package, f.Source == SourceThirdParty); note != "" {
			e.Summary += " (" + note + ")"
		}
	default:
		e.Severity = SevMedium
		e.Summary = fmt.Sprintf("%s: AL2023 availability not known (only older lines in the data)", what)
		e.Remediation = "check the current AL2023 package list by hand"
	}
	if rule, _, ok := d.reg.ReadinessRuleFor(f.Product, string(f.AL2023), f.Cycle); ok {
		// The product's own readiness rule (registry/products/*.yaml).
		e.Severity, e.Inhibitor = rule.Severity, rule.Inhibitor
		words := strings.NewReplacer("{what}", what, "{cycle}", f.Cycle, "{target}", target)
		if rule.Summary != "" {
			e.Summary = words.Replace(rule.Summary)
		}
		if rule.Remediation != "" {
			e.Remediation = words.Replace(rule.Remediation)
		}
	}
	if f.AL2023Why != "" && (f.AL2023Package != "" || f.AL2023 == AvailRemoved) {
		e.Summary += "; " + f.AL2023Why
	}
	if repo, src, ok := d.vendorRepo(f); ok {
		switch f.AL2023 {
		case AvailRemoved, AvailReplaced, AvailUnknown:
			// The vendor's own repository serves AL2023: work, not a blocker.
			e.Severity, e.Inhibitor = SevMedium, false
			e.Remediation = "install " + labelOr(f) + " from " + repo + " on AL2023 (" + src + ")"
			if f.AL2023Package != "" {
				e.Remediation += ", or switch to " + f.AL2023Package + " and test"
			}
		}
	}
	if d.clientOnly(f) {
		e.Severity, e.Inhibitor = SevLow, false
		e.Summary = fmt.Sprintf("%s %s client only (%s): no server runs here", labelOr(f), f.Cycle, strings.Join(append([]string{f.Package}, f.Packages...), ", "))
		e.Remediation = "install a supported client on AL2023: " + d.reg.AL2023Client(f.Product)
	}
	switch f.Source {
	case SourceHandBuilt:
		e.Severity = maxSev(e.Severity, SevLow)
		e.Summary += "; this copy is hand-built"
		e.Remediation += "; or rebuild it from source on AL2023"
	case SourceThirdParty:
		e.Severity = maxSev(e.Severity, SevLow)
		e.Summary += "; this copy comes from a third-party repository"
		if _, _, ok := d.vendorRepo(f); !ok {
			e.Remediation += "; or check that the vendor repository publishes AL2023 builds"
		}
	}
	return e
}

func labelOr(f Finding) string {
	if f.ProductLabel != "" {
		return f.ProductLabel
	}
	return f.Product
}

// vendorRepo returns the product vendor's own repository that serves
// Amazon Linux 2023 (registry/repositories.yaml targets): what to add, in
// words, and the vendor's page that says so.
func (d *Data) vendorRepo(f Finding) (repo, source string, ok bool) {
	t, src, ok := d.reg.RepoTarget(f.Product, "amazon-linux", "2023")
	return t.Install, src, ok
}

// plannedReplacement reports whether the registry has a product AL2023
// ships in this one's place that the planner moves to (use: plan).
func (d *Data) plannedReplacement(product string) bool {
	return len(d.reg.PlanReplacements(product, "amazon-linux", "2023")) > 0
}

// clientOnly reports whether a finding is only a product's client tools or
// libraries: the product has a client remedy in the registry (databases),
// none of its packages on the host is a server or runtime (the registry's
// package roles), and nothing of it runs.
func (d *Data) clientOnly(f Finding) bool {
	if d.reg.AL2023Client(f.Product) == "" {
		return false
	}
	return !f.Running && f.Kind == KindPackage && !registry.Serving(f.Role)
}

func maxSev(a, b string) string {
	if sevRank(b) > sevRank(a) {
		return b
	}
	return a
}

// moveEntry words an AL2 package the AL2 → AL2023 table knows: what takes
// its place, from the table's sources (advisories/data/README.md). A
// package the registry's os.yaml move_packages names for the host's OS
// release is part of the OS move itself (yum, amazon-linux-extras).
func (d *Data) moveEntry(m Move, osProduct, osCycle string) Entry {
	e := Entry{Package: m.Package, Version: m.Version, Availability: m.Status, AL2023Package: m.AL2023}
	note := ""
	if m.Note != "" {
		note = " (" + m.Note + ")"
	}
	switch m.Status {
	case AvailReplaced:
		e.Severity = SevLow
		if m.AL2023 == "" {
			e.Summary = fmt.Sprintf("%s: not in AL2023%s", m.Package, note)
			e.Remediation = "drop it from the build; use what AL2023 does instead"
		} else {
			e.Summary = fmt.Sprintf("%s: not in AL2023; replaced by %s%s", m.Package, m.AL2023, note)
			e.Remediation = "install " + m.AL2023 + " and move its configuration; check scripts that call " + m.Package
		}
	case AvailRemoved:
		e.Severity = SevMedium
		e.Summary = fmt.Sprintf("%s: no AL2023 package%s", m.Package, note)
		e.Remediation = "find what uses it; rebuild that against AL2023's libraries or find another source"
	default:
		e.Severity = SevLow
		e.Summary = fmt.Sprintf("%s: AL2023 ships %s%s", m.Package, m.AL2023, note)
		e.Remediation = "test the workload on " + m.AL2023
	}
	if mp, ok := d.reg.MovePackage(osProduct, osCycle, m.Package); ok {
		e.Severity = SevInfo
		e.Remediation = strings.ReplaceAll(mp.Remediation, "{package}", m.Package)
	}
	return e
}

// installOnAL2023 is the command that installs pkg on Amazon Linux 2023:
// os.yaml's tools row for it, or a plain statement when the registry has
// none.
func (d *Data) installOnAL2023(pkg string) string {
	if t, _, ok := d.reg.Tools("amazon-linux", "2023"); ok {
		return t.Installer + " " + pkg
	}
	return "install " + pkg + " with Amazon Linux 2023's package manager (upkeep's registry names no installer for it)"
}
