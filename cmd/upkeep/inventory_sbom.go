package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"upkeep/internal/output"
	"upkeep/inventory"
	"upkeep/sbom"
)

// formatCycloneDX is the --output of `upkeep inventory` that writes an
// SBOM; only the host list has it, since a BOM is of hosts and packages.
const formatCycloneDX output.Format = "cyclonedx"

// runSBOM writes the CycloneDX BOM of the scan's hosts that --host and
// --status select (all by default).
func (o *inventoryOptions) runSBOM(ctx context.Context, hosts []string, status inventory.Status) error {
	if o.scanID < 0 {
		return usageErrorf("--scan must be a scan id (see 'upkeep inventory scans')")
	}
	db, scan, err := o.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	all, err := db.Observations(ctx, scan.ID)
	if err != nil {
		return fmt.Errorf("read scan %d: %w", scan.ID, err)
	}
	var keep []inventory.Observation
	for _, ob := range all {
		if hostMatches(hosts, ob.Host) && (status == "" || ob.Status == status) {
			keep = append(keep, ob)
		}
	}
	if len(keep) == 0 && len(hosts) > 0 {
		return usageErrorf("--host %s: no such host in scan %d (see 'upkeep inventory')", strings.Join(hosts, ","), scan.ID)
	}
	b := sbom.Build(keep, sbom.Subject{ScanID: scan.ID, ScanSource: scan.Source, ScanStarted: scan.Started, Tool: buildVersion()})
	o.format = formatCycloneDX
	if err := o.write(o.f, func(w io.Writer, _ output.Options) error { return sbom.Write(w, b) }); err != nil {
		return err
	}
	listed := len(b.Components)
	fmt.Fprintf(o.f.io.errOut, "scan %d (%s, %s): CycloneDX %s BOM of %s", scan.ID, scan.Source, timeText(scan.Started), sbom.SpecVersion, nouns(listed, "host"))
	if n := len(keep) - listed; n > 0 {
		fmt.Fprintf(o.f.io.errOut, "; %s not scanned, so not in it (see 'upkeep inventory --status')", nouns(n, "host"))
	}
	fmt.Fprintln(o.f.io.errOut)
	return nil
}
