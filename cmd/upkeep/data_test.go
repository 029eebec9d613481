package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"upkeep/advisories"
	"upkeep/inventory/store"
)

// apiProduct renders a product as endoflife.date API v1 answers
// /products/{product}/ (the shape recorded from the live API; see
// advisories/data/README.md).
func apiProduct(t *testing.T, p *advisories.Product, shift func(advisories.Cycle) advisories.Cycle) []byte {
	t.Helper()
	phase := func(r map[string]any, is, from string, e advisories.PhaseEnd) {
		if !e.Tracked {
			return
		}
		r[is] = e.Ended
		r[from] = nil
		if !e.Date.IsZero() {
			r[from] = e.Date.Format(time.DateOnly)
			r[is] = false
		}
	}
	var rel []map[string]any
	for _, c := range p.Cycles {
		if shift != nil {
			c = shift(c)
		}
		r := map[string]any{"name": c.Name, "codename": nil, "label": c.Name, "releaseDate": "2020-01-01", "isLts": c.LTS, "ltsFrom": nil,
			"isMaintained": true, "latest": map[string]any{"name": c.Latest, "date": "2026-01-01", "link": nil}}
		phase(r, "isEoas", "eoasFrom", c.EOAS)
		phase(r, "isEol", "eolFrom", c.EOL)
		phase(r, "isEoes", "eoesFrom", c.EOES)
		rel = append(rel, r)
	}
	lab := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	b, err := json.Marshal(map[string]any{
		"schema_version": "1.2.1", "generated_at": "2026-11-20T00:00:00+00:00", "last_modified": "2026-11-19T00:00:00+00:00",
		"result": map[string]any{"name": p.Slug, "label": p.Label, "aliases": []string{}, "category": p.Category, "tags": []string{},
			"labels":   map[string]any{"eoas": lab(p.Labels.EOAS), "eol": lab(p.Labels.EOL), "eoes": lab(p.Labels.EOES), "discontinued": nil},
			"releases": rel},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDataUpdate runs data update against a local server: good answers are
// stored and used; an HTML error page, truncated JSON, a 500 and a 429 with
// Retry-After each fail and leave the data in use as it was.
func TestDataUpdate(t *testing.T) {
	d, err := advisories.Load()
	if err != nil {
		t.Fatal(err)
	}
	// The "new" data moves nginx 1.30's end to a date, so the update is visible.
	shift := func(c advisories.Cycle) advisories.Cycle {
		if c.Product == "nginx" && c.Name == "1.30" {
			c.EOL = advisories.PhaseEnd{Date: time.Date(2027, 4, 30, 0, 0, 0, 0, time.UTC), Tracked: true}
		}
		return c
	}
	good := map[string][]byte{}
	for _, name := range advisories.MappedProducts() {
		p, ok := d.Product(name)
		if !ok {
			t.Fatalf("mapped product %s is not in the embedded data", name)
		}
		good[name] = apiProduct(t, p, shift)
	}
	var fault atomic.Value
	fault.Store("")
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		name := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/api/v1/products/"), "/")
		body, ok := good[name]
		if !ok {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte("<html><body>404</body></html>"))
			return
		}
		switch fault.Load().(string) {
		case "html":
			if name == "nginx" {
				w.Header().Set("Content-Type", "text/html")
				w.Write([]byte("<!DOCTYPE html><html><body>Service unavailable</body></html>"))
				return
			}
		case "truncated":
			if name == "php" {
				w.Write(body[:len(body)/2])
				return
			}
		case "500":
			if name == "mysql" {
				http.Error(w, "internal error", http.StatusInternalServerError)
				return
			}
		case "429":
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	defer srv.Close()
	base := srv.URL + "/api/v1"

	dir := t.TempDir()
	dbPath := filepath.Join(dir, "upkeep", "upkeep.db")
	// stored is the end-of-life dataset in the database, nil when none.
	stored := func() *store.Dataset {
		t.Helper()
		if _, err := os.Stat(dbPath); os.IsNotExist(err) {
			return nil
		}
		db, err := store.Open(context.Background(), dbPath)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		ds, err := db.Dataset(context.Background(), eolDataset)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			t.Fatal(err)
		}
		return &ds
	}
	nginx130 := func() string {
		out, stderr, code := runAdv(t, dir, "nginx\t1.30.0-1~jammy\n", "check", "--os", "ubuntu:22.04", "--packages", "-", "--at", "2026-11-24", "--output", "json")
		if code != 0 {
			t.Fatalf("check: exit %d: %s", code, stderr)
		}
		var fs []findingOut
		if err := json.Unmarshal([]byte(out), &fs); err != nil {
			t.Fatal(err)
		}
		return fs[1].EOLDate
	}
	if got := nginx130(); got != "" {
		t.Fatalf("embedded data: nginx 1.30 end %q, want none announced", got)
	}

	for _, bad := range []struct{ fault, msg string }{
		{"html", "fetch nginx"},
		{"truncated", "fetch php"},
		{"500", "HTTP 500"},
		{"429", "try again after 120 seconds"},
	} {
		fault.Store(bad.fault)
		_, stderr, code := runAdv(t, dir, "", "data", "update", "--dataset", "endoflife", "--base-url", base, "--timeout", "5s")
		if code != 1 || !strings.Contains(stderr, bad.msg) || !strings.Contains(stderr, "the data in use is unchanged") {
			t.Errorf("%s: exit %d, stderr %q", bad.fault, code, stderr)
		}
		if ds := stored(); ds != nil {
			t.Fatalf("%s: a failed update stored data from %s", bad.fault, ds.Source)
		}
	}

	fault.Store("")
	_, stderr, code := runAdv(t, dir, "", "data", "update", "--dataset", "endoflife", "--base-url", base)
	if code != 0 {
		t.Fatalf("good update: exit %d: %s", code, stderr)
	}
	if got := nginx130(); got != "2027-04-30" {
		t.Errorf("after update: nginx 1.30 end %q, want 2027-04-30", got)
	}
	before := stored()
	if before == nil || before.Source != base {
		t.Fatalf("after a good update the database holds %+v", before)
	}
	out, _, _ := runAdv(t, dir, "", "data", "status", "--output", "json")
	if !strings.Contains(out, `"origin": "database"`) || !strings.Contains(out, "stored in the database by 'upkeep data update'") || !strings.Contains(out, base) {
		t.Errorf("status after update: %s", out)
	}

	// A later failure keeps the good update in place.
	fault.Store("500")
	if _, _, code := runAdv(t, dir, "", "data", "update", "--dataset", "endoflife", "--base-url", base); code != 1 {
		t.Errorf("500 after a good update: exit %d", code)
	}
	if after := stored(); after == nil || string(after.Body) != string(before.Body) || !after.FetchedAt.Equal(before.FetchedAt) {
		t.Error("a failed update changed the stored data")
	}

	// A stored update that was damaged afterwards is a data error (exit 2)
	// with the remedy, not a panic and not a quiet fallback.
	db, err := store.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	bad := *before
	bad.Body = []byte(`{"products": {"nginx": {"releases": [{"cycle": "1.30", "eol": 12}]}}}`)
	if err := db.SaveDataset(context.Background(), bad); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, args := range [][]string{{"check", "--os", "debian:12", "--packages", "-"}, {"data", "status"}} {
		_, stderr, code = runAdv(t, dir, "nginx\t1.30.0-1\n", args...)
		if code != 2 || !strings.Contains(stderr, "is corrupt") || !strings.Contains(stderr, "run 'upkeep data update'") {
			t.Errorf("%s with a corrupt stored update: exit %d, %q", args[0], code, stderr)
		}
	}
}

// TestDataWithoutDatabase: judging with the embedded data creates no
// database, and an update file an earlier upkeep left next to the database
// is not read: a note says how to store it.
func TestDataWithoutDatabase(t *testing.T) {
	dir := t.TempDir()
	out, stderr, code := runAdv(t, dir, "", "data", "status", "--output", "json")
	if code != 0 || !strings.Contains(out, `"origin": "embedded"`) {
		t.Fatalf("status without a database: exit %d, %s%s", code, out, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "upkeep", "upkeep.db")); !os.IsNotExist(err) {
		t.Errorf("data status created a database (%v)", err)
	}

	legacy := filepath.Join(dir, "upkeep", legacyUpdateFile)
	if err := os.MkdirAll(filepath.Dir(legacy), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(legacy, []byte(`{"products": {}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code = runAdv(t, dir, "", "data", "status", "--output", "json")
	if code != 0 || !strings.Contains(out, `"origin": "embedded"`) || !strings.Contains(stderr, "is no longer read") || !strings.Contains(stderr, "data update --from-file "+legacy) {
		t.Errorf("status with a legacy update file: exit %d, %s%s", code, out, stderr)
	}
}
