package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"upkeep/inventory"
)

// HostSummary is one host's line in a scan's inventory.
type HostSummary struct {
	Host        inventory.Host // identity; Tags are the collector's T records overlaid by the control plane's tags
	Status      inventory.Status
	Error       string
	Hostname    string // what the collector said, "" without a report
	OS          inventory.OSRelease
	Kernel      string
	CollectedAt time.Time
	Packages    int   // installed packages
	Probes      int   // probed middleware binaries
	Ports       []int // distinct listening TCP ports, ascending
}

// Hosts returns every host of scan id with its counts, ordered by host id.
func (db *DB) Hosts(ctx context.Context, scanID int64) ([]HostSummary, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("list hosts of scan %d: %w", scanID, err)
	}
	defer tx.Rollback()
	hs, err := hostSummaries(ctx, tx, scanID)
	if err != nil {
		return nil, fmt.Errorf("list hosts of scan %d: %w", scanID, err)
	}
	return hs, nil
}

func hostSummaries(ctx context.Context, tx *sql.Tx, scanID int64) ([]HostSummary, error) {
	rows, err := tx.QueryContext(ctx, `SELECT h.ident, h.name, h.region, h.account, h.source, h.platform,
			o.status, o.error, o.has_report, o.collected_at, COALESCE(s.count, 0),
			COALESCE(d.hostname, ''), COALESCE(d.os_id, ''), COALESCE(d.os_version, ''), COALESCE(d.os_name, ''),
			COALESCE(d.os_pretty, ''), COALESCE(d.os_id_like, ''), COALESCE(d.kernel, ''),
			COALESCE(json_array_length(d.probes), 0),
			(SELECT group_concat(port) FROM (SELECT DISTINCT e.value ->> 'port' AS port FROM json_each(d.listeners) e)),
			d.host_tags, d.report_tags
		FROM observations o JOIN hosts h ON h.id = o.host_id LEFT JOIN package_sets s ON s.id = o.package_set_id
		LEFT JOIN details d ON d.id = o.detail_id
		WHERE o.scan_id = ? ORDER BY h.ident`, scanID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []HostSummary
	for rows.Next() {
		var (
			hs                 HostSummary
			status             string
			hasReport          bool
			collected          sql.NullInt64
			ports              sql.NullString
			hostTags, reptTags sql.NullString
		)
		h := &hs.Host
		if err := rows.Scan(&h.ID, &h.Name, &h.Region, &h.Account, &h.Source, &h.Platform,
			&status, &hs.Error, &hasReport, &collected, &hs.Packages,
			&hs.Hostname, &hs.OS.ID, &hs.OS.VersionID, &hs.OS.Name, &hs.OS.PrettyName, &hs.OS.IDLike, &hs.Kernel,
			&hs.Probes, &ports, &hostTags, &reptTags); err != nil {
			return nil, err
		}
		hs.Status = inventory.Status(status)
		if collected.Valid {
			hs.CollectedAt = time.Unix(collected.Int64, 0).UTC()
		}
		if !hasReport {
			// A host without a report has no facts, probes or ports: its
			// detail holds only the control plane's tags.
			hs.Hostname, hs.OS, hs.Kernel, hs.Probes, ports, reptTags = "", inventory.OSRelease{}, "", 0, sql.NullString{}, sql.NullString{}
		}
		if ports.Valid && ports.String != "" {
			for _, p := range strings.Split(ports.String, ",") {
				n, err := strconv.Atoi(p)
				if err != nil {
					return nil, fmt.Errorf("read ports of host %s: %w", h.ID, err)
				}
				hs.Ports = append(hs.Ports, n)
			}
			slices.Sort(hs.Ports) // group_concat's order is not promised
		}
		// Report tags first so that the control plane's value of a key wins.
		for _, col := range []sql.NullString{reptTags, hostTags} {
			if !col.Valid || col.String == "" {
				continue
			}
			var m map[string]string
			if err := json.Unmarshal([]byte(col.String), &m); err != nil {
				return nil, fmt.Errorf("read tags of host %s: %w", h.ID, err)
			}
			if h.Tags == nil {
				h.Tags = map[string]string{}
			}
			maps.Copy(h.Tags, m)
		}
		out = append(out, hs)
	}
	return out, rows.Err()
}

// PackageFilter narrows Packages. Both fields are SQLite GLOB patterns
// (case-sensitive, * ? [...]); "" matches everything. Host matches the
// host id or its name.
type PackageFilter struct {
	Host string
	Name string
}

// HostPackage is one package installed on one host.
type HostPackage struct {
	Host     string // host id
	HostName string
	inventory.Package
}

// Packages returns the packages the scan's hosts list that match f (dpkg
// packages removed but configured too: see Package.Installed),
// ordered by host id, then package.
func (db *DB) Packages(ctx context.Context, scanID int64, f PackageFilter) ([]HostPackage, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("list packages of scan %d: %w", scanID, err)
	}
	defer tx.Rollback()
	out, err := hostPackages(ctx, tx, scanID, f)
	if err != nil {
		return nil, fmt.Errorf("list packages of scan %d: %w", scanID, err)
	}
	return out, nil
}

