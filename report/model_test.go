package report

import (
	"bytes"
	"slices"
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

func testInput(t testing.TB, at time.Time) Input {
	t.Helper()
	d, err := advisories.Load()
	if err != nil {
		t.Fatal(err)
	}
	ok := inventory.StatusOK
	var hosts []advisories.Judged
	for _, hr := range []advisories.HostReport{
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
	} {
		hosts = append(hosts, d.JudgedOf(hr, advisories.Options{At: at}))
	}
	return Input{
		Fleet: "test fleet", Database: "t.db", Scan: inventory.Scan{ID: 7, Source: "import"}, At: at, Data: d,
		Hosts: hosts,
		Readiness: slices.Values([]advisories.HostReadiness{
			{Host: inventory.Host{ID: "a"}, Readiness: advisories.Blocked, Entries: []advisories.Entry{
				{Summary: "python 2.7: nothing on AL2023", Inhibitor: true, Severity: advisories.SevCritical},
				{Summary: "php 7.4: newer only", Severity: advisories.SevMedium},
				{Summary: "kernel", Severity: advisories.SevInfo},
			}},
			{Host: inventory.Host{ID: "b"}, Readiness: advisories.Ready},
		}),
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

func TestScanTitle(t *testing.T) {
	started := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	hosts := func(regions ...string) []advisories.Judged {
		var out []advisories.Judged
		for _, r := range regions {
			out = append(out, advisories.Judged{Host: inventory.Host{Region: r}})
		}
		return out
	}
	many := hosts("eu-west-1", "us-east-1", "ap-south-1")
	for range 1231 {
		many = append(many, advisories.Judged{Host: inventory.Host{Region: "us-east-1"}})
	}
	tests := []struct {
		name  string
		scan  inventory.Scan
		hosts []advisories.Judged
		want  string
	}{
		{"ssm, regions", inventory.Scan{Source: "ssm", Started: started}, many, "SSM scan of 3 regions, 1,234 hosts, 2026-12-01"},
		{"one region named", inventory.Scan{Source: "ssm", Started: started}, hosts("eu-west-1", "eu-west-1"), "SSM scan of eu-west-1, 2 hosts, 2026-12-01"},
		{"one host", inventory.Scan{Source: "local", Started: started}, hosts(""), "Local scan, 1 host, 2026-12-01"},
		{"demo", inventory.Scan{Source: "demo", Started: started}, hosts("", ""), "Demo fleet, 2 hosts, 2026-12-01"},
		{"unknown source, no date", inventory.Scan{Source: "other"}, nil, "other scan, 0 hosts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := scanTitle(tt.scan, tt.hosts); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestFindingsBySeverity: worst verdict first, whatever the product.
func TestFindingsBySeverity(t *testing.T) {
	r, err := Build(testInput(t, time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range r.FindingsByVerdict() {
		got = append(got, v.Verdict)
	}
	want := []string{"eol", "distro-supported", "supported"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("verdict order %v, want %v", got, want)
	}
	if first := r.Findings[0]; first.Product != "nginx" || r.Findings[1].Product != "openssl" || r.Findings[1].Verdict != "eol" {
		t.Errorf("findings start %+v, %+v: want the eol ones by product", first, r.Findings[1])
	}
}

// TestSpreadSegmentsPerVerdict: a cycle whose hosts have different
// verdicts is split by verdict, not painted in its worst one.
func TestSpreadSegmentsPerVerdict(t *testing.T) {
	r, err := Build(testInput(t, time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	c := spreadChart(r)
	var openssl *svgBar
	for i := range c.Rows {
		if c.Rows[i].Label == "openssl" {
			openssl = &c.Rows[i]
		}
	}
	if openssl == nil || len(openssl.Segments) != 2 {
		t.Fatalf("openssl row %+v: want two segments (eol, distro-supported)", openssl)
	}
	a, b := openssl.Segments[0], openssl.Segments[1]
	if a.Class != "v-eol sub" || b.Class != "v-distro-supported sub" || a.W != b.W || b.X != px(a.X+a.W) {
		t.Errorf("segments %+v and %+v: want eol then distro-supported, side by side, equal widths", a, b)
	}
	if b.EdgeX == 0 || b.Inside != "3.0 (2)" {
		t.Errorf("the cycle's label and edge belong on its last segment: %+v", b)
	}
	// The timeline bar of the same cycle: one stripe per verdict, the
	// bar's full length each, heights adding up to the bar's.
	tl := timelineChart(r, time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC))
	for _, row := range tl.Rows {
		switch row.Label {
		case "openssl 3.0":
			if len(row.Segments) != 2 || row.Segments[0].Class != "v-eol sub" || row.Segments[0].W != row.W ||
				row.Segments[0].H+row.Segments[1].H != barH || row.Segments[1].Y != px(row.Y+row.Segments[0].H) {
				t.Errorf("openssl 3.0 timeline bar %+v: want an eol and a distro-supported stripe", row.Segments)
			}
		case "nginx 1.10":
			if len(row.Segments) != 0 || row.Class != "v-eol" {
				t.Errorf("nginx 1.10 (eol only) timeline bar %+v: want one plain eol bar", row)
			}
		}
	}
}

// TestStepChangeAsPlanSaysIt: the report words every kind of step exactly
// as the plan does, a move to another product (Redis to Valkey) included.
func TestStepChangeAsPlanSaysIt(t *testing.T) {
	for _, s := range []*plan.Step{
		{Number: 1, ProductLabel: "nginx", From: "1.10.3", To: "1.26", Action: plan.ActionUpgrade},
		{Number: 2, ProductLabel: "Redis", From: "6.2", To: "9.0", ToLabel: "Valkey", Action: plan.ActionUpgrade},
		{Number: 3, ProductLabel: "MySQL", From: "8.0", Action: plan.ActionKeep},
	} {
		got := steps(&plan.Plan{Steps: []*plan.Step{s}})[0].Change()
		if want := s.Change(); got != want {
			t.Errorf("step %d: the report says %q, the plan %q", s.Number, got, want)
		}
	}
}
