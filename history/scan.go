// Package history works on the scans a database keeps over time: which scan
// a command judges, what changed between two scans, which hosts of one role
// have drifted apart, and how far a plan has got.
package history

import (
	"fmt"
	"strings"

	"upkeep/inventory"
	"upkeep/inventory/store"
)

// Why says in a few words why a scan that is not judged by default is not:
// "interrupted: it never finished". "" for a usable scan.
func Why(s inventory.Scan) string {
	switch s.State() {
	case inventory.ScanInterrupted:
		what := "it never finished (killed, cancelled with Ctrl-C, or still running)"
		if s.Missing() > 0 {
			what += fmt.Sprintf("; it stored %d of the %d hosts it meant to", s.Stored(), s.Expected)
		}
		return "interrupted: " + what
	case inventory.ScanFailed:
		if s.Error != "" {
			return "failed: " + s.Error
		}
		return fmt.Sprintf("failed: none of its %d hosts has package data", s.Stored())
	case inventory.ScanEmpty:
		return "empty: it stored no host"
	}
	return ""
}

// Notes are what a judging command says on stderr about the scan it
// judges: the newer scans it skipped and why (default choice), or what is
// wrong with a scan asked for by id that would not be judged by default.
func Notes(r store.Resolved, explicit bool) []string {
	s := r.Scan
	var out []string
	if explicit {
		if !s.Usable() {
			out = append(out, fmt.Sprintf("warning: scan %d is %s; judging it as asked", s.ID, Why(s)))
		}
		if n := s.Missing(); n > 0 {
			out = append(out, fmt.Sprintf("warning: scan %d did not store %d of the %d hosts it meant to scan: they are counted as not scanned", s.ID, n, s.Expected))
		}
		return out
	}
	if len(r.Skipped) > 0 {
		const most = 3
		var parts []string
		for i, k := range r.Skipped {
			if i == most {
				parts = append(parts, fmt.Sprintf("and %d more", len(r.Skipped)-most))
				break
			}
			parts = append(parts, fmt.Sprintf("%d (%s)", k.ID, Why(k)))
		}
		out = append(out, fmt.Sprintf("note: judging scan %d (%s, %s); skipped newer scan %s; pick one with --scan ID (see 'upkeep inventory scans')",
			s.ID, s.State(), s.Started.UTC().Format("2006-01-02 15:04"), strings.Join(parts, ", ")))
	}
	return out
}

// Placeholders stands in for the hosts a scan meant to store but did not
// (an import killed half way): one observation each, not scanned, so that
// every count of hosts not scanned includes them. Their ids are made up:
// the scan never learnt who they were.
func Placeholders(s inventory.Scan) []inventory.Observation {
	n := s.Missing()
	out := make([]inventory.Observation, n)
	for i := range out {
		out[i] = inventory.Observation{
			ScanID: s.ID,
			Host:   inventory.Host{ID: fmt.Sprintf("(not stored %d of %d)", i+1, n), Source: s.Source},
			Status: inventory.StatusPending,
			Error:  fmt.Sprintf("scan %d stopped before storing this host: %d of %d hosts stored", s.ID, s.Stored(), s.Expected),
		}
	}
	return out
}

// Pair chooses the two scans diff compares. scans are every stored scan,
// newest first. With no id the two latest usable scans; with one, that
// scan against the latest usable scan; with two, those.
func Pair(scans []inventory.Scan, ids []int64) (from, to inventory.Scan, err error) {
	byID := map[int64]inventory.Scan{}
	var usable []inventory.Scan
	for _, s := range scans {
		byID[s.ID] = s
		if s.Usable() {
			usable = append(usable, s)
		}
	}
	get := func(id int64) (inventory.Scan, error) {
		s, ok := byID[id]
		if !ok {
			return s, fmt.Errorf("scan %d: %w (list scans with 'upkeep scans')", id, store.ErrNotFound)
		}
		return s, nil
	}
	switch len(ids) {
	case 2:
		if from, err = get(ids[0]); err != nil {
			return
		}
		to, err = get(ids[1])
		return
	case 1:
		if from, err = get(ids[0]); err != nil {
			return
		}
		if len(usable) == 0 {
			return from, to, fmt.Errorf("%w: no scan finished with a host that has package data to compare scan %d with", store.ErrNoUsableScan, ids[0])
		}
		return from, usable[0], nil
	}
	if len(usable) < 2 {
		return from, to, fmt.Errorf("%w: diff needs two scans that finished with hosts that have package data, and the database has %d (see 'upkeep scans')", store.ErrNoUsableScan, len(usable))
	}
	return usable[1], usable[0], nil
}
