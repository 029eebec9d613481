package inventory

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// sampleReport has one of every record type, with the awkward values: rpm
// "(none)", a dpkg epoch, an unowned probe, a tcp6 listener.
func sampleReport() *Report {
	return &Report{
		Format: FormatVersion,
		Facts: Facts{
			Hostname: "web-1", Kernel: "4.14.355-277.643.amzn2.x86_64", Arch: "x86_64",
			Uptime: 8640000 * time.Second, CollectedAt: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC),
			MachineID: "ec2a1b2c3d4e5f60718293a4b5c6d7e8",
			OS:        OSRelease{ID: "amzn", VersionID: "2", Name: "Amazon Linux", PrettyName: "Amazon Linux 2", IDLike: "centos rhel fedora"},
		},
		Packages: []Package{
			{Manager: "dpkg", Name: "libc6", Version: "1:2.36-9+deb12u4", Arch: "amd64", Status: "ii", Component: "main"},
			{Manager: "dpkg", Name: "rc-only", Version: "1.0-1", Arch: "amd64", Status: "rc"},
			{Manager: "rpm", Name: "gpg-pubkey", Version: "c87f5b1a", Release: "593863f8"},
			{Manager: "rpm", Name: "nodejs", Epoch: "1", Version: "18.20.2", Release: "1.module+el8.10.0+21418+28a2bca0", Arch: "x86_64",
				Vendor: "Red Hat, Inc.", Module: "nodejs:18:8100020240314064424:a75119d5"},
			{Manager: "rpm", Name: "openssl", Epoch: "1", Version: "1.0.2k", Release: "24.amzn2.0.11", Arch: "x86_64", Vendor: "Amazon Linux"},
		},
		Probes: []Probe{
			{Name: "nginx", Path: "/usr/local/nginx/sbin/nginx", Output: "nginx version: nginx/1.10.3", Version: "1.10.3"},
			{Name: "openssl", Path: "/usr/bin/openssl", Owner: "openssl", Output: "OpenSSL 1.0.2k-fips  26 Jan 2017", Version: "1.0.2k"},
		},
		Services: []Service{{Unit: "nginx.service", State: "running"}},
		Listeners: []Listener{{Proto: "tcp", Addr: "0.0.0.0", Port: 443, Process: "nginx", Exe: "/usr/sbin/nginx", Owner: "nginx"},
			{Proto: "tcp", Addr: "127.0.0.1", Port: 8080, Process: "java", Exe: "/opt/app/jdk/bin/java (deleted)"},
			{Proto: "tcp6", Addr: "::", Port: 22}},
		Support: []SupportStatement{{Package: "nginx", Level: "supported", Ends: "2028-03-15", Source: "dnf supportinfo"},
			{Package: "php8.1", Level: "supported", Ends: "2024-11-25", Source: "dnf supportinfo"}},
		Listings: []SecurityListing{
			{Package: "binutils", Source: "binutils", List: "security-support-limited", Kind: ListingLimited, Note: "Only suitable for trusted content"},
			{Package: "libmbedtls14", Source: "mbedtls", List: "security-support-ended.deb12", Kind: ListingEnded,
				Version: "2.16.9-0.1+deb11u4", Ends: "2026-06-12", Note: "Crypto library difficult to support in the long term"},
		},
		Tags:     map[string]string{"Env": "prod", "Role": "web"},
		Warnings: []string{"ss not found; listening sockets read from /proc/net/tcp"},
	}
}

func encodePlain(t testing.TB, r *Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Encode(&b, r); err != nil {
		t.Fatalf("Encode: %v", err)
	}
	return b.Bytes()
}

func encodeGzip(t testing.TB, r *Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := EncodeCompressed(&b, r); err != nil {
		t.Fatalf("EncodeCompressed: %v", err)
	}
	return b.Bytes()
}

