package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"

	"upkeep/inventory"
)

// EachObservation calls fn for every host of scan id, one at a time, so that
// a judging command holds one host's report at a time instead of the whole
// scan (Observations). Hosts come in the store's own order, not by name:
// callers that print sort what they keep. Each observation is fresh and fn
// may keep any part of it.
//
// Report.Packages is left nil: packages(set) returns the sorted package list
// of the set o.PackageSet names, read when asked, so that a caller that
// judges each set once reads each set once and never holds every set. The
// slice it returns is the caller's. packages is valid only during the call.
func (db *DB) EachObservation(ctx context.Context, scanID int64, fn func(o *inventory.Observation, packages func(set int64) ([]inventory.Package, error)) error) error {
	// One pass over the scan gains little from a large page cache, and the
	// cache lives outside the Go heap, where no collector bounds it: read
	// with a small one, and give the connection back as it was.
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("read scan %d: %w", scanID, err)
	}
	defer conn.Close()
	var cache int64
	if err := conn.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cache); err != nil {
		return fmt.Errorf("read scan %d: %w", scanID, err)
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = %d", streamCacheKiB)); err != nil {
		return fmt.Errorf("read scan %d: %w", scanID, err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf("PRAGMA cache_size = %d", cache))
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("read scan %d: %w", scanID, err)
	}
	defer tx.Rollback()
	s := &stream{ctx: ctx, tx: tx, scanID: scanID, strs: map[string]string{}}
	if err := s.run(fn); err != nil {
		return fmt.Errorf("read scan %d: %w", scanID, err)
	}
	return nil
}

// streamCacheKiB is the page cache EachObservation reads with, as SQLite
// takes it: negative means KiB.
const streamCacheKiB = -8192

// stream reads the scan's observations with their details in one query,
// in the (scan_id, host_id) key's order, so SQLite sorts nothing.
type stream struct {
	ctx    context.Context
	tx     *sql.Tx
	scanID int64

	// The package dictionary in the total order, and each package's place
	// in it by id, read on the first set asked for: it grows with distinct
	// packages, not with hosts. Ids are the table's rowids, dense unless
	// many were deleted, so the places are a slice (-1: no such package)
	// when that costs at most a few times the dictionary, a map otherwise.
	sorted   []inventory.Package
	rankOf   []int32
	rankMap  map[int64]int
	setQuery *sql.Stmt // reads one set's members, prepared once

	strs map[string]string // interned low-variety strings (regions, OS names, probe paths)
}

// intern returns one shared copy of a string that repeats across hosts, so
// that what a caller keeps per host does not hold a copy each. The table
// stops growing past a bound: values unique per host gain nothing.
func (s *stream) intern(v string) string {
	if c, ok := s.strs[v]; ok {
		return c
	}
	if len(s.strs) < 1<<14 {
		s.strs[v] = v
	}
	return v
}

func (s *stream) run(fn func(*inventory.Observation, func(int64) ([]inventory.Package, error)) error) error {
	return eachObservationRow(s.ctx, s.tx, s.scanID, newDecoder(s.intern), func(o *inventory.Observation) error {
		return fn(o, s.packages)
	})
}

// packages reads one package set, sorted as Observations sorts it.
func (s *stream) packages(set int64) ([]inventory.Package, error) {
	if s.sorted == nil {
		if err := s.loadDict(); err != nil {
			return nil, err
		}
	}
	var text string
	if err := s.setQuery.QueryRowContext(s.ctx, set).Scan(&text); err != nil {
		return nil, fmt.Errorf("read package set %d: %w", set, err)
	}
	ids, err := decodeMembers(text)
	if err != nil {
		return nil, fmt.Errorf("read package set %d: %w", set, err)
	}
	ranks := make([]int, 0, len(ids))
	for _, m := range ids {
		r, ok := s.rank(m)
		if !ok {
			return nil, fmt.Errorf("package set %d names package %d, which does not exist", set, m)
		}
		ranks = append(ranks, r)
	}
	slices.Sort(ranks)
	pkgs := make([]inventory.Package, len(ranks))
	for i, r := range ranks {
		pkgs[i] = s.sorted[r]
	}
	return pkgs, nil
}

// rank is package id's place in the total order.
func (s *stream) rank(id int64) (int, bool) {
	if s.rankMap != nil {
		r, ok := s.rankMap[id]
		return r, ok
	}
	if id < 0 || id >= int64(len(s.rankOf)) || s.rankOf[id] < 0 {
		return 0, false
	}
	return int(s.rankOf[id]), true
}

// loadDict reads the whole package dictionary and ranks it once, as
// loadPackageSets does for a whole scan.
func (s *stream) loadDict() error {
	dict := map[int64]inventory.Package{}
	var minID, maxID int64
	err := eachRow(s.ctx, s.tx, `SELECT `+packageColumns+` FROM packages`, nil,
		func(rows *sql.Rows) error {
			var id int64
			var p inventory.Package
			if err := rows.Scan(packageDest(&id, &p)...); err != nil {
				return err
			}
			p.Manager, p.Arch, p.Vendor, p.Status = s.intern(p.Manager), s.intern(p.Arch), s.intern(p.Vendor), s.intern(p.Status)
			p.Module, p.Component = s.intern(p.Module), s.intern(p.Component)
			dict[id] = p
			minID, maxID = min(minID, id), max(maxID, id)
			return nil
		})
	if err != nil {
		return fmt.Errorf("read packages: %w", err)
	}
	if s.setQuery, err = s.tx.PrepareContext(s.ctx, `SELECT members FROM package_sets WHERE id = ?`); err != nil {
		return fmt.Errorf("read package sets: %w", err)
	}
	order := make([]int64, 0, len(dict))
	for id := range dict {
		order = append(order, id)
	}
	slices.SortFunc(order, func(a, b int64) int { return comparePackages(dict[a], dict[b]) })
	s.sorted = make([]inventory.Package, len(order))
	if dense := minID >= 0 && maxID < int64(4*len(order)+1024) && maxID < math.MaxInt32; dense {
		s.rankOf = make([]int32, maxID+1)
		for i := range s.rankOf {
			s.rankOf[i] = -1
		}
	} else {
		s.rankMap = make(map[int64]int, len(order))
	}
	for i, id := range order {
		s.sorted[i] = dict[id]
		if s.rankMap != nil {
			s.rankMap[id] = i
		} else {
			s.rankOf[id] = int32(i)
		}
	}
	return nil
}
