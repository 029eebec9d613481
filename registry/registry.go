package registry

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"
)

//go:embed products/*.yaml os.yaml repositories.yaml
var dataFS embed.FS

// Roles a package plays for its product.
const (
	RoleServer  = "server"  // a daemon that serves (nginx, mysqld, postgres)
	RoleRuntime = "runtime" // an interpreter or virtual machine (php, python3, java)
	RoleModule  = "module"  // loaded into the server or runtime (php-mysqlnd, mod_ssl, nginx-mod-*)
	RoleLibrary = "library" // a shared library other programs link (mariadb-libs, libssl3)
	RoleClient  = "client"  // a command-line client of a server (mysql, psql, redis-cli, kubectl)
	RoleConfig  = "config"  // directories, configuration or data files only (nginx-filesystem, *-common)
	RoleTooling = "tooling" // headers, documentation, build and admin tools (-devel, -doc, -tools)
)

// roleRank orders roles from the one that says most about a host to the least.
var roleRank = map[string]int{RoleServer: 0, RoleRuntime: 1, RoleLibrary: 2, RoleModule: 3, RoleClient: 4, RoleTooling: 5, RoleConfig: 6}

// RoleRank orders roles: a product's finding plays the lowest-ranked role
// among its packages (a server beats its client library).
func RoleRank(role string) int {
	if r, ok := roleRank[role]; ok {
		return r
	}
	return len(roleRank)
}

// Serving reports whether a role can make a product run or listen on its
// own: a library, client, module or configuration stub never does.
func Serving(role string) bool { return role == RoleServer || role == RoleRuntime }

// Source is where a fact in the registry comes from.
type Source struct {
	ID        string `yaml:"id"`        // referenced by rules in the same file
	URL       string `yaml:"url"`       // the page or repository file
	Retrieved string `yaml:"retrieved"` // YYYY-MM-DD the data was read
	About     string `yaml:"about"`     // what it says, in our words
}

// PackageRule maps package names to the product. See the package doc.
type PackageRule struct {
	Pattern string `yaml:"pattern"` // anchored regular expression on the package name; group "c" names the release line
	Manager string `yaml:"manager"` // rpm or dpkg; "" both
	Role    string `yaml:"role"`
	Primary *bool  `yaml:"primary"` // its version is the product's version on the host; default: role server or runtime
	Repo    string `yaml:"repo"`    // repositories.yaml id when only that repository family ships the name
	Dot     int    `yaml:"dot"`     // the "c" group has no dot: insert one after this many digits (php74 -> 7.4)
	Java    bool   `yaml:"java"`    // Java version strings (1.8.0.432.b06, 8u432-ga, 17.0.13+11)
	Version string `yaml:"version"` // when set, the upstream version must match (anchored)
	Note    string `yaml:"note"`
}

// IsPrimary reports whether the rule's packages carry the product's version.
func (r PackageRule) IsPrimary() bool {
	if r.Primary != nil {
		return *r.Primary
	}
	return Serving(r.Role)
}

// ProbeRule maps a binary the collector probed to the product.
type ProbeRule struct {
	Name   string `yaml:"name"`   // the collector's probe name (nginx, java, mysqld)
	Output string `yaml:"output"` // when set, the probe's output must match (unanchored); such rules win over plain ones
	// VendorUnknown marks a plain rule whose binaries do not say whose build
	// they are, when the vendor decides the support (Java): the finding keeps
	// the product (for readiness) but gets no verdict.
	VendorUnknown bool `yaml:"vendor_unknown"`
	Java          bool `yaml:"java"` // the binary prints a Java version (1.8.0_432, 17.0.13+11)

	output *regexp.Regexp // Output, compiled when the registry is loaded
}

