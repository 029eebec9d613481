package version

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// vector is one line of a testdata/*.tsv file.
type vector struct {
	a, b string
	want int
	line int
}

// readVectors reads "A<TAB>B<TAB>expected" lines; '#' lines are comments.
// Strings are taken byte for byte (one deb vector starts with a space).
func readVectors(t testing.TB, name string) []vector {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("open vectors: %v", err)
	}
	defer f.Close()
	var vs []vector
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) != 3 {
			t.Fatalf("%s:%d: want 3 tab-separated fields, got %d", name, n, len(fields))
		}
		want, err := strconv.Atoi(fields[2])
		if err != nil || want < -1 || want > 1 {
			t.Fatalf("%s:%d: expected value %q is not -1, 0 or 1", name, n, fields[2])
		}
		vs = append(vs, vector{a: fields[0], b: fields[1], want: want, line: n})
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return vs
}

// TestVectors runs every peer vector in both argument orders.
func TestVectors(t *testing.T) {
	for _, tc := range []struct {
		file   string
		scheme Scheme
		min    int // the README's count, so a truncated copy fails loudly
	}{
		{"rpm-vercmp.tsv", RPM, 4552},
		{"deb-vercmp.tsv", Deb, 225},
		{"upstream-versions.tsv", Upstream, 204},
	} {
		t.Run(string(tc.scheme), func(t *testing.T) {
			vs := readVectors(t, tc.file)
			if len(vs) != tc.min {
				t.Fatalf("%s has %d vectors, README says %d", tc.file, len(vs), tc.min)
			}
			fails := 0
			for _, v := range vs {
				got, rev := Compare(tc.scheme, v.a, v.b), Compare(tc.scheme, v.b, v.a)
				if got != v.want || rev != -v.want {
					fails++
					if fails <= 20 {
						t.Errorf("%s:%d: Compare(%q, %q) = %d, reversed %d; want %d, %d",
							tc.file, v.line, v.a, v.b, got, rev, v.want, -v.want)
					}
				}
			}
			if fails > 0 {
				t.Errorf("%s: %d of %d vectors fail", tc.file, fails, len(vs))
			}
		})
	}
}

// describe is used by failure messages of the oracle tests.
func describe(s Scheme, a, b string) string { return fmt.Sprintf("%s %q %q", s, a, b) }
