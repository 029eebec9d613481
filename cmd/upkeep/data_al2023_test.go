package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// al2023Fixture is the createrepo_c output the advisories tests use (see
// advisories/testdata/al2023repo/build.sh): release 2023.8.20250808 in
// old/, 2023.9.20251014 in new/.
const al2023Fixture = "../../advisories/testdata/al2023repo"

type statusRow struct {
	Name, Origin, Source, Date string
}

func dataStatus(t *testing.T, dir string) map[string]statusRow {
	t.Helper()
	out, stderr, code := runAdv(t, dir, "", "data", "status", "--output", "json")
	if code != 0 {
		t.Fatalf("data status: exit %d: %s", code, stderr)
	}
	var rows []statusRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	m := map[string]statusRow{}
	for _, r := range rows {
		m[r.Name] = r
	}
	return m
}

// TestDataUpdateAL2023 runs 'data update' against a local server that
// serves AL2023 repository metadata in the real format: a newer release's
// packages appear, data status shows the release (not the download day),
// and a broken or truncated repomd.xml or primary file leaves the data in
// use as it was.
func TestDataUpdateAL2023(t *testing.T) {
	var tree atomic.Value // which fixture directory the mirror list points at
	var fault atomic.Value
	tree.Store("old")
	fault.Store("")
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/al2023/core/mirrors/latest/x86_64/mirror.list" {
			fmt.Fprintf(w, "%s/repo/%s/\n", srv.URL, tree.Load())
			return
		}
		rel, ok := strings.CutPrefix(r.URL.Path, "/repo/")
		if !ok {
			http.NotFound(w, r)
			return
		}
		b, err := os.ReadFile(filepath.Join(al2023Fixture, filepath.FromSlash(rel)))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		switch f := fault.Load().(string); {
		case f == "repomd-html" && strings.HasSuffix(rel, "repomd.xml"):
			b = []byte("<html><body>Access Denied</body></html>")
		case f == "repomd-truncated" && strings.HasSuffix(rel, "repomd.xml"):
			b = b[:len(b)/2]
		case f == "primary-truncated" && strings.HasSuffix(rel, "primary.xml.gz"):
			b = b[:len(b)-40]
		case f == "primary-500" && strings.HasSuffix(rel, "primary.xml.gz"):
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		w.Write(b)
	}))
	defer srv.Close()
	mirror := srv.URL + "/al2023/core/mirrors/latest/x86_64/mirror.list"
	update := func() (string, int) {
		_, stderr, code := runAdv(t, dir(t), "", "data", "update", "--dataset", "al2023", "--al2023-mirror-list", mirror,
			"--al2023-supportinfo", srv.URL+"/repo/"+tree.Load().(string)+"/AL2023-supportinfo-1.0.xml", "--timeout", "5s")
		return stderr, code
	}
	readiness := func() string {
		out, stderr, code := runAdv(t, dir(t), "php8.4-fpm\t8.4.5-1\n", "check", "--os", "debian:12", "--packages", "-", "--at", "2026-11-24", "--output", "json")
		if code != 0 && code != 1 {
			t.Fatalf("check: exit %d: %s", code, stderr)
		}
		return out
	}

	st := dataStatus(t, dir(t))["al2023-packages"]
	if st.Origin != "embedded" || st.Date != "2023-08-09" {
		t.Fatalf("embedded AL2023 data: %+v, want the 2023.1.20230809 release's own day", st)
	}

	// old has no php8.4 (its supportinfo file is absent: skip it).
	_, stderr, code := runAdv(t, dir(t), "", "data", "update", "--dataset", "al2023", "--al2023-mirror-list", mirror, "--al2023-supportinfo", "")
	if code != 0 {
		t.Fatalf("update to old: exit %d: %s", code, stderr)
	}
	st = dataStatus(t, dir(t))["al2023-packages"]
	if st.Origin != "database" || st.Date != "2025-08-08" || !strings.Contains(st.Source, "release 2023.8.20250808") {
		t.Fatalf("after the old release: %+v", st)
	}
	if out := readiness(); strings.Contains(out, `"al2023_package":"php8.4-fpm"`) {
		t.Errorf("old release offers php8.4: %s", out)
	}

	tree.Store("new")
	if stderr, code := update(); code != 0 || !strings.Contains(stderr, "AL2023 release 2023.9.20251014") || !strings.Contains(stderr, "3 support statements") {
		t.Fatalf("update to new: exit %d: %s", code, stderr)
	}
	st = dataStatus(t, dir(t))["al2023-packages"]
	if st.Date != "2025-10-14" || !strings.Contains(st.Source, "release 2023.9.20251014") {
		t.Fatalf("after the new release: %+v", st)
	}
	if out := readiness(); !strings.Contains(out, `"al2023_package":"php8.4-fpm"`) {
		t.Errorf("new release: php8.4 not offered: %s", out)
	}

	// Every failure leaves 2023.9.20251014 in use.
	tree.Store("old")
	for _, f := range []string{"repomd-html", "repomd-truncated", "primary-truncated", "primary-500"} {
		fault.Store(f)
		stderr, code := update()
		if code != 1 || !strings.Contains(stderr, "the data in use is unchanged") {
			t.Errorf("%s: exit %d: %s", f, code, stderr)
		}
		if st := dataStatus(t, dir(t))["al2023-packages"]; st.Date != "2025-10-14" {
			t.Errorf("%s: a failed update replaced the data: %+v", f, st)
		}
	}
}

var testDirs = map[*testing.T]string{}

// dir is one data folder per test, so the helpers above share it.
func dir(t *testing.T) string {
	if d, ok := testDirs[t]; ok {
		return d
	}
	d := t.TempDir()
	testDirs[t] = d
	return d
}

// TestDataUpdateFromDir: the air-gapped form reads a copy of the
// repository; a directory without repodata is a usage error.
func TestDataUpdateFromDir(t *testing.T) {
	d := t.TempDir()
	_, stderr, code := runAdv(t, d, "", "data", "update", "--from-dir", filepath.Join(al2023Fixture, "new"))
	if code != 0 || !strings.Contains(stderr, "AL2023 release 2023.9.20251014") {
		t.Fatalf("--from-dir: exit %d: %s", code, stderr)
	}
	if st := dataStatus(t, d)["al2023-packages"]; st.Date != "2025-10-14" {
		t.Errorf("status: %+v", st)
	}
	if st := dataStatus(t, d)["endoflife"]; st.Origin != "embedded" {
		t.Errorf("--from-dir touched the end-of-life data: %+v", st)
	}
	_, stderr, code = runAdv(t, d, "", "data", "update", "--from-dir", t.TempDir())
	if code != 2 || !strings.Contains(stderr, "the data in use is unchanged") {
		t.Errorf("empty directory: exit %d: %s", code, stderr)
	}
}
