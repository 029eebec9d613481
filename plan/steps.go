package plan

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"upkeep/advisories"
	"upkeep/registry"
)

// facts are a cohort's findings for one product, merged over its hosts.
type facts struct {
	onOS, onCycle string             // the OS release (product or family, and cycle) a package step runs on: the target after a move
	status        advisories.Verdict // the worst verdict on any host
	days          int                // the most days past end of life
	eolDate       string
	running       bool
	server        bool // a finding's deciding package is the product's server (registry role), not a client or library
	ports         []int
	packages      []string
	handBuilt     bool   // a probed binary that no package owns decided the version
	probePath     string // its path, for the reason
	waived        string // waiver reason, when every host's finding is waived
	versions      []string
	label         string
	urgency       string // the parts of the step's urgency, in words
	// vendorUntil is the day the OS vendor stopped (or stops) patching its
	// package of a product whose upstream line had ended before: the OS
	// release's end. "" when the package is not the OS vendor's core one.
	vendorUntil string

	// target facts
	moved       bool   // the step runs on a new OS release
	shipNote    string // what the target OS says about the product
	shipSource  string
	shipUnknown bool // upkeep's data does not say what the target OS ships
	notShipped  bool // the target OS ships no cycle of the product
	fromIdx     int  // position of the from and to cycles among the product's cycles; -1 if unknown
	toIdx       int
	toEnd       string       // last supported day of the target cycle
	toOffer     *Offer       // the target line as the release ships it; nil: an upstream cycle
	replaced    *Replacement // the product moves to this replacement
	alternative *Replacement // a replacement named in the reasons only
	majors      int          // major versions crossed
	via         string       // the whole upgrade path when the vendor requires steps ("5.7 → 8.0 → 8.4")
}

// verdictRank orders verdicts from worst to best.
func verdictRank(v advisories.Verdict) int {
	switch v {
	case advisories.VerdictEOL, advisories.VerdictUnpatched:
		return 0
	case advisories.VerdictEOLSoon:
		return 1
	case advisories.VerdictUnknown:
		return 2
	case advisories.VerdictDistroSupported:
		return 3
	}
	return 4
}

func mergeFacts(fs []*advisories.Finding) *facts {
	x := &facts{status: advisories.VerdictSupported, fromIdx: -1, toIdx: -1}
	waived := 0
	for _, f := range fs {
		if verdictRank(f.Status) < verdictRank(x.status) {
			x.status = f.Status
			x.eolDate = f.EOLDate
		}
		if f.Days > x.days {
			x.days = f.Days
			x.eolDate = f.EOLDate
		}
		x.running = x.running || f.Running
		x.server = x.server || f.Role == registry.RoleServer
		x.ports = append(x.ports, f.Ports...)
		x.packages = append(x.packages, f.Packages...)
		if f.Source == "hand-built" || (f.Kind == advisories.KindProbe && len(f.Packages) == 0) {
			x.handBuilt = true
			x.probePath = f.Package
		}
		v := f.UpstreamVersion
		if v == "" {
			v = f.Version
		}
		x.versions = append(x.versions, v)
		if f.Waived {
			waived++
			x.waived = f.WaiverReason
		}
		if x.label == "" {
			x.label = f.ProductLabel
		}
		switch {
		case f.DistroUntil != "":
			x.vendorUntil = max(x.vendorUntil, f.DistroUntil)
		case f.Status == advisories.VerdictEOL && f.VendorUntil > f.EOLDate:
			// The OS vendor patched it past the upstream end, until its
			// OS release ended (AL2's openssl 1.0.2k until 2026-06-30):
			// "unpatched" counts from that day.
			x.vendorUntil = max(x.vendorUntil, f.VendorUntil)
		}
	}
	if waived < len(fs) {
		x.waived = ""
	}
	if x.eolDate == "" && len(fs) > 0 {
		x.eolDate = fs[0].EOLDate
	}
	sort.Ints(x.ports)
	x.ports = slices.Compact(x.ports)
	sort.Strings(x.packages)
	x.packages = slices.Compact(x.packages)
	sort.Strings(x.versions)
	x.versions = slices.Compact(x.versions)
	return x
}

