package advisories

import (
	"fmt"
	"strings"
	"time"

	"upkeep/inventory"
	"upkeep/registry"
)

// hostEnv is what judging a host's packages needs besides the packages:
// its OS, whether that OS still patches, and the vendor's own support
// statements for installed packages (dnf supportinfo), by package name.
type hostEnv struct {
	osr      inventory.OSRelease
	sup      osSupport
	support  map[string]inventory.SupportStatement
	listings map[string][]inventory.SecurityListing // Debian's debian-security-support lists, by installed package
}

func newHostEnv(rep *inventory.Report, osr inventory.OSRelease, sup osSupport) hostEnv {
	e := hostEnv{osr: osr, sup: sup, listings: debianListings(rep, osr)}
	if len(rep.Support) > 0 {
		e.support = make(map[string]inventory.SupportStatement, len(rep.Support))
		for _, s := range rep.Support {
			e.support[s.Package] = s
		}
	}
	return e
}

// vendorLife is how long the OS vendor patches one of its builds: for the
// OS release's life (os), only while upstream supports the cycle
// (upstream), or until a date of its own (until: an Application Stream, a
// Software Collection, a vendor support statement), never past the OS. A
// build that follows upstream still carries the OS release's end: an
// Amazon Linux 2 Extras topic or an Ubuntu universe package gets no fixes
// once the release has ended, whatever upstream does.
type vendorLife struct {
	kind  string    // registry.SupportOS, SupportUpstream or SupportUntil; "" when not known (the OS is not in the data)
	until time.Time // the last patched day (for upstream: the OS release's); zero when none is announced
	who   string    // whose patches: "Ubuntu 22.04", "Red Hat's nodejs:10 stream on RHEL 8"
	why   string    // for upstream: why the vendor's support follows upstream
	src   string    // the rule's source URL

	detail  string // more the reason says: what Debian's ended list says of the build
	limited string // Debian's limited list names the build: why (never supported or distro-supported)
	// noComponent says why an Ubuntu build's archive component is not
	// known: main would make it distro-supported, universe would not, so
	// it is never distro-supported on that guess (unknown instead).
	noComponent string
}

func (v vendorLife) key() string {
	return v.kind + "\x00" + dateString(v.until) + "\x00" + v.who + "\x00" + v.why + "\x00" + v.detail + "\x00" + v.limited + "\x00" + v.noComponent
}

// ubuntuComponentLife is the life of an Ubuntu build in universe or
// multiverse: Canonical patches those only with Ubuntu Pro (ESM Apps), so
// without --extended-support upstream's dates count while the release is
// supported, and once the release has ended nobody patches them (its
// community maintenance ends with it). done is false for other components.
func ubuntuComponentLife(osLife vendorLife, sup osSupport, component, src string, opt Options) (vendorLife, bool) {
	if component != "universe" && component != "multiverse" {
		return vendorLife{}, false
	}
	if opt.ExtendedSupport {
		osLife.who = sup.name + " with Ubuntu Pro (ESM Apps covers " + component + ")"
		return osLife, true
	}
	if !sup.until.IsZero() && opt.At.After(sup.until) {
		osLife.who = sup.name + " (its " + component + " component, community maintained, gets no fixes after the release ends)"
		return osLife, true
	}
	return vendorLife{kind: registry.SupportUpstream, src: src, until: sup.until, who: sup.name,
		why: fmt.Sprintf("it is in Ubuntu's %s component, which Canonical patches only with Ubuntu Pro (ESM Apps), so upstream's dates count", component)}, true
}

// vendorLifeOf finds the life cycle of a vendor build: the host's own
// support statement first, then the registry's rules (the product's, then
// the OS's), then the OS release's life; on Debian, what the host's
// debian-security-support lists say of the package comes on top. p is nil
// for the running kernel.
func (d *Data) vendorLifeOf(env hostEnv, product, cycle string, p *inventory.Package, opt Options) vendorLife {
	vl := d.vendorLifeBase(env, product, cycle, p, opt)
	if p != nil && vl.kind != "" {
		if ls, ok := env.listings[p.Name]; ok {
			vl = listingLife(vl, ls, env.sup, opt.At)
		}
	}
	return vl
}

