// Package version compares version strings by the rules of the tool that
// owns them: rpm (rpmvercmp on epoch:version-release), dpkg (Debian policy
// ordering) and upstream (what a binary prints, such as nginx -v or
// java -version). Every comparison is total: any two strings get an answer
// and nothing panics, because versions come from hosts we do not control.
package version

import (
	"fmt"
	"strings"
)

// Scheme names a version ordering.
type Scheme string

// The schemes upkeep knows.
const (
	RPM      Scheme = "rpm"
	Deb      Scheme = "deb"
	Upstream Scheme = "upstream"
)

// Schemes lists every scheme, in the order help text shows them.
func Schemes() []Scheme { return []Scheme{RPM, Deb, Upstream} }

// ParseScheme reads a scheme name as a user types it. "dpkg" is accepted for
// deb because that is the tool people know.
func ParseScheme(s string) (Scheme, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "rpm":
		return RPM, nil
	case "deb", "dpkg", "debian":
		return Deb, nil
	case "upstream":
		return Upstream, nil
	}
	return "", fmt.Errorf("unknown version scheme %q: use rpm, deb or upstream", s)
}

// Compare returns -1, 0 or 1 as a is older than, the same as, or newer than
// b under scheme s. An unknown scheme compares as rpm, the default
// everywhere in upkeep, so callers that validated with ParseScheme never see
// the difference and callers that did not still get a total order.
func Compare(s Scheme, a, b string) int {
	switch s {
	case Deb:
		return compareDeb(a, b)
	case Upstream:
		return compareUpstream(a, b)
	default:
		return compareRPM(a, b)
	}
}

// sign folds any integer into -1, 0 or 1.
func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// cstring cuts s at its first NUL byte: rpm and dpkg see C strings, so
// anything after a NUL is invisible to them and must be to us too.
func cstring(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// compareDigits compares two runs of ASCII digits as numbers of any length,
// so that no segment can overflow.
func compareDigits(a, b string) int {
	a, b = trimZeros(a), trimZeros(b)
	if len(a) != len(b) {
		return sign(len(a) - len(b))
	}
	return compareBytes(a, b)
}

// trimZeros drops leading '0' bytes. It is written out rather than calling
// strings.TrimLeft so that the compiler can see the argument does not escape,
// which lets `upkeep vercmp` pass converted byte slices without allocating.
func trimZeros(s string) string {
	i := 0
	for i < len(s) && s[i] == '0' {
		i++
	}
	return s[i:]
}

// isBlank is dpkg's c_isblank: space or tab.
func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// compareBytes is strings.Compare written with the comparison operators,
// which the compiler knows do not let their operands escape.
func compareBytes(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
