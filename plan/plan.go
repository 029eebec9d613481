// Package plan orders the upgrades of a fleet: it groups hosts into cohorts,
// turns findings into steps (one product, or the OS, on one cohort), links the
// steps by a table of dependency rules, weighs each step's risk, and orders
// them into waves by environment. Every step says why it is where it is.
//
// It is a library with plain inputs and outputs: findings, hosts, a catalog of
// release cycles and the date. It never reads the clock, a database or AWS.
package plan

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"upkeep/advisories"
	"upkeep/registry"
)

// Strategy chooses the target cycle of a step.
type Strategy string

// Strategies.
const (
	Minimal Strategy = "minimal" // the smallest jump to a supported cycle
	Latest  Strategy = "latest"  // the newest supported cycle
)

// ParseStrategy checks a --strategy value.
func ParseStrategy(s string) (Strategy, error) {
	switch Strategy(s) {
	case Minimal, Latest:
		return Strategy(s), nil
	}
	return "", fmt.Errorf("unknown strategy %q: use minimal or latest", s)
}

// Host is one machine as the planner needs it: an identity, its tags and,
// when Input.Findings is empty, its findings. A judged fleet shares its
// findings between hosts, so they come by pointer and their Host fields
// are not read; the planner never modifies them.
type Host struct {
	ID       string
	Name     string
	Tags     map[string]string
	Findings []*advisories.Finding
}

// Catalog is what the planner needs to know about products: their release
// cycles (from endoflife.date data) and what an operating system's own
// repositories ship. Tests pass a small in-memory one; the CLI passes the
// embedded data.
type Catalog interface {
	Cycles(product string) []advisories.Cycle
	Ships(os, osCycle, product string) Shipping
}

// Options are the user's choices.
type Options struct {
	GroupBy         []string      // tag keys that split cohorts; default Role, Env
	WaveTag         string        // tag whose values are the waves; default Env
	Waves           []string      // wave order (values of WaveTag); nil = derived from the tags found
	Strategy        Strategy      // default Minimal
	All             bool          // also list products that need nothing
	Within          time.Duration // a target must stay supported at least this long after the date
	ExtendedSupport bool          // count extended (often paid) support phases as supported
	Rules           []Rule        // nil = RulesFrom(Registry)
	// Registry holds what the rules and upgrade paths know of each product
	// (links, runtime, runs_on, database, upgrade_path); nil = registry.Default().
	Registry     *registry.Registry
	Breaking     []Breaking    // nil = DefaultBreaking()
	Replacements []Replacement // nil = DefaultReplacements()
}

// Input is everything one plan is made from.
type Input struct {
	At       time.Time // the date every judgement is made at
	DataDate string    // date of the end-of-life data, printed in every report
	Hosts    []Host
	Findings []advisories.Finding // every host's findings, by Finding.Host; or empty, and each Host carries its own
	Catalog  Catalog
	Options  Options
}

// Risk levels, from least to most.
type Risk string

// Risk levels.
const (
	RiskLow      Risk = "low"
	RiskMedium   Risk = "medium"
	RiskHigh     Risk = "high"
	RiskCritical Risk = "critical"
)

// Step kinds.
const (
	KindOS      = "os"
	KindPackage = "package"
)

// Step actions: what the step does to the cohort.
const (
	ActionUpgrade = "upgrade" // move to a newer cycle
	ActionMove    = "move"    // move the OS to its successor
	ActionKeep    = "keep"    // nothing to do (listed only with Options.All)
	ActionReplace = "replace" // move to another product the new release ships in its place (redis → valkey)
)

// Step is one upgrade of one product (or the OS) on one cohort.
type Step struct {
	Number       int      `json:"step"`
	Wave         string   `json:"wave"`
	Cohort       string   `json:"cohort"`
	HostCount    int      `json:"host_count"`
	Hosts        []string `json:"hosts"`
	Canary       string   `json:"canary,omitempty"`
	Kind         string   `json:"kind"`
	Action       string   `json:"action"`
	Product      string   `json:"product"`
	ProductLabel string   `json:"product_label"`
	From         string   `json:"from"`
	FromCycle    string   `json:"from_cycle"`
	To           string   `json:"to"`
	ToProduct    string   `json:"to_product,omitempty"` // a replacement's product: valkey
	ToLabel      string   `json:"to_label,omitempty"`   // its name for people: Valkey
	OnOS         string   `json:"on_os"`                // the OS the step runs on: "Amazon Linux 2023"
	DependsOn    []int    `json:"depends_on"`
	Risk         Risk     `json:"risk"`
	Score        int      `json:"risk_score"`
	Reasons      []string `json:"reasons"`
	Why          []string `json:"why"` // why the step is where it is: wave, dependencies by rule, what it was taken ahead of
	Hint         string   `json:"hint"`
	Packages     []string `json:"packages,omitempty"` // installed packages of the product
	Status       string   `json:"status"`             // the finding's verdict: eol, eol-soon, ...
	EOLDate      string   `json:"eol_date,omitempty"`
	Ports        []int    `json:"ports,omitempty"`
	Urgency      int      `json:"urgency"`
	// Database steps: how the data moves, how to go back, what restarts.
	Migration string `json:"migration,omitempty"`
	Rollback  string `json:"rollback,omitempty"`
	Restart   string `json:"restart,omitempty"`

	deps     []dep // edges into this step, with the rule that made each
	wave     int
	prevWave int   // the nearest earlier wave with the same change, -1 if none
	ahead    *Step // the best other step of the wave that was also ready when this one was taken
	c        *Cohort
	facts    *facts
}

