// Package report writes findings and AL2023 readiness in the formats the
// check and readiness commands offer. Writers format; they never decide.
package report

import (
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"

	"upkeep/advisories"
	"upkeep/internal/output"
)

// Finding is the JSON shape of one finding.
type Finding struct {
	Host            string   `json:"host"`
	HostName        string   `json:"host_name"`
	Account         string   `json:"account"`
	Kind            string   `json:"kind"`
	Package         string   `json:"package"`
	Packages        []string `json:"packages"`
	Version         string   `json:"version"`
	Product         string   `json:"product"`
	ProductLabel    string   `json:"product_label"`
	UpstreamVersion string   `json:"upstream_version"`
	Cycle           string   `json:"cycle"`
	Status          string   `json:"status"`
	Role            string   `json:"role"`
	Phase           string   `json:"phase"`
	EOLDate         string   `json:"eol_date"`
	Days            int      `json:"days"`
	DistroUntil     string   `json:"distro_until"`
	Source          string   `json:"source"`
	AL2023          string   `json:"al2023"`
	AL2023Package   string   `json:"al2023_package"`
	Running         bool     `json:"running"`
	Ports           []int    `json:"ports"`
	Reason          string   `json:"reason"`
	Waived          bool     `json:"waived"`
	WaiverReason    string   `json:"waiver_reason"`
	Key             string   `json:"key"`
	DataDate        string   `json:"data_date"`
}

// Meta is what every report states about its inputs.
type Meta struct {
	DataLine string // "Data: endoflife.date 2026-08-22 ...; judged at ..."
	DataDate string // YYYY-MM-DD
}

func toJSON(f advisories.Finding, m Meta) Finding {
	pk := f.Packages
	if pk == nil {
		pk = []string{}
	}
	ports := f.Ports
	if ports == nil {
		ports = []int{}
	}
	return Finding{Host: f.Host, HostName: f.HostName, Account: f.Account, Kind: string(f.Kind), Package: f.Package, Packages: pk, Version: f.Version,
		Product: f.Product, ProductLabel: f.ProductLabel, UpstreamVersion: f.UpstreamVersion, Cycle: f.Cycle, Status: string(f.Status), Role: f.Role,
		Phase: f.Phase, EOLDate: f.EOLDate, Days: f.Days, DistroUntil: f.DistroUntil, Source: f.Source, AL2023: string(f.AL2023),
		AL2023Package: f.AL2023Package, Running: f.Running, Ports: ports, Reason: f.Reason, Waived: f.Waived,
		WaiverReason: f.WaiverReason, Key: f.Key, DataDate: m.DataDate}
}

// status is the status column: the verdict, its date where it has one,
// and a waiver mark.
func status(f advisories.Finding) string {
	s := string(f.Status)
	switch f.Status {
	case advisories.VerdictEOL:
		if f.EOLDate != "" {
			s += " since " + f.EOLDate
		}
	case advisories.VerdictUnpatched:
		if f.EOLDate != "" {
			s += " since " + f.EOLDate
		}
	case advisories.VerdictEOLSoon:
		s += " on " + f.EOLDate
	case advisories.VerdictDistroSupported:
		if f.DistroUntil != "" {
			s += " until " + f.DistroUntil
		}
	}
	if f.Waived {
		s += " (waived)"
	}
	return s
}

// Severity ranks a verdict for display: what needs action first. Unknown
// ranks after supported: it is shown, but only with --all.
func Severity(v advisories.Verdict) int {
	switch v {
	case advisories.VerdictEOL:
		return 0
	case advisories.VerdictUnpatched: // nobody patches this build any more
		return 1
	case advisories.VerdictEOLSoon:
		return 2
	case advisories.VerdictDistroSupported:
		return 4
	case advisories.VerdictSupported:
		return 5
	case advisories.VerdictUnknown:
		return 6
	}
	return 3
}

// VerdictStyle is the colour of a verdict on a terminal.
func VerdictStyle(v advisories.Verdict) output.Style {
	switch Severity(v) {
	case 0, 1:
		return output.Danger
	case 2:
		return output.Warn
	case 4, 5:
		return output.OK
	case 6:
		return output.Dim
	}
	return output.Plain
}

func al2023Text(f advisories.Finding) string {
	al := string(f.AL2023)
	if f.AL2023Package != "" && al != "" {
		al += " (" + f.AL2023Package + ")"
	}
	return al
}

func whyText(f advisories.Finding) string {
	if f.Waived {
		return "waived: " + f.WaiverReason + "; " + f.Reason
	}
	return f.Reason
}

