package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"upkeep/inventory"
	"upkeep/inventory/store"
)

// complete runs `upkeep __complete ARGS...` as a shell's completion script
// does, and returns the values offered (descriptions cut off).
func complete(t *testing.T, db string, args ...string) []string {
	t.Helper()
	ios, out, errOut := testIO("")
	full := append([]string{"--db", db, "__complete"}, args...)
	if code := run(context.Background(), full, ios, func(string) string { return "" }); code != 0 {
		t.Fatalf("%v: exit %d: %s", full, code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) == 0 || !strings.HasPrefix(lines[len(lines)-1], ":") {
		t.Fatalf("%v: no directive line in %q", full, out)
	}
	if len(lines) > 1 && lines[len(lines)-1] != ":4" { // ShellCompDirectiveNoFileComp: values, never file names instead
		t.Errorf("%v: directive %s, want :4", full, lines[len(lines)-1])
	}
	var vals []string
	for _, l := range lines[:len(lines)-1] {
		v, _, _ := strings.Cut(l, "\t")
		vals = append(vals, v)
	}
	return vals
}

// completionDB stores two scans: hosts in two regions, then one more.
func completionDB(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "u.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	for i, hosts := range [][]inventory.Host{
		{{ID: "i-0aaa", Name: "web-1", Region: "eu-west-1", Account: "111111111111", Source: "ssm", Tags: map[string]string{"Env": "prod", "Role": "web"}},
			{ID: "i-0bbb", Name: "db-1", Region: "us-east-1", Account: "222222222222", Source: "ssm", Tags: map[string]string{"Env": "staging", "Role": "db"}}},
		{{ID: "i-0ccc", Name: "web-2", Region: "eu-west-1", Account: "111111111111", Source: "ssm", Tags: map[string]string{"Env": "dev", "Team": "a"}}},
	} {
		id, err := db.BeginScan(ctx, inventory.Scan{Source: "ssm", Targets: "--all", Started: at.Add(time.Duration(i) * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hosts {
			if err := db.SaveObservation(ctx, inventory.Observation{ScanID: id, Host: h, Status: inventory.StatusOffline}); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.FinishScan(ctx, id, at.Add(time.Duration(i)*time.Hour+time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func TestCompletionValues(t *testing.T) {
	db := completionDB(t)
	tests := []struct {
		args    []string
		want    []string // exactly, in order; nil: see has
		has     []string
		hasNot  []string
		minimum int
	}{
		{args: []string{"check", "--status", ""}, want: verdictNames},
		{args: []string{"check", "--fail-on", ""}, want: []string{"eol", "eol-soon", "blocked"}},
		{args: []string{"check", "--color", ""}, want: []string{"never", "auto", "always"}},
		{args: []string{"report", "--output", ""}, want: []string{"html", "markdown", "json", "yaml"}},
		{args: []string{"inventory", "--output", ""}, has: []string{"table", "json", "csv", "cyclonedx"}},
		{args: []string{"inventory", "packages", "--output", ""}, has: []string{"table", "json", "csv"}, hasNot: []string{"cyclonedx"}},
		{args: []string{"inventory", "--status", ""}, has: []string{"ok", "offline", "failed", "unsupported"}, hasNot: []string{"eol"}},
		{args: []string{"vercmp", "--scheme", ""}, want: []string{"rpm", "deb", "upstream"}},
		{args: []string{"plan", "--strategy", ""}, want: []string{"minimal", "latest"}},
		{args: []string{"scan", "--source", ""}, want: []string{"run-command", "ssm-inventory"}},
		{args: []string{"data", "update", "--dataset", ""}, want: []string{"endoflife", "al2023", "all"}},
		// From the database: the latest scan's hosts, by id and by name.
		{args: []string{"check", "--host", ""}, want: []string{"i-0ccc", "web-2"}},
		{args: []string{"inventory", "--host", ""}, want: []string{"i-0ccc", "web-2"}},
		// --scan picks the scan whose hosts are offered.
		{args: []string{"inventory", "--scan", "1", "--host", ""}, want: []string{"i-0aaa", "web-1", "i-0bbb", "db-1"}},
		{args: []string{"inventory", "--scan", ""}, want: []string{"2", "1"}},
		{args: []string{"scan", "--region", ""}, want: []string{"eu-west-1", "us-east-1"}},
		{args: []string{"scan", "--accounts", ""}, want: []string{"111111111111", "222222222222"}},
		{args: []string{"scan", "--tag", ""}, want: []string{"Env=dev", "Env=prod", "Env=staging", "Role=db", "Role=web", "Team=a"}},
		{args: []string{"plan", "--group-by", ""}, want: []string{"Env", "Role", "Team"}},
		{args: []string{"plan", "--waves", ""}, want: []string{"dev", "prod", "staging"}},
		// Products: the end-of-life data's slugs.
		{args: []string{"check", "--product", ""}, has: []string{"nginx", "php", "mysql", "amazon-linux"}, minimum: 20},
		// A flag with free text offers no values.
		{args: []string{"check", "--at", ""}, want: nil},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			got := complete(t, db, tt.args...)
			if tt.has == nil && !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			for _, w := range tt.has {
				if !slices.Contains(got, w) {
					t.Errorf("got %q, want %q among them", got, w)
				}
			}
			for _, w := range tt.hasNot {
				if slices.Contains(got, w) {
					t.Errorf("got %q, want no %q", got, w)
				}
			}
			if len(got) < tt.minimum {
				t.Errorf("%d values, want at least %d", len(got), tt.minimum)
			}
		})
	}
}

// TestCompletionNoDatabase: completing from a database that does not
// exist offers nothing and creates nothing.
func TestCompletionNoDatabase(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "no-such-dir")
	db := filepath.Join(dir, "u.db")
	for _, args := range [][]string{
		{"check", "--host", ""}, {"inventory", "--scan", ""}, {"scan", "--region", ""},
	} {
		if got := complete(t, db, args...); len(got) != 0 {
			t.Errorf("%v: got %q from no database", args, got)
		}
	}
	if got := complete(t, db, "check", "--product", ""); !slices.Contains(got, "nginx") {
		t.Errorf("products without a database: %q, want the embedded data's", got)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("completion created %s (%v)", dir, err)
	}
}

// parenthetical is a note in a flag's help.
var parenthetical = regexp.MustCompile(`\s*\([^)]*\)`)

// helpList is the list of values a flag's help names: "...: a, b (note)
// or c", "a (note) or b (note)", or "... (a, b, c)".
func helpList(usage string) []string {
	list := usage
	if _, after, ok := strings.Cut(usage, ":"); ok {
		list = after
	}
	if bare := parenthetical.ReplaceAllString(list, ""); strings.Contains(bare, ",") || strings.Contains(bare, " or ") {
		list = bare
	} else if i := strings.Index(list, "("); i >= 0 {
		list = strings.TrimSuffix(list[i+1:], ")")
	}
	list, _, _ = strings.Cut(list, ";")
	var out []string
	for _, part := range strings.Split(list, ",") {
		for _, w := range strings.Split(part, " or ") {
			if w = strings.TrimSpace(w); w != "" {
				out = append(out, w)
			}
		}
	}
	return out
}

// TestCompletionMatchesHelp: every enumerated flag completes exactly the
// values its help names, on every command: a value added to a command
// (a new verdict, a new format) must be added to enumValues in
// completion.go too, and this test says where.
func TestCompletionMatchesHelp(t *testing.T) {
	ios, _, _ := testIO("")
	root := newRootCmd(&factory{io: ios, getenv: func(string) string { return "" }, now: time.Now})
	checked := 0
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(func(fl *pflag.Flag) {
			vals := enumValues(c, fl)
			if vals == nil || fl.Name == "output" { // --output's values are read from its help
				return
			}
			checked++
			help := helpList(fl.Usage)
			if !equalSets(vals, help) {
				t.Errorf("%s --%s completes %q but its help names %q: update enumValues in completion.go", c.CommandPath(), fl.Name, vals, help)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	if checked < 8 {
		t.Errorf("only %d enumerated flags checked", checked)
	}
}

func equalSets(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
