package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"time"

	"upkeep/inventory"
)

// Scan returns scan id with its counts by status.
func (db *DB) Scan(ctx context.Context, id int64) (inventory.Scan, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return inventory.Scan{}, fmt.Errorf("read scan %d: %w", id, err)
	}
	defer tx.Rollback()
	s, err := readScans(ctx, tx, "WHERE id = ?", id)
	if err != nil {
		return inventory.Scan{}, fmt.Errorf("read scan %d: %w", id, err)
	}
	if len(s) == 0 {
		return inventory.Scan{}, fmt.Errorf("scan %d: %w (list scans with 'upkeep inventory scans')", id, ErrNotFound)
	}
	return s[0], nil
}

// LatestScan returns the most recent scan, or ErrNotFound when there is none.
func (db *DB) LatestScan(ctx context.Context) (inventory.Scan, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return inventory.Scan{}, fmt.Errorf("read latest scan: %w", err)
	}
	defer tx.Rollback()
	s, err := readScans(ctx, tx, "WHERE id = (SELECT MAX(id) FROM scans)")
	if err != nil {
		return inventory.Scan{}, fmt.Errorf("read latest scan: %w", err)
	}
	if len(s) == 0 {
		return inventory.Scan{}, fmt.Errorf("no scan stored yet (%w): run 'upkeep scan' or 'upkeep demo' first", ErrNotFound)
	}
	return s[0], nil
}

// Scans returns every scan, newest first.
func (db *DB) Scans(ctx context.Context) ([]inventory.Scan, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("list scans: %w", err)
	}
	defer tx.Rollback()
	s, err := readScans(ctx, tx, "")
	if err != nil {
		return nil, fmt.Errorf("list scans: %w", err)
	}
	return s, nil
}

// readScans reads scans matching where, newest first. Counts are always
// taken from the observations, not from scans.counts: a resumed scan adds
// results after its snapshot was written.
func readScans(ctx context.Context, tx *sql.Tx, where string, args ...any) ([]inventory.Scan, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, source, targets, started, finished, COALESCE(expected, 0), error FROM scans `+where+` ORDER BY id DESC`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []inventory.Scan
	for rows.Next() {
		var (
			s                 inventory.Scan
			started, finished sql.NullString
		)
		if err := rows.Scan(&s.ID, &s.Source, &s.Targets, &started, &finished, &s.Expected, &s.Error); err != nil {
			return nil, err
		}
		if s.Started, err = parseTime(started); err != nil {
			return nil, err
		}
		if s.Finished, err = parseTime(finished); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	for i := range out {
		if out[i].Counts, err = countStatuses(ctx, tx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func countStatuses(ctx context.Context, tx *sql.Tx, scanID int64) (map[inventory.Status]int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT status, COUNT(*) FROM observations WHERE scan_id = ? GROUP BY status`, scanID)
	if err != nil {
		return nil, fmt.Errorf("count hosts by status: %w", err)
	}
	defer rows.Close()
	counts := map[inventory.Status]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, fmt.Errorf("count hosts by status: %w", err)
		}
		counts[inventory.Status(s)] = n
	}
	return counts, rows.Err()
}

// Observations returns every host of scan id with its full report, ordered
// by host id (ident). Hosts with identical package lists share one
// []Package slice, which callers must not modify, and carry the same
// Observation.PackageSet. Packages in a set are sorted by name, arch and
// version; probes, services and listeners keep the collector's order.
func (db *DB) Observations(ctx context.Context, scanID int64) ([]inventory.Observation, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("load scan %d: %w", scanID, err)
	}
	defer tx.Rollback()
	obs, err := loadObservations(ctx, tx, scanID)
	if err != nil {
		return nil, fmt.Errorf("load scan %d: %w", scanID, err)
	}
	return obs, nil
}