// packagesShort collapses a package list to one name or a count.
func packagesShort(ps []string) string {
	switch {
	case len(ps) == 0:
		return ""
	case len(ps) == 1 && len(ps[0]) <= 12:
		return ps[0]
	}
	return strconv.Itoa(len(ps)) + " pkgs"
}

// FindingsView is check's report: the table's columns (least important
// dropped first on a narrow terminal), CSV's fields and the JSON shape.
func FindingsView(m Meta) output.View[advisories.Finding] {
	type F = advisories.Finding
	type C = output.Column[F]
	str := func(f func(F) string) func(F) string { return f }
	return output.View[advisories.Finding]{
		Columns: []C{
			{Field: "host", Value: str(func(f F) string { return f.Host })},
			{Header: "HOST", Field: "host_name", Value: str(func(f F) string { return f.HostName }), Min: 12},
			{Field: "account", Value: str(func(f F) string { return f.Account })},
			{Header: "KIND", Field: "kind", Value: str(func(f F) string { return string(f.Kind) }), Priority: 6},
			{Field: "package", Value: str(func(f F) string { return f.Package })},
			{Field: "packages", Value: str(func(f F) string { return strings.Join(f.Packages, " ") })},
			{Header: "PRODUCT", Value: str(func(f F) string {
				if f.Product == "" {
					return "-"
				}
				return f.Product
			}), Min: 10},
			{Header: "CYCLE", Value: str(func(f F) string { return f.Cycle }), Priority: 4},
			{Header: "VERSION", Field: "version", Value: str(func(f F) string { return f.Version }), Priority: 2, Min: 14},
			{Field: "product", Value: str(func(f F) string { return f.Product })},
			{Field: "upstream_version", Value: str(func(f F) string { return f.UpstreamVersion })},
			{Field: "cycle", Value: str(func(f F) string { return f.Cycle })},
			{Header: "STATUS", Value: status, Short: func(f F) string {
				s := string(f.Status)
				if f.Waived {
					s += " (waived)"
				}
				return s
			}, Style: func(f F) output.Style { return VerdictStyle(f.Status) }},
			{Field: "status", Value: str(func(f F) string { return string(f.Status) })},
			{Field: "phase", Value: str(func(f F) string { return f.Phase })},
			{Field: "eol_date", Value: str(func(f F) string { return f.EOLDate })},
			{Field: "days", Value: str(func(f F) string { return strconv.Itoa(f.Days) })},
			{Field: "distro_until", Value: str(func(f F) string { return f.DistroUntil })},
			{Field: "source", Value: str(func(f F) string { return f.Source })},
			{Header: "AL2023", Value: al2023Text, Short: str(func(f F) string { return string(f.AL2023) }), Priority: 3, Min: 10},
			{Field: "al2023", Value: str(func(f F) string { return string(f.AL2023) })},
			{Field: "al2023_package", Value: str(func(f F) string { return f.AL2023Package })},
			{Field: "running", Value: str(func(f F) string { return strconv.FormatBool(f.Running) })},
			{Field: "ports", Value: str(func(f F) string {
				ports := make([]string, len(f.Ports))
				for j, p := range f.Ports {
					ports[j] = strconv.Itoa(p)
				}
				return strings.Join(ports, " ")
			})},
			{Header: "PACKAGES", Value: str(func(f F) string { return strings.Join(f.Packages, ",") }),
				Short: str(func(f F) string { return packagesShort(f.Packages) }), Priority: 5},
			{Field: "waived", Value: str(func(f F) string { return strconv.FormatBool(f.Waived) })},
			{Field: "waiver_reason", Value: str(func(f F) string { return f.WaiverReason })},
			// The reason is too long for a terminal table: --wide, Markdown.
			{Header: "WHY", Value: whyText, Wide: true, Priority: 9},
			{Field: "reason", Value: str(func(f F) string { return f.Reason })},
			{Field: "key", Value: str(func(f F) string { return f.Key })},
			{Field: "data_date", Value: str(func(F) string { return m.DataDate })},
			// What the deciding package is for its product (server, library, ...).
			{Header: "ROLE", Field: "role", Value: str(func(f F) string { return f.Role }), Priority: 7},
		},
		JSON:      func(f F) any { return toJSON(f, m) },
		JSONLines: true,
		Footer:    m.DataLine,
	}
}

