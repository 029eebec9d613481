package main

import (
	"fmt"
	"strconv"
	"strings"

	"upkeep/internal/output"
	"upkeep/inventory"
)

// The inventory views: one column list each for the table, CSV, JSON and
// YAML. Everything in them is what hosts and SSM reported, so it all goes
// through the renderer's sanitising.

func statusStyle(s string) output.Style {
	switch inventory.Status(s) {
	case inventory.StatusOK:
		return output.Plain
	case inventory.StatusUnsupported:
		return output.Dim
	}
	return output.Danger
}

func hostsView() output.View[hostJSON] {
	type H = hostJSON
	return output.View[hostJSON]{
		Columns: []output.Column[H]{
			{Header: "ID", Field: "instance_id", Value: func(h H) string { return h.InstanceID }, Min: 10},
			{Header: "NAME", Field: "name", Value: func(h H) string { return h.Name }, Min: 10},
			{Field: "region", Value: func(h H) string { return h.Region }},
			{Field: "account", Value: func(h H) string { return h.Account }},
			{Header: "SOURCE", Field: "source", Value: func(h H) string { return h.Source }, Priority: 5},
			{Header: "OS", Value: func(h H) string { return dash(strings.TrimSpace(h.OSID + " " + h.OSVersion)) }, Priority: 2, Min: 8},
			{Header: "STATUS", Field: "status", Value: func(h H) string { return h.Status }, Style: func(h H) output.Style { return statusStyle(h.Status) }},
			{Field: "error", Value: func(h H) string { return h.Error }},
			{Field: "hostname", Value: func(h H) string { return h.Hostname }},
			{Field: "os_id", Value: func(h H) string { return h.OSID }},
			{Field: "os_version", Value: func(h H) string { return h.OSVersion }},
			{Field: "os_pretty", Value: func(h H) string { return h.OSPretty }},
			{Field: "kernel", Value: func(h H) string { return h.Kernel }},
			{Field: "collected_at", Value: func(h H) string { return h.CollectedAt }},
			{Header: "PACKAGES", Field: "packages", Value: func(h H) string { return strconv.Itoa(h.Packages) }, Priority: 3},
			{Header: "PROBES", Field: "probes", Value: func(h H) string { return strconv.Itoa(h.Probes) }, Priority: 4},
			{Header: "PORTS", Value: func(h H) string { return dash(portsText(h.Ports, ",")) }, Priority: 6, Min: 8},
			{Field: "ports", Value: func(h H) string { return portsText(h.Ports, " ") }},
			{Field: "tags", Value: func(h H) string { return tagsText(h.Tags) }},
			{Header: "ERROR", Value: func(h H) string { return h.Error }, Priority: 1, Min: 20, OmitEmpty: true},
		},
		JSON: func(h H) any { return h },
	}
}

func packagesView() output.View[packageJSON] {
	type P = packageJSON
	return output.View[packageJSON]{
		Columns: []output.Column[P]{
			{Header: "HOST", Field: "instance_id", Value: func(p P) string { return p.InstanceID }, Min: 10},
			{Field: "host_name", Value: func(p P) string { return p.HostName }},
			{Header: "PACKAGE", Value: func(p P) string { return p.Name }, Min: 12},
			{Field: "manager", Value: func(p P) string { return p.Manager }},
			{Field: "name", Value: func(p P) string { return p.Name }},
			{Header: "VERSION", Field: "evr", Value: func(p P) string { return p.EVR }, Priority: 1, Min: 14},
			{Field: "epoch", Value: func(p P) string { return p.Epoch }},
			{Field: "version", Value: func(p P) string { return p.Version }},
			{Field: "release", Value: func(p P) string { return p.Release }},
			{Header: "ARCH", Value: func(p P) string { return dash(p.Arch) }, Priority: 4},
			{Field: "arch", Value: func(p P) string { return p.Arch }},
			{Header: "MANAGER", Value: func(p P) string {
				if !p.installed {
					return p.Manager + " (" + p.Status + ": not installed)"
				}
				return p.Manager
			}, Priority: 3, Min: 7},
			{Header: "VENDOR", Value: func(p P) string { return dash(p.Vendor) }, Priority: 2, Min: 10},
			{Field: "vendor", Value: func(p P) string { return p.Vendor }},
			{Field: "status", Value: func(p P) string { return p.Status }},
		},
		JSON: func(p P) any { return p },
	}
}

func whereView() output.View[spreadJSON] {
	type S = spreadJSON
	return output.View[spreadJSON]{
		Columns: []output.Column[S]{
			{Header: "HOSTS", Value: func(s S) string { return strconv.Itoa(s.Count) }},
			{Field: "kind", Value: func(s S) string { return s.Kind }},
			{Header: "NAME", Field: "name", Value: func(s S) string { return s.Name }, Min: 12},
			{Field: "manager", Value: func(s S) string { return s.Manager }},
			{Header: "VERSION", Field: "version", Value: func(s S) string { return dash(s.Version) }, Priority: 1, Min: 14},
			{Field: "count", Value: func(s S) string { return strconv.Itoa(s.Count) }},
			{Header: "KIND", Value: func(s S) string {
				if s.Manager != "" {
					return s.Kind + " (" + s.Manager + ")"
				}
				return s.Kind
			}, Priority: 3},
			{Header: "ON", Value: func(s S) string { return hostList(s.Hosts, 5) }, Short: func(s S) string { return hostList(s.Hosts, 1) }, Priority: 2, Min: 16},
			{Field: "hosts", Value: func(s S) string { return strings.Join(s.Hosts, " ") }},
		},
		JSON: func(s S) any { return s },
	}
}

func scansView() output.View[scanJSON] {
	type S = scanJSON
	return output.View[scanJSON]{
		Columns: []output.Column[S]{
			{Header: "ID", Field: "id", Value: func(s S) string { return strconv.FormatInt(s.ID, 10) }},
			{Header: "SOURCE", Field: "source", Value: func(s S) string { return s.Source }, Priority: 3},
			{Field: "targets", Value: func(s S) string { return s.Targets }},
			{Header: "STARTED", Field: "started", Value: func(s S) string { return dash(s.Started) }, Priority: 1},
			{Header: "FINISHED", Field: "finished", Value: func(s S) string { return dash(s.Finished) }, Priority: 4},
			{Header: "STATE", Field: "state", Value: func(s S) string { return s.State }},
			{Header: "HOSTS", Field: "hosts", Value: func(s S) string { return strconv.Itoa(s.Hosts) }},
			{Field: "expected", Value: func(s S) string { return strconv.Itoa(s.Expected) }},
			{Field: "missing", Value: func(s S) string { return strconv.Itoa(s.Missing) }},
			{Header: "STATUS", Value: func(s S) string {
				status := countsCell(s.Counts)
				if s.Missing > 0 {
					status = strings.TrimSpace(status + fmt.Sprintf(" not-stored=%d", s.Missing))
				}
				return dash(status)
			}, Priority: 2, Min: 10},
			{Field: "counts", Value: func(s S) string { return countsCell(s.Counts) }},
			{Field: "error", Value: func(s S) string { return s.Error }},
			{Header: "TARGETS", Value: func(s S) string { return s.Targets }, Priority: 5, Min: 10},
		},
		JSON: func(s S) any { return s },
	}
}
