package main

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"

	"upkeep/inventory"
)

// runCollectorHere runs the embedded collector on this machine through sh,
// as `upkeep scan --local` does, and returns its output.
func runCollectorHere(ctx context.Context) ([]byte, error) {
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, "sh", "-s")
	cmd.Stdin = bytes.NewReader(inventory.Script())
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		msg := strings.TrimSpace(errb.String())
		if msg != "" {
			return nil, fmt.Errorf("run the collector: %w: %s", err, msg)
		}
		return nil, fmt.Errorf("run the collector: %w", err)
	}
	return out.Bytes(), nil
}
