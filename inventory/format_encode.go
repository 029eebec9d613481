package inventory

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// base64Width is the line width of GNU and busybox base64, which the
// collector uses; EncodeCompressed wraps the same way.
const base64Width = 76

// Encode writes r in the plain form of the collector format, in a fixed
// order, so the same report always gives the same bytes. It writes the
// format version r.Format names (0: the current one), so that a parsed
// report encodes back to what was read; a field that version cannot hold
// is an error, never dropped.
func Encode(w io.Writer, r *Report) error {
	version := r.Format
	if version == 0 {
		version = FormatVersion
	}
	if version < minFormatVersion || version > FormatVersion {
		return fmt.Errorf("encode: unknown collector format version %d", r.Format)
	}
	body, err := encodeRecords(r, version)
	if err != nil {
		return err
	}
	crc, n := Cksum(body)
	count := bytes.Count(body, []byte{'\n'})
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s%d\n", headerPrefix, version)
	b.Write(body)
	fmt.Fprintf(&b, "%s%d %d %d\n", trailerPrefix, count, crc, n)
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write collector output: %w", err)
	}
	return nil
}

// EncodeCompressed writes r in the compressed form: the plain form, gzipped,
// in base64 lines between the gzip header and end lines.
func EncodeCompressed(w io.Writer, r *Report) error {
	var plain, zipped bytes.Buffer
	if err := Encode(&plain, r); err != nil {
		return err
	}
	zw := gzip.NewWriter(&zipped)
	if _, err := zw.Write(plain.Bytes()); err != nil {
		return fmt.Errorf("compress collector output: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("compress collector output: %w", err)
	}
	enc := base64.StdEncoding.EncodeToString(zipped.Bytes())
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s%d\n", gzipPrefix, gzipFrameVersion)
	for len(enc) > 0 {
		n := min(base64Width, len(enc))
		b.WriteString(enc[:n])
		b.WriteByte('\n')
		enc = enc[n:]
	}
	b.WriteString(gzipEnd + "\n")
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write collector output: %w", err)
	}
	return nil
}

// sanitize does what the collector does to a value: TABs, newlines and other
// control characters become spaces, so a value never breaks its record.
func sanitize(s string) string {
	return strings.Map(func(c rune) rune {
		if isControl(c) {
			return ' '
		}
		return c
	}, s)
}

