package advisories

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"

	"upkeep/inventory"
)

// truthRow is one real package string with the verdict the written rules
// give it (testdata/truth.md explains the rules and the sources).
type truthRow struct {
	line                                  int
	os, name, version, vendor, at         string
	extended                              bool
	product, cycle, verdict, rule, source string
}

func readTruth(t *testing.T) []truthRow {
	t.Helper()
	f, err := os.Open("testdata/truth.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []truthRow
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		if n == 1 || strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		x := strings.Split(sc.Text(), "\t")
		if len(x) != 11 {
			t.Fatalf("truth.tsv line %d: %d fields, want 11", n, len(x))
		}
		out = append(out, truthRow{line: n, os: x[0], name: x[1], version: x[2], vendor: x[3], at: x[4], extended: x[5] == "ext",
			product: x[6], cycle: x[7], verdict: x[8], rule: x[9], source: x[10]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// falseSafe reports whether got claims someone still patches a build the
// rules say nobody does (or soon will not): the worst error upkeep can make.
func falseSafe(want, got Verdict) bool {
	safe := got == VerdictSupported || got == VerdictDistroSupported
	return safe && (want.Ended() || want == VerdictEOLSoon)
}

// TestTruthTable judges every row of the truth table and measures the
// mapping and the verdicts against it: product and cycle and verdict must
// each be right for at least 97% of rows, and no row may be false-safe.
func TestTruthTable(t *testing.T) {
	d := mustLoad(t)
	rows := readTruth(t)
	if len(rows) < 300 {
		t.Fatalf("truth table has %d rows, want at least 300", len(rows))
	}
	var okMap, okVerdict, unsafe int
	var misses []string
	for _, r := range rows {
		osr, err := ParseOS(r.os)
		if err != nil {
			t.Fatalf("line %d: %v", r.line, err)
		}
		var p inventory.Package
		if osManager(osr.ID) == "rpm" {
			p = ParseEVR(r.name, r.version)
			p.Vendor = r.vendor
		} else {
			p = inventory.Package{Manager: "dpkg", Name: r.name, Version: r.version, Status: "ii"}
		}
		hr := d.JudgeList(osr, []inventory.Package{p}, nil, Options{At: day(r.at), Within: 180, ExtendedSupport: r.extended})
		var f Finding
		for _, x := range hr.Findings {
			if x.Kind == KindPackage {
				f = x
			}
		}
		mapOK := f.Product == r.product && (r.product == "" || f.Cycle == r.cycle)
		if mapOK {
			okMap++
		}
		if string(f.Status) == r.verdict {
			okVerdict++
		}
		if falseSafe(Verdict(r.verdict), f.Status) {
			unsafe++
			t.Errorf("FALSE-SAFE line %d: %s %s=%s at %s: got %s, the rule %s says %s (%s)", r.line, r.os, r.name, r.version, r.at, f.Status, r.rule, r.verdict, f.Reason)
		}
		if !mapOK || string(f.Status) != r.verdict {
			misses = append(misses, fmt.Sprintf("line %d: %s %s=%s at %s: got %s %s %s, want %s %s %s (%s): %s",
				r.line, r.os, r.name, r.version, r.at, f.Product, f.Cycle, f.Status, r.product, r.cycle, r.verdict, r.rule, f.Reason))
		}
	}
	n := len(rows)
	mapRate, verdictRate := 100*float64(okMap)/float64(n), 100*float64(okVerdict)/float64(n)
	t.Logf("truth table: %d rows; product+cycle right %d (%.1f%%), verdict right %d (%.1f%%), false-safe %d",
		n, okMap, mapRate, okVerdict, verdictRate, unsafe)
	for _, m := range misses {
		t.Log("miss: " + m)
	}
	if mapRate < 97 || verdictRate < 97 {
		t.Errorf("product+cycle %.1f%%, verdict %.1f%%: both must be at least 97%%", mapRate, verdictRate)
	}
}
