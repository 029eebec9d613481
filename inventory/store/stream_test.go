package store

import (
	"context"
	"reflect"
	"testing"

	"upkeep/internal/synth"
	"upkeep/inventory"
)

// EachObservation gives every host of a scan exactly as Observations does,
// packages included once asked for, whatever the order.
func TestEachObservationMatchesObservations(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	fleet, err := synth.Fleet(300, 7)
	if err != nil {
		t.Fatal(err)
	}
	obs := []inventory.Observation{
		{Host: inventory.Host{ID: "i-down", Name: "down", Region: "eu-west-1", Tags: map[string]string{"Env": "prod"}}, Status: inventory.StatusFailed, Error: "timed out"},
	}
	for i, r := range fleet {
		obs = append(obs, inventory.Observation{Host: inventory.Host{ID: synth.InstanceID(7, i), Name: r.Facts.Hostname, Region: "eu-west-1",
			Tags: map[string]string{"Name": r.Facts.Hostname}}, Status: inventory.StatusOK, Report: r})
	}
	id := saveScan(t, db, obs...)
	want, err := db.Observations(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]inventory.Observation{}
	for _, o := range want {
		byID[o.Host.ID] = o
	}
	n, loads := 0, 0
	err = db.EachObservation(ctx, id, func(o *inventory.Observation, packages func(int64) ([]inventory.Package, error)) error {
		n++
		w, ok := byID[o.Host.ID]
		if !ok {
			t.Fatalf("host %s is not in the scan", o.Host.ID)
		}
		if o.Report != nil {
			if o.Report.Packages != nil {
				t.Errorf("%s: packages read before they were asked for", o.Host.ID)
			}
			pkgs, err := packages(o.PackageSet)
			if err != nil {
				return err
			}
			loads++
			o.Report.Packages = pkgs
		}
		if !reflect.DeepEqual(*o, w) {
			t.Errorf("%s: streamed\n%+v\nloaded\n%+v", o.Host.ID, *o, w)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != len(want) || loads != len(fleet) {
		t.Errorf("streamed %d hosts and %d package lists, want %d and %d", n, loads, len(want), len(fleet))
	}
}

// Package ids far apart (rows deleted, or written by hand) are read as
// dense ones are.
func TestEachObservationSparsePackageIDs(t *testing.T) {
	for _, id := range []int64{-5, 1 << 40} {
		db := openTest(t)
		ctx := context.Background()
		scan := saveScan(t, db, inventory.Observation{Host: inventory.Host{ID: "i-a", Name: "a"}, Status: inventory.StatusOK, Report: sampleReport("a", basePkgs...)})
		// A package at a far id, in the host's set.
		if _, err := db.db.ExecContext(ctx, `INSERT INTO packages (id, manager, name, version) VALUES (?, 'rpm', 'far', '1')`, id); err != nil {
			t.Fatal(err)
		}
		if _, err := db.db.ExecContext(ctx, `UPDATE package_sets SET members = rtrim(members, ']') || ',' || ? || ']'`, id); err != nil {
			t.Fatal(err)
		}
		want, err := db.Observations(ctx, scan)
		if err != nil {
			t.Fatal(err)
		}
		err = db.EachObservation(ctx, scan, func(o *inventory.Observation, packages func(int64) ([]inventory.Package, error)) error {
			pkgs, err := packages(o.PackageSet)
			if err != nil {
				return err
			}
			if len(pkgs) != len(basePkgs)+1 || !reflect.DeepEqual(pkgs, want[0].Report.Packages) {
				t.Errorf("package id %d in the table: read\n%+v\nwant\n%+v", id, pkgs, want[0].Report.Packages)
			}
			return nil
		})
		if err != nil {
			t.Errorf("package id %d in the table: %v", id, err)
		}
	}
}
