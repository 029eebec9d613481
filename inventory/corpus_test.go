package inventory_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/outputs and the FuzzParse seed corpus from fresh collector runs")

// TestWriteSeedCorpus regenerates the stored collector outputs (used by
// TestParseSeedCorpus) and the FuzzParse seeds: real outputs of the collector
// on fixture hosts, whole, cut, and compressed. Run with -update.
func TestWriteSeedCorpus(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rewrite")
	}
	sh := shells(t)[0]
	seeds := map[string][]byte{}
	for _, name := range []string{"amazonlinux-2-container", "rockylinux-9-container", "debian-11-web", "debian-12-ci"} {
		h := middlewareHost(name)
		h.CollectedAt = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
		if name == "debian-11-web" {
			h.NoSS = true
		}
		out, _ := runOn(t, sh, h)
		if err := os.WriteFile(filepath.Join("testdata", "outputs", name+".out"), out, 0o644); err != nil {
			t.Fatal(err)
		}
		seeds[name] = out
		seeds[name+"-cut-half"] = out[:len(out)/2]
		seeds[name+"-cut-end"] = out[:len(out)-2]
	}
	// A Debian host whose debian-security-support lists name installed
	// packages: Y records.
	h := listingsHost(t, "12.8\n")
	h.CollectedAt = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	out, _ := runOn(t, sh, h)
	if err := os.WriteFile(filepath.Join("testdata", "outputs", "debian-12-listings.out"), out, 0o644); err != nil {
		t.Fatal(err)
	}
	seeds["debian-12-listings"] = out
	dir := filepath.Join("testdata", "fuzz", "FuzzParse")
	for name, data := range seeds {
		content := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
