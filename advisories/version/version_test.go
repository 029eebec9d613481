package version

import (
	"testing"

	goversion "github.com/hashicorp/go-version"
)

func TestParseScheme(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Scheme
		wantErr bool
	}{
		{"rpm", RPM, false},
		{"RPM", RPM, false},
		{"deb", Deb, false},
		{"dpkg", Deb, false},
		{" upstream ", Upstream, false},
		{"semver", "", true},
		{"", "", true},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseScheme(tc.in)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("ParseScheme(%q) = %q, %v; want %q, error %v", tc.in, got, err, tc.want, tc.wantErr)
			}
		})
	}
}

// TestCompare pins cases that matter to upkeep's findings, with real
// installed versions; the peer vectors cover the corners.
func TestCompare(t *testing.T) {
	for _, tc := range []struct {
		name   string
		scheme Scheme
		a, b   string
		want   int
	}{
		{"rpm epoch beats version", RPM, "1:1.20.0-2.amzn2.0.5", "1.24.0-1.amzn2023", 1},
		{"rpm amzn release", RPM, "1.0.2k-24.amzn2.0.11", "1.0.2k-24.amzn2.0.7", 1},
		{"rpm letters are not patch levels", RPM, "1.0.2k", "1.0.2", 1},
		{"rpm rc sorts after release", RPM, "3.13.0rc1", "3.13.0", 1},
		{"rpm tilde pre-release", RPM, "1.0~rc1-1", "1.0-1", -1},
		{"rpm caret post-release", RPM, "1.0^git1-1", "1.0-1", 1},
		{"rpm zero epoch", RPM, "0:2.4.57-1.amzn2", "2.4.57-1.amzn2", 0},
		{"rpm unknown scheme is rpm", "", "2.0", "10.0", -1},
		{"deb ubuntu security update", Deb, "1.1.1f-1ubuntu2.23", "1.1.1f-1ubuntu2.16", 1},
		{"deb epoch", Deb, "2:8.0.36-0ubuntu0.22.04.1", "8.0.40-0ubuntu0.22.04.1", 1},
		{"deb security suffix", Deb, "7.4.33-1+deb11u5", "7.4.33-1", 1},
		{"deb tilde", Deb, "2.4.57~rc1-1", "2.4.57-1", -1},
		{"deb embedded space read up to the space", Deb, "1.0 junk", "1.0", 0},
		{"upstream openssl letters", Upstream, "1.0.2k", "1.0.2", 1},
		{"upstream openssl long run", Upstream, "0.9.8za", "0.9.8z", 1},
		{"upstream java legacy", Upstream, "1.8.0_402", "11.0.22", -1},
		{"upstream node v", Upstream, "v18.19.0", "18.19.0", 0},
		{"upstream php RC", Upstream, "8.3.0RC6", "8.3.0", -1},
		{"upstream dev before alpha", Upstream, "8.4.0-dev", "8.4.0alpha1", -1},
		{"upstream build metadata ignored", Upstream, "11.0.22+7", "11.0.22", 0},
		{"upstream other suffix after release", Upstream, "2.4.57-1", "2.4.57", 1},
		{"upstream big numbers", Upstream, "1.99999999999999999999999", "1.100000000000000000000000", -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Compare(tc.scheme, tc.a, tc.b); got != tc.want {
				t.Errorf("Compare(%q, %q, %q) = %d, want %d", tc.scheme, tc.a, tc.b, got, tc.want)
			}
			if got := Compare(tc.scheme, tc.b, tc.a); got != -tc.want {
				t.Errorf("Compare(%q, %q, %q) = %d, want %d", tc.scheme, tc.b, tc.a, got, -tc.want)
			}
		})
	}
}

func TestUpstreamOf(t *testing.T) {
	for _, tc := range []struct {
		scheme    Scheme
		installed string
		want      string
	}{
		{RPM, "1:1.20.0-2.amzn2.0.5", "1.20.0"},
		{RPM, "1:1.8.0.432.b06-1.amzn2.0.1", "1.8.0.432.b06"},
		{RPM, "1.0.2k-24.amzn2.0.11", "1.0.2k"},
		{RPM, "2.4.57-1.amzn2", "2.4.57"},
		{RPM, "3.0.7-27.el9", "3.0.7"},
		{RPM, "8.0.36", "8.0.36"},
		{Deb, "1.18.0-6ubuntu14.4", "1.18.0"},
		{Deb, "7.4.33-1+deb11u5", "7.4.33"},
		{Deb, "2:8.0.36-0ubuntu0.22.04.1", "8.0.36"},
		{Deb, "1:10.5.23-0+deb11u1", "10.5.23"},
		{Deb, "10.5.23-0+deb11u1", "10.5.23"},
		{Deb, "1.1.1f-1ubuntu2.23", "1.1.1f"},
		{Deb, "3.0.2+dfsg-1", "3.0.2"},
		{Deb, "5:7.0.15-1~deb12u1", "7.0.15"},
		{Deb, "2.0+really1.9-1", "1.9"},
		{Deb, "1.22.1", "1.22.1"},
		{Upstream, " v18.19.0\n", "v18.19.0"},
	} {
		t.Run(string(tc.scheme)+" "+tc.installed, func(t *testing.T) {
			if got := UpstreamOf(tc.scheme, tc.installed); got != tc.want {
				t.Errorf("UpstreamOf(%s, %q) = %q, want %q", tc.scheme, tc.installed, got, tc.want)
			}
		})
	}
}

func TestCycle(t *testing.T) {
	for _, tc := range []struct {
		in    string
		parts int
		want  string
	}{
		{"1.20.0", 2, "1.20"},
		{"1.0.2k", 3, "1.0.2"},
		{"1.0.2k", 2, "1.0"},
		{"v18.19.0", 1, "18"},
		{"8.0.36", 2, "8.0"},
		{"8.3.0RC6", 2, "8.3"},
		{"3.13.0b1", 2, "3.13"},
		{"1.8.0_402", 1, "8"},
		{"11.0.22", 1, "11"},
		{"16", 2, "16"},
		{"10.23", 1, "10"},
		{"1.8.0.432.b06", 2, "1.8"},
		{"nginx", 1, ""},
		{"1.2.3", 0, ""},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := Cycle(tc.in, tc.parts); got != tc.want {
				t.Errorf("Cycle(%q, %d) = %q, want %q", tc.in, tc.parts, got, tc.want)
			}
		})
	}
}

// TestUpstreamAgreesWithGoVersion uses hashicorp/go-version as the reference
// where it is right: plain dotted numbers, with or without a leading 'v'.
func TestUpstreamAgreesWithGoVersion(t *testing.T) {
	vs := []string{"1", "1.0", "1.0.0", "v1.2", "1.10.3", "1.9.15", "8.5.100", "8.5.99",
		"10.23", "9.6.24", "17", "17.0.0", "17.0.10", "v18.19.0", "18.20.4", "2.4.58", "2.4.6",
		"0.9.8", "3.0.13", "1.2.3.4", "1.2.3.10", "00.1", "20.11.1"}
	for _, a := range vs {
		for _, b := range vs {
			ga, err := goversion.NewVersion(a)
			if err != nil {
				t.Fatalf("go-version rejects %q: %v", a, err)
			}
			gb, err := goversion.NewVersion(b)
			if err != nil {
				t.Fatalf("go-version rejects %q: %v", b, err)
			}
			if got, want := Compare(Upstream, a, b), ga.Compare(gb); got != want {
				t.Errorf("%s: got %d, go-version says %d", describe(Upstream, a, b), got, want)
			}
		}
	}
}
