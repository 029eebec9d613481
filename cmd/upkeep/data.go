package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
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
	var format, at string
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Print each dataset's source, date and age",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fm, err := output.Parse(format, output.Table, output.JSON, output.CSV)
			if err != nil {
				return usageErrorf("%w", err)
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
			type row struct {
				Name      string `json:"name"`
				Origin    string `json:"origin"` // embedded, or database: what the judging commands use
				Source    string `json:"source"`
				Date      string `json:"date"`
				FetchedAt string `json:"fetched_at,omitempty"`
				AgeDays   int    `json:"age_days"`
				Stale     bool   `json:"stale"`
			}
			eol := row{Name: "endoflife", Origin: "embedded", Source: "endoflife.date, embedded snapshot (commit " + d.Commit + ")"}
			if stored != nil {
				eol.Origin = "database"
				eol.FetchedAt = stored.FetchedAt.UTC().Format(time.RFC3339)
				eol.Source = "endoflife.date, stored in the database by 'upkeep data update' on " +
					stored.FetchedAt.UTC().Format(time.DateOnly) + " from " + stored.Source
			}
			eol.Date, eol.AgeDays = d.Date.Format(time.DateOnly), age(d.Date)
			eol.Stale = eol.AgeDays > 90
			rows := []row{
				eol,
				{"al2023-packages", "embedded", "Amazon Linux 2023 release notes, release " + d.AL2023Release(), d.AL2023Date.Format(time.DateOnly), "", age(d.AL2023Date), false},
			}
			if fm == output.JSON {
				return output.WriteJSON(f.io.out, rows)
			}
			if fm == output.CSV { // the JSON fields, in the JSON order, as every other CSV
				cells := make([][]string, len(rows))
				for i, r := range rows {
					cells[i] = []string{r.Name, r.Origin, r.Source, r.Date, r.FetchedAt, strconv.Itoa(r.AgeDays), strconv.FormatBool(r.Stale)}
				}
				return output.WriteCSV(f.io.out, []string{"name", "origin", "source", "date", "fetched_at", "age_days", "stale"}, cells)
			}
			cells := make([][]string, len(rows))
			for i, r := range rows {
				st := "ok"
				if r.Stale {
					st = "stale (over 90 days): run 'upkeep data update'"
				}
				cells[i] = []string{r.Name, r.Source, r.Date, strconv.Itoa(r.AgeDays), st}
			}
			return output.WriteTable(f.io.out, []string{"DATASET", "SOURCE", "DATE", "AGE_DAYS", "STATE"}, cells)
		},
	}
	cmd.Flags().StringVarP(&format, "output", "o", "table", "output format: table, json or csv")
	cmd.Flags().StringVar(&at, "at", "", "compute ages as of this day, YYYY-MM-DD (default today)")
	return cmd
}

func newDataUpdateCmd(f *factory) *cobra.Command {
	var fromFile, baseURL string
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "update",
		Short: "Refresh the end-of-life data from the endoflife.date API or a file",
		Long: `update fetches https://endoflife.date/api/v1/products/{product}/ for every
product upkeep maps, validates every answer, and stores the result in the
database (--db, --demo), where every judging command reads it. It is all or
nothing: an HTTP error, a rate limit (429), an HTML page or truncated JSON
leaves the data in use unchanged. The embedded snapshot stays the fallback.

--from-file reads a file instead (air-gapped hosts): an endoflife.date API v1
response (one product, or /products/full/) or a snapshot in upkeep's format.`,
		Example: `  upkeep data update
  upkeep data update --from-file full.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var ps []*advisories.Product
			var err error
			date := f.now().UTC()
			origin := baseURL
			if fromFile != "" {
				b, err := os.ReadFile(fromFile)
				if err != nil {
					return usageErrorf("--from-file: %w", err)
				}
				var fileDate time.Time
				if ps, fileDate, err = advisories.ReadUpdate(b); err != nil {
					return usageErrorf("--from-file %s: %w; the data in use is unchanged", fromFile, err)
				}
				if !fileDate.IsZero() {
					date = fileDate
				}
				origin = fromFile
			} else {
				client := &http.Client{Timeout: timeout}
				ps, err = advisories.Fetch(cmd.Context(), client, baseURL, advisories.MappedProducts())
				if err != nil {
					return fmt.Errorf("update end-of-life data: %w; the data in use is unchanged", err)
				}
			}
			// Validate by loading exactly what will be read back.
			b, err := advisories.EncodeSnapshot(ps, date, origin)
			if err != nil {
				return fmt.Errorf("encode end-of-life data: %w", err)
			}
			if _, _, err := advisories.ReadUpdate(b); err != nil {
				return fmt.Errorf("update end-of-life data: %w; the data in use is unchanged", err)
			}
			db, err := f.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			err = db.SaveDataset(cmd.Context(), store.Dataset{Name: eolDataset, FetchedAt: f.now().UTC(), Source: origin, Date: date, Body: b})
			if err != nil {
				return fmt.Errorf("store end-of-life data: %w; the data in use is unchanged", err)
			}
			fmt.Fprintf(f.io.errOut, "upkeep: stored %s from %s, dated %s, in %s\n", nouns(len(ps), "product"), origin, date.Format(time.DateOnly), db.Path())
			return nil
		},
	}
	cmd.Flags().StringVar(&fromFile, "from-file", "", "read an endoflife.date API v1 response or snapshot from FILE instead of the network")
	cmd.Flags().StringVar(&baseURL, "base-url", "https://endoflife.date/api/v1", "endoflife.date API v1 base URL")
	cmd.Flags().DurationVar(&timeout, "timeout", 30*time.Second, "timeout for each request")
	return cmd
}
