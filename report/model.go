// Package report builds the fleet report for people: one model made from the
// judged hosts, their Amazon Linux 2023 readiness and the upgrade plan, and
// writers that lay it out as HTML (with inline SVG charts), Markdown or JSON.
//
// The model is where counting and grouping happen; writers format it and
// decide nothing. The model never reads the clock: the evaluation day, the
// data dates and the scan's own date come in with the input.
package report

import (
	"cmp"
	"fmt"
	"iter"
	"maps"
	"slices"
	"time"

	"upkeep/advisories"
	"upkeep/advisories/version"
	"upkeep/inventory"
	"upkeep/plan"
)

// StaleDays is the age, at the evaluation day, past which the report warns
// that its end-of-life data may no longer be true.
const StaleDays = 90

// Input is everything one report is made from.
type Input struct {
	Fleet     string           // what the scan targeted, as the user said it
	Database  string           // the database file's name (no folder: reports travel)
	Scan      inventory.Scan   // the scan the report is about
	At        time.Time        // the evaluation day
	Data      *advisories.Data // the data every verdict was made from
	Hosts     []advisories.Judged
	Readiness iter.Seq[advisories.HostReadiness] // each scanned host's, made as it is read
	Plan      *plan.Plan
	History   History // the burn-down: finding counts of the kept scans up to this one
}

// Report is the model every writer formats. Its JSON field names are stable.
type Report struct {
	Fleet      string      `json:"fleet"`
	Database   string      `json:"database"`
	ScanID     int64       `json:"scan_id"`
	ScanSource string      `json:"scan_source"`
	ScanDate   string      `json:"scan_date"`  // when the scan started, UTC
	ScanTitle  string      `json:"scan_title"` // "SSM scan of 3 regions, 1,234 hosts, 2026-12-01"
	At         string      `json:"at"`         // the evaluation day
	Data       DataInfo    `json:"data"`
	Summary    Summary     `json:"summary"`
	Cycles     []Cycle     `json:"cycles"` // product cycles found, by end date: the EOL timeline
	Spread     []Spread    `json:"spread"` // hosts per cycle, per product
	Findings   []Group     `json:"findings"`
	Readiness  []HostReady `json:"readiness"`
	Steps      []Step      `json:"steps"`
	PlanNotes  []string    `json:"plan_notes"`
	Unscanned  []Unscanned `json:"unscanned"`
	History    History     `json:"history"` // finding counts over the kept scans: the burn-down
}

// DataInfo states where the verdicts come from and how old that is.
type DataInfo struct {
	Source        string `json:"source"` // endoflife.date
	Date          string `json:"date"`   // the end-of-life snapshot's day
	Commit        string `json:"commit"` // the snapshot's source commit, when embedded
	Origin        string `json:"origin"` // embedded, or an update
	AL2023Release string `json:"al2023_release"`
	AL2023Date    string `json:"al2023_date"` // the day of the AL2023 release the package list describes
	AgeDays       int    `json:"age_days"`    // end-of-life data age at the evaluation day
	Stale         bool   `json:"stale"`       // older than StaleDays
	Warning       string `json:"warning"`     // what to do about stale data; "" when fresh
}

// Count is a number of hosts (or findings) with one label.
type Count struct {
	Label string `json:"label"`
	Count int    `json:"count"`
}

// Summary holds the tile numbers.
type Summary struct {
	Hosts        int     `json:"hosts"`
	Scanned      int     `json:"scanned"`
	NotScanned   int     `json:"not_scanned"`
	ByStatus     []Count `json:"by_status"`      // scan statuses present, in inventory order
	HostsEOL     int     `json:"hosts_eol"`      // hosts with an eol finding not waived
	HostsEOLSoon int     `json:"hosts_eol_soon"` // hosts with an eol-soon finding not waived
	Findings     []Count `json:"findings"`       // findings per verdict, worst first
	Waived       int     `json:"waived"`         // findings a waiver accepts
	Ready        int     `json:"ready"`
	NeedsWork    int     `json:"needs_work"`
	Blocked      int     `json:"blocked"`
	Steps        int     `json:"steps"`
}