// setHost is a host of a scan that has a package set.
type setHost struct {
	ident, name string
	setID       int64
}

// hostPackages works set by set: the name filter runs once on the
// dictionary and each distinct set is intersected with it once, so a fleet
// of identical hosts costs little more than one host.
func hostPackages(ctx context.Context, tx *sql.Tx, scanID int64, f PackageFilter) ([]HostPackage, error) {
	hosts, err := scanSetHosts(ctx, tx, scanID, f.Host)
	if err != nil {
		return nil, err
	}
	matched, err := packagesNamed(ctx, tx, f.Name)
	if err != nil {
		return nil, err
	}
	perSet, err := intersectSets(ctx, tx, scanID, matched)
	if err != nil {
		return nil, err
	}
	var out []HostPackage
	for _, h := range hosts {
		for _, p := range perSet[h.setID] {
			out = append(out, HostPackage{Host: h.ident, HostName: h.name, Package: p})
		}
	}
	return out, nil
}

// scanSetHosts lists the scan's hosts with a package set whose id or name
// matches the glob, ordered by host id.
func scanSetHosts(ctx context.Context, tx *sql.Tx, scanID int64, glob string) ([]setHost, error) {
	if glob == "" {
		glob = "*"
	}
	var hosts []setHost
	err := eachRow(ctx, tx, `SELECT h.ident, h.name, o.package_set_id FROM observations o JOIN hosts h ON h.id = o.host_id
		WHERE o.scan_id = ?1 AND o.package_set_id IS NOT NULL AND (h.ident GLOB ?2 OR h.name GLOB ?2)
		ORDER BY h.ident`, []any{scanID, glob}, func(rows *sql.Rows) error {
		var h setHost
		if err := rows.Scan(&h.ident, &h.name, &h.setID); err != nil {
			return err
		}
		hosts = append(hosts, h)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read hosts: %w", err)
	}
	return hosts, nil
}

// packagesNamed returns the dictionary packages whose name matches glob.
func packagesNamed(ctx context.Context, tx *sql.Tx, glob string) (map[int64]inventory.Package, error) {
	if glob == "" {
		glob = "*"
	}
	out := map[int64]inventory.Package{}
	err := eachRow(ctx, tx, `SELECT `+packageColumns+` FROM packages WHERE name GLOB ?`,
		[]any{glob}, func(rows *sql.Rows) error {
			var id int64
			var p inventory.Package
			if err := rows.Scan(packageDest(&id, &p)...); err != nil {
				return err
			}
			out[id] = p
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read packages: %w", err)
	}
	return out, nil
}

// intersectSets returns, for each package set of the scan, its members that
// are in matched, sorted.
func intersectSets(ctx context.Context, tx *sql.Tx, scanID int64, matched map[int64]inventory.Package) (map[int64][]inventory.Package, error) {
	out := map[int64][]inventory.Package{}
	if len(matched) == 0 {
		return out, nil
	}
	err := eachRow(ctx, tx, `SELECT id, members FROM package_sets WHERE id IN (SELECT package_set_id FROM observations WHERE scan_id = ?)`,
		[]any{scanID}, func(rows *sql.Rows) error {
			var id int64
			var text string
			if err := rows.Scan(&id, &text); err != nil {
				return err
			}
			ids, err := decodeMembers(text)
			if err != nil {
				return fmt.Errorf("package set %d: %w", id, err)
			}
			var pkgs []inventory.Package
			for _, m := range ids {
				if p, ok := matched[m]; ok {
					pkgs = append(pkgs, p)
				}
			}
			slices.SortFunc(pkgs, comparePackages)
			out[id] = pkgs
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read package sets: %w", err)
	}
	return out, nil
}

// Spread is one version of a package or probed binary in a scan and the
// hosts that have it.
type Spread struct {
	Kind    string // "package" or "probe"
	Name    string
	Manager string   // rpm or dpkg for packages, "" for probes
	Version string   // the package's EVR, or the probe's version token ("" when none was found)
	Hosts   []string // host names (the id when a host has none), sorted; one per host
}

// Where returns which hosts of the scan have which versions of the packages
// and probed binaries whose name matches glob, most common version first.
func (db *DB) Where(ctx context.Context, scanID int64, glob string) ([]Spread, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("find %s in scan %d: %w", glob, scanID, err)
	}
	defer tx.Rollback()
	out, err := where(ctx, tx, scanID, glob)
	if err != nil {
		return nil, fmt.Errorf("find %s in scan %d: %w", glob, scanID, err)
	}
	return out, nil
}

func where(ctx context.Context, tx *sql.Tx, scanID int64, glob string) ([]Spread, error) {
	type key struct{ kind, name, manager, version string }
	groups := map[key]map[string]string{} // host id -> label
	add := func(k key, ident, label string) {
		if groups[k] == nil {
			groups[k] = map[string]string{}
		}
		groups[k][ident] = label // a host with two arches of one version counts once
	}
	pkgs, err := hostPackages(ctx, tx, scanID, PackageFilter{Name: glob})
	if err != nil {
		return nil, err
	}
	for _, p := range pkgs {
		if !p.Installed() {
			continue // "which hosts run which version": not a removed package's leftovers
		}
		add(key{"package", p.Name, p.Manager, p.EVR()}, p.Host, hostLabel(p.Host, p.HostName))
	}
	err = eachRow(ctx, tx, `SELECT h.ident, h.name, e.value ->> 'name', e.value ->> 'version' FROM observations o
		JOIN hosts h ON h.id = o.host_id JOIN details d ON d.id = o.detail_id, json_each(d.probes) e
		WHERE o.scan_id = ?1 AND o.has_report AND e.value ->> 'name' GLOB ?2`, []any{scanID, glob}, func(rows *sql.Rows) error {
		var ident, hname, name, version string
		if err := rows.Scan(&ident, &hname, &name, &version); err != nil {
			return err
		}
		add(key{"probe", name, "", version}, ident, hostLabel(ident, hname))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read probes: %w", err)
	}
	out := make([]Spread, 0, len(groups))
	for k, hs := range groups {
		s := Spread{Kind: k.kind, Name: k.name, Manager: k.manager, Version: k.version}
		for _, label := range hs {
			s.Hosts = append(s.Hosts, label)
		}
		slices.Sort(s.Hosts)
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b Spread) int {
		return cmp.Or(cmp.Compare(len(b.Hosts), len(a.Hosts)), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.Manager, b.Manager), cmp.Compare(a.Version, b.Version))
	})
	return out, nil
}

// hostLabel is how a host is named in a listing: its name, else its id.
func hostLabel(ident, name string) string {
	if name != "" {
		return name
	}
	return ident
}
