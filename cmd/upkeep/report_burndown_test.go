package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"upkeep/inventory"
	"upkeep/inventory/demo"
	"upkeep/inventory/store"
)

// storeDemoRescan stores the demo fleet again as a scan started at
// started, changed by change (which may drop a host by returning false),
// as a later scan of the same fleet would find it.
func storeDemoRescan(t *testing.T, path string, started time.Time, change func(name string, r *inventory.Report) bool) int64 {
	t.Helper()
	ctx := context.Background()
	obs, err := demo.Observations()
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var keep []inventory.Observation
	for _, o := range obs {
		r := *o.Report
		r.Probes, r.Listeners = slices.Clone(r.Probes), slices.Clone(r.Listeners)
		if change(o.Host.Name, &r) {
			o.Report = &r
			keep = append(keep, o)
		}
	}
	id, err := db.BeginScan(ctx, inventory.Scan{Source: "demo", Targets: "demo fleet", Started: started, Expected: len(keep)})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range keep {
		o.ScanID = id
		if err := db.SaveObservation(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.FinishScan(ctx, id, started.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	return id
}

var burndownSection = regexp.MustCompile(`(?s)<section aria-labelledby="h-burndown">.*?</section>`)

// burndownDemoDir stores three scans of the demo fleet. Scan 2, a week
// after the demo's, lost stg-web-30 and prod-api-03's hand-installed
// Node.js 16; scan 3, a week later, lost the hand-built software on
// prod-web-01 to 04 too. Scan 1 judged by check and scans 2 and 3 by nothing yet, and
// returns the data folder and the day of scan 3.
func burndownDemoDir(t *testing.T) (string, time.Time) {
	t.Helper()
	dir := demoReportDir(t)
	path := filepath.Join(dir, "upkeep", "demo.db")
	if _, stderr, code := runReportCLI(t, dir, reportNow, "--demo", "check", "--at", "2026-11-24"); code != 1 && code != 0 {
		t.Fatalf("check: exit %d\n%s", code, stderr)
	}
	week2, week3 := reportNow.AddDate(0, 0, 7), reportNow.AddDate(0, 0, 14)
	storeDemoRescan(t, path, week2, func(name string, r *inventory.Report) bool {
		if name == "prod-api-03" {
			r.Probes = slices.DeleteFunc(r.Probes, func(p inventory.Probe) bool { return p.Name == "node" })
			r.Listeners = slices.DeleteFunc(r.Listeners, func(l inventory.Listener) bool { return l.Port == 3000 })
		}
		return name != "stg-web-30"
	})
	storeDemoRescan(t, path, week3, func(name string, r *inventory.Report) bool {
		if name == "prod-api-03" || strings.HasPrefix(name, "prod-web-0") {
			r.Probes = nil
			r.Listeners = slices.DeleteFunc(r.Listeners, func(l inventory.Listener) bool { return l.Port == 3000 })
		}
		return name != "stg-web-30"
	})
	return dir, week3
}

// TestReportBurndownGolden: scan 2 has no counts until check judges it,
// and the report says so and how to fill them; then it draws all three
// scans, each as judged on its own day, burning down.
func TestReportBurndownGolden(t *testing.T) {
	dir, week3 := burndownDemoDir(t)
	report := func(format string) string {
		t.Helper()
		out, stderr, code := runReportCLI(t, dir, week3, "--demo", "report", "--at", "2026-12-08", "--output", format)
		if code != 0 {
			t.Fatalf("report: exit %d\n%s", code, stderr)
		}
		return out
	}
	week2 := week3.AddDate(0, 0, -7)
	md := report("markdown")
	if !strings.Contains(md, "1 kept scan has no finding counts recorded, so it is not drawn: scan 2. Judge each once, for example with 'upkeep check --scan 2'") {
		t.Errorf("the report does not say scan 2 has no counts and how to fill them:\n%s", mdSection(md))
	}
	if _, stderr, code := runReportCLI(t, dir, week2, "--demo", "check", "--scan", "2", "--at", "2026-12-01"); code != 1 && code != 0 {
		t.Fatalf("check --scan 2: exit %d\n%s", code, stderr)
	}
	md = report("markdown")
	assertGolden(t, "report/burndown.md.golden", mdSection(md))
	assertGolden(t, "report/burndown.html.golden", burndownSection.FindString(report("html"))+"\n")

	var r struct {
		Summary struct {
			Findings []struct {
				Label string
				Count int
			}
			Waived int
		}
		History struct {
			Points []struct {
				ScanID   int64 `json:"scan_id"`
				At       string
				Same     bool
				Findings []struct {
					Label string
					Count int
				}
			}
			Missing []int64
		}
	}
	if err := json.Unmarshal([]byte(report("json")), &r); err != nil {
		t.Fatal(err)
	}
	h := r.History
	if len(h.Points) != 3 || len(h.Missing) != 0 {
		t.Fatalf("history: %+v, want 3 points and none missing", h)
	}
	open := func(i int) int {
		n := 0
		for _, c := range h.Points[i].Findings {
			if c.Label != "supported" && c.Label != "distro-supported" {
				n += c.Count
			}
		}
		return n
	}
	// Each scan is counted as judged on its own day, and the fixes burn down.
	for i, want := range []string{"2026-11-24", "2026-12-01", "2026-12-08"} {
		if h.Points[i].ScanID != int64(i+1) || h.Points[i].At != want || !h.Points[i].Same {
			t.Errorf("point %d: %+v, want scan %d judged %s with the report's data", i, h.Points[i], i+1, want)
		}
	}
	if !(open(0) > open(1) && open(1) > open(2)) {
		t.Errorf("open findings %d, %d, %d: want fewer in each scan", open(0), open(1), open(2))
	}
	// The report's own point is its summary's counts, waived aside.
	if r.Summary.Waived == 0 && !slices.EqualFunc(h.Points[2].Findings, r.Summary.Findings, func(a, b struct {
		Label string
		Count int
	}) bool {
		return a == b
	}) {
		t.Errorf("last point %v, summary %v: want the same counts", h.Points[2].Findings, r.Summary.Findings)
	}
}

func mdSection(md string) string {
	i := strings.Index(md, "## Findings over the kept scans")
	j := strings.Index(md, "## Findings by severity")
	if i < 0 || j < i {
		return ""
	}
	return md[i:j]
}

// TestReportBurndownInChromium renders the three-scan report, burn-down
// and notes included, in headless Chromium: no console errors.
func TestReportBurndownInChromium(t *testing.T) {
	bin := chromiumPath(t)
	dir, week3 := burndownDemoDir(t)
	page := filepath.Join(t.TempDir(), "report.html")
	if _, stderr, code := runReportCLI(t, dir, week3, "--demo", "report", "--at", "2026-12-08", "--out", page); code != 0 {
		t.Fatalf("report: exit %d\n%s", code, stderr)
	}
	if errs := consoleErrors(t, bin, page); len(errs) > 0 {
		t.Errorf("console errors in the report:\n%s", strings.Join(errs, "\n"))
	}
}
