package advisories

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"upkeep/registry"
)

//go:embed data/endoflife-snapshot.json data/al2023-packages.tsv data/al2023-later.tsv data/al2-to-al2023.tsv
var dataFS embed.FS

// Labels are what a product calls each support phase ("Security Support",
// "Extended Support"); "" when the product does not track that phase.
type Labels struct {
	EOAS string
	EOL  string
	EOES string
}

// Product is one endoflife.date product and its release cycles.
type Product struct {
	Slug     string
	Label    string
	Category string // os, lang, server-app, ...
	Labels   Labels
	Cycles   []Cycle // in source order (mostly newest first)
}

// Data is the advisory data every verdict is made from: end-of-life cycles
// and Amazon Linux 2023 package availability. It is read-only once loaded
// and safe for concurrent use.
type Data struct {
	Source     string    // "endoflife.date"
	Commit     string    // source commit of the embedded snapshot, "" for an update
	Date       time.Time // the day the snapshot describes (commit date or fetch date)
	Origin     string    // "embedded" or where an update came from
	AL2023Date time.Time // the day of the AL2023 release the package data describes (not when it was fetched)

	products map[string]*Product
	cycleIdx map[string]map[string]int // product -> cycle name -> index in Cycles
	al2023   *al2023Data
	reg      *registry.Registry
}

// snapshot is the JSON shape of the embedded file (see data/README.md).
type snapshot struct {
	Source       string                     `json:"source"`
	SourceCommit string                     `json:"source_commit"`
	SnapshotDate string                     `json:"snapshot_date"`
	Products     map[string]snapshotProduct `json:"products"`
}

type snapshotProduct struct {
	Label    string `json:"label"`
	Category string `json:"category"`
	Labels   struct {
		EOAS *string `json:"eoas"`
		EOL  *string `json:"eol"`
		EOES *string `json:"eoes"`
	} `json:"labels"`
	Releases []snapshotRelease `json:"releases"`
}

type snapshotRelease struct {
	Cycle       string          `json:"cycle"`
	Codename    *string         `json:"codename"`
	ReleaseDate *string         `json:"release_date"`
	LTS         json.RawMessage `json:"lts"`
	EOAS        json.RawMessage `json:"eoas"`
	EOL         json.RawMessage `json:"eol"`
	EOES        json.RawMessage `json:"eoes"`
	Latest      *string         `json:"latest"`
}

// Load returns the embedded data.
func Load() (*Data, error) {
	b, err := dataFS.ReadFile("data/endoflife-snapshot.json")
	if err != nil {
		return nil, fmt.Errorf("read embedded end-of-life data: %w", err)
	}
	d, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("embedded end-of-life data: %w", err)
	}
	d.Origin = "embedded"
	return d, nil
}

// Parse reads an end-of-life snapshot in the embedded file's format and
// attaches the embedded AL2023 tables.
func Parse(b []byte) (*Data, error) {
	var s snapshot
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("parse end-of-life snapshot: %w", err)
	}
	if len(s.Products) == 0 {
		return nil, errors.New("parse end-of-life snapshot: no products")
	}
	date, err := time.Parse(time.DateOnly, s.SnapshotDate)
	if err != nil {
		return nil, fmt.Errorf("parse end-of-life snapshot: snapshot_date %q: %w", s.SnapshotDate, err)
	}
	d := &Data{Source: s.Source, Commit: s.SourceCommit, Date: date,
		products: map[string]*Product{}, cycleIdx: map[string]map[string]int{}}
	for slug, sp := range s.Products {
		p, err := convertProduct(slug, sp)
		if err != nil {
			return nil, fmt.Errorf("parse end-of-life snapshot: %w", err)
		}
		d.addProduct(p)
	}
	d.reg = registry.Default()
	if d.al2023, err = loadAL2023(d.reg); err != nil {
		return nil, err
	}
	rd, err := releaseDate(d.al2023.release)
	if err != nil {
		return nil, fmt.Errorf("embedded AL2023 package list: %w", err)
	}
	d.AL2023Date, _ = time.Parse(time.DateOnly, rd)
	return d, nil
}

func (d *Data) addProduct(p *Product) {
	d.products[p.Slug] = p
	idx := make(map[string]int, len(p.Cycles))
	for i, c := range p.Cycles {
		idx[c.Name] = i
	}
	d.cycleIdx[p.Slug] = idx
}

