package plan

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"upkeep/advisories"
	"upkeep/registry"
)

// Breaking is a known breaking transition between two cycles of a product.
type Breaking struct {
	Product string
	From    string // cycle prefix ("7" matches 7.4) or comparison ("<1.25"): registry.CycleMatches
	To      string
	Summary string
	Source  string // the vendor's migration notes
}

// DefaultBreaking returns the registry's breaking transitions: os.yaml's
// transitions and each product's breaking rows.
func DefaultBreaking() []Breaking {
	var out []Breaking
	for _, t := range registry.Default().BreakingTransitions() {
		out = append(out, Breaking{Product: t.Product, From: t.From, To: t.To, Summary: t.Summary, Source: t.SourceURL})
	}
	return out
}

// matches reports whether the transition covers a move between two cycles.
func (b Breaking) matches(product, from, to string) bool {
	return b.Product == product && registry.CycleMatches(from, b.From) && registry.CycleMatches(to, b.To)
}

// Score points per risk factor. A step's level is the sum: up to 2 low, up to
// 5 medium, up to 8 high, above that critical. The weights make one known
// breaking change on a production cohort "high" on its own, and an OS rebuild
// of listening production hosts "critical".
const (
	ptsMajor      = 2 // each major version jumped (up to two counted)
	ptsManyCycles = 1 // four or more release cycles jumped
	ptsOSMove     = 2 // an OS move changes every package of the hosts at once
	ptsLongEOL    = 2 // more than two years past end of life
	ptsEOL        = 1 // past end of life
	ptsListening  = 2 // running and listening
	ptsRunning    = 1 // running, not listening
	ptsManyHosts  = 2 // ten hosts or more
	ptsSomeHosts  = 1 // three hosts or more
	ptsProd       = 2 // a production wave
	ptsHandBuilt  = 1 // the version came from a binary no package owns
	ptsUnknown    = 2 // no end-of-life data for the cycle
	ptsShipsWhat  = 1 // the data does not say what the target OS ships
	ptsNotShipped = 2 // the target OS ships no cycle of the product
	ptsBreaking   = 3 // each known breaking transition
	ptsReplace    = 2 // another product takes the role: service name, configuration and tooling change
)

func level(score int) Risk {
	switch {
	case score <= 2:
		return RiskLow
	case score <= 5:
		return RiskMedium
	case score <= 8:
		return RiskHigh
	}
	return RiskCritical
}

