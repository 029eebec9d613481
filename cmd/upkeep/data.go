package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"upkeep/advisories"
	"upkeep/internal/output"
	"upkeep/inventory/store"
)

// eolDataset is the name 'upkeep data update' stores its snapshot under, in
// the database: --db and --demo choose it with the scans. The embedded
// snapshot stays the fallback.
const eolDataset = "endoflife"

// legacyUpdateFile is where upkeep before schema 2 kept the snapshot, next
// to the database. It is no longer read (docs/schema.md): an update belongs
// with the scans it judges, and a second place to look would make "which
// data is in use" a guess. While nothing is stored, upkeep says how to
// store it.
const legacyUpdateFile = "endoflife-update.json"

func legacyUpdatePath(f *factory) (string, error) {
	p, err := f.databasePath()
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(p), legacyUpdateFile), nil
}

func newDataCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "data",
		Short: "Show and refresh the end-of-life and Amazon Linux 2023 data",
		Long: `upkeep judges with data embedded in the binary: an endoflife.date snapshot
and the Amazon Linux 2023 package list, each with its source and date. 'data
status' shows them and their age; 'data update' refreshes the end-of-life data
from the endoflife.date API (or a file, for air-gapped hosts).

` + exitCodesHelp,
		Args: cobra.NoArgs, // checked only for a runnable command: 'data frob' is a usage error, not help and exit 0
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newDataStatusCmd(f), newDataUpdateCmd(f))
	return cmd
}

func newDataStatusCmd(f *factory) *cobra.Command {
	var at string
	var of outputFlags
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Print each dataset's source, date and age",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			err := of.parse()
			if err != nil {
				return err
			}
			now := f.now().UTC()
			if at != "" {
				if now, err = time.Parse(time.DateOnly, at); err != nil {
					return usageErrorf("--at %q: want YYYY-MM-DD", at)
				}
			}
			d, stored, err := loadData(cmd.Context(), f)
			if err != nil {
				return err
			}
			age := func(t time.Time) int { return int(now.Sub(t).Hours() / 24) }
			type row = datasetRow
			eol := row{Name: "endoflife", Origin: "embedded", Source: "endoflife.date, embedded snapshot (commit " + d.Commit + ")"}
			if stored != nil {
				eol.Origin = "database"
				eol.FetchedAt = stored.FetchedAt.UTC().Format(time.RFC3339)
				eol.Source = "endoflife.date, stored in the database by 'upkeep data update' on " +
					stored.FetchedAt.UTC().Format(time.DateOnly) + " from " + stored.Source
			}
			eol.Date, eol.AgeDays = d.Date.Format(time.DateOnly), age(d.Date)
			eol.Stale = eol.AgeDays > 90
			// The AL2023 date is the release's own day, not the day the data
			// was fetched: a list of an old release is old however recently
			// it was read. AWS releases AL2023 about every quarter.
			// The embedded data is the full list of one release plus rows of
			// later releases for some products; the date is the full list's.
			al := row{Name: "al2023-packages", Origin: "embedded", Source: "Amazon Linux 2023 release notes, release " + d.AL2023Release(),
				Date: d.AL2023Date.Format(time.DateOnly), AgeDays: age(d.AL2023Date)}
			if l := d.AL2023Later(); l != "" {
				al.Source += " (every package); the registry's products from " + l
			}
			if o := d.AL2023Origin(); o != "" {
				al.Origin = "database"
				al.Source = "Amazon Linux 2023 repositories, release " + d.AL2023Release() + ", read from " + o
			}
			al.Stale = al.AgeDays > 120
			rows := []row{eol, al}
			for i := range rows {
				rows[i].update = f.commandPrefix() + " data update"
			}
			return renderRows(f, &of, dataStatusView(), rows)
		},
	}
	of.add(cmd, output.Table, output.Table, output.JSON, output.YAML, output.CSV)
	cmd.Flags().StringVar(&at, "at", "", "compute ages as of this day, YYYY-MM-DD (default today)")
	return cmd
}

// al2023Dataset is the name the AL2023 repository data is stored under.
const al2023Dataset = "al2023-repo"

// defaultAL2023MirrorList is the core repository's mirror list for the
// newest AL2023 release, as AWS documents it for dnf on x86_64.
const defaultAL2023MirrorList = "https://cdn.amazonlinux.com/al2023/core/mirrors/latest/x86_64/mirror.list"

// defaultAL2023SupportInfo is where AWS publishes the core repository's
// support statements (the SupportInfo XML Structure page of the AL2023 guide).
const defaultAL2023SupportInfo = "https://cdn.amazonlinux.com/al2023/core/AL2023-supportinfo-1.0.xml"

