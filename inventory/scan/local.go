package scan

import (
	"context"
	"fmt"
	"os"

	"upkeep/inventory"
)

// Local is a source of one host: this machine, through the same collector
// SSM sends (inventory.RunLocal). It cannot be resumed: run it again.
type Local struct {
	// Host names the host; "" is this machine's name.
	Host string
	// Collect runs the collector; nil is inventory.RunLocal. Tests give a
	// fake collector here.
	Collect func(ctx context.Context) ([]byte, error)

	name string
	last inventory.Observation
}

// Prepare finds the host's name.
func (l *Local) Prepare(context.Context) (inventory.Scan, error) {
	l.name = l.Host
	if l.name == "" {
		h, err := os.Hostname()
		if err != nil {
			return inventory.Scan{}, fmt.Errorf("find this machine's name: %w (name it with --host)", err)
		}
		l.name = h
	}
	return inventory.Scan{Source: "local", Targets: "local", Expected: 1}, nil
}

// Hosts runs the collector and records its output. A collector that ends
// with an error and prints nothing is a failed host, not a failed scan: the
// host is what could not be read.
func (l *Local) Hosts(ctx context.Context, rec Recorder) error {
	collect := l.Collect
	if collect == nil {
		collect = inventory.RunLocal
	}
	host := inventory.Host{ID: l.name, Name: l.name, Source: "local"}
	data, runErr := collect(ctx)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var obs inventory.Observation
	if runErr != nil && len(data) == 0 {
		obs = inventory.Observation{ScanID: rec.ScanID(), Host: host, Status: inventory.StatusFailed, Error: runErr.Error()}
	} else {
		obs = Parsed(rec.ScanID(), host, data, runErr)
	}
	if err := rec.Record(ctx, obs); err != nil {
		return err
	}
	l.last = obs
	return nil
}

// Observation is the host Hosts recorded, for the command's one-line
// summary; zero before Hosts ran.
func (l *Local) Observation() inventory.Observation { return l.last }

// Name is the host's name once Prepare found it.
func (l *Local) Name() string { return l.name }
