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
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	targets := []ssm.Target{{Host: inventory.Host{ID: "i-0123456789abcdef0"}, Status: inventory.StatusPending}}
	var sink memSink
	done := make(chan error, 1)
	go func() { done <- sc.ReadInventory(ctx, 1, targets, sink.save, nil) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("ReadInventory: %v", err)
		}
	case <-time.After(5 * time.Second):
		cancel()
		t.Fatalf("ReadInventory still paging after %d GetInventory calls with a repeated token", calls.Load())
	}
	if n := calls.Load(); n > 4 {
		t.Errorf("%d GetInventory calls, want at most 4 (two types, a repeated token ends each)", n)
	}
	if got := sink.obs["i-0123456789abcdef0"]; len(got) != 1 || got[0].Status != inventory.StatusFailed {
		t.Errorf("host stored as %+v, want one failed row (no inventory data)", got)
	}
}