// VendorRule is how long an OS vendor patches its own build of the product
// on one OS release: for the release's life, only as long as upstream, or
// until a date of its own (an Application Stream, a Software Collection).
type VendorRule struct {
	OS         string   `yaml:"os"`         // OS product slug (amazon-linux, ubuntu) or family (el: RHEL and its rebuilds)
	OSCycle    string   `yaml:"os_cycle"`   // "" every cycle
	Packages   string   `yaml:"packages"`   // anchored regexp on the package name; "" any package of the product
	Lines      []string `yaml:"lines"`      // release cycles of the product; empty any
	Stream     string   `yaml:"stream"`     // RHEL module stream (MODULARITYLABEL name:stream); "" none
	Modular    *bool    `yaml:"modular"`    // true: only modular builds; false: only non-modular ones; nil either
	Collection string   `yaml:"collection"` // Software Collection prefix (rh-php73, httpd24)
	Component  string   `yaml:"component"`  // archive component when the host does not say (universe)
	Support    string   `yaml:"support"`    // os, upstream or until
	Until      string   `yaml:"until"`      // YYYY-MM-DD, the last patched day, for support: until
	Source     string   `yaml:"source"`     // a source id of this file
	Note       string   `yaml:"note"`

	until time.Time
	re    *regexp.Regexp
}

// UntilDate is the parsed Until (zero when none).
func (v *VendorRule) UntilDate() time.Time { return v.until }

// Support kinds of a vendor rule.
const (
	SupportOS       = "os"       // patched for the OS release's life
	SupportUpstream = "upstream" // patched only while upstream supports the cycle
	SupportUntil    = "until"    // patched until the rule's date, and no longer than the OS
)

// AL2023 is what Amazon Linux 2023 has of the product, beyond its package list.
type AL2023 struct {
	Base       string      `yaml:"base"`                    // the package name the product goes by when not namespaced
	Compatible bool        `yaml:"compatible_within_major"` // releases within a major are drop-in for a move
	Later      []AL2023Pkg `yaml:"later"`                   // namespaced packages added after the embedded package list
	// Client is what to install on AL2023 on a host that has only the
	// product's client or libraries; set only for servers whose clients
	// are worth a remedy of their own (databases).
	Client string `yaml:"client"`
	Source string `yaml:"source"`
}

// AL2023Pkg is one AL2023 package and the release line it carries.
type AL2023Pkg struct {
	Name string `yaml:"name"`
	Line string `yaml:"line"`
}

// Ship is what one OS release ships of the product, for the planner and
// readiness: one row per release line; Cycle "-" says the release ships
// none (and Note says what to use instead).
type Ship struct {
	OS       string   `yaml:"os"`
	OSCycle  string   `yaml:"os_cycle"`
	Cycle    string   `yaml:"cycle"`
	Packages []string `yaml:"packages"`
	Support  string   `yaml:"support"` // os, upstream, or until (the OS vendor retires the line on Until)
	Until    string   `yaml:"until"`   // YYYY-MM-DD, for support: until (a RHEL Application Stream's retirement)
	Note     string   `yaml:"note"`
	Source   string   `yaml:"source"` // a source id of this file
}

// UntilDate is the parsed Until (zero when none; validated at load).
func (s Ship) UntilDate() time.Time {
	t, _ := time.Parse(time.DateOnly, s.Until)
	return t
}

// Replacement is a product an OS release ships in this one's place.
type Replacement struct {
	OS       string   `yaml:"os"`
	OSCycle  string   `yaml:"os_cycle"`
	With     string   `yaml:"with"` // replacement product slug
	Label    string   `yaml:"label"`
	Cycle    string   `yaml:"cycle"`
	Packages []string `yaml:"packages"`
	Support  string   `yaml:"support"` // os or upstream
	Use      string   `yaml:"use"`     // plan: the planner moves to it; note: named in the reasons only
	Note     string   `yaml:"note"`
	Source   string   `yaml:"source"` // a source id of this file
}

