package ssm

import "time"

// Clock is the time source of a scan: polling intervals, retry backoff and
// the deadline after which a host that never answered is stored as timed
// out. Production uses the wall clock; tests pass one they drive, so the
// number of polls (and of API calls) depends on the scenario, never on how
// busy the machine is.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

// WallClock is the real time.
type WallClock struct{}

// Now is time.Now.
func (WallClock) Now() time.Time { return time.Now() }

// After is time.After.
func (WallClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
