package registry

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// OSTransition is a known breaking move between two releases of an OS
// (Amazon Linux 2 → 2023): os.yaml's transitions.
type OSTransition struct {
	OS      string `yaml:"os"`   // OS product slug (amazon-linux)
	From    string `yaml:"from"` // release prefix, as Breaking's
	To      string `yaml:"to"`
	Summary string `yaml:"summary"`
	Source  string `yaml:"source"` // a source id of os.yaml
}

// RepoTarget is a product vendor's own repository that serves an OS
// release (Oracle's MySQL repository on Amazon Linux 2023): readiness names
// it as the way to keep a product the release itself does not ship.
type RepoTarget struct {
	Repository string `yaml:"repository"` // a repositories.yaml id
	Product    string `yaml:"product"`    // product slug
	OS         string `yaml:"os"`         // OS product slug
	OSCycle    string `yaml:"os_cycle"`
	Install    string `yaml:"install"` // what to add, in words
	Source     string `yaml:"source"`  // a source id of repositories.yaml: where the vendor says so
}

// Transition is a breaking transition of a product or an OS, with its
// source resolved: what the planner's risk reads.
type Transition struct {
	Product   string // product or OS slug
	From, To  string // cycle prefixes
	Summary   string
	SourceURL string
}

func sourceIDs(srcs []Source) map[string]bool {
	ids := map[string]bool{}
	for _, s := range srcs {
		ids[s.ID] = true
	}
	return ids
}

// checkSources checks every source has an id, a URL and a retrieved day,
// and that no id is used twice.
func checkSources(file string, srcs []Source) error {
	prefix := ""
	if file != "" {
		prefix = file + ": "
	}
	seen := map[string]bool{}
	for i, s := range srcs {
		if s.ID == "" || s.URL == "" {
			return fmt.Errorf("%ssources row %d (%q): id and url are required", prefix, i+1, s.ID)
		}
		if seen[s.ID] {
			return fmt.Errorf("%ssources row %d: id %q is used twice", prefix, i+1, s.ID)
		}
		seen[s.ID] = true
		if _, err := time.Parse(time.DateOnly, s.Retrieved); err != nil {
			return fmt.Errorf("%ssource %s: retrieved %q is not YYYY-MM-DD", prefix, s.ID, s.Retrieved)
		}
	}
	return nil
}

// needSource checks a row names one of its file's sources by id: a URL or
// a typo is an error, so every fact can be followed to where it was read.
func needSource(ids map[string]bool, id string) error {
	if id == "" {
		return fmt.Errorf("source is required: every row names one of the file's sources by id")
	}
	if !ids[id] {
		return fmt.Errorf("source %q is not in the file's sources", id)
	}
	return nil
}

func checkSupport(s string) error {
	if s != SupportOS && s != SupportUpstream {
		return fmt.Errorf("support %q, want os or upstream", s)
	}
	return nil
}

// validateRows checks the product's ships, replacements, breaking and
// al2023 rows; errors name the section and row.
func (p *Product) validateRows(ids map[string]bool) error {
	for i, s := range p.Ships {
		where := fmt.Sprintf("ships row %d (%s %s %s)", i+1, s.OS, s.OSCycle, s.Cycle)
		if err := needSource(ids, s.Source); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if s.OS == "" || s.OSCycle == "" || s.Cycle == "" {
			return fmt.Errorf("%s: os, os_cycle and cycle are required (cycle \"-\": the release ships none)", where)
		}
		if s.Cycle == "-" {
			if len(s.Packages) > 0 {
				return fmt.Errorf("%s: a release that ships none lists no packages", where)
			}
			continue
		}
		if len(s.Packages) == 0 {
			return fmt.Errorf("%s: packages are required", where)
		}
		switch {
		case s.Support == SupportUntil:
			if _, err := time.Parse(time.DateOnly, s.Until); err != nil {
				return fmt.Errorf("%s: until %q is not YYYY-MM-DD", where, s.Until)
			}
		case s.Until != "":
			return fmt.Errorf("%s: until is only for support: until", where)
		default:
			if err := checkSupport(s.Support); err != nil {
				return fmt.Errorf("%s: %w (or until with a date)", where, err)
			}
		}
	}
	for i, r := range p.Replacements {
		where := fmt.Sprintf("replacements row %d (%s %s: %s)", i+1, r.OS, r.OSCycle, r.With)
		if err := needSource(ids, r.Source); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if r.OS == "" || r.OSCycle == "" || r.With == "" || r.Cycle == "" || len(r.Packages) == 0 {
			return fmt.Errorf("%s: os, os_cycle, with, cycle and packages are required", where)
		}
		if err := checkSupport(r.Support); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if r.Use != "plan" && r.Use != "note" {
			return fmt.Errorf("%s: use %q, want plan or note", where, r.Use)
		}
	}
	for i, b := range p.Breaking {
		where := fmt.Sprintf("breaking row %d (%s → %s)", i+1, b.From, b.To)
		if err := needSource(ids, b.Source); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if b.From == "" || b.To == "" || b.Summary == "" {
			return fmt.Errorf("%s: from, to and summary are required", where)
		}
		for _, c := range []string{b.From, b.To} {
			if err := validCyclePattern(c); err != nil {
				return fmt.Errorf("%s: %w", where, err)
			}
		}
	}
	if p.AL2023.Source != "" {
		if err := needSource(ids, p.AL2023.Source); err != nil {
			return fmt.Errorf("al2023: %w", err)
		}
	}
	return nil
}

