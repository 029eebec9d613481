package advisories

import (
	"fmt"
	"time"

	"upkeep/advisories/version"
)

// osSupport is whether a host's OS still patches its own packages at the
// evaluation date, and until when.
type osSupport struct {
	name      string    // "Ubuntu 22.04"
	inSupport bool      // standard support (or, with --extended-support, extended) not over
	until     time.Time // last day of that support; zero when no date is announced
	phase     string    // the phase that runs until then
	known     bool      // the OS and its cycle are in the data
	al2       bool      // Amazon Linux 2: extras topics follow upstream support
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
}

// judgeCycle evaluates one product version at opt.At. source says who built
// it (os-vendor, third-party, hand-built); an OS vendor's package on an OS
// still in support is distro-supported when its upstream line has ended.
func (d *Data) judgeCycle(product, upstream, source string, os osSupport, extras bool, opt Options) verdict {
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
		if source == SourceOSVendor && os.inSupport && !extras {
			v.status = VerdictDistroSupported
			v.distroUntil = dateString(os.until)
			v.reason = fmt.Sprintf("%s has no release cycle for %s in the data; the package is maintained by %s%s",
				p.Label, upstream, os.name, untilText(os.until))
			return v
		}
		v.status = VerdictUnknown
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
		if opt.ExtendedSupport {
			end, phase = c.EOES, p.Labels.EOES
		} else if c.EOL.Passed(opt.At) && !c.EOES.Passed(opt.At) {
			extNote = fmt.Sprintf("; %s continues %s (counts with --extended-support)", p.Labels.EOES, untilOrOpen(c.EOES.Date))
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
	if source == SourceOSVendor && !extras && os.known && !os.until.IsZero() {
		v.vendorUntil = dateString(os.until)
	}
	if v.status != VerdictEOL && v.status != VerdictEOLSoon {
		return v
	}
	switch {
	case source == sourceOS:
	case source != SourceOSVendor:
		v.reason += "; " + sourceText(source) + ", so no OS vendor patches it"
	case extras:
		v.reason += "; installed from an Amazon Linux Extras topic, which follows upstream support"
	case os.inSupport:
		v.status = VerdictDistroSupported
		v.distroUntil = dateString(os.until)
		v.reason += fmt.Sprintf("; %s patches its package while the OS is in %s%s", os.name, os.phase, untilText(os.until))
	case os.known:
		v.reason += fmt.Sprintf("; %s itself is out of %s, so its package gets the upstream verdict", os.name, os.phase)
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
	s.al2 = product == "amazon-linux" && cycle == "2"
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
