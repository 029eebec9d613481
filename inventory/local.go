package inventory

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// RunLocal runs the collector on this machine with sh and returns its
// output. ctx bounds the run; on failure the error carries the end of what
// the script printed on stderr.
func RunLocal(ctx context.Context) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "sh", "-c", string(Script()))
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	// A probed binary that forks and keeps the pipes open must not hold the
	// scan past its deadline.
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("run collector: %w", ctx.Err())
		}
		return nil, fmt.Errorf("run collector: %w%s", err, stderrTail(stderr.Bytes()))
	}
	return stdout.Bytes(), nil
}

// stderrTail formats the last few lines of stderr for an error message.
func stderrTail(b []byte) string {
	s := strings.TrimSpace(string(b))
	if s == "" {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	return ": " + strings.Join(lines, "; ")
}
