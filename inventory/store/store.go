// Package store keeps scans in one SQLite file (modernc.org/sqlite, no cgo).
//
// Every exported method takes a context, opens one transaction and hands it
// to unexported helpers: no caller sees SQL, a row or a transaction. The
// schema is documented in docs/schema.md because users point sqlite3 at it.
//
// A fleet baked from a few AMIs has few distinct package lists, so each list
// is stored once as a package set (a JSON array of package ids) and every
// observation refers to its set; the host_packages view expands it again.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strings"
	"sync"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"upkeep/inventory"
)

// ErrNotFound is returned (wrapped) when a scan or other row does not exist.
var ErrNotFound = errors.New("not found")

//go:embed migrations/*.sql
var migrationFS embed.FS

// Pragmas every connection gets through the DSN. Each one is read back in a
// test: modernc silently ignores a DSN key it does not know.
var connPragmas = []string{
	"busy_timeout(5000)", // wait for another writer (a second upkeep) instead of failing
	"foreign_keys(1)",
	"journal_mode(wal)",   // readers never block the writer, and the reverse
	"synchronous(normal)", // safe with WAL; a commit does not fsync, a checkpoint does
	"cache_size(-65536)",  // 64 MiB page cache: a 10,000-host import stays in memory
}

// DB is an open upkeep database. It is safe for concurrent use; writes are
// serialized inside the process and across processes by SQLite's lock.
type DB struct {
	db   *sql.DB
	path string

	// mu serializes writers and guards the caches below. The caches only
	// ever hold ids of committed rows, which are never deleted, so they stay
	// true when another process writes the same file.
	mu     sync.Mutex
	pkgIDs map[inventory.Package]int64
	setIDs map[[32]byte]int64
	// detailIDs: details rows by content hash, as setIDs.
	detailIDs map[[32]byte]int64
	stmts     *statements
	// gcGen is the store_state generation the caches were filled under;
	// a deletion of scans (here or in another process) bumps it.
	gcGen int64

	readOnly bool
}

// Open opens or creates the database at path and migrates it to the schema
// this build knows. Opening a file already at this schema writes nothing
// and takes no lock, so it never waits for a running scan.
func Open(ctx context.Context, path string) (*DB, error) {
	q := url.Values{}
	for _, p := range connPragmas {
		q.Add("_pragma", p)
	}
	// Writers take the lock at BEGIN, so two writers queue on busy_timeout
	// instead of one failing when it upgrades a read lock. Read-only
	// transactions still begin deferred.
	q.Set("_txlock", "immediate")
	db, err := open(path, q)
	if err != nil {
		return nil, err
	}
	if err := db.checkJournalMode(ctx); err != nil {
		db.db.Close()
		return nil, err
	}
	if err := db.migrate(ctx); err != nil {
		db.db.Close()
		return nil, err
	}
	if db.stmts, err = prepare(ctx, db.db); err != nil {
		db.db.Close()
		return nil, err
	}
	return db, nil
}

// OpenReadOnly opens an existing database for reading only: SQLite's
// read-only mode and query_only, so it takes no write lock, and under WAL
// it reads the last committed state while a scan writes. A file at an
// older schema is migrated first (that one time through Open, which waits
// for the writer); a newer one is refused. Its write methods fail.
func OpenReadOnly(ctx context.Context, path string) (*DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)") // a checkpoint or recovery can still hold the file briefly
	q.Add("_pragma", "query_only(1)")
	q.Set("mode", "ro")
	db, err := open(path, q)
	if err != nil {
		return nil, err
	}
	v, err := db.schemaVersion(ctx)
	if err != nil {
		db.db.Close()
		return nil, err
	}
	steps, err := migrations()
	if err != nil {
		db.db.Close()
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	switch {
	case v > len(steps):
		db.db.Close()
		return nil, fmt.Errorf("database %s has schema %d, newer than this upkeep knows (%d): upgrade upkeep", path, v, len(steps))
	case v < len(steps):
		db.db.Close()
		rw, err := Open(ctx, path)
		if err != nil {
			return nil, err
		}
		rw.Close()
		return OpenReadOnly(ctx, path)
	}
	if err := db.checkJournalMode(ctx); err != nil {
		db.db.Close()
		return nil, err
	}
	db.readOnly = true
	return db, nil
}

func open(path string, q url.Values) (*DB, error) {
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	sqldb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &DB{db: sqldb, path: path, pkgIDs: map[inventory.Package]int64{}, setIDs: map[[32]byte]int64{}, detailIDs: map[[32]byte]int64{}}, nil
}

// schemaVersion reads user_version outside any transaction: a shared read
// that never waits for a writer under WAL.
func (db *DB) schemaVersion(ctx context.Context) (int, error) {
	var v int
	if err := db.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version of %s: %w", db.path, err)
	}
	return v, nil
}

// Close closes the database.
func (db *DB) Close() error {
	if db.stmts != nil {
		db.stmts.close()
	}
	return db.db.Close()
}

// Path is the file the database lives in.
func (db *DB) Path() string { return db.path }

// checkJournalMode reads back the journal mode instead of assuming the
// pragma took: some file systems cannot do WAL and SQLite falls back quietly.
func (db *DB) checkJournalMode(ctx context.Context) error {
	var mode string
	if err := db.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("read journal mode of %s: %w", db.path, err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("database %s is in %q journal mode, not WAL (is it on a network file system?)", db.path, mode)
	}
	return nil
}

// migrations returns the embedded migration files in order; file i (from 1)
// brings the schema to user_version i.
func migrations() ([]string, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]string, len(names))
	for i, n := range names {
		b, err := migrationFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out[i] = string(b)
	}
	return out, nil
}

// migrate runs, in one transaction each, every migration newer than the
// file's user_version.
func (db *DB) migrate(ctx context.Context) error {
	steps, err := migrations()
	if err != nil {
		return fmt.Errorf("read migrations: %w", err)
	}
	// The usual case, a file at this schema, is settled by a read: the
	// write transaction below would wait for (or fail behind) a running scan.
	if v, err := db.schemaVersion(ctx); err == nil && v == len(steps) {
		return nil
	}
	for {
		done, err := db.migrateOne(ctx, steps)
		if err != nil {
			return err
		}
		if done {
			return nil
		}
	}
}

// migrateOne applies the next pending migration, reading user_version inside
// the write transaction so that two processes opening a new file at once do
// not both apply it.
func (db *DB) migrateOne(ctx context.Context, steps []string) (done bool, err error) {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("migrate %s: %w", db.path, err)
	}
	defer tx.Rollback()
	var v int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return false, fmt.Errorf("read schema version of %s: %w", db.path, err)
	}
	switch {
	case v > len(steps):
		return false, fmt.Errorf("database %s has schema %d, newer than this upkeep knows (%d): upgrade upkeep", db.path, v, len(steps))
	case v == len(steps):
		return true, nil
	}
	if _, err := tx.ExecContext(ctx, steps[v]); err != nil {
		return false, fmt.Errorf("migrate %s to schema %d: %w", db.path, v+1, err)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
		return false, fmt.Errorf("migrate %s to schema %d: %w", db.path, v+1, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("migrate %s to schema %d: %w", db.path, v+1, err)
	}
	return false, nil
}

// readTx opens a read-only (deferred) transaction: a consistent snapshot
// that never waits for a writer under WAL.
func (db *DB) readTx(ctx context.Context) (*sql.Tx, error) {
	return db.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
}