// Breaking is a known breaking transition between cycles of the product
// (of the OS, in os.yaml's transitions).
type Breaking struct {
	From    string `yaml:"from"` // cycle prefix: "7" matches 7.4, "5.7" only 5.7
	To      string `yaml:"to"`
	Summary string `yaml:"summary"` // the break, in our words
	Source  string `yaml:"source"`  // a source id of this file
}

// Product is everything upkeep knows about one product.
type Product struct {
	Slug          string        `yaml:"product"` // endoflife.date slug
	Label         string        `yaml:"label"`
	Sources       []Source      `yaml:"sources"`
	Packages      []PackageRule `yaml:"packages"`
	Probes        []ProbeRule   `yaml:"probes"`
	Processes     []string      `yaml:"processes"` // unit and process name prefixes, used when the owning package is not known
	VendorSupport []VendorRule  `yaml:"vendor_support"`
	AL2023        AL2023        `yaml:"al2023"`
	Ships         []Ship        `yaml:"ships"`
	Replacements  []Replacement `yaml:"replacements"`
	Breaking      []Breaking    `yaml:"breaking"`
	Readiness     Readiness     `yaml:"readiness"` // registry/readiness.go
	Notes         string        `yaml:"notes"`
	Links         []Link        `yaml:"links"`        // plan.go
	Runtime       string        `yaml:"runtime"`      // plan.go: the runtime group of a language runtime whose applications reach databases through drivers (java: every JDK build)
	RunsOn        []RunsOn      `yaml:"runs_on"`      // plan.go
	Database      *Database     `yaml:"database"`     // plan.go
	UpgradePath   *UpgradePath  `yaml:"upgrade_path"` // plan.go

	file string
}

// File is the registry file the product was read from (products/nginx.yaml).
func (p *Product) File() string { return p.file }

// SourceByID returns one of the product's sources.
func (p *Product) SourceByID(id string) (Source, bool) {
	for _, s := range p.Sources {
		if s.ID == id {
			return s, true
		}
	}
	return Source{}, false
}

// OSFamily is what upkeep knows about one os-release ID.
type OSFamily struct {
	ID      string   `yaml:"id"`      // os-release ID
	Product string   `yaml:"product"` // endoflife.date slug
	Family  string   `yaml:"family"`  // el for RHEL and its rebuilds; "" otherwise
	Parts   int      `yaml:"parts"`   // how many VERSION_ID numbers name the cycle
	Manager string   `yaml:"manager"` // rpm, dpkg or apk
	Vendors []string `yaml:"vendors"` // rpm VENDOR substrings of the OS's own packages
	Release string   `yaml:"release"` // a fragment every vendor rpm release carries (amzn), "" none

	Cycles *OSCycles `yaml:"cycles"` // registry/osfamily.go
}

// OSRule is a vendor rule that holds for every product of an OS release
// unless a product's own rule says otherwise.
type OSRule = VendorRule

// osFile is the shape of os.yaml.
type osFile struct {
	Sources     []Source       `yaml:"sources"`
	Families    []OSFamily     `yaml:"families"`
	Rules       []OSRule       `yaml:"vendor_support"`
	Transitions []OSTransition `yaml:"transitions"`

	osReadiness `yaml:",inline"` // registry/readiness.go
	osTools     `yaml:",inline"` // registry/ostools.go
}

// Repository is a family of package repositories.
type Repository struct {
	ID      string   `yaml:"id"`
	Label   string   `yaml:"label"`
	Vendor  bool     `yaml:"vendor"`  // the OS vendor's own (AppStream, SCL, AL2 extras); false: third party
	Markers []string `yaml:"markers"` // fragments of the release (rpm) or revision (dpkg) of its builds
	Source  string   `yaml:"source"`
	Note    string   `yaml:"note"`

	VendorOn []string `yaml:"vendor_on"` // os-release IDs whose own repositories ship the family (Corretto on amzn): the OS vendor's build there
}

