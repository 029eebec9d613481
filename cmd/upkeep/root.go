package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"upkeep/inventory/store"
)

// factory hands commands what they need, lazily: a command that needs no
// database opens none.
type factory struct {
	io     *ioStreams
	getenv func(string) string
	now    func() time.Time

	dbPath string // --db, else UPKEEP_DB, else the per-user default
	demo   bool   // --demo: use the bundled demo fleet's database
	color  string // --color: never, auto or always
	quiet  bool   // --quiet: nothing on stderr but errors
}

// openStore opens (creating if needed) the database the user chose.
func (f *factory) openStore(ctx context.Context) (*store.DB, error) {
	path, err := f.databasePath()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create database folder: %w (choose another place with --db PATH)", err)
	}
	db, err := store.Open(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return db, nil
}

// errNoDatabase: the database a reading command names does not exist.
var errNoDatabase = errors.New("no scan stored yet")

// openExistingStore opens the database for a command that only reads: a
// path that does not exist (a typo in --db, or no scan yet) is an error
// saying so, and no empty database or folder is left there.
func (f *factory) openExistingStore(ctx context.Context) (*store.DB, error) {
	path, err := f.existingPath()
	if err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return db, nil
}

// openReadStore opens the database as openExistingStore does, read-only:
// it takes no write lock, so it works while a scan writes.
func (f *factory) openReadStore(ctx context.Context) (*store.DB, error) {
	path, err := f.existingPath()
	if err != nil {
		return nil, err
	}
	db, err := store.OpenReadOnly(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return db, nil
}

// existingPath is the database path when the file exists.
func (f *factory) existingPath() (string, error) {
	path, err := f.databasePath()
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		if f.demo {
			return "", fmt.Errorf("%w: no demo database at %s: run 'upkeep demo' first", errNoDatabase, path)
		}
		return "", fmt.Errorf("%w: no database at %s: run 'upkeep scan' or 'upkeep demo' first, or name another with --db", errNoDatabase, path)
	}
	return path, nil
}

// databasePath resolves --db, UPKEEP_DB, --demo and the default location.
func (f *factory) databasePath() (string, error) {
	if f.dbPath != "" {
		return f.dbPath, nil
	}
	if p := f.getenv("UPKEEP_DB"); p != "" && !f.demo {
		return p, nil
	}
	dir, err := dataDir(f.getenv)
	if err != nil {
		return "", err
	}
	if f.demo {
		return filepath.Join(dir, "demo.db"), nil
	}
	return filepath.Join(dir, "upkeep.db"), nil
}

// dataDir is upkeep's per-user data folder: $XDG_DATA_HOME/upkeep, or the
// platform's equivalent.
func dataDir(getenv func(string) string) (string, error) {
	if x := getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "upkeep"), nil
	}
	home := getenv("HOME")
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find a place for the database: %w (set --db PATH or UPKEEP_DB)", err)
		}
		home = h
	}
	switch runtime.GOOS {
	case "darwin":
		return filepath.Join(home, "Library", "Application Support", "upkeep"), nil
	case "windows":
		if a := getenv("LOCALAPPDATA"); a != "" {
			return filepath.Join(a, "upkeep"), nil
		}
	}
	return filepath.Join(home, ".local", "share", "upkeep"), nil
}

func newRootCmd(f *factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "upkeep",
		Short: "Inventory an EC2 fleet's middleware, judge it against end-of-life data, plan the upgrades",
		Long: `upkeep finds out what runs where on a fleet of Linux hosts, says what is past its
end of life and what blocks the move to Amazon Linux 2023, and orders the upgrades.

It scans hosts through AWS Systems Manager Run Command (read-only: it installs
nothing and never opens SSH), stores every scan in one SQLite file, and works
offline with embedded, dated end-of-life data.

` + exitCodesHelp,
		Example: `  # See it work at once: scan this machine and load the bundled demo fleet
  upkeep demo

  # Scan every managed Linux instance in two regions
  upkeep scan --all --region eu-west-1,us-east-1

  # What is past end of life, and what blocks Amazon Linux 2023?
  upkeep check
  upkeep readiness

  # In what order to upgrade
  upkeep plan`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       buildVersion(),
	}
	root.SetVersionTemplate("upkeep {{.Version}}\n")
	root.SetIn(f.io.in)
	root.SetOut(f.io.out)
	root.SetErr(f.io.errOut)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageErrorf("%w\nRun '%s --help' for usage.", err, c.CommandPath())
	})
	root.PersistentFlags().StringVar(&f.dbPath, "db", "", "database file (default $UPKEEP_DB, else "+defaultDBHint()+")")
	root.PersistentFlags().BoolVar(&f.demo, "demo", false, "use the bundled demo fleet's database (created by 'upkeep demo')")
	root.PersistentFlags().StringVar(&f.color, "color", "auto", "colour verdicts and risks: never, auto (a terminal without NO_COLOR) or always")
	root.PersistentFlags().BoolVarP(&f.quiet, "quiet", "q", false, "print no warnings, notes or footers on stderr, only errors")
	root.PersistentPreRunE = func(c *cobra.Command, _ []string) error {
		switch f.color {
		case "never", "auto", "always":
		default:
			return usageErrorf("--color %q: use never, auto or always", f.color)
		}
		f.io.setColor(f.color, f.getenv)
		if f.quiet {
			f.io.errOut = io.Discard
		}
		return nil
	}

	for _, c := range commands(f) {
		root.AddCommand(c)
	}
	registerCompletions(root, f)
	return root
}

func defaultDBHint() string {
	if runtime.GOOS == "darwin" {
		return "~/Library/Application Support/upkeep/upkeep.db"
	}
	return "$XDG_DATA_HOME/upkeep/upkeep.db or ~/.local/share/upkeep/upkeep.db"
}

// run builds the command tree, runs it and returns the exit code.
func run(ctx context.Context, args []string, ios *ioStreams, getenv func(string) string) int {
	return runAt(ctx, args, ios, getenv, time.Now)
}

// runAt is run with a clock, for tests.
func runAt(ctx context.Context, args []string, ios *ioStreams, getenv func(string) string, now func() time.Time) int {
	f := &factory{io: ios, getenv: getenv, now: now}
	root := newRootCmd(f)
	stderr := ios.errOut // errors print even with --quiet
	defer func() { ios.errOut = stderr }()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err != nil && (errors.Is(err, context.Canceled) || ctx.Err() != nil) {
		fmt.Fprintln(stderr, "upkeep: interrupted; what was already stored is kept")
		return exitInterrupted
	}
	if err != nil && isCobraUsageError(err) {
		// Cobra's own errors (unknown command, wrong number of arguments)
		// do not pass through the flag error func: give them its hint too.
		path := root.CommandPath()
		if c, _, ferr := root.Find(args); ferr == nil && c != nil {
			path = c.CommandPath()
		}
		if !strings.Contains(err.Error(), "--help' for usage") {
			return exitCode(usageErrorf("%w\nRun '%s --help' for usage.", err, path), stderr)
		}
		return exitCode(usageErrorf("%w", err), stderr)
	}
	return exitCode(err, stderr)
}

// buildVersion is the module version go install recorded, or the VCS
// revision of a build from a clone, so a bug report can say what ran.
func buildVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := bi.Main.Version
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value[:min(12, len(s.Value))]
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if (v == "" || v == "(devel)") && rev != "" {
		return "devel-" + rev + dirty
	}
	if v == "" {
		return "(devel)"
	}
	return v
}
