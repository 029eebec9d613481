package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"upkeep/history"
	"upkeep/internal/output"
	"upkeep/inventory"
	"upkeep/inventory/store"
)

// inventoryOptions are the flags every inventory subcommand shares.
type inventoryOptions struct {
	f      *factory
	scanID int64
	outputFlags
}

func newInventoryCmd(f *factory) *cobra.Command {
	o := &inventoryOptions{f: f}
	var status string
	var hosts []string
	cmd := &cobra.Command{
		Use:   "inventory",
		Short: "List what a scan found: hosts, packages, and where each version runs",
		Long: `inventory shows what a scan stored, without judging it (see 'upkeep check' for that).

With no subcommand it lists the hosts of the latest scan: their OS, status and how
many packages, probed middleware binaries and listening ports each one has.

Subcommands:
  packages   installed packages, by host and name (globs)
  where      which hosts run which version of a package or probed binary
  scans      every scan in the database

Output is a table that fits the terminal (--wide: every column in full), or
--output json|yaml|csv for scripts (stable snake_case fields); --out FILE
writes it to a file.
--output cyclonedx writes the hosts' installed packages as a CycloneDX 1.6
SBOM (one operating-system component per host, its packages nested, each with
a purl), which grype and Dependency-Track read.`,
		Example: `  upkeep inventory
  upkeep inventory --status failed
  upkeep inventory --output json | jq '.[] | select(.os_id == "amzn")'
  upkeep inventory packages --host web-1 --name 'openssl*'
  upkeep inventory where nginx
  upkeep inventory scans
  upkeep inventory --scan 3 --output csv
  upkeep inventory --output cyclonedx > fleet.cdx.json     # SBOM for grype, Dependency-Track
  upkeep inventory --output cyclonedx --host web-1 > web-1.cdx.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if status != "" && !slices.Contains(inventory.Statuses, inventory.Status(status)) {
				return usageErrorf("unknown --status %q: use one of %s", status, statusNames())
			}
			if output.Format(o.output) == formatCycloneDX {
				return o.runSBOM(cmd.Context(), hosts, inventory.Status(status))
			}
			format, err := o.parse()
			if err != nil {
				return err
			}
			return o.runHosts(cmd.Context(), format, inventory.Status(status), hosts)
		},
	}
	pf := cmd.PersistentFlags()
	pf.Int64Var(&o.scanID, "scan", 0, "scan id to look at (default: the latest; see 'upkeep inventory scans')")
	o.outputFlags.addTo(pf, output.Table, output.Table, output.JSON, output.YAML, output.CSV)
	pf.Lookup("output").Usage += "; the host list also cyclonedx (SBOM)"
	cmd.Flags().StringVar(&status, "status", "", "only hosts with this status ("+statusNames()+")")
	cmd.Flags().StringSliceVar(&hosts, "host", nil, "only hosts whose id or name matches one of these globs")
	cmd.AddCommand(newInventoryPackagesCmd(o), newInventoryWhereCmd(o), newInventoryScansCmd(o))
	return cmd
}

func statusNames() string {
	names := make([]string, len(inventory.Statuses))
	for i, s := range inventory.Statuses {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

func (o *inventoryOptions) parse() (output.Format, error) {
	if err := o.outputFlags.parse(); err != nil {
		return "", err
	}
	if o.scanID < 0 {
		return "", usageErrorf("--scan must be a scan id (see 'upkeep inventory scans')")
	}
	return o.format, nil
}

// open opens the store read-only and resolves --scan (default: the latest
// usable scan, else the latest scan, so that a failed one can be looked at).
func (o *inventoryOptions) open(ctx context.Context) (*store.DB, inventory.Scan, error) {
	db, err := o.f.openReadStore(ctx)
	if err != nil {
		return nil, inventory.Scan{}, err
	}
	r, err := db.ResolveScan(ctx, o.scanID)
	switch {
	case o.scanID > 0 && errors.Is(err, store.ErrNotFound):
		err = usageErrorf("--scan: %w", err) // a bad argument, as scan --resume 99 is
	case errors.Is(err, store.ErrNoUsableScan):
		r = store.Resolved{Scan: r.Skipped[0]}
		err = nil
		fmt.Fprintf(o.f.io.errOut, "upkeep: note: no scan finished with a host that has package data; showing the latest, scan %d (%s)\n", r.Scan.ID, history.Why(r.Scan))
	case err == nil:
		for _, n := range history.Notes(r, o.scanID > 0) {
			fmt.Fprintln(o.f.io.errOut, "upkeep:", n)
		}
	}
	if err != nil {
		db.Close()
		return nil, inventory.Scan{}, err
	}
	return db, r.Scan, nil
}

// hostJSON is one host in `inventory --output json`; field names are stable.
type hostJSON struct {
	InstanceID  string            `json:"instance_id"`
	Name        string            `json:"name"`
	Region      string            `json:"region"`
	Account     string            `json:"account"`
	Source      string            `json:"source"`
	Status      string            `json:"status"`
	Error       string            `json:"error"`
	Hostname    string            `json:"hostname"`
	OSID        string            `json:"os_id"`
	OSVersion   string            `json:"os_version"`
	OSPretty    string            `json:"os_pretty"`
	Kernel      string            `json:"kernel"`
	CollectedAt string            `json:"collected_at"`
	Packages    int               `json:"packages"`
	Probes      int               `json:"probes"`
	Ports       []int             `json:"ports"`
	Tags        map[string]string `json:"tags"`
}

func (o *inventoryOptions) runHosts(ctx context.Context, format output.Format, status inventory.Status, hosts []string) error {
	db, scan, err := o.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	all, err := db.Hosts(ctx, scan.ID)
	if err != nil {
		return err
	}
	rows := make([]hostJSON, 0, len(all))
	for _, h := range all {
		if status != "" && h.Status != status || !hostMatches(hosts, h.Host) {
			continue
		}
		j := hostJSON{InstanceID: h.Host.ID, Name: h.Host.Name, Region: h.Host.Region, Account: h.Host.Account,
			Source: h.Host.Source, Status: string(h.Status), Error: h.Error, Hostname: h.Hostname, OSID: h.OS.ID,
			OSVersion: h.OS.VersionID, OSPretty: h.OS.PrettyName, Kernel: h.Kernel, CollectedAt: timeText(h.CollectedAt),
			Packages: h.Packages, Probes: h.Probes, Ports: h.Ports, Tags: h.Host.Tags}
		if j.Ports == nil {
			j.Ports = []int{}
		}
		if j.Tags == nil {
			j.Tags = map[string]string{}
		}
		rows = append(rows, j)
	}
	if err := renderRows(o.f, &o.outputFlags, hostsView(), rows); err != nil {
		return err
	}
	scanFooter(o.f.io.errOut, scan, len(rows), len(all))
	return nil
}

// scanFooter says which scan a table came from, on stderr so that piped
// tables stay data only.
func scanFooter(w io.Writer, s inventory.Scan, shown, total int) {
	fmt.Fprintf(w, "scan %d (%s, %s): %d of %s shown\n", s.ID, s.Source, timeText(s.Started), shown, nouns(total, "host"))
}

func newInventoryPackagesCmd(o *inventoryOptions) *cobra.Command {
	var f store.PackageFilter
	cmd := &cobra.Command{
		Use:   "packages",
		Short: "List installed packages by host and name",
		Long: `packages lists the packages installed on the hosts of a scan. --host and --name take
globs (* ? [...], case-sensitive); --host matches the instance id or the host name.`,
		Example: `  upkeep inventory packages --name 'openssl*'
  upkeep inventory packages --host 'web-*' --name nginx --output csv
  upkeep inventory packages --host i-0abc123 --output json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := o.parse()
			if err != nil {
				return err
			}
			return o.runPackages(cmd.Context(), format, f)
		},
	}
	cmd.Flags().StringVar(&f.Host, "host", "", "only hosts whose id or name matches this glob")
	cmd.Flags().StringVar(&f.Name, "name", "", "only packages whose name matches this glob")
	return cmd
}