// dep is one dependency of a step and the rule behind it.
type dep struct {
	on   *Step
	rule *Rule
}

// Cohort is a group of hosts upgraded together.
type Cohort struct {
	Name     string            `json:"name"`
	Wave     string            `json:"wave"`
	Tags     map[string]string `json:"tags"`
	OS       string            `json:"os"` // "Amazon Linux 2"
	Hosts    []string          `json:"hosts"`
	Products []string          `json:"products"` // "nginx 1.10", sorted

	osProduct, osCycle string
	findings           map[string][]*advisories.Finding // "product cycle" -> one per host
	osFindings         []*advisories.Finding
	waveIdx            int
}

// Plan is the ordered list of steps.
type Plan struct {
	At       string    `json:"at"`
	DataDate string    `json:"data_date"`
	Strategy Strategy  `json:"strategy"`
	GroupBy  []string  `json:"group_by"`
	Waves    []string  `json:"waves"`
	Cohorts  []*Cohort `json:"cohorts"`
	Steps    []*Step   `json:"steps"`
	Notes    []string  `json:"notes"` // what the planner could not plan, and why
}

// TagKeys are the host tags a plan with these options reads: the group-by
// keys and the wave tag.
func TagKeys(o Options) []string {
	keys := slices.Clone(o.GroupBy)
	if len(keys) == 0 {
		keys = []string{"Role", "Env"}
	}
	wave := o.WaveTag
	if wave == "" {
		wave = "Env"
	}
	if !slices.Contains(keys, wave) {
		keys = append(keys, wave)
	}
	return keys
}

// Build makes a plan. It fails only on bad options or a dependency cycle.
func Build(in Input) (*Plan, error) {
	o := in.Options
	if len(o.GroupBy) == 0 {
		o.GroupBy = []string{"Role", "Env"}
	}
	if o.WaveTag == "" {
		o.WaveTag = "Env"
	}
	if o.Strategy == "" {
		o.Strategy = Minimal
	}
	if o.Registry == nil {
		o.Registry = registry.Default()
	}
	if o.Rules == nil {
		o.Rules = RulesFrom(o.Registry)
	}
	if o.Breaking == nil {
		o.Breaking = DefaultBreaking()
	}
	if o.Replacements == nil {
		o.Replacements = DefaultReplacements()
	}
	if in.Catalog == nil {
		return nil, fmt.Errorf("plan: no catalog of release cycles")
	}
	in.Options = o

	cohorts, notes := groupCohorts(in)
	waves, err := orderWaves(cohorts, o.Waves, o.WaveTag)
	if err != nil {
		return nil, err
	}
	p := &Plan{
		At:       in.At.Format("2006-01-02"),
		DataDate: in.DataDate,
		Strategy: o.Strategy,
		GroupBy:  o.GroupBy,
		Waves:    waves,
		Cohorts:  cohorts,
		Notes:    notes,
	}
	steps, more := makeSteps(in, cohorts)
	p.Notes = append(p.Notes, more...)
	for _, s := range steps {
		assessRisk(s, in, o.Breaking)
	}
	if err := link(steps, o.Rules, len(waves)); err != nil {
		return nil, err
	}
	ordered, err := order(steps)
	if err != nil {
		return nil, err
	}
	for i, s := range ordered {
		s.Number = i + 1
	}
	for _, s := range ordered {
		s.DependsOn = s.dependsOn()
		s.Why = explainPlace(s, waves)
	}
	p.Steps = ordered
	return p, nil
}

// Step returns step n (1-based), or an error naming the valid range.
func (p *Plan) Step(n int) (*Step, error) {
	if n < 1 || n > len(p.Steps) {
		return nil, fmt.Errorf("no step %d: the plan has %d steps", n, len(p.Steps))
	}
	return p.Steps[n-1], nil
}

// cohortLabel is the cohort's name as steps print it.
func cohortLabel(tags map[string]string, keys []string) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		v := tags[k]
		if v == "" {
			v = "no-" + strings.ToLower(k)
		}
		parts[i] = v
	}
	return strings.Join(parts, "/")
}
