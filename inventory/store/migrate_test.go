package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"upkeep/inventory"
)

// TestMigrateSchema3To4 writes a scan in schema 3's tables, as an older
// upkeep did, and reads it back after the migration to content-addressed
// details: nothing is lost, and a new scan of the same host shares nothing
// it should not.
func TestMigrateSchema3To4(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?_pragma=foreign_keys(1)&_pragma=journal_mode(wal)")
	if err != nil {
		t.Fatal(err)
	}
	steps, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range steps[:3] {
		if _, err := raw.ExecContext(ctx, s); err != nil {
			t.Fatalf("migration %d: %v", i+1, err)
		}
	}
	for _, q := range []string{
		`PRAGMA user_version = 3`,
		`INSERT INTO scans (id, source, targets, started, finished) VALUES (1, 'ssm', 'all', '2026-11-20T09:00:00.000Z', '2026-11-20T09:01:00.000Z')`,
		`INSERT INTO hosts (id, ident, name, source) VALUES (1, 'i-1', 'web-1', 'ssm'), (2, 'i-2', 'gone-1', 'ssm')`,
		`INSERT INTO packages (id, manager, name, version, release, arch, vendor) VALUES (5, 'rpm', 'nginx', '1.20.0', '2.amzn2', 'x86_64', 'Amazon Linux')`,
		`INSERT INTO package_sets (id, hash, count, members) VALUES (3, x'00', 1, '[5]')`,
		`INSERT INTO observations (id, scan_id, host_id, status, has_report, format, hostname, kernel, arch, machine_id, os_id, os_version,
			collected_at, uptime, package_set_id, warnings)
			VALUES (10, 1, 1, 'ok', 1, 1, 'web-1', '4.14', 'x86_64', 'm1', 'amzn', '2', '2026-11-20T08:59:00.000Z', 3600, 3, '["ss missing"]')`,
		`INSERT INTO observations (id, scan_id, host_id, status, error) VALUES (11, 1, 2, 'offline', 'agent offline')`,
		`INSERT INTO probes VALUES (10, 0, 'nginx', '/usr/sbin/nginx', 'nginx', 'nginx version: nginx/1.20.0', '1.20.0'),
			(10, 1, 'java', '/opt/jdk/bin/java', '', 'openjdk version "1.8.0_392"', '1.8.0_392')`,
		`INSERT INTO services VALUES (10, 0, 'nginx.service', 'running')`,
		`INSERT INTO listeners VALUES (10, 0, 'tcp', '0.0.0.0', 443, 'nginx')`,
		`INSERT INTO tags VALUES (10, 'host', 'Name', 'web-1'), (10, 'report', 'Role', 'web'), (11, 'host', 'Env', 'prod')`,
	} {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	raw.Close()

	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	obs, err := db.Observations(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 20, 8, 59, 0, 0, time.UTC)
	want := []inventory.Observation{
		{ScanID: 1, PackageSet: 3, Status: inventory.StatusOK,
			Host: inventory.Host{ID: "i-1", Name: "web-1", Source: "ssm", Tags: map[string]string{"Name": "web-1"}},
			Report: &inventory.Report{Format: 1,
				Facts:     inventory.Facts{Hostname: "web-1", Kernel: "4.14", Arch: "x86_64", MachineID: "m1", CollectedAt: at, Uptime: time.Hour, OS: inventory.OSRelease{ID: "amzn", VersionID: "2"}},
				Packages:  []inventory.Package{{Manager: "rpm", Name: "nginx", Version: "1.20.0", Release: "2.amzn2", Arch: "x86_64", Vendor: "Amazon Linux"}},
				Probes:    []inventory.Probe{{Name: "nginx", Path: "/usr/sbin/nginx", Owner: "nginx", Output: "nginx version: nginx/1.20.0", Version: "1.20.0"}, {Name: "java", Path: "/opt/jdk/bin/java", Output: `openjdk version "1.8.0_392"`, Version: "1.8.0_392"}},
				Services:  []inventory.Service{{Unit: "nginx.service", State: "running"}},
				Listeners: []inventory.Listener{{Proto: "tcp", Addr: "0.0.0.0", Port: 443, Process: "nginx"}},
				Tags:      map[string]string{"Role": "web"},
				Warnings:  []string{"ss missing"},
			}},
		{ScanID: 1, Status: inventory.StatusOffline, Error: "agent offline",
			Host: inventory.Host{ID: "i-2", Name: "gone-1", Source: "ssm", Tags: map[string]string{"Env": "prod"}}},
	}
	if !reflect.DeepEqual(obs, want) {
		for i := range obs {
			t.Errorf("migrated host %d:\n got %+v\n     %+v\nwant %+v\n     %+v", i, obs[i], obs[i].Report, want[i], want[i].Report)
		}
	}
	hs, err := db.Hosts(ctx, 1)
	if err != nil || len(hs) != 2 || hs[0].Probes != 2 || fmt.Sprint(hs[0].Ports) != "[443]" || hs[0].Host.Tags["Role"] != "web" {
		t.Errorf("Hosts after migration = %+v, %v", hs, err)
	}
}