// Cycle is one product cycle found in the fleet.
type Cycle struct {
	Product      string  `json:"product"`
	ProductLabel string  `json:"product_label"`
	Cycle        string  `json:"cycle"`
	EOLDate      string  `json:"eol_date"` // the earliest end date its findings carry; "" when none
	Verdict      string  `json:"verdict"`  // the worst verdict on any host
	Hosts        int     `json:"hosts"`
	Verdicts     []Count `json:"verdicts"` // hosts per verdict, worst first
}

// Spread is how one product's hosts divide among its cycles.
type Spread struct {
	Product      string  `json:"product"`
	ProductLabel string  `json:"product_label"`
	Hosts        int     `json:"hosts"` // hosts with the product (a host may run two cycles)
	Cycles       []Cycle `json:"cycles"`
}

// Group is the findings of one product cycle with one verdict.
type Group struct {
	Product      string   `json:"product"`
	ProductLabel string   `json:"product_label"`
	Cycle        string   `json:"cycle"`
	Verdict      string   `json:"verdict"`
	EOLDate      string   `json:"eol_date"`
	DistroUntil  string   `json:"distro_until"`
	HostCount    int      `json:"host_count"`
	Hosts        []string `json:"hosts"`    // host names, sorted
	Versions     []string `json:"versions"` // as installed, sorted
	Running      int      `json:"running"`  // hosts where it runs or listens
	Ports        []int    `json:"ports"`    // listening ports on any of those hosts
	AL2023       []string `json:"al2023"`   // availability on Amazon Linux 2023, sorted
	Waived       int      `json:"waived"`   // findings a waiver accepts
}

// HostReady is one host's AL2023 readiness.
type HostReady struct {
	Host       string   `json:"host"`
	HostName   string   `json:"host_name"`
	OS         string   `json:"os"`
	Readiness  string   `json:"readiness"`
	Inhibitors []string `json:"inhibitors"` // what blocks the move
	Work       []string `json:"work"`       // what must change first (low severity and up)
	Waived     int      `json:"waived"`
}

// Step is one step of the upgrade plan.
type Step struct {
	Number       int      `json:"step"`
	Wave         string   `json:"wave"`
	Cohort       string   `json:"cohort"`
	HostCount    int      `json:"host_count"`
	Hosts        []string `json:"hosts"`
	Kind         string   `json:"kind"`
	Action       string   `json:"action"`
	Product      string   `json:"product"`
	ProductLabel string   `json:"product_label"`
	From         string   `json:"from"`
	To           string   `json:"to"`
	ToLabel      string   `json:"to_label,omitempty"` // the product moved to, when it is another one (Valkey for Redis)
	OnOS         string   `json:"on_os"`
	Risk         string   `json:"risk"`
	Reasons      []string `json:"reasons"`
	DependsOn    []int    `json:"depends_on"`
}

// Unscanned is a host of the scan without package data, and why.
type Unscanned struct {
	Host     string `json:"host"`
	HostName string `json:"host_name"`
	Status   string `json:"status"`
	Error    string `json:"error"`
}

// verdictOrder ranks verdicts worst first; findings and charts follow it.
// Unknown ranks above the supported verdicts: it needs a look.
// Unpatched (a vendor build whose vendor stopped patching it) ranks with
// eol: both need action now.
func verdictOrder() []advisories.Verdict {
	return []advisories.Verdict{advisories.VerdictEOL, advisories.VerdictUnpatched, advisories.VerdictEOLSoon, advisories.VerdictUnknown,
		advisories.VerdictDistroSupported, advisories.VerdictSupported}
}

func verdictRank(v string) int {
	order := verdictOrder()
	i := slices.Index(order, advisories.Verdict(v))
	if i < 0 {
		return len(order)
	}
	return i
}

