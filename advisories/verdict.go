package advisories

import (
	"fmt"
	"time"

	"upkeep/advisories/version"
	"upkeep/registry"
)

// osSupport is whether a host's OS still patches its own packages at the
// evaluation date, and until when.
type osSupport struct {
	name      string    // "Ubuntu 22.04"
	inSupport bool      // standard support (or, with --extended-support, extended) not over
	until     time.Time // last day of that support; zero when no date is announced
	phase     string    // the phase that runs until then
	known     bool      // the OS and its cycle are in the data
}

// verdict is the judgement of one product cycle, before host details.
type verdict struct {
	status      Verdict
	phase       string
	eolDate     string
	days        int
	distroUntil string
	vendorUntil string // see Finding.VendorUntil
	cycle       string
	label       string
	reason      string
	noCycle     bool // unknown because the data has no cycle for the version
}

// judgeCycle evaluates one product version at opt.At: first by upstream's
// dates, then, for a build of the OS vendor (source os-vendor), by how
// long the vendor patches it (vl). Only the OS finding itself counts an
// extended phase of its own product (--extended-support means the OS's
// ESM, ELS or LTS, never a product's paid premium support).
func (d *Data) judgeCycle(product, upstream, source string, vl vendorLife, opt Options) verdict {
	v := d.upstreamVerdict(product, upstream, source == sourceOS, opt)
	switch {
	case source == sourceOS:
		return v
	case source == SourceOSVendor:
		return applyVendor(v, vl, opt)
	case v.status == VerdictEOL || v.status == VerdictEOLSoon:
		v.reason += "; " + sourceText(source) + ", so no OS vendor patches it"
	}
	return v
}

// upstreamVerdict is the verdict by the product's own dates.
func (d *Data) upstreamVerdict(product, upstream string, isOS bool, opt Options) verdict {
	p, ok := d.products[product]
	if !ok {
		return verdict{status: VerdictUnknown, reason: fmt.Sprintf("no end-of-life data for product %q", product)}
	}
	v := verdict{label: p.Label}
	if len(numericParts(upstream)) == 0 {
		v.status = VerdictUnknown
		v.reason = fmt.Sprintf("version %q is not parsable", upstream)
		return v
	}
	c, ok := d.MatchCycle(product, upstream)
	if !ok {
		if oldest, found := d.oldestCycle(product); found && version.Compare(version.Upstream, upstream, oldest.Name) < 0 && oldest.EOL.Passed(opt.At) {
			// Older than every cycle the data tracks, and the oldest has
			// ended: this one ended no later (redis 4.0, php 5.3).
			c, ok = oldest, true
			v.cycle = fallbackCycle(upstream)
		}
	}
	if !ok {
		v.cycle = fallbackCycle(upstream)
		v.status = VerdictUnknown
		v.noCycle = true
		v.reason = fmt.Sprintf("no data: %s has no release cycle matching %s", p.Label, upstream)
		return v
	}
	older := v.cycle != ""
	if !older {
		v.cycle = c.Name
	}
	end, phase := c.EOL, p.Labels.EOL
	extNote := ""
	if c.EOES.Tracked && p.Labels.EOES != "" {
		switch {
		case isOS && opt.ExtendedSupport:
			end, phase = c.EOES, p.Labels.EOES
		case isOS && c.EOL.Passed(opt.At) && !c.EOES.Passed(opt.At):
			extNote = fmt.Sprintf("; %s continues %s (counts with --extended-support)", p.Labels.EOES, untilOrOpen(c.EOES.Date))
		case !isOS && c.EOL.Passed(opt.At) && !c.EOES.Passed(opt.At):
			extNote = fmt.Sprintf("; %s continues %s (paid upstream support, which upkeep does not count)", p.Labels.EOES, untilOrOpen(c.EOES.Date))
		}
	}
	if phase == "" {
		phase = "support"
	}
	v.phase = phase
	if !end.Tracked {
		v.status = VerdictUnknown
		v.reason = fmt.Sprintf("no data: %s %s has no %s end in the data", p.Label, c.Name, phase)
		return v
	}
	v.eolDate = dateString(end.Date)
	switch {
	case end.Passed(opt.At) && older:
		v.status = VerdictEOL
		v.days = daysBetween(end.Date, opt.At)
		v.reason = fmt.Sprintf("%s %s is older than every cycle in the data; the oldest, %s, left %q on %s", p.Label, v.cycle, c.Name, phase, v.eolDate)
	case end.Passed(opt.At):
		v.status = VerdictEOL
		if !end.Date.IsZero() {
			v.days = daysBetween(end.Date, opt.At)
			v.reason = fmt.Sprintf("%s %s: %q phase ended %s (%d days ago)%s", p.Label, c.Name, phase, v.eolDate, v.days, extNote)
		} else {
			v.reason = fmt.Sprintf("%s %s: %q phase has ended%s", p.Label, c.Name, phase, extNote)
		}
	case !end.Date.IsZero() && daysBetween(opt.At, end.Date) <= opt.Within:
		v.status = VerdictEOLSoon
		v.days = -daysBetween(opt.At, end.Date)
		v.reason = fmt.Sprintf("%s %s: %q phase ends %s (in %d days)", p.Label, c.Name, phase, v.eolDate, -v.days)
	default:
		v.status = VerdictSupported
		if end.Date.IsZero() {
			v.reason = fmt.Sprintf("%s %s: in %q phase, no end announced", p.Label, c.Name, phase)
		} else {
			v.days = -daysBetween(opt.At, end.Date)
			v.reason = fmt.Sprintf("%s %s: in %q phase until %s", p.Label, c.Name, phase, v.eolDate)
		}
		if c.EOAS.Tracked && c.EOAS.Passed(opt.At) && p.Labels.EOAS != "" && p.Labels.EOAS != phase {
			v.reason += fmt.Sprintf(" (%s ended%s)", p.Labels.EOAS, onText(c.EOAS.Date))
		}
	}
	return v
}

