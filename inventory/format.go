package inventory

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// FormatVersion is the collector output format this package writes
// (docs/collector-format.md). Parse also reads every version from
// minFormatVersion on: saved outputs and the demo fleet outlive a release.
const (
	FormatVersion    = 3
	minFormatVersion = 1
)

// gzipFrameVersion is the version of the compressed form's framing, which
// has not changed; the plain form inside carries the format version.
const gzipFrameVersion = 1

// Framing lines of the plain and compressed forms.
const (
	headerPrefix    = "#upkeep-collector "
	trailerPrefix   = "#upkeep-end "
	gzipPrefix      = "#upkeep-gzip "
	gzipEnd         = "#upkeep-gzip-end"
	framePrefix     = "#upkeep-"
	collectedLayout = "2006-01-02T15:04:05Z"
)

// MaxOutput bounds a collector output, plain or decompressed: a host with
// 20,000 packages prints about 2 MiB, so anything larger is damage or
// hostility, and refusing it early keeps one host from taking the
// importer's memory and minutes (a 116 MB output once took 7.6 GB).
const MaxOutput = 16 << 20

// ErrTooLarge means an output, or what its compressed form expands to, is
// over MaxOutput.
var ErrTooLarge = errors.New("collector output is too large")

// tooBig names the limit and what to do; size is what was over it.
func tooBig(line int, size string) error {
	return &ParseError{Line: line, Err: ErrTooLarge, Msg: fmt.Sprintf(
		"%s is over the %d MiB limit of one host's collector output (a real host prints under 2 MiB): check that the file is one collector output, not several joined or something else",
		size, MaxOutput>>20)}
}

// Sentinel errors of Parse; a *ParseError wraps one of them when it applies.
var (
	// ErrTruncated means the output stops before its trailer: the transport
	// cut it (SSM keeps 24,000 characters) or the collector was killed.
	ErrTruncated = errors.New("collector output is truncated")
	// ErrUnknownFormat means no collector header, or a format version this
	// build does not know.
	ErrUnknownFormat = errors.New("not a known collector output format")
	// ErrChecksum means the trailer does not match the records: the output was
	// damaged, or something was added after it.
	ErrChecksum = errors.New("collector output does not match its checksum")
)

// ParseError is a problem at one line of a collector output. Line counts from
// 1 at the first byte given to Parse; for the compressed form it counts lines
// of the decompressed plain form.
type ParseError struct {
	Line int
	Msg  string
	Err  error // ErrTruncated, ErrUnknownFormat, ErrChecksum or nil
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("collector output line %d: %s", e.Line, e.Msg)
	}
	return "collector output: " + e.Msg
}

func (e *ParseError) Unwrap() error { return e.Err }

// Parse reads one collector output, plain or compressed. It is total: any
// input gives either a complete report or an error, never a partial report.
//
// A panic inside parsing is a bug, but one hostile host must not abort a
// whole fleet scan: Parse recovers it and returns it as a *ParseError, so
// every caller stores that host as unparsable with the reason and goes on.
func Parse(data []byte) (r *Report, err error) {
	defer func() {
		if p := recover(); p != nil {
			r, err = nil, &ParseError{Msg: fmt.Sprintf("parser failed on this output (%v): please report it with the output attached", p)}
		}
	}()
	return parseImpl(data)
}

// parseImpl is parse; tests swap it to check that Parse contains a panic.
var parseImpl = parse

func parse(data []byte) (*Report, error) {
	if len(data) > MaxOutput {
		// Callers may have read only MaxOutput+1 bytes, so no size is given.
		return nil, tooBig(0, "the output")
	}
	start, line, ok := findFrame(data)
	if !ok {
		if isCutFrame(data) {
			return nil, &ParseError{Msg: "output ends inside the collector header", Err: ErrTruncated}
		}
		return nil, &ParseError{Msg: "no '#upkeep-' header line found (is this a collector output?)", Err: ErrUnknownFormat}
	}
	rest := data[start:]
	if bytes.HasPrefix(rest, []byte(gzipPrefix)) {
		plain, err := decompress(rest, line)
		if err != nil {
			return nil, err
		}
		if !bytes.HasPrefix(plain, []byte(headerPrefix)) {
			return nil, &ParseError{Line: 1, Msg: "compressed form does not hold a plain collector output", Err: ErrUnknownFormat}
		}
		return parsePlain(plain, 1)
	}
	return parsePlain(rest, line)
}

