package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Many tests start from the data folder `upkeep demo --no-local` leaves.
// Loading the demo stores 33 hosts in SQLite, which under the race detector
// costs seconds of CPU each time; the folder is the same every time (for a
// given clock), so it is built once per test binary and each test gets its
// own copy of the files. `upkeep demo` itself is tested on its own
// (demo_test.go, testdata/script/demo.txtar), never from a copy.

// demoTemplates holds one folder per clock the demo was loaded with:
// time.Now (loadDemo) and reportNow (demoReportDir).
var demoTemplates struct {
	mu   sync.Mutex
	root string
	dirs map[string]string
}

// demoTemplate returns the data folder left by `upkeep demo --no-local`
// run with clock now (named key), loading it on first use.
func demoTemplate(key string, now func() time.Time) (string, error) {
	demoTemplates.mu.Lock()
	defer demoTemplates.mu.Unlock()
	if dir, ok := demoTemplates.dirs[key]; ok {
		return dir, nil
	}
	if demoTemplates.root == "" {
		root, err := os.MkdirTemp("", "upkeep-demo-template")
		if err != nil {
			return "", err
		}
		demoTemplates.root, demoTemplates.dirs = root, map[string]string{}
	}
	dir := filepath.Join(demoTemplates.root, key)
	ios, _, errOut := testIO("")
	getenv := func(k string) string {
		if k == "XDG_DATA_HOME" {
			return dir
		}
		return ""
	}
	if code := runAt(context.Background(), []string{"demo", "--no-local"}, ios, getenv, now); code != 0 {
		return "", fmt.Errorf("upkeep demo --no-local: exit %d\n%s", code, errOut)
	}
	demoTemplates.dirs[key] = dir
	return dir, nil
}

// removeDemoTemplates deletes the templates when the test binary ends.
func removeDemoTemplates() {
	demoTemplates.mu.Lock()
	defer demoTemplates.mu.Unlock()
	if demoTemplates.root != "" {
		os.RemoveAll(demoTemplates.root)
	}
}

// copyDemo copies the template loaded with clock now into a fresh
// temporary folder of t and returns that folder.
func copyDemo(t *testing.T, key string, now func() time.Time) string {
	t.Helper()
	src, err := demoTemplate(key, now)
	if err != nil {
		t.Fatal(err)
	}
	dst := t.TempDir()
	if err := copyTree(src, dst); err != nil {
		t.Fatalf("copy the demo data folder: %v", err)
	}
	return dst
}

// copyTree copies the regular files and folders under src into dst.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s: not a regular file", p)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}

// cleanupM runs the tests, then removes the demo templates.
type cleanupM struct{ m *testing.M }

func (c cleanupM) Run() int {
	defer removeDemoTemplates()
	return c.m.Run()
}
