// Package scan is the life of one scan, whatever its hosts come from: it
// begins the scan row, records hosts as a source produces them, and ends the
// scan as the source's outcome says, so that every source (SSM Run Command,
// SSM Inventory, this machine, imported files) leaves the same history.
//
// The guarantees, checked for every source by one contract test:
//   - a source that returns normally ends its scan finished; the store
//     classifies it complete, partial, failed or empty from its hosts;
//   - a source that returns an error ends its scan failed, with the error as
//     the reason, whether or not hosts were stored before it: it is never
//     left looking as if it were still running;
//   - a cancelled context leaves the scan interrupted, with what was stored
//     kept; a source that implements Resumer can finish it later (Run with
//     Options.Resume), scanning only the hosts with no result;
//   - a failed or interrupted scan is never usable, so the judging commands
//     keep judging the last good one (store.ResolveScan).
//
// An import names its hosts from what the files say; Recorder.Known lets it
// check a claimed host against the machine the store last saw under that
// name (identity.go).
package scan

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"upkeep/inventory"
	"upkeep/inventory/store"
)

// Source produces the hosts of a scan.
type Source interface {
	// Prepare readies the source (credentials, regions, files) and says
	// what the scan is: Source, Targets and, when known, Expected. An
	// error here begins no scan: nothing was attempted.
	Prepare(ctx context.Context) (inventory.Scan, error)
	// Hosts produces the hosts, recording each one through rec as soon as
	// it has it. It returns ctx's error when cancelled.
	Hosts(ctx context.Context, rec Recorder) error
}

// Resumer is a source that can finish a scan it was interrupted in.
type Resumer interface {
	Source
	// PrepareResume readies the source to scan the hosts of s that have no
	// result; stored is every host s holds. It returns how many hosts it
	// will scan, 0 when there is nothing left to do, and an error when it
	// cannot resume a scan of this kind.
	PrepareResume(ctx context.Context, s inventory.Scan, stored []inventory.Observation) (int, error)
}

// Recorder is what a source sees of the scan it fills. It is safe for
// concurrent use.
type Recorder interface {
	// ScanID is the id observations are recorded under.
	ScanID() int64
	// Record stores hosts in one transaction: all of them or none. An
	// error from it is the store's, and should end the source.
	Record(ctx context.Context, obs ...inventory.Observation) error
	// Known is the newest stored sighting of host that carried a machine
	// id, in this scan or an earlier one that finished without an error.
	Known(ctx context.Context, host string) (store.Sighting, bool, error)
}

// Options tune Run.
type Options struct {
	// Now is the clock for the scan's start and end; required.
	Now func() time.Time
	// Resume, when non-zero, finishes that scan instead of beginning one.
	Resume int64
	// Recorded, when set, hears of each host once it is stored.
	Recorded func(inventory.Observation)
}

// Result is what became of a scan.
type Result struct {
	// Scan is the scan row as Run left it: finished with counts, failed
	// with its reason, or unfinished when interrupted. Its ID is 0 when
	// no scan was begun.
	Scan inventory.Scan
	// Resumed is how many hosts a resume set out to scan; NothingToResume
	// says it found none.
	Resumed         int
	NothingToResume bool
}

// ErrNotResumable is returned when Options.Resume names a scan whose
// source cannot resume.
var ErrNotResumable = errors.New("this kind of scan cannot be resumed")

// Run begins a scan of src (or resumes opt.Resume), records its hosts as
// they arrive and ends it: finished, failed with the source's error, or
// left interrupted when ctx is cancelled. The error returned is the
// source's or the store's; ctx's when interrupted.
func Run(ctx context.Context, db *store.DB, src Source, opt Options) (Result, error) {
	if opt.Now == nil {
		return Result{}, errors.New("scan: no clock")
	}
	var (
		res Result
		id  int64
	)
	if opt.Resume > 0 {
		r, ok := src.(Resumer)
		if !ok {
			return res, fmt.Errorf("scan %d: %w", opt.Resume, ErrNotResumable)
		}
		s, err := db.Scan(ctx, opt.Resume)
		if err != nil {
			return res, err
		}
		stored, err := db.Observations(ctx, s.ID)
		if err != nil {
			return res, err
		}
		n, err := r.PrepareResume(ctx, s, stored)
		if err != nil {
			return res, err
		}
		res.Scan, res.Resumed, id = s, n, s.ID
		if n == 0 {
			res.NothingToResume = true
			if s.Finished.IsZero() {
				if err := db.FinishScan(ctx, s.ID, opt.Now()); err != nil {
					return res, err
				}
			}
			return reread(ctx, db, res, nil)
		}
	} else {
		s, err := src.Prepare(ctx)
		if err != nil {
			return res, err
		}
		s.Started = opt.Now()
		if id, err = db.BeginScan(ctx, s); err != nil {
			return res, err
		}
		s.ID = id
		res.Scan = s
	}

	rec := &recorder{db: db, id: id, recorded: opt.Recorded}
	err := src.Hosts(ctx, rec)
	// The end is written whatever ctx says: an interrupted scan keeps what
	// it stored, a failed one says why.
	keep := context.WithoutCancel(ctx)
	switch {
	case ctx.Err() != nil:
		return reread(keep, db, res, ctx.Err())
	case err != nil:
		if ferr := db.FailScan(keep, id, opt.Now(), err.Error()); ferr != nil {
			return reread(keep, db, res, errors.Join(err, ferr))
		}
		return reread(keep, db, res, err)
	}
	if err := db.FinishScan(keep, id, opt.Now()); err != nil {
		return reread(keep, db, res, err)
	}
	return reread(keep, db, res, nil)
}

// reread refreshes res.Scan from the store, keeping err as the outcome.
func reread(ctx context.Context, db *store.DB, res Result, err error) (Result, error) {
	s, rerr := db.Scan(ctx, res.Scan.ID)
	if rerr != nil {
		return res, errors.Join(err, rerr)
	}
	res.Scan = s
	return res, err
}

// recorder is Run's Recorder: one writer at a time, as the store wants.
type recorder struct {
	db       *store.DB
	id       int64
	recorded func(inventory.Observation)
	mu       sync.Mutex
}

func (r *recorder) ScanID() int64 { return r.id }

func (r *recorder) Record(ctx context.Context, obs ...inventory.Observation) error {
	for i := range obs {
		if obs[i].ScanID != r.id {
			return fmt.Errorf("record host %s: it belongs to scan %d, not %d", obs[i].Host.ID, obs[i].ScanID, r.id)
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.db.SaveObservations(ctx, obs); err != nil {
		return err
	}
	if r.recorded != nil {
		for _, o := range obs {
			r.recorded(o)
		}
	}
	return nil
}

func (r *recorder) Known(ctx context.Context, host string) (store.Sighting, bool, error) {
	return r.db.LastMachineID(ctx, host, r.id)
}
