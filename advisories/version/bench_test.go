package version

import (
	"testing"

	goversion "github.com/hashicorp/go-version"
)

// BenchmarkCompare measures one comparison per scheme over the peer vectors
// (real and corner-case strings), cycling through them.
func BenchmarkCompare(b *testing.B) {
	for _, tc := range []struct {
		scheme Scheme
		file   string
	}{
		{RPM, "rpm-vercmp.tsv"},
		{Deb, "deb-vercmp.tsv"},
		{Upstream, "upstream-versions.tsv"},
	} {
		vs := readVectors(b, tc.file)
		b.Run(string(tc.scheme), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				v := vs[i%len(vs)]
				Compare(tc.scheme, v.a, v.b)
			}
		})
	}
}

// BenchmarkGoVersion is the cost of comparing the same upstream pairs with
// hashicorp/go-version's Core(), for the choice made in upstream.go. Pairs it
// rejects ("1.8.0_402") are left out.
func BenchmarkGoVersion(b *testing.B) {
	var pairs [][2]string
	for _, v := range readVectors(b, "upstream-versions.tsv") {
		_, ea := goversion.NewVersion(v.a)
		_, eb := goversion.NewVersion(v.b)
		if ea == nil && eb == nil {
			pairs = append(pairs, [2]string{v.a, v.b})
		}
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := pairs[i%len(pairs)]
		va, _ := goversion.NewVersion(p[0])
		vb, _ := goversion.NewVersion(p[1])
		va.Core().Compare(vb.Core())
	}
}
