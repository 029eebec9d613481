package registry

import (
	"fmt"
	"regexp"
	"strings"

	"upkeep/advisories/version"
)

// phpExt lists the extensions built from PHP's own source, so php-pear,
// php-pecl-* and php-composer-* (other projects, other versions) stay out.
// Package patterns write it as {phpext}.
const phpExt = `(common|fpm|cli|json|mysqlnd|mysql|pdo|gd|mbstring|xml|opcache|intl|pgsql|soap|bcmath|process|devel|ldap|odbc|snmp|sodium|zip|dba|enchant|ffi|gmp|embedded|dbg|pspell|tidy|xmlrpc|readline|curl|sqlite3|bz2|imap|recode|interbase|phpdbg|cgi|sybase)`

// compiledRule is a package rule with its pattern compiled once.
type compiledRule struct {
	PackageRule
	product string
	re      *regexp.Regexp
	vr      *regexp.Regexp // the rule's version, nil when none
	ci      int            // index of the "c" group, -1 when none
}

// mapper matches package names against every product's rules.
type mapper struct {
	rules   []compiledRule
	all     []int      // every rule index, in order
	byFirst [256][]int // rule indices, in order, that a name starting with that byte can match (firstbyte.go)
}

func newMapper(ps []*Product) (*mapper, error) {
	m := &mapper{}
	var pats []string
	for _, p := range ps {
		for _, r := range p.Packages {
			pat := strings.ReplaceAll(r.Pattern, "{phpext}", phpExt)
			full := `^(?:` + pat + `)$`
			re, err := regexp.Compile(full)
			if err != nil {
				return nil, fmt.Errorf("%s: package pattern %q: %w", p.file, r.Pattern, err)
			}
			c := compiledRule{PackageRule: r, product: p.Slug, re: re, ci: re.SubexpIndex("c")}
			if r.Version != "" {
				if c.vr, err = regexp.Compile(`^(?:` + r.Version + `)$`); err != nil {
					return nil, fmt.Errorf("%s: package %q version: %w", p.file, r.Pattern, err)
				}
			}
			m.rules = append(m.rules, c)
			pats = append(pats, full)
		}
	}
	m.indexRules(pats)
	return m, nil
}

// Match is the result of mapping one package.
type Match struct {
	Product  string
	Upstream string // upstream version ("1.20.0", "8.0.432" for Java 8)
	Line     string // the release line named in the package name, "" when none
	Primary  bool   // its version is the product's version on the host
	Role     string // server, runtime, module, library, client, config, tooling
	Repo     string // the repository family only it comes from, "" when the name does not say
	Rule     int    // index of the rule, for tests
}

// Map maps one package (manager "rpm" or "dpkg", name, version as the
// package manager prints it) to a product. It reports false for a package
// no rule claims. Products are tried in file-name order and a product's
// rules in file order; the first rule whose pattern matches and whose
// line and version conditions hold wins.
func (r *Registry) Map(manager, name, evr string) (Match, bool) {
	m := r.mapper
	scheme := version.RPM
	if manager == "dpkg" {
		scheme = version.Deb
	}
	candidates := m.all
	if name != "" {
		candidates = m.byFirst[name[0]]
	}
	for _, i := range candidates {
		c := &m.rules[i]
		if c.Manager != "" && c.Manager != manager {
			continue
		}
		sub := c.re.FindStringSubmatch(name)
		if sub == nil {
			continue
		}
		up := UpstreamOf(scheme, evr, c.Java)
		if c.vr != nil && !c.vr.MatchString(up) {
			continue
		}
		line := ""
		if c.ci >= 0 {
			line = nameLine(sub[c.ci], c.Dot, c.Java)
			if line != "" && !SameLine(up, line) {
				continue
			}
		}
		return Match{Product: c.product, Upstream: up, Line: line, Primary: c.IsPrimary(), Role: c.Role, Repo: c.Repo, Rule: i}, true
	}
	return Match{}, false
}

// nameLine turns what the "c" group captured into a release line.
func nameLine(c string, dot int, java bool) string {
	if java && c == "1.8.0" {
		return "8"
	}
	if dot > 0 && !strings.Contains(c, ".") && len(c) > dot {
		return c[:dot] + "." + c[dot:]
	}
	return c
}

// SameLine reports whether an upstream version belongs to a release line:
// its leading numbers start with the line's numbers.
func SameLine(upstream, line string) bool {
	u, l := NumericParts(upstream), NumericParts(line)
	if len(u) < len(l) || len(l) == 0 {
		return false
	}
	for i := range l {
		if strings.TrimLeft(u[i], "0") != strings.TrimLeft(l[i], "0") {
			return false
		}
	}
	return true
}

// UpstreamOf takes the upstream version out of a package version: epoch,
// release or revision and repack markers go ("12.22.9~dfsg" -> "12.22.9",
// "1:3.0~exp1" -> "3.0"). Java versions are rewritten to feature.interim.update.
func UpstreamOf(s version.Scheme, evr string, java bool) string {
	u := version.UpstreamOf(s, evr)
	if i := strings.IndexByte(u, '~'); i > 0 {
		u = u[:i]
	}
	if i := strings.IndexByte(u, '+'); i > 0 && !java {
		u = u[:i] // rpm too: nginx.org's nginx-module-njs "1.26.2+0.8.5" is nginx 1.26.2
	}
	if java {
		return JavaUpstream(u)
	}
	return u
}

var (
	javaLegacyRE = regexp.MustCompile(`^1\.(\d+)\.0[._](\d+)`)  // 1.8.0.432.b06, 1.8.0_382.b05
	javaUpdateRE = regexp.MustCompile(`^(\d+)u(\d+)`)           // 8u432-ga
	javaModernRE = regexp.MustCompile(`^(\d+)(\.\d+)?(\.\d+)?`) // 17.0.13+11, 11.0.25.0.9, "21"
)

// JavaUpstream normalizes the ways Java versions are written to
// "feature.interim.update": 1.8.0.432.b06 and 8u432-ga are both 8.0.432.
func JavaUpstream(u string) string {
	if m := javaLegacyRE.FindStringSubmatch(u); m != nil {
		return m[1] + ".0." + m[2]
	}
	if m := javaUpdateRE.FindStringSubmatch(u); m != nil {
		return m[1] + ".0." + m[2]
	}
	if m := javaModernRE.FindString(u); m != "" {
		return m
	}
	return u
}

// NumericParts returns the leading dot-separated numbers of a version:
// "1.0.2k" -> [1 0 2], "v18.19.0" -> [18 19 0], "2.0.0.648" -> [2 0 0 648].
func NumericParts(v string) []string {
	v = strings.TrimSpace(v)
	if len(v) > 1 && (v[0] == 'v' || v[0] == 'V') {
		v = v[1:]
	}
	var out []string
	for v != "" {
		i := 0
		for i < len(v) && v[i] >= '0' && v[i] <= '9' {
			i++
		}
		if i == 0 {
			break
		}
		out = append(out, v[:i])
		if i < len(v) && v[i] == '.' {
			v = v[i+1:]
			continue
		}
		break
	}
	return out
}
