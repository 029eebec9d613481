// Package report writes findings and AL2023 readiness in the formats the
// check and readiness commands offer. Writers format; they never decide.
package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"upkeep/advisories"
	"upkeep/internal/output"
)

// Finding is the JSON shape of one finding.
type Finding struct {
	Host            string   `json:"host"`
	HostName        string   `json:"host_name"`
	Kind            string   `json:"kind"`
	Package         string   `json:"package"`
	Packages        []string `json:"packages"`
	Version         string   `json:"version"`
	Product         string   `json:"product"`
	ProductLabel    string   `json:"product_label"`
	UpstreamVersion string   `json:"upstream_version"`
	Cycle           string   `json:"cycle"`
	Status          string   `json:"status"`
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
	return Finding{Host: f.Host, HostName: f.HostName, Kind: string(f.Kind), Package: f.Package, Packages: pk, Version: f.Version,
		Product: f.Product, ProductLabel: f.ProductLabel, UpstreamVersion: f.UpstreamVersion, Cycle: f.Cycle, Status: string(f.Status),
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

var findingHeader = []string{"HOST", "KIND", "PRODUCT", "CYCLE", "VERSION", "STATUS", "AL2023", "PACKAGES", "WHY"}

func findingRow(f advisories.Finding) []string {
	al := string(f.AL2023)
	if f.AL2023Package != "" && al != "" {
		al += " (" + f.AL2023Package + ")"
	}
	why := f.Reason
	if f.Waived {
		why = "waived: " + f.WaiverReason + "; " + why
	}
	product := f.Product
	if product == "" {
		product = "-"
	}
	return []string{f.HostName, string(f.Kind), product, f.Cycle, f.Version, status(f), al, strings.Join(f.Packages, ","), why}
}

// WriteFindings writes findings in one format. JSON is an array of
// findings, each carrying the data date; the other formats end with the
// data line (CSV has a data_date column instead).
func WriteFindings(w io.Writer, format output.Format, fs []advisories.Finding, m Meta) error {
	switch format {
	case output.JSON:
		return writeJSONLines(w, len(fs), func(i int) any { return toJSON(fs[i], m) })
	case output.CSV:
		header := []string{"host", "host_name", "kind", "package", "packages", "version", "product", "upstream_version", "cycle",
			"status", "phase", "eol_date", "days", "distro_until", "source", "al2023", "al2023_package", "running", "ports",
			"waived", "waiver_reason", "reason", "key", "data_date"}
		rows := make([][]string, len(fs))
		for i, f := range fs {
			ports := make([]string, len(f.Ports))
			for j, p := range f.Ports {
				ports[j] = strconv.Itoa(p)
			}
			rows[i] = []string{f.Host, f.HostName, string(f.Kind), f.Package, strings.Join(f.Packages, " "), f.Version, f.Product,
				f.UpstreamVersion, f.Cycle, string(f.Status), f.Phase, f.EOLDate, strconv.Itoa(f.Days), f.DistroUntil, f.Source,
				string(f.AL2023), f.AL2023Package, strconv.FormatBool(f.Running), strings.Join(ports, " "),
				strconv.FormatBool(f.Waived), f.WaiverReason, f.Reason, f.Key, m.DataDate}
		}
		return output.WriteCSV(w, header, rows)
	case output.Markdown:
		rows := make([][]string, len(fs))
		for i, f := range fs {
			rows[i] = findingRow(f)
		}
		if err := output.WriteMarkdown(w, findingHeader, rows); err != nil {
			return err
		}
		_, err := fmt.Fprintf(w, "\n%s\n", m.DataLine)
		return err
	default:
		rows := make([][]string, len(fs))
		for i, f := range fs {
			r := findingRow(f)
			rows[i] = r[:len(r)-1] // the reason is too long for a terminal table
		}
		if err := output.WriteTable(w, findingHeader[:len(findingHeader)-1], rows); err != nil {
			return err
		}
		_, err := fmt.Fprintf(w, "\n%s\n", m.DataLine)
		return err
	}
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
	OS        string  `json:"os"`
	OSLabel   string  `json:"os_label"`
	Readiness string  `json:"readiness"`
	Entries   []Entry `json:"entries"`
	DataDate  string  `json:"data_date"`
}

// WriteReadiness writes hosts' readiness. detail lists every entry on its
// own line (the pre-upgrade report); without it the table has one line per
// host.
func WriteReadiness(w io.Writer, format output.Format, hs []advisories.HostReadiness, detail bool, m Meta) error {
	switch format {
	case output.JSON:
		out := make([]Host, len(hs))
		for i, h := range hs {
			out[i] = Host{Host: h.Host.ID, HostName: hostName(h), OS: h.OS, OSLabel: h.OSLabel, Readiness: string(h.Readiness),
				Entries: make([]Entry, len(h.Entries)), DataDate: m.DataDate}
			for j, e := range h.Entries {
				out[i].Entries[j] = Entry{Key: e.Key, Product: e.Product, Cycle: e.Cycle, Package: e.Package, Version: e.Version,
					Availability: string(e.Availability), AL2023Package: e.AL2023Package, Severity: e.Severity, Inhibitor: e.Inhibitor,
					Summary: e.Summary, Remediation: e.Remediation, Waived: e.Waived, WaiverReason: e.WaiverReason}
			}
		}
		return output.WriteJSON(w, out)
	case output.CSV:
		header := []string{"host", "host_name", "os", "readiness", "severity", "inhibitor", "availability", "product", "cycle",
			"package", "version", "al2023_package", "summary", "remediation", "waived", "waiver_reason", "key", "data_date"}
		var rows [][]string
		for _, h := range hs {
			for _, e := range h.Entries {
				rows = append(rows, []string{h.Host.ID, hostName(h), h.OS, string(h.Readiness), e.Severity, strconv.FormatBool(e.Inhibitor),
					string(e.Availability), e.Product, e.Cycle, e.Package, e.Version, e.AL2023Package, e.Summary, e.Remediation,
					strconv.FormatBool(e.Waived), e.WaiverReason, e.Key, m.DataDate})
			}
		}
		return output.WriteCSV(w, header, rows)
	}
	write := output.WriteTable
	if format == output.Markdown {
		write = output.WriteMarkdown
	}
	if !detail {
		rows := make([][]string, len(hs))
		for i, h := range hs {
			counts := map[string]int{}
			inhib := 0
			for _, e := range h.Entries {
				if e.Waived {
					continue
				}
				counts[e.Severity]++
				if e.Inhibitor {
					inhib++
				}
			}
			rows[i] = []string{hostName(h), h.OSLabel, string(h.Readiness), strconv.Itoa(inhib),
				fmt.Sprintf("%d critical, %d high, %d medium, %d low", counts[advisories.SevCritical], counts[advisories.SevHigh], counts[advisories.SevMedium], counts[advisories.SevLow])}
		}
		if err := write(w, []string{"HOST", "OS", "READINESS", "INHIBITORS", "ENTRIES"}, rows); err != nil {
			return err
		}
	} else {
		for i, h := range hs {
			if i > 0 {
				fmt.Fprintln(w)
			}
			fmt.Fprintf(w, "%s (%s, %s): %s\n\n", hostName(h), h.Host.ID, h.OSLabel, h.Readiness)
			rows := make([][]string, len(h.Entries))
			for j, e := range h.Entries {
				flag := ""
				if e.Inhibitor {
					flag = "INHIBITOR"
				}
				sum := e.Summary
				if e.Waived {
					sum = "(waived: " + e.WaiverReason + ") " + sum
				}
				rows[j] = []string{e.Severity, flag, sum, e.Remediation, e.Key}
			}
			if err := write(w, []string{"SEVERITY", "FLAG", "SUMMARY", "REMEDIATION", "KEY"}, rows); err != nil {
				return err
			}
		}
	}
	_, err := fmt.Fprintf(w, "\n%s\n", m.DataLine)
	return err
}

func hostName(h advisories.HostReadiness) string {
	if h.Host.Name != "" {
		return h.Host.Name
	}
	return h.Host.ID
}

// writeJSONLines writes a JSON array with one compact element per line: a
// fleet-wide report has a hundred thousand findings, and indenting each
// field doubled the time check takes on 10,000 hosts (docs/benchmarks.md),
// while one line per finding still reads and diffs well.
func writeJSONLines(w io.Writer, n int, elem func(int) any) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if n == 0 {
		bw.WriteString("[]\n")
		return bw.Flush()
	}
	bw.WriteString("[\n")
	for i := 0; i < n; i++ {
		buf.Reset()
		if err := enc.Encode(elem(i)); err != nil {
			return err
		}
		b := bytes.TrimRight(buf.Bytes(), "\n")
		bw.WriteString("  ")
		bw.Write(b)
		if i < n-1 {
			bw.WriteString(",")
		}
		bw.WriteString("\n")
	}
	bw.WriteString("]\n")
	return bw.Flush()
}
