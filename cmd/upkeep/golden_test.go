package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite cmd/upkeep/testdata/**/*.golden from the current output")

// assertGolden compares got with the golden file testdata/<rel>, or rewrites
// that file when the tests run with -update (then read the diff).
func assertGolden(t *testing.T, rel, got string) {
	t.Helper()
	path := filepath.Join("testdata", rel)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (create it with: go test ./cmd/upkeep -run %s -update): %v", t.Name(), err)
	}
	if !bytes.Equal([]byte(got), want) {
		t.Errorf("%s differs from the golden file; rerun with -update and read the diff", path)
	}
}