// WriteFindings writes findings in one format. JSON and YAML are a list
// of findings, each carrying the data date, as CSV does in a column;
// tables and Markdown end with the data line. fs is read once, or twice
// for a table (measure, then write): nothing needs every finding at once.
func WriteFindings(w io.Writer, o output.Options, fs iter.Seq[advisories.Finding], m Meta) error {
	return output.Render(w, o, FindingsView(m), fs)
}

// Entry and Host are the JSON shape of readiness.
type Entry struct {
	Key           string `json:"key"`
	Product       string `json:"product"`
	Cycle         string `json:"cycle"`
	Package       string `json:"package"`
	Version       string `json:"version"`
	Availability  string `json:"availability"`
	AL2023Package string `json:"al2023_package"`
	Severity      string `json:"severity"`
	Inhibitor     bool   `json:"inhibitor"`
	Summary       string `json:"summary"`
	Remediation   string `json:"remediation"`
	Waived        bool   `json:"waived"`
	WaiverReason  string `json:"waiver_reason"`
}

// Host is one host's readiness in JSON.
type Host struct {
	Host      string  `json:"host"`
	HostName  string  `json:"host_name"`
	Account   string  `json:"account"`
	OS        string  `json:"os"`
	OSLabel   string  `json:"os_label"`
	Readiness string  `json:"readiness"`
	Entries   []Entry `json:"entries"`
	DataDate  string  `json:"data_date"`
}

// ReadinessStyle is the colour of a readiness on a terminal.
func ReadinessStyle(r advisories.Readiness) output.Style {
	switch r {
	case advisories.Blocked:
		return output.Danger
	case advisories.NeedsWork:
		return output.Warn
	case advisories.Ready:
		return output.OK
	}
	return output.Plain
}

func hostJSON(h advisories.HostReadiness, m Meta) Host {
	out := Host{Host: h.Host.ID, HostName: hostName(h), Account: h.Host.Account, OS: h.OS, OSLabel: h.OSLabel, Readiness: string(h.Readiness),
		Entries: make([]Entry, len(h.Entries)), DataDate: m.DataDate}
	for j, e := range h.Entries {
		out.Entries[j] = Entry{Key: e.Key, Product: e.Product, Cycle: e.Cycle, Package: e.Package, Version: e.Version,
			Availability: string(e.Availability), AL2023Package: e.AL2023Package, Severity: e.Severity, Inhibitor: e.Inhibitor,
			Summary: e.Summary, Remediation: e.Remediation, Waived: e.Waived, WaiverReason: e.WaiverReason}
	}
	return out
}

// inhibitorsText names what blocks a host, one clause per inhibitor: the
// head of each summary ("MySQL 5.7 (mysql-community-server): not in AL2023").
func inhibitorsText(h advisories.HostReadiness) string {
	var parts []string
	for _, e := range h.Entries {
		if e.Inhibitor && !e.Waived {
			head, _, _ := strings.Cut(e.Summary, ";")
			parts = append(parts, head)
		}
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, "; ")
}

// workText counts the entries that are work but no inhibitor, by severity.
func workText(h advisories.HostReadiness) string {
	counts := map[string]int{}
	for _, e := range h.Entries {
		if !e.Waived && !e.Inhibitor {
			counts[e.Severity]++
		}
	}
	var parts []string
	for _, sev := range []string{advisories.SevCritical, advisories.SevHigh, advisories.SevMedium, advisories.SevLow} {
		if counts[sev] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[sev], sev))
		}
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

func inhibitorCount(h advisories.HostReadiness) int {
	n := 0
	for _, e := range h.Entries {
		if e.Inhibitor && !e.Waived {
			n++
		}
	}
	return n
}

// ReadinessView is readiness with one line per host: what blocks it, and
// how much other work the move needs. JSON and YAML are the hosts with
// every entry.
func ReadinessView(m Meta) output.View[advisories.HostReadiness] {
	type H = advisories.HostReadiness
	return output.View[advisories.HostReadiness]{
		Columns: []output.Column[H]{
			{Header: "HOST", Field: "host_name", Value: hostName, Min: 12},
			{Field: "host", Value: func(h H) string { return h.Host.ID }},
			{Header: "OS", Field: "os_label", Value: func(h H) string { return h.OSLabel }, Priority: 3, Min: 10},
			{Header: "READINESS", Field: "readiness", Value: func(h H) string { return string(h.Readiness) },
				Style: func(h H) output.Style { return ReadinessStyle(h.Readiness) }},
			{Header: "INHIBITORS", Field: "inhibitors", Value: inhibitorsText, Priority: 1, Min: 20,
				Short: func(h H) string {
					if n := inhibitorCount(h); n > 0 {
						return strconv.Itoa(n)
					}
					return "-"
				}},
			{Header: "OTHER WORK", Field: "other_work", Value: workText, Priority: 2},
			{Field: "data_date", Value: func(H) string { return m.DataDate }},
		},
		JSON:   func(h H) any { return hostJSON(h, m) },
		Footer: m.DataLine,
	}
}

