package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"upkeep/internal/output"
	"upkeep/inventory"
	"upkeep/inventory/scan"
)

// runLocal runs the collector on this machine and stores it as one host.
func (o *scanOptions) runLocal(ctx context.Context) error {
	db, err := o.f.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	src := &scan.Local{Host: o.host}
	res, err := scan.Run(ctx, db, src, scan.Options{Now: o.f.now})
	if err != nil {
		return err
	}
	obs := src.Observation()
	if !o.quiet {
		fmt.Fprintf(o.f.io.errOut, "scan %d: %s: %s\n", res.Scan.ID, output.Terminal(src.Name()), output.TerminalLines(describe(obs)))
	}
	if obs.Status != inventory.StatusOK {
		return errSilent(exitFailure)
	}
	return nil
}

// describe is a host's result in a few words, for progress and summaries.
func describe(o inventory.Observation) string {
	if o.Status == inventory.StatusOK {
		return fmt.Sprintf("ok, %s, %s, %s", nouns(len(o.Report.Packages), "package"), nouns(len(o.Report.Probes), "probe"),
			nouns(len(o.Report.Listeners), "listening socket"))
	}
	return fmt.Sprintf("%s: %s", o.Status, o.Error)
}

// runImport stores saved collector outputs as one scan, one host per file
// (scan.Import), and says what it stored.
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

	var bar *progressbar.ProgressBar
	if o.f.io.errTTY && !o.quiet && !o.verbose && len(files) > 1 {
		bar = progressbar.NewOptions(len(files), progressbar.OptionSetWriter(o.f.io.errBar),
			progressbar.OptionSetDescription("importing"), progressbar.OptionShowCount(),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
	}
	src := &scan.Import{Files: files, Targets: scan.Targets(o.imports), Host: o.host,
		Each: func(f scan.File, obs inventory.Observation) {
			if o.verbose || (!o.quiet && bar == nil && obs.Status != inventory.StatusOK) {
				fmt.Fprintf(o.f.io.errOut, "%s: %s\n", f.Path, output.TerminalLines(describe(obs))) // the host's own words
			}
		},
		Again: func(prev, next scan.Claim, host string) {
			fmt.Fprintf(o.f.io.errOut, "upkeep: %s and %s are the same machine (machine id %s), host %s: keeping the later, %s\n",
				prev.File, next.File, output.Terminal(next.Machine), output.Terminal(host), next.File)
		},
		Stored: func(n int) {
			if bar != nil {
				bar.Add(n)
			}
		},
	}
	res, err := scan.Run(ctx, db, src, scan.Options{Now: o.f.now})
	if bar != nil {
		bar.Finish()
	}
	var conflict *scan.ConflictError
	var stored *scan.StoredConflictError
	if (errors.As(err, &conflict) || errors.As(err, &stored)) && res.Scan.ID != 0 {
		// What was stored stays, in a scan marked failed: never judged as
		// the fleet, and the error names both files.
		return usageErrorf("%w (scan %d is marked failed)", err, res.Scan.ID)
	}
	if err != nil {
		return err
	}
	// Count from the store: a duplicate host replaced its earlier row.
	ok := res.Scan.Counts[inventory.StatusOK]
	hosts := res.Scan.Stored()
	if !o.quiet {
		fmt.Fprintf(o.f.io.errOut, "scan %d: imported %s as %s: %s (%.1fs)\n", res.Scan.ID, nouns(len(files), "file"), nouns(hosts, "host"),
			countsText(res.Scan.Counts), time.Since(begin).Seconds())
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

// importFiles expands the --import arguments: a folder stands for the
// regular files directly in it, in name order; "-" is stdin, read now.
func (o *scanOptions) importFiles() ([]scan.File, error) {
	var files []scan.File
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
			if data == nil {
				data = []byte{} // read, and empty: not a path to open
			}
			files = append(files, scan.File{Path: "-", Data: data, Label: "stdin"})
			continue
		}
		st, err := os.Stat(arg)
		if err != nil {
			return nil, usageErrorf("--import %s: %w", arg, errors.Unwrap(err))
		}
		if !st.IsDir() {
			files = append(files, scan.File{Path: arg, Label: fileLabel(arg)})
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
				files = append(files, scan.File{Path: p, Label: fileLabel(p)})
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
