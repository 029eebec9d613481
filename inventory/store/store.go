// Package store keeps scans in one SQLite file. (skeleton; being written)
package store

import "context"

// DB is an open upkeep database.
type DB struct{}

// Open opens or creates the database at path and migrates it.
func Open(ctx context.Context, path string) (*DB, error) { return &DB{}, nil }

// Close closes the database.
func (db *DB) Close() error { return nil }