// orNone writes rpm's spelling of an unset tag.
func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// encodeRecords writes every record line of r, each ending in '\n'.
func encodeRecords(r *Report, version int) ([]byte, error) {
	v1 := version == 1
	var b bytes.Buffer
	rec := func(fields ...string) {
		for i, f := range fields {
			if i > 0 {
				b.WriteByte('\t')
				f = sanitize(f)
			}
			b.WriteString(f)
		}
		b.WriteByte('\n')
	}
	kv := func(typ, key, value string) {
		if value != "" {
			rec(typ, key, value)
		}
	}
	fa := r.Facts
	kv("H", "hostname", fa.Hostname)
	kv("H", "kernel", fa.Kernel)
	kv("H", "arch", fa.Arch)
	if fa.Uptime > 0 {
		rec("H", "uptime", strconv.FormatInt(int64(fa.Uptime/time.Second), 10))
	}
	if !fa.CollectedAt.IsZero() {
		rec("H", "collected_at", fa.CollectedAt.UTC().Format(collectedLayout))
	}
	kv("H", "machine_id", fa.MachineID)
	kv("O", "ID", fa.OS.ID)
	kv("O", "VERSION_ID", fa.OS.VersionID)
	kv("O", "NAME", fa.OS.Name)
	kv("O", "PRETTY_NAME", fa.OS.PrettyName)
	kv("O", "ID_LIKE", fa.OS.IDLike)

	s := r.sorted()
	for _, p := range s.Packages {
		if p.Name == "" || p.Version == "" {
			return nil, fmt.Errorf("encode package %q: name and version are required", p.Name)
		}
		switch p.Manager {
		case "rpm":
			if p.Epoch != "" {
				if _, err := strconv.ParseUint(p.Epoch, 10, 32); err != nil {
					return nil, fmt.Errorf("encode package %s: epoch %q is not a number", p.Name, p.Epoch)
				}
			}
			switch {
			case !v1:
				rec("R", p.Name, orNone(p.Epoch), p.Version, p.Release, orNone(p.Arch), orNone(p.Vendor), orNone(p.Module))
			case p.Module != "":
				return nil, fmt.Errorf("encode package %s: format 1 has no module field", p.Name)
			default:
				rec("R", p.Name, orNone(p.Epoch), p.Version, p.Release, orNone(p.Arch), orNone(p.Vendor))
			}
		case "dpkg":
			switch {
			case !v1:
				rec("D", p.Name, p.Version, p.Arch, p.Status, p.Component)
			case p.Component != "":
				return nil, fmt.Errorf("encode package %s: format 1 has no component field", p.Name)
			default:
				rec("D", p.Name, p.Version, p.Arch, p.Status)
			}
		default:
			return nil, fmt.Errorf("encode package %s: unknown manager %q (want rpm or dpkg)", p.Name, p.Manager)
		}
	}
	for _, p := range s.Probes {
		if p.Name == "" || !strings.HasPrefix(p.Path, "/") {
			return nil, fmt.Errorf("encode probe %q: a name and an absolute path are required", p.Name)
		}
		rec("B", p.Name, p.Path, p.Owner, p.Output)
	}
	for _, sv := range s.Services {
		if sv.Unit == "" {
			return nil, errors.New("encode service: unit is required")
		}
		rec("S", sv.Unit, sv.State)
	}
	for _, l := range s.Listeners {
		if (l.Proto != "tcp" && l.Proto != "tcp6") || l.Port < 0 || l.Port > 65535 {
			return nil, fmt.Errorf("encode listener %s %s:%d: want tcp or tcp6 and a port 0-65535", l.Proto, l.Addr, l.Port)
		}
		if l.Exe != "" && !strings.HasPrefix(l.Exe, "/") {
			return nil, fmt.Errorf("encode listener %s:%d: executable %q is not an absolute path", l.Addr, l.Port, l.Exe)
		}
		switch {
		case !v1:
			rec("L", l.Proto, l.Addr, strconv.Itoa(l.Port), l.Process, l.Exe, l.Owner)
		case l.Exe != "" || l.Owner != "":
			return nil, fmt.Errorf("encode listener %s:%d: format 1 has no executable or owner fields", l.Addr, l.Port)
		default:
			rec("L", l.Proto, l.Addr, strconv.Itoa(l.Port), l.Process)
		}
	}
	if v1 && len(s.Support) > 0 {
		return nil, errors.New("encode: format 1 has no support statements")
	}
	for _, u := range s.Support {
		if u.Package == "" || u.Level == "" {
			return nil, fmt.Errorf("encode support statement %q: package and level are required", u.Package)
		}
		if u.Ends != "" {
			if _, err := time.Parse(time.DateOnly, u.Ends); err != nil {
				return nil, fmt.Errorf("encode support statement %s: end %q is not YYYY-MM-DD", u.Package, u.Ends)
			}
		}
		rec("U", u.Package, u.Level, u.Ends, u.Source)
	}
	if version < 3 && len(s.Listings) > 0 {
		return nil, fmt.Errorf("encode: format %d has no debian-security-support listings (Y records)", version)
	}
	for _, l := range s.Listings {
		if err := l.check(); err != nil {
			return nil, fmt.Errorf("encode: %w", err)
		}
		rec("Y", l.Package, l.Source, l.List, l.Kind, l.Version, l.Ends, l.Note)
	}
	for _, k := range slices.Sorted(maps.Keys(r.Tags)) {
		if k == "" {
			return nil, errors.New("encode tag: empty key")
		}
		rec("T", k, r.Tags[k])
	}
	for _, w := range r.Warnings {
		rec("W", w)
	}
	return b.Bytes(), nil
}

// sorted returns a shallow copy of r whose lists are in canonical order.
func (r *Report) sorted() *Report {
	c := *r
	c.Packages = slices.Clone(r.Packages)
	c.Probes = slices.Clone(r.Probes)
	c.Services = slices.Clone(r.Services)
	c.Listeners = slices.Clone(r.Listeners)
	c.Support = slices.Clone(r.Support)
	c.Listings = slices.Clone(r.Listings)
	c.sort()
	return &c
}

