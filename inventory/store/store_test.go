package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"upkeep/inventory"
)

var t0 = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

func openTest(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "upkeep.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func rpm(name, epoch, version, release string) inventory.Package {
	return inventory.Package{Manager: "rpm", Name: name, Epoch: epoch, Version: version, Release: release, Arch: "x86_64", Vendor: "Amazon Linux"}
}

func sampleReport(host string, pkgs ...inventory.Package) *inventory.Report {
	return &inventory.Report{
		Format: 1,
		Facts: inventory.Facts{
			Hostname: host, Kernel: "4.14.355-277.643.amzn2.x86_64", Arch: "x86_64", Uptime: 8640000 * time.Second,
			CollectedAt: t0, MachineID: "m-" + host,
			OS: inventory.OSRelease{ID: "amzn", VersionID: "2", Name: "Amazon Linux", PrettyName: "Amazon Linux 2", IDLike: "centos rhel fedora"},
		},
		Packages:  pkgs,
		Probes:    []inventory.Probe{{Name: "nginx", Path: "/usr/local/nginx/sbin/nginx", Output: "nginx version: nginx/1.10.3", Version: "1.10.3"}},
		Services:  []inventory.Service{{Unit: "nginx.service", State: "running"}, {Unit: "amazon-ssm-agent.service", State: "running"}},
		Listeners: []inventory.Listener{{Proto: "tcp", Addr: "0.0.0.0", Port: 443, Process: "nginx"}, {Proto: "tcp6", Addr: "::", Port: 443, Process: "nginx"}, {Proto: "tcp", Addr: "0.0.0.0", Port: 22, Process: "sshd"}},
		Tags:      map[string]string{"Env": "prod", "Role": "web"},
		Warnings:  []string{"ss not found; listening sockets unknown"},
	}
}

var basePkgs = []inventory.Package{
	rpm("bash", "", "4.2.46", "34.amzn2"),
	rpm("openssl", "1", "1.0.2k", "24.amzn2.0.11"),
	rpm("nginx", "1", "1.20.0", "2.amzn2.0.5"),
	{Manager: "rpm", Name: "gpg-pubkey", Version: "c87f5b1a", Release: "593863f8"},
}

