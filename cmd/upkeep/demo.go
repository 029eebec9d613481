package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"upkeep/internal/output"
	"upkeep/inventory"
	"upkeep/inventory/demo"
	"upkeep/inventory/scan"
)

// localScanTimeout bounds the scan of this machine. It is generous on
// purpose: the collector needs about 4.5 s on an idle Debian host with 715
// packages and more than 9 s on a busy 2-core one, and the bundled fleet's
// summary never waits on it or depends on it (this machine is reported on
// its own line), so a slow machine costs time, never a different headline.
const localScanTimeout = 3 * time.Minute

type demoOptions struct {
	f *factory
	// scanLocal runs the collector on this machine; tests replace it.
	scanLocal    func(ctx context.Context) ([]byte, error)
	localTimeout time.Duration
	noLocal      bool
	judging      // for the headline of findings: as check, readiness and plan judge
}

func newDemoCmd(f *factory) *cobra.Command {
	o := &demoOptions{f: f, scanLocal: inventory.RunLocal, localTimeout: localScanTimeout}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Load a bundled demo fleet and this machine, and show what upkeep finds",
		Long: `demo fills the demo database with a bundled fleet of 33 realistic EC2 hosts
(Amazon Linux 2 with a hand-built nginx 1.10.3, PHP 7.4 and MySQL 5.7; Amazon
Linux 2023, Ubuntu, Debian and Rocky Linux hosts; prod, staging and dev), scans
this machine with the same read-only collector a real scan runs, stores both
as one scan, and prints a summary of the bundled fleet: the inventory, what
check, readiness and plan find (judged today, or --at), and what to try next.
The summary never depends on this machine, so it is the same on every run;
what the scan of this machine found (or why it failed) is one line on stderr.

It touches only the demo database (demo.db in upkeep's data folder, the one
every command uses with --demo), never your own, unless you name one with
--db. Running it again replaces the demo database with a fresh copy.
Nothing goes to the network and nothing on this machine changes.

` + exitCodesHelp,
		Example: `  upkeep demo
  upkeep demo --at 2027-06-30      # judge the demo fleet as of a later day
  upkeep --demo inventory
  upkeep --demo inventory where nginx`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return o.run(cmd.Context())
		},
	}
	cmd.Flags().BoolVar(&o.noLocal, "no-local", false, "load only the bundled fleet; do not scan this machine")
	o.judging.addFlags(cmd)
	// The demo judges the scan it has just stored.
	_ = cmd.Flags().MarkHidden("scan")
	return cmd
}

func (o *demoOptions) run(ctx context.Context) error {
	f := o.f
	f.demo = true
	// Bad judging flags (--at, --within, --waivers) are usage errors before
	// anything happens, not after the demo database was replaced.
	if _, err := o.judging.options(f); err != nil {
		return err
	}
	path, err := f.databasePath()
	if err != nil {
		return err
	}
	if f.dbPath == "" {
		// The demo database is ours: start it afresh so that running the
		// demo twice leaves the same single scan, not two.
		if err := removeDatabase(path); err != nil {
			return err
		}
	}
	db, err := f.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()

	// The collector is the slow part: start it first, and store, summarise
	// and judge the fleet while it runs.
	var localc chan inventory.Observation
	if !o.noLocal {
		lctx, cancel := context.WithCancel(ctx)
		defer cancel() // an early return stops the collector too
		if f.io.errTTY {
			fmt.Fprintf(f.io.errOut, "Scanning this machine (up to %s) while the demo fleet loads...\n", o.localTimeout)
		}
		localc = make(chan inventory.Observation, 1)
		go func() { localc <- o.localObservation(lctx) }()
	}
	obs, err := demo.Observations()
	if err != nil {
		return fmt.Errorf("load the bundled demo fleet: %w", err)
	}
	targets := "bundled demo fleet"
	if !o.noLocal {
		targets += " and this machine"
	}
	scanID, err := db.BeginScan(ctx, inventory.Scan{Source: demo.Source, Targets: targets, Started: f.now()})
	if err != nil {
		return err
	}
	for _, ob := range obs {
		ob.ScanID = scanID
		if err := db.SaveObservation(ctx, ob); err != nil {
			return err
		}
	}
	// The summary is of the bundled fleet alone, read back while this
	// machine is not stored yet: its numbers are the same on every run,
	// whatever this machine has and however long its scan takes.
	sum, err := summarize(ctx, db, scanID)
	if err != nil {
		return err
	}
	fleet, err := db.Observations(ctx, scanID)
	if err != nil {
		return fmt.Errorf("read the demo fleet back: %w", err)
	}
	j, err := o.newDemoJudge(ctx)
	if err != nil {
		return err
	}
	h, err := j.headline(fleet)
	if err != nil {
		return err
	}
	var local inventory.Observation
	if !o.noLocal {
		local = <-localc
		if ctx.Err() != nil {
			return ctx.Err() // Ctrl-C: the fleet is stored, the scan stays unfinished
		}
		local.ScanID = scanID
		if err := db.SaveObservation(ctx, local); err != nil {
			return err
		}
	}
	if err := db.FinishScan(ctx, scanID, f.now()); err != nil {
		return err
	}
	fmt.Fprintf(f.io.errOut, "Loaded %d demo hosts%s into %s (scan %d).\n", len(obs), map[bool]string{true: "", false: " and this machine"}[o.noLocal], path, scanID)
	if !o.noLocal && local.Status == inventory.StatusOK {
		writeLocalLine(f.io.errOut, local, j.judgeOne(local))
	}
	return writeDemoSummary(f.io.out, sum, &h)
}

