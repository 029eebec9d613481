package main

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"upkeep/advisories"
	"upkeep/internal/output"
	"upkeep/inventory"
	"upkeep/inventory/store"
)

// Shell completion values. Enumerated flags complete their values; --host,
// --region, --scan, --product, --accounts, --tag, and plan's --group-by and
// --waves complete from the database (opened
// read-only, and only when it exists: completing never creates one). The
// functions are registered by flag name on every command that has the
// flag, so a command added later gets them too.

// verdictNames are the values of check --status, worst first.
var verdictNames = func() []string {
	var out []string
	for _, v := range advisories.Verdicts() {
		out = append(out, string(v))
	}
	return out
}()

// enumValues lists the fixed values of a flag of a command, nil when the
// flag has none.
func enumValues(c *cobra.Command, fl *pflag.Flag) []string {
	switch fl.Name {
	case "output":
		return outputValues(c, fl)
	case "status":
		if c.Name() == "inventory" { // host statuses; elsewhere --status is a verdict
			names := make([]string, len(inventory.Statuses))
			for i, s := range inventory.Statuses {
				names[i] = string(s)
			}
			return names
		}
		return verdictNames
	case "verdict":
		return verdictNames
	case "fail-on":
		return []string{"eol", "eol-soon", "blocked"}
	case "color":
		return []string{"never", "auto", "always"}
	case "source":
		return []string{sourceRunCommand, "ssm-inventory"}
	case "scheme":
		return []string{"rpm", "deb", "upstream"}
	case "strategy":
		return []string{"minimal", "latest"}
	case "dataset":
		return []string{"endoflife", "al2023", "all"}
	}
	return nil
}

// formatWord finds the output formats a flag's help names.
var formatWord = regexp.MustCompile(`\b(table|json|yaml|csv|markdown|html|cyclonedx)\b`)