func (t OSTransition) validate(srcs []Source) error {
	if err := needSource(sourceIDs(srcs), t.Source); err != nil {
		return err
	}
	if t.OS == "" || t.From == "" || t.To == "" || t.Summary == "" {
		return fmt.Errorf("os, from, to and summary are required")
	}
	if err := validCyclePattern(t.From); err != nil {
		return err
	}
	return validCyclePattern(t.To)
}

func (r *Registry) validateTarget(t RepoTarget, srcs []Source) error {
	if err := needSource(sourceIDs(srcs), t.Source); err != nil {
		return err
	}
	if _, ok := r.Repository(t.Repository); !ok {
		return fmt.Errorf("repository %q is not in repositories", t.Repository)
	}
	if _, ok := r.bySlug[t.Product]; !ok {
		return fmt.Errorf("product %q has no file in products/", t.Product)
	}
	if t.OS == "" || t.OSCycle == "" || t.Install == "" {
		return fmt.Errorf("os, os_cycle and install are required")
	}
	return nil
}

// validateShips checks what needs the whole registry: a replacement names
// a product that has a file, and no product lists one release line of an
// OS release twice.
func (r *Registry) validateShips() error {
	for _, p := range r.Products {
		seen := map[string]int{}
		for i, s := range p.Ships {
			k := s.OS + " " + s.OSCycle + " " + s.Cycle
			if j, ok := seen[k]; ok {
				return fmt.Errorf("%s: ships row %d (%s) repeats row %d", p.file, i+1, k, j)
			}
			seen[k] = i + 1
		}
		for i, x := range p.Replacements {
			if _, ok := r.bySlug[x.With]; !ok {
				return fmt.Errorf("%s: replacements row %d: product %q has no file in products/", p.file, i+1, x.With)
			}
		}
	}
	return nil
}

// ShipRow is one ships row with its product and source resolved.
type ShipRow struct {
	Product string
	Ship
	SourceURL string
}

// Ships returns every product's ships rows, products in file order, rows
// in file order.
func (r *Registry) Ships() []ShipRow {
	var out []ShipRow
	for _, p := range r.Products {
		for _, s := range p.Ships {
			src, _ := p.SourceByID(s.Source)
			out = append(out, ShipRow{Product: p.Slug, Ship: s, SourceURL: src.URL})
		}
	}
	return out
}

// ReplacementRow is one replacements row with its product and source
// resolved.
type ReplacementRow struct {
	Product string // what is replaced
	Replacement
	SourceURL string
}

// Replacements returns every product's replacements rows.
func (r *Registry) Replacements() []ReplacementRow {
	var out []ReplacementRow
	for _, p := range r.Products {
		for _, x := range p.Replacements {
			src, _ := p.SourceByID(x.Source)
			out = append(out, ReplacementRow{Product: p.Slug, Replacement: x, SourceURL: src.URL})
		}
	}
	return out
}

// PlanReplacements returns the replacements rows of product on one OS
// release that the planner moves to (use: plan), in file order: the one
// filter the judge, readiness and the planner share.
func (r *Registry) PlanReplacements(product, os, osCycle string) []ReplacementRow {
	var out []ReplacementRow
	for _, x := range r.Replacements() {
		if x.Product == product && x.OS == os && x.OSCycle == osCycle && x.Use == "plan" {
			out = append(out, x)
		}
	}
	return out
}

// BreakingTransitions returns the known breaking transitions: the OS ones of
// os.yaml first, then each product's.
func (r *Registry) BreakingTransitions() []Transition {
	var out []Transition
	for _, t := range r.Transitions {
		out = append(out, Transition{Product: t.OS, From: t.From, To: t.To, Summary: t.Summary, SourceURL: r.osSourceURL(t.Source)})
	}
	for _, p := range r.Products {
		for _, b := range p.Breaking {
			src, _ := p.SourceByID(b.Source)
			out = append(out, Transition{Product: p.Slug, From: b.From, To: b.To, Summary: b.Summary, SourceURL: src.URL})
		}
	}
	return out
}

