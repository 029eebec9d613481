package version

import "testing"

// FuzzCompare checks, for every scheme, that Compare never panics, answers
// only -1, 0 or 1, and is antisymmetric; UpstreamOf and Cycle must not panic.
func FuzzCompare(f *testing.F) {
	for _, seed := range [][2]string{
		{"1:1.20.0-2.amzn2.0.5", "1.20.0-2.amzn2.0.5"},
		{"1.0~rc1", "1.0^git1"},
		{"1.0-1", "1.0"},
		{" 9:1.18.37:4.3-22", "9:1.18.36:5.4-20"},
		{"1.0 junk", "1.0\tx"},
		{"1.0.2k", "1.0.2zh"},
		{"1.8.0_402", "v11.0.2"},
		{"8.3.0RC6", "3.0.0-alpha17"},
		{"é", "\x00"},
		{"", "~"},
		{":", "-"},
		{"99999999999999999999:1", "1:1"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, s := range Schemes() {
			ab, ba := Compare(s, a, b), Compare(s, b, a)
			if ab < -1 || ab > 1 {
				t.Fatalf("%s: Compare = %d, want -1, 0 or 1", describe(s, a, b), ab)
			}
			if ab != -ba {
				t.Fatalf("%s: Compare(a, b) = %d but Compare(b, a) = %d", describe(s, a, b), ab, ba)
			}
			if c := Compare(s, a, a); c != 0 {
				t.Fatalf("%s: Compare(a, a) = %d", describe(s, a, a), c)
			}
			_ = Cycle(UpstreamOf(s, a), 2)
		}
	})
}
