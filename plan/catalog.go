package plan

import (
	"slices"
	"sort"
	"strings"
	"time"

	"upkeep/advisories"
	"upkeep/advisories/version"
	"upkeep/registry"
)

// Offer is one cycle of a product that an OS release's own repositories ship.
type Offer struct {
	Cycle    string   // upstream cycle: "8.2"
	Packages []string // what to install: php8.2, php8.2-fpm
	// OSSupported is true when the OS vendor patches this cycle for the OS
	// release's whole life (AL2023's openssl 3.0), false when support ends
	// with the upstream cycle (AL2023's namespaced php8.2) or on Until.
	OSSupported bool
	// Until is the day the OS vendor retires this line on the release
	// (a RHEL Application Stream's retirement date); zero when support is
	// the release's life or the upstream cycle's.
	Until  time.Time
	Note   string // a caveat of this line ("from RHEL 9.9")
	Source string // where the fact comes from
}

// Shipping is what an OS release ships of one product.
type Shipping struct {
	Known  bool    // false: upkeep's data does not say
	Offers []Offer // empty when Known and nothing is shipped
	Note   string  // what to use instead, or a caveat
	Source string  // where the fact comes from
}

// CycleSource gives a product's release cycles; *advisories.Data is one.
type CycleSource interface {
	Cycles(product string) []advisories.Cycle
}

// ShipTable is a table of what OS releases ship, keyed by os/cycle/product.
type ShipTable struct {
	rows map[string]*Shipping
}

// DefaultShips returns the registry's ships rows (registry/products/*.yaml,
// each row with its source) as a table.
func DefaultShips() *ShipTable {
	return ShipsFrom(registry.Default().Ships())
}

// ShipsFrom makes a table of ships rows. Rows of one OS release and product
// make one Shipping, with the first row's source; each row that ships a
// line is an offer with its own note and source, and a row of cycle "-"
// (ships none) gives the Shipping its note.
func ShipsFrom(rows []registry.ShipRow) *ShipTable {
	s := &ShipTable{rows: map[string]*Shipping{}}
	for _, r := range rows {
		key := r.OS + "/" + r.OSCycle + "/" + r.Product
		sh := s.rows[key]
		if sh == nil {
			sh = &Shipping{Known: true, Source: r.SourceURL}
			s.rows[key] = sh
		}
		if r.Cycle == "-" {
			if r.Note != "" {
				sh.Note = r.Note
			}
			continue
		}
		sh.Offers = append(sh.Offers, Offer{Cycle: r.Cycle, Packages: slices.Clone(r.Packages), Note: r.Note, Source: r.SourceURL,
			OSSupported: r.Support == registry.SupportOS, Until: r.UntilDate()})
	}
	return s
}

// Ships returns what os/osCycle ships of product. A RHEL rebuild (AlmaLinux,
// Rocky Linux, Oracle Linux, CentOS) reads the rows of its family, "el",
// when it has none of its own: the rebuilds ship RHEL's Application Streams.
func (s *ShipTable) Ships(os, osCycle, product string) Shipping {
	if sh := s.rows[os+"/"+osCycle+"/"+product]; sh != nil {
		return *sh
	}
	if fam := osFamily(os); fam != "" {
		if sh := s.rows[fam+"/"+osCycle+"/"+product]; sh != nil {
			return *sh
		}
	}
	return Shipping{}
}

// osFamily is the family of an OS product in the registry ("el" for rhel,
// almalinux, rocky-linux, oracle-linux and centos), "" when it has none.
func osFamily(product string) string {
	for _, f := range registry.Default().OSFamilies {
		if f.Product == product {
			return f.Family
		}
	}
	return ""
}

// catalog joins release cycles with a ships table.
type catalog struct {
	CycleSource
	*ShipTable
}

// NewCatalog makes the catalog the planner reads from cycle data (the
// advisories data) and a ships table (nil: DefaultShips).
func NewCatalog(cycles CycleSource, ships *ShipTable) Catalog {
	if ships == nil {
		ships = DefaultShips()
	}
	return catalog{cycles, ships}
}

// sortedCycles returns a product's cycles oldest first: by release date when
// every cycle has one (so Amazon Linux 2 comes after 2018.03), else by the
// cycle name as a version.
func sortedCycles(cs []advisories.Cycle) []advisories.Cycle {
	out := slices.Clone(cs)
	dated := true
	for _, c := range out {
		if c.Released.IsZero() {
			dated = false
			break
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if dated && !out[i].Released.Equal(out[j].Released) {
			return out[i].Released.Before(out[j].Released)
		}
		return cmpCycle(out[i].Name, out[j].Name) < 0
	})
	return out
}

// cmpCycle compares cycle names with the judge's own upstream order, so the
// planner and the judge never rank two lines differently ("1.0.2" before
// "1.1.1", "10" after "9"); equal versions ("8" and "8.0") fall back to
// text so the order stays total.
func cmpCycle(a, b string) int {
	if c := version.Compare(version.Upstream, a, b); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// major is the first dotted component of a cycle name ("8" of "8.2").
func major(cycle string) string {
	m, _, _ := strings.Cut(cycle, ".")
	return m
}

// supportedAt reports whether a cycle is still supported at the given
// moment (the date plus the --within window), counting extended support
// only when asked to.
func supportedAt(c advisories.Cycle, at time.Time, extended bool) bool {
	if !c.EOL.Passed(at) {
		return true
	}
	return extended && c.EOES.Tracked && !c.EOES.Passed(at)
}

// endOf returns the last supported day of a cycle as text, "" when unknown.
func endOf(c advisories.Cycle, extended bool) string {
	e := c.EOL
	if extended && c.EOES.Tracked && !c.EOES.Date.IsZero() {
		e = c.EOES
	}
	if e.Date.IsZero() {
		return ""
	}
	return e.Date.Format("2006-01-02")
}

// Replacement is a product an OS release ships in place of another one.
type Replacement struct {
	OS, OSCycle string
	Product     string // what is replaced: redis
	With        string // the replacement's product: valkey
	Label       string // Valkey
	Offer       Offer  // the replacement's cycle and packages on the release
	Plan        bool   // false: a note in the reasons only, the product itself stays the target
	Note        string
	Source      string
}

// DefaultReplacements returns the registry's replacements rows.
func DefaultReplacements() []Replacement {
	var out []Replacement
	for _, r := range registry.Default().Replacements() {
		out = append(out, Replacement{OS: r.OS, OSCycle: r.OSCycle, Product: r.Product, With: r.With, Label: r.Label,
			Offer: Offer{Cycle: r.Cycle, Packages: slices.Clone(r.Packages), OSSupported: r.Support == registry.SupportOS},
			Plan:  r.Use == "plan", Note: r.Note, Source: r.SourceURL})
	}
	return out
}

// replacementFor returns the row for a product on an OS release, if any; a
// RHEL rebuild reads its family's rows as it does for ships.
func replacementFor(rs []Replacement, os, osCycle, product string) *Replacement {
	for _, o := range []string{os, osFamily(os)} {
		for i := range rs {
			if o != "" && rs[i].OS == o && rs[i].OSCycle == osCycle && rs[i].Product == product {
				return &rs[i]
			}
		}
	}
	return nil
}
