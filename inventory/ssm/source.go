package ssm

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"upkeep/inventory"
	"upkeep/inventory/scan"
)

// Scan sources as stored in the scans table.
const (
	SourceRunCommand = "ssm"           // the collector, through Run Command
	SourceInventory  = "ssm-inventory" // what SSM Inventory holds; nothing run
)

// Fleet is a scan source (scan.Source, scan.Resumer) of the instances SSM
// manages, in every account × region pair of its scanners at once: Run
// Command sends the collector, or with Inventory set SSM Inventory is read
// and nothing runs. Every target is recorded as soon as it is discovered
// (pending, or why it cannot be scanned), then each result as it arrives,
// so an interrupted scan shows which hosts have no result and a resume
// scans only those.
type Fleet struct {
	Inventory bool     // read SSM Inventory instead of running the collector
	Selector  Selector // what a new scan targets
	Targets   string   // what was asked for, as the user said it
	Scanners  []*Scanner
	// Parallel bounds the account × region pairs scanned at once (≥ 1):
	// each pair polls on its own, and a large organization must not open
	// hundreds at a time.
	Parallel int
	// Profile names the credentials in errors that explain missing ones.
	Profile string
	// Progress, when set, is called once the targets are known, with how
	// many there are; the Events it returns hear of the scan's progress.
	Progress func(total int) Events

	// Connect and Regions are for a resume: the scanners of the regions
	// the interrupted scan's hosts are in, or of Regions when given.
	Connect func(ctx context.Context, regions []string) ([]*Scanner, error)
	Regions []string

	plan     map[string]Selector          // region -> what to scan there
	oldTags  map[string]map[string]string // a resumed host's tags, kept when SSM has none now
	mu       sync.Mutex
	accounts []error // accounts that could not be listed, and why
}

// Source is the stored name of the scan's source.
func (f *Fleet) Source() string {
	if f.Inventory {
		return SourceInventory
	}
	return SourceRunCommand
}

// AccountErrors are the accounts the scan could not list, and why: each is
// that account's status, not the end of the scan.
func (f *Fleet) AccountErrors() []error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]error(nil), f.accounts...)
}

// Prepare says what a new scan is; the scanners are connected already.
func (f *Fleet) Prepare(context.Context) (inventory.Scan, error) {
	if len(f.Scanners) == 0 {
		return inventory.Scan{}, errors.New("scan through SSM: no account or region to scan")
	}
	f.plan = map[string]Selector{}
	for _, sc := range f.Scanners {
		f.plan[sc.Region()] = f.Selector
	}
	return inventory.Scan{Source: f.Source(), Targets: f.Targets}, nil
}

// PrepareResume finds the hosts of s with no result, connects to the regions
// they are in and plans to scan only them. A host that is not Linux is left
// alone: resuming cannot make it one.
func (f *Fleet) PrepareResume(ctx context.Context, s inventory.Scan, stored []inventory.Observation) (int, error) {
	if s.Source != f.Source() {
		return 0, fmt.Errorf("scan %d is a %s scan, not %s: %w", s.ID, s.Source, f.Source(), scan.ErrNotResumable)
	}
	byRegion := map[string][]string{}
	var anywhere []string // ids no region knew last time
	f.oldTags = map[string]map[string]string{}
	n := 0
	for _, ob := range stored {
		if ob.Status.Scanned() || ob.Status == inventory.StatusUnsupported {
			continue
		}
		n++
		f.oldTags[ob.Host.ID] = ob.Host.Tags
		if ob.Host.Region == "" {
			anywhere = append(anywhere, ob.Host.ID)
		} else {
			byRegion[ob.Host.Region] = append(byRegion[ob.Host.Region], ob.Host.ID)
		}
	}
	if n == 0 {
		return 0, nil
	}
	regions := f.Regions
	if len(regions) == 0 {
		for r := range byRegion {
			regions = append(regions, r)
		}
		sort.Strings(regions)
	}
	if f.Connect == nil {
		return 0, errors.New("resume an SSM scan: no way to connect")
	}
	scanners, err := f.Connect(ctx, regions)
	if err != nil {
		return 0, err
	}
	f.Scanners = scanners
	f.plan = map[string]Selector{}
	for _, sc := range scanners {
		ids := append(append([]string(nil), byRegion[sc.Region()]...), anywhere...)
		if len(ids) > 0 {
			f.plan[sc.Region()] = Selector{InstanceIDs: ids}
		}
	}
	return n, nil
}