type repoFile struct {
	Sources      []Source     `yaml:"sources"`
	Repositories []Repository `yaml:"repositories"`
	Targets      []RepoTarget `yaml:"targets"`

	repoReadiness `yaml:",inline"` // registry/readiness.go
}

// Registry is the whole registry, read-only once loaded.
type Registry struct {
	Products     []*Product // in file-name order
	OSFamilies   []OSFamily
	OSRules      []OSRule
	OSSources    []Source
	Repositories []Repository
	RepoSources  []Source
	Transitions  []OSTransition // os.yaml: breaking moves between OS releases
	RepoTargets  []RepoTarget   // repositories.yaml: vendor repositories that serve an OS release

	bySlug map[string]*Product
	byOS   map[string]OSFamily
	mapper *mapper
	ready  readinessData

	tools       []Tools      // os.yaml: package tools per OS release (ostools.go)
	familyLines []FamilyLine // os.yaml: the product whose releases stand for a family's
}

// Load reads the embedded registry. It is checked by the package's tests,
// so an error is a build defect.
func Load() (*Registry, error) {
	sub, err := fs.Sub(dataFS, ".")
	if err != nil {
		return nil, err
	}
	return Parse(sub)
}

// loadDefault parses the embedded registry on first use, not at start-up:
// a command that maps no package (help, inventory, vercmp, scans) does not
// pay for parsing every product file, which is most of a process's start
// under the race detector.
var loadDefault = sync.OnceValues(Load)

// Default returns the embedded registry, loaded once.
func Default() *Registry {
	r, err := loadDefault()
	if err != nil {
		panic("embedded product registry: " + err.Error()) // caught by the package's tests
	}
	return r
}

// Parse reads a registry laid out as the embedded one: products/*.yaml,
// os.yaml and repositories.yaml.
func Parse(fsys fs.FS) (*Registry, error) {
	r := &Registry{bySlug: map[string]*Product{}, byOS: map[string]OSFamily{}}
	names, err := fs.Glob(fsys, "products/*.yaml")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", n, err)
		}
		var p Product
		if err := decodeStrict(b, &p); err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		p.file = n
		if want := strings.TrimSuffix(path.Base(n), ".yaml"); p.Slug != want {
			return nil, fmt.Errorf("%s: product %q, want %q (the file is named after its product)", n, p.Slug, want)
		}
		if err := p.validate(); err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		r.Products = append(r.Products, &p)
		r.bySlug[p.Slug] = &p
	}
	b, err := fs.ReadFile(fsys, "os.yaml")
	if err != nil {
		return nil, fmt.Errorf("read os.yaml: %w", err)
	}
	var of osFile
	if err := decodeStrict(b, &of); err != nil {
		return nil, fmt.Errorf("os.yaml: %w", err)
	}
	r.OSFamilies, r.OSRules, r.OSSources, r.Transitions = of.Families, of.Rules, of.Sources, of.Transitions
	if err := checkSources("os.yaml", of.Sources); err != nil {
		return nil, err
	}
	for i, t := range of.Transitions {
		if err := t.validate(of.Sources); err != nil {
			return nil, fmt.Errorf("os.yaml transitions row %d (%s %s → %s): %w", i+1, t.OS, t.From, t.To, err)
		}
	}
	if err := r.validateTools(of.osTools, of.Sources); err != nil {
		return nil, err
	}
	for i := range r.OSRules {
		if err := r.OSRules[i].compile(of.Sources); err != nil {
			return nil, fmt.Errorf("os.yaml vendor_support %d: %w", i+1, err)
		}
	}
	for _, f := range r.OSFamilies {
		if f.ID == "" || f.Product == "" || f.Parts < 1 {
			return nil, fmt.Errorf("os.yaml: family %q needs id, product and parts", f.ID)
		}
		r.byOS[f.ID] = f
	}
	b, err = fs.ReadFile(fsys, "repositories.yaml")
	if err != nil {
		return nil, fmt.Errorf("read repositories.yaml: %w", err)
	}
	var rf repoFile
	if err := decodeStrict(b, &rf); err != nil {
		return nil, fmt.Errorf("repositories.yaml: %w", err)
	}
	r.Repositories, r.RepoSources, r.RepoTargets = rf.Repositories, rf.Sources, rf.Targets
	if err := checkSources("repositories.yaml", rf.Sources); err != nil {
		return nil, err
	}
	for i, t := range rf.Targets {
		if err := r.validateTarget(t, rf.Sources); err != nil {
			return nil, fmt.Errorf("repositories.yaml targets row %d (%s %s on %s %s): %w", i+1, t.Repository, t.Product, t.OS, t.OSCycle, err)
		}
	}
	for _, p := range r.Products {
		for _, pr := range p.Packages {
			if pr.Repo != "" && !slices.ContainsFunc(r.Repositories, func(x Repository) bool { return x.ID == pr.Repo }) {
				return nil, fmt.Errorf("%s: package %q: unknown repo %q (see repositories.yaml)", p.file, pr.Pattern, pr.Repo)
			}
		}
	}
	if err := r.validateShips(); err != nil {
		return nil, err
	}
	if err := r.validatePlanRefs(); err != nil {
		return nil, err
	}
	if err := r.validateOSCycles(of.Sources); err != nil {
		return nil, err
	}
	if err := r.validateReadiness(of.osReadiness, rf.repoReadiness, of.Sources, rf.Sources); err != nil {
		return nil, err
	}
	if r.mapper, err = newMapper(r.Products); err != nil {
		return nil, err
	}
	return r, nil
}

