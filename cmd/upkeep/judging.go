package main

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"upkeep/advisories"
	"upkeep/history"
	"upkeep/inventory"
	"upkeep/inventory/scan"
	"upkeep/inventory/store"
	"upkeep/plan"
)

// judging holds the flags of every command that judges a scan (check,
// readiness, plan, report), so that they are named, defaulted and read the
// same way everywhere: the same flags give the same verdicts in each.
type judging struct {
	at              string
	within          int
	extendedSupport bool
	waivers         string
	scan            int64
	accounts        []string // --account: only hosts of these AWS accounts
}

func (j *judging) addFlags(cmd *cobra.Command) {
	j.addVerdictFlags(cmd)
	cmd.Flags().Int64Var(&j.scan, "scan", 0, "scan id to judge (default: the latest scan that finished with hosts; see 'upkeep inventory scans')")
	cmd.Flags().StringSliceVar(&j.accounts, "account", nil, "only hosts of these AWS account ids (comma list or repeated; scans across accounts store each host's)")
}

// addVerdictFlags adds the flags that decide verdicts, without --scan: for
// commands that name their scans otherwise (diff).
func (j *judging) addVerdictFlags(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&j.at, "at", "", "judge as of this day, YYYY-MM-DD (default today), to plan ahead")
	fl.IntVar(&j.within, "within", 180, "days before an end-of-life date that count as eol-soon")
	fl.BoolVar(&j.extendedSupport, "extended-support", false, "count extended phases (Debian LTS, Ubuntu ESM, RHEL ELS, paid vendor support) as support")
	fl.StringVar(&j.waivers, "waivers", "", "waivers file (default upkeep.yaml in the working directory, if present)")
}

// options validates the flags and turns them into judge options, waivers
// read. The evaluation day is captured here, once, and passed down.
func (j *judging) options(f *factory) (advisories.Options, error) {
	var opt advisories.Options
	at := f.now().UTC()
	if j.at != "" {
		t, err := time.Parse(time.DateOnly, j.at)
		if err != nil {
			return opt, usageErrorf("--at %q: want a day as YYYY-MM-DD", j.at)
		}
		at = t
	}
	opt.At = time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)
	if j.within < 0 {
		return opt, usageErrorf("--within %d: want 0 or more days", j.within)
	}
	opt.Within = j.within
	if j.scan < 0 {
		return opt, usageErrorf("--scan %d: want a scan id (see 'upkeep inventory scans')", j.scan)
	}
	opt.ExtendedSupport = j.extendedSupport
	ws, err := loadWaivers(j.waivers)
	if err != nil {
		return opt, err
	}
	opt.Waivers = ws
	return opt, nil
}

// checkWaivers refuses a waiver naming a product the data does not know: a
// misspelt product would match nothing and silently accept nothing.
func checkWaivers(d *advisories.Data, ws []advisories.Waiver) error {
	for _, w := range ws {
		if w.Product == "" {
			continue
		}
		if _, ok := d.Product(w.Product); !ok {
			return usageErrorf("waivers line %d: product %q is not in the end-of-life data (endoflife.date slugs: nginx, php, mysql, amazon-linux, ...)", w.Line, w.Product)
		}
	}
	return nil
}

// loadWaivers reads --waivers, or upkeep.yaml when it exists.
func loadWaivers(name string) ([]advisories.Waiver, error) {
	explicit := name != ""
	if !explicit {
		name = "upkeep.yaml"
	}
	b, err := scan.ReadLimited(name, advisories.MaxWaiversSize)
	if err != nil {
		if !explicit && errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, usageErrorf("read waivers: %w", err)
	}
	ws, err := advisories.ParseWaivers(name, b)
	if err != nil {
		return nil, usageErrorf("waivers: %w", err)
	}
	return ws, nil
}

