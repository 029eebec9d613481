// Command upkeep inventories the middleware on an EC2 fleet, judges it against
// end-of-life and Amazon Linux 2023 data, and plans the upgrades.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], newSystemIO(), os.Getenv)
	stop()
	os.Exit(code)
}