func loadObservations(ctx context.Context, tx *sql.Tx, scanID int64) ([]inventory.Observation, error) {
	var obs []inventory.Observation
	err := eachObservationRow(ctx, tx, scanID, newDecoder(func(s string) string { return s }), func(o *inventory.Observation) error {
		obs = append(obs, *o)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(obs, func(a, b inventory.Observation) int { return cmp.Compare(a.Host.ID, b.Host.ID) })
	sets, err := loadPackageSets(ctx, tx, scanID)
	if err != nil {
		return nil, err
	}
	for i := range obs {
		if r := obs[i].Report; r != nil && obs[i].PackageSet != 0 {
			r.Packages = sets[obs[i].PackageSet]
		}
	}
	return obs, nil
}

// eachObservationRow reads the scan's observations with their host and
// detail, in host_id order (the primary key's: nothing is sorted), and
// calls fn with each; Report.Packages is left nil. dec shares strings and
// lists that repeat across hosts.
func eachObservationRow(ctx context.Context, tx *sql.Tx, scanID int64, dec *decoder, fn func(*inventory.Observation) error) error {
	intern := dec.intern
	rows, err := tx.QueryContext(ctx, `SELECT o.status, o.error, o.has_report, o.collected_at, o.uptime, COALESCE(o.package_set_id, 0),
			h.ident, h.name, h.region, h.account, h.source, h.platform, h.agent_version, h.ping_status, h.ip_address, h.last_ping,
			`+detailColumns+`
		FROM observations o JOIN hosts h ON h.id = o.host_id LEFT JOIN details d ON d.id = o.detail_id
		WHERE o.scan_id = ? ORDER BY o.host_id`, scanID)
	if err != nil {
		return fmt.Errorf("read observations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			o         inventory.Observation
			hasReport bool
			collected sql.NullInt64
			uptime    int64
			lastPing  sql.NullString
			status    string
			d         detailRow
		)
		h := &o.Host
		dest := append([]any{&status, &o.Error, &hasReport, &collected, &uptime, &o.PackageSet,
			&h.ID, &h.Name, &h.Region, &h.Account, &h.Source, &h.Platform, &h.AgentVersion, &h.PingStatus, &h.IPAddress, &lastPing}, d.dest()...)
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("read observations: %w", err)
		}
		o.ScanID, o.Status = scanID, inventory.Status(intern(status))
		h.Region, h.Account, h.Source = intern(h.Region), intern(h.Account), intern(h.Source)
		h.Platform, h.AgentVersion, h.PingStatus = intern(h.Platform), intern(h.AgentVersion), intern(h.PingStatus)
		if h.LastPing, err = parseTime(lastPing); err != nil {
			return err
		}
		if hasReport {
			o.Report = &inventory.Report{}
			if collected.Valid {
				o.Report.Facts.CollectedAt = time.Unix(collected.Int64, 0).UTC()
			}
			o.Report.Facts.Uptime = time.Duration(uptime) * time.Second
		}
		if err := d.apply(&o, dec); err != nil {
			return err
		}
		if err := fn(&o); err != nil {
			return err
		}
	}
	return rows.Err()
}

// loadPackageSets builds one sorted []Package per package set the scan uses.
func loadPackageSets(ctx context.Context, tx *sql.Tx, scanID int64) (map[int64][]inventory.Package, error) {
	members := map[int64][]int64{}
	rows, err := tx.QueryContext(ctx, `SELECT id, members FROM package_sets
		WHERE id IN (SELECT package_set_id FROM observations WHERE scan_id = ?)`, scanID)
	if err != nil {
		return nil, fmt.Errorf("read package sets: %w", err)
	}
	defer rows.Close()
	need := map[int64]bool{}
	for rows.Next() {
		var id int64
		var text string
		if err := rows.Scan(&id, &text); err != nil {
			return nil, fmt.Errorf("read package sets: %w", err)
		}
		ids, err := decodeMembers(text)
		if err != nil {
			return nil, fmt.Errorf("read package set %d: %w", id, err)
		}
		members[id] = ids
		for _, m := range ids {
			need[m] = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read package sets: %w", err)
	}
	dict, err := loadPackages(ctx, tx, need)
	if err != nil {
		return nil, err
	}
	// Rank the packages once so that each set sorts by an integer, not by
	// comparing eight strings per step.
	order := make([]int64, 0, len(dict))
	for id := range dict {
		order = append(order, id)
	}
	slices.SortFunc(order, func(a, b int64) int { return comparePackages(dict[a], dict[b]) })
	rank := make(map[int64]int, len(order))
	for i, id := range order {
		rank[id] = i
	}
	sets := make(map[int64][]inventory.Package, len(members))
	for id, ids := range members {
		ranks := make([]int, 0, len(ids))
		for _, m := range ids {
			r, ok := rank[m]
			if !ok {
				return nil, fmt.Errorf("package set %d names package %d, which does not exist", id, m)
			}
			ranks = append(ranks, r)
		}
		slices.Sort(ranks)
		pkgs := make([]inventory.Package, len(ranks))
		for i, r := range ranks {
			pkgs[i] = dict[order[r]]
		}
		sets[id] = pkgs
	}
	return sets, nil
}

// loadPackages reads the dictionary rows in need. Reading the whole table
// and keeping what is needed is faster than binding thousands of ids.
func loadPackages(ctx context.Context, tx *sql.Tx, need map[int64]bool) (map[int64]inventory.Package, error) {
	dict := make(map[int64]inventory.Package, len(need))
	if len(need) == 0 {
		return dict, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+packageColumns+` FROM packages`)
	if err != nil {
		return nil, fmt.Errorf("read packages: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var p inventory.Package
		if err := rows.Scan(packageDest(&id, &p)...); err != nil {
			return nil, fmt.Errorf("read packages: %w", err)
		}
		if need[id] {
			dict[id] = p
		}
	}
	return dict, rows.Err()
}

func eachRow(ctx context.Context, tx *sql.Tx, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// packageColumns are the packages columns packageDest scans.
const packageColumns = `id, manager, name, epoch, version, release, arch, vendor, status, module, component`

func packageDest(id *int64, p *inventory.Package) []any {
	return []any{id, &p.Manager, &p.Name, &p.Epoch, &p.Version, &p.Release, &p.Arch, &p.Vendor, &p.Status, &p.Module, &p.Component}
}

// comparePackages is the total order packages are returned in.
func comparePackages(a, b inventory.Package) int {
	return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Arch, b.Arch), cmp.Compare(a.Manager, b.Manager),
		cmp.Compare(a.Epoch, b.Epoch), cmp.Compare(a.Version, b.Version), cmp.Compare(a.Release, b.Release),
		cmp.Compare(a.Vendor, b.Vendor), cmp.Compare(a.Status, b.Status), cmp.Compare(a.Module, b.Module), cmp.Compare(a.Component, b.Component))
}

// decodeMembers parses a package set's JSON array of ids. It is hand-rolled
// because encoding/json is the slowest step of loading a large scan.
func decodeMembers(s string) ([]int64, error) {
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return nil, fmt.Errorf("members %.20q are not a JSON array", s)
	}
	body := s[1 : len(s)-1]
	if body == "" {
		return []int64{}, nil
	}
	ids := make([]int64, 0, len(body)/5)
	for len(body) > 0 {
		i := 0
		for i < len(body) && body[i] != ',' {
			i++
		}
		n, err := strconv.ParseInt(body[:i], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("members: %w", err)
		}
		ids = append(ids, n)
		if i == len(body) {
			break
		}
		body = body[i+1:]
	}
	return ids, nil
}
