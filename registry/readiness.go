package registry

import (
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"
)

// Readiness is what the move to Amazon Linux 2023 means for one product
// beyond what AL2023 ships: a product's `readiness:` section. Readiness
// (advisories) reads it; no product is named in Go.
type Readiness struct {
	// Instead is the product AL2023 ships in this one's place when it
	// ships no build of this one (Corretto for Temurin, MariaDB for MySQL).
	Instead *Instead `yaml:"instead"`
	// Rules reword or reweigh the product's readiness entry, first match
	// wins.
	Rules []ReadinessRule `yaml:"rules"`
}

// Instead names the product AL2023 ships in a product's place.
type Instead struct {
	Product   string `yaml:"product"`    // product slug, with a file in products/
	SameCycle bool   `yaml:"same_cycle"` // the same release line of it (Corretto 17 for Temurin 17); false: its lowest line, then the one that lasts
	Like      string `yaml:"like"`       // name the package of the line ending so (-server), "" the shortest name
	Source    string `yaml:"source"`     // a source id of this file
	Note      string `yaml:"note"`
}

// ReadinessRule rewords or reweighs a product's readiness entry when the
// product's AL2023 availability (and cycle) match. It applies after the
// entry's default wording for its availability and before the generic
// adjustments (a vendor repository that serves AL2023, a client-only host,
// a third-party or hand-built copy).
type ReadinessRule struct {
	Availability []string `yaml:"availability"` // available, namespaced, newer-only, replaced, removed, unknown, or any
	Cycles       []string `yaml:"cycles"`       // product cycles; empty any
	Severity     string   `yaml:"severity"`     // info, low, medium, high, critical
	Inhibitor    bool     `yaml:"inhibitor"`    // blocks the move until resolved
	// Summary and Remediation replace the default wording when set;
	// {what} is "Label cycle (package)", {cycle} the cycle, {target} the
	// AL2023 package (or "no AL2023 package").
	Summary     string `yaml:"summary"`
	Remediation string `yaml:"remediation"`
	// Target "instance": a new AL2023 instance brings its own build (the
	// kernel), so no AL2023 line is chosen for it.
	Target string `yaml:"target"`
	Reason string `yaml:"reason"` // why, in our words
	Source string `yaml:"source"` // a source id of this file
}

// Severities and availabilities a readiness rule may name.
var (
	readinessSeverities   = []string{"info", "low", "medium", "high", "critical"}
	readinessAvailability = []string{"available", "namespaced", "newer-only", "replaced", "removed", "unknown", "any"}
)

// MovePackage is an OS package that the move between two OS releases
// replaces as part of the OS itself (AL2's yum and amazon-linux-extras):
// os.yaml's move_packages. Readiness names it for the record only.
type MovePackage struct {
	OS          string   `yaml:"os"`       // OS product slug
	OSCycle     string   `yaml:"os_cycle"` // the release moved from
	Packages    []string `yaml:"packages"`
	Remediation string   `yaml:"remediation"`
	Source      string   `yaml:"source"` // a source id of os.yaml
}

// Collection is a Software Collection naming scheme: repositories.yaml's
// collections. A package whose name starts with a match of Pattern and a
// dash belongs to the collection the match names (rh-php73-php-fpm is in
// rh-php73, httpd24-httpd in httpd24).
type Collection struct {
	Pattern    string `yaml:"pattern"`    // anchored regexp on the name's prefix before a dash
	Repository string `yaml:"repository"` // a repositories.yaml id
	Source     string `yaml:"source"`
	re         *regexp.Regexp
}

// Absent says a repository family does not serve an OS release:
// repositories.yaml's absent. Readiness adds the note to the entry of a
// product AL2023 does not ship when the build is the family's.
type Absent struct {
	Repository string   `yaml:"repository"` // a repositories.yaml id
	OS         string   `yaml:"os"`         // the release it does not serve
	OSCycle    string   `yaml:"os_cycle"`
	From       []string `yaml:"from"`     // OS products or families (el) hosts move from whose third-party builds are taken to be the family's
	Packages   string   `yaml:"packages"` // anchored regexp: package names that are the family's wherever they are
	Note       string   `yaml:"note"`
	Source     string   `yaml:"source"`
	re         *regexp.Regexp
}

// osReadiness is os.yaml's part of the readiness data.
type osReadiness struct {
	MovePackages []MovePackage `yaml:"move_packages"`
}

// repoReadiness is repositories.yaml's part of the readiness data.
type repoReadiness struct {
	Collections []Collection `yaml:"collections"`
	Absent      []Absent     `yaml:"absent"`
}

