package ssm_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"upkeep/internal/ssmfake"
	"upkeep/inventory"
	"upkeep/inventory/ssm"
)

// TestReadInventoryRepeatedToken: a server that hands GetInventory's
// NextToken back unchanged must not keep a --source inventory scan paging
// forever; the listing stops as DescribeInstanceInformation's does.
func TestReadInventoryRepeatedToken(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if !strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".GetInventory") {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"__type":"UnknownOperationException","message":"no"}`)
			return
		}
		calls.Add(1)
		io.WriteString(w, `{"Entities":[],"NextToken":"same-token"}`)
	}))
	t.Cleanup(srv.Close)
	c := connect(t, srv.URL, "us-east-1")
	sc := ssm.NewScanner(c, testOptions())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	targets := []ssm.Target{{Host: inventory.Host{ID: "i-0123456789abcdef0"}, Status: inventory.StatusPending}}
	var sink memSink
	// A scan that paged forever would run into ctx's deadline and fail
	// here; no wall-clock race decides the outcome.
	if err := sc.ReadInventory(ctx, 1, targets, sink.save, nil); err != nil {
		t.Fatalf("ReadInventory after %d GetInventory calls with a repeated token: %v", calls.Load(), err)
	}
	if n := calls.Load(); n > 4 {
		t.Errorf("%d GetInventory calls, want at most 4 (two types, a repeated token ends each)", n)
	}
	if got := sink.obs["i-0123456789abcdef0"]; len(got) != 1 || got[0].Status != inventory.StatusFailed {
		t.Errorf("host stored as %+v, want one failed row (no inventory data)", got)
	}
}

// TestReadInventoryKeepsWhatArrived: an interrupt while a chunk of SSM
// Inventory answers is being stored must not drop the answers already read:
// like Run, ReadInventory saves what arrived whatever happens to ctx.
func TestReadInventoryKeepsWhatArrived(t *testing.T) {
	fake := ssmfake.New(ssmfake.Fleet(ssmfake.FleetSpec{Hosts: 3, Inventory: true}))
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	c := connect(t, srv.URL, "us-east-1")
	sc := ssm.NewScanner(c, testOptions())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	targets, err := sc.Discover(ctx, ssm.Selector{All: true}, "ssm-inventory")
	if err != nil {
		t.Fatal(err)
	}
	if len(targets) != 3 {
		t.Fatalf("%d targets, want 3", len(targets))
	}
	var saved []string
	save := func(sctx context.Context, o inventory.Observation) error {
		if err := sctx.Err(); err != nil {
			return err // as the store does: a cancelled context stores nothing
		}
		saved = append(saved, o.Host.ID)
		cancel() // Ctrl-C while the chunk is being stored
		return nil
	}
	_ = sc.ReadInventory(ctx, 1, targets, save, nil)
	if len(saved) != 3 {
		t.Errorf("stored %v after the interrupt, want all 3 hosts whose inventory had arrived", saved)
	}
}