// loadData returns the advisory data: the end-of-life update that
// 'upkeep data update' stored in the database when there is one (and that
// stored dataset), else the embedded snapshot (and nil). A stored update
// that cannot be read is a data error, not a silent fallback. With no
// database file there is no update: none is created just to look.
func loadData(ctx context.Context, f *factory) (*advisories.Data, *store.Dataset, error) {
	d, err := advisories.Load()
	if err != nil {
		return nil, nil, usageErrorf("%w", err)
	}
	p, err := f.databasePath()
	if err != nil {
		return d, nil, nil
	}
	if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
		noteLegacyUpdate(f)
		return d, nil, nil
	}
	db, err := store.OpenReadOnly(ctx, p)
	if err != nil {
		return nil, nil, fmt.Errorf("read end-of-life data: open database %s: %w", p, err)
	}
	defer db.Close()
	if d, err = withAL2023Repo(ctx, db, d, p); err != nil {
		return nil, nil, err
	}
	ds, err := db.Dataset(ctx, eolDataset)
	if errors.Is(err, store.ErrNotFound) {
		noteLegacyUpdate(f)
		return d, nil, nil
	}
	if err != nil {
		return nil, nil, usageErrorf("%w in %s (run 'upkeep data update' again to replace it)", err, p)
	}
	ps, date, err := advisories.ReadUpdate(ds.Body)
	if err != nil {
		return nil, nil, usageErrorf("end-of-life data stored in %s is corrupt: %w (run 'upkeep data update', or 'upkeep data update --from-file FILE', to replace it)", p, err)
	}
	if date.IsZero() {
		date = ds.Date
	}
	return d.WithProducts(ps, date, ds.Source), &ds, nil
}

// withAL2023Repo applies the AL2023 repository data 'upkeep data update'
// stored, when there is some.
func withAL2023Repo(ctx context.Context, db *store.DB, d *advisories.Data, p string) (*advisories.Data, error) {
	ds, err := db.Dataset(ctx, al2023Dataset)
	if errors.Is(err, store.ErrNotFound) {
		return d, nil
	}
	if err != nil {
		return nil, usageErrorf("%w in %s (run 'upkeep data update --dataset al2023' again to replace it)", err, p)
	}
	// Read back without the future-date check: the stored data passed it
	// when stored, and a clock set back must not make it unreadable.
	r, err := advisories.ReadAL2023Repo(ds.Body, time.Time{})
	if err != nil {
		return nil, usageErrorf("AL2023 repository data stored in %s is corrupt: %w (run 'upkeep data update --dataset al2023' to replace it)", p, err)
	}
	return d.WithAL2023Repo(r), nil
}

// noteLegacyUpdate points at an update file an upkeep before schema 2 left
// next to the database: it is no longer read, and one command stores it.
func noteLegacyUpdate(f *factory) {
	p, err := legacyUpdatePath(f)
	if err != nil {
		return
	}
	if _, err := os.Stat(p); err == nil {
		fmt.Fprintf(f.io.errOut, "upkeep: note: %s (from an earlier upkeep) is no longer read; store it with 'upkeep data update --from-file %s', then delete it\n", p, p)
	}
}

// dataLine is the provenance line every report carries.
func dataLine(d *advisories.Data, at time.Time) string {
	return fmt.Sprintf("Data: %s. Judged at %s.", dataName(d), at.Format(time.DateOnly))
}

// openScan opens the database and finds the scan to judge: scanID, or with 0
// the latest usable scan (saying on stderr which newer scans it skipped and
// why). With no scan yet it says how to make one, naming the command the
// user ran. The caller closes the database.
func openScan(ctx context.Context, f *factory, command string, scanID int64) (_ *store.DB, scan inventory.Scan, err error) {
	db, err := f.openReadStore(ctx)
	if err != nil && !errors.Is(err, errNoDatabase) {
		return nil, inventory.Scan{}, err
	}
	var r store.Resolved
	if err == nil {
		defer func() {
			if err != nil {
				db.Close()
			}
		}()
		r, err = db.ResolveScan(ctx, scanID)
	}
	scan = r.Scan
	switch {
	case scanID > 0 && errors.Is(err, store.ErrNotFound):
		return nil, scan, usageErrorf("--scan: %w", err)
	case errors.Is(err, store.ErrNotFound) || errors.Is(err, errNoDatabase):
		if f.demo {
			return nil, scan, fmt.Errorf("the demo database is empty: run 'upkeep demo' first")
		}
		return nil, scan, fmt.Errorf("no scan in the database yet: run 'upkeep scan' (or 'upkeep demo', then 'upkeep --demo %s')", command)
	case errors.Is(err, store.ErrNoUsableScan):
		// A scan that found no target, or failed before storing one, must
		// not be judged: that would print an empty fleet and pass --fail-on.
		latest := r.Skipped[0]
		return nil, scan, fmt.Errorf("nothing to judge: the latest scan, %d (%s), is %s, and no earlier scan finished with a host that has package data; fix its targets and run 'upkeep scan' again (see 'upkeep inventory scans')",
			latest.ID, latest.Targets, history.Why(latest))
	case err != nil:
		return nil, scan, fmt.Errorf("find the scan to judge: %w", err)
	}
	if scan.Stored() == 0 {
		return nil, scan, fmt.Errorf("scan %d (%s) stored no host: nothing to judge (see 'upkeep inventory scans')", scan.ID, scan.Targets)
	}
	for _, n := range history.Notes(r, scanID > 0) {
		fmt.Fprintln(f.io.errOut, "upkeep:", n)
	}
	return db, scan, nil
}