func decodeStrict(b []byte, v any) error {
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	return dec.Decode(v)
}

var knownRoles = []string{RoleServer, RoleRuntime, RoleModule, RoleLibrary, RoleClient, RoleConfig, RoleTooling}

func (p *Product) validate() error {
	if p.Label == "" {
		p.Label = p.Slug
	}
	if err := checkSources("", p.Sources); err != nil {
		return err
	}
	ids := sourceIDs(p.Sources)
	for _, r := range p.Packages {
		if !slices.Contains(knownRoles, r.Role) {
			return fmt.Errorf("package %q: role %q, want one of %s", r.Pattern, r.Role, strings.Join(knownRoles, ", "))
		}
		if r.Manager != "" && r.Manager != "rpm" && r.Manager != "dpkg" {
			return fmt.Errorf("package %q: manager %q, want rpm, dpkg or empty", r.Pattern, r.Manager)
		}
	}
	for i := range p.Probes {
		pr := &p.Probes[i]
		if pr.Output == "" {
			continue
		}
		re, err := regexp.Compile(pr.Output)
		if err != nil {
			return fmt.Errorf("probes row %d (%s): output: %w", i+1, pr.Name, err)
		}
		pr.output = re
	}
	for i := range p.VendorSupport {
		if err := p.VendorSupport[i].compile(p.Sources); err != nil {
			return fmt.Errorf("vendor_support %d: %w", i+1, err)
		}
	}
	if err := p.validateRows(ids); err != nil {
		return err
	}
	return p.validatePlan(ids)
}

func (v *VendorRule) compile(sources []Source) error {
	switch v.Support {
	case SupportOS, SupportUpstream:
	case SupportUntil:
		t, err := time.Parse(time.DateOnly, v.Until)
		if err != nil {
			return fmt.Errorf("until %q is not YYYY-MM-DD", v.Until)
		}
		v.until = t
	default:
		return fmt.Errorf("support %q, want os, upstream or until", v.Support)
	}
	if v.OS == "" {
		return fmt.Errorf("os is required")
	}
	if v.Source == "" || !slices.ContainsFunc(sources, func(s Source) bool { return s.ID == v.Source }) {
		return fmt.Errorf("source %q is not in the file's sources: every life-cycle rule names its source", v.Source)
	}
	if v.Packages != "" {
		re, err := regexp.Compile(`^(?:` + v.Packages + `)$`)
		if err != nil {
			return fmt.Errorf("packages: %w", err)
		}
		v.re = re
	}
	return nil
}