// findFrame returns the offset and line number of the first line that starts
// with "#upkeep-"; whatever precedes it (a login banner) is ignored.
func findFrame(data []byte) (offset, line int, ok bool) {
	line = 1
	for off := 0; off < len(data); line++ {
		if bytes.HasPrefix(data[off:], []byte(framePrefix)) {
			return off, line, true
		}
		nl := bytes.IndexByte(data[off:], '\n')
		if nl < 0 {
			break
		}
		off += nl + 1
	}
	return 0, 0, false
}

// isCutFrame reports whether data ends with a partial line that a header
// would start with, as an output cut after a few bytes does.
func isCutFrame(data []byte) bool {
	last := data[bytes.LastIndexByte(data, '\n')+1:]
	if len(last) == 0 {
		return false
	}
	return strings.HasPrefix(headerPrefix, string(last)) || strings.HasPrefix(gzipPrefix, string(last))
}

// splitLines splits data into lines without their '\n' and reports whether
// the last line was terminated.
func splitLines(data []byte) (lines [][]byte, terminated bool) {
	if len(data) == 0 {
		return nil, true
	}
	lines = bytes.Split(data, []byte{'\n'})
	if len(lines[len(lines)-1]) == 0 {
		return lines[:len(lines)-1], true
	}
	return lines, false
}

// parseVersionLine reads "<prefix><n>" and returns n if it is a version
// from lo to hi.
func parseVersionLine(l []byte, prefix string, line, lo, hi int) (int, error) {
	// The caller may have trimmed white space off the line, so it can be
	// shorter than the prefix it was found by ("#upkeep-gzip \n").
	rest, ok := bytes.CutPrefix(l, []byte(prefix))
	v, err := strconv.Atoi(string(rest))
	if !ok || err != nil {
		return 0, &ParseError{Line: line, Msg: fmt.Sprintf("bad header %q", clip(l)), Err: ErrUnknownFormat}
	}
	if v < lo || v > hi {
		return 0, &ParseError{Line: line, Msg: fmt.Sprintf("unknown collector format version %d: upgrade upkeep", v), Err: ErrUnknownFormat}
	}
	return v, nil
}

// parsePlain reads a plain form that starts at data[0]; first is the line
// number of data[0] in the caller's input.
func parsePlain(data []byte, first int) (*Report, error) {
	lines, terminated := splitLines(data)
	if len(lines) == 0 || len(lines) == 1 && !terminated {
		return nil, &ParseError{Line: first, Msg: "output ends inside the header", Err: ErrTruncated}
	}
	if !bytes.HasPrefix(lines[0], []byte(headerPrefix)) {
		return nil, &ParseError{Line: first, Msg: fmt.Sprintf("unknown header %q", clip(lines[0])), Err: ErrUnknownFormat}
	}
	if bytes.HasSuffix(lines[0], []byte{'\r'}) {
		// The checksum covers every byte, so CRLF cannot be read past; the
		// collector never prints a carriage return, so stripping them is safe.
		return nil, &ParseError{Line: first, Msg: "CRLF line ends (the file went through a Windows tool?): convert it with dos2unix or tr -d '\\r', then import it again", Err: ErrUnknownFormat}
	}
	version, err := parseVersionLine(lines[0], headerPrefix, first, minFormatVersion, FormatVersion)
	if err != nil {
		return nil, err
	}
	end := -1
	for i := 1; i < len(lines); i++ {
		if bytes.HasPrefix(lines[i], []byte(trailerPrefix)) {
			end = i
			break
		}
	}
	if end < 0 {
		return nil, &ParseError{Line: first + len(lines) - 1, Msg: "no trailer: output was cut short", Err: ErrTruncated}
	}
	// Blank lines and white space after the trailer are tolerated: a
	// transport may add or strip a final newline. Anything else is damage.
	last := len(lines) - 1
	for last > end && len(bytes.TrimSpace(lines[last])) == 0 {
		last--
	}
	if end != last {
		return nil, &ParseError{Line: first + end + 1, Msg: "text after the trailer", Err: ErrChecksum}
	}
	records := lines[1:end]
	if err := checkTrailer(lines[end], records, first+end); err != nil {
		if end == len(lines)-1 && !terminated {
			// An unterminated trailer that does not add up was cut inside.
			return nil, &ParseError{Line: first + end, Msg: "output ends inside the trailer: cut short", Err: ErrTruncated}
		}
		return nil, err
	}
	r := &Report{Format: version}
	for i, rec := range records {
		if err := parseRecord(r, rec, version); err != nil {
			return nil, &ParseError{Line: first + 1 + i, Msg: err.Error()}
		}
	}
	r.sort()
	return r, nil
}

