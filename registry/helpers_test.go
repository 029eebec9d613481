package registry

import (
	"strings"
	"testing"
)

// testSources is a sources block the strict-loading tests' rows cite as "s".
const testSources = "sources:\n  - {id: s, url: https://example.org/notes, retrieved: 2026-12-01, about: notes}\n"

// wantLoadErr checks a strict-loading case: want "" means the files load,
// otherwise the error must contain want (the file, section and row named).
func wantLoadErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Fatalf("load: %v", err)
	case want != "" && err == nil:
		t.Fatalf("loaded, want an error with %q", want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Fatalf("error %q, want it to contain %q", err, want)
	}
}
