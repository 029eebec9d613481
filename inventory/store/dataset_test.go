package store

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"upkeep/inventory"
)

func TestDataset(t *testing.T) {
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	first := Dataset{Name: "endoflife", FetchedAt: t0, Source: "https://endoflife.date/api/v1", Date: day, Body: []byte(`{"products":{}}`)}
	second := Dataset{Name: "endoflife", FetchedAt: t0.Add(24 * time.Hour), Source: "full.json", Date: day.AddDate(0, 0, 1), Body: []byte(`{"products":{"nginx":{}}}`)}
	tests := []struct {
		name    string
		saves   []Dataset
		want    Dataset
		wantErr error // of Dataset("endoflife")
		saveErr bool  // the last save fails
	}{
		{name: "none stored", wantErr: ErrNotFound},
		{name: "round trip", saves: []Dataset{first}, want: first},
		{name: "a later save replaces", saves: []Dataset{first, second}, want: second},
		{name: "not JSON is refused and the old one kept", saves: []Dataset{first, {Name: "endoflife", FetchedAt: t0, Date: day, Body: []byte(`{"products":`)}}, want: first, saveErr: true},
		{name: "no date is refused", saves: []Dataset{{Name: "endoflife", FetchedAt: t0, Body: []byte(`{}`)}}, wantErr: ErrNotFound, saveErr: true},
		{name: "no name is refused", saves: []Dataset{{FetchedAt: t0, Date: day, Body: []byte(`{}`)}}, wantErr: ErrNotFound, saveErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openTest(t)
			ctx := context.Background()
			for i, d := range tt.saves {
				err := db.SaveDataset(ctx, d)
				if last := i == len(tt.saves)-1; (err != nil) != (last && tt.saveErr) {
					t.Fatalf("save %d: err = %v, want error %v", i, err, last && tt.saveErr)
				}
			}
			got, err := db.Dataset(ctx, "endoflife")
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Dataset: err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Dataset = %+v\nwant      %+v", got, tt.want)
			}
		})
	}
}

// TestMigrateFromSchema1 opens a file an upkeep with schema 1 wrote: it
// gains the datasets table and keeps its scans.
func TestMigrateFromSchema1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "upkeep.db")
	ctx := context.Background()
	steps, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{steps[0], "PRAGMA user_version = 1",
		`INSERT INTO scans (source, targets, started, finished, counts) VALUES ('import', 'old', '2026-01-02T03:04:05.000Z', '2026-01-02T03:05:05.000Z', '{"ok":0}')`} {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatalf("build a schema 1 file: %v", err)
		}
	}
	raw.Close()

	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v int
	if err := db.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v != len(steps) || v < 2 {
		t.Errorf("user_version after migration = %d, want %d", v, len(steps))
	}
	s, err := db.LatestScan(ctx)
	if err != nil || s.Targets != "old" {
		t.Errorf("scan of schema 1 after migration = %+v, %v", s, err)
	}
	if _, err := db.Dataset(ctx, "endoflife"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Dataset on a migrated file: %v, want not found", err)
	}
	d := Dataset{Name: "endoflife", FetchedAt: t0, Source: "x.json", Date: t0.Truncate(24 * time.Hour), Body: []byte(`{}`)}
	if err := db.SaveDataset(ctx, d); err != nil {
		t.Errorf("SaveDataset on a migrated file: %v", err)
	}
	// Saving a scan still works on the migrated file.
	saveScan(t, db, inventory.Observation{Host: inventory.Host{ID: "a"}, Status: inventory.StatusOK, Report: sampleReport("a", basePkgs...)})
}
