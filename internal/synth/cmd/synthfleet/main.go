// Command synthfleet writes a synthetic fleet (package synth) as collector
// outputs, one file per host, for the ingest benchmark in docs/benchmarks.md.
// With -tsv it also writes every package of every host as one TSV row
// (host, manager, name, epoch, version, release, arch, vendor, status): the
// same data in the shape a one-row-per-package import would load.
// With -load DB it writes nothing and instead times loading the latest scan
// of DB with store.Observations, as check and plan do.
//
//	go run ./internal/synth/cmd/synthfleet -n 10000 -seed 1 -out fleet -tsv fleet.tsv
//	go run ./internal/synth/cmd/synthfleet -n 10000 -drift-every 1 -out drifted
//	go run ./internal/synth/cmd/synthfleet -load upkeep.db
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"upkeep/internal/synth"
	"upkeep/inventory/store"
)

func main() {
	n := flag.Int("n", 10000, "number of hosts")
	seed := flag.Int64("seed", 1, "random seed")
	every := flag.Int("drift-every", 10, "one host in this many drifts from its AMI (1: every host, nearly every package list distinct)")
	out := flag.String("out", "", "folder for the collector outputs (required)")
	tsv := flag.String("tsv", "", "also write one TSV row per package to this file")
	load := flag.String("load", "", "time loading the latest scan of this database instead")
	flag.Parse()
	var err error
	if *load != "" {
		err = timeLoad(*load)
	} else {
		err = run(*n, *seed, *every, *out, *tsv)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "synthfleet:", err)
		os.Exit(1)
	}
}

func run(n int, seed int64, every int, out, tsv string) error {
	if out == "" {
		return fmt.Errorf("-out or -load is required")
	}
	fleet, err := synth.FleetDrift(n, seed, every)
	if err != nil {
		return err
	}
	if _, err := synth.WriteDir(out, fleet); err != nil {
		return err
	}
	rows := 0
	if tsv != "" {
		f, err := os.Create(tsv)
		if err != nil {
			return err
		}
		w := bufio.NewWriter(f)
		for _, r := range fleet {
			for _, p := range r.Packages {
				fmt.Fprintln(w, strings.Join([]string{r.Facts.Hostname, p.Manager, p.Name, p.Epoch, p.Version, p.Release, p.Arch, p.Vendor, p.Status}, "\t"))
				rows++
			}
		}
		if err := w.Flush(); err != nil {
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "synthfleet: %d hosts in %s, %d package rows\n", n, out, rows)
	return nil
}

// timeLoad loads the latest scan of the database at path five times and
// prints how long each load took.
func timeLoad(path string) error {
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := db.LatestScan(ctx)
	if err != nil {
		return err
	}
	for range 5 {
		start := time.Now()
		obs, err := db.Observations(ctx, s.ID)
		if err != nil {
			return err
		}
		took := time.Since(start)
		sets := map[int64]bool{}
		rows := 0
		for _, o := range obs {
			if o.Report != nil {
				sets[o.PackageSet] = true
				rows += len(o.Report.Packages)
			}
		}
		fmt.Printf("Observations: %d hosts, %d package sets, %d package rows in %v\n", len(obs), len(sets), rows, took.Round(time.Millisecond))
	}
	return nil
}
