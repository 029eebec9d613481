package version

import "strings"

// compareRPM orders two EVR strings exactly as rpm 4.18's rpm.vercmp (Lua)
// does, which is also how dnf/yum order installed packages:
//
//   - the epoch exists only when everything before the first ':' is digits;
//     a missing or empty epoch is 0, and epochs compare with rpmvercmp;
//   - the release starts after the last '-';
//   - version, then release, compare with rpmvercmp;
//   - when only one side has a release, that side is newer ("1.0-1" > "1.0").
//
// rpm refuses empty strings ("invalid version"); here "" simply parses to an
// empty version so that the order stays total.
func compareRPM(a, b string) int {
	a, b = cstring(a), cstring(b)
	if a == b {
		return 0
	}
	ea, va, ra, hasRa := splitEVR(a)
	eb, vb, rb, hasRb := splitEVR(b)
	if c := rpmvercmp(ea, eb); c != 0 {
		return c
	}
	if c := rpmvercmp(va, vb); c != 0 {
		return c
	}
	switch {
	case hasRa && hasRb:
		return rpmvercmp(ra, rb)
	case hasRa:
		return 1
	case hasRb:
		return -1
	}
	return 0
}

// splitEVR cuts "[epoch:]version[-release]" the way rpm's parseEVR does.
func splitEVR(s string) (epoch, ver, rel string, hasRel bool) {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	epoch, ver = "0", s
	if i < len(s) && s[i] == ':' {
		if i > 0 {
			epoch = s[:i]
		}
		ver = s[i+1:]
	}
	if j := strings.LastIndexByte(ver, '-'); j >= 0 {
		return epoch, ver[:j], ver[j+1:], true
	}
	return epoch, ver, "", false
}

// rpmvercmp is rpm's segment comparison: runs of digits compare as numbers,
// runs of letters as bytes, a digit run beats a letter run, other bytes only
// separate, '~' sorts before anything (even the end) and '^' after the end
// but before anything else. Letters and digits are ASCII only: rpm uses its
// own locale-free classes, so "é" is a separator.
func rpmvercmp(a, b string) int {
	if a == b {
		return 0
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		for i < len(a) && !isAlnum(a[i]) && a[i] != '~' && a[i] != '^' {
			i++
		}
		for j < len(b) && !isAlnum(b[j]) && b[j] != '~' && b[j] != '^' {
			j++
		}
		ca, cb := at(a, i), at(b, j)
		if ca == '~' || cb == '~' {
			if ca != '~' {
				return 1
			}
			if cb != '~' {
				return -1
			}
			i++
			j++
			continue
		}
		if ca == '^' || cb == '^' {
			switch {
			case i == len(a):
				return -1
			case j == len(b):
				return 1
			case ca != '^':
				return 1
			case cb != '^':
				return -1
			}
			i++
			j++
			continue
		}
		if i == len(a) || j == len(b) {
			break
		}
		si, sj := i, j
		isNum := isDigit(a[i])
		if isNum {
			for i < len(a) && isDigit(a[i]) {
				i++
			}
			for j < len(b) && isDigit(b[j]) {
				j++
			}
		} else {
			for i < len(a) && isAlpha(a[i]) {
				i++
			}
			for j < len(b) && isAlpha(b[j]) {
				j++
			}
		}
		if sj == j {
			// b's segment is of the other kind: numbers are newer than letters.
			if isNum {
				return 1
			}
			return -1
		}
		var c int
		if isNum {
			c = compareDigits(a[si:i], b[sj:j])
		} else {
			c = compareBytes(a[si:i], b[sj:j])
		}
		if c != 0 {
			return c
		}
	}
	switch {
	case i == len(a) && j == len(b):
		return 0
	case i == len(a):
		return -1
	}
	return 1
}

func isAlnum(c byte) bool { return isDigit(c) || isAlpha(c) }

// at returns s[i], or 0 past the end, like reading a C string's terminator.
func at(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}
