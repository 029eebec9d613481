package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"upkeep/internal/output"
	"upkeep/inventory"
)

// runLocal runs the collector on this machine and stores it as one host.
func (o *scanOptions) runLocal(ctx context.Context) error {
	name := o.host
	if name == "" {
		h, err := os.Hostname()
		if err != nil {
			return fmt.Errorf("find this machine's name: %w (name it with --host)", err)
		}
		name = h
	}
	db, err := o.f.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	started := o.f.now()
	id, err := db.BeginScan(ctx, inventory.Scan{Source: "local", Targets: "local", Started: started, Expected: 1})
	if err != nil {
		return err
	}
	host := inventory.Host{ID: name, Name: name, Source: "local"}
	data, runErr := inventory.RunLocal(ctx)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var obs inventory.Observation
	if runErr != nil && len(data) == 0 {
		obs = inventory.Observation{ScanID: id, Host: host, Status: inventory.StatusFailed, Error: runErr.Error()}
	} else {
		obs = parsedObservation(id, host, data, runErr)
	}
	if err := db.SaveObservation(ctx, obs); err != nil {
		return err
	}
	if err := db.FinishScan(ctx, id, o.f.now()); err != nil {
		return err
	}
	if !o.quiet {
		fmt.Fprintf(o.f.io.errOut, "scan %d: %s: %s\n", id, output.Terminal(name), output.TerminalLines(describe(obs)))
	}
	if obs.Status != inventory.StatusOK {
		return errSilent(exitFailure)
	}
	return nil
}

// parsedObservation turns one collector output into an observation: ok with
// its report, or truncated/unparsable with the parser's error. runErr is
// how the collector itself ended, kept as a warning when its output is whole.
func parsedObservation(scanID int64, host inventory.Host, data []byte, runErr error) inventory.Observation {
	r, err := inventory.Parse(data)
	switch {
	case errors.Is(err, inventory.ErrTruncated):
		return inventory.Observation{ScanID: scanID, Host: host, Status: inventory.StatusTruncated, Error: err.Error()}
	case err != nil:
		return inventory.Observation{ScanID: scanID, Host: host, Status: inventory.StatusUnparsable, Error: err.Error()}
	}
	if runErr != nil {
		r.Warnings = append(r.Warnings, "collector: "+runErr.Error())
	}
	return inventory.Observation{ScanID: scanID, Host: host, Status: inventory.StatusOK, Report: r}
}

// describe is a host's result in a few words, for progress and summaries.
func describe(o inventory.Observation) string {
	if o.Status == inventory.StatusOK {
		return fmt.Sprintf("ok, %s, %s, %s", nouns(len(o.Report.Packages), "package"), nouns(len(o.Report.Probes), "probe"),
			nouns(len(o.Report.Listeners), "listening socket"))
	}
	return fmt.Sprintf("%s: %s", o.Status, o.Error)
}

// importFile is one collector output to import.
type importFile struct {
	path  string // as given, or inside a given folder; "-" is stdin
	data  []byte // stdin's bytes, read before the workers start
	label string // the name to fall back on: the file name without extension
}

