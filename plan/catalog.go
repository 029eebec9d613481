package plan

import (
	_ "embed"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	goversion "github.com/hashicorp/go-version"

	"upkeep/advisories"
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

//go:embed data/ships.tsv
var shipsTSV string

// ShipTable is a table of what OS releases ship, keyed by os/cycle/product.
type ShipTable struct {
	rows map[string]*Shipping
}

// DefaultShips returns the embedded table (see data/ships.tsv for sources).
func DefaultShips() *ShipTable {
	s, err := ReadShips(strings.NewReader(shipsTSV))
	if err != nil {
		panic("embedded data/ships.tsv: " + err.Error()) // a build defect, caught by tests
	}
	return s
}

// ReadShips reads a ships table: tab-separated os, os_cycle, product, cycle
// ("-" when the OS ships none), packages (comma list), support (os,
// upstream, or until:YYYY-MM-DD), note, source. Lines starting with # are
// comments; every row needs a source.
func ReadShips(r io.Reader) (*ShipTable, error) {
	s := &ShipTable{rows: map[string]*Shipping{}}
	err := readTSV(r, "ships", 8, "os", func(f []string) error {
		if f[7] == "" {
			return fmt.Errorf("%s %s %s %s has no source", f[0], f[1], f[2], f[3])
		}
		key := f[0] + "/" + f[1] + "/" + f[2]
		sh := s.rows[key]
		if sh == nil {
			sh = &Shipping{Known: true, Source: f[7]}
			s.rows[key] = sh
		}
		if f[3] == "-" {
			if f[6] != "" {
				sh.Note = f[6]
			}
			return nil
		}
		of := Offer{Cycle: f[3], Packages: strings.Split(f[4], ","), Note: f[6], Source: f[7]}
		switch day, isUntil := strings.CutPrefix(f[5], "until:"); {
		case f[5] == "os":
			of.OSSupported = true
		case f[5] == "upstream":
		case isUntil:
			t, err := time.Parse(time.DateOnly, day)
			if err != nil {
				return fmt.Errorf("support %q: %w", f[5], err)
			}
			of.Until = t
		default:
			return fmt.Errorf("support %q, want os, upstream or until:YYYY-MM-DD", f[5])
		}
		if f[4] == "" {
			return fmt.Errorf("%s %s %s %s names no package", f[0], f[1], f[2], f[3])
		}
		for _, o := range sh.Offers {
			if o.Cycle == of.Cycle {
				return fmt.Errorf("%s %s %s %s listed twice", f[0], f[1], f[2], f[3])
			}
		}
		sh.Offers = append(sh.Offers, of)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s, nil
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

// cmpCycle compares cycle names as versions, falling back to text.
func cmpCycle(a, b string) int {
	va, ea := goversion.NewVersion(a)
	vb, eb := goversion.NewVersion(b)
	if ea == nil && eb == nil {
		if c := va.Compare(vb); c != 0 {
			return c
		}
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

//go:embed data/replacements.tsv
var replacementsTSV string

// DefaultReplacements returns the embedded table (see data/replacements.tsv).
func DefaultReplacements() []Replacement {
	r, err := ReadReplacements(strings.NewReader(replacementsTSV))
	if err != nil {
		panic("embedded data/replacements.tsv: " + err.Error()) // a build defect, caught by tests
	}
	return r
}

// ReadReplacements reads a replacements table: tab-separated os, os_cycle,
// product, replacement, label, cycle, packages (comma list), support (os or
// upstream), use (plan or note), note, source. Lines starting with # are
// comments; every row needs a source.
func ReadReplacements(r io.Reader) ([]Replacement, error) {
	var out []Replacement
	err := readTSV(r, "replacements", 11, "os", func(f []string) error {
		if f[7] != "upstream" && f[7] != "os" {
			return fmt.Errorf("support %q, want os or upstream", f[7])
		}
		if f[8] != "plan" && f[8] != "note" {
			return fmt.Errorf("use %q, want plan or note", f[8])
		}
		if f[10] == "" {
			return fmt.Errorf("%s → %s has no source", f[2], f[3])
		}
		out = append(out, Replacement{OS: f[0], OSCycle: f[1], Product: f[2], With: f[3], Label: f[4],
			Offer: Offer{Cycle: f[5], Packages: strings.Split(f[6], ","), OSSupported: f[7] == "os"},
			Plan:  f[8] == "plan", Note: f[9], Source: f[10]})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
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
