package store

import (
	"context"
	"os"
	"regexp"
	"testing"
	"time"

	"upkeep/internal/synth"
	"upkeep/inventory"
)

// TestSchemaDocQueries runs every example query in docs/schema.md against
// a database with two scans, and wants rows from each: a documented query
// that fails or finds nothing on a fleet is a broken example.
func TestSchemaDocQueries(t *testing.T) {
	doc, err := os.ReadFile("../../docs/schema.md")
	if err != nil {
		t.Fatal(err)
	}
	queries := regexp.MustCompile("(?s)```sql\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	if len(queries) < 6 {
		t.Fatalf("docs/schema.md has %d example queries, want at least 6", len(queries))
	}

	db := openTest(t)
	fleet, err := synth.Fleet(60, 1)
	if err != nil {
		t.Fatal(err)
	}
	scan := func(web1 *inventory.Report) {
		obs := []inventory.Observation{
			{Host: inventory.Host{ID: "i-0web1", Name: "web-1"}, Status: inventory.StatusOK, Report: web1},
			{Host: inventory.Host{ID: "i-0dead", Name: "gone-1"}, Status: inventory.StatusTimedOut, Error: "execution timed out"},
		}
		for i, r := range fleet {
			obs = append(obs, inventory.Observation{Host: inventory.Host{ID: synth.InstanceID(1, i), Name: r.Facts.Hostname}, Status: inventory.StatusOK, Report: r})
		}
		saveScan(t, db, obs...)
	}
	scan(sampleReport("web-1", basePkgs...))
	upgraded := append([]inventory.Package{}, basePkgs...)
	upgraded[1] = rpm("openssl", "1", "1.0.2k", "24.amzn2.0.12")
	scan(sampleReport("web-1", upgraded...))

	ds := Dataset{Name: "endoflife", FetchedAt: t0, Source: "https://endoflife.date/api/v1", Date: t0.Truncate(24 * time.Hour),
		Body: []byte(`{"source":"endoflife.date","snapshot_date":"2026-11-20","products":{"nginx":{"releases":[]}}}`)}
	if err := db.SaveDataset(context.Background(), ds); err != nil {
		t.Fatal(err)
	}

	if err := RecordScanSummary(context.Background(), db.Path(), ScanSummary{ScanID: 1, At: t0, Data: "endoflife.date 2026-11-20", RecordedAt: t0,
		Hosts: 62, Scanned: 61, HostsEOL: 3, Findings: map[string]int{"eol": 4, "supported": 50}}); err != nil {
		t.Fatal(err)
	}

	for _, q := range queries {
		rows, err := db.db.QueryContext(context.Background(), q[1])
		if err != nil {
			t.Errorf("query failed: %v\n%s", err, q[1])
			continue
		}
		n := 0
		for rows.Next() {
			n++
		}
		if err := rows.Err(); err != nil {
			t.Errorf("query failed: %v\n%s", err, q[1])
		}
		rows.Close()
		if n == 0 {
			t.Errorf("query found no rows:\n%s", q[1])
		}
	}
}