// applyVendor turns the upstream verdict of an OS vendor's build into the
// build's verdict. While the vendor patches it, its date counts (eol-soon
// inside the window, distro-supported when upstream has ended); once the
// vendor has stopped, nobody patches the build: eol when upstream has ended
// too, unpatched otherwise. A vendor that follows upstream adds nothing.
// What Debian's lists say is added last (debian.go).
func applyVendor(v verdict, vl vendorLife, opt Options) verdict {
	v = applyVendorLife(v, vl, opt)
	if vl.detail != "" {
		v.reason += "; " + vl.detail
	}
	if vl.noComponent != "" && v.status == VerdictDistroSupported {
		// In main it would be; in universe upstream's verdict (ended or
		// ending) would count. Not known, so not safe.
		u := v
		u.status, u.distroUntil, u.days = VerdictUnknown, "", 0
		u.reason = fmt.Sprintf("%s: distro-supported until %s only if it is in main; %s", v.reason, v.distroUntil, vl.noComponent)
		v = u
	}
	return applyLimited(v, vl.limited)
}

func applyVendorLife(v verdict, vl vendorLife, opt Options) verdict {
	switch vl.kind {
	case "":
		return v // the OS is not in the data: upstream's word only
	case registry.SupportUpstream:
		if v.status == VerdictUnknown && !v.noCycle {
			return v // the version cannot be read
		}
		v.reason += "; " + vl.why
		return capAtOSEnd(v, vl, opt)
	}
	if v.status == VerdictUnknown && !v.noCycle {
		return v // the version cannot be read
	}
	end := vl.until
	if end.IsZero() {
		// The vendor announces no end: it patches its build.
		if v.status == VerdictEOL || v.status == VerdictEOLSoon || v.noCycle {
			v.status = VerdictDistroSupported
			v.reason += fmt.Sprintf("; %s patches its package, with no end announced", vl.who)
		}
		return v
	}
	e := dateString(end)
	v.vendorUntil = e
	if opt.At.After(end) {
		if v.status == VerdictEOL {
			v.reason += fmt.Sprintf("; no fixes from the vendor either since %s ended on %s", vl.who, e)
			return v
		}
		u := v
		u.status, u.phase, u.eolDate, u.days, u.distroUntil = VerdictUnpatched, "vendor support", e, daysBetween(end, opt.At), ""
		u.reason = fmt.Sprintf("no fixes since %s ended on %s (%d days ago); upstream: %s", vl.who, e, u.days, v.reason)
		return u
	}
	if daysBetween(opt.At, end) <= opt.Within {
		u := v
		u.status, u.phase, u.eolDate, u.days, u.distroUntil = VerdictEOLSoon, "vendor support", e, -daysBetween(opt.At, end), ""
		u.reason = fmt.Sprintf("%s stops patching it on %s (in %d days); upstream: %s", vl.who, e, -u.days, v.reason)
		return u
	}
	if v.status == VerdictEOL || v.status == VerdictEOLSoon || v.noCycle {
		v.status = VerdictDistroSupported
		v.distroUntil = e
		if v.noCycle {
			v.reason = fmt.Sprintf("%s has no release cycle for this version in the data; %s patches its package until %s", v.label, vl.who, e)
		} else {
			v.reason += fmt.Sprintf("; %s patches its package until %s", vl.who, e)
		}
	}
	return v
}

