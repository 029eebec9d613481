package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"modernc.org/sqlite"
)

// sqliteBusy is SQLITE_BUSY, the primary result code of a lock held elsewhere.
const sqliteBusy = 5

// ScanSummary is what judging one whole scan found, in numbers: enough for
// a burn-down over the kept scans, with what made the numbers (the
// evaluation day, the data, the upkeep build and the judging options), so
// that counts made differently are never drawn as if they were alike.
type ScanSummary struct {
	ScanID     int64
	At         time.Time // the evaluation day
	Data       string    // the data that judged it, as a report's data line names it
	Upkeep     string    // the upkeep build: its registry is built in
	Options    string    // the judging options that change verdicts
	RecordedAt time.Time
	Hosts      int            // hosts of the scan, scanned or not
	Scanned    int            // hosts with package data
	HostsEOL   int            // hosts with an eol finding no waiver accepts
	Waived     int            // findings a waiver accepts
	Findings   map[string]int // findings no waiver accepts, per verdict
}

// Fingerprint names what made the counts: two summaries of one scan with
// the same fingerprint are the same judgment, and the later replaces the
// earlier.
func (s ScanSummary) Fingerprint() string {
	h := sha256.Sum256([]byte(strings.Join([]string{s.At.UTC().Format(time.DateOnly), s.Data, s.Upkeep, s.Options}, "\x00")))
	return hex.EncodeToString(h[:])
}

// ErrBusy is returned (wrapped) by RecordScanSummary when another process
// holds the write lock: the summary is skipped rather than waited for.
var ErrBusy = errors.New("database busy")

// RecordScanSummary stores s in the database at path, replacing a summary
// of the same scan with the same fingerprint. It is the one write a reading
// command makes, so it never waits and never migrates: it takes the write
// lock at once or fails with ErrBusy (a scan is writing), and a file whose
// schema is not this build's, or that cannot be written (a read-only file
// or folder), is an error the caller may ignore. It changes nothing else.
func RecordScanSummary(ctx context.Context, path string, s ScanSummary) error {
	if s.ScanID <= 0 {
		return fmt.Errorf("record scan summary: no scan id")
	}
	findings, err := json.Marshal(s.Findings)
	if err != nil {
		return fmt.Errorf("record scan summary: %w", err)
	}
	if s.Findings == nil {
		findings = []byte("{}")
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(0)")
	q.Add("_pragma", "foreign_keys(1)")     // a scan deleted since it was judged takes no summary
	q.Add("_pragma", "synchronous(normal)") // as every writer: under WAL a commit does not fsync
	q.Set("_txlock", "immediate")
	db, err := open(path, q)
	if err != nil {
		return fmt.Errorf("record scan summary: %w", err)
	}
	defer db.db.Close()
	v, err := db.schemaVersion(ctx)
	if err != nil {
		return fmt.Errorf("record scan summary: %w", err)
	}
	if steps, err := migrations(); err != nil || v != len(steps) {
		return fmt.Errorf("record scan summary: database %s is at schema %d, not this build's", path, v)
	}
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		if se := (*sqlite.Error)(nil); errors.As(err, &se) && se.Code()&0xff == sqliteBusy {
			return fmt.Errorf("record scan summary: %w: %v", ErrBusy, err)
		}
		return fmt.Errorf("record scan summary: %w", err)
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `INSERT OR REPLACE INTO scan_summaries
		(scan_id, fingerprint, at, data, upkeep, options, recorded_at, hosts, scanned, hosts_eol, waived, findings)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ScanID, s.Fingerprint(), s.At.UTC().Format(time.DateOnly), s.Data, s.Upkeep, s.Options, formatTime(s.RecordedAt),
		s.Hosts, s.Scanned, s.HostsEOL, s.Waived, string(findings))
	if err != nil {
		return fmt.Errorf("record scan summary of scan %d: %w", s.ScanID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record scan summary of scan %d: %w", s.ScanID, err)
	}
	return nil
}

// ScanSummaries returns every recorded summary, by scan id, then
// evaluation day, then when it was recorded.
func (db *DB) ScanSummaries(ctx context.Context) ([]ScanSummary, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("read scan summaries: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT scan_id, at, data, upkeep, options, recorded_at, hosts, scanned, hosts_eol, waived, findings
		FROM scan_summaries ORDER BY scan_id, at, recorded_at`)
	if err != nil {
		return nil, fmt.Errorf("read scan summaries: %w", err)
	}
	defer rows.Close()
	var out []ScanSummary
	for rows.Next() {
		var (
			s            ScanSummary
			at, findings string
			recorded     sql.NullString
		)
		if err := rows.Scan(&s.ScanID, &at, &s.Data, &s.Upkeep, &s.Options, &recorded, &s.Hosts, &s.Scanned, &s.HostsEOL, &s.Waived, &findings); err != nil {
			return nil, fmt.Errorf("read scan summaries: %w", err)
		}
		if s.At, err = time.Parse(time.DateOnly, at); err != nil {
			return nil, fmt.Errorf("read summary of scan %d: evaluation day %q: %w", s.ScanID, at, err)
		}
		if s.RecordedAt, err = parseTime(recorded); err != nil {
			return nil, fmt.Errorf("read summary of scan %d: %w", s.ScanID, err)
		}
		if err := json.Unmarshal([]byte(findings), &s.Findings); err != nil {
			return nil, fmt.Errorf("read summary of scan %d: findings: %w", s.ScanID, err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read scan summaries: %w", err)
	}
	return out, nil
}
