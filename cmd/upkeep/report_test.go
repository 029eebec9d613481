package main

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// runReportCLI runs upkeep in-process with its data under dir and the
// clock fixed at now, so the demo scan's date is the same on every run.
func runReportCLI(t *testing.T, dir string, now time.Time, args ...string) (string, string, int) {
	t.Helper()
	ios, out, errOut := testIO("")
	f := &factory{io: ios, now: func() time.Time { return now }, getenv: func(k string) string {
		if k == "XDG_DATA_HOME" {
			return dir
		}
		return ""
	}}
	root := newRootCmd(f)
	root.SetArgs(args)
	code := exitCode(root.ExecuteContext(context.Background()), errOut)
	return out.String(), errOut.String(), code
}

var reportNow = time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)

// demoReportDir returns a fresh data folder holding the demo fleet loaded
// with the clock at reportNow.
func demoReportDir(t *testing.T) string {
	t.Helper()
	return copyDemo(t, "report", func() time.Time { return reportNow })
}

// TestReportDemoGolden pins the demo fleet's report at a fixed date in
// Markdown and HTML (go test ./cmd/upkeep -run TestReportDemoGolden -update).
func TestReportDemoGolden(t *testing.T) {
	dir := demoReportDir(t)
	for _, tc := range []struct{ name, format string }{
		{"demo.md", "markdown"},
		{"demo.html", "html"},
	} {
		out, stderr, code := runReportCLI(t, dir, reportNow, "--demo", "report", "--at", "2026-11-24", "--output", tc.format)
		if code != 0 {
			t.Fatalf("report --output %s: exit %d\n%s", tc.format, code, stderr)
		}
		assertGolden(t, filepath.Join("report", tc.name+".golden"), out)
	}
}

