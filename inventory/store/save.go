package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"upkeep/inventory"
)

// statements are the writes done once per host, prepared once per DB.
// database/sql re-prepares them on each pooled connection as needed and
// reuses them inside transactions through Tx.StmtContext.
type statements struct {
	upsertHost, deleteObs, insertObs       *sql.Stmt
	findPkg, insertPkg, findSet, insertSet *sql.Stmt
	findDetail, insertDetail               *sql.Stmt
	lastMachine                            *sql.Stmt // LastMachineID, once per imported host
	all                                    []*sql.Stmt
}

func prepare(ctx context.Context, db *sql.DB) (*statements, error) {
	s := &statements{}
	for _, p := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&s.upsertHost, `INSERT INTO hosts (ident, name, region, account, source, platform, agent_version, ping_status, ip_address, last_ping)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (ident) DO UPDATE SET
				name = COALESCE(NULLIF(excluded.name, ''), name),
				region = COALESCE(NULLIF(excluded.region, ''), region),
				account = COALESCE(NULLIF(excluded.account, ''), account),
				source = COALESCE(NULLIF(excluded.source, ''), source),
				platform = COALESCE(NULLIF(excluded.platform, ''), platform),
				agent_version = COALESCE(NULLIF(excluded.agent_version, ''), agent_version),
				ping_status = COALESCE(NULLIF(excluded.ping_status, ''), ping_status),
				ip_address = COALESCE(NULLIF(excluded.ip_address, ''), ip_address),
				last_ping = COALESCE(excluded.last_ping, last_ping)
			RETURNING id`},
		{&s.deleteObs, `DELETE FROM observations WHERE scan_id = ? AND host_id = ?`},
		{&s.insertObs, `INSERT INTO observations (scan_id, host_id, status, error, has_report, collected_at, uptime, package_set_id, detail_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&s.findPkg, `SELECT id FROM packages WHERE name = ? AND manager = ? AND version = ? AND release = ?
			AND epoch = ? AND arch = ? AND vendor = ? AND status = ? AND module = ? AND component = ?`},
		{&s.insertPkg, `INSERT INTO packages (name, manager, version, release, epoch, arch, vendor, status, module, component)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&s.findSet, `SELECT id FROM package_sets WHERE hash = ?`},
		{&s.insertSet, `INSERT INTO package_sets (hash, count, members) VALUES (?, ?, ?)`},
		{&s.findDetail, `SELECT id FROM details WHERE hash = ?`},
		{&s.lastMachine, lastMachineQuery},
		{&s.insertDetail, `INSERT INTO details (hash, has_report, format, hostname, kernel, arch, machine_id,
				os_id, os_version, os_name, os_pretty, os_id_like, probes, services, listeners, host_tags, report_tags, support, warnings, listings)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
	} {
		st, err := db.PrepareContext(ctx, p.query)
		if err != nil {
			s.close()
			return nil, fmt.Errorf("prepare statement: %w", err)
		}
		*p.dst = st
		s.all = append(s.all, st)
	}
	return s, nil
}

func (s *statements) close() {
	for _, st := range s.all {
		st.Close()
	}
}

// BeginScan records the start of a scan and returns its id. A zero Started
// is an error: the caller owns the clock.
func (db *DB) BeginScan(ctx context.Context, s inventory.Scan) (int64, error) {
	if s.Started.IsZero() {
		return 0, fmt.Errorf("begin scan: no start time")
	}
	if err := db.writable(); err != nil {
		return 0, fmt.Errorf("begin scan: %w", err)
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("begin scan: %w", err)
	}
	defer tx.Rollback()
	var expected sql.NullInt64
	if s.Expected > 0 {
		expected = sql.NullInt64{Int64: int64(s.Expected), Valid: true}
	}
	// Ids are never reused, so "scan 7" in last month's ticket never
	// names another scan after scan 7 was deleted.
	var id int64
	err = tx.QueryRowContext(ctx, `UPDATE store_state SET last_scan_id = MAX(last_scan_id, (SELECT COALESCE(MAX(id), 0) FROM scans)) + 1
		RETURNING last_scan_id`).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("begin scan: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO scans (id, source, targets, started, expected) VALUES (?, ?, ?, ?, ?)`,
		id, s.Source, s.Targets, formatTime(s.Started), expected); err != nil {
		return 0, fmt.Errorf("begin scan: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("begin scan: %w", err)
	}
	return id, nil
}

