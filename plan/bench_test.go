package plan

import (
	"fmt"
	"testing"
)

// syntheticFleet makes hosts spread evenly over the given number of cohorts:
// five roles, three environments, and an App tag that splits them further;
// three in four cohorts run Amazon Linux 2, the rest AL2023.
func syntheticFleet(hosts, cohorts int) Input {
	b := &fleetBuilder{cat: testCatalog(), at: testAt}
	roles := []string{"web", "api", "db", "cache", "worker"}
	envs := []string{"dev", "staging", "prod"}
	for h := 0; h < hosts; h++ {
		k := h % cohorts
		role, env, app := roles[k%5], envs[(k/5)%3], fmt.Sprintf("app%02d", k/15)
		name := fmt.Sprintf("%s-%s-%s-%05d", app, role, env, h)
		var prods []prodSpec
		os, osCycle := "amazon-linux", "2"
		if k%4 == 3 {
			os, osCycle = "amazon-linux", "2023"
			prods = append(prods, specOSSL3, specPHP81)
		} else {
			prods = append(prods, specOpenSSL, specNginx, specPHP)
		}
		switch role {
		case "db":
			prods = append(prods, specMySQL)
		case "cache":
			prods = append(prods, specRedis)
		}
		b.host(name, role, env, os, osCycle, prods...)
		b.hosts[len(b.hosts)-1].Tags["App"] = app
	}
	in := Input{At: testAt, DataDate: "2026-08-22", Hosts: b.hosts, Findings: b.findings, Catalog: b.cat}
	in.Options.GroupBy = []string{"Role", "Env", "App"}
	return in
}

func TestSyntheticFleetShape(t *testing.T) {
	in := syntheticFleet(10000, 200)
	p := mustBuild(t, in)
	checkInvariants(t, p)
	if len(p.Cohorts) != 200 {
		t.Errorf("%d cohorts, want 200", len(p.Cohorts))
	}
	hosts := 0
	for _, c := range p.Cohorts {
		hosts += len(c.Hosts)
	}
	if hosts != 10000 {
		t.Errorf("%d hosts in cohorts, want 10000", hosts)
	}
}

// BenchmarkBuild10k plans a 10,000-host fleet in 200 cohorts.
// go test ./plan -run '^$' -bench Build10k -benchmem
func BenchmarkBuild10k(b *testing.B) {
	in := syntheticFleet(10000, 200)
	b.ResetTimer()
	steps := 0
	for i := 0; i < b.N; i++ {
		p, err := Build(in)
		if err != nil {
			b.Fatal(err)
		}
		steps = len(p.Steps)
	}
	b.ReportMetric(float64(steps), "steps")
	b.ReportMetric(float64(len(in.Findings)), "findings")
}
