package scan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"upkeep/inventory"
)

// File is one saved collector output to import.
type File struct {
	Path  string // as given, or inside a given folder; "-" is stdin
	Data  []byte // the bytes when already read (stdin); nil: read Path
	Label string // the name to fall back on: the file name without extension
}

// Import is a source of saved collector outputs, one host per file. Files
// are read and parsed in parallel and recorded in the order given, in
// batches of whole hosts, so an interrupted import keeps what it stored and
// never half a host. It cannot be resumed: run it again.
type Import struct {
	Files   []File
	Targets string // what was asked for, as the user said it
	// Host names the host of a single file, instead of what it says.
	Host string

	// Each, when set, hears of every file once it is parsed, in order.
	Each func(f File, o inventory.Observation)
	// Again, when set, hears of a host claimed by two files of the same
	// machine: the later is kept.
	Again func(prev, next Claim, host string)
	// Stored, when set, hears how many files each batch stored.
	Stored func(n int)
}

// importBatch hosts are committed per transaction: one transaction per
// host would cost more than parsing it.
const importBatch = 128

// Prepare says what the scan is.
func (im *Import) Prepare(context.Context) (inventory.Scan, error) {
	if len(im.Files) == 0 {
		return inventory.Scan{}, errors.New("import: no file to import")
	}
	if im.Host != "" && len(im.Files) != 1 {
		return inventory.Scan{}, fmt.Errorf("import: a host name names one file's host, not %d files'", len(im.Files))
	}
	return inventory.Scan{Source: "import", Targets: im.Targets, Expected: len(im.Files)}, nil
}

// Hosts reads, parses and records every file. Two files naming the same
// host, or a file naming a host the store knows as another machine, end
// the import with an error naming both (see identity.go).
func (im *Import) Hosts(ctx context.Context, rec Recorder) error {
	id := rec.ScanID()
	read := func(i int) inventory.Observation {
		f := im.Files[i]
		data, err := f.Data, error(nil)
		if f.Data == nil {
			data, err = ReadLimited(f.Path, inventory.MaxOutput)
		}
		return im.observation(id, f, data, err)
	}
	seen := map[string]Claim{} // host id -> the file of this import that claimed it
	var batch []inventory.Observation
	flush := func() error {
		if err := rec.Record(ctx, batch...); err != nil {
			return err
		}
		if im.Stored != nil {
			im.Stored(len(batch))
		}
		batch = batch[:0]
		return nil
	}
	return inOrder(ctx, len(im.Files), 2*importBatch, read, func(i int, obs inventory.Observation) error {
		f := im.Files[i]
		c := Claim{File: f.Path, Machine: machineID(obs)}
		if prev, ok := seen[obs.Host.ID]; ok {
			if err := sameMachine(prev, c, obs.Host.ID); err != nil {
				return err
			}
			if im.Again != nil {
				im.Again(prev, c, obs.Host.ID)
			}
		} else if obs.Report != nil {
			// Only an output that says what it is can claim a machine; an
			// unreadable file is stored under its file name, as failed.
			known, ok, err := rec.Known(ctx, obs.Host.ID)
			if err != nil {
				return err
			}
			if err := sameAsStored(c, obs.Host.ID, known, ok); err != nil {
				return err
			}
		}
		seen[obs.Host.ID] = c
		if im.Each != nil {
			im.Each(f, obs)
		}
		batch = append(batch, obs)
		if len(batch) == importBatch || i == len(im.Files)-1 {
			return flush()
		}
		return nil
	})
}

// observation names the host and parses its output. For a single file
// Host wins; else the output's InstanceId and Name tags, then its hostname,
// then the file name (inventory.Identify, as the demo does).
func (im *Import) observation(scanID int64, f File, data []byte, readErr error) inventory.Observation {
	named := im.Host != ""
	host := inventory.Host{ID: f.Label, Name: f.Label, Source: "import"}
	if named {
		host.ID, host.Name = im.Host, im.Host
	}
	if readErr != nil {
		return inventory.Observation{ScanID: scanID, Host: host, Status: inventory.StatusFailed, Error: readErr.Error()}
	}
	obs := Parsed(scanID, host, data, nil)
	if obs.Report != nil && !named {
		obs.Host.ID, obs.Host.Name = inventory.Identify(obs.Report, f.Label)
	}
	return obs
}

// Parsed turns one collector output into an observation: ok with its
// report, or truncated/unparsable with the parser's error. runErr is how
// the collector itself ended, kept as a warning when its output is whole.
func Parsed(scanID int64, host inventory.Host, data []byte, runErr error) inventory.Observation {
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

// Targets records what an import was asked for without storing ten
// thousand file names in one row.
func Targets(args []string) string {
	const keep = 3
	if len(args) <= keep {
		return strings.Join(args, " ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(args[:keep], " "), len(args)-keep)
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

// ReadLimited reads a file, or its first limit+1 bytes when it is larger, so
// that an oversized input is refused by its parser, naming the limit,
// without first taking its size in memory.
func ReadLimited(name string, limit int) ([]byte, error) {
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
