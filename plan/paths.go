package plan

import (
	"fmt"
	"strings"

	"upkeep/advisories"
	"upkeep/registry"
)

// A database's data outlives its server: a major upgrade converts it, and
// some vendors allow that only one series at a time. How each product moves
// between majors is its registry upgrade_path (action, rollback, restart,
// the hops an in-place upgrade may not skip, each with its source).

// hops lists the cycles an upgrade of a product from one cycle to another
// passes through, the target last; one element when the vendor allows the
// jump in one step.
func hops(p registry.Path, from, to string) []string {
	var out []string
	for _, s := range p.Series {
		if cmpCycle(s, from) > 0 && cmpCycle(s, to) < 0 {
			out = append(out, s)
		}
	}
	return append(out, to)
}

// dbStepNotes fills a database step's data migration, rollback and restart.
func dbStepNotes(reg *registry.Registry, s *Step, moved bool) {
	p, ok := reg.UpgradePath(s.Product)
	if !ok || s.Action != ActionUpgrade {
		return
	}
	s.Migration = p.Action
	if moved && p.Rebuilt != "" {
		s.Migration = p.Rebuilt + "; " + p.Action
	}
	s.Migration += " (" + p.SourceURL + ")"
	s.Rollback, s.Restart = p.Rollback, p.Restart
}

// chainSteps splits an upgrade that skips a series the vendor requires
// into one step per hop (MySQL 5.7 → 8.0 → 8.4), each on the cycle the
// last one reached.
func chainSteps(reg *registry.Registry, s *Step, cycles []advisories.Cycle) []*Step {
	p, ok := reg.UpgradePath(s.Product)
	if !ok {
		return []*Step{s}
	}
	hs := hops(p, s.FromCycle, s.To)
	if len(hs) == 1 {
		return []*Step{s}
	}
	out := make([]*Step, 0, len(hs))
	from := s.FromCycle
	via := from + " → " + strings.Join(hs, " → ")
	for i, h := range hs {
		n := s
		if i < len(hs)-1 {
			c := *s
			x := *s.facts
			c.facts = &x
			n = &c
			x.toEnd = ""
			if cy := findCycle(cycles, h); cy != nil && endOf(*cy, false) != "" {
				x.toEnd = endOf(*cy, false) + " (a series the path passes through, not the target)"
			}
			n.Hint = fmt.Sprintf("upgrade %s %s to %s in place (a required step: %s)", s.ProductLabel, from, h, p.HopSource[h])
		}
		if i > 0 {
			n.From = from
		}
		n.FromCycle, n.To = from, h
		n.facts.fromIdx, n.facts.toIdx = indexOf(cycles, from), indexOf(cycles, h)
		n.facts.majors = majorsCrossed(cycles, n.facts.fromIdx, n.facts.toIdx, from, h)
		n.facts.via = via
		out = append(out, n)
		from = h
	}
	return out
}
