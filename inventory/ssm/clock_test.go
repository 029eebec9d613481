package ssm_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"upkeep/internal/ssmfake"
	"upkeep/inventory"
	"upkeep/inventory/ssm"
)

// jumpClock is a Clock whose waits return at once, having moved its time
// forward by exactly the wait: a scan that would poll for ten minutes runs
// through its whole schedule in milliseconds, and each poll happens at a
// known instant.
type jumpClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *jumpClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *jumpClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	ch := make(chan time.Time, 1)
	ch <- c.now
	return ch
}

// A host that never reaches a final status is stored as timed out once the
// delivery and execution timeouts (plus two polls) have passed on the
// scanner's clock, after the polls of the documented schedule (PollMin
// growing by half up to PollMax), and its command is cancelled.
func TestPollDeadlineOnInjectedClock(t *testing.T) {
	// The host hangs for an hour of the fake's own wall clock: only the
	// scanner's clock decides when it is given up.
	fake := ssmfake.New(ssmfake.Fleet(ssmfake.FleetSpec{Hosts: 1, Hang: 1}))
	defer fake.Close()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	clock := &jumpClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	opt := testOptions()
	opt.ExecutionTimeout, opt.DeliveryTimeout = time.Hour, 10*time.Minute
	opt.PollMin, opt.PollMax = 2*time.Second, 30*time.Second
	opt.Clock = clock
	sc := ssm.NewScanner(connect(t, srv.URL, "us-east-1"), opt)
	ctx := context.Background()
	targets, err := sc.Discover(ctx, ssm.Selector{All: true}, "ssm")
	if err != nil {
		t.Fatal(err)
	}
	start := clock.Now()
	sink := &memSink{}
	if err := sc.Run(ctx, 1, targets, sink.save, nil); err != nil {
		t.Fatal(err)
	}

	// The schedule: wait, poll, give up once past the deadline.
	deadline := opt.DeliveryTimeout + opt.ExecutionTimeout + 2*opt.PollMax
	var elapsed time.Duration
	polls := 0
	for delay := opt.PollMin; elapsed <= deadline; delay = min(delay*3/2, opt.PollMax) {
		elapsed += delay
		polls++
	}
	st := fake.Stats()
	if got := st.Calls["ListCommandInvocations"]; got != polls {
		t.Errorf("%d polls, want %d", got, polls)
	}
	if got := clock.Now().Sub(start); got != elapsed {
		t.Errorf("gave up after %s of scanner time, want %s", got, elapsed)
	}
	if st.Calls["CancelCommand"] != 1 {
		t.Errorf("%d CancelCommand calls, want 1", st.Calls["CancelCommand"])
	}
	id := ssmfake.InstanceID(0)
	got := sink.obs[id]
	if len(got) != 1 || got[0].Status != inventory.StatusTimedOut || !strings.Contains(got[0].Error, "no final status from SSM within 1h10m0s") {
		t.Errorf("%s stored as %+v, want one timed-out row naming the 1h10m timeouts", id, got)
	}
}