func convertProduct(slug string, sp snapshotProduct) (*Product, error) {
	p := &Product{Slug: slug, Label: sp.Label, Category: sp.Category,
		Labels: Labels{EOAS: deref(sp.Labels.EOAS), EOL: deref(sp.Labels.EOL), EOES: deref(sp.Labels.EOES)}}
	if p.Label == "" {
		p.Label = slug
	}
	for _, r := range sp.Releases {
		if r.Cycle == "" {
			return nil, fmt.Errorf("product %s: a release has no cycle", slug)
		}
		c := Cycle{Product: slug, Name: r.Cycle, Codename: deref(r.Codename), Latest: deref(r.Latest)}
		var err error
		if c.EOAS, err = parsePhase(r.EOAS); err != nil {
			return nil, fmt.Errorf("product %s cycle %s: eoas: %w", slug, r.Cycle, err)
		}
		if c.EOL, err = parsePhase(r.EOL); err != nil {
			return nil, fmt.Errorf("product %s cycle %s: eol: %w", slug, r.Cycle, err)
		}
		if c.EOES, err = parsePhase(r.EOES); err != nil {
			return nil, fmt.Errorf("product %s cycle %s: eoes: %w", slug, r.Cycle, err)
		}
		if r.ReleaseDate != nil {
			c.Released, _ = time.Parse(time.DateOnly, *r.ReleaseDate) // informative only
		}
		lts, err := parsePhase(r.LTS)
		if err != nil {
			return nil, fmt.Errorf("product %s cycle %s: lts: %w", slug, r.Cycle, err)
		}
		c.LTS = lts.Ended || !lts.Date.IsZero()
		p.Cycles = append(p.Cycles, c)
	}
	return p, nil
}

// parsePhase reads one eol/eoas/eoes/lts value: a date, true, false or null.
func parsePhase(raw json.RawMessage) (PhaseEnd, error) {
	s := string(bytes.TrimSpace(raw))
	switch s {
	case "", "null":
		return PhaseEnd{}, nil
	case "true":
		return PhaseEnd{Ended: true, Tracked: true}, nil
	case "false":
		return PhaseEnd{Tracked: true}, nil
	}
	var str string
	if err := json.Unmarshal(raw, &str); err != nil {
		return PhaseEnd{}, fmt.Errorf("want a date, true, false or null, got %s", s)
	}
	t, err := time.Parse(time.DateOnly, str)
	if err != nil {
		return PhaseEnd{}, fmt.Errorf("want a YYYY-MM-DD date, got %q", str)
	}
	return PhaseEnd{Date: t, Tracked: true}, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Product returns one product by its endoflife.date slug.
func (d *Data) Product(slug string) (*Product, bool) {
	p, ok := d.products[slug]
	return p, ok
}

// Products returns every product slug, sorted.
func (d *Data) Products() []string {
	out := make([]string, 0, len(d.products))
	for s := range d.products {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// Cycles returns a product's release cycles in the source's order (mostly
// newest first), or nil for a product the data does not know. The slice is
// a copy: callers may sort it.
func (d *Data) Cycles(product string) []Cycle {
	p, ok := d.products[product]
	if !ok {
		return nil
	}
	return append([]Cycle(nil), p.Cycles...)
}

// Cycle returns one release cycle by its exact name.
func (d *Data) Cycle(product, name string) (Cycle, bool) {
	i, ok := d.cycleIdx[product][name]
	if !ok {
		return Cycle{}, false
	}
	return d.products[product].Cycles[i], true
}

// MatchCycle finds the cycle an upstream version belongs to: the longest
// leading run of its dotted numbers that names a cycle ("1.0.2k" -> "1.0.2",
// "7.0.76" -> tomcat "7", "20.10.25" -> docker "20.10"). It reports false
// when no prefix names a cycle.
func (d *Data) MatchCycle(product, upstream string) (Cycle, bool) {
	idx, ok := d.cycleIdx[product]
	if !ok {
		return Cycle{}, false
	}
	parts := numericParts(upstream)
	for n := len(parts); n >= 1; n-- {
		name := joinParts(parts[:n])
		if i, ok := idx[name]; ok {
			return d.products[product].Cycles[i], true
		}
	}
	return Cycle{}, false
}

// WithProducts returns a copy of d in which the given products replace
// (or add to) the ones d has; the AL2023 tables are shared.
func (d *Data) WithProducts(ps []*Product, date time.Time, origin string) *Data {
	n := &Data{Source: d.Source, Date: date, Origin: origin, AL2023Date: d.AL2023Date,
		products: make(map[string]*Product, len(d.products)), cycleIdx: make(map[string]map[string]int, len(d.cycleIdx)),
		al2023: d.al2023, reg: d.reg}
	for k, v := range d.products {
		n.products[k] = v
		n.cycleIdx[k] = d.cycleIdx[k]
	}
	for _, p := range ps {
		n.addProduct(p)
	}
	return n
}

// WithRegistry returns a copy of d that reads r in place of the embedded
// registry: a changed copy of the registry files (registry.Parse) judges
// and words readiness by its rows alone. The AL2023 tables are read anew
// through r (the embedded package list; not repository data).
func (d *Data) WithRegistry(r *registry.Registry) (*Data, error) {
	a, err := loadAL2023(r)
	if err != nil {
		return nil, err
	}
	n := *d
	n.reg, n.al2023 = r, a
	return &n, nil
}