// FinishScan records when scan id ended and snapshots its counts by status
// into scans.counts for sqlite3 users.
func (db *DB) FinishScan(ctx context.Context, id int64, finished time.Time) error {
	return db.endScan(ctx, id, finished, "")
}

// FailScan ends scan id as FinishScan does, recording why it failed as a
// whole (no credentials, a region that refused): the scan is then never
// judged unless asked for by id.
func (db *DB) FailScan(ctx context.Context, id int64, finished time.Time, reason string) error {
	if reason == "" {
		reason = "failed"
	}
	return db.endScan(ctx, id, finished, reason)
}

func (db *DB) endScan(ctx context.Context, id int64, finished time.Time, reason string) error {
	if err := db.writable(); err != nil {
		return fmt.Errorf("finish scan %d: %w", id, err)
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("finish scan %d: %w", id, err)
	}
	defer tx.Rollback()
	counts, err := countStatuses(ctx, tx, id)
	if err != nil {
		return fmt.Errorf("finish scan %d: %w", id, err)
	}
	b, err := json.Marshal(counts) // map keys are sorted: stable text
	if err != nil {
		return fmt.Errorf("finish scan %d: %w", id, err)
	}
	res, err := tx.ExecContext(ctx, `UPDATE scans SET finished = ?, counts = ?, error = ? WHERE id = ?`, formatTime(finished), string(b), reason, id)
	if err != nil {
		return fmt.Errorf("finish scan %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("finish scan %d: %w", id, ErrNotFound)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("finish scan %d: %w", id, err)
	}
	return nil
}

// SaveObservation stores one host's result in its scan, in one transaction:
// the host's identity is upserted and the observation, with its whole
// report, replaces any earlier one of the same host in the same scan (a
// resumed scan turns pending rows into results). Observation.PackageSet is
// ignored; the store assigns it.
func (db *DB) SaveObservation(ctx context.Context, o inventory.Observation) error {
	return db.SaveObservations(ctx, []inventory.Observation{o})
}

// SaveObservations stores several hosts as SaveObservation does, in one
// transaction: all of them or none. It is the import's fast path, where
// one commit per host would cost more than the hosts themselves.
func (db *DB) SaveObservations(ctx context.Context, obs []inventory.Observation) error {
	if len(obs) == 0 {
		return nil
	}
	for _, o := range obs {
		if o.Host.ID == "" {
			return fmt.Errorf("save observation in scan %d: host has no id", o.ScanID)
		}
	}
	what := fmt.Sprintf("save host %s in scan %d", obs[0].Host.ID, obs[0].ScanID)
	if len(obs) > 1 {
		what = fmt.Sprintf("save %d hosts (%s...) in scan %d", len(obs), obs[0].Host.ID, obs[0].ScanID)
	}
	if err := db.writable(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer tx.Rollback()
	if err := db.checkGeneration(ctx, tx); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	w := &writer{db: db, tx: tx, newPkgs: map[inventory.Package]int64{}, newSets: map[[32]byte]int64{}, newDetails: map[[32]byte]int64{}}
	for _, o := range obs {
		if err := w.save(ctx, o); err != nil {
			return fmt.Errorf("save host %s in scan %d: %w", o.Host.ID, o.ScanID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	// Only now are the new ids real; a rolled-back transaction never
	// reaches the caches.
	for p, id := range w.newPkgs {
		db.pkgIDs[p] = id
	}
	for h, id := range w.newSets {
		db.setIDs[h] = id
	}
	for h, id := range w.newDetails {
		db.detailIDs[h] = id
	}
	return nil
}

// writable refuses a write through a handle opened with OpenReadOnly.
func (db *DB) writable() error {
	if db.readOnly {
		return errReadOnly
	}
	return nil
}

var errReadOnly = errors.New("database opened read-only")

// checkGeneration drops the cached package and set ids when scans were
// deleted since they were cached (by this handle or another process): a
// garbage-collected set must not be referred to again. It runs inside the
// write transaction, so no deletion can slip in before the commit.
func (db *DB) checkGeneration(ctx context.Context, tx *sql.Tx) error {
	var gen int64
	if err := tx.QueryRowContext(ctx, `SELECT gc_generation FROM store_state`).Scan(&gen); err != nil {
		return fmt.Errorf("read store state: %w", err)
	}
	if gen != db.gcGen {
		db.clearCaches()
		db.gcGen = gen
	}
	return nil
}

func (db *DB) clearCaches() {
	clear(db.setIDs)
	clear(db.pkgIDs)
	clear(db.detailIDs)
}

// writer carries one SaveObservation's transaction and what it added.
type writer struct {
	db      *DB
	tx      *sql.Tx
	newPkgs map[inventory.Package]int64
	newSets map[[32]byte]int64
	// newDetails are the details rows this transaction found or added.
	newDetails map[[32]byte]int64
}

func (w *writer) stmt(ctx context.Context, s *sql.Stmt) *sql.Stmt { return w.tx.StmtContext(ctx, s) }

func (w *writer) save(ctx context.Context, o inventory.Observation) error {
	st := w.db.stmts
	h := o.Host
	var hostID int64
	err := w.stmt(ctx, st.upsertHost).QueryRowContext(ctx, h.ID, h.Name, h.Region, h.Account, h.Source, h.Platform,
		h.AgentVersion, h.PingStatus, h.IPAddress, nullTime(h.LastPing)).Scan(&hostID)
	if err != nil {
		return fmt.Errorf("upsert host: %w", err)
	}
	if _, err := w.stmt(ctx, st.deleteObs).ExecContext(ctx, o.ScanID, hostID); err != nil {
		return fmt.Errorf("replace earlier observation: %w", err)
	}

	r := o.Report
	var (
		setID, detailID, collected sql.NullInt64
		uptime                     int64
	)
	if r != nil {
		id, err := w.packageSet(ctx, r.Packages)
		if err != nil {
			return err
		}
		setID = sql.NullInt64{Int64: id, Valid: true}
		if !r.Facts.CollectedAt.IsZero() {
			collected = sql.NullInt64{Int64: r.Facts.CollectedAt.Unix(), Valid: true}
		}
		uptime = int64(r.Facts.Uptime / time.Second)
	}
	d, ok, err := newDetail(o)
	if err != nil {
		return err
	}
	if ok {
		id, err := w.detail(ctx, &d)
		if err != nil {
			return err
		}
		detailID = sql.NullInt64{Int64: id, Valid: true}
	}
	if _, err := w.stmt(ctx, st.insertObs).ExecContext(ctx, o.ScanID, hostID, string(o.Status), o.Error, r != nil,
		collected, uptime, setID, detailID); err != nil {
		return fmt.Errorf("insert observation: %w", err)
	}
	return nil
}

// detail returns the id of the details row holding d, storing it first
// when new: a host that did not change since the last scan finds its row.
func (w *writer) detail(ctx context.Context, d *detail) (int64, error) {
	hash := d.hash()
	if id, ok := w.db.detailIDs[hash]; ok {
		return id, nil
	}
	if id, ok := w.newDetails[hash]; ok {
		return id, nil
	}
	var id int64
	err := w.stmt(ctx, w.db.stmts.findDetail).QueryRowContext(ctx, hash[:]).Scan(&id)
	switch {
	case err == nil:
		w.newDetails[hash] = id
		return id, nil
	case err != sql.ErrNoRows:
		return 0, fmt.Errorf("find host detail: %w", err)
	}
	f := d.facts
	res, err := w.stmt(ctx, w.db.stmts.insertDetail).ExecContext(ctx, hash[:], d.hasReport, d.format,
		f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8],
		nullText(d.probes), nullText(d.services), nullText(d.listeners), nullText(d.hostTags), nullText(d.reportTags),
		nullText(d.support), nullText(d.warnings), nullText(d.listings))
	if err != nil {
		return 0, fmt.Errorf("insert host detail: %w", err)
	}
	if id, err = res.LastInsertId(); err != nil {
		return 0, fmt.Errorf("insert host detail: %w", err)
	}
	w.newDetails[hash] = id
	return id, nil
}

// packageSet returns the id of the set holding exactly pkgs, storing the
// packages and the set first when they are new. Identical duplicate
// packages count once.
func (w *writer) packageSet(ctx context.Context, pkgs []inventory.Package) (int64, error) {
	ids := make([]int64, 0, len(pkgs))
	for _, p := range pkgs {
		id, err := w.packageID(ctx, p)
		if err != nil {
			return 0, err
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	hash := setHash(ids)
	if id, ok := w.db.setIDs[hash]; ok {
		return id, nil
	}
	if id, ok := w.newSets[hash]; ok {
		return id, nil
	}
	var id int64
	err := w.stmt(ctx, w.db.stmts.findSet).QueryRowContext(ctx, hash[:]).Scan(&id)
	switch {
	case err == nil:
		w.newSets[hash] = id
		return id, nil
	case err != sql.ErrNoRows:
		return 0, fmt.Errorf("find package set: %w", err)
	}
	res, err := w.stmt(ctx, w.db.stmts.insertSet).ExecContext(ctx, hash[:], len(ids), encodeMembers(ids))
	if err != nil {
		return 0, fmt.Errorf("insert package set: %w", err)
	}
	if id, err = res.LastInsertId(); err != nil {
		return 0, fmt.Errorf("insert package set: %w", err)
	}
	w.newSets[hash] = id
	return id, nil
}

// packageID returns the dictionary id of p, inserting it when new.
func (w *writer) packageID(ctx context.Context, p inventory.Package) (int64, error) {
	if id, ok := w.db.pkgIDs[p]; ok {
		return id, nil
	}
	if id, ok := w.newPkgs[p]; ok {
		return id, nil
	}
	var id int64
	err := w.stmt(ctx, w.db.stmts.findPkg).QueryRowContext(ctx, p.Name, p.Manager, p.Version, p.Release, p.Epoch, p.Arch, p.Vendor, p.Status,
		p.Module, p.Component).Scan(&id)
	switch {
	case err == nil:
	case err == sql.ErrNoRows:
		res, err := w.stmt(ctx, w.db.stmts.insertPkg).ExecContext(ctx, p.Name, p.Manager, p.Version, p.Release, p.Epoch, p.Arch, p.Vendor, p.Status,
			p.Module, p.Component)
		if err != nil {
			return 0, fmt.Errorf("insert package %s %s: %w", p.Name, p.EVR(), err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return 0, fmt.Errorf("insert package %s %s: %w", p.Name, p.EVR(), err)
		}
	default:
		return 0, fmt.Errorf("find package %s %s: %w", p.Name, p.EVR(), err)
	}
	w.newPkgs[p] = id
	return id, nil
}

// setHash is the SHA-256 of the sorted ids as 8-byte big-endian words.
func setHash(ids []int64) [32]byte {
	buf := make([]byte, 8*len(ids))
	for i, id := range ids {
		binary.BigEndian.PutUint64(buf[8*i:], uint64(id))
	}
	return sha256.Sum256(buf)
}

// encodeMembers writes ids as a JSON array, which json_each can expand.
func encodeMembers(ids []int64) string {
	b := make([]byte, 0, 7*len(ids)+2)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}

// timeLayout stores UTC to the millisecond with a fixed width, so text order
// is time order and sqlite3's date functions read it.
const timeLayout = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func nullTime(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: formatTime(t), Valid: true}
}

func parseTime(s sql.NullString) (time.Time, error) {
	if !s.Valid || s.String == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("read time %q: %w", s.String, err)
	}
	return t, nil
}