// entryRow is one readiness entry with its host, a row of the pre-upgrade
// report and of CSV.
type entryRow struct {
	h *advisories.HostReadiness
	e advisories.Entry
}

// EntriesView is the pre-upgrade report: every entry of each host, one
// line each, under a heading per host. CSV has one row per entry.
func EntriesView(m Meta) output.View[entryRow] {
	type R = entryRow
	return output.View[entryRow]{
		Columns: []output.Column[R]{
			{Field: "host", Value: func(r R) string { return r.h.Host.ID }},
			{Field: "host_name", Value: func(r R) string { return hostName(*r.h) }},
			{Field: "account", Value: func(r R) string { return r.h.Host.Account }},
			{Field: "os", Value: func(r R) string { return r.h.OS }},
			{Field: "readiness", Value: func(r R) string { return string(r.h.Readiness) }},
			{Header: "SEVERITY", Field: "severity", Value: func(r R) string { return r.e.Severity },
				Style: func(r R) output.Style {
					switch r.e.Severity {
					case advisories.SevCritical, advisories.SevHigh:
						return output.Danger
					case advisories.SevMedium:
						return output.Warn
					}
					return output.Plain
				}},
			{Header: "FLAG", Value: func(r R) string {
				if r.e.Inhibitor {
					return "INHIBITOR"
				}
				return ""
			}},
			{Field: "inhibitor", Value: func(r R) string { return strconv.FormatBool(r.e.Inhibitor) }},
			{Field: "availability", Value: func(r R) string { return string(r.e.Availability) }},
			{Field: "product", Value: func(r R) string { return r.e.Product }},
			{Field: "cycle", Value: func(r R) string { return r.e.Cycle }},
			{Field: "package", Value: func(r R) string { return r.e.Package }},
			{Field: "version", Value: func(r R) string { return r.e.Version }},
			{Field: "al2023_package", Value: func(r R) string { return r.e.AL2023Package }},
			{Header: "SUMMARY", Value: func(r R) string {
				if r.e.Waived {
					return "(waived: " + r.e.WaiverReason + ") " + r.e.Summary
				}
				return r.e.Summary
			}, Min: 30},
			{Field: "summary", Value: func(r R) string { return r.e.Summary }},
			{Header: "REMEDIATION", Field: "remediation", Value: func(r R) string { return r.e.Remediation }, Priority: 1, Min: 24},
			{Field: "waived", Value: func(r R) string { return strconv.FormatBool(r.e.Waived) }},
			{Field: "waiver_reason", Value: func(r R) string { return r.e.WaiverReason }},
			{Header: "KEY", Field: "key", Value: func(r R) string { return r.e.Key }, Priority: 2},
			{Field: "data_date", Value: func(R) string { return m.DataDate }},
		},
		Group: func(r R) string {
			return fmt.Sprintf("%s (%s, %s): %s", hostName(*r.h), r.h.Host.ID, r.h.OSLabel, r.h.Readiness)
		},
		Footer: m.DataLine,
	}
}

func entryRows(hs iter.Seq[advisories.HostReadiness]) output.Rows[entryRow] {
	return func(yield func(entryRow) bool) {
		for h := range hs {
			for _, e := range h.Entries {
				if !yield(entryRow{&h, e}) {
					return
				}
			}
		}
	}
}

// WriteReadiness writes hosts' readiness. detail writes every entry on its
// own line under a heading per host (the pre-upgrade report); without it
// a table or Markdown has one line per host. CSV always has one row per
// entry; JSON and YAML are the hosts with their entries.
// hs is read once, or twice for a table.
func WriteReadiness(w io.Writer, o output.Options, hs iter.Seq[advisories.HostReadiness], detail bool, m Meta) error {
	switch {
	case o.Format == output.CSV || ((o.Format == output.Table || o.Format == output.Markdown) && detail):
		return output.Render(w, o, EntriesView(m), entryRows(hs))
	}
	return output.Render(w, o, ReadinessView(m), hs)
}

func hostName(h advisories.HostReadiness) string {
	if h.Host.Name != "" {
		return h.Host.Name
	}
	return h.Host.ID
}