// loadObservations reads every host of the scan to judge (see openScan)
// into memory, for commands that compare hosts with each other. Hosts an
// interrupted scan meant to store but did not are added as not scanned, so
// no count of them reads 0.
func loadObservations(ctx context.Context, f *factory, command string, scanID int64) ([]inventory.Observation, inventory.Scan, error) {
	db, scan, err := openScan(ctx, f, command, scanID)
	if err != nil {
		return nil, scan, err
	}
	defer db.Close()
	obs, err := db.Observations(ctx, scan.ID)
	if err != nil {
		return nil, scan, fmt.Errorf("read scan %d: %w", scan.ID, err)
	}
	return append(obs, history.Placeholders(scan)...), scan, nil
}

// hostMatches reports whether a host's id or name matches one of the
// --host patterns (shell globs); no patterns match every host.
func hostMatches(patterns []string, h inventory.Host) bool {
	if len(patterns) == 0 {
		return true
	}
	for _, p := range patterns {
		a, _ := path.Match(p, h.ID)
		b, _ := path.Match(p, h.Name)
		if a || b {
			return true
		}
	}
	return false
}

// judgedScan is the latest scan, judged: one small record per host, whose
// findings point into profiles the hosts share. Nothing else of the scan is
// kept, so memory grows with distinct package sets, not with hosts.
type judgedScan struct {
	scan    inventory.Scan
	hosts   []advisories.Judged // by name, then id
	summary *store.ScanSummary  // its counts; nil when only some hosts were judged (--host, --account)
}

// unscanned counts the hosts without package data.
func (s *judgedScan) unscanned() int {
	n := 0
	for i := range s.hosts {
		if !s.hosts[i].Scanned() {
			n++
		}
	}
	return n
}

// blocked counts the hosts AL2023 readiness says are blocked.
func (s *judgedScan) blocked() int {
	n := 0
	for i := range s.hosts {
		if s.hosts[i].Readiness == advisories.Blocked {
			n++
		}
	}
	return n
}

// findings yields every finding of every host, in report order, each with
// its host filled in; keep (nil: all) selects which.
func (s *judgedScan) findings(keep func(*advisories.Finding) bool) iter.Seq[advisories.Finding] {
	return func(yield func(advisories.Finding) bool) {
		for i := range s.hosts {
			h := &s.hosts[i]
			for j, f := range h.Findings {
				if keep != nil && !keep(f) {
					continue
				}
				if !yield(h.Finding(j)) {
					return
				}
			}
		}
	}
}

// readiness yields the readiness report of every scanned host, made one
// host at a time.
func (s *judgedScan) readiness() iter.Seq[advisories.HostReadiness] {
	return func(yield func(advisories.HostReadiness) bool) {
		for i := range s.hosts {
			if s.hosts[i].Scanned() && !yield(s.hosts[i].HostReadiness()) {
				return
			}
		}
	}
}

// judgeLatest streams the hosts of scan scanID (0: the latest usable scan)
// that --host names (all when none), in the accounts --account names (all
// when none), from the store through the judge, after
// warning if the data is stale. command names the caller for the no-scan
// hint. Hosts an interrupted scan meant to store but did not are added as
// not scanned, so no count of them reads 0. Each host keeps only the tags
// named in tagKeys (collected ones, overridden by discovered ones, as the
// planner reads them); the rest of its observation is dropped once it is
// judged.
func judgeLatest(ctx context.Context, f *factory, d *advisories.Data, opt advisories.Options, command string, hosts []string, scanID int64, accounts, tagKeys []string) (*judgedScan, error) {
	if err := checkWaivers(d, opt.Waivers); err != nil {
		return nil, err
	}
	db, scan, err := openScan(ctx, f, command, scanID)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	js := &judgedScan{scan: scan, hosts: make([]advisories.Judged, 0, scan.Stored())}
	jj := newJudging(d, opt, hosts, tagKeys)
	if len(accounts) > 0 {
		jj.accounts = map[string]bool{}
		for _, a := range accounts {
			jj.accounts[strings.TrimSpace(a)] = true
		}
	}
	if err := db.EachObservation(ctx, scan.ID, func(o *inventory.Observation, packages func(int64) ([]inventory.Package, error)) error {
		return jj.add(js, o, packages)
	}); err != nil {
		return nil, err
	}
	for _, o := range history.Placeholders(scan) {
		if err := jj.add(js, &o, nil); err != nil {
			return nil, err
		}
	}
	if len(accounts) > 0 && !jj.inAccount {
		return nil, usageErrorf("--account %s: no host of scan %d is in that account (see 'upkeep inventory -o csv', column account)", strings.Join(accounts, ","), scan.ID)
	}
	if len(js.hosts) == 0 {
		return nil, usageErrorf("--host %s: no such host in scan %d (see 'upkeep inventory')", strings.Join(hosts, ","), scan.ID)
	}
	js.sort()
	if len(hosts) == 0 && len(accounts) == 0 {
		// The whole scan was judged: its counts feed the report's burn-down.
		js.summary = scanSummary(f, d, opt, js)
		recordSummary(ctx, f, js.summary)
	}
	f.warnStale(d)
	return js, nil
}

