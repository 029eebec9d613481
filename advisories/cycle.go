package advisories

import "time"

// PhaseEnd is when one support phase of a release cycle ends, as
// endoflife.date records it: a date, "ended, date unknown" (true), "no date
// announced" (false), or not tracked for this product at all (null).
type PhaseEnd struct {
	Date    time.Time // zero unless the source gives a date
	Ended   bool      // the source says true: ended, date unknown
	Tracked bool      // false when the source has null: the product has no such phase
}

// Passed reports whether the phase is over at the given day. A date is the
// last supported day, so the phase is over only after it.
func (e PhaseEnd) Passed(at time.Time) bool {
	if !e.Tracked {
		return false
	}
	if e.Date.IsZero() {
		return e.Ended
	}
	return at.After(e.Date)
}

// Cycle is one release cycle of a product ("1.20" of nginx).
type Cycle struct {
	Product  string
	Name     string    // cycle name as endoflife.date spells it: "1.20", "8", "2023"
	Codename string    // "jammy"; "" when none
	Released time.Time // zero when unknown
	LTS      bool
	EOAS     PhaseEnd // end of active support
	EOL      PhaseEnd // end of the phase the product labels "eol" (usually security support)
	EOES     PhaseEnd // end of extended (often paid) support
	Latest   string   // latest release in the cycle, when known
}