func needsWork(v advisories.Verdict) bool {
	return v == advisories.VerdictEOL || v == advisories.VerdictEOLSoon
}

// makeSteps turns each cohort's findings into steps: an OS move when the OS
// release needs one, then one step per product that needs an upgrade, or that
// the new OS release does not ship at its current cycle.
func makeSteps(in Input, cohorts []*Cohort) ([]*Step, []string) {
	o := in.Options
	deadline := in.At.Add(o.Within)
	var steps []*Step
	var notes []string
	for _, c := range cohorts {
		osf := mergeFacts(c.osFindings)
		targetOS, targetCycle := c.osProduct, c.osCycle
		osCycles := sortedCycles(in.Catalog.Cycles(c.osProduct))
		var osStep *Step
		if needsWork(osf.status) {
			to, ok := pickCycle(osCycles, c.osCycle, deadline, o)
			if fl, fam := o.Registry.FamilyLine(o.Registry.OSFamilyOf(c.osProduct)); !ok && fam {
				// CentOS 7 has no supported CentOS successor: the cohort
				// moves to its family (os.yaml's family_lines: RHEL,
				// AlmaLinux, Rocky Linux), whose releases ship the same
				// Application Streams.
				if fc := sortedCycles(in.Catalog.Cycles(fl.Product)); len(fc) > 0 {
					if to, ok = pickFamilyCycle(fc, c.osCycle, in.At, deadline, o); ok {
						osStep = familyMove(c, osf, fl, fc, to, o)
						steps = append(steps, osStep)
						targetOS, targetCycle, osCycles = fl.Family, to.Name, fc
					}
				}
			}
			if osStep != nil {
				// planned above as a move to the RHEL family
			} else if !ok {
				notes = append(notes, fmt.Sprintf("cohort %s: no supported successor of %s found in the data; the OS move is not planned", c.Name, c.OS))
			} else {
				targetCycle = to.Name
				osf.fromIdx, osf.toIdx = indexOf(osCycles, c.osCycle), indexOf(osCycles, to.Name)
				osf.toEnd = endOf(to, o.ExtendedSupport)
				osf.ports, osf.running = cohortExposure(c)
				osStep = newStep(c, KindOS, ActionMove, c.osProduct, osf)
				osStep.From, osStep.FromCycle, osStep.To = c.osCycle, c.osCycle, to.Name
				osStep.ProductLabel = labelOr(osf.label, c.osProduct)
				osStep.OnOS = osStep.ProductLabel + " " + to.Name
				osStep.Hint = osHint(o.Registry, c.osProduct, to.Name, osStep.ProductLabel, via(osCycles, c.osCycle, to.Name, ltsPath(o.Registry, c.osProduct, c.osCycle)))
				steps = append(steps, osStep)
			}
		} else if o.All {
			s := newStep(c, KindOS, ActionKeep, c.osProduct, osf)
			s.From, s.FromCycle, s.To = c.osCycle, c.osCycle, c.osCycle
			s.ProductLabel = labelOr(osf.label, c.osProduct)
			s.OnOS = c.OS
			steps = append(steps, s)
		}
		moved := osStep != nil
		onOS := c.OS
		if moved {
			onOS = osStep.OnOS
		}
		osOK := true
		if tc := findCycle(osCycles, targetCycle); tc != nil {
			osOK = supportedAt(*tc, deadline, o.ExtendedSupport)
		}

		keys := make([]string, 0, len(c.findings))
		for k := range c.findings {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var carried, unknown []string
		for _, k := range keys {
			fs := c.findings[k]
			product, cycle := fs[0].Product, fs[0].Cycle
			x := mergeFacts(fs)
			x.moved = moved
			ship := in.Catalog.Ships(targetOS, targetCycle, product)
			x.shipNote, x.shipSource = ship.Note, ship.Source
			x.shipUnknown = !ship.Known
			x.notShipped = ship.Known && len(ship.Offers) == 0
			var osEnd time.Time
			if tc := findCycle(osCycles, targetCycle); tc != nil {
				osEnd = endDate(*tc, o.ExtendedSupport)
			}
			// A line carries over only when the new release ships it and
			// supports it past the window (RHEL 9's redis:7 stream retires
			// 2026-11-30 although upstream Redis 7.2 lives on).
			shippedNow := false
			for i := range ship.Offers {
				if of := &ship.Offers[i]; of.Cycle == cycle {
					ok, _, _ := offerEnd(of, findCycle(sortedCycles(in.Catalog.Cycles(product)), cycle), osOK, osEnd, deadline, o)
					shippedNow = ok
				}
			}
			need := needsWork(x.status) || (moved && ship.Known && !shippedNow)
			if !need && x.status == advisories.VerdictUnpatched && shippedNow {
				// Nobody patches this build, and the new release ships the same
				// line: the move fixes it only while upstream still supports the
				// line (AL2's Extras redis 6.2 becomes AL2023's redis6, which
				// follows upstream and ends inside the window).
				if uc := findCycle(sortedCycles(in.Catalog.Cycles(product)), cycle); uc != nil && !supportedAt(*uc, deadline, false) {
					need = true
				}
			}
			if !need {
				switch {
				case moved && shippedNow:
					carried = append(carried, product+" "+cycle)
				case moved:
					// No ships row: nobody said the new release has this
					// line, so it does not "carry over".
					unknown = append(unknown, product+" "+cycle)
				}
				if o.All {
					s := newStep(c, KindPackage, ActionKeep, product, x)
					s.From, s.FromCycle, s.To = strings.Join(x.versions, ", "), cycle, cycle
					s.OnOS = onOS
					steps = append(steps, s)
				}
				continue
			}
			cycles := sortedCycles(in.Catalog.Cycles(product))
			var offers []Offer
			if len(ship.Offers) > 0 {
				offers = ship.Offers
			}
			rep := replacementFor(o.Replacements, targetOS, targetCycle, product)
			if rep != nil && !rep.Plan {
				x.alternative = rep
			}
			to, ok := pickTarget(cycles, cycle, offers, osOK, moved, osEnd, deadline, o)
			if !ok && rep != nil && rep.Plan {
				if s := replaceStep(in, c, x, rep, cycle, osOK, deadline, targetOS, targetCycle, onOS); s != nil {
					steps = append(steps, s)
					continue
				}
			}
			if !ok {
				notes = append(notes, fmt.Sprintf("cohort %s: no supported cycle of %s newer than %s%s, and no replacement known; "+
					"not planned: find a supported %s in its vendor's repository and plan it by hand, or record a waiver with the reason",
					c.Name, product, cycle, onText(offers, onOS), product))
				continue
			}
			x.fromIdx, x.toIdx = indexOf(cycles, cycle), indexOf(cycles, to.cycle.Name)
			x.majors = majorsCrossed(cycles, x.fromIdx, x.toIdx, cycle, to.cycle.Name)
			x.toEnd, x.toOffer = to.end, to.offer
			s := newStep(c, KindPackage, ActionUpgrade, product, x)
			s.From, s.FromCycle, s.To = strings.Join(x.versions, ", "), cycle, to.cycle.Name
			s.OnOS = onOS
			x.onOS, x.onCycle = targetOS, targetCycle
			s.Hint = packageHint(o.Registry, product, to, x)
			for i, h := range chainSteps(o.Registry, s, cycles) {
				dbStepNotes(o.Registry, h, moved && i == 0)
				steps = append(steps, h)
			}
		}
		if osStep != nil {
			var notes []string
			if len(carried) > 0 {
				notes = append(notes, "carried over as the new release ships them: "+strings.Join(carried, ", "))
			}
			if len(unknown) > 0 {
				notes = append(notes, "not known whether "+osStep.OnOS+" ships "+strings.Join(unknown, ", ")+
					": upkeep's data has no row for them; check its repositories before the move")
			}
			osStep.facts.shipNote = strings.Join(notes, "; ")
		}
	}
	return steps, notes
}

func onText(offers []Offer, os string) string {
	if len(offers) == 0 {
		return ""
	}
	return " shipped by " + os
}

func newStep(c *Cohort, kind, action, product string, x *facts) *Step {
	s := &Step{
		Wave:         c.Wave,
		Cohort:       c.Name,
		HostCount:    len(c.Hosts),
		Hosts:        c.Hosts,
		Kind:         kind,
		Action:       action,
		Product:      product,
		ProductLabel: labelOr(x.label, product),
		Packages:     x.packages,
		Status:       string(x.status),
		EOLDate:      x.eolDate,
		Ports:        x.ports,
		wave:         c.waveIdx,
		c:            c,
		facts:        x,
	}
	if isProd(c.Wave) && action != ActionKeep && len(c.Hosts) > 1 {
		s.Canary = c.Hosts[0]
	}
	return s
}

func labelOr(label, product string) string {
	if label != "" {
		return label
	}
	return product
}

// cohortExposure is what an OS move touches: every listening port of the cohort.
func cohortExposure(c *Cohort) ([]int, bool) {
	var ports []int
	running := false
	for _, fs := range c.findings {
		for _, f := range fs {
			ports = append(ports, f.Ports...)
			running = running || f.Running
		}
	}
	sort.Ints(ports)
	return slices.Compact(ports), running
}

func indexOf(cs []advisories.Cycle, name string) int {
	for i, c := range cs {
		if c.Name == name {
			return i
		}
	}
	return -1
}

func findCycle(cs []advisories.Cycle, name string) *advisories.Cycle {
	if i := indexOf(cs, name); i >= 0 {
		return &cs[i]
	}
	return nil
}

// majorsCrossed counts the distinct major versions a jump lands in beyond
// the current one, from the product's real cycles when both ends are known
// (OpenSSL 1.0.2 → 3.0 crosses one: there was no 2.x), else by arithmetic.
func majorsCrossed(cs []advisories.Cycle, fromIdx, toIdx int, from, to string) int {
	if fromIdx < 0 || toIdx <= fromIdx {
		return majorsJumped(from, to)
	}
	seen := map[string]bool{major(from): true}
	n := 0
	for _, c := range cs[fromIdx+1 : toIdx+1] {
		if m := major(c.Name); !seen[m] {
			seen[m] = true
			n++
		}
	}
	return n
}

// newer reports whether cycle b comes after a among the product's cycles.
func newer(cs []advisories.Cycle, a, b string) bool {
	ia, ib := indexOf(cs, a), indexOf(cs, b)
	if ia >= 0 && ib >= 0 {
		return ib > ia
	}
	return cmpCycle(b, a) > 0
}

// ltsPath reports whether an OS release's in-place upgrade goes from LTS
// release to LTS release (os.yaml's tools lts_path: Ubuntu's upgrader).
func ltsPath(reg *registry.Registry, os, cycle string) bool {
	t, _, ok := reg.Tools(os, cycle)
	return ok && t.LTSPath
}

// via lists the releases an in-place upgrade passes through between two
// cycles (only the LTS ones when the upgrade goes LTS to LTS).
func via(cs []advisories.Cycle, from, to string, ltsOnly bool) []string {
	i, j := indexOf(cs, from), indexOf(cs, to)
	var out []string
	for k := i + 1; i >= 0 && k < j; k++ {
		if !ltsOnly || cs[k].LTS {
			out = append(out, cs[k].Name)
		}
	}
	return out
}

// osHint says how an OS release is moved to release to: os.yaml's tools
// row for that release (Ubuntu and Debian in place, one release at a time;
// Amazon Linux rebuilt), or a rebuild when the registry has none.
func osHint(reg *registry.Registry, product, to, label string, through []string) string {
	path := ""
	if len(through) > 0 {
		path = " through " + strings.Join(through, ", ") + " (one release at a time)"
	}
	if t, _, ok := reg.Tools(product, to); ok && t.Upgrade != "" {
		return registry.Fill(t.Upgrade, "{label}", label, "{to}", to, "{path}", path)
	}
	return fmt.Sprintf("rebuild on %s %s", label, to)
}

// installCmd is the command that installs pkgs on an OS release, from
// os.yaml's tools; without a row it says the registry names no installer
// rather than guess one.
func installCmd(reg *registry.Registry, os, cycle string, pkgs ...string) string {
	if t, _, ok := reg.Tools(os, cycle); ok {
		return t.Installer + " " + strings.Join(pkgs, " ")
	}
	return fmt.Sprintf("install %s with the package manager of %s (upkeep's registry names no installer for it)", strings.Join(pkgs, " "), osName(os, cycle))
}

// queryCmd is the command that shows what an OS release's repositories
// offer of pkg, from os.yaml's tools; without one it says so.
func queryCmd(reg *registry.Registry, os, cycle, pkg string) string {
	if t, _, ok := reg.Tools(os, cycle); ok && t.Query != "" {
		return registry.Fill(t.Query, "{package}", pkg)
	}
	return fmt.Sprintf("upkeep's registry names no command that lists what %s offers: look for %s in its repositories", osName(os, cycle), pkg)
}

func osName(os, cycle string) string { return strings.TrimSpace(os + " " + cycle) }

func packageHint(reg *registry.Registry, product string, to target, x *facts) string {
	t, _, known := reg.Tools(x.onOS, x.onCycle)
	switch {
	case to.offer != nil:
		return installCmd(reg, x.onOS, x.onCycle, to.offer.Packages...)
	case x.notShipped && x.shipNote != "":
		return fmt.Sprintf("install %s %s from the vendor's repository (%s)", product, to.cycle.Name, x.shipNote)
	case x.moved && x.shipUnknown && known && t.InPlace && len(x.packages) > 0:
		// The release upgrade brought the package along: ask what it brought.
		return fmt.Sprintf("upgraded with the release: check the version it brings (%s); below %s, use a repository that carries %s %s",
			queryCmd(reg, x.onOS, x.onCycle, shortest(x.packages)), to.cycle.Name, product, to.cycle.Name)
	case x.moved && x.shipUnknown:
		// The old host's package names (an EL7 Software Collection's
		// rh-redis5-redis) mean nothing on the new release: ask by product.
		return fmt.Sprintf("not known whether the new release ships %s %s: check its repositories (%s); if not, use a repository that carries %s %s",
			product, to.cycle.Name, queryCmd(reg, x.onOS, x.onCycle, product), product, to.cycle.Name)
	case x.handBuilt:
		return fmt.Sprintf("replace the hand-built %s (%s) with %s %s from a package repository, or rebuild it from the %s source", product, x.probePath, product, to.cycle.Name, to.cycle.Name)
	case len(x.packages) > 0:
		return fmt.Sprintf("%s (from a repository that carries %s %s)", installCmd(reg, x.onOS, x.onCycle, shortest(x.packages)), product, to.cycle.Name)
	}
	return fmt.Sprintf("upgrade %s to %s", product, to.cycle.Name)
}

// shortest is the package whose name is shortest (then first): usually the
// product's main package among its libraries and modules.
func shortest(pkgs []string) string {
	best := pkgs[0]
	for _, p := range pkgs[1:] {
		if len(p) < len(best) {
			best = p
		}
	}
	return best
}
