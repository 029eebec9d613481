package scan_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"upkeep/inventory"
	"upkeep/inventory/scan"
	"upkeep/inventory/store"
)

// TestImportAgainstStoredHosts: a file naming a host the store already
// holds must be the machine the store last saw under that name.
func TestImportAgainstStoredHosts(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	write := func(name, host, machine string) string {
		r := &inventory.Report{Facts: inventory.Facts{Hostname: host, MachineID: machine,
			CollectedAt: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC),
			OS:          inventory.OSRelease{ID: "amzn", VersionID: "2"}},
			Packages: []inventory.Package{{Manager: "rpm", Name: "bash", Version: "4.2.46", Release: "34.amzn2", Arch: "x86_64"}}}
		var b bytes.Buffer
		if err := inventory.Encode(&b, r); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	real := write("web-1.out", "web-1", "aaaa")
	again := write("web-1-again.out", "web-1", "aaaa")
	impostor := write("impostor.out", "web-1", "bbbb")
	anonymous := write("anonymous.out", "web-1", "")
	broken := filepath.Join(dir, "web-1.broken")
	if err := os.WriteFile(broken, []byte("not a collector output\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	db, err := store.Open(ctx, filepath.Join(dir, "upkeep.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	clk := &clock{t: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)}
	imp := func(path string) (scan.Result, error) {
		label := filepath.Base(path)
		label = label[:len(label)-len(filepath.Ext(label))]
		return scan.Run(ctx, db, &scan.Import{Files: []scan.File{{Path: path, Label: label}}, Targets: path}, scan.Options{Now: clk.now})
	}
	first, err := imp(real)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name     string
		path     string
		conflict bool
	}{
		{"another machine", impostor, true},
		{"no machine id", anonymous, true},
		{"the same machine again", again, false},
		{"a file that says nothing claims nothing", broken, false},
	}
	for _, tt := range tests {
		res, err := imp(tt.path)
		var sc *scan.StoredConflictError
		switch {
		case tt.conflict && !errors.As(err, &sc):
			t.Errorf("%s: error %v, want a StoredConflictError", tt.name, err)
		case tt.conflict:
			if sc.Stored.ScanID != first.Scan.ID || sc.File.File != tt.path || sc.Host != "web-1" || sc.Stored.MachineID != "aaaa" {
				t.Errorf("%s: %+v, want scan %d's web-1 (aaaa) against %s", tt.name, sc, first.Scan.ID, tt.path)
			}
			if res.Scan.State() != inventory.ScanFailed || res.Scan.Stored() != 0 {
				t.Errorf("%s: scan %d %s with %d hosts, want failed with none", tt.name, res.Scan.ID, res.Scan.State(), res.Scan.Stored())
			}
		case err != nil:
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	// The failed imports stored nothing that later lookups trust: the
	// store still knows web-1 as machine aaaa.
	s, ok, err := db.LastMachineID(ctx, "web-1", 1<<40)
	if err != nil || !ok || s.MachineID != "aaaa" {
		t.Errorf("LastMachineID(web-1) = %+v, %v, %v; want aaaa", s, ok, err)
	}
}
