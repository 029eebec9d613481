package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"upkeep/internal/output"
	"upkeep/inventory/store"
)

// newScansCmd is the scan history: list, delete and prune stored scans.
func newScansCmd(f *factory) *cobra.Command {
	var of outputFlags
	cmd := &cobra.Command{
		Use:   "scans",
		Short: "List, delete and prune stored scans",
		Long: `scans manages the history of scans the database keeps.

With no subcommand it lists every scan, newest first, with its state:
  complete     finished; every host it meant to scan has package data
  partial      finished; some hosts have none (offline, failed, ...): judged, and they are listed as not scanned
  failed       finished with an error, or no host has package data
  interrupted  never finished (killed, cancelled with Ctrl-C, or still running)
  empty        finished without storing a host

The judging commands (check, readiness, plan, report, diff, drift) use the latest
complete or partial scan unless given --scan ID, and say which newer scans they skipped.

Deleting is all or nothing (one transaction), and removes the package lists and host
details no remaining scan refers to. The file keeps its size (SQLite reuses the freed
pages); run 'sqlite3 FILE VACUUM' to shrink it.`,
		Example: `  upkeep scans
  upkeep scans delete 4 5
  upkeep scans prune --keep 30
  upkeep scans prune --older-than 90d --dry-run`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := of.parse(); err != nil {
				return err
			}
			db, err := f.openReadStore(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			scans, err := db.Scans(cmd.Context())
			if err != nil {
				return err
			}
			return of.write(f, func(w io.Writer, oo output.Options) error { return writeScans(w, oo, scans) })
		},
	}
	of.add(cmd, output.Table, output.Table, output.JSON, output.YAML, output.CSV)
	cmd.AddCommand(newScansDeleteCmd(f), newScansPruneCmd(f))
	return cmd
}

func newScansDeleteCmd(f *factory) *cobra.Command {
	return &cobra.Command{
		Use:   "delete ID...",
		Short: "Delete scans by id, all or none",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ids, err := scanIDs(args)
			if err != nil {
				return err
			}
			return deleteScans(cmd.Context(), f, ids)
		},
	}
}

func deleteScans(ctx context.Context, f *factory, ids []int64) error {
	db, err := f.openExistingStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.DeleteScans(ctx, ids); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return usageErrorf("%w; nothing was deleted", err)
		}
		return err
	}
	fmt.Fprintf(f.io.errOut, "deleted %s\n", scanList(ids))
	return nil
}

type pruneOptions struct {
	f         *factory
	keep      int
	olderThan string
	dryRun    bool
}

func newScansPruneCmd(f *factory) *cobra.Command {
	o := &pruneOptions{f: f}
	cmd := &cobra.Command{
		Use:   "prune",
		Short: "Delete old scans, keeping the newest",
		Long: `prune deletes the scans no rule keeps, in one transaction.

--keep N keeps the N newest complete or partial scans; --older-than AGE keeps every
scan started within AGE (90d, 12w, 36h). With both, a scan either rule keeps is kept.
Whatever the rules, the newest complete or partial scan is kept, and so is any
unfinished scan newer than it (it may still be running). Failed, empty and
interrupted scans older than that are deleted by --keep.`,
		Example: `  upkeep scans prune --keep 30
  upkeep scans prune --older-than 90d --dry-run`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := o.parse()
			if err != nil {
				return err
			}
			return o.run(cmd.Context(), p)
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&o.keep, "keep", 0, "keep the N newest complete or partial scans")
	fl.StringVar(&o.olderThan, "older-than", "", "delete scans started longer ago than this (90d, 12w, 36h)")
	fl.BoolVar(&o.dryRun, "dry-run", false, "list what would be deleted, delete nothing")
	return cmd
}

func (o *pruneOptions) parse() (store.Prune, error) {
	p := store.Prune{Keep: o.keep, DryRun: o.dryRun}
	if o.keep < 0 {
		return p, usageErrorf("--keep %d: want 1 or more scans", o.keep)
	}
	if o.olderThan != "" {
		d, err := parseAge(o.olderThan)
		if err != nil {
			return p, usageErrorf("--older-than %q: %v", o.olderThan, err)
		}
		p.Before = o.f.now().Add(-d)
	}
	if p.Keep == 0 && p.Before.IsZero() {
		return p, usageErrorf("prune needs --keep N or --older-than AGE (or both)")
	}
	return p, nil
}

// parseAge reads 90d, 12w or any Go duration (36h).
func parseAge(s string) (time.Duration, error) {
	unit := map[byte]time.Duration{'d': 24 * time.Hour, 'w': 7 * 24 * time.Hour}
	if u, ok := unit[s[len(s)-1]]; ok {
		n, err := strconv.Atoi(s[:len(s)-1])
		if err != nil || n <= 0 {
			return 0, errors.New("want a whole number of days or weeks, as 90d or 12w")
		}
		return time.Duration(n) * u, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, errors.New("want an age such as 90d, 12w or 36h")
	}
	return d, nil
}

func (o *pruneOptions) run(ctx context.Context, p store.Prune) error {
	var (
		db  *store.DB
		err error
	)
	if p.DryRun {
		db, err = o.f.openReadStore(ctx)
	} else {
		db, err = o.f.openExistingStore(ctx)
	}
	if err != nil {
		return err
	}
	defer db.Close()
	gone, err := db.PruneScans(ctx, p)
	if err != nil {
		return err
	}
	ids := make([]int64, len(gone))
	for i, s := range gone {
		ids[i] = s.ID
	}
	switch {
	case len(gone) == 0:
		fmt.Fprintln(o.f.io.errOut, "nothing to prune: every scan is kept")
	case p.DryRun:
		if err := writeScans(o.f.io.out, output.Options{Format: output.Table}, gone); err != nil {
			return err
		}
		fmt.Fprintf(o.f.io.errOut, "would delete %s (dry run: nothing deleted)\n", scanList(ids))
	default:
		fmt.Fprintf(o.f.io.errOut, "deleted %s\n", scanList(ids))
	}
	return nil
}

// scanList names scans in ascending order: "scan 3", "scans 3, 4 and 7".
func scanList(ids []int64) string {
	sorted := slices.Sorted(slices.Values(ids))
	s := make([]string, len(sorted))
	for i, id := range sorted {
		s[i] = strconv.FormatInt(id, 10)
	}
	if len(s) == 1 {
		return "scan " + s[0]
	}
	return "scans " + strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// scanIDs reads scan ids given as arguments (diff, scans delete): each a
// positive number, else a usage error pointing at the list of scans.
func scanIDs(args []string) ([]int64, error) {
	var ids []int64
	for _, a := range args {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id <= 0 {
			return nil, usageErrorf("%q is not a scan id (see 'upkeep scans')", a)
		}
		ids = append(ids, id)
	}
	return ids, nil
}
