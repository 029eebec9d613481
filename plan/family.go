package plan

import (
	"fmt"
	"time"

	"upkeep/advisories"
	"upkeep/registry"
)

// pickFamilyCycle chooses the RHEL-family release a CentOS cohort moves to.
// The move is a rebuild (or a conversion) either way, so the release must
// still be in full support at the plan date, not only in maintenance: a
// maintenance-only release gets no new Application Streams (RHEL 8 since
// 2024-05-31: no PHP 8.3, no Node.js 26), so its lines run out while the
// release itself lives on. Among those, minimal takes the oldest, latest the
// newest; every candidate must also be supported past the window.
func pickFamilyCycle(cs []advisories.Cycle, from string, at, deadline time.Time, o Options) (advisories.Cycle, bool) {
	var full, alive []advisories.Cycle
	for _, c := range cs {
		if cmpCycle(c.Name, from) <= 0 || !supportedAt(c, deadline, o.ExtendedSupport) {
			continue
		}
		alive = append(alive, c)
		if !c.EOAS.Passed(at) {
			full = append(full, c)
		}
	}
	cands := full
	if len(cands) == 0 {
		cands = alive
	}
	if len(cands) == 0 {
		return advisories.Cycle{}, false
	}
	if o.Strategy == Latest {
		return cands[len(cands)-1], true
	}
	return cands[0], true
}

// familyMove is the OS step of a CentOS cohort moving to a RHEL-family
// release.
func familyMove(c *Cohort, osf *facts, fl registry.FamilyLine, fc []advisories.Cycle, to advisories.Cycle, o Options) *Step {
	osf.fromIdx, osf.toIdx = -1, -1
	osf.toEnd = endOf(to, o.ExtendedSupport)
	osf.ports, osf.running = cohortExposure(c)
	s := newStep(c, KindOS, ActionMove, c.osProduct, osf)
	s.From, s.FromCycle, s.To = c.osCycle, c.osCycle, to.Name
	s.ProductLabel = labelOr(osf.label, c.osProduct)
	s.ToProduct, s.ToLabel = fl.Product, fl.Label
	s.OnOS = fmt.Sprintf("RHEL %s family (RHEL, AlmaLinux or Rocky Linux %s)", to.Name, to.Name)
	s.Hint = fmt.Sprintf("rebuild on RHEL %s, AlmaLinux %s or Rocky Linux %s (%s %s has no supported successor of its own); "+
		"or convert in place (convert2rhel for RHEL, ELevate for AlmaLinux or Rocky Linux), then leapp one release at a time%s",
		to.Name, to.Name, to.Name, s.ProductLabel, c.osCycle, familyPath(fc, c.osCycle, to.Name))
	return s
}

// familyPath spells the in-place path between two releases: " (7 → 8 → 9)".
func familyPath(cs []advisories.Cycle, from, to string) string {
	path := from
	for _, c := range cs {
		if cmpCycle(c.Name, from) > 0 && cmpCycle(c.Name, to) <= 0 {
			path += " → " + c.Name
		}
	}
	return " (" + path + ")"
}
