package plan

import (
	"sort"
	"time"

	"upkeep/advisories"
)

// pickCycle chooses an OS release's successor by the strategy.
func pickCycle(cs []advisories.Cycle, from string, deadline time.Time, o Options) (advisories.Cycle, bool) {
	var cands []advisories.Cycle
	for _, c := range cs {
		if newer(cs, from, c.Name) && supportedAt(c, deadline, o.ExtendedSupport) {
			cands = append(cands, c)
		}
	}
	if len(cands) == 0 {
		return advisories.Cycle{}, false
	}
	if o.Strategy == Latest {
		return cands[len(cands)-1], true
	}
	return cands[0], true
}

// offerEnd says whether a line the release ships is supported at the
// deadline, and until when in words and as a day (zero: no end announced or
// not known): for the release's life (support os), until the vendor retires
// it (a RHEL Application Stream; never past the release's own end), or until
// its upstream cycle ends.
func offerEnd(of *Offer, c *advisories.Cycle, osOK bool, osEnd, deadline time.Time, o Options) (bool, string, time.Time) {
	switch {
	case !of.Until.IsZero():
		day, why := of.Until, "the vendor retires this line on the release"
		if !osEnd.IsZero() && osEnd.Before(day) {
			day, why = osEnd, "the OS release's end"
		}
		return osOK && !day.Before(deadline), day.Format(time.DateOnly) + " (" + why + ")", day
	case of.OSSupported:
		if osEnd.IsZero() {
			return osOK, "the OS release's end", osEnd
		}
		return osOK, osEnd.Format(time.DateOnly) + " (the OS release's end)", osEnd
	case c != nil:
		return supportedAt(*c, deadline, o.ExtendedSupport), endOf(*c, o.ExtendedSupport), endDate(*c, o.ExtendedSupport)
	}
	return false, "", time.Time{}
}

type target struct {
	cycle  advisories.Cycle
	offer  *Offer
	end    string
	endDay time.Time // zero when no end is announced (open) or not known
	open   bool      // supported with no end announced
}

// endsLater reports whether target a is supported longer than b: no end
// announced beats a date, a later date beats an earlier one.
func endsLater(a, b target) bool {
	switch {
	case a.open && !b.open:
		return true
	case b.open:
		return false
	}
	return a.endDay.After(b.endDay)
}

// endDate is the last supported day of a cycle, zero when none is known.
func endDate(c advisories.Cycle, extended bool) time.Time {
	e := c.EOL
	if extended && c.EOES.Tracked && !c.EOES.Date.IsZero() {
		e = c.EOES
	}
	return e.Date
}

// pickTarget chooses a product's target cycle: among what the OS ships when
// the data says, else among upstream cycles; supported at the deadline
// (an OS-supported offer counts while its OS release does); the smallest
// newer one for Minimal, the newest for Latest. After an OS move the current
// cycle is a valid target when the new release ships and supports it.
func pickTarget(cs []advisories.Cycle, from string, offers []Offer, osOK, moved bool, osEnd time.Time, deadline time.Time, o Options) (target, bool) {
	var cands []target
	if len(offers) > 0 {
		for i := range offers {
			of := &offers[i]
			c := findCycle(cs, of.Cycle)
			cy := advisories.Cycle{Name: of.Cycle}
			if c != nil {
				cy = *c
			}
			if !(newer(cs, from, of.Cycle) || (moved && of.Cycle == from)) {
				continue
			}
			ok, end, endDay := offerEnd(of, c, osOK, osEnd, deadline, o)
			if ok {
				cands = append(cands, target{cycle: cy, offer: of, end: end, endDay: endDay, open: ok && end == ""})
			}
		}
		sort.SliceStable(cands, func(i, j int) bool { return newer(cs, cands[i].cycle.Name, cands[j].cycle.Name) })
		if o.Strategy != Latest && len(cands) > 1 {
			// Among what the release ships, the line supported longest past
			// the date: never one that ends inside the window when a longer
			// one ships (AL2023's php8.2 ends 2026-12-31, php8.4 2028-12-31).
			// Ties go to the smaller move.
			best := 0
			for i := 1; i < len(cands); i++ {
				if endsLater(cands[i], cands[best]) {
					best = i
				}
			}
			return cands[best], true
		}
	} else {
		for _, c := range cs {
			if newer(cs, from, c.Name) && supportedAt(c, deadline, o.ExtendedSupport) {
				cands = append(cands, target{cycle: c, end: endOf(c, o.ExtendedSupport)})
			}
		}
	}
	if len(cands) == 0 {
		return target{}, false
	}
	if o.Strategy == Latest {
		return cands[len(cands)-1], true
	}
	return cands[0], true
}
