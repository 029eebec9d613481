package registry

import "testing"

// Probes map by the embedded rules: an output rule wins over a plain one,
// and a name no rule has maps to nothing.
func TestProbe(t *testing.T) {
	r, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, output string
		want         ProbeMatch
	}{
		{"nginx", "nginx version: nginx/1.22.1", ProbeMatch{Product: "nginx"}},
		{"mysqld", "mysqld  Ver 8.0.39 for Linux on x86_64 (MySQL Community Server - GPL)", ProbeMatch{Product: "mysql"}},
		{"mysqld", "mysqld  Ver 10.5.25-MariaDB for Linux on x86_64 (MariaDB Server)", ProbeMatch{Product: "mariadb"}},
		{"java", "openjdk version \"17.0.13\" 2024-10-15 LTS\nOpenJDK Runtime Environment Corretto-17.0.13.11.1", ProbeMatch{Product: "amazon-corretto", Java: true}},
		{"java", `openjdk version "17.0.13" 2024-10-15`, ProbeMatch{Product: "eclipse-temurin", VendorUnknown: true, Java: true}},
		{"no-such-probe", "1.0", ProbeMatch{}},
	} {
		if got := r.Probe(tc.name, tc.output); got != tc.want {
			t.Errorf("Probe(%q, %q) = %+v, want %+v", tc.name, tc.output, got, tc.want)
		}
	}
	// A rule built by hand, never loaded, still matches.
	pr := ProbeRule{Name: "x", Output: `x/1\.`}
	if !pr.matches("x/1.2") || pr.matches("x/2.0") {
		t.Errorf("a rule never loaded does not match by its output pattern")
	}
}

// BenchmarkProbe maps the probes of the synthetic fleet's images, as
// judging does once per distinct host profile.
func BenchmarkProbe(b *testing.B) {
	r, err := Load()
	if err != nil {
		b.Fatal(err)
	}
	probes := [][2]string{{"nginx", "nginx version: nginx/1.22.1"}, {"java", `openjdk version "17.0.13" 2024-10-15`},
		{"node", "v16.20.2"}, {"python3", "Python 3.9.18"}, {"mysqld", "mysqld  Ver 8.0.39 for Linux on x86_64"}}
	for b.Loop() {
		for _, p := range probes {
			r.Probe(p[0], p[1])
		}
	}
}