// Build makes the report model. It fails only when an input is missing.
func Build(in Input) (*Report, error) {
	if in.Data == nil {
		return nil, fmt.Errorf("build report: no advisory data")
	}
	if in.Plan == nil {
		return nil, fmt.Errorf("build report: no plan")
	}
	r := &Report{
		Fleet:      in.Fleet,
		Database:   in.Database,
		ScanID:     in.Scan.ID,
		ScanSource: in.Scan.Source,
		At:         in.At.Format(time.DateOnly),
		Data:       dataInfo(in.Data, in.At),
		PlanNotes:  slices.Clone(in.Plan.Notes),
	}
	if !in.Scan.Started.IsZero() {
		r.ScanDate = in.Scan.Started.UTC().Format("2006-01-02 15:04 UTC")
	}
	r.ScanTitle = scanTitle(in.Scan, in.Hosts)
	r.Summary = summarize(in)
	r.Cycles, r.Spread = cycles(in.Hosts)
	r.Findings = groups(in.Hosts)
	r.Readiness = readiness(in.Readiness, &r.Summary)
	r.Steps = steps(in.Plan)
	r.Summary.Steps = len(r.Steps)
	for _, h := range in.Hosts {
		if !h.Status.Scanned() {
			r.Unscanned = append(r.Unscanned, Unscanned{Host: h.Host.ID, HostName: hostName(h.Host), Status: string(h.Status), Error: h.Error})
		}
	}
	if r.PlanNotes == nil {
		r.PlanNotes = []string{}
	}
	if r.Unscanned == nil {
		r.Unscanned = []Unscanned{}
	}
	r.History = in.History
	if r.History.Points == nil {
		r.History.Points = []BurnPoint{}
	}
	if r.History.Missing == nil {
		r.History.Missing = []int64{}
	}
	return r, nil
}

func dataInfo(d *advisories.Data, at time.Time) DataInfo {
	di := DataInfo{Source: d.Source, Date: d.Date.Format(time.DateOnly), Commit: d.Commit, Origin: d.Origin,
		AL2023Release: d.AL2023Release()}
	if !d.AL2023Date.IsZero() {
		di.AL2023Date = d.AL2023Date.Format(time.DateOnly)
	}
	di.AgeDays = int(at.Sub(d.Date).Hours() / 24)
	if di.AgeDays > StaleDays {
		di.Stale = true
		di.Warning = fmt.Sprintf("The end-of-life data is %d days old at %s (more than %d): verdicts may have changed since. Refresh it with 'upkeep data update'.",
			di.AgeDays, at.Format(time.DateOnly), StaleDays)
	}
	return di
}

func hostName(h inventory.Host) string {
	if h.Name != "" {
		return h.Name
	}
	return h.ID
}

func summarize(in Input) Summary {
	s := Summary{Hosts: len(in.Hosts)}
	status := map[inventory.Status]int{}
	verdicts := map[string]int{}
	for i := range in.Hosts {
		h := &in.Hosts[i]
		status[h.Status]++
		if h.Status.Scanned() {
			s.Scanned++
		} else {
			s.NotScanned++
		}
		eol, soon := false, false
		for _, f := range h.Findings {
			verdicts[string(f.Status)]++
			if f.Waived {
				s.Waived++
				continue
			}
			eol = eol || f.Status == advisories.VerdictEOL
			soon = soon || f.Status == advisories.VerdictEOLSoon
		}
		if eol {
			s.HostsEOL++
		}
		if soon {
			s.HostsEOLSoon++
		}
	}
	s.ByStatus = []Count{}
	for _, st := range inventory.Statuses {
		if n := status[st]; n > 0 {
			s.ByStatus = append(s.ByStatus, Count{string(st), n})
		}
	}
	s.Findings = verdictCounts(verdicts)
	return s
}

// verdictCounts lists the non-zero counts, worst verdict first.
func verdictCounts(m map[string]int) []Count {
	out := []Count{}
	for _, v := range verdictOrder() {
		if n := m[string(v)]; n > 0 {
			out = append(out, Count{string(v), n})
		}
	}
	return out
}

// productOf is the product slug and label a finding is filed under; an
// unmapped finding is filed under its package.
func productOf(f *advisories.Finding) (string, string) {
	if f.Product == "" {
		return "", "unmapped: " + f.Package
	}
	if f.ProductLabel != "" {
		return f.Product, f.ProductLabel
	}
	return f.Product, f.Product
}

