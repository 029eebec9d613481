package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"upkeep/advisories"
	"upkeep/history"
	"upkeep/inventory/store"
	"upkeep/report"
)

// scanSummary counts what judging a whole scan found, with what made the
// counts, for the report's burn-down.
func scanSummary(f *factory, d *advisories.Data, opt advisories.Options, js *judgedScan) *store.ScanSummary {
	s := history.Summarize(js.scan.ID, js.hosts)
	s.At, s.Data, s.Upkeep, s.Options, s.RecordedAt = opt.At, dataName(d), buildVersion(), verdictOptions(opt), f.now().UTC()
	return &s
}

// recordSummary stores the counts of a scan just judged whole. It is the
// one write of a reading command and is best effort: a database that
// cannot be written (read-only, or a scan holding the lock) keeps its old
// counts, silently, rather than slowing or failing the command; the report
// names the scans that have none.
func recordSummary(ctx context.Context, f *factory, s *store.ScanSummary) {
	if s == nil || s.ScanID == 0 {
		return
	}
	path, err := f.existingPath()
	if err != nil {
		return
	}
	_ = store.RecordScanSummary(ctx, path, *s)
}

// dataName names the data that made verdicts: the end-of-life snapshot
// and the AL2023 package list, as the report's data line does.
func dataName(d *advisories.Data) string {
	src := d.Source + " " + d.Date.Format(time.DateOnly)
	if d.Commit != "" {
		src += " (commit " + d.Commit[:min(7, len(d.Commit))] + ")"
	}
	if d.Origin != "" && d.Origin != "embedded" {
		src += " (updated)"
	}
	return src + "; Amazon Linux 2023 packages " + d.AL2023Release()
}

// verdictOptions names the judging options that change verdicts, the
// waivers by a digest of what they say.
func verdictOptions(opt advisories.Options) string {
	w := "none"
	if len(opt.Waivers) > 0 {
		h := sha256.Sum256(fmt.Appendf(nil, "%+v", opt.Waivers))
		w = hex.EncodeToString(h[:6])
	}
	return fmt.Sprintf("within=%d extended-support=%t waivers=%s", opt.Within, opt.ExtendedSupport, w)
}

// burndown reads the recorded counts of the kept scans for the report of
// js, whose own counts are cur (nil when the report is of part of the
// scan: then it has no burn-down).
func burndown(ctx context.Context, f *factory, js *judgedScan, cur *store.ScanSummary) (report.History, error) {
	if cur == nil || js.scan.ID == 0 {
		return report.History{}, nil
	}
	db, err := f.openReadStore(ctx)
	if err != nil {
		return report.History{}, err
	}
	defer db.Close()
	scans, err := db.Scans(ctx)
	if err != nil {
		return report.History{}, fmt.Errorf("burn-down: %w", err)
	}
	sums, err := db.ScanSummaries(ctx)
	if err != nil {
		return report.History{}, fmt.Errorf("burn-down: %w", err)
	}
	return history.Burndown(scans, sums, *cur, js.scan), nil
}