// Hosts discovers the targets of every region, records each one at once,
// then scans the regions in parallel, recording each result as it arrives.
func (f *Fleet) Hosts(ctx context.Context, rec scan.Recorder) error {
	id, source := rec.ScanID(), f.Source()
	targets := make([][]Target, len(f.Scanners))
	found := map[string]bool{}
	var all []Target
	for i, sc := range f.Scanners {
		sel, ok := f.plan[sc.Region()]
		if !ok {
			continue
		}
		ts, err := sc.Discover(ctx, sel, source)
		if err != nil && sc.Account() != "" && ctx.Err() == nil {
			// One account that cannot be listed (a role without
			// ssm:DescribeInstanceInformation, SSM not enabled) is that
			// account's status, not the end of the scan.
			f.mu.Lock()
			f.accounts = append(f.accounts, &AccountError{Account: sc.Account(), Step: "discover instances in " + sc.Region(), Err: err})
			f.mu.Unlock()
			continue
		}
		if err != nil {
			return ExplainCredentials(err, f.Profile)
		}
		var mine []Target
		for _, t := range ts {
			if found[t.Host.ID] {
				continue // the same id answered in two regions: keep the first
			}
			found[t.Host.ID] = true
			if len(t.Host.Tags) == 0 && len(f.oldTags[t.Host.ID]) > 0 {
				t.Host.Tags = f.oldTags[t.Host.ID]
			}
			mine = append(mine, t)
		}
		targets[i] = mine
		all = append(all, mine...)
	}
	all = append(all, f.unmanaged(found)...)
	sort.Slice(all, func(i, j int) bool { return all[i].Host.ID < all[j].Host.ID })
	rows := make([]inventory.Observation, len(all))
	for i, t := range all {
		rows[i] = t.Observation(id)
	}
	if err := rec.Record(ctx, rows...); err != nil {
		return err
	}

	var ev Events
	if f.Progress != nil {
		ev = f.Progress(len(all))
	}
	if ev != nil {
		for _, t := range all {
			if t.Status != inventory.StatusPending {
				ev.Done(t.Observation(id))
			}
		}
	}
	save := func(ctx context.Context, ob inventory.Observation) error { return rec.Record(ctx, ob) }
	errs := make([]error, len(f.Scanners))
	var wg sync.WaitGroup
	slots := make(chan struct{}, max(f.Parallel, 1))
	for i, sc := range f.Scanners {
		ts := targets[i]
		if len(ts) == 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case slots <- struct{}{}:
				defer func() { <-slots }()
			case <-ctx.Done():
				return
			}
			if f.Inventory {
				errs[i] = sc.ReadInventory(ctx, id, ts, save, ev)
			} else {
				errs[i] = sc.Run(ctx, id, ts, save, ev)
			}
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return errors.Join(errs...)
}

// unmanaged are the ids asked for that no region knows: recorded, never
// dropped.
func (f *Fleet) unmanaged(found map[string]bool) []Target {
	var regions, asked []string
	for _, sc := range f.Scanners {
		regions = append(regions, sc.Region())
		asked = append(asked, f.plan[sc.Region()].InstanceIDs...)
	}
	var out []Target
	for _, id := range dedupe(asked) {
		if found[id] {
			continue
		}
		found[id] = true
		t := Unmanaged(id, strings.Join(regions, ", "), f.Source())
		if len(regions) == 1 {
			// Only one region was asked: the host belongs there, and a
			// resume or a report by region should find it there.
			t.Host.Region = regions[0]
		}
		t.Host.Tags = f.oldTags[id]
		out = append(out, t)
	}
	return out
}