func TestRoundTrip(t *testing.T) {
	want := sampleReport()
	for name, enc := range map[string][]byte{"plain": encodePlain(t, want), "compressed": encodeGzip(t, want)} {
		t.Run(name, func(t *testing.T) {
			got, err := Parse(enc)
			if err != nil {
				t.Fatalf("Parse: %v\n%s", err, enc)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("round trip differs:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

// TestParseCompressedCRLF: the compressed form ignores white space at the
// end of every line, its header too, so an output saved with CRLF line ends
// (a Windows editor, a copy from a console) parses.
func TestParseCompressedCRLF(t *testing.T) {
	want := sampleReport()
	crlf := bytes.ReplaceAll(encodeGzip(t, want), []byte("\n"), []byte("\r\n"))
	got, err := Parse(crlf)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CRLF compressed form differs:\n got %+v\nwant %+v", got, want)
	}
}

// TestParsePlainCRLF: the plain form is checksummed byte for byte, so CRLF
// is refused, with an error that says how to convert the file.
func TestParsePlainCRLF(t *testing.T) {
	crlf := bytes.ReplaceAll(encodePlain(t, sampleReport()), []byte("\n"), []byte("\r\n"))
	_, err := Parse(crlf)
	if err == nil || !strings.Contains(err.Error(), "CRLF line ends") || !strings.Contains(err.Error(), "dos2unix") {
		t.Fatalf("Parse(CRLF plain form) = %v, want the CRLF error", err)
	}
}

func TestEncodeDeterministic(t *testing.T) {
	a := sampleReport()
	b := sampleReport()
	// Same content, other order: the bytes must not change.
	b.Packages[0], b.Packages[2] = b.Packages[2], b.Packages[0]
	b.Listeners[0], b.Listeners[1] = b.Listeners[1], b.Listeners[0]
	if pa, pb := encodePlain(t, a), encodePlain(t, b); !bytes.Equal(pa, pb) {
		t.Errorf("encodings differ:\n%s\n%s", pa, pb)
	}
	if ga, gb := encodeGzip(t, a), encodeGzip(t, b); !bytes.Equal(ga, gb) {
		t.Error("compressed encodings differ")
	}
}

// frame wraps record lines in a format 1 header and a correct trailer;
// frame2 does the same for format 2.
func frame(records string) string { return frameVersion(1, records) }

func frame2(records string) string { return frameVersion(2, records) }

func frameVersion(v int, records string) string {
	crc, n := Cksum([]byte(records))
	return fmt.Sprintf("#upkeep-collector %d\n%s#upkeep-end %d %d %d\n", v, records, strings.Count(records, "\n"), crc, n)
}

func TestParseFields(t *testing.T) {
	in := "Last login: Mon Nov 23 from 10.0.0.1\r\n" + frame("R\tgpg-pubkey\t(none)\tc87f5b1a\t593863f8\t(none)\t(none)\n"+
		"R\tbind-license\t32\t9.9.4\t73.el7_6\tnoarch\tCentOS\n"+
		"D\tadduser\t3.134\tall\tii\n"+
		"L\ttcp6\t0000:0000:0000:0000:0000:0000:0000:0001\t8080\tjava\n"+
		"B\tjava\t/opt/jdk/bin/java\t\topenjdk version \"1.8.0_402\"\n"+
		"H\tfuture_fact\tignored\n"+
		"O\tID\tamzn\nO\tID\tubuntu\n"+
		"R\tvendorless\t(none)\t1.0\t1\tx86_64\tCaf\xe9 Ltd\n")
	r, err := Parse([]byte(in))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := []Package{
		{Manager: "dpkg", Name: "adduser", Version: "3.134", Arch: "all", Status: "ii"},
		{Manager: "rpm", Name: "bind-license", Epoch: "32", Version: "9.9.4", Release: "73.el7_6", Arch: "noarch", Vendor: "CentOS"},
		{Manager: "rpm", Name: "gpg-pubkey", Version: "c87f5b1a", Release: "593863f8"},
		{Manager: "rpm", Name: "vendorless", Version: "1.0", Release: "1", Arch: "x86_64", Vendor: "Caf\uFFFD Ltd"},
	}
	if !reflect.DeepEqual(r.Packages, want) {
		t.Errorf("packages:\n got %+v\nwant %+v", r.Packages, want)
	}
	if got := r.Listeners[0].Addr; got != "::1" {
		t.Errorf("listener address %q, want ::1", got)
	}
	if got := r.Probes[0].Version; got != "1.8.0_402" {
		t.Errorf("probe version %q", got)
	}
	if r.Facts.OS.ID != "ubuntu" {
		t.Errorf("repeated O key: got %q, want the last one", r.Facts.OS.ID)
	}
}

func TestParseErrors(t *testing.T) {
	good := encodePlain(t, sampleReport())
	tests := []struct {
		name     string
		in       string
		sentinel error // nil: a *ParseError with no sentinel
		line     int   // 0: not checked
		msg      string
	}{
		{"empty", "", ErrUnknownFormat, 0, "no '#upkeep-' header"},
		{"garbage", "hello\nworld\n", ErrUnknownFormat, 0, "no '#upkeep-' header"},
		{"binary", "\x00\xff\xfe\n\x80", ErrUnknownFormat, 0, ""},
		{"cut header", "#upkeep-coll", ErrTruncated, 0, ""},
		{"header only", "#upkeep-collector 1\n", ErrTruncated, 0, "no trailer"},
		{"unknown version", "#upkeep-collector 4\nH\tx\ty\n", ErrUnknownFormat, 1, "version 4: upgrade upkeep"},
		{"Y record of v2", frame2("Y\tbinutils\tbinutils\tsecurity-support-limited\tlimited\t\t\tx\n"), nil, 2, "unknown record type"},
		{"Y record without source", frameVersion(3, "Y\tbinutils\t\tsecurity-support-limited\tlimited\t\t\tx\n"), nil, 2, "needs a package, its source package and a list"},
		{"Y record bad kind", frameVersion(3, "Y\tbinutils\tbinutils\tsecurity-support-limited\tpartial\t\t\tx\n"), nil, 2, "is not ended or limited"},
		{"Y record bad date", frameVersion(3, "Y\tlibmbedtls14\tmbedtls\tsecurity-support-ended.deb12\tended\t2.16.9-0.1+deb11u4\t2026-06-31\tx\n"), nil, 2, "not YYYY-MM-DD"},
		{"Y record short", frameVersion(3, "Y\tbinutils\tbinutils\tsecurity-support-limited\tlimited\n"), nil, 2, "Y record has 5 fields, want 8"},
		{"version 0", "#upkeep-collector 0\nH\tx\ty\n", ErrUnknownFormat, 1, "version 0: upgrade upkeep"},
		{"gzip frame version 2", "#upkeep-gzip 2\nabc\n#upkeep-gzip-end\n", ErrUnknownFormat, 1, "version 2"},
		{"v1 R record with a module", frame("R\tbash\t(none)\t4.2\t1\tx86_64\t(none)\tx:y:1:c\n"), nil, 2, "R record has 8 fields, want 7"},
		{"v1 U record", frame("U\tnginx\tsupported\t2028-03-15\tx\n"), nil, 2, "unknown record type"},
		{"v2 D record of v1", frame2("D\tbash\t5.2\tamd64\tii\n"), nil, 2, "D record has 5 fields, want 6"},
		{"v2 L record of v1", frame2("L\ttcp\t0.0.0.0\t80\tnginx\n"), nil, 2, "L record has 5 fields, want 7"},
		{"v2 relative exe", frame2("L\ttcp\t0.0.0.0\t80\tnginx\tnginx\t\n"), nil, 2, "not an absolute path"},
		{"v2 support without level", frame2("U\tnginx\t\t2028-03-15\tx\n"), nil, 2, "without package or support level"},
		{"v2 support bad date", frame2("U\tnginx\tsupported\t2028-02-30\tx\n"), nil, 2, "not YYYY-MM-DD"},
		{"unknown gzip version", "#upkeep-gzip 9\nabc\n#upkeep-gzip-end\n", ErrUnknownFormat, 1, "version 9"},
		{"other frame", "#upkeep-something 1\n", ErrUnknownFormat, 1, "unknown header"},
		{"trailer cut", string(good[:len(good)-2]), ErrTruncated, 0, "inside the trailer"},
		{"bad count", frameWith("H\ta\tb\n", 2), ErrChecksum, 3, "counts 2 records"},
		{"bad crc", strings.Replace(frame("H\thostname\tweb-1\n"), "web-1", "web-2", 1), ErrChecksum, 3, "checksum"},
		{"after trailer", string(good) + "extra\n", ErrChecksum, 0, "after the trailer"},
		{"unknown type", frame("X\ta\n"), nil, 2, "unknown record type"},
		{"field count", frame("R\tbash\t(none)\t4.2\n"), nil, 2, "R record has 4 fields, want 7"},
		{"v2 field count", frame2("R\tbash\t(none)\t4.2\n"), nil, 2, "R record has 4 fields, want 8"},
		{"bad epoch", frame("R\tbash\tone\t4.2\t1\tx86_64\t(none)\n"), nil, 2, "epoch"},
		{"bad port", frame("L\ttcp\t0.0.0.0\t70000\t\n"), nil, 2, "port"},
		{"bad proto", frame("L\tudp\t0.0.0.0\t53\t\n"), nil, 2, "protocol"},
		{"relative path", frame("B\tnginx\tnginx\t\tx\n"), nil, 2, "absolute path"},
		{"control char", frame("H\thostname\tweb\x01\n"), nil, 2, "control character"},
		{"carriage return", frame("H\thostname\tweb\r\n"), nil, 2, "control character"},
		{"bad uptime", frame("H\tuptime\t-5\n"), nil, 2, "uptime"},
		{"bad time", frame("H\tcollected_at\t2026-11-20 09:00\n"), nil, 2, "collected_at"},
		{"line after banner", "banner\n" + frame("Q\n"), nil, 3, "unknown record type"},
		{"bad base64", "#upkeep-gzip 1\n!!!!\n#upkeep-gzip-end\n", nil, 0, "base64"},
		{"not gzip", "#upkeep-gzip 1\naGVsbG8gd29ybGQsIHRoaXMgaXMgbm90IGd6aXA=\n#upkeep-gzip-end\n", nil, 0, "gzip"},
		// The 14-byte output that once sliced out of range and killed a scan.
		{"gzip header without version", "#upkeep-gzip \n", ErrUnknownFormat, 1, "bad header"},
		{"gzip header with spaces", "#upkeep-gzip   \r\nabc\n#upkeep-gzip-end\n", ErrUnknownFormat, 1, "bad header"},
		{"plain header without version", "#upkeep-collector \n#upkeep-end 0 4294967295 0\n", ErrUnknownFormat, 1, "bad header"},
		{"over the size limit", frame("W\t" + strings.Repeat("x", MaxOutput) + "\n"), ErrTooLarge, 0, "16 MiB limit"},
		{"huge line", frame("W\t" + strings.Repeat("x", 1<<20) + "\tx\n"), nil, 2, "W record has 3 fields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse([]byte(tt.in))
			if err == nil {
				t.Fatalf("Parse accepted it: %+v", r)
			}
			if r != nil {
				t.Errorf("Parse returned a report with its error")
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v (%T) is not a *ParseError", err, err)
			}
			for _, s := range []error{ErrTruncated, ErrUnknownFormat, ErrChecksum} {
				if errors.Is(err, s) != (s == tt.sentinel) {
					t.Errorf("errors.Is(%v, %v) = %v", err, s, errors.Is(err, s))
				}
			}
			if tt.line != 0 && pe.Line != tt.line {
				t.Errorf("line %d, want %d (%v)", pe.Line, tt.line, err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not say %q", err, tt.msg)
			}
		})
	}
}

func frameWith(records string, count int) string {
	crc, n := Cksum([]byte(records))
	return fmt.Sprintf("#upkeep-collector 1\n%s#upkeep-end %d %d %d\n", records, count, crc, n)
}

// TestParseEveryCut cuts valid outputs at every byte offset: no prefix may
// be accepted, and none may panic.
func TestParseEveryCut(t *testing.T) {
	r := sampleReport()
	outputs := map[string][]byte{"plain": encodePlain(t, r), "compressed": encodeGzip(t, r)}
	// Real collector outputs: one plain, one compressed.
	for _, name := range []string{"amazonlinux-2-container.out", "debian-12-ci.out"} {
		data, err := os.ReadFile("testdata/outputs/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Parse(data); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		outputs[name] = data
	}
	for name, full := range outputs {
		t.Run(name, func(t *testing.T) {
			// Without its final newline the output is whole: a transport may
			// strip it, so that one cut is accepted, and must parse the same.
			whole, err := Parse(full[:len(full)-1])
			if err != nil {
				t.Fatalf("output without its final newline rejected: %v", err)
			}
			if want, _ := Parse(full); !reflect.DeepEqual(whole, want) {
				t.Fatalf("output without its final newline parses differently")
			}
			for i := range len(full) - 1 {
				got, err := Parse(full[:i])
				if err == nil {
					t.Fatalf("cut at %d of %d accepted: %+v", i, len(full), got)
				}
				var pe *ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("cut at %d: error %v is not a *ParseError", i, err)
				}
				// Only the empty input may say "unknown format"; every other
				// prefix is recognisably a cut output.
				if i > 0 && !errors.Is(err, ErrTruncated) {
					t.Errorf("cut at %d: %v, want ErrTruncated", i, err)
				}
			}
		})
	}
}

// TestParseSeedCorpus parses every stored real output that is not meant to
// fail, so the fuzz seeds stay meaningful.
func TestParseSeedCorpus(t *testing.T) {
	dir := "testdata/outputs"
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Skipf("no stored outputs: %v", err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(dir + "/" + e.Name())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Parse(data); err != nil {
			t.Errorf("%s: %v", e.Name(), err)
		}
	}
}

// TestDocExample parses the example in docs/collector-format.md, so the
// contract's own example cannot go stale.
func TestDocExample(t *testing.T) {
	doc, err := os.ReadFile("../docs/collector-format.md")
	if err != nil {
		t.Fatal(err)
	}
	_, ex, ok := strings.Cut(string(doc), "## Example\n\n```\n")
	ex, _, ok2 := strings.Cut(ex, "```")
	if !ok || !ok2 {
		t.Fatal("no example block in the format doc")
	}
	r, err := Parse([]byte(ex))
	if err != nil {
		t.Fatalf("doc example: %v", err)
	}
	if len(r.Packages) != 2 || r.Probes[0].Version != "1.10.3" || r.Tags["Env"] != "prod" {
		t.Errorf("doc example read as %+v", r)
	}
}

// TestParseGzipBomb: a compressed form that inflates past MaxOutput is
// refused after inflating at most MaxOutput+1 bytes.
func TestParseGzipBomb(t *testing.T) {
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zeros := make([]byte, 1<<20)
	for range MaxOutput>>20 + 2 {
		zw.Write(zeros)
	}
	zw.Close()
	in := "#upkeep-gzip 1\n" + base64.StdEncoding.EncodeToString(zipped.Bytes()) + "\n#upkeep-gzip-end\n"
	if len(in) > 1<<20 {
		t.Fatalf("bomb is %d bytes, want it small", len(in))
	}
	_, err := Parse([]byte(in))
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "what the compressed form expands to is over the 16 MiB limit") {
		t.Fatalf("Parse(gzip bomb) = %v, want ErrTooLarge naming the limit", err)
	}
}

// TestParseContainsPanic: a panic inside parsing (a parser bug a hostile
// host found) comes back as a *ParseError carrying the panic, never as a
// crash of the whole scan.
func TestParseContainsPanic(t *testing.T) {
	saved := parseImpl
	t.Cleanup(func() { parseImpl = saved })
	parseImpl = func(data []byte) (*Report, error) {
		var s []byte
		_ = s[len(data)] // index out of range, as the old version-line bug did
		return nil, nil
	}
	r, err := Parse([]byte("#upkeep-gzip \n"))
	var pe *ParseError
	if r != nil || !errors.As(err, &pe) || !strings.Contains(err.Error(), "index out of range") {
		t.Fatalf("Parse = %v, %v; want a *ParseError naming the panic", r, err)
	}
}

// TestParseVersions: format 2 carries module, component, listener
// executable and owner, and support statements; format 1 outputs (saved
// files, the demo fleet) still parse, with those fields empty.
func TestParseVersions(t *testing.T) {
	v2 := frame2("R\tnodejs\t1\t18.20.2\t1.module+el8\tx86_64\tRed Hat, Inc.\tnodejs:18:8100020240314064424:a75119d5\n" +
		"R\tbash\t(none)\t4.4.20\t5.el8\tx86_64\tRed Hat, Inc.\t(none)\n" +
		"D\tpython3-yaml\t6.0-3build1\tamd64\tii\tuniverse\n" +
		"D\tlibc6\t2.35-0ubuntu3.8\tamd64\tii\t\n" +
		"L\ttcp\t0.0.0.0\t443\tnginx\t/usr/sbin/nginx\tnginx\n" +
		"L\ttcp\t0.0.0.0\t8080\tjava\t/opt/jdk/bin/java (deleted)\t\n" +
		"U\tnginx\tsupported\t2028-03-15\tdnf supportinfo\n" +
		"U\tkernel\tsupported\t\tdnf supportinfo\n")
	r, err := Parse([]byte(v2))
	if err != nil {
		t.Fatal(err)
	}
	want := &Report{Format: 2,
		Packages: []Package{
			{Manager: "dpkg", Name: "libc6", Version: "2.35-0ubuntu3.8", Arch: "amd64", Status: "ii"},
			{Manager: "dpkg", Name: "python3-yaml", Version: "6.0-3build1", Arch: "amd64", Status: "ii", Component: "universe"},
			{Manager: "rpm", Name: "bash", Version: "4.4.20", Release: "5.el8", Arch: "x86_64", Vendor: "Red Hat, Inc."},
			{Manager: "rpm", Name: "nodejs", Epoch: "1", Version: "18.20.2", Release: "1.module+el8", Arch: "x86_64", Vendor: "Red Hat, Inc.", Module: "nodejs:18:8100020240314064424:a75119d5"},
		},
		Listeners: []Listener{
			{Proto: "tcp", Addr: "0.0.0.0", Port: 443, Process: "nginx", Exe: "/usr/sbin/nginx", Owner: "nginx"},
			{Proto: "tcp", Addr: "0.0.0.0", Port: 8080, Process: "java", Exe: "/opt/jdk/bin/java (deleted)"},
		},
		Support: []SupportStatement{{Package: "kernel", Level: "supported", Source: "dnf supportinfo"},
			{Package: "nginx", Level: "supported", Ends: "2028-03-15", Source: "dnf supportinfo"}},
	}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("format 2:\n got %+v\nwant %+v", r, want)
	}

	// Format 2 has no Y records: a report that has some is not written as 2.
	r.Listings = []SecurityListing{{Package: "binutils", Source: "binutils", List: "security-support-limited", Kind: ListingLimited}}
	if err := Encode(io.Discard, r); err == nil || !strings.Contains(err.Error(), "format 2 has no debian-security-support listings") {
		t.Errorf("Encode of a format 2 report with listings: %v", err)
	}

	v1 := frame("D\tbash\t5.2\tamd64\tii\nR\tbash\t(none)\t4.2.46\t34.amzn2\tx86_64\tAmazon Linux\nL\ttcp\t0.0.0.0\t22\tsshd\n")
	r, err = Parse([]byte(v1))
	if err != nil {
		t.Fatal(err)
	}
	want = &Report{Format: 1,
		Packages:  []Package{{Manager: "dpkg", Name: "bash", Version: "5.2", Arch: "amd64", Status: "ii"}, {Manager: "rpm", Name: "bash", Version: "4.2.46", Release: "34.amzn2", Arch: "x86_64", Vendor: "Amazon Linux"}},
		Listeners: []Listener{{Proto: "tcp", Addr: "0.0.0.0", Port: 22, Process: "sshd"}},
	}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("format 1:\n got %+v\nwant %+v", r, want)
	}
	// A format 1 report encodes back to format 1; one with a field format 1
	// cannot hold is refused, not cut down.
	if got := string(encodePlain(t, r)); got != v1 {
		t.Errorf("format 1 report encodes as\n%s\nwant\n%s", got, v1)
	}
	for _, change := range []func(*Report){
		func(r *Report) { r.Packages[0].Component = "main" },
		func(r *Report) { r.Packages[1].Module = "x:y" },
		func(r *Report) { r.Listeners[0].Exe = "/usr/sbin/sshd" },
		func(r *Report) { r.Support = []SupportStatement{{Package: "bash", Level: "supported"}} },
	} {
		c := *r
		c.Packages = slices.Clone(r.Packages)
		c.Listeners = slices.Clone(r.Listeners)
		change(&c)
		if err := Encode(io.Discard, &c); err == nil || !strings.Contains(err.Error(), "format 1 has no") {
			t.Errorf("Encode of a format 1 report with a format 2 field: %v", err)
		}
	}
}
