package registry

import (
	"fmt"
	"slices"
)

// What the planner orders steps by, per product: which libraries it links,
// which runtime group it belongs to, which runtimes it runs on, whether it
// is a database (its protocol family and the package-name marks of its
// drivers) and the vendor's upgrade path. The planner's rules
// (plan/rules.go) and upgrade paths (plan/paths.go) read only these
// sections, so a product added here gets the rules with no code change.

// Link says the product links a library product: a step that changes the
// library's cycle comes first, and the product is then rebuilt or
// reinstalled against it once (nginx links openssl's libssl).
type Link struct {
	Product string `yaml:"product"` // the library's product slug (openssl)
	Source  string `yaml:"source"`  // a source id of this file: where the product says it uses the library
	Note    string `yaml:"note"`
}

// RunsOn names a runtime the product runs on: the runtime's upgrade comes
// first, and the application is then checked on it.
type RunsOn struct {
	Runtime string `yaml:"runtime"` // a runtime group (java: every product with runtime: java) or a product slug (erlang)
	Source  string `yaml:"source"`
	Note    string `yaml:"note"`
}

// Database says the product is a database server whose major upgrades
// change what clients must speak.
type Database struct {
	// Family names the protocol family: products of one family talk to each
	// other's servers (a MariaDB client to a MySQL server).
	Family string `yaml:"family"`
	// Drivers are parts of package names that carry a runtime's driver for
	// this database (php-mysqlnd, python3-PyMySQL, php-pgsql).
	Drivers []string `yaml:"drivers"`
	Source  string   `yaml:"source"`
	Note    string   `yaml:"note"`
}

// UpgradePath is how the vendor says the product's data moves from one
// major to the next: the data-migration action of one hop, how to roll it
// back, what restarts, and the series an in-place upgrade may not skip.
type UpgradePath struct {
	Action   string `yaml:"action"`   // the data-migration action of one hop
	Rollback string `yaml:"rollback"` // how a hop is undone
	Restart  string `yaml:"restart"`  // what restarts, and whether the host reboots
	Rebuilt  string `yaml:"rebuilt"`  // added before the action when the hop runs on a rebuilt OS release; "" none
	Source   string `yaml:"source"`
	// Hops are the in-place upgrades between series the vendor supports,
	// oldest first, each starting where the previous one ends: a step that
	// skips a series is split into one step per hop (MySQL 5.7 → 8.0 →
	// 8.4). No hops: any later cycle is one step.
	Hops []Hop `yaml:"hops"`
}

// Hop is one supported in-place upgrade between two series.
type Hop struct {
	From   string `yaml:"from"`
	To     string `yaml:"to"`
	Source string `yaml:"source"`
}

// validatePlan checks the product's links, runtime, runs_on, database and
// upgrade_path sections: every row names one of the file's sources, and no
// row is given twice. Errors name the section and row.
func (p *Product) validatePlan(ids map[string]bool) error {
	seen := map[string]int{}
	for i, l := range p.Links {
		where := fmt.Sprintf("links row %d (%s)", i+1, l.Product)
		if l.Product == "" {
			return fmt.Errorf("%s: product is required", where)
		}
		if err := needSource(ids, l.Source); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if j, ok := seen[l.Product]; ok {
			return fmt.Errorf("%s: repeats row %d", where, j)
		}
		seen[l.Product] = i + 1
	}
	seen = map[string]int{}
	for i, r := range p.RunsOn {
		where := fmt.Sprintf("runs_on row %d (%s)", i+1, r.Runtime)
		if r.Runtime == "" {
			return fmt.Errorf("%s: runtime is required", where)
		}
		if err := needSource(ids, r.Source); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if j, ok := seen[r.Runtime]; ok {
			return fmt.Errorf("%s: repeats row %d", where, j)
		}
		seen[r.Runtime] = i + 1
	}
	if d := p.Database; d != nil {
		if d.Family == "" {
			return fmt.Errorf("database: family is required (the product's own slug when it has no fork)")
		}
		if err := needSource(ids, d.Source); err != nil {
			return fmt.Errorf("database: %w", err)
		}
		for i, m := range d.Drivers {
			if m == "" {
				return fmt.Errorf("database: drivers row %d is empty", i+1)
			}
			if j := slices.Index(d.Drivers, m); j < i {
				return fmt.Errorf("database: drivers row %d (%s) repeats row %d", i+1, m, j+1)
			}
		}
	}
	if u := p.UpgradePath; u != nil {
		if u.Action == "" || u.Rollback == "" || u.Restart == "" {
			return fmt.Errorf("upgrade_path: action, rollback and restart are required")
		}
		if err := needSource(ids, u.Source); err != nil {
			return fmt.Errorf("upgrade_path: %w", err)
		}
		for i, h := range u.Hops {
			where := fmt.Sprintf("upgrade_path hops row %d (%s → %s)", i+1, h.From, h.To)
			if h.From == "" || h.To == "" {
				return fmt.Errorf("%s: from and to are required", where)
			}
			if err := needSource(ids, h.Source); err != nil {
				return fmt.Errorf("%s: %w", where, err)
			}
			if c, ok := compareNumeric(h.From, h.To); !ok || c >= 0 {
				return fmt.Errorf("%s: from and to are numeric series, from older than to", where)
			}
			if i > 0 && h.From != u.Hops[i-1].To {
				return fmt.Errorf("%s: starts at %s, but the previous hop ends at %s (hops form one path, oldest first)", where, h.From, u.Hops[i-1].To)
			}
		}
	}
	return nil
}