func saveScan(t *testing.T, db *DB, obs ...inventory.Observation) int64 {
	t.Helper()
	ctx := context.Background()
	id, err := db.BeginScan(ctx, inventory.Scan{Source: "import", Targets: "test", Started: t0})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range obs {
		o.ScanID = id
		if err := db.SaveObservation(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.FinishScan(ctx, id, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		obs  inventory.Observation
	}{
		{"full report", inventory.Observation{
			Host:   inventory.Host{ID: "i-0abc", Name: "web-1", Region: "eu-west-1", Account: "123456789012", Source: "ssm", Tags: map[string]string{"Name": "web-1"}, Platform: "Amazon Linux", AgentVersion: "3.3.1", PingStatus: "Online", IPAddress: "10.0.0.1", LastPing: t0.Add(-time.Minute)},
			Status: inventory.StatusOK,
			Report: sampleReport("web-1", basePkgs...),
		}},
		{"dpkg report without extras", inventory.Observation{
			Host:   inventory.Host{ID: "db-1", Name: "db-1", Source: "import"},
			Status: inventory.StatusOK,
			Report: &inventory.Report{Format: 1, Facts: inventory.Facts{Hostname: "db-1", OS: inventory.OSRelease{ID: "debian", VersionID: "12"}},
				Packages: []inventory.Package{{Manager: "dpkg", Name: "libc6", Version: "2.36-9+deb12u4", Arch: "amd64", Status: "ii"}}},
		}},
		{"module streams, components, listener owners and support statements", inventory.Observation{
			Host:   inventory.Host{ID: "i-0new", Name: "app-1", Source: "ssm", Tags: map[string]string{"Role": "app"}},
			Status: inventory.StatusOK,
			Report: &inventory.Report{Format: 2, Facts: inventory.Facts{Hostname: "app-1", CollectedAt: t0, Uptime: time.Hour, OS: inventory.OSRelease{ID: "rhel", VersionID: "8.10"}},
				Packages: []inventory.Package{
					{Manager: "rpm", Name: "nodejs", Epoch: "1", Version: "18.20.2", Release: "1.module+el8.10.0+21318+5ea5ed3f", Arch: "x86_64", Vendor: "Red Hat, Inc.", Module: "nodejs:18:8100020240425163024:489197e6"},
					{Manager: "rpm", Name: "nodejs", Epoch: "1", Version: "18.20.2", Release: "1.module+el8.10.0+21318+5ea5ed3f", Arch: "x86_64", Vendor: "Red Hat, Inc."},
					{Manager: "dpkg", Name: "nginx", Version: "1.24.0-2ubuntu7", Arch: "amd64", Status: "ii", Component: "universe"},
				},
				Listeners: []inventory.Listener{{Proto: "tcp", Addr: "0.0.0.0", Port: 3000, Process: "node", Exe: "/usr/bin/node", Owner: "nodejs"}},
				Support:   []inventory.SupportStatement{{Package: "nodejs", Level: "supported", Ends: "2025-04-30", Source: "dnf supportinfo"}},
				Tags:      map[string]string{"Env": "prod"},
			},
		}},
		{"debian-security-support listings", inventory.Observation{
			Host:   inventory.Host{ID: "i-0deb", Name: "build-1", Source: "ssm"},
			Status: inventory.StatusOK,
			Report: &inventory.Report{Format: 3, Facts: inventory.Facts{Hostname: "build-1", CollectedAt: t0, OS: inventory.OSRelease{ID: "debian", VersionID: "12"}},
				Packages: []inventory.Package{{Manager: "dpkg", Name: "binutils", Version: "2.40-2", Arch: "amd64", Status: "ii", Component: "main"}},
				// Lines of debian-security-support 1:12+2026.06.30 (salsa.debian.org/debian/debian-security-support).
				Listings: []inventory.SecurityListing{
					{Package: "binutils", Source: "binutils", List: "security-support-limited", Kind: inventory.ListingLimited,
						Note: "Only suitable for trusted content; see https://lists.debian.org/msgid-search/87lfqsomtg.fsf@mid.deneb.enyo.de"},
					{Package: "libmbedtls14", Source: "mbedtls", List: "security-support-ended.deb12", Kind: inventory.ListingEnded,
						Version: "2.16.9-0.1+deb11u4", Ends: "2026-06-12", Note: "Crypto library difficult to support in the long term; see: https://bugs.debian.org/1138294"},
				},
			},
		}},
		{"failed host keeps its control-plane tags", inventory.Observation{
			Host:   inventory.Host{ID: "i-0off", Source: "ssm", Tags: map[string]string{"Env": "prod", "Role": "web"}},
			Status: inventory.StatusOffline,
			Error:  "agent offline",
		}},
		{"failed host has no report", inventory.Observation{
			Host:   inventory.Host{ID: "i-0dead", Source: "ssm"},
			Status: inventory.StatusTimedOut,
			Error:  "execution timed out after 600s",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openTest(t)
			id := saveScan(t, db, tt.obs)
			got, err := db.Observations(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 {
				t.Fatalf("got %d observations, want 1", len(got))
			}
			want := tt.obs
			want.ScanID = id
			if want.Report != nil {
				r := *want.Report
				r.Packages = sortedCopy(r.Packages)
				want.Report = &r
				if got[0].PackageSet == 0 {
					t.Errorf("PackageSet is 0 for a host with a report")
				}
			}
			got[0].PackageSet = 0
			if !reflect.DeepEqual(got[0], want) {
				t.Errorf("round trip:\n got %+v\n     %+v\nwant %+v\n     %+v", got[0], got[0].Report, want, want.Report)
			}
		})
	}
}

func sortedCopy(p []inventory.Package) []inventory.Package {
	out := append([]inventory.Package{}, p...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if comparePackages(out[j], out[i]) < 0 {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestIdenticalSetsStoredOnce(t *testing.T) {
	db := openTest(t)
	drifted := append(append([]inventory.Package{}, basePkgs[:3]...), rpm("nginx", "1", "1.22.1", "1.amzn2.0.1"), basePkgs[3])
	var obs []inventory.Observation
	for i := range 5 {
		pkgs := basePkgs
		if i == 4 {
			pkgs = drifted
		}
		// Same set in a different order, with a duplicate line, is still the same set.
		if i == 2 {
			pkgs = []inventory.Package{basePkgs[3], basePkgs[2], basePkgs[1], basePkgs[0], basePkgs[0]}
		}
		name := fmt.Sprintf("web-%d", i)
		obs = append(obs, inventory.Observation{Host: inventory.Host{ID: name}, Status: inventory.StatusOK, Report: sampleReport(name, pkgs...)})
	}
	id := saveScan(t, db, obs...)
	ctx := context.Background()
	var sets, pkgs int
	if err := db.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM package_sets").Scan(&sets); err != nil {
		t.Fatal(err)
	}
	if err := db.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM packages").Scan(&pkgs); err != nil {
		t.Fatal(err)
	}
	if sets != 2 || pkgs != 5 {
		t.Errorf("stored %d sets and %d packages, want 2 and 5", sets, pkgs)
	}
	got, err := db.Observations(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].PackageSet != got[3].PackageSet || got[0].PackageSet == got[4].PackageSet {
		t.Errorf("package set ids %d %d %d: want the first two equal and the drifted one apart", got[0].PackageSet, got[3].PackageSet, got[4].PackageSet)
	}
	if &got[0].Report.Packages[0] != &got[3].Report.Packages[0] {
		t.Errorf("identical sets do not share one slice")
	}
	// A second scan of the same fleet adds no set and no package.
	saveScan(t, db, obs...)
	var sets2 int
	if err := db.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM package_sets").Scan(&sets2); err != nil {
		t.Fatal(err)
	}
	if sets2 != 2 {
		t.Errorf("after a second scan: %d sets, want 2", sets2)
	}
	// The view expands sets back to one row per host and package.
	var rows int
	if err := db.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM host_packages WHERE scan_id = ?", id).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 4*4+5 {
		t.Errorf("host_packages has %d rows for scan %d, want %d", rows, id, 4*4+5)
	}
}

func TestPragmasReadBack(t *testing.T) {
	db := openTest(t)
	tests := []struct {
		pragma string
		want   string
	}{
		{"busy_timeout", "5000"},
		{"foreign_keys", "1"},
		{"journal_mode", "wal"},
		{"synchronous", "1"}, // NORMAL
		{"cache_size", "-65536"},
		{"user_version", "6"},
	}
	// Pragmas are per connection: check several pooled connections at once.
	ctx := context.Background()
	var conns []*sql.Conn
	for range 3 {
		c, err := db.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	for i, c := range conns {
		for _, tt := range tests {
			var got string
			if err := c.QueryRowContext(ctx, "PRAGMA "+tt.pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("conn %d: PRAGMA %s = %s, want %s", i, tt.pragma, got, tt.want)
			}
		}
		c.Close()
	}
}

func TestMigrateFromEmptyAndReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "upkeep.db")
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	id := saveScan(t, db, inventory.Observation{Host: inventory.Host{ID: "a"}, Status: inventory.StatusOK, Report: sampleReport("a", basePkgs...)})
	db.Close()

	db, err = Open(ctx, path) // already migrated: nothing to do, data kept
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := db.LatestScan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s.ID != id || s.Counts[inventory.StatusOK] != 1 || !s.Finished.Equal(t0.Add(time.Minute)) {
		t.Errorf("latest scan after reopen = %+v", s)
	}
	steps, _ := migrations()
	if _, err := db.db.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(steps)+1)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(ctx, path); err == nil {
		t.Errorf("opening a database from a newer upkeep: no error")
	}
}