// capAtOSEnd ends an upstream-following vendor build with its OS release:
// the vendor ships upstream's fixes only while the release is maintained
// (AWS stops updating Amazon Linux 2's Extras with AL2, Ubuntu's universe
// archive is frozen at the release's end). After that day nobody patches
// the build (unpatched, or eol when upstream has ended too); within the
// window the OS's end is the date that counts.
func capAtOSEnd(v verdict, vl vendorLife, opt Options) verdict {
	end := vl.until
	if end.IsZero() || v.status == VerdictEOL {
		return v
	}
	e := dateString(end)
	if opt.At.After(end) {
		u := v
		u.status, u.phase, u.eolDate, u.days, u.distroUntil = VerdictUnpatched, "vendor support", e, daysBetween(end, opt.At), ""
		u.reason = fmt.Sprintf("no fixes since %s ended on %s (%d days ago); upstream: %s", vl.who, e, u.days, v.reason)
		return u
	}
	if daysBetween(opt.At, end) <= opt.Within && (v.status != VerdictEOLSoon || end.Format(time.DateOnly) < v.eolDate) {
		u := v
		u.status, u.phase, u.eolDate, u.days, u.distroUntil = VerdictEOLSoon, "vendor support", e, -daysBetween(opt.At, end), ""
		u.reason = fmt.Sprintf("%s ends on %s (in %d days), and with it the fixes; upstream: %s", vl.who, e, -u.days, v.reason)
		return u
	}
	return v
}

func sourceText(source string) string {
	switch source {
	case SourceHandBuilt:
		return "a hand-built binary no package owns"
	case SourceThirdParty:
		return "a package from a third-party repository"
	}
	return source
}

// fallbackCycle names a cycle the data does not have: major.minor.
func fallbackCycle(upstream string) string {
	p := numericParts(upstream)
	if len(p) > 2 {
		p = p[:2]
	}
	return joinParts(p)
}

func dateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func untilText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return " until " + t.Format(time.DateOnly)
}

func untilOrOpen(t time.Time) string {
	if t.IsZero() {
		return "with no end announced"
	}
	return "until " + t.Format(time.DateOnly)
}

func onText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return " " + t.Format(time.DateOnly)
}

// daysBetween counts whole days from a to b (negative when b is earlier).
func daysBetween(a, b time.Time) int {
	a = time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	b = time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Hours() / 24)
}

// osSupportAt says whether an OS release still supports its packages at
// opt.At: its cycle's eol (standard security support) has not passed, or,
// with --extended-support, its eoes has not.
func (d *Data) osSupportAt(product, cycle string, opt Options) osSupport {
	s := osSupport{name: product + " " + cycle}
	p, ok := d.products[product]
	if !ok {
		return s
	}
	s.name = p.Label + " " + cycle
	c, ok := d.Cycle(product, cycle)
	if !ok {
		return s
	}
	s.known = true
	end, phase := c.EOL, p.Labels.EOL
	if opt.ExtendedSupport && c.EOES.Tracked && p.Labels.EOES != "" {
		end, phase = c.EOES, p.Labels.EOES
	}
	if phase == "" {
		phase = "support"
	}
	s.phase = phase
	s.until = end.Date
	s.inSupport = end.Tracked && !end.Passed(opt.At)
	return s
}

// oldestCycle is the product's lowest cycle by upstream version order.
func (d *Data) oldestCycle(product string) (Cycle, bool) {
	p, ok := d.products[product]
	if !ok || len(p.Cycles) == 0 {
		return Cycle{}, false
	}
	o := p.Cycles[0]
	for _, c := range p.Cycles[1:] {
		if version.Compare(version.Upstream, c.Name, o.Name) < 0 {
			o = c
		}
	}
	return o, true
}
