package output

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// A report that fails half-way leaves the previous one whole, and nothing
// else in the folder.
func TestWriteFileKeepsPreviousOnFailure(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "fleet.html")
	if err := WriteFile(path, func(w io.Writer) error { _, err := io.WriteString(w, "first"); return err }); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := WriteFile(path, func(w io.Writer) error {
		io.WriteString(w, "half a rep")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "first" {
		t.Errorf("previous report is now %q", b)
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Errorf("folder holds %d entries, want 1", len(es))
	}
	if err := WriteFile(filepath.Join(dir, "no", "such", "dir.html"), func(io.Writer) error { return nil }); err == nil {
		t.Error("no error for a missing folder")
	}
}