type cycleKey struct{ product, label, cycle string }

// counter counts distinct hosts: the model reads hosts one after another,
// each with all its findings, so remembering the last host counted is
// enough, where a set per cycle would hold every host of the fleet.
type counter struct {
	n    int
	last int // index of the last host counted, plus one
}

func (c *counter) add(host int) {
	if c.last != host+1 {
		c.n++
		c.last = host + 1
	}
}

type cycleAcc struct {
	Cycle
	hosts    counter
	verdicts map[string]*counter
}

// cycles counts hosts per product cycle, for the timeline (ordered by end
// date) and the spread (by product, cycles in version order).
func cycles(hosts []advisories.Judged) ([]Cycle, []Spread) {
	acc := map[cycleKey]*cycleAcc{}
	productHosts := map[cycleKey]*counter{}
	for i := range hosts {
		for _, f := range hosts[i].Findings {
			slug, label := productOf(f)
			if slug == "" {
				continue
			}
			k := cycleKey{slug, label, f.Cycle}
			a, ok := acc[k]
			if !ok {
				a = &cycleAcc{Cycle: Cycle{Product: slug, ProductLabel: label, Cycle: f.Cycle}, verdicts: map[string]*counter{}}
				acc[k] = a
			}
			a.hosts.add(i)
			vc := a.verdicts[string(f.Status)]
			if vc == nil {
				vc = &counter{}
				a.verdicts[string(f.Status)] = vc
			}
			vc.add(i)
			if f.EOLDate != "" && (a.EOLDate == "" || f.EOLDate < a.EOLDate) {
				a.EOLDate = f.EOLDate
			}
			pk := cycleKey{product: slug, label: label}
			if productHosts[pk] == nil {
				productHosts[pk] = &counter{}
			}
			productHosts[pk].add(i)
		}
	}
	var all []Cycle
	for _, a := range acc {
		c := a.Cycle
		c.Hosts = a.hosts.n
		counts := map[string]int{}
		for v, hs := range a.verdicts {
			counts[v] = hs.n
		}
		c.Verdicts = verdictCounts(counts)
		if len(c.Verdicts) > 0 {
			c.Verdict = c.Verdicts[0].Label
		}
		all = append(all, c)
	}
	byProduct := func(a, b Cycle) int {
		return cmp.Or(cmp.Compare(a.ProductLabel, b.ProductLabel), cmp.Compare(a.Product, b.Product),
			version.Compare(version.Upstream, a.Cycle, b.Cycle), cmp.Compare(a.Cycle, b.Cycle))
	}
	slices.SortFunc(all, byProduct)
	spread := []Spread{}
	for _, c := range all {
		if n := len(spread); n == 0 || spread[n-1].Product != c.Product || spread[n-1].ProductLabel != c.ProductLabel {
			spread = append(spread, Spread{Product: c.Product, ProductLabel: c.ProductLabel,
				Hosts: productHosts[cycleKey{product: c.Product, label: c.ProductLabel}].n})
		}
		spread[len(spread)-1].Cycles = append(spread[len(spread)-1].Cycles, c)
	}
	timeline := slices.Clone(all)
	slices.SortStableFunc(timeline, func(a, b Cycle) int {
		// Cycles with no announced end go last.
		return cmp.Or(cmp.Compare(b2i(a.EOLDate == ""), b2i(b.EOLDate == "")), cmp.Compare(a.EOLDate, b.EOLDate))
	})
	if timeline == nil {
		timeline = []Cycle{}
	}
	return timeline, spread
}

type groupKey struct{ product, label, cycle, verdict string }

type groupAcc struct {
	*Group
	hosts, running   counter
	versions, al2023 map[string]bool
	ports            map[int]bool
}