// readinessData is the readiness data of os.yaml and repositories.yaml,
// checked at load.
type readinessData struct {
	moves       []MovePackage
	collections []Collection
	absent      []Absent
}

// validateReadiness checks every readiness row of the products, os.yaml
// and repositories.yaml; errors name the file, the section and the row.
func (r *Registry) validateReadiness(of osReadiness, rf repoReadiness, osSrc, repoSrc []Source) error {
	for _, p := range r.Products {
		if err := p.validateReadiness(r); err != nil {
			return fmt.Errorf("%s: %w", p.file, err)
		}
	}
	osIDs, repoIDs := sourceIDs(osSrc), sourceIDs(repoSrc)
	seen := map[string]int{}
	for i, m := range of.MovePackages {
		where := fmt.Sprintf("os.yaml move_packages row %d (%s %s)", i+1, m.OS, m.OSCycle)
		if err := needSource(osIDs, m.Source); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if m.OS == "" || m.OSCycle == "" || len(m.Packages) == 0 || m.Remediation == "" {
			return fmt.Errorf("%s: os, os_cycle, packages and remediation are required", where)
		}
		for _, pkg := range m.Packages {
			k := m.OS + " " + m.OSCycle + " " + pkg
			if j, ok := seen[k]; ok {
				return fmt.Errorf("%s: package %s repeats row %d", where, pkg, j)
			}
			seen[k] = i + 1
		}
	}
	for i := range rf.Collections {
		c := &rf.Collections[i]
		where := fmt.Sprintf("repositories.yaml collections row %d (%s)", i+1, c.Pattern)
		if err := r.repoRow(repoIDs, c.Repository, c.Source); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		re, err := regexp.Compile(`^(?:` + c.Pattern + `)-`)
		if c.Pattern == "" || err != nil {
			return fmt.Errorf("%s: pattern is required and must be a regular expression (%v)", where, err)
		}
		c.re = re
		if slices.ContainsFunc(rf.Collections[:i], func(o Collection) bool { return o.Pattern == c.Pattern }) {
			return fmt.Errorf("%s: repeats an earlier row", where)
		}
	}
	for i := range rf.Absent {
		a := &rf.Absent[i]
		where := fmt.Sprintf("repositories.yaml absent row %d (%s on %s %s)", i+1, a.Repository, a.OS, a.OSCycle)
		if err := r.repoRow(repoIDs, a.Repository, a.Source); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if a.OS == "" || a.OSCycle == "" || a.Note == "" {
			return fmt.Errorf("%s: os, os_cycle and note are required", where)
		}
		if a.Packages != "" {
			re, err := regexp.Compile(`^(?:` + a.Packages + `)$`)
			if err != nil {
				return fmt.Errorf("%s: packages: %w", where, err)
			}
			a.re = re
		}
		if slices.ContainsFunc(rf.Absent[:i], func(o Absent) bool {
			return o.Repository == a.Repository && o.OS == a.OS && o.OSCycle == a.OSCycle
		}) {
			return fmt.Errorf("%s: repeats an earlier row", where)
		}
	}
	r.ready = readinessData{moves: of.MovePackages, collections: rf.Collections, absent: rf.Absent}
	return nil
}

func (r *Registry) repoRow(ids map[string]bool, repo, source string) error {
	if err := needSource(ids, source); err != nil {
		return err
	}
	if _, ok := r.Repository(repo); !ok {
		return fmt.Errorf("repository %q is not in repositories", repo)
	}
	return nil
}

