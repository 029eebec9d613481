package store

import (
	"context"
	"strings"
	"testing"

	"upkeep/inventory"
)

// TestLastMachineID: the newest sighting with a machine id, in the scan
// being written or an earlier one that finished without an error.
func TestLastMachineID(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	host := func(id, machine string) inventory.Observation {
		r := sampleReport(id, basePkgs...)
		r.Facts.MachineID = machine
		return inventory.Observation{Host: inventory.Host{ID: id, Name: id}, Status: inventory.StatusOK, Report: r}
	}
	first := saveScan(t, db, host("web-1", "m-old"), host("db-1", "m-db"))
	second := saveScan(t, db, host("web-1", "m-new"), host("db-1", ""))
	// A failed scan that stored an impostor is never the truth.
	failed, err := db.BeginScan(ctx, inventory.Scan{Source: "import", Started: t0})
	if err != nil {
		t.Fatal(err)
	}
	o := host("web-1", "m-impostor")
	o.ScanID = failed
	if err := db.SaveObservation(ctx, o); err != nil {
		t.Fatal(err)
	}
	if err := db.FailScan(ctx, failed, t0, "identity conflict"); err != nil {
		t.Fatal(err)
	}
	// The scan being written: unfinished, but its own rows count.
	current, err := db.BeginScan(ctx, inventory.Scan{Source: "import", Started: t0})
	if err != nil {
		t.Fatal(err)
	}
	o = host("cache-1", "m-cache")
	o.ScanID = current
	if err := db.SaveObservation(ctx, o); err != nil {
		t.Fatal(err)
	}
	failedHost := inventory.Observation{ScanID: current, Host: inventory.Host{ID: "gone-1"}, Status: inventory.StatusFailed, Error: "unreadable"}
	if err := db.SaveObservation(ctx, failedHost); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		host    string
		upTo    int64
		ok      bool
		scan    int64
		machine string
	}{
		{"web-1", current, true, second, "m-new"},      // the failed scan's impostor is skipped
		{"web-1", first, true, first, "m-old"},         // nothing newer than upTo
		{"db-1", current, true, first, "m-db"},         // the newer sighting carried no machine id
		{"cache-1", current, true, current, "m-cache"}, // the scan being written, unfinished
		{"cache-1", second, false, 0, ""},              // ... but only when it is the one asked about
		{"gone-1", current, false, 0, ""},              // no report, no machine id
		{"nobody", current, false, 0, ""},
	}
	for _, tt := range tests {
		s, ok, err := db.LastMachineID(ctx, tt.host, tt.upTo)
		if err != nil {
			t.Fatal(err)
		}
		if ok != tt.ok || s.ScanID != tt.scan || s.MachineID != tt.machine {
			t.Errorf("LastMachineID(%s, %d) = %+v, %v; want scan %d machine %q, %v", tt.host, tt.upTo, s, ok, tt.scan, tt.machine, tt.ok)
		}
		if ok && (s.Source != "import" || s.Started.IsZero()) {
			t.Errorf("LastMachineID(%s) = %+v: want the scan's source and start", tt.host, s)
		}
	}

	// The lookup probes indexes only: no step of the plan reads a whole
	// table or sorts, whatever the number of scans and hosts.
	rows, err := db.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+lastMachineQuery, "web-1", current, current)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	for _, step := range plan {
		if strings.HasPrefix(step, "SCAN") || strings.Contains(step, "TEMP B-TREE") {
			t.Errorf("query plan step %q reads a whole table; plan:\n%s", step, strings.Join(plan, "\n"))
		}
	}
	if len(plan) == 0 {
		t.Fatal("no query plan")
	}
	t.Logf("plan:\n%s", strings.Join(plan, "\n"))
}
