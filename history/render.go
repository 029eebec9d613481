package history

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"upkeep/internal/output"
	"upkeep/inventory"
)

// changeStyle colours a change on a terminal: what got worse in red, what
// got better in green.
func changeStyle(c Change) output.Style {
	switch c.Kind {
	case FindingNew, Downgraded, HostRemoved:
		return output.Danger
	case FindingChanged, PortOpened, StatusChanged:
		return output.Warn
	case FindingFixed, Upgraded:
		return output.OK
	}
	return output.Plain
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// DiffView is how a diff renders: one row per change.
func DiffView(d *Diff) output.View[Change] {
	return output.View[Change]{
		Columns: []output.Column[Change]{
			{Header: "HOST", Field: "host_name", Value: func(c Change) string { return c.HostName }},
			{Field: "host", Value: func(c Change) string { return c.Host }},
			{Header: "CHANGE", Field: "change", Value: func(c Change) string { return string(c.Kind) }, Style: changeStyle},
			{Header: "ITEM", Field: "item", Value: func(c Change) string { return c.Item }, Priority: 1, Min: 20},
			{Header: "FROM", Value: func(c Change) string { return orDash(c.From) }, Priority: 2, Min: 12},
			{Header: "TO", Value: func(c Change) string { return orDash(c.To) }, Priority: 2, Min: 12},
			{Field: "from", Value: func(c Change) string { return c.From }},
			{Field: "to", Value: func(c Change) string { return c.To }},
		},
		JSON:   func(c Change) any { return c },
		Title:  fmt.Sprintf("Changes from scan %d (%s) to scan %d (%s).", d.From.ID, day(d.From), d.To.ID, day(d.To)),
		Footer: strings.ToUpper(d.Summary()[:1]) + d.Summary()[1:] + ".",
	}
}

func day(s inventory.Scan) string { return s.Started.UTC().Format(time.DateOnly) }

// WriteDiff renders a diff.
func WriteDiff(w io.Writer, o output.Options, d *Diff) error {
	return output.Render(w, o, DiffView(d), slices.Values(d.Changes))
}

func driftStyle(r Drift) output.Style {
	switch r.Direction {
	case Behind, Missing:
		return output.Danger
	case Other:
		return output.Warn
	}
	return output.Plain
}

// DriftView is how drift renders: one row per group, item and odd version.
func DriftView(r *DriftReport, by string) output.View[Drift] {
	heading := strings.ToUpper(by)
	if by == "cohort" {
		heading = "COHORT"
	}
	return output.View[Drift]{
		Columns: []output.Column[Drift]{
			{Header: heading, Field: "group", Value: func(d Drift) string { return d.Group }},
			{Header: "ITEM", Field: "item", Value: func(d Drift) string { return d.Item }, Min: 20},
			{Header: "MAJORITY", Field: "majority", Value: func(d Drift) string {
				return fmt.Sprintf("%s (%d/%d)", orAbsent(d.Majority), d.Share, d.Hosts)
			}, Priority: 2, Min: 14},
			{Field: "majority_version", Value: func(d Drift) string { return d.Majority }},
			{Field: "majority_hosts", Value: func(d Drift) string { return strconv.Itoa(d.Share) }},
			{Field: "group_hosts", Value: func(d Drift) string { return strconv.Itoa(d.Hosts) }},
			{Header: "VERSION", Value: func(d Drift) string { return orAbsent(d.Version) }, Priority: 2, Min: 14},
			{Field: "version", Value: func(d Drift) string { return d.Version }},
			{Header: "DRIFT", Field: "direction", Value: func(d Drift) string { return string(d.Direction) }, Style: driftStyle},
			{Header: "HOSTS", Field: "drifted", Value: func(d Drift) string { return strings.Join(d.Drifted, " ") },
				Short: func(d Drift) string { return fmt.Sprintf("%d hosts", len(d.Drifted)) }, Priority: 1, Min: 10},
		},
		JSON:   func(d Drift) any { return d },
		Title:  fmt.Sprintf("Drift in scan %d by %s: %d %s of %d hosts compared.", r.Scan.ID, by, r.Groups, plural(r.Groups, "group"), r.Hosts),
		Footer: driftFooter(r),
	}
}

func orAbsent(v string) string {
	if v == "" {
		return "(absent)"
	}
	return v
}

func driftFooter(r *DriftReport) string {
	hosts, items := map[string]bool{}, map[string]bool{}
	for _, d := range r.Rows {
		items[d.Group+"\x00"+d.Item] = true
		for _, h := range d.Drifted {
			hosts[d.Group+"\x00"+h] = true
		}
	}
	lines := []string{fmt.Sprintf("%d %s %s from their group's majority on %d %s.", len(hosts), plural(len(hosts), "host"),
		map[bool]string{true: "differs", false: "differ"}[len(hosts) == 1], len(items), plural(len(items), "item"))}
	for _, s := range r.Skipped {
		lines = append(lines, "Note: "+s+".")
	}
	return strings.Join(lines, "\n")
}

// WriteDrift renders drift within groups.
func WriteDrift(w io.Writer, o output.Options, r *DriftReport, by string) error {
	return output.Render(w, o, DriftView(r, by), slices.Values(r.Rows))
}

// EnvDriftView is how an environment comparison renders.
func EnvDriftView(r *DriftReport, by string, pair [2]string) output.View[EnvDrift] {
	return output.View[EnvDrift]{
		Columns: []output.Column[EnvDrift]{
			{Header: strings.ToUpper(by), Field: "group", Value: func(e EnvDrift) string { return e.Group }},
			{Header: "ITEM", Field: "item", Value: func(e EnvDrift) string { return e.Item }, Min: 20},
			{Header: strings.ToUpper(pair[0]), Field: "a", Value: func(e EnvDrift) string { return fmt.Sprintf("%s (%d)", orAbsent(e.A), e.AHosts) }, Min: 14},
			{Header: strings.ToUpper(pair[1]), Field: "b", Value: func(e EnvDrift) string { return fmt.Sprintf("%s (%d)", orAbsent(e.B), e.BHosts) }, Min: 14},
			{Header: strings.ToUpper(pair[0]) + " IS", Field: "compare", Value: func(e EnvDrift) string { return e.Compare }},
		},
		JSON:   func(e EnvDrift) any { return e },
		Title:  fmt.Sprintf("Scan %d: the majority version of each package in %s against %s, per %s.", r.Scan.ID, pair[0], pair[1], by),
		Footer: fmt.Sprintf("%d %s %s.", len(r.Env), plural(len(r.Env), "item"), map[bool]string{true: "differs", false: "differ"}[len(r.Env) == 1]),
	}
}

// WriteEnvDrift renders an environment comparison.
func WriteEnvDrift(w io.Writer, o output.Options, r *DriftReport, by string, pair [2]string) error {
	return output.Render(w, o, EnvDriftView(r, by, pair), slices.Values(r.Env))
}