func (r *Registry) osSourceURL(id string) string {
	for _, s := range r.OSSources {
		if s.ID == id {
			return s.URL
		}
	}
	return ""
}

// RepoTarget returns the vendor repository that serves product on an OS
// release, and the URL of the vendor's page that says so.
func (r *Registry) RepoTarget(product, os, osCycle string) (RepoTarget, string, bool) {
	for _, t := range r.RepoTargets {
		if t.Product == product && t.OS == os && t.OSCycle == osCycle {
			for _, s := range r.RepoSources {
				if s.ID == t.Source {
					return t, s.URL, true
				}
			}
		}
	}
	return RepoTarget{}, "", false
}

// AL2023OSLife reports whether AWS patches an AL2023 package for the OS
// release's whole life: a ships row of Amazon Linux 2023 with support os
// lists it. The planner reads the same rows, so readiness and the plan
// give a package the same end.
func (r *Registry) AL2023OSLife(pkg string) bool {
	for _, p := range r.Products {
		for _, s := range p.Ships {
			if s.OS == "amazon-linux" && s.OSCycle == "2023" && s.Support == SupportOS && slices.Contains(s.Packages, pkg) {
				return true
			}
		}
	}
	return false
}

// AL2023Later returns, per product, the namespaced AL2023 packages added
// after the embedded package list (the products' al2023.later).
func (r *Registry) AL2023Later() map[string][]AL2023Pkg {
	out := map[string][]AL2023Pkg{}
	for _, p := range r.Products {
		if len(p.AL2023.Later) > 0 {
			out[p.Slug] = p.AL2023.Later
		}
	}
	return out
}

// AL2023Base is the package name a product goes by on AL2023 when it is
// not namespaced, "" when it has none.
func (r *Registry) AL2023Base(product string) string {
	if p, ok := r.bySlug[product]; ok {
		return p.AL2023.Base
	}
	return ""
}

// CompatibleWithinMajor reports whether releases of a product within one
// major are drop-in for a move (AL2's nginx 1.22 to AL2023's 1.24).
func (r *Registry) CompatibleWithinMajor(product string) bool {
	p, ok := r.bySlug[product]
	return ok && p.AL2023.Compatible
}

// AL2023Client is the client remedy of a product on AL2023, "" when the
// product has none (see AL2023.Client).
func (r *Registry) AL2023Client(product string) string {
	if p, ok := r.bySlug[product]; ok {
		return strings.TrimSpace(p.AL2023.Client)
	}
	return ""
}

// CycleMatches reports whether a cycle matches a breaking row's from or
// to: a prefix ("7" matches 7 and 7.4, "5.7" only 5.7) or a comparison of
// numeric versions ("<1.25" matches 1.24, ">=1.25" matches 1.26).
func CycleMatches(cycle, pattern string) bool {
	for _, op := range []string{"<=", ">=", "<", ">"} {
		v, ok := strings.CutPrefix(pattern, op)
		if !ok {
			continue
		}
		c, ok := compareNumeric(cycle, v)
		if !ok {
			return false
		}
		switch op {
		case "<=":
			return c <= 0
		case ">=":
			return c >= 0
		case "<":
			return c < 0
		}
		return c > 0
	}
	return cycle == pattern || strings.HasPrefix(cycle, pattern+".")
}

// validCyclePattern checks a comparison names a numeric version.
func validCyclePattern(p string) error {
	for _, op := range []string{"<=", ">=", "<", ">"} {
		if v, ok := strings.CutPrefix(p, op); ok {
			if _, ok := compareNumeric(v, v); !ok {
				return fmt.Errorf("%q: a comparison needs a numeric version (\"<1.25\")", p)
			}
			return nil
		}
	}
	return nil
}

// compareNumeric compares dotted numeric versions ("1.24" < "1.25" <
// "1.25.1"); false when either is not one.
func compareNumeric(a, b string) (int, bool) {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) || i < len(pb); i++ {
		x, y := 0, 0
		if i < len(pa) {
			n, err := strconv.Atoi(pa[i])
			if err != nil {
				return 0, false
			}
			x = n
		}
		if i < len(pb) {
			n, err := strconv.Atoi(pb[i])
			if err != nil {
				return 0, false
			}
			y = n
		}
		if x != y {
			return cmp.Compare(x, y), true
		}
	}
	return 0, true
}