// outputValues are the formats --output's help names for this command:
// the help is where each command says which formats it takes. Only the
// host list of inventory writes CycloneDX, though its subcommands share
// the flag.
func outputValues(c *cobra.Command, fl *pflag.Flag) []string {
	var out []string
	for _, w := range formatWord.FindAllString(fl.Usage, -1) {
		if output.Format(w) == formatCycloneDX && c.Name() != "inventory" {
			continue
		}
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// registerCompletions walks the command tree and gives every flag it
// knows a completion function.
func registerCompletions(root *cobra.Command, f *factory) {
	done := map[*pflag.Flag]bool{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		visit := func(fl *pflag.Flag) {
			if done[fl] {
				return
			}
			fn := completionFor(c, fl, f)
			if fn == nil {
				return
			}
			done[fl] = true
			// An error means another part registered one first: keep it.
			_ = c.RegisterFlagCompletionFunc(fl.Name, fn)
		}
		c.LocalNonPersistentFlags().VisitAll(visit)
		c.PersistentFlags().VisitAll(visit)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

type completeFunc = func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective)

func completionFor(c *cobra.Command, fl *pflag.Flag, f *factory) completeFunc {
	if enumValues(c, fl) != nil {
		// Values are chosen for the command being completed: a persistent
		// flag (inventory's --output) is registered once for its subcommands.
		return func(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
			if cfl := cmd.Flag(fl.Name); cfl != nil {
				return enumValues(cmd, cfl), cobra.ShellCompDirectiveNoFileComp
			}
			return enumValues(c, fl), cobra.ShellCompDirectiveNoFileComp
		}
	}
	var list func(ctx context.Context, cmd *cobra.Command, db *store.DB) ([]string, error)
	switch fl.Name {
	case "host":
		list = completeHosts
	case "region":
		list = recentHostValues(func(h store.HostSummary) []string { return []string{h.Host.Region} })
	case "accounts":
		list = recentHostValues(func(h store.HostSummary) []string { return []string{h.Host.Account} })
	case "tag": // scan --tag Key=Value: the tags hosts had in recent scans
		list = recentHostValues(func(h store.HostSummary) []string {
			var kv []string
			for k, v := range h.Host.Tags {
				kv = append(kv, k+"="+v)
			}
			return kv
		})
	case "group-by": // plan: tag keys
		list = recentHostValues(func(h store.HostSummary) []string { return slices.Collect(maps.Keys(h.Host.Tags)) })
	case "waves": // plan: Env tag values
		list = recentHostValues(func(h store.HostSummary) []string { return []string{h.Host.Tags["Env"]} })
	case "scan", "resume":
		list = completeScans
	case "product":
		return func(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
			return completeProducts(completionContext(cmd), f), cobra.ShellCompDirectiveNoFileComp
		}
	default:
		return nil
	}
	return func(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
		ctx := completionContext(cmd)
		// No database, or one that cannot be read: nothing to offer, and
		// no message in the middle of the user's command line.
		db, err := f.openReadStore(ctx)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		defer db.Close()
		vals, err := list(ctx, cmd, db)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return vals, cobra.ShellCompDirectiveNoFileComp
	}
}

// completionContext bounds a completion: a shell waits on it.
func completionContext(cmd *cobra.Command) context.Context {
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	_ = cancel // released when the process exits, right after completing
	return ctx
}

// completionScan is the scan the command would read: --scan when given,
// else the latest.
func completionScan(ctx context.Context, cmd *cobra.Command, db *store.DB) (int64, error) {
	if fl := cmd.Flags().Lookup("scan"); fl != nil && fl.Changed {
		if id, err := cmd.Flags().GetInt64("scan"); err == nil && id > 0 {
			return id, nil
		}
	}
	s, err := db.LatestScan(ctx)
	return s.ID, err
}

// completeHosts offers the id and, when it differs, the name of every host
// of the scan, described by its OS and status.
func completeHosts(ctx context.Context, cmd *cobra.Command, db *store.DB) ([]string, error) {
	id, err := completionScan(ctx, cmd, db)
	if err != nil {
		return nil, err
	}
	hosts, err := db.Hosts(ctx, id)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, h := range hosts {
		desc := strings.TrimSpace(osLabel(h.OS) + " " + string(h.Status))
		if h.OS.ID == "" {
			desc = string(h.Status)
		}
		out = offer(out, completion(h.Host.ID, desc))
		if h.Host.Name != "" && h.Host.Name != h.Host.ID {
			out = offer(out, completion(h.Host.Name, h.Host.ID+", "+desc))
		}
	}
	return out, nil
}

// recentHostValues offers what value gives for the hosts of the three
// latest scans (regions, accounts, tags), sorted, each once.
func recentHostValues(value func(store.HostSummary) []string) func(context.Context, *cobra.Command, *store.DB) ([]string, error) {
	return func(ctx context.Context, _ *cobra.Command, db *store.DB) ([]string, error) {
		scans, err := db.Scans(ctx)
		if err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		var out []string
		for _, s := range scans[:min(3, len(scans))] {
			hosts, err := db.Hosts(ctx, s.ID)
			if err != nil {
				return nil, err
			}
			for _, h := range hosts {
				for _, v := range value(h) {
					if v != "" && !seen[v] && output.Printable(v) {
						seen[v] = true
						out = append(out, v)
					}
				}
			}
		}
		slices.Sort(out)
		return out, nil
	}
}

// completeScans offers scan ids, newest first, with what each was.
func completeScans(ctx context.Context, _ *cobra.Command, db *store.DB) ([]string, error) {
	scans, err := db.Scans(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(scans))
	for _, s := range scans {
		out = offer(out, completion(fmt.Sprint(s.ID), fmt.Sprintf("%s %s %s", s.Source, s.Started.UTC().Format(time.DateOnly), s.Targets)))
	}
	return out, nil
}

// completeProducts offers the endoflife.date slugs of the data the
// commands judge with: the embedded snapshot, or the update stored in the
// database by 'upkeep data update'.
func completeProducts(ctx context.Context, f *factory) []string {
	d, err := advisories.Load()
	if err != nil {
		return nil
	}
	if db, err := f.openReadStore(ctx); err == nil {
		defer db.Close()
		if ds, err := db.Dataset(ctx, eolDataset); err == nil {
			if ps, date, err := advisories.ReadUpdate(ds.Body); err == nil {
				d = d.WithProducts(ps, date, ds.Source)
			}
		}
	}
	return d.Products()
}

// completion is a value with its description, as cobra passes them to
// the shell. Hosts set both: a value that would not print as itself (an
// escape, a C1 control, a bidi override, a tab or line break in a host
// name) is not offered, since the shell would put it on the command line
// as is; descriptions are shown escaped (output.Terminal). It returns ""
// for a value not offered.
func completion(value, desc string) string {
	if !output.Printable(value) {
		return ""
	}
	return value + "\t" + output.Terminal(desc)
}

// offer appends the completions that are offered.
func offer(out []string, cs ...string) []string {
	for _, c := range cs {
		if c != "" {
			out = append(out, c)
		}
	}
	return out
}