func (d *Data) vendorLifeBase(env hostEnv, product, cycle string, p *inventory.Package, opt Options) vendorLife {
	sup := env.sup
	osProduct, osCycle := OSCycle(env.osr)
	if !sup.known {
		return vendorLife{}
	}
	osLife := vendorLife{kind: registry.SupportOS, until: sup.until, who: sup.name}
	q := registry.VendorQuery{OSProduct: osProduct, OSCycle: osCycle, Product: product, Cycle: cycle}
	if fam, ok := d.reg.OSFamily(env.osr.ID); ok {
		q.OSFamily = fam.Family
	}
	component := ""
	if p != nil {
		q.Package = p.Name
		if st, ok := env.support[p.Name]; ok {
			if v, ok := statementLife(st, sup, opt.At); ok {
				return v
			}
		}
		if osProduct == "amazon-linux" && osCycle == "2023" && d.al2023 != nil {
			// AWS's SupportInfo data, read by 'upkeep data update', for hosts
			// without dnf supportinfo.
			if s, ok := d.AL2023Support(p.Name); ok {
				st := inventory.SupportStatement{Package: s.Package, Level: s.Level, Ends: s.Ends, Source: "AL2023 SupportInfo"}
				if v, ok := statementLife(st, sup, opt.At); ok {
					return v
				}
			}
		}
		q.Modular, q.Stream = moduleStream(*p)
		q.Collection = d.reg.CollectionOf(p.Name) // repositories.yaml collections
		component = p.Component
	}
	rule, src, ok := d.reg.VendorRule(q)
	if ok && component == "" {
		component = rule.Component
	}
	if osProduct == "ubuntu" && p != nil {
		if v, done := ubuntuComponentLife(osLife, sup, component, src.URL, opt); done {
			return v
		}
		if component == "" {
			osLife.noComponent = "Canonical patches it only if it is in Ubuntu's main or restricted component, and neither the host's apt indexes nor the registry say which component it is in"
		}
	}
	if !ok {
		return osLife
	}
	switch rule.Support {
	case registry.SupportUpstream:
		why := "its vendor supports it only as long as upstream does"
		switch {
		case rule.Note != "":
			why = rule.Note
		case osProduct == "amazon-linux" && osCycle == "2023":
			why = "AWS supports this Amazon Linux 2023 package only as long as upstream does"
		case q.Modular:
			why = "the registry has no retirement date for its Application Stream, so upstream's dates count"
		}
		return vendorLife{kind: registry.SupportUpstream, why: why, src: src.URL, until: sup.until, who: sup.name}
	case registry.SupportUntil:
		v := vendorLife{kind: registry.SupportUntil, until: rule.UntilDate(), src: src.URL}
		switch {
		case q.Collection != "":
			v.who = fmt.Sprintf("the %s Software Collection on %s", q.Collection, sup.name)
		case rule.Stream != "":
			v.who = fmt.Sprintf("Red Hat's %s %s Application Stream on %s", product, rule.Stream, sup.name)
		default:
			v.who = fmt.Sprintf("%s's life cycle for %s", sup.name, q.Package)
		}
		if !sup.until.IsZero() && sup.until.Before(v.until) {
			return osLife // the stream outlives the OS: the OS's end counts
		}
		return v
	}
	return osLife
}

// statementLife reads a vendor support statement (dnf supportinfo). A
// statement without a date or level it can read says nothing.
func statementLife(st inventory.SupportStatement, sup osSupport, at time.Time) (vendorLife, bool) {
	who := "AWS's support statement for " + st.Package
	if st.Source != "" {
		who += " (" + st.Source + ")"
	}
	level := strings.ToLower(st.Level)
	ends, err := time.Parse(time.DateOnly, strings.TrimSpace(st.Ends))
	ended := strings.Contains(level, "end-of-support") || strings.Contains(level, "unsupported") ||
		strings.Contains(level, "eol") || level == "eos"
	switch {
	case strings.Contains(level, "unsupported"):
		// A statement of non-support (the legacy marker "unsupported"): the
		// date a host's support_info.xml gives with it is when the statement
		// stops applying, not a day until which anyone patches the package.
		return vendorLife{kind: registry.SupportUntil, until: at.AddDate(0, 0, -1), who: who}, true
	case err == nil:
		if !sup.until.IsZero() && sup.until.Before(ends) {
			ends = sup.until
		}
		return vendorLife{kind: registry.SupportUntil, until: ends, who: who}, true
	case ended:
		return vendorLife{kind: registry.SupportUntil, until: at.AddDate(0, 0, -1), who: who}, true
	}
	return vendorLife{}, false
}

// moduleStream reads the Application Stream of a RHEL 8+ build: from its
// MODULARITYLABEL (name:stream:version:context), or, when only the release
// says it is modular (".module+el8.3.0+..."), the stream is its cycle.
func moduleStream(p inventory.Package) (modular bool, stream string) {
	if p.Module != "" {
		parts := strings.Split(p.Module, ":")
		if len(parts) > 1 {
			return true, parts[1]
		}
		return true, ""
	}
	return strings.Contains(p.Release, ".module+el") || strings.Contains(p.Release, ".module_el"), ""
}
