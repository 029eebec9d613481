package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Sighting is one stored observation of a host that carried a machine id:
// which machine the store last saw under a host's name, and where.
type Sighting struct {
	ScanID    int64
	Source    string // the scan's source: ssm, import, local, ...
	Targets   string // what that scan was asked for
	Started   time.Time
	MachineID string
}

// lastMachineQuery walks scans newest first and, for each, looks the host up
// by the observations' primary key (scan_id, host_id): an index probe per
// scan, stopping at the first scan that saw it, and no index on host_id that
// every observation row would pay for. CROSS JOIN fixes that order.
const lastMachineQuery = `SELECT s.id, s.source, s.targets, s.started, d.machine_id
FROM hosts h
CROSS JOIN scans s
CROSS JOIN observations o
CROSS JOIN details d
WHERE h.ident = ? AND s.id <= ?
  AND (s.id = ? OR (s.finished IS NOT NULL AND s.error = ''))
  AND o.scan_id = s.id AND o.host_id = h.id
  AND d.id = o.detail_id AND d.machine_id <> ''
ORDER BY s.id DESC
LIMIT 1`

// LastMachineID returns the newest sighting of host ident with a machine id,
// in scan upTo itself (finished or not) or in an earlier scan that finished
// without an error: a failed scan is never taken as the truth about which
// machine a name belongs to. ok is false when there is none.
func (db *DB) LastMachineID(ctx context.Context, ident string, upTo int64) (s Sighting, ok bool, err error) {
	var started string
	var row *sql.Row
	if db.stmts != nil {
		row = db.stmts.lastMachine.QueryRowContext(ctx, ident, upTo, upTo)
	} else { // a read-only handle prepares nothing
		row = db.db.QueryRowContext(ctx, lastMachineQuery, ident, upTo, upTo)
	}
	err = row.Scan(&s.ScanID, &s.Source, &s.Targets, &started, &s.MachineID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Sighting{}, false, nil
	case err != nil:
		return Sighting{}, false, fmt.Errorf("look up host %s: %w", ident, err)
	}
	if s.Started, err = parseTime(sql.NullString{String: started, Valid: true}); err != nil {
		return Sighting{}, false, fmt.Errorf("look up host %s: %w", ident, err)
	}
	return s, true, nil
}
