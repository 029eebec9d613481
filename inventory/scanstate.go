package inventory

// ScanState is what became of a scan as a whole, from its stored rows.
type ScanState string

// Scan states. Only complete and partial scans are judged unless a scan is
// asked for by id: an interrupted scan holds only the hosts it reached, and
// judging it as the fleet would hide every host it did not.
const (
	ScanComplete    ScanState = "complete"    // finished; every host it meant to scan has a report
	ScanPartial     ScanState = "partial"     // finished; some hosts have no report (offline, failed, ...)
	ScanFailed      ScanState = "failed"      // finished with an error, or no host has a report
	ScanInterrupted ScanState = "interrupted" // never finished: killed, cancelled, or still running (a source error fails the scan)
	ScanEmpty       ScanState = "empty"       // finished without storing a host (no target matched)
)

// Stored is the number of hosts the scan stored, whatever their status.
func (s Scan) Stored() int {
	n := 0
	for _, c := range s.Counts {
		n += c
	}
	return n
}

// Scanned is the number of hosts with package data.
func (s Scan) Scanned() int {
	n := 0
	for st, c := range s.Counts {
		if st.Scanned() {
			n += c
		}
	}
	return n
}

// Missing is the number of hosts the scan meant to store but did not (an
// import killed half way), 0 when it does not know how many it meant to.
func (s Scan) Missing() int {
	return max(0, s.Expected-s.Stored())
}

// State classifies the scan.
func (s Scan) State() ScanState {
	switch {
	case s.Finished.IsZero():
		return ScanInterrupted
	case s.Error != "":
		return ScanFailed
	case s.Stored() == 0 && s.Expected == 0:
		return ScanEmpty
	case s.Scanned() == 0:
		return ScanFailed
	case s.Scanned() < s.Stored() || s.Missing() > 0:
		return ScanPartial
	}
	return ScanComplete
}

// Usable reports whether the scan is judged when no scan is named: it
// finished and at least one host has package data.
func (s Scan) Usable() bool {
	st := s.State()
	return st == ScanComplete || st == ScanPartial
}