// checkTrailer compares "#upkeep-end <records> <crc> <bytes>" with records.
func checkTrailer(trailer []byte, records [][]byte, line int) error {
	f := strings.Split(strings.TrimRight(string(trailer[len(trailerPrefix):]), " \t\r"), " ")
	if len(f) != 3 {
		return &ParseError{Line: line, Msg: fmt.Sprintf("bad trailer %q", clip(trailer)), Err: ErrChecksum}
	}
	count, err1 := strconv.Atoi(f[0])
	crc, err2 := strconv.ParseUint(f[1], 10, 32)
	size, err3 := strconv.ParseInt(f[2], 10, 64)
	if err := errors.Join(err1, err2, err3); err != nil {
		return &ParseError{Line: line, Msg: fmt.Sprintf("bad trailer %q", clip(trailer)), Err: ErrChecksum}
	}
	if count != len(records) {
		return &ParseError{Line: line, Msg: fmt.Sprintf("trailer counts %d records, output has %d", count, len(records)), Err: ErrChecksum}
	}
	gotCRC, gotSize := Cksum(joinLines(records))
	if uint32(crc) != gotCRC || size != gotSize {
		return &ParseError{Line: line, Msg: fmt.Sprintf("trailer checksum %d %d, records sum to %d %d", crc, size, gotCRC, gotSize), Err: ErrChecksum}
	}
	return nil
}

// joinLines rebuilds the summed bytes: every record followed by '\n'.
func joinLines(lines [][]byte) []byte {
	n := 0
	for _, l := range lines {
		n += len(l) + 1
	}
	b := make([]byte, 0, n)
	for _, l := range lines {
		b = append(append(b, l...), '\n')
	}
	return b
}

// recordWidth is the number of TAB-separated fields of a record type in a
// format version, the type included; 0 for a type that version does not
// know. Version 2 added a field to R (module), D (component) and L
// (executable and its package), and the U record; version 3 the Y record.
func recordWidth(typ string, version int) int {
	v2 := 0
	if version >= 2 {
		v2 = 1
	}
	if typ == "Y" && version >= 3 {
		return 8
	}
	switch typ {
	case "W":
		return 2
	case "H", "O", "S", "T":
		return 3
	case "B":
		return 5
	case "D":
		return 5 + v2
	case "L":
		return 5 + 2*v2
	case "R":
		return 7 + v2
	case "U":
		return 5 * v2
	}
	return 0
}

