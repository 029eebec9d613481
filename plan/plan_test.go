package plan

import (
	"bytes"
	"flag"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test ./plan -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test ./plan -update and read the diff\n--- got ---\n%s", path, got)
	}
}

func mustBuild(t *testing.T, in Input) *Plan {
	t.Helper()
	p, err := Build(in)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return p
}

func stepFor(t *testing.T, p *Plan, cohort, product string) *Step {
	t.Helper()
	var last *Step
	for _, s := range p.Steps {
		if s.Cohort == cohort && s.Product == product {
			last = s // the last of a chain (MySQL 5.7 → 8.0 → 8.4) reaches the target
		}
	}
	if last == nil {
		t.Fatalf("no step for %s on %s", product, cohort)
	}
	return last
}

// checkInvariants holds for every plan: numbered 1..n, every dependency
// earlier, every step with a reason and a risk, waves in order.
func checkInvariants(t *testing.T, p *Plan) {
	t.Helper()
	waveIdx := map[string]int{}
	for i, w := range p.Waves {
		waveIdx[w] = i
	}
	last := 0
	for i, s := range p.Steps {
		if s.Number != i+1 {
			t.Errorf("step %d numbered %d", i+1, s.Number)
		}
		for _, d := range s.DependsOn {
			if d >= s.Number {
				t.Errorf("step %d depends on later step %d", s.Number, d)
			}
		}
		if len(s.Reasons) == 0 {
			t.Errorf("step %d has no reason", s.Number)
		}
		if s.Risk == "" {
			t.Errorf("step %d has no risk", s.Number)
		}
		// Why here: the wave, a line per rule that holds it back, and what
		// it was taken ahead of.
		if len(s.Why) < 2 || !strings.HasPrefix(s.Why[0], "wave ") {
			t.Errorf("step %d: why %q, want its wave and its place among the ready steps", s.Number, s.Why)
		}
		if len(s.DependsOn) > 0 && !strings.Contains(strings.Join(s.Why, "\n"), "after step") {
			t.Errorf("step %d depends on %v but its why names no rule", s.Number, s.DependsOn)
		}
		if w := waveIdx[s.Wave]; w < last {
			t.Errorf("step %d in wave %s after a later wave", s.Number, s.Wave)
		} else {
			last = w
		}
	}
}