// judgeAll judges observations already in memory (the demo's fleet) as
// judgeLatest judges a stored scan.
func judgeAll(d *advisories.Data, opt advisories.Options, obs []inventory.Observation, tagKeys []string) *judgedScan {
	js := &judgedScan{}
	jj := newJudging(d, opt, nil, tagKeys)
	for i := range obs {
		jj.add(js, &obs[i], nil) // the packages are in the observations: nothing to read, nothing fails
	}
	js.sort()
	return js
}

// hostJudging is one pass of the judge over a scan's hosts.
type hostJudging struct {
	jr        *advisories.Judger
	hosts     []string        // --host patterns
	accounts  map[string]bool // --account ids; nil: every account
	inAccount bool            // a host was in one of the accounts
	tags      tagKeeper
}

func newJudging(d *advisories.Data, opt advisories.Options, hosts, tagKeys []string) *hostJudging {
	return &hostJudging{jr: d.NewJudger(opt), hosts: hosts, tags: tagKeeper{keys: tagKeys, seen: map[string]map[string]string{}}}
}

func (jj *hostJudging) add(js *judgedScan, o *inventory.Observation, packages func(int64) ([]inventory.Package, error)) error {
	if jj.accounts != nil {
		if !jj.accounts[o.Host.Account] {
			return nil
		}
		jj.inAccount = true
	}
	if !hostMatches(jj.hosts, o.Host) {
		return nil
	}
	h, err := jj.jr.Host(o, packages)
	if err != nil {
		return err
	}
	h.Host.Tags = jj.tags.keep(o)
	js.hosts = append(js.hosts, h)
	return nil
}

func (s *judgedScan) sort() {
	slices.SortFunc(s.hosts, func(a, b advisories.Judged) int { return advisories.CompareJudged(&a, &b) })
}

// tagKeeper keeps the tags the planner reads, one shared map per distinct
// set of values: a hundred thousand hosts in a few roles and environments
// hold a few maps.
type tagKeeper struct {
	keys []string
	seen map[string]map[string]string
}

func (t *tagKeeper) keep(o *inventory.Observation) map[string]string {
	if len(t.keys) == 0 {
		return nil
	}
	var collected map[string]string
	if o.Report != nil {
		collected = o.Report.Tags
	}
	var b strings.Builder
	m := map[string]string{}
	for _, k := range t.keys {
		v, ok := o.Host.Tags[k]
		if !ok {
			v, ok = collected[k]
		}
		if ok {
			m[k] = v
			b.WriteString(k + "=" + v)
		}
		b.WriteByte(0)
	}
	if c, ok := t.seen[b.String()]; ok {
		return c
	}
	t.seen[b.String()] = m
	return m
}

// buildPlan plans judged hosts with the judging options and the planner's
// defaults otherwise, as the commands that show a plan beside other things
// (report, demo) do; `upkeep plan` adds its own planning flags.
func buildPlan(d *advisories.Data, js *judgedScan, opt advisories.Options, po plan.Options) (*plan.Plan, error) {
	var in plan.Input
	for i := range js.hosts {
		h := &js.hosts[i]
		if len(h.Findings) == 0 {
			continue
		}
		in.Hosts = append(in.Hosts, plan.Host{ID: h.Host.ID, Name: h.Host.Name, Tags: h.Host.Tags, Findings: h.Findings})
	}
	in.At = opt.At
	in.DataDate = d.Date.Format(time.DateOnly)
	in.Catalog = plan.NewCatalog(d, nil)
	po.Within = time.Duration(opt.Within) * 24 * time.Hour
	po.ExtendedSupport = opt.ExtendedSupport
	in.Options = po
	return plan.Build(in)
}
