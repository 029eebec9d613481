package inventory

import "strings"

// ProbeVersion takes the version token out of a probed binary's version
// line: "nginx version: nginx/1.10.3" gives "1.10.3", "v18.19.0" (node)
// keeps its "v", `openjdk version "1.8.0_402"` gives "1.8.0_402", and
// "OpenSSL 1.0.2k-fips  26 Jan 2017" gives "1.0.2k". It returns "" when the
// line holds no version. Mapping the token to a product cycle is the
// advisories package's job; this only finds it.
func ProbeVersion(out string) string {
	// Java quotes its version, which may be a bare major ("21").
	if i := strings.Index(out, `version "`); i >= 0 {
		rest := out[i+len(`version "`):]
		if j := strings.IndexByte(rest, '"'); j > 0 {
			return rest[:j]
		}
	}
	for i := 0; i < len(out); i++ {
		if i > 0 && !strings.ContainsRune(" \t/=(:,", rune(out[i-1])) {
			continue
		}
		if v := dottedAt(out[i:]); v != "" {
			return v
		}
	}
	return ""
}

// dottedAt returns the dotted version that s starts with: an optional "v",
// numbers joined by dots (at least two), an optional "_N" update number
// (Java 8) and an optional letter that ends the token (OpenSSL "1.0.2k").
func dottedAt(s string) string {
	n := 0
	if strings.HasPrefix(s, "v") {
		n = 1
	}
	digits := func(at int) int {
		j := at
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		return j
	}
	end := digits(n)
	if end == n {
		return ""
	}
	parts := 1
	for end+1 < len(s) && s[end] == '.' && s[end+1] >= '0' && s[end+1] <= '9' {
		end = digits(end + 1)
		parts++
	}
	if parts < 2 {
		return ""
	}
	if end+1 < len(s) && s[end] == '_' && s[end+1] >= '0' && s[end+1] <= '9' {
		end = digits(end + 1)
	}
	if end < len(s) && s[end] >= 'a' && s[end] <= 'z' && (end+1 == len(s) || !isAlnum(s[end+1])) {
		end++
	}
	return s[:end]
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
