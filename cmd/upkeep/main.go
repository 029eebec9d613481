// Command upkeep inventories the middleware on an EC2 fleet, judges it against
// end-of-life and Amazon Linux 2023 data, and plans the upgrades.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// memoryLimit is the Go runtime's soft memory limit. SQLite's page cache
// (up to 64 MiB) and the allocator's own overhead sit outside it: at
// 384 MiB a 100,000-host import peaked at 518 MiB RSS, at 300 MiB at
// 445 MiB (docs/benchmarks.md). Judging commands keep well under it.
const memoryLimit = 300 << 20

func main() {
	// upkeep runs for seconds and builds its tables once: collecting
	// garbage half as often saves a fifth of check's time on a 10,000-host
	// fleet for about 50 MB more memory (docs/benchmarks.md). GOGC still wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	// A judging command keeps about 1 KB per host and per distinct package
	// set; at a hundred thousand hosts the 200% above would triple that into
	// more than 512 MiB. Past this soft limit the collector runs as often as
	// it must instead (docs/benchmarks.md). GOMEMLIMIT still wins.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], newSystemIO(), os.Getenv)
	stop()
	os.Exit(code)
}
