package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"upkeep/advisories"
	"upkeep/inventory"
	"upkeep/plan"
)

func finding(host, product, cycle string, v advisories.Verdict, eol string) advisories.Finding {
	return advisories.Finding{Host: host, HostName: host, Kind: advisories.KindPackage, Product: product, ProductLabel: product,
		Cycle: cycle, Status: v, EOLDate: eol, Version: cycle + ".1", Package: product}
}

func testInput(t *testing.T, at time.Time) Input {
	t.Helper()
	d, err := advisories.Load()
	if err != nil {
		t.Fatal(err)
	}
	ok := inventory.StatusOK
	return Input{
		Fleet: "test fleet", Database: "t.db", Scan: inventory.Scan{ID: 7, Source: "import"}, At: at, Data: d,
		Hosts: []advisories.HostReport{
			{Host: inventory.Host{ID: "a"}, Status: ok, Findings: []advisories.Finding{
				finding("a", "nginx", "1.10", advisories.VerdictEOL, "2017-04-12"),
				// a package and a hand-built copy of the same cycle: one host, not two
				finding("a", "nginx", "1.10", advisories.VerdictEOL, "2017-04-12"),
				finding("a", "openssl", "3.0", advisories.VerdictDistroSupported, "2026-09-07"),
			}},
			{Host: inventory.Host{ID: "b"}, Status: ok, Findings: []advisories.Finding{
				finding("b", "openssl", "3.0", advisories.VerdictEOL, "2026-09-07"),
				finding("b", "tomcat", "10.1", advisories.VerdictSupported, ""),
			}},
			{Host: inventory.Host{ID: "c"}, Status: ok, Findings: []advisories.Finding{
				func() advisories.Finding {
					f := finding("c", "nginx", "1.10", advisories.VerdictEOL, "2017-04-12")
					f.Waived = true
					return f
				}(),
			}},
			{Host: inventory.Host{ID: "d", Name: "down|host"}, Status: inventory.StatusTimedOut, Error: "no answer"},
		},
		Readiness: []advisories.HostReadiness{
			{Host: inventory.Host{ID: "a"}, Readiness: advisories.Blocked, Entries: []advisories.Entry{
				{Summary: "python 2.7: nothing on AL2023", Inhibitor: true, Severity: advisories.SevCritical},
				{Summary: "php 7.4: newer only", Severity: advisories.SevMedium},
				{Summary: "kernel", Severity: advisories.SevInfo},
			}},
			{Host: inventory.Host{ID: "b"}, Readiness: advisories.Ready},
		},
		Plan: &plan.Plan{Steps: []*plan.Step{{Number: 1, Wave: "dev", Cohort: "web/dev", HostCount: 1, Hosts: []string{"a"},
			ProductLabel: "nginx", From: "1.10.3", To: "1.26", Action: plan.ActionUpgrade, Risk: plan.RiskHigh, Reasons: []string{"past EOL"}}}},
	}
}

func TestBuild(t *testing.T) {
	at := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	r, err := Build(testInput(t, at))
	if err != nil {
		t.Fatal(err)
	}
	s := r.Summary
	if s.Hosts != 4 || s.Scanned != 3 || s.NotScanned != 1 || CountsText(s.ByStatus) != "ok 3, timed-out 1" {
		t.Errorf("hosts: %+v", s)
	}
	// c's only eol finding is waived: it does not count.
	if s.HostsEOL != 2 || s.Waived != 1 || s.Ready != 1 || s.Blocked != 1 || s.Steps != 1 {
		t.Errorf("tiles: %+v", s)
	}
	if len(r.Unscanned) != 1 || r.Unscanned[0].HostName != "down|host" || r.Unscanned[0].Error != "no answer" {
		t.Errorf("unscanned: %+v", r.Unscanned)
	}

	var got []string
	for _, c := range r.Cycles {
		got = append(got, c.Product+" "+c.Cycle+" "+c.Verdict+" "+c.EOLDate+" "+CountsText(c.Verdicts))
	}
	want := []string{
		"nginx 1.10 eol 2017-04-12 eol 2",
		"openssl 3.0 eol 2026-09-07 eol 1, distro-supported 1",
		"tomcat 10.1 supported  supported 1", // no end date: last
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("timeline:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	got = nil
	for _, g := range r.Findings {
		got = append(got, g.Product+" "+g.Cycle+" "+g.Verdict+" "+strings.Join(g.Hosts, ",")+" "+g.VerdictText())
	}
	want = []string{
		"nginx 1.10 eol a,c eol (1 waived)",
		"openssl 3.0 eol b eol",
		"openssl 3.0 distro-supported a distro-supported",
		"tomcat 10.1 supported b supported",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if h := r.Readiness[0]; len(h.Inhibitors) != 1 || len(h.Work) != 1 {
		t.Errorf("readiness of a: %+v (info entries are not work)", h)
	}
}

func TestStale(t *testing.T) {
	in := testInput(t, time.Time{})
	for _, tc := range []struct {
		days  int
		stale bool
	}{{0, false}, {StaleDays, false}, {StaleDays + 1, true}} {
		in.At = in.Data.Date.AddDate(0, 0, tc.days)
		r, err := Build(in)
		if err != nil {
			t.Fatal(err)
		}
		if r.Data.Stale != tc.stale || r.Data.AgeDays != tc.days || (r.Data.Warning != "") != tc.stale {
			t.Errorf("%d days: stale %v, age %d, warning %q", tc.days, r.Data.Stale, r.Data.AgeDays, r.Data.Warning)
		}
	}
}

// TestWritersEscape feeds names that are markup in both formats.
func TestWritersEscape(t *testing.T) {
	in := testInput(t, time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC))
	in.Fleet = `<script>alert(1)</script>`
	r, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	var h, m bytes.Buffer
	if err := WriteHTML(&h, r, 0); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(h.String(), "<script>") || !strings.Contains(h.String(), "&lt;script&gt;") {
		t.Errorf("html: the fleet name is not escaped")
	}
	if err := WriteMarkdown(&m, r, 0); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.String(), `| down\|host | d | timed-out | no answer |`) {
		t.Errorf("markdown: a | in a host name breaks the table:\n%s", m.String())
	}
}

func TestBuildNeedsInputs(t *testing.T) {
	in := testInput(t, time.Time{})
	in.Plan = nil
	if _, err := Build(in); err == nil {
		t.Errorf("no plan: no error")
	}
}