// packageJSON is one row of `inventory packages --output json`.
type packageJSON struct {
	InstanceID string `json:"instance_id"`
	HostName   string `json:"host_name"`
	Manager    string `json:"manager"`
	Name       string `json:"name"`
	EVR        string `json:"evr"`
	Epoch      string `json:"epoch"`
	Version    string `json:"version"`
	Release    string `json:"release"`
	Arch       string `json:"arch"`
	Vendor     string `json:"vendor"`
	Status     string `json:"status"`
	installed  bool
}

func (o *inventoryOptions) runPackages(ctx context.Context, format output.Format, f store.PackageFilter) error {
	db, scan, err := o.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	pkgs, err := db.Packages(ctx, scan.ID, f)
	if err != nil {
		return err
	}
	rows := make([]packageJSON, len(pkgs))
	for i, p := range pkgs {
		rows[i] = packageJSON{InstanceID: p.Host, HostName: p.HostName, Manager: p.Manager, Name: p.Name, EVR: p.EVR(),
			Epoch: p.Epoch, Version: p.Version, Release: p.Release, Arch: p.Arch, Vendor: p.Vendor, Status: p.Status, installed: p.Installed()}
	}
	if err := renderRows(o.f, &o.outputFlags, packagesView(), rows); err != nil {
		return err
	}
	fmt.Fprintf(o.f.io.errOut, "scan %d: %s\n", scan.ID, nouns(len(pkgs), "package"))
	return nil
}

