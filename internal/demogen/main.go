// Command demogen regenerates upkeep's bundled demo fleet: one collector
// output per host in inventory/demo/fleet, built from the real package lists
// in internal/fixtures (package fixtures) plus the middleware each host's role adds (see
// fleet.go and versions.go, and inventory/demo/README.md for every version
// string's source).
//
// Run it from the module root after changing the fleet:
//
//	go run ./internal/demogen
//
// The output is deterministic (fixed collection time, identifiers derived
// from host names), and a test fails when the committed files differ from
// what this program generates.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	out := flag.String("out", filepath.Join("inventory", "demo", "fleet"), "folder to write <host>.out files to")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "demogen:", err)
		os.Exit(1)
	}
}

// run writes the fleet to outDir and removes outputs of hosts no longer in
// the fleet, so the folder holds exactly the generated set.
func run(outDir string) error {
	files, err := generate(fleet())
	if err != nil {
		return err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", outDir, err)
	}
	keep := map[string]bool{}
	for _, f := range files {
		keep[f.Name] = true
		if err := os.WriteFile(filepath.Join(outDir, f.Name), f.Data, 0o644); err != nil {
			return fmt.Errorf("write demo host: %w", err)
		}
	}
	old, err := filepath.Glob(filepath.Join(outDir, "*.out"))
	if err != nil {
		return fmt.Errorf("list %s: %w", outDir, err)
	}
	for _, p := range old {
		if !keep[filepath.Base(p)] && strings.HasSuffix(p, ".out") {
			if err := os.Remove(p); err != nil {
				return fmt.Errorf("remove stale demo host: %w", err)
			}
		}
	}
	fmt.Printf("demogen: wrote %d hosts to %s\n", len(files), outDir)
	return nil
}