// TestReportHTMLWellFormed parses the whole HTML report as XML: every tag
// closed and nested, every chart titled, and nothing that would reach the
// network or run a script.
func TestReportHTMLWellFormed(t *testing.T) {
	dir := demoReportDir(t)
	page, stderr, code := runReportCLI(t, dir, reportNow, "--demo", "report", "--at", "2026-11-24")
	if code != 0 {
		t.Fatalf("report: exit %d\n%s", code, stderr)
	}
	dec := xml.NewDecoder(strings.NewReader(page))
	dec.Strict = true
	var stack []string
	svgs, titledSVGs := 0, 0
	texts := map[string]int{} // element name -> count, inside svg
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("html report is not well formed: %v (open: %v)", err, stack)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			name := el.Name.Local
			if name == "script" || name == "link" || name == "img" || name == "iframe" {
				t.Errorf("the report has a <%s>: it must be self-contained", name)
			}
			for _, a := range el.Attr {
				// Only the SVG namespace may name a URL in an attribute; URLs in
				// the plan's reasons are text.
				// In-page links (#step-3) are the table of contents'.
				if a.Name.Local == "src" || a.Name.Local == "href" && !strings.HasPrefix(a.Value, "#") || strings.Contains(a.Value, "://") && a.Value != "http://www.w3.org/2000/svg" {
					t.Errorf("<%s %s=%q>: the report must fetch nothing", name, a.Name.Local, a.Value)
				}
			}
			if name == "svg" {
				svgs++
			}
			if name == "title" && len(stack) > 0 && stack[len(stack)-1] == "svg" {
				titledSVGs++
			}
			if contains(stack, "svg") {
				texts[name]++
			}
			stack = append(stack, name)
		case xml.EndElement:
			if len(stack) == 0 || stack[len(stack)-1] != el.Name.Local {
				t.Fatalf("</%s> closes %v", el.Name.Local, stack)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) != 0 {
		t.Errorf("unclosed elements at the end: %v", stack)
	}
	if svgs != 4 || titledSVGs != 4 {
		t.Errorf("%d charts, %d with a <title>; want 4 and 4 (timeline, spread, readiness, burn-down)", svgs, titledSVGs)
	}
	if texts["text"] == 0 || texts["title"] < texts["rect"] {
		t.Errorf("charts: %d text labels, %d titles for %d bars: want labels and a title per bar", texts["text"], texts["title"], texts["rect"])
	}
	for _, want := range []string{"scan 1 (demo) of 2026-11-24 09:30 UTC, database demo.db", "Evaluated at</dt><dd>2026-11-24",
		"endoflife.date snapshot of 2026-08-22", "Warning:", "evaluated 2026-11-24", "nginx 1.10"} {
		if !strings.Contains(page, want) {
			t.Errorf("html report lacks %q", want)
		}
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// TestReportJSON checks the model against itself: tiles add up, the
// timeline is in date order, and every plan step is there.
func TestReportJSON(t *testing.T) {
	dir := demoReportDir(t)
	out, stderr, code := runReportCLI(t, dir, reportNow, "--demo", "report", "--at", "2026-11-24", "--output", "json")
	if code != 0 {
		t.Fatalf("report --output json: exit %d\n%s", code, stderr)
	}
	var r struct {
		ScanID int64  `json:"scan_id"`
		At     string `json:"at"`
		Data   struct {
			Date    string `json:"date"`
			AgeDays int    `json:"age_days"`
			Stale   bool   `json:"stale"`
		} `json:"data"`
		Summary struct {
			Hosts      int `json:"hosts"`
			Scanned    int `json:"scanned"`
			NotScanned int `json:"not_scanned"`
			Ready      int `json:"ready"`
			NeedsWork  int `json:"needs_work"`
			Blocked    int `json:"blocked"`
			Steps      int `json:"steps"`
			HostsEOL   int `json:"hosts_eol"`
		} `json:"summary"`
		Cycles []struct {
			EOLDate string `json:"eol_date"`
			Hosts   int    `json:"hosts"`
		} `json:"cycles"`
		Findings []struct {
			HostCount int `json:"host_count"`
		} `json:"findings"`
		Readiness []struct{ Readiness string } `json:"readiness"`
		Steps     []struct{ Step int }         `json:"steps"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("report json: %v", err)
	}
	s := r.Summary
	if r.ScanID != 1 || r.At != "2026-11-24" || r.Data.Date != "2026-08-22" || r.Data.AgeDays != 94 || !r.Data.Stale {
		t.Errorf("header: scan %d at %s, data %s (%d days, stale %v)", r.ScanID, r.At, r.Data.Date, r.Data.AgeDays, r.Data.Stale)
	}
	if s.Hosts != 33 || s.Scanned+s.NotScanned != s.Hosts || s.Ready+s.NeedsWork+s.Blocked != s.Scanned || len(r.Readiness) != s.Scanned {
		t.Errorf("summary does not add up: %+v, %d readiness rows", s, len(r.Readiness))
	}
	if s.HostsEOL == 0 || s.HostsEOL > s.Scanned || s.Steps != len(r.Steps) || len(r.Steps) == 0 {
		t.Errorf("summary: %d hosts with eol, %d steps (%d listed)", s.HostsEOL, s.Steps, len(r.Steps))
	}
	for i := 1; i < len(r.Cycles); i++ {
		a, b := r.Cycles[i-1].EOLDate, r.Cycles[i].EOLDate
		if a == "" && b != "" || a != "" && b != "" && a > b {
			t.Errorf("timeline out of order at %d: %q before %q", i, a, b)
		}
	}
	if len(r.Findings) == 0 {
		t.Errorf("no findings")
	}
}

// TestReportFlags checks what is refused before the database is opened.
func TestReportFlags(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "--output", "pdf"}, `unknown output format "pdf": use one of html, markdown, json`},
		{[]string{"report", "--at", "24/11/2026"}, "want a day as YYYY-MM-DD"},
		{[]string{"report", "--within", "-1"}, "want 0 or more days"},
		{[]string{"report", "--hosts", "-1"}, "want zero (all) or more"},
	} {
		_, stderr, code := runReportCLI(t, dir, reportNow, tc.args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, stderr, exitUsage, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "upkeep")); err == nil {
		t.Errorf("a refused report created the database folder")
	}
}

// TestReportHTMLNavigation: every in-page link of the table of contents
// and the plan lands on an element, the findings run worst verdict first,
// and the title says what was scanned in words.
func TestReportHTMLNavigation(t *testing.T) {
	dir := demoReportDir(t)
	page, stderr, code := runReportCLI(t, dir, reportNow, "--demo", "report", "--at", "2026-11-24")
	if code != 0 {
		t.Fatalf("report: exit %d\n%s", code, stderr)
	}
	ids := map[string]bool{}
	for _, m := range regexp.MustCompile(` id="([^"]+)"`).FindAllStringSubmatch(page, -1) {
		if ids[m[1]] {
			t.Errorf("id %q twice", m[1])
		}
		ids[m[1]] = true
	}
	links := regexp.MustCompile(` href="#([^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(links) < 20 {
		t.Errorf("%d in-page links: want a table of contents and step links", len(links))
	}
	for _, m := range links {
		if !ids[m[1]] {
			t.Errorf("link to #%s, which is not on the page", m[1])
		}
	}
	var order []string
	for _, m := range regexp.MustCompile(`<tbody id="findings-([a-z-]+)">`).FindAllStringSubmatch(page, -1) {
		order = append(order, m[1])
	}
	severity := []string{"eol", "unpatched", "eol-soon", "unknown", "distro-supported", "supported"}
	last := -1
	for _, v := range order {
		i := slices.Index(severity, v)
		if i <= last {
			t.Errorf("findings in the order %v, want worst first: %v", order, severity)
			break
		}
		last = i
	}
	if len(order) < 3 || order[0] != "eol" {
		t.Errorf("findings in the order %v: want eol first and every verdict the demo has", order)
	}
	if !strings.Contains(page, "<h1>Fleet report: Demo fleet, 33 hosts, 2026-11-24</h1>") {
		t.Errorf("title is not the scan in words:\n%.600s", page)
	}
	if !strings.Contains(page, "@media print") {
		t.Error("no print stylesheet")
	}
}