func TestBuildHandFleet(t *testing.T) {
	p := mustBuild(t, handFleet())
	checkInvariants(t, p)

	if got := strings.Join(p.Waves, ","); got != "dev,staging,prod" {
		t.Errorf("waves = %s, want dev,staging,prod", got)
	}
	for _, c := range []string{"web/dev", "web/staging", "web/prod"} {
		osStep := stepFor(t, p, c, "amazon-linux")
		if osStep.To != "2023" || osStep.Kind != KindOS {
			t.Errorf("%s: OS step %+v, want a move to 2023", c, osStep)
		}
		ossl := stepFor(t, p, c, "openssl")
		for _, prod := range []string{"nginx", "php"} {
			s := stepFor(t, p, c, prod)
			if !dependsOn(s, osStep.Number) || !dependsOn(s, ossl.Number) {
				t.Errorf("%s: %s (step %d) depends on %v, want the OS move %d and openssl %d", c, prod, s.Number, s.DependsOn, osStep.Number, ossl.Number)
			}
		}
	}
	// What the new OS ships decides the targets; the hints name its packages.
	for _, tc := range []struct{ cohort, product, to, hint string }{
		{"web/dev", "nginx", "1.30", "dnf install nginx"},
		// AL2023 ships php 8.1 to 8.4 here: 8.4 is supported longest.
		{"web/dev", "php", "8.4", "dnf install php8.4 php8.4-fpm"},
		{"web/dev", "openssl", "3.5", "dnf install openssl openssl-libs"},
		{"db/dev", "mysql", "8.4", "vendor's repository"},
		{"api/prod", "php", "8.4", "dnf install php8.4 php8.4-fpm"},
		{"api/dev", "ubuntu", "22.04", "do-release-upgrade"},
		{"api/dev", "python", "3.10", "apt-get install python3"},
	} {
		s := stepFor(t, p, tc.cohort, tc.product)
		if s.To != tc.to || !strings.Contains(s.Hint, tc.hint) {
			t.Errorf("%s %s: to %s, hint %q; want to %s, hint with %q", tc.cohort, tc.product, s.To, s.Hint, tc.to, tc.hint)
		}
	}
	// MySQL 5.7 reaches 8.4 through 8.0, each step with its data migration.
	var path []string
	for _, s := range p.Steps {
		if s.Cohort == "db/dev" && s.Product == "mysql" {
			path = append(path, s.FromCycle+"→"+s.To)
			if !strings.Contains(s.Migration, "upgrade") || s.Rollback == "" || !strings.Contains(s.Restart, "restart") {
				t.Errorf("mysql step %d: migration %q, rollback %q, restart %q", s.Number, s.Migration, s.Rollback, s.Restart)
			}
		}
	}
	if got := strings.Join(path, " "); got != "5.7→8.0 8.0→8.4" {
		t.Errorf("mysql on db/dev: steps %s, want 5.7→8.0 8.0→8.4", got)
	}
	// A database server's major upgrade waits for the PHP clients of its wave.
	var db *Step
	for _, s := range p.Steps {
		if s.Cohort == "db/prod" && s.Product == "mysql" && db == nil {
			db = s // the first hop, 5.7 → 8.0
		}
	}
	if php := stepFor(t, p, "web/prod", "php"); !dependsOn(db, php.Number) {
		t.Errorf("mysql on db/prod (step %d) depends on %v, want php on web/prod (step %d)", db.Number, db.DependsOn, php.Number)
	}
	// Production starts on a canary; the same change ran in staging first.
	wp := stepFor(t, p, "web/prod", "nginx")
	if wp.Canary != "web-prod-1" || !dependsOn(wp, stepFor(t, p, "web/staging", "nginx").Number) {
		t.Errorf("nginx on web/prod: canary %q, depends on %v", wp.Canary, wp.DependsOn)
	}
	// The healthy cache needs nothing; with All it shows as keep steps.
	for _, s := range p.Steps {
		if s.Cohort == "cache/prod" {
			t.Errorf("cache/prod has step %d (%s) but needs nothing", s.Number, s.Product)
		}
	}
	in := handFleet()
	in.Options.All = true
	all := mustBuild(t, in)
	checkInvariants(t, all)
	if s := stepFor(t, all, "cache/prod", "redis"); s.Action != ActionKeep || s.To != "6.2" {
		t.Errorf("with All, redis on cache/prod = %s %s, want keep 6.2", s.Action, s.To)
	}
}

func dependsOn(s *Step, n int) bool {
	for _, d := range s.DependsOn {
		if d == n {
			return true
		}
	}
	return false
}

func TestStrategyLatest(t *testing.T) {
	in := handFleet()
	in.Options.Strategy = Latest
	p := mustBuild(t, in)
	checkInvariants(t, p)
	for _, tc := range []struct{ cohort, product, to string }{
		{"web/dev", "php", "8.4"}, // 8.5 is shipped but has no cycle data here, so it is not a target
		{"api/dev", "ubuntu", "24.04"},
		{"db/dev", "mysql", "8.4"},
	} {
		if s := stepFor(t, p, tc.cohort, tc.product); s.To != tc.to {
			t.Errorf("latest: %s %s to %s, want %s", tc.cohort, tc.product, s.To, tc.to)
		}
	}
}

