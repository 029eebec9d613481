package main

import (
	"testing"
	"time"

	"upkeep/inventory"
)

// TestProgressText checks the words the progress bar is given: hosts that
// were not scanned are counted by status, as the summary counts them, never
// all as "failed".
func TestProgressText(t *testing.T) {
	ios, _, _ := testIO("")
	ios.errTTY = true
	o := &scanOptions{f: &factory{io: ios, now: time.Now}}
	p := o.newProgress(6)
	if p.bar == nil {
		t.Fatal("no bar on a terminal")
	}
	done := func(st inventory.Status) {
		p.Done(inventory.Observation{Host: inventory.Host{ID: "i-" + string(st)}, Status: st})
	}
	// Known before anything is sent, as ssm.Fleet reports them.
	done(inventory.StatusOffline)
	done(inventory.StatusUnsupported)
	done(inventory.StatusUndeliverable)
	if got, want := p.bar.State().Description, "1 undeliverable, 1 offline, 1 unsupported"; got != want {
		t.Errorf("before sending: bar text %q, want %q", got, want)
	}
	p.Sent("us-east-1", 3)
	done(inventory.StatusOK)
	done(inventory.StatusOK)
	done(inventory.StatusFailed)
	if got, want := p.bar.State().Description, "sent 3: 2 ok, 1 failed, 1 undeliverable, 1 offline, 1 unsupported"; got != want {
		t.Errorf("bar text %q, want %q", got, want)
	}
	p.finish()
}