func (p *Product) validateReadiness(r *Registry) error {
	ids := sourceIDs(p.Sources)
	if in := p.Readiness.Instead; in != nil {
		if err := needSource(ids, in.Source); err != nil {
			return fmt.Errorf("readiness instead: %w", err)
		}
		if _, ok := r.bySlug[in.Product]; !ok || in.Product == p.Slug {
			return fmt.Errorf("readiness instead: product %q has no file in products/ (or is this one)", in.Product)
		}
	}
	seen := map[string]int{}
	for i, rule := range p.Readiness.Rules {
		where := fmt.Sprintf("readiness rules row %d (%s %s)", i+1, strings.Join(rule.Availability, ","), strings.Join(rule.Cycles, ","))
		if err := needSource(ids, rule.Source); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if len(rule.Availability) == 0 {
			return fmt.Errorf("%s: availability is required (any for every one)", where)
		}
		for _, a := range rule.Availability {
			if !slices.Contains(readinessAvailability, a) {
				return fmt.Errorf("%s: availability %q, want one of %s", where, a, strings.Join(readinessAvailability, ", "))
			}
		}
		if !slices.Contains(readinessSeverities, rule.Severity) {
			return fmt.Errorf("%s: severity %q, want one of %s", where, rule.Severity, strings.Join(readinessSeverities, ", "))
		}
		if rule.Target != "" && rule.Target != "instance" {
			return fmt.Errorf("%s: target %q, want instance or nothing", where, rule.Target)
		}
		if rule.Reason == "" {
			return fmt.Errorf("%s: reason is required: say why, in our words", where)
		}
		for _, a := range rule.Availability {
			cycles := rule.Cycles
			if len(cycles) == 0 {
				cycles = []string{"*"}
			}
			for _, c := range cycles {
				k := a + " " + c
				if j, ok := seen[k]; ok {
					return fmt.Errorf("%s: repeats row %d (%s)", where, j, k)
				}
				seen[k] = i + 1
			}
		}
	}
	return nil
}

// ReadinessRuleFor returns the product's first readiness rule for an
// AL2023 availability and cycle, and the URL of its source.
func (r *Registry) ReadinessRuleFor(product, availability, cycle string) (ReadinessRule, string, bool) {
	p, ok := r.bySlug[product]
	if !ok {
		return ReadinessRule{}, "", false
	}
	for _, rule := range p.Readiness.Rules {
		if !slices.Contains(rule.Availability, availability) && !slices.Contains(rule.Availability, "any") {
			continue
		}
		if len(rule.Cycles) > 0 && !slices.Contains(rule.Cycles, cycle) {
			continue
		}
		src, _ := p.SourceByID(rule.Source)
		return rule, src.URL, true
	}
	return ReadinessRule{}, "", false
}

// ComesWithInstance reports whether a new AL2023 instance brings its own
// build of the product (a readiness rule with target: instance), so no
// AL2023 line is chosen for it.
func (r *Registry) ComesWithInstance(product string) bool {
	p, ok := r.bySlug[product]
	return ok && slices.ContainsFunc(p.Readiness.Rules, func(x ReadinessRule) bool { return x.Target == "instance" })
}

// InsteadOf returns the product AL2023 ships in this one's place when it
// ships no build of it.
func (r *Registry) InsteadOf(product string) (Instead, bool) {
	if p, ok := r.bySlug[product]; ok && p.Readiness.Instead != nil {
		return *p.Readiness.Instead, true
	}
	return Instead{}, false
}

// InsteadProducts returns every product some product's readiness names as
// AL2023's replacement.
func (r *Registry) InsteadProducts() []string {
	var out []string
	for _, p := range r.Products {
		if in := p.Readiness.Instead; in != nil {
			out = append(out, in.Product)
		}
	}
	return out
}

// MovePackage returns the os.yaml move_packages row of an OS release that
// names pkg.
func (r *Registry) MovePackage(os, osCycle, pkg string) (MovePackage, bool) {
	for _, m := range r.ready.moves {
		if m.OS == os && m.OSCycle == osCycle && slices.Contains(m.Packages, pkg) {
			return m, true
		}
	}
	return MovePackage{}, false
}

// CollectionOf names the Software Collection of a package (rh-php73,
// httpd24) by repositories.yaml's collections, "" when it is in none.
func (r *Registry) CollectionOf(pkg string) string {
	for _, c := range r.ready.collections {
		if m := c.re.FindString(pkg); m != "" {
			return strings.TrimSuffix(m, "-")
		}
	}
	return ""
}

// AbsentNote says why a build cannot come along to an OS release: the
// repositories.yaml absent row of os/osCycle whose packages match pkg, or,
// for a third-party build, whose from names the host's OS (product slug or
// family). "" when no row does.
func (r *Registry) AbsentNote(os, osCycle, hostOS, hostFamily, pkg string, thirdParty bool) string {
	for _, a := range r.ready.absent {
		if a.OS != os || a.OSCycle != osCycle {
			continue
		}
		if a.re != nil && a.re.MatchString(pkg) {
			return a.Note
		}
		if thirdParty && (slices.Contains(a.From, hostOS) || (hostFamily != "" && slices.Contains(a.From, hostFamily))) {
			return a.Note
		}
	}
	return ""
}

// Files returns the embedded registry files (products/*.yaml, os.yaml,
// repositories.yaml), for loading a changed copy with Parse.
func Files() fs.FS { return dataFS }
