package ssmfake

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"

	"upkeep/internal/fixtures"
)

// FixtureRunner runs scripts with sh on fake host trees made by
// fixtures.Materialize, one tree per variant, built on first use.
type FixtureRunner struct {
	Dir string // where trees go; "" means a new temporary folder

	mu   sync.Mutex
	tmp  string
	envs map[string][]string
}

// Run runs script as SSM's agent does for AWS-RunShellScript: written to a
// file and run by sh, here in the variant's host environment.
func (f *FixtureRunner) Run(ctx context.Context, variant string, h fixtures.Host, script string) (RunResult, error) {
	root, env, err := f.tree(variant, h)
	if err != nil {
		return RunResult{}, err
	}
	file, err := os.CreateTemp(root, "_script-*.sh")
	if err != nil {
		return RunResult{}, fmt.Errorf("write script for %s: %w", variant, err)
	}
	defer os.Remove(file.Name())
	if _, err := file.WriteString(script); err != nil {
		file.Close()
		return RunResult{}, fmt.Errorf("write script for %s: %w", variant, err)
	}
	if err := file.Close(); err != nil {
		return RunResult{}, fmt.Errorf("write script for %s: %w", variant, err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "sh", file.Name())
	cmd.Env, cmd.Dir, cmd.Stdout, cmd.Stderr = env, root, &stdout, &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return RunResult{Stdout: stdout.Bytes(), Stderr: stderr.Bytes()}, nil
	case errors.As(err, &exit):
		return RunResult{Stdout: stdout.Bytes(), Stderr: stderr.Bytes(), Code: exit.ExitCode()}, nil
	default:
		return RunResult{}, fmt.Errorf("run script on %s: %w", variant, err)
	}
}

func (f *FixtureRunner) tree(variant string, h fixtures.Host) (string, []string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.envs == nil {
		f.envs = map[string][]string{}
	}
	dir := f.Dir
	if dir == "" {
		if f.tmp == "" {
			t, err := os.MkdirTemp("", "ssmfake-")
			if err != nil {
				return "", nil, fmt.Errorf("fake host trees: %w", err)
			}
			f.tmp = t
		}
		dir = f.tmp
	}
	root := filepath.Join(dir, variant)
	if env, ok := f.envs[variant]; ok {
		return root, env, nil
	}
	if h.Fixture == "" {
		return "", nil, fmt.Errorf("instance variant %s has no fixture host: nothing to run on", variant)
	}
	env, err := fixtures.Materialize(root, h)
	if err != nil {
		return "", nil, fmt.Errorf("fake host %s: %w", variant, err)
	}
	f.envs[variant] = env
	return root, env, nil
}

// Close removes the temporary folder the runner made, if any.
func (f *FixtureRunner) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.tmp == "" {
		return nil
	}
	err := os.RemoveAll(f.tmp)
	f.tmp, f.envs = "", nil
	return err
}
