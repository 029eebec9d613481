package version

import (
	"strings"
)

// Upstream versions are what binaries print and what endoflife.date lists:
// "1.24.0", "v18.19.0", "1.0.2k", "1.8.0_402", "8.3.0RC6", "3.13.0b1". No
// tool owns them, so the order is ours (testdata/README.md):
//
//  1. one leading 'v' is dropped;
//  2. dot-separated numbers compare as numbers, missing ones count as 0;
//  3. Java's legacy "1.N.x_U" reads as "N.x.U";
//  4. a pre-release tag (dev < alpha/a < beta/b < rc/c/pre), with a number or
//     after '-', '.', '_' or '~', sorts before the release it precedes;
//  5. lowercase letters alone after the numbers are a patch level after
//     them (OpenSSL before 3.0): a longer run is later, then alphabetical;
//  6. "+build" metadata is ignored, as semver says; any other suffix sorts
//     after the bare release and compares with rpmvercmp.
//
// hashicorp/go-version gets rules 1 and 2 right and is used as the reference
// for them in the tests, but it reads "1.0.2k" as a pre-release of 1.0.2 and
// rejects "1.8.0_402"; parsing by hand also keeps a comparison free of
// allocations (see BenchmarkCompare).

// upstreamVersion is an upstream version string cut into its parts; every
// field is a substring of the input, so parsing allocates nothing.
type upstreamVersion struct {
	core   string // digits and separators: "1.0.2", "8.0_402"
	class  int    // suffix class: classPre, classRelease, classLetters, classOther
	tag    int    // pre-release rank (classPre)
	num    string // pre-release number (classPre)
	suffix string // what is left after the tag and its number, or the letters, or the other suffix
}

// Suffix classes, in the order they sort after equal numbers.
const (
	classPre = iota - 1
	classRelease
	classLetters
	classOther
)

func compareUpstream(a, b string) int {
	if a == b {
		return 0
	}
	va, vb := parseUpstream(a), parseUpstream(b)
	if c := compareCore(va.core, vb.core); c != 0 {
		return c
	}
	if va.class != vb.class {
		return sign(va.class - vb.class)
	}
	switch va.class {
	case classPre:
		if va.tag != vb.tag {
			return sign(va.tag - vb.tag)
		}
		if c := compareDigits(va.num, vb.num); c != 0 {
			return c
		}
		return rpmvercmp(va.suffix, vb.suffix)
	case classLetters:
		if len(va.suffix) != len(vb.suffix) {
			return sign(len(va.suffix) - len(vb.suffix))
		}
		return compareBytes(va.suffix, vb.suffix)
	case classOther:
		return rpmvercmp(va.suffix, vb.suffix)
	}
	return 0
}

func parseUpstream(s string) upstreamVersion {
	s = strings.TrimSpace(cstring(s))
	if len(s) > 1 && (s[0] == 'v' || s[0] == 'V') && isDigit(s[1]) {
		s = s[1:]
	}
	core, rest := splitCore(s)
	v := upstreamVersion{core: javaLegacy(core), class: classRelease}
	if rest == "" || rest[0] == '+' {
		return v
	}
	if tag, num, after, ok := preRelease(rest); ok {
		v.class, v.tag, v.num, v.suffix = classPre, tag, num, after
		return v
	}
	if isLower(rest) {
		v.class, v.suffix = classLetters, rest
		return v
	}
	v.class, v.suffix = classOther, rest
	return v
}

// splitCore cuts the leading numbers and their separators ('.' always, '_'
// between digits as in Java's "1.8.0_402") from the rest.
func splitCore(s string) (core, rest string) {
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case isDigit(c):
			i++
			continue
		case (c == '.' || c == '_') && i > 0 && isDigit(s[i-1]) && i+1 < len(s) && isDigit(s[i+1]):
			i++
			continue
		}
		break
	}
	return s[:i], s[i:]
}

// javaLegacy turns "1.8.0_402" into "8.0_402": Java before 9 printed its
// feature release as the second number, and "1.8.0_402" comes before "11.0.2".
func javaLegacy(core string) string {
	if strings.HasPrefix(core, "1.") && strings.IndexByte(core, '_') > 0 {
		return core[2:]
	}
	return core
}