type dataUpdateOptions struct {
	datasets    []string
	fromFile    string
	fromDir     string
	baseURL     string
	mirrorList  string
	supportInfo string
	extraRepos  []string
	timeout     time.Duration
}

func newDataUpdateCmd(f *factory) *cobra.Command {
	var o dataUpdateOptions
	cmd := &cobra.Command{
		Use:   "update",
		Short: "Refresh the end-of-life data and the Amazon Linux 2023 repository data",
		Long: `update refreshes two datasets and stores them in the database (--db, --demo),
where every judging command reads them; the embedded data stays the fallback.

endoflife: https://endoflife.date/api/v1/products/{product}/ for every product
upkeep maps (or --from-file: an API v1 response or a snapshot in upkeep's format).

al2023: what Amazon Linux 2023 ships today, from its repositories: the mirror
list, repodata/repomd.xml, the primary package metadata it names (size and
checksum verified, package count checked) and the SupportInfo XML with each
package's support statement (or --from-dir: a copy of a repository holding
repodata/ and, optionally, AL2023-supportinfo-1.0.xml; DIR/spal is read too
when present). 'data status' then shows the AL2023 release it describes.

Each update is all or nothing: an HTTP error, a rate limit (429), an HTML page,
truncated JSON, a repomd.xml or primary file that is broken, truncated or does
not match its checksum leaves the data in use unchanged. With --from-file or
--from-dir only those datasets are updated; --dataset chooses otherwise.`,
		Example: `  upkeep data update
  upkeep data update --dataset endoflife
  upkeep data update --from-file full.json
  upkeep data update --from-dir al2023-mirror/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			want := map[string]bool{}
			for _, d := range o.datasets {
				switch d {
				case "all":
					want[eolDataset], want["al2023"] = true, true
				case eolDataset, "al2023":
					want[d] = true
				default:
					return usageErrorf("--dataset %q: want endoflife, al2023 or all", d)
				}
			}
			if !cmd.Flags().Changed("dataset") && (o.fromFile != "" || o.fromDir != "") {
				want = map[string]bool{eolDataset: o.fromFile != "", "al2023": o.fromDir != ""}
			}
			var saves []store.Dataset
			var said []string
			if want[eolDataset] {
				ds, msg, err := updateEOL(cmd.Context(), f, o)
				if err != nil {
					return err
				}
				saves, said = append(saves, ds), append(said, msg)
			}
			if want["al2023"] {
				ds, msg, err := updateAL2023(cmd.Context(), f, o)
				if err != nil {
					return err
				}
				saves, said = append(saves, ds), append(said, msg)
			}
			db, err := f.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			for i, ds := range saves {
				if err := db.SaveDataset(cmd.Context(), ds); err != nil {
					return fmt.Errorf("store %s data: %w; the data in use is unchanged", ds.Name, err)
				}
				fmt.Fprintf(f.io.errOut, "upkeep: stored %s, in %s\n", said[i], db.Path())
			}
			return nil
		},
	}
	cmd.Flags().StringSliceVar(&o.datasets, "dataset", []string{"all"}, "what to update: endoflife, al2023 or all")
	cmd.Flags().StringVar(&o.fromFile, "from-file", "", "read an endoflife.date API v1 response or snapshot from FILE instead of the network")
	cmd.Flags().StringVar(&o.fromDir, "from-dir", "", "read the AL2023 repository metadata from DIR (repodata/repomd.xml ...) instead of the network")
	cmd.Flags().StringVar(&o.baseURL, "base-url", "https://endoflife.date/api/v1", "endoflife.date API v1 base URL")
	cmd.Flags().StringVar(&o.mirrorList, "al2023-mirror-list", defaultAL2023MirrorList, "mirror list of the AL2023 core repository")
	cmd.Flags().StringVar(&o.supportInfo, "al2023-supportinfo", defaultAL2023SupportInfo, "AL2023 SupportInfo XML (URL or file); empty to skip")
	cmd.Flags().StringArrayVar(&o.extraRepos, "al2023-repo", nil, "another AL2023 repository as NAME=MIRROR_LIST_URL (e.g. spal=...), repeatable")
	cmd.Flags().DurationVar(&o.timeout, "timeout", 30*time.Second, "timeout for each request")
	return cmd
}

func updateEOL(ctx context.Context, f *factory, o dataUpdateOptions) (store.Dataset, string, error) {
	var ps []*advisories.Product
	var err error
	now := f.now().UTC()
	date := now
	origin := o.baseURL
	if o.fromFile != "" {
		b, err := advisories.ReadDataFile(o.fromFile)
		if err != nil {
			return store.Dataset{}, "", usageErrorf("--from-file: %w; the data in use is unchanged", err)
		}
		var fileDate time.Time
		if ps, fileDate, err = advisories.ReadUpdate(b); err != nil {
			return store.Dataset{}, "", usageErrorf("--from-file %s: %w; the data in use is unchanged", o.fromFile, err)
		}
		if fileDate.After(now.Add(24 * time.Hour)) {
			return store.Dataset{}, "", usageErrorf("--from-file %s: dated %s, in the future: a wrong date would hide stale data; the data in use is unchanged",
				o.fromFile, fileDate.Format(time.DateOnly))
		}
		if !fileDate.IsZero() {
			date = fileDate
		}
		origin = o.fromFile
	} else {
		client := &http.Client{Timeout: o.timeout}
		ps, err = advisories.Fetch(ctx, client, o.baseURL, advisories.MappedProducts())
		if err != nil {
			return store.Dataset{}, "", fmt.Errorf("update end-of-life data: %w; the data in use is unchanged", err)
		}
	}
	// Validate by loading exactly what will be read back.
	b, err := advisories.EncodeSnapshot(ps, date, origin)
	if err != nil {
		return store.Dataset{}, "", fmt.Errorf("encode end-of-life data: %w", err)
	}
	if _, _, err := advisories.ReadUpdate(b); err != nil {
		return store.Dataset{}, "", fmt.Errorf("update end-of-life data: %w; the data in use is unchanged", err)
	}
	msg := fmt.Sprintf("%s from %s, dated %s", nouns(len(ps), "product"), origin, date.Format(time.DateOnly))
	return store.Dataset{Name: eolDataset, FetchedAt: now, Source: origin, Date: date, Body: b}, msg, nil
}

func updateAL2023(ctx context.Context, f *factory, o dataUpdateOptions) (store.Dataset, string, error) {
	now := f.now().UTC()
	var specs []advisories.AL2023RepoSpec
	origin := o.mirrorList
	if o.fromDir != "" {
		core := advisories.AL2023RepoSpec{Name: "core", Dir: o.fromDir}
		if st, err := os.Stat(filepath.Join(o.fromDir, "core", "repodata")); err == nil && st.IsDir() {
			core.Dir = filepath.Join(o.fromDir, "core")
		}
		if si := filepath.Join(core.Dir, "AL2023-supportinfo-1.0.xml"); fileExists(si) {
			core.SupportInfo = si
		}
		specs = append(specs, core)
		if spal := filepath.Join(o.fromDir, "spal"); fileExists(filepath.Join(spal, "repodata", "repomd.xml")) {
			sp := advisories.AL2023RepoSpec{Name: "spal", Dir: spal}
			if si := filepath.Join(spal, "AL2023-supportinfo-1.0.xml"); fileExists(si) {
				sp.SupportInfo = si
			}
			specs = append(specs, sp)
		}
		origin = o.fromDir
	} else {
		specs = append(specs, advisories.AL2023RepoSpec{Name: "core", MirrorList: o.mirrorList, SupportInfo: o.supportInfo})
		for _, r := range o.extraRepos {
			name, u, ok := strings.Cut(r, "=")
			if !ok || name == "" || u == "" {
				return store.Dataset{}, "", usageErrorf("--al2023-repo %q: want NAME=MIRROR_LIST_URL", r)
			}
			specs = append(specs, advisories.AL2023RepoSpec{Name: name, MirrorList: u})
		}
	}
	client := &http.Client{Timeout: o.timeout}
	repo, err := advisories.FetchAL2023(ctx, client, specs)
	if err == nil {
		err = repo.Validate(now)
	}
	if err != nil {
		err = fmt.Errorf("update AL2023 repository data: %w; the data in use is unchanged", err)
		if o.fromDir != "" {
			return store.Dataset{}, "", usageErrorf("%w", err)
		}
		return store.Dataset{}, "", err
	}
	b, err := json.Marshal(repo)
	if err != nil {
		return store.Dataset{}, "", fmt.Errorf("encode AL2023 repository data: %w", err)
	}
	if _, err := advisories.ReadAL2023Repo(b, now); err != nil {
		return store.Dataset{}, "", fmt.Errorf("update AL2023 repository data: %w; the data in use is unchanged", err)
	}
	date, _ := time.Parse(time.DateOnly, repo.ReleaseDate)
	msg := fmt.Sprintf("AL2023 release %s (%s, %s) from %s", repo.Release, nouns(len(repo.Packages), "package"),
		nouns(len(repo.Support), "support statement"), origin)
	return store.Dataset{Name: al2023Dataset, FetchedAt: now, Source: origin, Date: date, Body: b}, msg, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