// sort puts every list in canonical order: the collector prints rpm -qa and
// ss in whatever order they come, and stored reports must not depend on it.
// Warnings keep the order the collector wrote them in.
func (r *Report) sort() {
	slices.SortStableFunc(r.Packages, func(a, b Package) int {
		return cmp.Or(cmp.Compare(a.Manager, b.Manager), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Arch, b.Arch),
			cmp.Compare(a.Epoch, b.Epoch), cmp.Compare(a.Version, b.Version), cmp.Compare(a.Release, b.Release),
			cmp.Compare(a.Vendor, b.Vendor), cmp.Compare(a.Status, b.Status), cmp.Compare(a.Module, b.Module), cmp.Compare(a.Component, b.Component))
	})
	slices.SortStableFunc(r.Probes, func(a, b Probe) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Path, b.Path), cmp.Compare(a.Owner, b.Owner), cmp.Compare(a.Output, b.Output))
	})
	slices.SortStableFunc(r.Services, func(a, b Service) int {
		return cmp.Or(cmp.Compare(a.Unit, b.Unit), cmp.Compare(a.State, b.State))
	})
	slices.SortStableFunc(r.Listeners, func(a, b Listener) int {
		return cmp.Or(cmp.Compare(a.Proto, b.Proto), cmp.Compare(a.Addr, b.Addr), cmp.Compare(a.Port, b.Port), cmp.Compare(a.Process, b.Process),
			cmp.Compare(a.Exe, b.Exe), cmp.Compare(a.Owner, b.Owner))
	})
	slices.SortStableFunc(r.Support, func(a, b SupportStatement) int {
		return cmp.Or(cmp.Compare(a.Package, b.Package), cmp.Compare(a.Level, b.Level), cmp.Compare(a.Ends, b.Ends), cmp.Compare(a.Source, b.Source))
	})
	slices.SortStableFunc(r.Listings, func(a, b SecurityListing) int {
		return cmp.Or(cmp.Compare(a.Package, b.Package), cmp.Compare(a.List, b.List), cmp.Compare(a.Source, b.Source), cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.Version, b.Version), cmp.Compare(a.Ends, b.Ends), cmp.Compare(a.Note, b.Note))
	})
}

// decompress reads the compressed form at the start of data and returns the
// plain form inside it. line is the line number of data[0].
func decompress(data []byte, line int) ([]byte, error) {
	lines, terminated := splitLines(data)
	if len(lines) == 1 && !terminated {
		return nil, &ParseError{Line: line, Msg: "output ends inside the header", Err: ErrTruncated}
	}
	// Trailing white space is not significant anywhere in the compressed
	// form, the header included: a file saved with CRLF still parses.
	if _, err := parseVersionLine(bytes.TrimRight(lines[0], " \t\r"), gzipPrefix, line, gzipFrameVersion, gzipFrameVersion); err != nil {
		return nil, err
	}
	end := -1
	for i := 1; i < len(lines); i++ {
		if string(bytes.TrimRight(lines[i], " \t\r")) == gzipEnd {
			end = i
			break
		}
	}
	if end < 0 {
		return nil, &ParseError{Line: line + len(lines) - 1, Msg: "no '" + gzipEnd + "' line: output was cut short", Err: ErrTruncated}
	}
	last := len(lines) - 1
	for last > end && len(bytes.TrimSpace(lines[last])) == 0 {
		last--
	}
	if end != last {
		return nil, &ParseError{Line: line + end + 1, Msg: "text after " + gzipEnd, Err: ErrChecksum}
	}
	var enc []byte
	for _, l := range lines[1:end] {
		enc = append(enc, bytes.TrimRight(l, " \t\r")...)
	}
	raw := make([]byte, base64.StdEncoding.DecodedLen(len(enc)))
	n, err := base64.StdEncoding.Decode(raw, enc)
	if err != nil {
		return nil, &ParseError{Line: line + 1, Msg: fmt.Sprintf("compressed form is not valid base64: %v", err)}
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw[:n]))
	if err != nil {
		return nil, gunzipError(err, line)
	}
	// A gzip bomb stops at the limit: never more than MaxOutput+1 bytes are
	// inflated, whatever the stream claims.
	plain, err := io.ReadAll(io.LimitReader(zr, MaxOutput+1))
	if err != nil {
		return nil, gunzipError(err, line)
	}
	if len(plain) > MaxOutput {
		return nil, tooBig(line, "what the compressed form expands to")
	}
	return plain, nil
}

func gunzipError(err error, line int) error {
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &ParseError{Line: line, Msg: "compressed data is cut short", Err: ErrTruncated}
	case errors.Is(err, gzip.ErrChecksum):
		return &ParseError{Line: line, Msg: "compressed data fails its gzip checksum", Err: ErrChecksum}
	}
	return &ParseError{Line: line, Msg: fmt.Sprintf("compressed data is not valid gzip: %v", err)}
}
