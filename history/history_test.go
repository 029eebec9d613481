package history

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"upkeep/advisories"
	"upkeep/internal/output"
	"upkeep/inventory"
	"upkeep/inventory/demo"
	"upkeep/inventory/store"
	"upkeep/plan"
)

var debugSteps func(*plan.Plan)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var at = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

// obsOf holds the observations demoScans read back, per scan, for drift.
var (
	obsOf   [][]inventory.Observation
	scansOf []inventory.Scan
)

func assertGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./history -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test ./history -run %s -update rewrites it):\n%s", name, t.Name(), got)
	}
}

// secondScan is the demo fleet a week later, with known changes:
//   - openssl upgraded on prod-web-01 to prod-web-04 (web, Amazon Linux 2);
//   - prod-api-02 drifted inside its role: python downgraded;
//   - stg-web-30 gone;
//   - prod-api-03's hand-installed Node.js 16 removed (probe and port 3000);
//   - a hand-built PHP 7.4 appeared on prod-web-02 (a regression).
func secondScan(t *testing.T, first []inventory.Observation) []inventory.Observation {
	t.Helper()
	var out []inventory.Observation
	for _, o := range first {
		name := o.Host.Name
		if name == "stg-web-30" {
			continue
		}
		r := *o.Report
		r.Packages = slices.Clone(r.Packages)
		r.Probes = slices.Clone(r.Probes)
		r.Listeners = slices.Clone(r.Listeners)
		r.Facts.CollectedAt = r.Facts.CollectedAt.Add(7 * 24 * time.Hour)
		switch {
		case slices.Contains([]string{"prod-web-01", "prod-web-02", "prod-web-03", "prod-web-04"}, name):
			for i, p := range r.Packages {
				if p.Name == "openssl" || p.Name == "openssl-libs" {
					r.Packages[i].Release = "24.amzn2.0.16"
				}
			}
			if name == "prod-web-02" {
				r.Probes = append(r.Probes, inventory.Probe{Name: "php", Path: "/usr/local/bin/php", Output: "PHP 7.4.33 (cli) (built: Nov  2 2022 16:00:00) ( NTS )", Version: "7.4.33"})
			}
		case name == "prod-api-02":
			for i, p := range r.Packages {
				if p.Name == "python" || p.Name == "python-libs" {
					r.Packages[i].Release = "58.amzn2.0.2"
				}
			}
		case name == "prod-api-03":
			r.Probes = slices.DeleteFunc(r.Probes, func(p inventory.Probe) bool { return p.Name == "node" })
			r.Listeners = slices.DeleteFunc(r.Listeners, func(l inventory.Listener) bool { return l.Port == 3000 })
		}
		o.Report = &r
		out = append(out, o)
	}
	return out
}