// localObservation scans this machine, named as `upkeep scan --local`
// names it. A failure is a host row with its status and a line on stderr,
// never the end of the demo.
func (o *demoOptions) localObservation(ctx context.Context) inventory.Observation {
	name, err := os.Hostname()
	if err != nil || name == "" {
		name = "localhost"
	}
	host := inventory.Host{ID: name, Name: name, Source: "local"}
	lctx, cancel := context.WithTimeout(ctx, o.localTimeout)
	defer cancel()
	data, runErr := o.scanLocal(lctx)
	var obs inventory.Observation
	switch {
	case lctx.Err() == context.DeadlineExceeded:
		obs = inventory.Observation{Host: host, Status: inventory.StatusTimedOut,
			Error: fmt.Sprintf("the collector took longer than %s", o.localTimeout)}
	case runErr != nil && len(data) == 0:
		obs = inventory.Observation{Host: host, Status: inventory.StatusFailed, Error: runErr.Error()}
	default:
		obs = scan.Parsed(0, host, data, runErr)
	}
	if obs.Status != inventory.StatusOK {
		fmt.Fprintf(o.f.io.errOut, "upkeep: could not scan this machine (%s: %s); the demo goes on with the bundled fleet\n", obs.Status, obs.Error)
	}
	return obs
}

// removeDatabase deletes a SQLite database and its WAL side files.
func removeDatabase(path string) error {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("refresh the demo database: %w", err)
		}
	}
	return nil
}

// writeDemoSummary prints the summary and what to try next.
func writeDemoSummary(w io.Writer, s demoSummary, h *demoFindings) error {
	var b strings.Builder
	fmt.Fprintf(&b, "upkeep demo: the bundled fleet, %s in scan %d\n\n", hostsText(s.Hosts), s.ScanID)
	b.WriteString("Hosts by OS\n")
	writeCounts(&b, s.ByOS)
	b.WriteString("\nHosts by status\n")
	writeCounts(&b, s.ByStatus)
	if len(s.Middleware) > 0 {
		b.WriteString("\nMost common middleware (version: hosts)\n")
		width := 0
		for _, m := range s.Middleware {
			width = max(width, len(m.Product))
		}
		for _, m := range s.Middleware {
			var parts []string
			for _, v := range m.Versions {
				parts = append(parts, fmt.Sprintf("%s: %d", v.Key, v.Count))
			}
			fmt.Fprintf(&b, "  %-*s  %2d hosts  %s\n", width, m.Product, m.Hosts, strings.Join(parts, ", "))
		}
	}
	if h != nil {
		if err := writeDemoFindings(&b, *h); err != nil {
			return err
		}
	}
	b.WriteString(`
What to try next
  upkeep --demo inventory                every host: OS, packages, probes, open ports
  upkeep --demo inventory where nginx    which nginx versions run where
  upkeep --demo check                    what is past or near its end of life
  upkeep --demo readiness                what blocks the move to Amazon Linux 2023
  upkeep --demo plan                     the upgrade order, wave by wave
  upkeep --demo report --out fleet.html  the whole story in one HTML file, with charts
`)
	// This machine's scan is in the counts: what it named (an OS, a
	// version) is shown escaped, as every command's tables show it.
	_, err := io.WriteString(w, output.TerminalLines(b.String()))
	return err
}

func writeCounts(b *strings.Builder, counts []count) {
	width := 0
	for _, c := range counts {
		width = max(width, len(c.Key))
	}
	for _, c := range counts {
		fmt.Fprintf(b, "  %-*s  %3d\n", width, c.Key, c.Count)
	}
}