func parseRecord(r *Report, rec []byte, version int) error {
	f := strings.Split(string(rec), "\t")
	want := recordWidth(f[0], version)
	if want == 0 {
		return fmt.Errorf("unknown record type %q", clip([]byte(f[0])))
	}
	if len(f) != want {
		return fmt.Errorf("%s record has %d fields, want %d", f[0], len(f), want)
	}
	for i := 1; i < len(f); i++ {
		if j := strings.IndexFunc(f[i], isControl); j >= 0 {
			return fmt.Errorf("%s record field %d holds control character %q", f[0], i, f[i][j])
		}
		// Hosts print bytes; the report holds text. Invalid UTF-8 (a Latin-1
		// vendor string) becomes U+FFFD rather than losing the host.
		f[i] = strings.ToValidUTF8(f[i], "\uFFFD")
	}
	switch f[0][0] {
	case 'H':
		return parseFact(&r.Facts, f[1], f[2])
	case 'O':
		parseOSRelease(&r.Facts.OS, f[1], f[2])
	case 'R':
		p, err := parseRPM(f[1:])
		if err != nil {
			return err
		}
		r.Packages = append(r.Packages, p)
	case 'D':
		if f[1] == "" || f[2] == "" {
			return errors.New("D record without name or version")
		}
		p := Package{Manager: "dpkg", Name: f[1], Version: f[2], Arch: f[3], Status: f[4]}
		if len(f) > 5 {
			p.Component = f[5]
		}
		r.Packages = append(r.Packages, p)
	case 'U':
		s, err := parseSupport(f[1:])
		if err != nil {
			return err
		}
		r.Support = append(r.Support, s)
	case 'Y':
		l, err := parseListing(f[1:])
		if err != nil {
			return err
		}
		r.Listings = append(r.Listings, l)
	case 'B':
		if f[1] == "" || !strings.HasPrefix(f[2], "/") {
			return fmt.Errorf("B record needs a name and an absolute path, got %q %q", f[1], f[2])
		}
		r.Probes = append(r.Probes, Probe{Name: f[1], Path: f[2], Owner: f[3], Output: f[4], Version: ProbeVersion(f[4])})
	case 'S':
		if f[1] == "" {
			return errors.New("S record without unit")
		}
		r.Services = append(r.Services, Service{Unit: f[1], State: f[2]})
	case 'L':
		l, err := parseListener(f[1:])
		if err != nil {
			return err
		}
		r.Listeners = append(r.Listeners, l)
	case 'T':
		if f[1] == "" {
			return errors.New("T record without key")
		}
		if r.Tags == nil {
			r.Tags = map[string]string{}
		}
		r.Tags[f[1]] = f[2]
	case 'W':
		r.Warnings = append(r.Warnings, f[1])
	}
	return nil
}

func isControl(c rune) bool { return c < 0x20 || c == 0x7f }

func parseFact(facts *Facts, key, value string) error {
	switch key {
	case "hostname":
		facts.Hostname = value
	case "kernel":
		facts.Kernel = value
	case "arch":
		facts.Arch = value
	case "machine_id":
		facts.MachineID = value
	case "uptime":
		s, err := strconv.ParseInt(value, 10, 64)
		if err != nil || s < 0 || s > int64(1<<63-1)/int64(time.Second) {
			return fmt.Errorf("uptime %q is not a number of seconds", value)
		}
		facts.Uptime = time.Duration(s) * time.Second
	case "collected_at":
		t, err := time.Parse(collectedLayout, value)
		if err != nil {
			return fmt.Errorf("collected_at %q is not YYYY-MM-DDTHH:MM:SSZ", value)
		}
		facts.CollectedAt = t
	default:
		// Facts this version does not use are skipped, so the collector can
		// add one without breaking older parsers.
	}
	return nil
}

// ParseOSRelease reads the fields upkeep keeps from an /etc/os-release
// file: KEY=value lines, quotes removed, everything else ignored.
func ParseOSRelease(data []byte) OSRelease {
	var os OSRelease
	for _, line := range strings.Split(string(data), "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if ok {
			parseOSRelease(&os, k, strings.Trim(v, `"'`))
		}
	}
	return os
}

func parseOSRelease(os *OSRelease, key, value string) {
	switch key {
	case "ID":
		os.ID = value
	case "VERSION_ID":
		os.VersionID = value
	case "NAME":
		os.Name = value
	case "PRETTY_NAME":
		os.PrettyName = value
	case "ID_LIKE":
		os.IDLike = value
	}
}

