package version

import "strings"

// debVersion is a Debian version split as dpkg's parseversion splits it.
type debVersion struct {
	epoch    string // digits without leading zeros; "" is 0
	upstream string
	revision string
}

// compareDeb orders two Debian versions as `dpkg --compare-versions A lt|eq|gt B`
// (dpkg 1.21) does: epoch as a number, then upstream version, then revision,
// each with dpkg's verrevcmp.
//
// dpkg also compares the strings it merely warns about (a version that does
// not start with a digit, a '_' in a revision), and so do we. Strings dpkg
// refuses outright (an embedded space, a non-numeric or negative epoch,
// nothing after ':' or after the last '-') get the nearest lenient reading
// instead of an error; see parseDeb.
func compareDeb(a, b string) int {
	if a == b {
		return 0
	}
	va, vb := parseDeb(a), parseDeb(b)
	if c := compareDigits(va.epoch, vb.epoch); c != 0 {
		return c
	}
	if c := verrevcmp(va.upstream, vb.upstream); c != 0 {
		return c
	}
	return verrevcmp(va.revision, vb.revision)
}

// parseDeb splits "[epoch:]upstream[-revision]" like dpkg: blanks around the
// string are trimmed, the epoch is what precedes the first ':', the revision
// what follows the last '-'. Where dpkg would refuse the string it keeps
// going: an epoch that is not a number is left in the upstream part, and an
// embedded blank ends the version (dpkg reads up to it before it objects).
func parseDeb(s string) debVersion {
	s = cstring(s)
	start := 0
	for start < len(s) && isBlank(s[start]) {
		start++
	}
	end := start
	for end < len(s) && !isBlank(s[end]) {
		end++
	}
	s = s[start:end]
	var v debVersion
	if i := strings.IndexByte(s, ':'); i >= 0 {
		// dpkg reads the epoch with strtol: an optional '+', then digits.
		e := s[:i]
		if e != "" && e[0] == '+' {
			e = e[1:]
		}
		if e != "" && allDigits(e) {
			v.epoch = trimZeros(e)
			s = s[i+1:]
		}
	}
	if i := strings.LastIndexByte(s, '-'); i >= 0 {
		v.upstream, v.revision = s[:i], s[i+1:]
	} else {
		v.upstream = s
	}
	return v
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// debOrder is dpkg's weight of a non-digit byte: '~' first (before the end
// of the string), then the end, then letters, then everything else. dpkg
// reads bytes as signed chars on the platforms upkeep runs on, so a byte
// >= 0x80 weighs its own value (128..255): above letters, below punctuation.
func debOrder(c byte) int {
	switch {
	case isDigit(c), c == 0:
		return 0
	case isAlpha(c):
		return int(c)
	case c == '~':
		return -1
	case c >= 0x80:
		return int(c)
	}
	return int(c) + 256
}

// verrevcmp is dpkg's comparison of an upstream version or a revision:
// alternating non-digit runs (by debOrder) and digit runs (as numbers).
func verrevcmp(a, b string) int {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		for (i < len(a) && !isDigit(a[i])) || (j < len(b) && !isDigit(b[j])) {
			ac, bc := debOrder(at(a, i)), debOrder(at(b, j))
			if ac != bc {
				return sign(ac - bc)
			}
			i++
			j++
		}
		for i < len(a) && a[i] == '0' {
			i++
		}
		for j < len(b) && b[j] == '0' {
			j++
		}
		firstDiff := 0
		for i < len(a) && j < len(b) && isDigit(a[i]) && isDigit(b[j]) {
			if firstDiff == 0 {
				firstDiff = int(a[i]) - int(b[j])
			}
			i++
			j++
		}
		if i < len(a) && isDigit(a[i]) {
			return 1
		}
		if j < len(b) && isDigit(b[j]) {
			return -1
		}
		if firstDiff != 0 {
			return sign(firstDiff)
		}
	}
	return 0
}
