package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"upkeep/inventory"
)

func TestScanSummaries(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	obs := inventory.Observation{Host: inventory.Host{ID: "web-1"}, Status: inventory.StatusOK, Report: sampleReport("web-1", basePkgs...)}
	one, two := saveScan(t, db, obs), saveScan(t, db, obs)
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	s := ScanSummary{ScanID: one, At: day, Data: "endoflife.date 2026-08-22", Upkeep: "v1", Options: "within=180",
		RecordedAt: day.Add(9 * time.Hour), Hosts: 2, Scanned: 1, HostsEOL: 1, Waived: 1, Findings: map[string]int{"eol": 3, "supported": 4}}
	for _, tc := range []struct {
		name string
		s    ScanSummary
	}{
		{"first", s},
		{"same fingerprint, recounted: replaces", func() ScanSummary { s := s; s.Findings = map[string]int{"eol": 2}; return s }()},
		{"another day: kept beside", func() ScanSummary { s := s; s.At = day.AddDate(0, 0, 7); return s }()},
		{"another scan", func() ScanSummary { s := s; s.ScanID = two; s.Findings = nil; return s }()},
	} {
		if err := RecordScanSummary(ctx, db.Path(), tc.s); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
	}
	got, err := db.ScanSummaries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d summaries, want 3: %+v", len(got), got)
	}
	want := s
	want.Findings = map[string]int{"eol": 2}
	if !reflect.DeepEqual(got[0], want) || !got[1].At.Equal(day.AddDate(0, 0, 7)) || got[2].ScanID != two || len(got[2].Findings) != 0 {
		t.Errorf("summaries read back:\n%+v\nwant first %+v", got, want)
	}

	// A scan that no longer exists takes no summary; deleting a scan deletes its summaries.
	if err := RecordScanSummary(ctx, db.Path(), ScanSummary{ScanID: 99, At: day}); err == nil {
		t.Errorf("summary of a scan that does not exist was stored")
	}
	if err := db.DeleteScans(ctx, []int64{one}); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.ScanSummaries(ctx); len(got) != 1 || got[0].ScanID != two {
		t.Errorf("after deleting scan %d: %+v", one, got)
	}

	// A writer holding the lock (a scan) makes the summary fail at once,
	// never wait.
	var busy error
	s.ScanID = two
	if err := db.HoldWriteLock(ctx, func() { busy = RecordScanSummary(ctx, db.Path(), s) }); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(busy, ErrBusy) {
		t.Errorf("summary under another writer's lock: %v, want ErrBusy", busy)
	}

	// A read-only handle reads them.
	ro, err := OpenReadOnly(ctx, db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if got, err := ro.ScanSummaries(ctx); err != nil || len(got) != 1 {
		t.Errorf("read-only: %v, %v", got, err)
	}
}