// assessRisk sets a step's risk level, score, reasons and urgency.
func assessRisk(s *Step, in Input, breaking []Breaking) {
	x := s.facts
	score := 0
	var r []string
	add := func(pts int, format string, a ...any) {
		score += pts
		r = append(r, fmt.Sprintf(format, a...))
	}
	prod := isProd(s.Wave)

	// What the step does, and how far it jumps.
	switch {
	case s.Action == ActionKeep:
		add(0, "%s %s needs nothing at this date (%s)", s.ProductLabel, s.FromCycle, s.Status)
	case s.Kind == KindOS:
		add(ptsOSMove, "moves %s from %s to %s: every package on them changes at once", plural(s.HostCount, "host"), s.c.OS, s.OnOS)
	default:
		majors := x.majors
		cycles := x.toIdx - x.fromIdx
		dist := fmt.Sprintf("%s %s → %s", s.ProductLabel, s.FromCycle, s.To)
		switch {
		case x.replaced != nil:
			add(ptsReplace, "replacement: no cycle of %s newer than %s that %s ships is supported past the window; %s %s takes its place: %s (%s)",
				s.ProductLabel, s.FromCycle, s.OnOS, s.ToLabel, s.To, x.replaced.Note, x.replaced.Source)
		case s.FromCycle == s.To:
			add(0, "%s: same cycle, reinstalled from %s's repositories", dist, s.OnOS)
		case majors > 0:
			pts := ptsMajor * min(majors, 2)
			extra := ""
			if cycles > 0 {
				extra = ", " + plural(cycles, "release cycle")
			}
			if cycles >= 4 {
				pts += ptsManyCycles
			}
			add(pts, "%s: %s%s", dist, plural(majors, "major version"), extra)
		case cycles >= 4:
			add(ptsManyCycles, "%s: %d release cycles within one major version", dist, cycles)
		case cycles > 0:
			add(0, "%s: %s, same major version", dist, plural(cycles, "release cycle"))
		default:
			add(0, "%s", dist)
		}
	}

	// How far past its end of life, counted from the date the plan is made at.
	if d, err := time.Parse("2006-01-02", x.eolDate); err == nil {
		x.days = int(in.At.Sub(d).Hours() / 24)
	}
	unpatched := x.days // days without patches, for the points and the urgency
	vendor := x.vendorUntil != "" && s.Kind == KindPackage
	if d, err := time.Parse("2006-01-02", x.vendorUntil); err == nil && vendor {
		unpatched = int(in.At.Sub(d).Hours() / 24)
	}
	switch advisories.Verdict(s.Status) {
	case advisories.VerdictEOL, advisories.VerdictUnpatched:
		switch {
		case vendor && unpatched > 730:
			add(ptsLongEOL, "upstream ended %s; the OS vendor patched it until %s (end of %s), %d days ago: long unpatched, so the gap to a current version is wide", x.eolDate, x.vendorUntil, s.c.OS, unpatched)
		case vendor && unpatched >= 0:
			add(ptsEOL, "upstream ended %s; the OS vendor patched it until %s (end of %s), %s ago", x.eolDate, x.vendorUntil, s.c.OS, plural(unpatched, "day"))
		case vendor:
			add(0, "upstream ended %s; the OS vendor patches it until %s (end of %s), in %s", x.eolDate, x.vendorUntil, s.c.OS, plural(-unpatched, "day"))
		case x.days > 730:
			add(ptsLongEOL, "%d days past end of life (%s): long unpatched, so the gap to a current version is wide", x.days, x.eolDate)
		default:
			add(ptsEOL, "%d days past end of life (%s)", x.days, x.eolDate)
		}
	case advisories.VerdictEOLSoon:
		add(0, "end of life in %s (%s)", plural(-x.days, "day"), x.eolDate)
	case advisories.VerdictDistroSupported:
		add(0, "upstream support ended; the OS vendor patches it only while %s is supported", s.c.OS)
	case advisories.VerdictUnknown:
		add(ptsUnknown, "no end-of-life data for %s %s: the verdict is unknown", s.ProductLabel, s.FromCycle)
	}

	// Exposure.
	switch {
	case len(x.ports) > 0:
		add(ptsListening, "running and listening on %s", portList(x.ports))
	case x.running:
		add(ptsRunning, "running, not listening")
	case s.Kind == KindPackage:
		add(0, "installed, not running")
	}

	// Blast radius.
	br := fmt.Sprintf("%s in %s", plural(s.HostCount, "host"), s.Wave)
	pts := 0
	switch {
	case s.HostCount >= 10:
		pts = ptsManyHosts
	case s.HostCount >= 3:
		pts = ptsSomeHosts
	}
	if prod && s.Action != ActionKeep {
		pts += ptsProd
		if s.Canary != "" {
			br += " (production: canary " + s.Canary + " first)"
		} else {
			br += " (production, a single host: no canary, so snapshot it first)"
		}
	}
	add(pts, "%s", br)

	// Confidence in the data.
	if x.handBuilt {
		add(ptsHandBuilt, "version read from a binary no package owns (%s): its build options and modules must be reproduced", x.probePath)
	}
	if s.Kind == KindPackage && s.Action != ActionKeep {
		switch {
		case x.notShipped:
			add(ptsNotShipped, "%s ships no %s: %s (%s)", s.OnOS, s.ProductLabel, x.shipNote, x.shipSource)
		case x.moved && x.shipUnknown:
			add(ptsShipsWhat, "not known whether %s ships %s %s: upkeep's data has no row for it, so the target is the upstream cycle; check before the move (%s)",
				s.OnOS, s.ProductLabel, s.To, availabilityCheck(in.Options.Registry, s, x))
		}
	}
	if a := x.alternative; a != nil && s.Action != ActionKeep {
		add(0, "alternative on %s: %s %s (%s), not planned as the target: %s (%s)", s.OnOS, a.Label, a.Offer.Cycle, strings.Join(a.Offer.Packages, ", "), a.Note, a.Source)
	}
	if s.Kind == KindOS && x.shipNote != "" {
		add(0, "%s", x.shipNote)
	}

	// Known breaking transitions.
	if s.Action != ActionKeep {
		for _, b := range breaking {
			if b.matches(s.Product, s.FromCycle, s.To) {
				add(ptsBreaking, "known breaking change %s %s → %s: %s (%s)", s.Product, b.From, b.To, b.Summary, b.Source)
			}
		}
	}
	if x.via != "" {
		path, _ := in.Options.Registry.UpgradePath(s.Product)
		add(0, "upgrade path %s: the vendor does not support skipping a series (%s)", x.via, path.SourceURL)
	}
	if x.waived != "" {
		add(0, "waived: %s", x.waived)
	}
	if s.Action != ActionKeep && x.toEnd != "" {
		add(0, "target %s %s is supported until %s", labelOr(s.ToLabel, s.ProductLabel), s.To, x.toEnd)
	}
	if of := x.toOffer; of != nil && s.Action != ActionKeep {
		note := ""
		if of.Note != "" {
			note = "; " + of.Note
		}
		add(0, "%s ships %s %s as %s%s (%s)", s.OnOS, s.ProductLabel, of.Cycle, strings.Join(of.Packages, ", "), note, of.Source)
	}

	s.Score, s.Risk, s.Reasons = score, level(score), r
	if s.Action == ActionKeep {
		s.Risk = RiskLow
	}
	// Urgency orders ready steps; its parts are kept in words so that the
	// step's "why here" can say which of them put it ahead.
	var parts []string
	switch advisories.Verdict(s.Status) {
	case advisories.VerdictEOL, advisories.VerdictUnpatched:
		s.Urgency = 2
		parts = append(parts, "past end of life")
		if unpatched > 365 {
			s.Urgency++
			parts[0] += " for more than a year"
		}
	case advisories.VerdictEOLSoon:
		s.Urgency = 1
		parts = append(parts, "end of life within the window")
	}
	if s.Urgency > 0 && len(x.ports) > 0 {
		s.Urgency++
		parts = append(parts, "listening on "+portList(x.ports))
	}
	if len(parts) == 0 {
		parts = append(parts, "not yet due")
	}
	x.urgency = strings.Join(parts, ", ")
}

// plural is "1 host", "3 hosts".
func plural(n int, unit string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", unit)
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// majorsJumped counts major versions between two cycle names by arithmetic,
// for products whose cycle list does not hold both ends.
func majorsJumped(from, to string) int {
	a, err1 := strconv.Atoi(major(from))
	b, err2 := strconv.Atoi(major(to))
	if err1 != nil || err2 != nil || b <= a {
		return 0
	}
	return b - a
}

func portList(ports []int) string {
	p := make([]string, len(ports))
	for i, n := range ports {
		p[i] = ":" + strconv.Itoa(n)
	}
	return strings.Join(p, ", ")
}

// availabilityCheck is the command that shows what a release's repositories
// offer of a step's product, run on a host of that release (os.yaml's
// tools query for the release the step runs on).
func availabilityCheck(reg *registry.Registry, s *Step, x *facts) string {
	pkg := s.Product
	if len(s.Packages) > 0 {
		pkg = shortest(s.Packages)
	}
	return queryCmd(reg, x.onOS, x.onCycle, pkg) + " on a " + s.OnOS + " host"
}