// groups gathers findings by product, cycle and verdict, worst verdict
// first.
func groups(hosts []advisories.Judged) []Group {
	acc := map[groupKey]*groupAcc{}
	for i := range hosts {
		h := &hosts[i]
		for _, f := range h.Findings {
			slug, label := productOf(f)
			k := groupKey{slug, label, f.Cycle, string(f.Status)}
			g, ok := acc[k]
			if !ok {
				g = &groupAcc{Group: &Group{Product: slug, ProductLabel: label, Cycle: f.Cycle, Verdict: string(f.Status), Hosts: []string{}},
					versions: map[string]bool{}, al2023: map[string]bool{}, ports: map[int]bool{}}
				acc[k] = g
			}
			if g.hosts.last != i+1 {
				g.hosts.add(i)
				g.Hosts = append(g.Hosts, h.Label())
			}
			if f.Running {
				g.running.add(i)
			}
			if f.EOLDate != "" && (g.EOLDate == "" || f.EOLDate < g.EOLDate) {
				g.EOLDate = f.EOLDate
			}
			if f.DistroUntil > g.DistroUntil {
				g.DistroUntil = f.DistroUntil
			}
			g.versions[f.Version] = true
			for _, p := range f.Ports {
				g.ports[p] = true
			}
			if f.AL2023 != "" {
				g.al2023[string(f.AL2023)] = true
			}
			if f.Waived {
				g.Waived++
			}
		}
	}
	out := make([]Group, 0, len(acc))
	for _, g := range acc {
		g.HostCount = len(g.Hosts)
		g.Running = g.running.n
		slices.Sort(g.Hosts)
		g.Versions = slices.Sorted(maps.Keys(g.versions))
		g.AL2023 = slices.Sorted(maps.Keys(g.al2023))
		g.Ports = slices.Sorted(maps.Keys(g.ports))
		if g.Ports == nil {
			g.Ports = []int{}
		}
		if g.AL2023 == nil {
			g.AL2023 = []string{}
		}
		out = append(out, *g.Group)
	}
	// Worst first: what needs action leads, then by product and cycle;
	// unmapped packages last within their verdict.
	slices.SortFunc(out, func(a, b Group) int {
		return cmp.Or(cmp.Compare(verdictRank(a.Verdict), verdictRank(b.Verdict)),
			cmp.Compare(b2i(a.Product == ""), b2i(b.Product == "")), cmp.Compare(a.ProductLabel, b.ProductLabel),
			cmp.Compare(a.Product, b.Product), version.Compare(version.Upstream, a.Cycle, b.Cycle), cmp.Compare(a.Cycle, b.Cycle))
	})
	return out
}

// readiness lists every host's readiness, by name, and counts the states
// into the summary.
func readiness(hs iter.Seq[advisories.HostReadiness], s *Summary) []HostReady {
	out := []HostReady{}
	if hs == nil {
		return out
	}
	for h := range hs {
		switch h.Readiness {
		case advisories.Ready:
			s.Ready++
		case advisories.NeedsWork:
			s.NeedsWork++
		case advisories.Blocked:
			s.Blocked++
		}
		r := HostReady{Host: h.Host.ID, HostName: hostName(h.Host), OS: h.OSLabel, Readiness: string(h.Readiness),
			Inhibitors: []string{}, Work: []string{}}
		for _, e := range h.Entries {
			switch {
			case e.Waived:
				r.Waived++
			case e.Inhibitor:
				r.Inhibitors = append(r.Inhibitors, e.Summary)
			case e.Severity != advisories.SevInfo:
				r.Work = append(r.Work, e.Summary)
			}
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b HostReady) int {
		return cmp.Or(cmp.Compare(a.HostName, b.HostName), cmp.Compare(a.Host, b.Host))
	})
	return out
}

func steps(p *plan.Plan) []Step {
	out := make([]Step, 0, len(p.Steps))
	for _, s := range p.Steps {
		dep := slices.Clone(s.DependsOn)
		if dep == nil {
			dep = []int{}
		}
		out = append(out, Step{Number: s.Number, Wave: s.Wave, Cohort: s.Cohort, HostCount: s.HostCount,
			Hosts: slices.Clone(s.Hosts), Kind: s.Kind, Action: s.Action, Product: s.Product, ProductLabel: s.ProductLabel,
			From: s.From, To: s.To, ToLabel: s.ToLabel, OnOS: s.OnOS, Risk: string(s.Risk), Reasons: slices.Clone(s.Reasons), DependsOn: dep})
	}
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
