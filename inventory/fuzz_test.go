package inventory

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"reflect"
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics, and that whatever it accepts
// survives a round trip: Encode then Parse gives the same report. The seed
// corpus in testdata/fuzz/FuzzParse holds real collector outputs (plain,
// compressed and cut) and every crasher found so far; run it long with
//
//	go test -run '^$' -fuzz=FuzzParse -fuzztime=10m -parallel 1 ./inventory/
func FuzzParse(f *testing.F) {
	r := sampleReport()
	f.Add(encodePlain(f, r))
	f.Add(encodeGzip(f, r))
	f.Add([]byte(frame("H\thostname\tx\n")))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Parse(data)
		if err != nil {
			if got != nil {
				t.Fatalf("report returned with error %v", err)
			}
			return
		}
		checkRoundTrip(t, got)
	})
}

// checkRoundTrip: an accepted report survives Encode and EncodeCompressed
// then Parse unchanged, and encoding it is deterministic.
func checkRoundTrip(t *testing.T, got *Report) {
	for _, enc := range []func(testing.TB, *Report) []byte{encodePlain, encodeGzip} {
		again, err := Parse(enc(t, got))
		if err != nil {
			t.Fatalf("re-encoded report does not parse: %v", err)
		}
		if !reflect.DeepEqual(again, got) {
			t.Fatalf("round trip differs:\n got %+v\nwant %+v", again, got)
		}
	}
	if !bytes.Equal(encodePlain(t, got), encodePlain(t, got)) {
		t.Fatal("Encode is not deterministic")
	}
}

// FuzzParseCompressed fuzzes what the compressed form holds: data is
// gzipped and wrapped as the collector does, so the fuzzer explores the
// plain parser behind the gzip path as well as the framing. The property
// is FuzzParse's.
//
//	go test -run '^$' -fuzz=FuzzParseCompressed -fuzztime=10m -parallel 1 ./inventory/
func FuzzParseCompressed(f *testing.F) {
	f.Add(encodePlain(f, sampleReport()))
	f.Add([]byte(frame("H\thostname\tx\n")))
	f.Add([]byte("#upkeep-gzip 1\n"))
	f.Fuzz(func(t *testing.T, plain []byte) {
		var zipped bytes.Buffer
		zw := gzip.NewWriter(&zipped)
		zw.Write(plain)
		zw.Close()
		in := "#upkeep-gzip 1\n" + base64.StdEncoding.EncodeToString(zipped.Bytes()) + "\n#upkeep-gzip-end\n"
		got, err := Parse([]byte(in))
		direct, derr := Parse(plain)
		if err != nil {
			if got != nil {
				t.Fatalf("report returned with error %v", err)
			}
			return
		}
		// What the compressed form accepts, the same bytes accept plain
		// (the compressed form allows no banner, so not the reverse).
		if derr != nil || !reflect.DeepEqual(got, direct) {
			t.Fatalf("compressed parse %+v, plain parse %+v, %v", got, direct, derr)
		}
		checkRoundTrip(t, got)
	})
}

// FuzzProbeVersion: the version taken from a probe's output never panics,
// and is a piece of that output.
//
//	go test -run '^$' -fuzz=FuzzProbeVersion -fuzztime=10m -parallel 1 ./inventory/
func FuzzProbeVersion(f *testing.F) {
	for _, s := range []string{"nginx version: nginx/1.10.3", `openjdk version "1.8.0_402"`, "v18.19.0",
		"OpenSSL 1.0.2k-fips  26 Jan 2017", `version "`, "v1.", "1.2_", "Server number:  9.0.85.0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, out string) {
		v := ProbeVersion(out)
		if !strings.Contains(out, v) {
			t.Fatalf("ProbeVersion(%q) = %q, not part of the output", out, v)
		}
	})
}

// FuzzParseOSRelease: any os-release file gives fields without line breaks,
// and never panics.
//
//	go test -run '^$' -fuzz=FuzzParseOSRelease -fuzztime=10m -parallel 1 ./inventory/
func FuzzParseOSRelease(f *testing.F) {
	f.Add([]byte("NAME=\"Amazon Linux\"\nVERSION_ID=\"2023\"\nID=amzn\nID_LIKE=\"fedora\"\nPRETTY_NAME=\"Amazon Linux 2023.6.20241212\"\n"))
	f.Add([]byte("ID='debian'\r\nVERSION_ID=\"12\"\r\n=\n\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		o := ParseOSRelease(data)
		for _, v := range []string{o.ID, o.VersionID, o.Name, o.PrettyName, o.IDLike} {
			if strings.ContainsAny(v, "\n") {
				t.Fatalf("field %q holds a line break", v)
			}
		}
	})
}