func TestLatestScanEmpty(t *testing.T) {
	db := openTest(t)
	_, err := db.LatestScan(context.Background())
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("LatestScan on an empty database: %v, want ErrNotFound", err)
	}
	if want := "upkeep scan"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say to run %q", err, want)
	}
	if _, err := db.Scan(context.Background(), 42); !errors.Is(err, ErrNotFound) {
		t.Errorf("Scan(42): %v, want ErrNotFound", err)
	}
}

func TestResaveReplacesObservation(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	id, err := db.BeginScan(ctx, inventory.Scan{Source: "ssm", Started: t0})
	if err != nil {
		t.Fatal(err)
	}
	host := inventory.Host{ID: "i-1", Region: "eu-west-1"}
	if err := db.SaveObservation(ctx, inventory.Observation{ScanID: id, Host: host, Status: inventory.StatusPending}); err != nil {
		t.Fatal(err)
	}
	s, err := db.Scan(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if s.Counts[inventory.StatusPending] != 1 || !s.Finished.IsZero() {
		t.Errorf("running scan = %+v, want one pending host and no finish time", s)
	}
	// The result arrives without a region: the known region is kept.
	if err := db.SaveObservation(ctx, inventory.Observation{ScanID: id, Host: inventory.Host{ID: "i-1"}, Status: inventory.StatusOK, Report: sampleReport("i-1", basePkgs...)}); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishScan(ctx, id, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	obs, err := db.Observations(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(obs) != 1 || obs[0].Status != inventory.StatusOK || obs[0].Host.Region != "eu-west-1" {
		t.Errorf("after resave: %+v", obs)
	}
	if n := countRows(t, db, "host_probes"); n != 1 {
		t.Errorf("%d probe rows after replacing an observation, want 1", n)
	}
}

func TestSaveObservationUnknownScan(t *testing.T) {
	db := openTest(t)
	err := db.SaveObservation(context.Background(), inventory.Observation{ScanID: 99, Host: inventory.Host{ID: "a"}, Status: inventory.StatusOK, Report: sampleReport("a", basePkgs...)})
	if err == nil {
		t.Fatal("saving into scan 99, which does not exist: no error")
	}
	// The failed transaction left nothing behind, in the file or the caches.
	var n int
	if err := db.db.QueryRow("SELECT (SELECT COUNT(*) FROM packages) + (SELECT COUNT(*) FROM hosts)").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 || len(db.pkgIDs) != 0 {
		t.Errorf("after a failed save: %d rows, %d cached packages; want none", n, len(db.pkgIDs))
	}
	// And a good save afterwards does not reuse ids from the rolled-back one.
	saveScan(t, db, inventory.Observation{Host: inventory.Host{ID: "a"}, Status: inventory.StatusOK, Report: sampleReport("a", basePkgs...)})
}

func TestConcurrentReadersWhileWriting(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	id, err := db.BeginScan(ctx, inventory.Scan{Source: "import", Started: t0})
	if err != nil {
		t.Fatal(err)
	}
	const hosts = 200
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	done := make(chan struct{})
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			last := 0
			for {
				select {
				case <-done:
					return
				default:
				}
				obs, err := db.Observations(ctx, id)
				if err != nil {
					errs <- err
					return
				}
				// A reader sees whole hosts only, and never fewer than before.
				for _, o := range obs {
					if len(o.Report.Packages) != len(basePkgs) || len(o.Report.Probes) != 1 {
						errs <- fmt.Errorf("half a host: %s has %d packages, %d probes", o.Host.ID, len(o.Report.Packages), len(o.Report.Probes))
						return
					}
				}
				if len(obs) < last {
					errs <- fmt.Errorf("saw %d hosts after %d", len(obs), last)
					return
				}
				last = len(obs)
			}
		}()
	}
	// Two writers at once, as an SSM scan storing results would do.
	var wwg sync.WaitGroup
	for w := range 2 {
		wwg.Add(1)
		go func() {
			defer wwg.Done()
			for i := w; i < hosts; i += 2 {
				name := fmt.Sprintf("h-%03d", i)
				if err := db.SaveObservation(ctx, inventory.Observation{ScanID: id, Host: inventory.Host{ID: name}, Status: inventory.StatusOK, Report: sampleReport(name, basePkgs...)}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wwg.Wait()
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	obs, err := db.Observations(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(obs) != hosts {
		t.Errorf("%d hosts stored, want %d", len(obs), hosts)
	}
}

func TestQueries(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	web2 := sampleReport("web-2", append(append([]inventory.Package{}, basePkgs[:2]...), rpm("nginx", "1", "1.22.1", "1.amzn2.0.1"), basePkgs[3])...)
	web2.Probes = nil
	id := saveScan(t, db,
		inventory.Observation{Host: inventory.Host{ID: "i-1", Name: "web-1", Tags: map[string]string{"Env": "staging"}}, Status: inventory.StatusOK, Report: sampleReport("web-1", basePkgs...)},
		inventory.Observation{Host: inventory.Host{ID: "i-2", Name: "web-2"}, Status: inventory.StatusOK, Report: web2},
		inventory.Observation{Host: inventory.Host{ID: "i-3", Name: "web-3"}, Status: inventory.StatusOK, Report: sampleReport("web-3", basePkgs...)},
		inventory.Observation{Host: inventory.Host{ID: "i-4", Name: "web-4"}, Status: inventory.StatusFailed, Error: "exit 1"},
	)

	hs, err := db.Hosts(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != 4 {
		t.Fatalf("%d hosts, want 4", len(hs))
	}
	if h := hs[0]; h.Packages != 4 || h.Probes != 1 || !reflect.DeepEqual(h.Ports, []int{22, 443}) || h.Host.Tags["Env"] != "staging" || h.Host.Tags["Role"] != "web" || h.OS.ID != "amzn" {
		t.Errorf("host 1 = %+v", h)
	}
	if h := hs[3]; h.Status != inventory.StatusFailed || h.Error != "exit 1" || h.Packages != 0 || h.Ports != nil {
		t.Errorf("failed host = %+v", h)
	}

	pkgTests := []struct {
		name string
		f    PackageFilter
		want []string
	}{
		{"by name", PackageFilter{Name: "nginx"}, []string{"i-1 nginx 1:1.20.0-2.amzn2.0.5", "i-2 nginx 1:1.22.1-1.amzn2.0.1", "i-3 nginx 1:1.20.0-2.amzn2.0.5"}},
		{"glob on name and host name", PackageFilter{Host: "web-[12]", Name: "o*"}, []string{"i-1 openssl 1:1.0.2k-24.amzn2.0.11", "i-2 openssl 1:1.0.2k-24.amzn2.0.11"}},
		{"host by id", PackageFilter{Host: "i-3", Name: "b*"}, []string{"i-3 bash 4.2.46-34.amzn2"}},
		{"nothing", PackageFilter{Name: "httpd"}, nil},
	}
	for _, tt := range pkgTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.Packages(ctx, id, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var lines []string
			for _, p := range got {
				lines = append(lines, p.Host+" "+p.Name+" "+p.EVR())
			}
			if !reflect.DeepEqual(lines, tt.want) {
				t.Errorf("Packages(%+v) = %q, want %q", tt.f, lines, tt.want)
			}
		})
	}

	// Two hosts with the same name are still two hosts.
	twin := sampleReport("web-1", basePkgs...)
	id2 := saveScan(t, db,
		inventory.Observation{Host: inventory.Host{ID: "i-a", Name: "web"}, Status: inventory.StatusOK, Report: twin},
		inventory.Observation{Host: inventory.Host{ID: "i-b", Name: "web"}, Status: inventory.StatusOK, Report: twin})
	twins, err := db.Where(ctx, id2, "bash")
	if err != nil {
		t.Fatal(err)
	}
	if len(twins) != 1 || len(twins[0].Hosts) != 2 {
		t.Errorf("Where(bash) over two hosts named web = %+v, want one version on 2 hosts", twins)
	}

	spread, err := db.Where(ctx, id, "nginx")
	if err != nil {
		t.Fatal(err)
	}
	want := []Spread{
		{Kind: "package", Name: "nginx", Manager: "rpm", Version: "1:1.20.0-2.amzn2.0.5", Hosts: []string{"web-1", "web-3"}},
		{Kind: "probe", Name: "nginx", Version: "1.10.3", Hosts: []string{"web-1", "web-3"}},
		{Kind: "package", Name: "nginx", Manager: "rpm", Version: "1:1.22.1-1.amzn2.0.1", Hosts: []string{"web-2"}},
	}
	if !reflect.DeepEqual(spread, want) {
		t.Errorf("Where(nginx) =\n%+v\nwant\n%+v", spread, want)
	}

	scans, err := db.Scans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(scans) != 2 || scans[1].Counts[inventory.StatusOK] != 3 || scans[1].Counts[inventory.StatusFailed] != 1 || scans[1].Targets != "test" || scans[0].ID != id2 {
		t.Errorf("Scans() = %+v", scans)
	}
}

// TestOpenOddPath checks that a path is not read as URI syntax: the DSN is
// a file: URI, so a space, '?', '#' or '%' in a folder name must survive.
func TestOpenOddPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my data?#%20x")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "up keep.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	saveScan(t, db, inventory.Observation{Host: inventory.Host{ID: "a"}, Status: inventory.StatusOK, Report: sampleReport("a", basePkgs...)})
	db.Close()
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database is not where it was asked to be: %v", err)
	}
}

// TestTwoHandlesOneFile is two upkeep processes writing one database: the
// busy timeout queues them, and each one's id caches stay true although the
// other adds packages and sets behind its back.
func TestTwoHandlesOneFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "upkeep.db")
	ctx := context.Background()
	a, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	id, err := a.BeginScan(ctx, inventory.Scan{Source: "ssm", Started: t0})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for w, db := range []*DB{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				name := fmt.Sprintf("h-%d-%02d", w, i)
				pkgs := append([]inventory.Package{rpm("tool", "", fmt.Sprint(i%7), "1")}, basePkgs...)
				if err := db.SaveObservation(ctx, inventory.Observation{ScanID: id, Host: inventory.Host{ID: name}, Status: inventory.StatusOK, Report: sampleReport(name, pkgs...)}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	obs, err := a.Observations(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(obs) != 100 {
		t.Fatalf("%d hosts stored, want 100", len(obs))
	}
	sets := map[int64]bool{}
	for _, o := range obs {
		sets[o.PackageSet] = true
		if len(o.Report.Packages) != len(basePkgs)+1 {
			t.Errorf("host %s has %d packages, want %d", o.Host.ID, len(o.Report.Packages), len(basePkgs)+1)
		}
	}
	var pkgs int
	if err := a.db.QueryRow("SELECT COUNT(*) FROM packages").Scan(&pkgs); err != nil {
		t.Fatal(err)
	}
	if len(sets) != 7 || pkgs != len(basePkgs)+7 {
		t.Errorf("%d sets and %d packages, want 7 and %d: a cache went stale", len(sets), pkgs, len(basePkgs)+7)
	}
}

// TestCountsAfterResume: results saved after FinishScan (a resumed scan)
// show in Scan at once, before the scan is finished again.
func TestCountsAfterResume(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	id := saveScan(t, db, inventory.Observation{Host: inventory.Host{ID: "a"}, Status: inventory.StatusPending})
	if err := db.SaveObservation(ctx, inventory.Observation{ScanID: id, Host: inventory.Host{ID: "a"}, Status: inventory.StatusOK, Report: sampleReport("a", basePkgs...)}); err != nil {
		t.Fatal(err)
	}
	s, err := db.Scan(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[inventory.Status]int{inventory.StatusOK: 1}; !reflect.DeepEqual(s.Counts, want) {
		t.Errorf("counts after resume = %v, want %v", s.Counts, want)
	}
}