// demoScans stores the demo fleet and its second scan and reads both back
// (so that package sets are the store's), judged at a fixed day.
func demoScans(t *testing.T) (Side, Side) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "upkeep.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	first, err := demo.Observations()
	if err != nil {
		t.Fatal(err)
	}
	d, err := advisories.Load()
	if err != nil {
		t.Fatal(err)
	}
	opt := advisories.Options{At: at, Within: 180}
	var sides []Side
	obsOf, scansOf = nil, nil
	for i, obs := range [][]inventory.Observation{first, secondScan(t, first)} {
		started := time.Date(2026, 11, 17+7*i, 9, 0, 0, 0, time.UTC)
		id, err := db.BeginScan(ctx, inventory.Scan{Source: "demo", Targets: "demo fleet", Started: started, Expected: len(obs)})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range obs {
			o.ScanID = id
			if err := db.SaveObservation(ctx, o); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.FinishScan(ctx, id, started.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		s, err := db.Scan(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		stored, err := db.Observations(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		obsOf = append(obsOf, stored)
		scansOf = append(scansOf, s)
	}
	ca, cb := Changed(obsOf[0], obsOf[1])
	sides = append(sides, NewSide(scansOf[0], obsOf[0], d.Judge(ca, opt)), NewSide(scansOf[1], obsOf[1], d.Judge(cb, opt)))
	// Judging every host gives the same diff: unchanged hosts have the
	// same findings.
	full := Compare(NewSide(scansOf[0], obsOf[0], d.Judge(obsOf[0], opt)), NewSide(scansOf[1], obsOf[1], d.Judge(obsOf[1], opt)))
	if got := Compare(sides[0], sides[1]); !slices.Equal(got.Changes, full.Changes) {
		t.Errorf("judging changed hosts only differs from judging all:\n%v\n%v", got.Changes, full.Changes)
	}
	if len(ca) != 6 { // prod-web-02 counts once
		t.Errorf("%d hosts judged, want the 6 changed ones", len(ca))
	}
	return sides[0], sides[1]
}

func render(t *testing.T, f output.Format, write func(*bytes.Buffer, output.Options) error) string {
	t.Helper()
	var b bytes.Buffer
	if err := write(&b, output.Options{Format: f}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestDiffDemoGolden(t *testing.T) {
	a, b := demoScans(t)
	d := Compare(a, b)
	for _, f := range []output.Format{output.Table, output.JSON, output.CSV, output.Markdown} {
		assertGolden(t, "diff."+string(f)+".golden", render(t, f, func(w *bytes.Buffer, o output.Options) error { return WriteDiff(w, o, d) }))
	}
	// What the fleet was changed to show, whatever the golden says.
	has := func(host string, k Kind, item string) bool {
		return slices.ContainsFunc(d.Changes, func(c Change) bool { return c.HostName == host && c.Kind == k && strings.HasPrefix(c.Item, item) })
	}
	for _, want := range []struct {
		host string
		kind Kind
		item string
	}{
		{"prod-web-01", Upgraded, "openssl.x86_64"}, {"prod-web-04", Upgraded, "openssl-libs.x86_64"},
		{"prod-api-02", Downgraded, "python.x86_64"}, {"stg-web-30", HostRemoved, "host"},
		{"prod-api-03", ProbeChanged, "node "}, {"prod-api-03", PortClosed, "3000/tcp"}, {"prod-api-03", FindingFixed, "Node.js 16"},
		{"prod-web-02", ProbeChanged, "php "}, {"prod-web-02", FindingNew, "PHP 7.4"},
	} {
		if !has(want.host, want.kind, want.item) {
			t.Errorf("diff lacks %s %s %s", want.host, want.kind, want.item)
		}
	}
	if has("prod-web-05", Upgraded, "openssl") || d.Hosts != 7 {
		t.Errorf("diff touches %d hosts, want 7 (4 upgraded, 1 drifted, 1 gone, 1 without node)", d.Hosts)
	}
}

func TestDriftDemoGolden(t *testing.T) {
	_, b := demoScans(t)
	obs := obsOf[1]
	r := Drifts(b.Scan, obs, DriftOptions{By: "Role"})
	for _, f := range []output.Format{output.Table, output.JSON} {
		assertGolden(t, "drift-role."+string(f)+".golden", render(t, f, func(w *bytes.Buffer, o output.Options) error { return WriteDrift(w, o, r, "Role") }))
	}
	behind := slices.IndexFunc(r.Rows, func(d Drift) bool {
		return d.Group == "api" && d.Item == "python.x86_64" && d.Direction == Behind && slices.Equal(d.Drifted, []string{"prod-api-02"})
	})
	if behind < 0 {
		t.Errorf("drift does not show prod-api-02 behind its role on python")
	}
	c := Drifts(b.Scan, obs, DriftOptions{By: "cohort"})
	assertGolden(t, "drift-cohort.table.golden", render(t, output.Table, func(w *bytes.Buffer, o output.Options) error { return WriteDrift(w, o, c, "cohort") }))
	e := Drifts(b.Scan, obs, DriftOptions{By: "Role", EnvTag: "Env", EnvPair: [2]string{"staging", "prod"}})
	assertGolden(t, "drift-env.table.golden", render(t, output.Table, func(w *bytes.Buffer, o output.Options) error {
		return WriteEnvDrift(w, o, e, "Role", [2]string{"staging", "prod"})
	}))
}

// TestProgressDemoGolden: the plan made from the first demo scan, measured
// in the second, where prod-api-03's hand-installed Node.js 16 is gone.
func TestProgressDemoGolden(t *testing.T) {
	demoScans(t)
	d, err := advisories.Load()
	if err != nil {
		t.Fatal(err)
	}
	opt := advisories.Options{At: at, Within: 180}
	oldReports, newReports := d.Judge(obsOf[0], opt), d.Judge(obsOf[1], opt)
	tags := map[string]map[string]string{}
	for _, o := range obsOf[0] {
		tags[o.Host.ID] = o.Report.Tags
	}
	in := plan.Input{At: at, DataDate: d.Date.Format(time.DateOnly), Catalog: plan.NewCatalog(d, nil), Options: plan.Options{Within: 180 * 24 * time.Hour}}
	for _, r := range oldReports {
		if len(r.Findings) > 0 {
			in.Hosts = append(in.Hosts, plan.Host{ID: r.Host.ID, Name: r.Host.Name, Tags: tags[r.Host.ID]})
			in.Findings = append(in.Findings, r.Findings...)
		}
	}
	p, err := plan.Build(in)
	if err != nil {
		t.Fatal(err)
	}
	r := Progress(scansOf[0], scansOf[1], p, oldReports, newReports)
	if debugSteps != nil {
		debugSteps(p)
	}
	for _, f := range []output.Format{output.Table, output.JSON, output.YAML, output.CSV, output.Markdown} {
		assertGolden(t, "progress."+string(f)+".golden", render(t, f, func(w *bytes.Buffer, o output.Options) error { return WriteProgress(w, o, r) }))
	}
	// Every format carries what regressed, not only the table.
	for _, f := range []output.Format{output.JSON, output.YAML, output.CSV, output.Markdown} {
		got := render(t, f, func(w *bytes.Buffer, o output.Options) error { return WriteProgress(w, o, r) })
		if !strings.Contains(got, "prod-web-02") || !strings.Contains(got, "PHP 7.4") {
			t.Errorf("progress as %s lacks the regressed PHP 7.4 on prod-web-02", f)
		}
	}
	var doc struct {
		StepsDone int            `json:"steps_done"`
		Steps     []StepProgress `json:"steps"`
		Regressed []Change       `json:"regressed"`
	}
	if err := json.Unmarshal([]byte(render(t, output.JSON, func(w *bytes.Buffer, o output.Options) error { return WriteProgress(w, o, r) })), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Steps) != len(r.Steps) || !slices.Equal(doc.Regressed, r.Regressed) || doc.StepsDone != r.StepsDone() {
		t.Errorf("progress JSON: %d steps, %d done, regressed %v; want %d, %d, %v", len(doc.Steps), doc.StepsDone, doc.Regressed, len(r.Steps), r.StepsDone(), r.Regressed)
	}
	node := slices.IndexFunc(r.Steps, func(s StepProgress) bool {
		return s.Product == "nodejs" && s.FromCycle == "16" && s.Done >= 1 && !slices.Contains(s.Remaining, "prod-api-03")
	})
	if node < 0 {
		t.Errorf("no Node.js 16 step counts prod-api-03 as done")
	}
	if !slices.ContainsFunc(r.Regressed, func(c Change) bool { return c.HostName == "prod-web-02" && strings.HasPrefix(c.Item, "PHP 7.4") }) {
		t.Errorf("regressed = %v, want PHP 7.4 on prod-web-02", r.Regressed)
	}
	for _, s := range r.Steps {
		if s.Done+s.Gone+len(s.Remaining) != s.Hosts {
			t.Errorf("step %d: %d done + %d gone + %d remaining != %d hosts", s.Step, s.Done, s.Gone, len(s.Remaining), s.Hosts)
		}
	}
}
