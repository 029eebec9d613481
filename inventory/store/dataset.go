package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Dataset is one stored advisory data snapshot (the end-of-life data that
// 'upkeep data update' fetched). The store keeps one per name, the newest;
// it checks that Body is JSON, not what the JSON means: the caller
// validates it before saving and again when reading it back.
type Dataset struct {
	Name      string    // "endoflife"
	FetchedAt time.Time // when it was stored, by the caller's clock
	Source    string    // where it came from: an API base URL or a file name
	Date      time.Time // the day the data describes (UTC, a whole day)
	Body      []byte    // the snapshot as JSON
}

// SaveDataset stores d, replacing any dataset of the same name. Like every
// write here it is all or nothing: a failure leaves the old one in place.
func (db *DB) SaveDataset(ctx context.Context, d Dataset) error {
	switch {
	case d.Name == "":
		return errors.New("save dataset: no name")
	case d.FetchedAt.IsZero() || d.Date.IsZero():
		return fmt.Errorf("save dataset %s: no fetch time or data date", d.Name)
	}
	if err := db.writable(); err != nil {
		return fmt.Errorf("save dataset %s: %w", d.Name, err)
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save dataset %s: %w", d.Name, err)
	}
	defer tx.Rollback()
	if err := saveDataset(ctx, tx, d); err != nil {
		return fmt.Errorf("save dataset %s: %w", d.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save dataset %s: %w", d.Name, err)
	}
	return nil
}

func saveDataset(ctx context.Context, tx *sql.Tx, d Dataset) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO datasets (name, fetched_at, source, data_date, body) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET fetched_at = excluded.fetched_at, source = excluded.source,
			data_date = excluded.data_date, body = excluded.body`,
		d.Name, formatTime(d.FetchedAt), d.Source, d.Date.UTC().Format(time.DateOnly), string(d.Body))
	return err
}

// Dataset returns the stored dataset called name, or an error wrapping
// ErrNotFound when 'upkeep data update' never stored one.
func (db *DB) Dataset(ctx context.Context, name string) (Dataset, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return Dataset{}, fmt.Errorf("read dataset %s: %w", name, err)
	}
	defer tx.Rollback()
	d, err := dataset(ctx, tx, name)
	if err != nil {
		return Dataset{}, fmt.Errorf("read dataset %s: %w", name, err)
	}
	return d, nil
}

func dataset(ctx context.Context, tx *sql.Tx, name string) (Dataset, error) {
	d := Dataset{Name: name}
	var fetched sql.NullString
	var date, body string
	err := tx.QueryRowContext(ctx, `SELECT fetched_at, source, data_date, body FROM datasets WHERE name = ?`, name).
		Scan(&fetched, &d.Source, &date, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return d, ErrNotFound
	}
	if err != nil {
		return d, err
	}
	if d.FetchedAt, err = parseTime(fetched); err != nil {
		return d, err
	}
	if d.Date, err = time.Parse(time.DateOnly, date); err != nil {
		return d, fmt.Errorf("data_date %q: %w", date, err)
	}
	d.Body = []byte(body)
	return d, nil
}