// validatePlanRefs checks what needs the whole registry: a link names a
// product that has a file, and a runs_on row names a runtime group or a
// product.
func (r *Registry) validatePlanRefs() error {
	for _, p := range r.Products {
		for i, l := range p.Links {
			if _, ok := r.bySlug[l.Product]; !ok {
				return fmt.Errorf("%s: links row %d: product %q has no file in products/", p.file, i+1, l.Product)
			}
		}
		for i, x := range p.RunsOn {
			if len(r.runtimeMembers(x.Runtime)) == 0 {
				return fmt.Errorf("%s: runs_on row %d: %q is neither a runtime group (runtime: of some product) nor a product", p.file, i+1, x.Runtime)
			}
		}
	}
	return nil
}

// runtimeMembers returns the products a runs_on name stands for: every
// product of the runtime group, or the product of that slug.
func (r *Registry) runtimeMembers(name string) []string {
	var out []string
	for _, p := range r.Products {
		if p.Runtime == name || p.Slug == name {
			out = append(out, p.Slug)
		}
	}
	return out
}

// Links reports whether product links library (a links row).
func (r *Registry) Links(product, library string) bool {
	p, ok := r.bySlug[product]
	return ok && slices.ContainsFunc(p.Links, func(l Link) bool { return l.Product == library })
}

// Runtime returns the product's runtime group, "" when it is not a runtime.
func (r *Registry) Runtime(product string) string {
	if p, ok := r.bySlug[product]; ok {
		return p.Runtime
	}
	return ""
}

// RunsOn reports whether app runs on runtime: one of app's runs_on rows
// names runtime's slug or its runtime group.
func (r *Registry) RunsOn(app, runtime string) bool {
	p, ok := r.bySlug[app]
	if !ok {
		return false
	}
	for _, x := range p.RunsOn {
		if slices.Contains(r.runtimeMembers(x.Runtime), runtime) {
			return true
		}
	}
	return false
}

// Database returns the product's database section; false when it is not a
// database.
func (r *Registry) Database(product string) (Database, bool) {
	if p, ok := r.bySlug[product]; ok && p.Database != nil {
		return *p.Database, true
	}
	return Database{}, false
}

// DatabaseFamily returns the products of product's database family, in
// file order (mysql and mariadb for either); nil when it is not a
// database.
func (r *Registry) DatabaseFamily(product string) []string {
	d, ok := r.Database(product)
	if !ok {
		return nil
	}
	var out []string
	for _, p := range r.Products {
		if p.Database != nil && p.Database.Family == d.Family {
			out = append(out, p.Slug)
		}
	}
	return out
}

// Path is a product's upgrade path with its sources resolved.
type Path struct {
	Product                            string
	Action, Rollback, Restart, Rebuilt string
	SourceURL                          string
	// Series are the series of the hops, oldest first (5.5, 5.6, 5.7,
	// 8.0, 8.4); nil when any later cycle is one step.
	Series []string
	// HopSource is each hop's source URL, by the series it reaches.
	HopSource map[string]string
}

// UpgradePath returns the product's upgrade path; false when the registry
// has none for it.
func (r *Registry) UpgradePath(product string) (Path, bool) {
	p, ok := r.bySlug[product]
	if !ok || p.UpgradePath == nil {
		return Path{}, false
	}
	u := p.UpgradePath
	src, _ := p.SourceByID(u.Source)
	out := Path{Product: product, Action: u.Action, Rollback: u.Rollback, Restart: u.Restart, Rebuilt: u.Rebuilt, SourceURL: src.URL}
	for i, h := range u.Hops {
		if i == 0 {
			out.Series = append(out.Series, h.From)
			out.HopSource = map[string]string{}
		}
		out.Series = append(out.Series, h.To)
		hs, _ := p.SourceByID(h.Source)
		out.HopSource[h.To] = hs.URL
	}
	return out, true
}