func newInventoryWhereCmd(o *inventoryOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "where NAME",
		Short: "Show which hosts run which versions of a package or probed binary",
		Long: `where groups the hosts of a scan by the version they have of NAME, most common
version first. It looks at installed packages and at probed binaries (middleware
that no package owns, such as an nginx built into /usr/local), so both kinds show.
NAME may be a glob ('php*').`,
		Example: `  upkeep inventory where nginx
  upkeep inventory where 'openssl*' --output json
  upkeep inventory where java --scan 2`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := o.parse()
			if err != nil {
				return err
			}
			return o.runWhere(cmd.Context(), format, args[0])
		},
	}
}

// spreadJSON is one version group of `inventory where --output json`.
type spreadJSON struct {
	Kind    string   `json:"kind"`
	Name    string   `json:"name"`
	Manager string   `json:"manager"`
	Version string   `json:"version"`
	Count   int      `json:"count"`
	Hosts   []string `json:"hosts"`
}

func (o *inventoryOptions) runWhere(ctx context.Context, format output.Format, name string) error {
	db, scan, err := o.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	spread, err := db.Where(ctx, scan.ID, name)
	if err != nil {
		return err
	}
	if len(spread) == 0 && format == output.Table {
		o.f.note("scan %d: no package or probed binary named %q", scan.ID, name)
		return nil
	}
	rows := make([]spreadJSON, len(spread))
	for i, s := range spread {
		rows[i] = spreadJSON{Kind: s.Kind, Name: s.Name, Manager: s.Manager, Version: s.Version, Count: len(s.Hosts), Hosts: s.Hosts}
	}
	return renderRows(o.f, &o.outputFlags, whereView(), rows)
}

// hostList names up to max hosts and counts the rest.
func hostList(hosts []string, max int) string {
	if len(hosts) <= max {
		return strings.Join(hosts, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(hosts[:max], ", "), len(hosts)-max)
}

func newInventoryScansCmd(o *inventoryOptions) *cobra.Command {
	return &cobra.Command{
		Use:     "scans",
		Short:   "List every scan in the database, newest first",
		Example: `  upkeep inventory scans --output json`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := o.parse()
			if err != nil {
				return err
			}
			return o.runScans(cmd.Context(), format)
		},
	}
}

// scanJSON is one scan of `inventory scans --output json`.
type scanJSON struct {
	ID       int64          `json:"id"`
	Source   string         `json:"source"`
	Targets  string         `json:"targets"`
	Started  string         `json:"started"`
	Finished string         `json:"finished"`
	State    string         `json:"state"`
	Hosts    int            `json:"hosts"`
	Expected int            `json:"expected"` // hosts the scan meant to store, 0 when unknown
	Missing  int            `json:"missing"`  // of those, not stored
	Counts   map[string]int `json:"counts"`
	Error    string         `json:"error"`
}

func (o *inventoryOptions) runScans(ctx context.Context, format output.Format) error {
	db, err := o.f.openReadStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	scans, err := db.Scans(ctx)
	if err != nil {
		return err
	}
	return o.write(o.f, func(w io.Writer, oo output.Options) error { return writeScans(w, oo, scans) })
}

func writeScans(out io.Writer, o output.Options, scans []inventory.Scan) error {
	rows := make([]scanJSON, len(scans))
	for i, s := range scans {
		j := scanJSON{ID: s.ID, Source: s.Source, Targets: s.Targets, Started: timeText(s.Started), Finished: timeText(s.Finished),
			State: string(s.State()), Hosts: s.Stored(), Expected: s.Expected, Missing: s.Missing(), Counts: map[string]int{}, Error: s.Error}
		for st, n := range s.Counts {
			j.Counts[string(st)] = n
		}
		rows[i] = j
	}
	return output.Render(out, o, scansView(), slices.Values(rows))
}

func countsCell(c map[string]int) string {
	var parts []string
	for _, s := range inventory.Statuses {
		if c[string(s)] > 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", s, c[string(s)]))
		}
	}
	return strings.Join(parts, " ")
}

func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func portsText(ports []int, sep string) string {
	s := make([]string, len(ports))
	for i, p := range ports {
		s[i] = strconv.Itoa(p)
	}
	return strings.Join(s, sep)
}

// tagsText writes tags as key=value pairs in key order.
func tagsText(tags map[string]string) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		parts = append(parts, k+"="+tags[k])
	}
	return strings.Join(parts, ";")
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
