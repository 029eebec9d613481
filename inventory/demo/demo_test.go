package demo

import (
	"regexp"
	"strings"
	"testing"

	"upkeep/inventory"
)

func TestEveryOutputParses(t *testing.T) {
	outs, err := Outputs()
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) < 30 {
		t.Fatalf("%d bundled hosts, want 30 or more", len(outs))
	}
	for _, o := range outs {
		r, err := inventory.Parse(o.Data)
		if err != nil {
			t.Errorf("%s: %v", o.File, err)
			continue
		}
		if len(r.Packages) == 0 || r.Facts.Hostname == "" || r.Facts.CollectedAt.IsZero() {
			t.Errorf("%s: missing packages, hostname or collection time", o.File)
		}
	}
}

// TestFleetMix pins the shape the demo's summary and README promise.
func TestFleetMix(t *testing.T) {
	obs, err := Observations()
	if err != nil {
		t.Fatal(err)
	}
	osCount := map[string]int{}
	envCount := map[string]int{}
	roleCount := map[string]int{}
	ids := map[string]bool{}
	instanceID := regexp.MustCompile(`^i-0[0-9a-f]{16}$`)
	for _, o := range obs {
		r := o.Report
		osCount[r.Facts.OS.ID+" "+r.Facts.OS.VersionID]++
		envCount[r.Tags[TagEnv]]++
		roleCount[r.Tags[TagRole]]++
		if !instanceID.MatchString(o.Host.ID) {
			t.Errorf("%s: host id %q is not an instance id", o.Host.Name, o.Host.ID)
		}
		if ids[o.Host.ID] {
			t.Errorf("%s: duplicate host id %s", o.Host.Name, o.Host.ID)
		}
		ids[o.Host.ID] = true
		if o.Host.Source != Source || o.Status != inventory.StatusOK {
			t.Errorf("%s: source %q status %q", o.Host.Name, o.Host.Source, o.Status)
		}
	}
	wantOS := map[string]int{
		"amzn 2": 17, "amzn 2023": 4, "ubuntu 22.04": 5, "ubuntu 20.04": 3,
		"debian 11": 2, "debian 12": 1, "rocky 9.3": 1,
	}
	for k, n := range wantOS {
		if osCount[k] != n {
			t.Errorf("%s: %d hosts, want %d (all: %v)", k, osCount[k], n, osCount)
		}
	}
	if len(osCount) != len(wantOS) {
		t.Errorf("OS mix %v, want exactly %v", osCount, wantOS)
	}
	if !(envCount["prod"] > envCount["staging"] && envCount["staging"] > envCount["dev"] && envCount["dev"] > 0) {
		t.Errorf("environments %v: want prod > staging > dev > 0", envCount)
	}
	if sum := envCount["prod"] + envCount["staging"] + envCount["dev"]; sum != len(obs) {
		t.Errorf("%d of %d hosts have an Env of prod, staging or dev", sum, len(obs))
	}
	for _, role := range []string{"web", "api", "db", "cache"} {
		if roleCount[role] == 0 {
			t.Errorf("no %s host (roles %v)", role, roleCount)
		}
	}
}

// TestAL2WebHosts: the story of the demo is the hand-built nginx 1.10.3 on
// Amazon Linux 2 web hosts, running and listening on :80 and :443, with one
// sibling that drifted to the packaged nginx.
func TestAL2WebHosts(t *testing.T) {
	obs, err := Observations()
	if err != nil {
		t.Fatal(err)
	}
	handBuilt, packaged := 0, 0
	for _, o := range obs {
		r := o.Report
		if r.Facts.OS.ID != "amzn" || r.Facts.OS.VersionID != "2" || r.Tags[TagRole] != "web" {
			continue
		}
		var nginx *inventory.Probe
		for i, p := range r.Probes {
			if p.Name == "nginx" {
				nginx = &r.Probes[i]
			}
		}
		if nginx == nil {
			t.Errorf("%s: no nginx probe", o.Host.Name)
			continue
		}
		switch {
		case nginx.Path == "/usr/local/nginx/sbin/nginx" && nginx.Owner == "" && nginx.Version == "1.10.3":
			handBuilt++
		case nginx.Owner == "nginx" && hasPackage(r, "nginx"):
			packaged++
		default:
			t.Errorf("%s: unexpected nginx probe %+v", o.Host.Name, *nginx)
		}
		if !hasService(r, "nginx.service") || !listens(r, 80) || !listens(r, 443) {
			t.Errorf("%s: nginx not running and listening on :80 and :443", o.Host.Name)
		}
		if !hasPackage(r, "php-fpm") {
			t.Errorf("%s: no php-fpm", o.Host.Name)
		}
	}
	if handBuilt < 5 || packaged != 1 {
		t.Errorf("%d hosts with the hand-built nginx, %d with the packaged one; want 5+ and 1", handBuilt, packaged)
	}
}

// TestRolesMatchPorts: each role listens where it should.
func TestRolesMatchPorts(t *testing.T) {
	obs, err := Observations()
	if err != nil {
		t.Fatal(err)
	}
	ports := map[string]int{"web": 80, "api": 8080, "db": 3306, "cache": 6379}
	for _, o := range obs {
		role := o.Report.Tags[TagRole]
		if !listens(o.Report, ports[role]) {
			t.Errorf("%s: role %s but nothing on :%d", o.Host.Name, role, ports[role])
		}
	}
}

func hasPackage(r *inventory.Report, name string) bool {
	for _, p := range r.Packages {
		if p.Name == name {
			return true
		}
	}
	return false
}

func hasService(r *inventory.Report, unit string) bool {
	for _, s := range r.Services {
		if s.Unit == unit && strings.EqualFold(s.State, "running") {
			return true
		}
	}
	return false
}

func listens(r *inventory.Report, port int) bool {
	for _, l := range r.Listeners {
		if l.Port == port {
			return true
		}
	}
	return false
}