// compareCore compares two cores number by number; a missing number is 0.
func compareCore(a, b string) int {
	for a != "" || b != "" {
		var x, y string
		x, a = nextNumber(a)
		y, b = nextNumber(b)
		if c := compareDigits(x, y); c != 0 {
			return c
		}
	}
	return 0
}

func nextNumber(s string) (num, rest string) {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	num, rest = s[:i], s[i:]
	if rest != "" {
		rest = rest[1:] // the separator
	}
	return num, rest
}

// Pre-release ranks.
const (
	tagDev = iota
	tagAlpha
	tagBeta
	tagRC
)

// preRelease recognizes "RC6", "b1", "-alpha17", ".beta2", "~rc1", "-dev".
// A one-letter tag counts only with a number or a separator, so that
// OpenSSL's "1.0.2a" and "1.0.2b" stay patch levels.
func preRelease(s string) (tag int, num, after string, ok bool) {
	sep := s[0] == '-' || s[0] == '.' || s[0] == '_' || s[0] == '~'
	if sep {
		s = s[1:]
	}
	i := 0
	for i < len(s) && isAlpha(s[i]) {
		i++
	}
	word := s[:i]
	j := i
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	num = s[i:j]
	switch {
	case strings.EqualFold(word, "dev"):
		tag = tagDev
	case strings.EqualFold(word, "alpha"), strings.EqualFold(word, "a"):
		tag = tagAlpha
	case strings.EqualFold(word, "beta"), strings.EqualFold(word, "b"):
		tag = tagBeta
	case strings.EqualFold(word, "rc"), strings.EqualFold(word, "c"), strings.EqualFold(word, "pre"):
		tag = tagRC
	default:
		return 0, "", "", false
	}
	if len(word) == 1 && num == "" && !sep {
		return 0, "", "", false
	}
	return tag, num, s[j:], true
}

func isLower(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return s != ""
}

// UpstreamOf returns the upstream part of a version as the package manager
// of scheme s prints it: the epoch and the distro release or revision go,
// and so do Debian's repack markers ("+dfsg", "+ds", "+really").
//
//	UpstreamOf(RPM, "1:1.20.0-2.amzn2.0.5")      = "1.20.0"
//	UpstreamOf(Deb, "2:8.0.36-0ubuntu0.22.04.1") = "8.0.36"
//	UpstreamOf(Deb, "3.0.2+dfsg-1")              = "3.0.2"
//
// An upstream version is returned as is, without surrounding blanks. (It is
// not named Upstream because that is the scheme's name.)
func UpstreamOf(s Scheme, installed string) string {
	v := strings.TrimSpace(cstring(installed))
	switch s {
	case Upstream:
		return v
	case Deb:
		p := parseDeb(v)
		u := p.upstream
		// "2.0+really1.9" is 1.9 shipped under a higher number to undo an upgrade.
		if i := strings.Index(u, "+really"); i >= 0 {
			return u[i+len("+really"):]
		}
		if i := strings.IndexByte(u, '+'); i > 0 {
			u = u[:i]
		}
		return u
	default:
		_, ver, _, _ := splitEVR(v)
		return ver
	}
}

// Cycle returns the first parts numbers of an upstream version, the key
// endoflife.date files release cycles under: Cycle("1.20.0", 2) = "1.20",
// Cycle("1.0.2k", 3) = "1.0.2", Cycle("v18.19.0", 1) = "18". Java's legacy
// "1.8.0_402" is release cycle 8, so Cycle("1.8.0_402", 1) = "8". A version
// with fewer numbers gives what it has; parts < 1 gives "".
func Cycle(upstream string, parts int) string {
	if parts < 1 {
		return ""
	}
	s := strings.TrimSpace(cstring(upstream))
	if len(s) > 1 && (s[0] == 'v' || s[0] == 'V') && isDigit(s[1]) {
		s = s[1:]
	}
	core, _ := splitCore(s)
	core = javaLegacy(core)
	end, n := 0, 0
	for end < len(core) {
		j := end
		for j < len(core) && isDigit(core[j]) {
			j++
		}
		n++
		end = j
		if n == parts || end >= len(core) || core[end] != '.' {
			break
		}
		end++
	}
	return strings.TrimRight(core[:end], "._")
}
