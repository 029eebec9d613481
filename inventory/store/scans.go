package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"upkeep/inventory"
)

// ErrNoUsableScan is returned (wrapped) by ResolveScan when scans exist but
// none finished with a host that has package data.
var ErrNoUsableScan = errors.New("no usable scan")

// Resolved is the scan a judging command works on, and the newer scans it
// passed over to get there (newest first), so the command can say why.
type Resolved struct {
	Scan    inventory.Scan
	Skipped []inventory.Scan
}

// ResolveScan returns scan id, or with id 0 the latest usable scan (see
// inventory.Scan.Usable): a failed, empty or interrupted scan never hides
// the last good one. Without any scan it wraps ErrNotFound; with scans but
// none usable, ErrNoUsableScan.
func (db *DB) ResolveScan(ctx context.Context, id int64) (Resolved, error) {
	if id > 0 {
		s, err := db.Scan(ctx, id)
		return Resolved{Scan: s}, err
	}
	scans, err := db.Scans(ctx)
	if err != nil {
		return Resolved{}, err
	}
	if len(scans) == 0 {
		return Resolved{}, fmt.Errorf("no scan stored yet (%w): run 'upkeep scan' or 'upkeep demo' first", ErrNotFound)
	}
	for i, s := range scans {
		if s.Usable() {
			return Resolved{Scan: s, Skipped: scans[:i]}, nil
		}
	}
	return Resolved{Skipped: scans}, fmt.Errorf("%w: none of the %d stored scans finished with a host that has package data (see 'upkeep inventory scans')", ErrNoUsableScan, len(scans))
}

// DeleteScans deletes the scans ids and everything only they refer to, in
// one transaction: all of them or, on any error, none. An id that does not
// exist is an error wrapping ErrNotFound and deletes nothing.
func (db *DB) DeleteScans(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	if err := db.writable(); err != nil {
		return fmt.Errorf("delete scans: %w", err)
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("delete scans: %w", err)
	}
	defer tx.Rollback()
	if err := deleteScans(ctx, tx, ids); err != nil {
		return fmt.Errorf("delete scans: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("delete scans: %w", err)
	}
	// This handle's caches may name collected sets; the bumped generation
	// tells other processes the same.
	db.clearCaches()
	return nil
}

func deleteScans(ctx context.Context, tx *sql.Tx, ids []int64) error {
	for _, id := range ids {
		// The observations (and what hangs off them) go by ON DELETE CASCADE.
		res, err := tx.ExecContext(ctx, `DELETE FROM scans WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("scan %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("scan %d: %w (list scans with 'upkeep inventory scans')", id, ErrNotFound)
		}
	}
	return collectGarbage(ctx, tx)
}

// collectGarbage deletes what no observation refers to any more and bumps
// the generation. The package dictionary is kept: its rows are few, and
// its ids stay stable for every cache.
func collectGarbage(ctx context.Context, tx *sql.Tx) error {
	for _, q := range []string{
		`DELETE FROM package_sets WHERE id NOT IN (SELECT package_set_id FROM observations WHERE package_set_id IS NOT NULL)`,
		`DELETE FROM details WHERE id NOT IN (SELECT detail_id FROM observations WHERE detail_id IS NOT NULL)`,
		`UPDATE store_state SET gc_generation = gc_generation + 1`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("collect unreferenced rows: %w", err)
		}
	}
	return nil
}

// Prune says which scans PruneScans deletes. A scan is kept when any rule
// keeps it: Keep keeps the Keep newest usable scans, Before keeps every
// scan started at or after it. Whatever the rules, the newest usable scan
// is kept (pruning never leaves nothing to judge), and so is every
// unfinished scan newer than it (it may still be running).
type Prune struct {
	Keep   int       // 0: no count rule
	Before time.Time // zero: no age rule
	DryRun bool      // choose, delete nothing
}

// PruneScans deletes, in one transaction, the scans p does not keep and
// returns them, newest first.
func (db *DB) PruneScans(ctx context.Context, p Prune) ([]inventory.Scan, error) {
	if p.Keep <= 0 && p.Before.IsZero() {
		return nil, errors.New("prune scans: give a number of scans to keep or an age")
	}
	if err := db.writable(); err != nil && !p.DryRun {
		return nil, fmt.Errorf("prune scans: %w", err)
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	var (
		tx  *sql.Tx
		err error
	)
	if p.DryRun {
		tx, err = db.readTx(ctx)
	} else {
		tx, err = db.db.BeginTx(ctx, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("prune scans: %w", err)
	}
	defer tx.Rollback()
	scans, err := readScans(ctx, tx, "")
	if err != nil {
		return nil, fmt.Errorf("prune scans: %w", err)
	}
	drop := pruneChoice(scans, p)
	if p.DryRun || len(drop) == 0 {
		return drop, nil
	}
	ids := make([]int64, len(drop))
	for i, s := range drop {
		ids[i] = s.ID
	}
	if err := deleteScans(ctx, tx, ids); err != nil {
		return nil, fmt.Errorf("prune scans: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("prune scans: %w", err)
	}
	db.clearCaches()
	return drop, nil
}

// pruneChoice returns the scans (newest first) that p does not keep.
func pruneChoice(scans []inventory.Scan, p Prune) []inventory.Scan {
	var drop []inventory.Scan
	usable, seenUsable := 0, false
	for _, s := range scans { // newest first
		keep := false
		if s.Usable() {
			usable++
			keep = !seenUsable || (p.Keep > 0 && usable <= p.Keep)
			seenUsable = true
		} else if !seenUsable && s.Finished.IsZero() {
			keep = true // newer than every usable scan and unfinished: may be running
		}
		if !p.Before.IsZero() && !s.Started.Before(p.Before) {
			keep = true
		}
		if !keep {
			drop = append(drop, s)
		}
	}
	return drop
}

// HoldWriteLock runs fn while this handle holds the database's write lock
// in an open transaction, as a long import does between its batches. It
// exists for tests of readers that must not wait for a writer.
func (db *DB) HoldWriteLock(ctx context.Context, fn func()) error {
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		return fmt.Errorf("take the write lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`)
	if _, err := conn.ExecContext(ctx, `UPDATE store_state SET gc_generation = gc_generation`); err != nil {
		return fmt.Errorf("write under the lock: %w", err)
	}
	fn()
	return nil
}
