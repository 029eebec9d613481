// Command synthfleet writes a synthetic fleet (package synth) as collector
// outputs, one file per host, for the ingest benchmark in docs/benchmarks.md.
// With -tsv it also writes every package of every host as one TSV row
// (host, manager, name, epoch, version, release, arch, vendor, status): the
// same data in the shape a one-row-per-package import would load.
//
//	go run ./internal/synth/cmd/synthfleet -n 10000 -seed 1 -out fleet -tsv fleet.tsv
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strings"

	"upkeep/internal/synth"
)

func main() {
	n := flag.Int("n", 10000, "number of hosts")
	seed := flag.Int64("seed", 1, "random seed")
	out := flag.String("out", "", "folder for the collector outputs (required)")
	tsv := flag.String("tsv", "", "also write one TSV row per package to this file")
	flag.Parse()
	if err := run(*n, *seed, *out, *tsv); err != nil {
		fmt.Fprintln(os.Stderr, "synthfleet:", err)
		os.Exit(1)
	}
}

func run(n int, seed int64, out, tsv string) error {
	if out == "" {
		return fmt.Errorf("-out is required")
	}
	fleet, err := synth.Fleet(n, seed)
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