// Product returns a product by slug.
func (r *Registry) Product(slug string) (*Product, bool) {
	p, ok := r.bySlug[slug]
	return p, ok
}

// OSFamily returns what the registry knows of an os-release ID (lower case).
func (r *Registry) OSFamily(id string) (OSFamily, bool) {
	f, ok := r.byOS[strings.ToLower(strings.TrimSpace(id))]
	return f, ok
}

// Repository returns a repository family by id.
func (r *Registry) Repository(id string) (Repository, bool) {
	for _, x := range r.Repositories {
		if x.ID == id {
			return x, true
		}
	}
	return Repository{}, false
}

// ProbeProduct maps a probed binary to a product, reading the output where
// the name is not enough (a java that says Corretto, a mysqld that is
// MariaDB). Rules with an output pattern win over plain ones.
func (r *Registry) ProbeProduct(name, output string) string {
	slug, _ := r.ProbeLookup(name, output)
	return slug
}

// ProbeLookup is ProbeProduct, and whether the rule that matched says the
// binary's vendor is unknown (see ProbeRule.VendorUnknown).
func (r *Registry) ProbeLookup(name, output string) (slug string, vendorUnknown bool) {
	m := r.Probe(name, output)
	return m.Product, m.VendorUnknown
}

// ProbeNames returns every probe name the registry maps.
func (r *Registry) ProbeNames() []string {
	var out []string
	for _, p := range r.Products {
		for _, pr := range p.Probes {
			out = append(out, pr.Name)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// VendorQuery is one vendor build to find a life-cycle rule for.
type VendorQuery struct {
	OSProduct, OSCycle, OSFamily string // amazon-linux, 2023, el
	Product                      string
	Package                      string
	Cycle                        string
	Stream                       string // module stream from the MODULARITYLABEL, "" when not known
	Modular                      bool
	Collection                   string // Software Collection, "" none
}

// VendorRule returns the first rule of the product, then of os.yaml, that
// covers q; false when none does (the OS's own life cycle then holds).
func (r *Registry) VendorRule(q VendorQuery) (VendorRule, Source, bool) {
	if p, ok := r.bySlug[q.Product]; ok {
		for _, v := range p.VendorSupport {
			if v.matches(q) {
				s, _ := p.SourceByID(v.Source)
				return v, s, true
			}
		}
	}
	for _, v := range r.OSRules {
		if v.matches(q) {
			for _, s := range r.OSSources {
				if s.ID == v.Source {
					return v, s, true
				}
			}
		}
	}
	return VendorRule{}, Source{}, false
}

func (v *VendorRule) matches(q VendorQuery) bool {
	if v.OS != q.OSProduct && (v.OS != q.OSFamily || q.OSFamily == "") {
		return false
	}
	if v.OSCycle != "" && v.OSCycle != q.OSCycle {
		return false
	}
	if v.re != nil && !v.re.MatchString(q.Package) {
		return false
	}
	if len(v.Lines) > 0 && !slices.Contains(v.Lines, q.Cycle) {
		return false
	}
	if v.Stream != "" {
		// Without a MODULARITYLABEL only the release says a build is
		// modular; its stream is then the cycle it belongs to.
		inferred := q.Stream == "" && q.Modular && SameLine(q.Cycle, v.Stream)
		if v.Stream != q.Stream && !inferred {
			return false
		}
	}
	if v.Modular != nil && *v.Modular != q.Modular {
		return false
	}
	if v.Collection != "" && v.Collection != q.Collection && !(v.Collection == "*" && q.Collection != "") {
		return false
	}
	if v.Collection == "" && q.Collection != "" {
		return false // a collection's packages follow the collection's rules only
	}
	return true
}