// runImport stores saved collector outputs as one scan, one host per file.
// Files are read and parsed in parallel and stored in the order given, in
// transactions of whole hosts, so an interrupted import keeps what it
// stored and never half a host.
func (o *scanOptions) runImport(ctx context.Context) error {
	files, err := o.importFiles()
	if err != nil {
		return err
	}
	if o.host != "" && len(files) != 1 {
		return usageErrorf("--host names one host, but --import %s holds %s", strings.Join(o.imports, ","), nouns(len(files), "file"))
	}
	db, err := o.f.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	begin := time.Now() // for the duration in the summary only
	id, err := db.BeginScan(ctx, inventory.Scan{Source: "import", Targets: importTargets(o.imports), Started: o.f.now(), Expected: len(files)})
	if err != nil {
		return err
	}

	var bar *progressbar.ProgressBar
	if o.f.io.errTTY && !o.quiet && !o.verbose && len(files) > 1 {
		bar = progressbar.NewOptions(len(files), progressbar.OptionSetWriter(o.f.io.errBar),
			progressbar.OptionSetDescription("importing"), progressbar.OptionShowCount(),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
	}
	seen := map[string]claim{} // host id -> the file that claimed it
	read := func(i int) inventory.Observation {
		f := files[i]
		data, err := f.data, error(nil)
		if f.path != "-" {
			data, err = readLimited(f.path, inventory.MaxOutput)
		}
		return o.importObservation(id, f, data, err, len(files) == 1)
	}
	// Hosts are committed in batches: one transaction per host would cost
	// more than parsing it. A batch is all or nothing, so an interrupted
	// import still never stores half a host.
	const batchSize = 128
	var batch []inventory.Observation
	flush := func() error {
		err := db.SaveObservations(ctx, batch)
		if bar != nil {
			bar.Add(len(batch))
		}
		batch = batch[:0]
		return err
	}
	err = inOrder(ctx, len(files), 2*batchSize, read, func(i int, obs inventory.Observation) error {
		f := files[i]
		c := claim{file: f.path, machine: machineID(obs)}
		if prev, ok := seen[obs.Host.ID]; ok {
			if err := sameMachine(prev, c, obs.Host.ID); err != nil {
				return err
			}
			fmt.Fprintf(o.f.io.errOut, "upkeep: %s and %s are the same machine (machine id %s), host %s: keeping the later, %s\n",
				prev.file, f.path, output.Terminal(c.machine), output.Terminal(obs.Host.ID), f.path)
		}
		seen[obs.Host.ID] = c
		if o.verbose || (!o.quiet && bar == nil && obs.Status != inventory.StatusOK) {
			fmt.Fprintf(o.f.io.errOut, "%s: %s\n", f.path, output.TerminalLines(describe(obs))) // the host's own words
		}
		batch = append(batch, obs)
		if len(batch) == batchSize || i == len(files)-1 {
			return flush()
		}
		return nil
	})
	if bar != nil {
		bar.Finish()
	}
	var conflict *identityConflict
	if errors.As(err, &conflict) {
		// What was stored stays, in a scan marked failed: never judged as
		// the fleet, and the error names both files.
		if ferr := db.FailScan(context.WithoutCancel(ctx), id, o.f.now(), conflict.Error()); ferr != nil {
			return errors.Join(usageErrorf("%w", conflict), ferr)
		}
		return usageErrorf("%w (scan %d is marked failed)", conflict, id)
	}
	if err != nil {
		return err
	}
	if err := db.FinishScan(ctx, id, o.f.now()); err != nil {
		return err
	}
	// Count from the store: a duplicate host replaced its earlier row.
	scan, err := db.Scan(ctx, id)
	if err != nil {
		return err
	}
	ok := scan.Counts[inventory.StatusOK]
	hosts := 0
	for _, n := range scan.Counts {
		hosts += n
	}
	if !o.quiet {
		fmt.Fprintf(o.f.io.errOut, "scan %d: imported %s as %s: %s (%.1fs)\n", id, nouns(len(files), "file"), nouns(hosts, "host"),
			countsText(scan.Counts), time.Since(begin).Seconds())
	}
	switch {
	case ok == hosts:
		return nil
	case ok == 0:
		return errSilent(exitFailure)
	default:
		return errSilent(exitPartial)
	}
}

// claim is a file that named a host, and the machine it was collected on.
type claim struct {
	file    string
	machine string // /etc/machine-id as the output states it; "" when none
}

// identityConflict is two files naming the same host that cannot be shown
// to be the same machine: keeping either would silently replace the other
// (a hostile host could stand in for an end-of-life one).
type identityConflict struct {
	host        string
	first, then claim
}

func (e *identityConflict) Error() string {
	why := fmt.Sprintf("different machines (machine id %s and %s)", orNone(e.first.machine), orNone(e.then.machine))
	if e.first.machine == "" || e.then.machine == "" {
		why = fmt.Sprintf("no machine id tells whether they are the same machine (%s and %s)", orNone(e.first.machine), orNone(e.then.machine))
	}
	return fmt.Sprintf("%s and %s both claim host %s, but %s: import them separately (--host names a single file's host), or give each its own InstanceId tag",
		e.first.file, e.then.file, e.host, why)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// sameMachine accepts a host claimed twice only when both outputs carry the
// same machine id: the same machine collected twice, the later wins.
func sameMachine(prev, next claim, host string) error {
	if prev.machine == "" || prev.machine != next.machine {
		return &identityConflict{host: host, first: prev, then: next}
	}
	return nil
}

func machineID(o inventory.Observation) string {
	if o.Report == nil {
		return ""
	}
	return o.Report.Facts.MachineID
}

// importObservation names the host and parses its output. For a single
// file --host wins; else the output's InstanceId and Name tags, then its
// hostname, then the file name (inventory.Identify, as the demo does).
func (o *scanOptions) importObservation(scanID int64, f importFile, data []byte, readErr error, single bool) inventory.Observation {
	named := single && o.host != ""
	host := inventory.Host{ID: f.label, Name: f.label, Source: "import"}
	if named {
		host.ID, host.Name = o.host, o.host
	}
	if readErr != nil {
		return inventory.Observation{ScanID: scanID, Host: host, Status: inventory.StatusFailed, Error: readErr.Error()}
	}
	obs := parsedObservation(scanID, host, data, nil)
	if obs.Report != nil && !named {
		obs.Host.ID, obs.Host.Name = inventory.Identify(obs.Report, f.label)
	}
	return obs
}

// importFiles expands the --import arguments: a folder stands for the
// regular files directly in it, in name order; "-" is stdin, read now.
func (o *scanOptions) importFiles() ([]importFile, error) {
	var files []importFile
	stdin := false
	for _, arg := range o.imports {
		if arg == "-" {
			if stdin {
				return nil, usageErrorf("--import - (stdin) can be given only once")
			}
			stdin = true
			data, err := io.ReadAll(io.LimitReader(o.f.io.in, inventory.MaxOutput+1))
			if err != nil {
				return nil, fmt.Errorf("read stdin: %w", err)
			}
			files = append(files, importFile{path: "-", data: data, label: "stdin"})
			continue
		}
		st, err := os.Stat(arg)
		if err != nil {
			return nil, usageErrorf("--import %s: %w", arg, errors.Unwrap(err))
		}
		if !st.IsDir() {
			files = append(files, importFile{path: arg, label: fileLabel(arg)})
			continue
		}
		entries, err := os.ReadDir(arg)
		if err != nil {
			return nil, usageErrorf("--import %s: %w", arg, err)
		}
		n := len(files)
		for _, e := range entries { // ReadDir sorts by name
			if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") {
				p := filepath.Join(arg, e.Name())
				files = append(files, importFile{path: p, label: fileLabel(p)})
			}
		}
		if len(files) == n {
			return nil, usageErrorf("--import %s: the folder has no files", arg)
		}
	}
	return files, nil
}

// fileLabel is a file's name without folder and extension: web-1.out -> web-1.
func fileLabel(p string) string {
	b := filepath.Base(p)
	if ext := filepath.Ext(b); ext != "" && ext != b {
		b = strings.TrimSuffix(b, ext)
	}
	return b
}

// importTargets records what was asked for without storing ten thousand
// file names in one row.
func importTargets(args []string) string {
	const keep = 3
	if len(args) <= keep {
		return strings.Join(args, " ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(args[:keep], " "), len(args)-keep)
}

// countsText lists non-zero counts in the order reports show statuses.
func countsText(counts map[inventory.Status]int) string {
	var parts []string
	for _, s := range inventory.Statuses {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	if len(parts) == 0 {
		return "no hosts"
	}
	return strings.Join(parts, ", ")
}

// inOrder runs work(i) for i in [0, n) on every core and calls sink with
// each result in index order, from the calling goroutine. At most window
// results wait for the sink, so memory stays flat however large n is; the
// window must exceed what the sink gathers before it stores, or the workers
// would wait while it stores.
func inOrder[T any](ctx context.Context, n, window int, work func(int) T, sink func(int, T) error) error {
	workers := runtime.GOMAXPROCS(0)
	results := make([]chan T, n)
	for i := range results {
		results[i] = make(chan T, 1)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	tokens := make(chan struct{}, max(window, workers))
	go func() { // hands out indexes, never more than the window ahead of the sink
		defer close(next)
		for i := range n {
			select {
			case tokens <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	for range workers {
		go func() {
			for i := range next {
				results[i] <- work(i)
			}
		}()
	}
	for i := range n {
		if err := ctx.Err(); err != nil { // an interrupt wins over ready results
			return err
		}
		var r T
		select {
		case r = <-results[i]:
		case <-ctx.Done():
			return ctx.Err()
		}
		if err := sink(i, r); err != nil {
			return err
		}
		<-tokens
	}
	return nil
}

// readLimited reads a file, or its first limit+1 bytes when it is larger, so
// that an oversized input is refused by its parser, naming the limit,
// without first taking its size in memory.
func readLimited(name string, limit int) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return b, nil
}
