package main

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"upkeep/internal/ssmfake"
	"upkeep/inventory"
)

// TestSSMCompatProfiles scans through servers that implement less of the
// SSM API than AWS (ssmfake profiles; "minimal" is what moto offers) and
// checks that every selector ends in statuses and an exit code that say
// what happened, quickly, and never in a hang or a retry storm.
func TestSSMCompatProfiles(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the collector on fixture hosts")
	}
	id := ssmfake.InstanceID
	tests := []struct {
		name    string
		profile ssmfake.Profile
		set     func(*scanOptions)
		code    int
		stderr  string                   // in what the command printed
		want    map[inventory.Status]int // stored rows by status
	}{
		{"minimal --all", ssmfake.Minimal(), func(o *scanOptions) { o.all = true },
			exitFailure, "does not support DescribeInstanceInformation", nil},
		{"minimal --tag", ssmfake.Minimal(), func(o *scanOptions) { o.tags = []string{"Env=prod"} },
			exitFailure, "--tag needs it; name the instances with --instance-ids", nil},
		// Sent blind, polled host by host, and judged: moto's empty output
		// is no inventory.
		{"minimal --instance-ids", ssmfake.Minimal(), func(o *scanOptions) { o.instanceIDs = []string{id(0), id(1)} },
			exitFailure, "2 unparsable", map[inventory.Status]int{inventory.StatusUnparsable: 2}},
		{"lenient --all", ssmfake.Lenient(), func(o *scanOptions) { o.all = true },
			exitOK, "4 ok", map[inventory.Status]int{inventory.StatusOK: 4}},
		// The server ignores the InstanceIds filter and lists all four.
		{"lenient --instance-ids", ssmfake.Lenient(), func(o *scanOptions) { o.instanceIDs = []string{id(0), id(1)} },
			exitOK, "2 ok", map[inventory.Status]int{inventory.StatusOK: 2}},
		// A tag filter the server ignores cannot be checked (no tags in
		// DescribeInstanceInformation): every instance is scanned.
		{"lenient --tag", ssmfake.Lenient(), func(o *scanOptions) { o.tags = []string{"Env=prod"} },
			exitOK, "4 ok", map[inventory.Status]int{inventory.StatusOK: 4}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			isolateAWS(t, dir)
			fake := ssmfake.New(ssmfake.Fleet(ssmfake.FleetSpec{Hosts: 4}), ssmfake.WithProfile(tc.profile),
				ssmfake.WithFaults(ssmfake.Faults{ExecDelay: 20 * time.Millisecond}))
			defer fake.Close()
			srv := httptest.NewServer(fake)
			defer srv.Close()
			dbPath := filepath.Join(dir, "upkeep.db")
			// Bounded by the test binary's -timeout: four real collector
			// runs under the race detector on a loaded machine can take
			// longer than any fixed figure.
			deadline, ok := t.Deadline()
			if !ok {
				deadline = time.Now().Add(time.Hour)
			}
			ctx, cancel := context.WithDeadline(context.Background(), deadline.Add(-30*time.Second))
			defer cancel()
			begin := time.Now()
			code, stderr := scanWith(ctx, t, dbPath, func(o *scanOptions) {
				o.regions, o.endpointURL = []string{"us-east-1"}, srv.URL
				tc.set(o)
			})
			t.Logf("%.1fs, stderr:\n%s", time.Since(begin).Seconds(), stderr)
			if code != tc.code {
				t.Errorf("exit code %d, want %d", code, tc.code)
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr does not say %q", tc.stderr)
			}
			if time.Since(begin) > 15*time.Second {
				t.Errorf("took %s: an unsupported operation must fail fast", time.Since(begin))
			}
			if tc.want == nil {
				return
			}
			got := map[inventory.Status]int{}
			for _, o := range observations(t, dbPath, 1) {
				got[o.Status]++
				if o.Status == inventory.StatusUnparsable && !strings.Contains(o.Error, "empty output") {
					t.Errorf("%s: unparsable with %q, want it to say empty output", o.Host.ID, o.Error)
				}
			}
			for st, n := range tc.want {
				if got[st] != n {
					t.Errorf("%d hosts %s, want %d (all: %v)", got[st], st, n, got)
				}
			}
		})
	}
}