func TestWithinSkipsCyclesEndingSoon(t *testing.T) {
	in := handFleet()
	in.Options.Within = 90 * 24 * time.Hour // php 8.2 ends 2026-12-31, inside the window
	p := mustBuild(t, in)
	if s := stepFor(t, p, "api/prod", "php"); s.To != "8.4" {
		t.Errorf("php on api/prod with a 90-day window: to %s, want 8.4 (the longest-supported line shipped)", s.To)
	}
	// A window that 8.3 does not survive but 8.4 does: still 8.4, never 8.3.
	in.Options.Within = 2 * 365 * 24 * time.Hour
	p = mustBuild(t, in)
	if s := stepFor(t, p, "api/prod", "php"); s.To != "8.4" {
		t.Errorf("php on api/prod with a two-year window: to %s, want 8.4", s.To)
	}
}

func TestWavesFlag(t *testing.T) {
	in := handFleet()
	in.Options.Waves = []string{"staging", "dev", "prod"}
	p := mustBuild(t, in)
	checkInvariants(t, p)
	if p.Steps[0].Wave != "staging" {
		t.Errorf("first step in wave %s, want staging", p.Steps[0].Wave)
	}
	in.Options.Waves = []string{"dev", "prod"}
	if _, err := Build(in); err == nil || !strings.Contains(err.Error(), "Env=staging (3 hosts)") {
		t.Errorf("waves without staging: error %v, want one naming Env=staging", err)
	}
}

// TestDeterministic builds the same fleet from shuffled input many times.
func TestDeterministic(t *testing.T) {
	var want bytes.Buffer
	if err := WriteJSON(&want, mustBuild(t, handFleet())); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewSource(7))
	for i := 0; i < 50; i++ {
		in := handFleet()
		r.Shuffle(len(in.Findings), func(a, b int) { in.Findings[a], in.Findings[b] = in.Findings[b], in.Findings[a] })
		r.Shuffle(len(in.Hosts), func(a, b int) { in.Hosts[a], in.Hosts[b] = in.Hosts[b], in.Hosts[a] })
		var got bytes.Buffer
		if err := WriteJSON(&got, mustBuild(t, in)); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("shuffle %d: plan differs from the first build", i)
		}
	}
}

func TestGolden(t *testing.T) {
	p := mustBuild(t, handFleet())
	for _, tc := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"hand.txt", func(b *bytes.Buffer) error { return WriteText(b, p, 3) }},
		{"hand.md", func(b *bytes.Buffer) error { return WriteMarkdown(b, p, 3) }},
		{"hand.json", func(b *bytes.Buffer) error { return WriteJSON(b, p) }},
		{"hand.csv", func(b *bytes.Buffer) error { return WriteCSV(b, p) }},
		{"hand-explain-last.txt", func(b *bytes.Buffer) error { return WriteExplain(b, p, len(p.Steps)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.write(&b); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, b.Bytes())
		})
	}
	var b bytes.Buffer
	if err := WriteExplain(&b, p, len(p.Steps)+1); err == nil {
		t.Errorf("explain of a step past the end: no error")
	}
}

// TestTwoCyclesOfOneProduct: a host with OpenSSL 1.0.2 and 1.1.1 (AL2's
// openssl and openssl11) gets a step for each, not one merged step.
func TestTwoCyclesOfOneProduct(t *testing.T) {
	b := &fleetBuilder{cat: testCatalog(), at: testAt}
	ossl11 := specOpenSSL
	ossl11.version, ossl11.cycle, ossl11.pkgs = "1.1.1g", "1.1.1", []string{"openssl11", "openssl11-libs"}
	b.host("web-dev-1", "web", "dev", "amazon-linux", "2", specOpenSSL, ossl11)
	p := mustBuild(t, Input{At: testAt, Hosts: b.hosts, Findings: b.findings, Catalog: b.cat})
	checkInvariants(t, p)
	var froms []string
	for _, s := range p.Steps {
		if s.Product == "openssl" {
			froms = append(froms, s.FromCycle+"→"+s.To)
		}
	}
	if strings.Join(froms, " ") != "1.0.2→3.5 1.1.1→3.5" {
		t.Errorf("openssl steps %v, want 1.0.2→3.5 and 1.1.1→3.5 (AL2023 rebased to 3.5)", froms)
	}
}

