package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type planJSON struct {
	At       string   `json:"at"`
	DataDate string   `json:"data_date"`
	Waves    []string `json:"waves"`
	Notes    []string `json:"notes"`
	Steps    []struct {
		Step      int      `json:"step"`
		Wave      string   `json:"wave"`
		Cohort    string   `json:"cohort"`
		Hosts     []string `json:"hosts"`
		Product   string   `json:"product"`
		From      string   `json:"from"`
		FromCycle string   `json:"from_cycle"`
		To        string   `json:"to"`
		ToProduct string   `json:"to_product"`
		Kind      string   `json:"kind"`
		DependsOn []int    `json:"depends_on"`
		Risk      string   `json:"risk"`
		Reasons   []string `json:"reasons"`
		Why       []string `json:"why"`
		Hint      string   `json:"hint"`
		Canary    string   `json:"canary"`
		OnOS      string   `json:"on_os"`
		Migration string   `json:"migration"`
		Rollback  string   `json:"rollback"`
		Restart   string   `json:"restart"`
	} `json:"steps"`
}

// TestPlanDemoGolden pins the demo fleet's plan at a fixed date, in markdown
// and JSON, and checks what a reviewer would: waves in order, a reason on
// every step, dependencies pointing back, and Amazon Linux 2 cohorts with
// the hand-built nginx 1.10 and OpenSSL 1.0.2k moving OS first.
func TestPlanDemoGolden(t *testing.T) {
	dir := loadDemo(t)
	for _, tc := range []struct{ name, format string }{
		{"demo.md", "markdown"},
		{"demo.json", "json"},
	} {
		out, stderr, code := runAdv(t, dir, "", "--demo", "plan", "--at", "2026-11-24", "--output", tc.format)
		if code != 0 {
			t.Fatalf("plan --output %s: exit %d\n%s", tc.format, code, stderr)
		}
		assertGolden(t, filepath.Join("plan", tc.name+".golden"), out)
	}

	out, _, _ := runAdv(t, dir, "", "--demo", "plan", "--at", "2026-11-24", "--output", "json")
	var p planJSON
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("plan json: %v", err)
	}
	if p.At != "2026-11-24" || p.DataDate == "" {
		t.Errorf("plan at %q, data date %q: want both", p.At, p.DataDate)
	}
	if got := strings.Join(p.Waves, ","); got != "dev,staging,prod" {
		t.Errorf("waves %s, want dev,staging,prod", got)
	}
	wave := map[string]int{"dev": 0, "staging": 1, "prod": 2}
	last := 0
	osMove := map[string]int{} // cohort -> step of its OS move
	al2Nginx := 0
	for i, s := range p.Steps {
		if s.Step != i+1 || len(s.Reasons) == 0 || len(s.Why) == 0 || s.Risk == "" || len(s.Hosts) == 0 {
			t.Errorf("step %d (#%d): reasons %d, why %d, risk %q, hosts %d", s.Step, i+1, len(s.Reasons), len(s.Why), s.Risk, len(s.Hosts))
		}
		if wave[s.Wave] < last {
			t.Errorf("step %d in %s after a later wave", s.Step, s.Wave)
		}
		last = wave[s.Wave]
		for _, d := range s.DependsOn {
			if d >= s.Step {
				t.Errorf("step %d depends on later step %d", s.Step, d)
			}
		}
		if s.Kind == "os" && s.Product == "amazon-linux" {
			osMove[s.Cohort] = s.Step
		}
		if s.Product == "nginx" && s.FromCycle == "1.10" {
			al2Nginx++
			m, ok := osMove[s.Cohort]
			if !ok || !hasInt(s.DependsOn, m) || s.Hint != "dnf install nginx" {
				t.Errorf("step %d nginx 1.10 on %s: OS move %d (found %v), depends on %v, hint %q", s.Step, s.Cohort, m, ok, s.DependsOn, s.Hint)
			}
		}
		if s.Product == "openssl" && s.FromCycle == "1.0.2" {
			if m, ok := osMove[s.Cohort]; !ok || !hasInt(s.DependsOn, m) {
				t.Errorf("step %d openssl 1.0.2 on %s does not follow its OS move", s.Step, s.Cohort)
			}
		}
		if s.Wave == "prod" && len(s.Hosts) > 1 && s.Canary == "" {
			t.Errorf("step %d on prod cohort %s of %d hosts has no canary", s.Step, s.Cohort, len(s.Hosts))
		}
	}
	// Caches whose Redis has no supported cycle on the target release move to
	// Valkey, which AL2023 and Ubuntu 24.04 ship in its place: after the OS
	// move on AL2 and Ubuntu 20.04, in place on AL2023 (whose redis6 follows
	// upstream). MariaDB 10.5 on AL2023, which follows upstream, moves to the
	// line AL2023 2023.12 supports longest (mariadb123, 12.3 to 2029-06-12)
	// with its data migration; nothing is left unplanned.
	valkey := 0
	for _, s := range p.Steps {
		if s.Product == "redis" && s.ToProduct == "valkey" {
			valkey++
			m, moves := osMove[s.Cohort]
			// AL2023 names the package valkey; Ubuntu 24.04 valkey-server.
			hint := "dnf install valkey"
			if strings.HasPrefix(s.OnOS, "Ubuntu") {
				hint = "apt-get install valkey-server"
			}
			if (moves && !hasInt(s.DependsOn, m)) || s.Hint != hint {
				t.Errorf("step %d redis → valkey on %s: depends on %v, hint %q", s.Step, s.Cohort, s.DependsOn, s.Hint)
			}
		}
	}
	if valkey == 0 || len(p.Notes) != 0 {
		t.Errorf("%d redis → valkey steps, notes %q; want some, and no note", valkey, p.Notes)
	}
	mariadb := 0
	for _, s := range p.Steps {
		if s.Product == "mariadb" && s.OnOS == "Amazon Linux 2023" && s.FromCycle == "10.5" {
			mariadb++
			if s.To != "12.3" || !strings.Contains(s.Migration, "mariadb-upgrade") || s.Rollback == "" || s.Restart == "" {
				t.Errorf("step %d MariaDB on AL2023: to %s, migration %q, rollback %q, restart %q", s.Step, s.To, s.Migration, s.Rollback, s.Restart)
			}
		}
	}
	if mariadb == 0 {
		t.Error("no step for MariaDB 10.5 on the AL2023 hosts")
	}
	// Every database step names its data migration; MySQL 5.7 passes 8.0.
	mysql := map[string]bool{}
	for _, s := range p.Steps {
		switch s.Product {
		case "mysql", "mariadb", "postgresql", "mongodb":
			if s.Migration == "" || s.Rollback == "" || s.Restart == "" {
				t.Errorf("step %d %s %s → %s names no data migration, rollback or restart", s.Step, s.Product, s.FromCycle, s.To)
			}
			if s.Product == "mysql" {
				mysql[s.FromCycle+"→"+s.To] = true
			}
		}
	}
	if !mysql["5.7→8.0"] || !mysql["8.0→8.4"] || mysql["5.7→8.4"] {
		t.Errorf("MySQL steps %v: want 5.7→8.0 and 8.0→8.4, never 5.7→8.4 in one step", mysql)
	}
	if al2Nginx == 0 {
		t.Errorf("no step for the hand-built nginx 1.10 of the Amazon Linux 2 hosts")
	}
}

func hasInt(s []int, n int) bool {
	for _, x := range s {
		if x == n {
			return true
		}
	}
	return false
}

// TestPlanFlags checks what is refused before the database is opened.
func TestPlanFlags(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"plan", "--strategy", "newest"}, `unknown strategy "newest"`},
		{[]string{"plan", "--output", "html"}, `unknown output format "html"`},
		{[]string{"plan", "--at", "24/11/2026"}, "want a day as YYYY-MM-DD"},
		{[]string{"plan", "--within", "-1"}, "want 0 or more days"},
		{[]string{"plan", "--explain", "2", "--output", "json"}, "--explain and --long print text"},
		{[]string{"plan", "--group-by", "Role,"}, "empty tag key"},
	} {
		_, stderr, code := runAdv(t, dir, "", tc.args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, stderr, exitUsage, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "upkeep")); err == nil {
		t.Errorf("a refused plan created the database folder")
	}
}