// rpmNone turns rpm's "(none)" for an unset tag into "".
func rpmNone(s string) string {
	if s == "(none)" {
		return ""
	}
	return s
}

func parseRPM(f []string) (Package, error) {
	p := Package{Manager: "rpm", Name: f[0], Epoch: rpmNone(f[1]), Version: f[2], Release: f[3], Arch: rpmNone(f[4]), Vendor: rpmNone(f[5])}
	if len(f) > 6 {
		p.Module = rpmNone(f[6])
	}
	if p.Name == "" || p.Version == "" {
		return p, errors.New("R record without name or version")
	}
	if p.Epoch != "" {
		if _, err := strconv.ParseUint(p.Epoch, 10, 32); err != nil {
			return p, fmt.Errorf("rpm epoch %q of %s is not a number", p.Epoch, p.Name)
		}
	}
	return p, nil
}

func parseListener(f []string) (Listener, error) {
	l := Listener{Proto: f[0], Addr: f[1], Process: f[3]}
	if l.Proto != "tcp" && l.Proto != "tcp6" {
		return l, fmt.Errorf("listener protocol %q is not tcp or tcp6", l.Proto)
	}
	if len(f) > 4 {
		l.Exe, l.Owner = f[4], f[5]
		if l.Exe != "" && !strings.HasPrefix(l.Exe, "/") {
			return l, fmt.Errorf("listener executable %q is not an absolute path", clip([]byte(l.Exe)))
		}
	}
	port, err := strconv.Atoi(f[2])
	if err != nil || port < 0 || port > 65535 || strconv.Itoa(port) != f[2] {
		return l, fmt.Errorf("listener port %q is not 0-65535", f[2])
	}
	l.Port = port
	// The /proc/net/tcp6 fallback prints full-length addresses; one spelling
	// per address keeps listeners comparable between hosts and scans.
	if a, err := netip.ParseAddr(l.Addr); err == nil && a.Zone() == "" {
		l.Addr = a.String()
	}
	return l, nil
}

// parseSupport reads a U record: package, level, the day support ends and
// where the statement came from.
func parseSupport(f []string) (SupportStatement, error) {
	s := SupportStatement{Package: f[0], Level: f[1], Ends: f[2], Source: f[3]}
	if s.Package == "" || s.Level == "" {
		return s, errors.New("U record without package or support level")
	}
	if s.Ends != "" {
		if _, err := time.Parse(time.DateOnly, s.Ends); err != nil {
			return s, fmt.Errorf("support end %q of %s is not YYYY-MM-DD", clip([]byte(s.Ends)), s.Package)
		}
	}
	return s, nil
}

// parseListing reads a Y record: package, source package, list, kind,
// last supported version, end day and note.
func parseListing(f []string) (SecurityListing, error) {
	l := SecurityListing{Package: f[0], Source: f[1], List: f[2], Kind: f[3], Version: f[4], Ends: f[5], Note: f[6]}
	if err := l.check(); err != nil {
		return l, err
	}
	return l, nil
}

// check is what a Y record must satisfy, for Parse and Encode alike.
func (l SecurityListing) check() error {
	if l.Package == "" || l.Source == "" || l.List == "" {
		return fmt.Errorf("Y record needs a package, its source package and a list, got %q %q %q", clip([]byte(l.Package)), clip([]byte(l.Source)), clip([]byte(l.List)))
	}
	if l.Kind != ListingEnded && l.Kind != ListingLimited {
		return fmt.Errorf("Y record kind %q of %s is not ended or limited", clip([]byte(l.Kind)), l.Package)
	}
	if l.Ends != "" {
		if _, err := time.Parse(time.DateOnly, l.Ends); err != nil {
			return fmt.Errorf("Y record end %q of %s is not YYYY-MM-DD", clip([]byte(l.Ends)), l.Package)
		}
	}
	return nil
}

// clip shortens a line for an error message.
func clip(b []byte) string {
	const max = 60
	if len(b) > max {
		return strings.ToValidUTF8(string(b[:max]), "?") + "..."
	}
	return strings.ToValidUTF8(string(b), "?")
}