// TestReplacement: an Amazon Linux 2 cache whose Redis 6.2 ends inside the
// window has no Redis target on AL2023 (redis6 is 6.2); the planner moves
// it to Valkey, which AL2023 ships in its place, instead of leaving it out.
// A table without that row leaves a note that says what to do.
func TestReplacement(t *testing.T) {
	at := day("2027-01-15") // Redis 6.2 ends 2027-04-01: inside a 180-day window
	b := &fleetBuilder{cat: testCatalog(), at: at}
	b.host("cache-dev-1", "cache", "dev", "amazon-linux", "2", specOpenSSL, specRedis)
	in := Input{At: at, Hosts: b.hosts, Findings: b.findings, Catalog: b.cat}
	in.Options.Within = 180 * 24 * time.Hour
	p := mustBuild(t, in)
	checkInvariants(t, p)
	s := stepFor(t, p, "cache/dev", "redis")
	osMove := stepFor(t, p, "cache/dev", "amazon-linux")
	if s.Action != ActionReplace || s.ToProduct != "valkey" || s.To != "9.0" || s.Hint != "dnf install valkey" || !dependsOn(s, osMove.Number) {
		t.Errorf("redis on cache/dev: %s to %s %s, hint %q, depends on %v; want replace with valkey 9.0 (AL2023 2023.12) after step %d",
			s.Action, s.ToProduct, s.To, s.Hint, s.DependsOn, osMove.Number)
	}
	if !strings.HasPrefix(s.Reasons[0], "replacement: ") {
		t.Errorf("first reason %q, want the replacement", s.Reasons[0])
	}
	if len(p.Notes) != 0 {
		t.Errorf("notes %q, want none", p.Notes)
	}

	in.Options.Replacements = []Replacement{}
	p = mustBuild(t, in)
	if len(p.Notes) != 1 || !strings.Contains(p.Notes[0], "plan it by hand, or record a waiver") {
		t.Errorf("without replacements: notes %q, want one saying what to do", p.Notes)
	}
}

// TestDefaultReplacements: the registry's replacements rows reach the
// planner with their sources resolved to URLs.
func TestDefaultReplacements(t *testing.T) {
	rs := DefaultReplacements()
	r := replacementFor(rs, "amazon-linux", "2023", "redis")
	if r == nil || r.With != "valkey" || !r.Plan || !strings.HasPrefix(r.Source, "https://") {
		t.Fatalf("redis on amazon-linux 2023: %+v, want a planned move to valkey with a source URL", r)
	}
	if m := replacementFor(rs, "amazon-linux", "2023", "mysql"); m == nil || m.Plan {
		t.Errorf("mysql on amazon-linux 2023: %+v, want a note-only replacement", m)
	}
}

// TestVendorPatchedWording: AL2's core OpenSSL 1.0.2k was patched by the OS
// vendor until AL2 ended, so its risk counts from that end; PHP from an
// extras topic (no such finding wording) keeps the upstream date.
func TestVendorPatchedWording(t *testing.T) {
	p := mustBuild(t, handFleet())
	ossl := stepFor(t, p, "web/dev", "openssl")
	want := "upstream ended 2019-12-31; the OS vendor patched it until 2026-06-30 (end of Amazon Linux 2), 147 days ago"
	if !slices.Contains(ossl.Reasons, want) {
		t.Errorf("openssl on web/dev reasons %q, want %q", ossl.Reasons, want)
	}
	if ossl.Urgency != 2 {
		t.Errorf("openssl on web/dev urgency %d, want 2 (past end of life, less than a year unpatched, not listening)", ossl.Urgency)
	}
	php := stepFor(t, p, "web/dev", "php")
	for _, r := range php.Reasons {
		if strings.Contains(r, "OS vendor patched") {
			t.Errorf("php on web/dev: %q, want the upstream end of life", r)
		}
	}
}
