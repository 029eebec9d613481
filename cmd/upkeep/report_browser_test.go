package main

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The HTML report in a real browser: Debian's chromium, headless. CI
// installs it (.ci/run); elsewhere the test is skipped when it is missing.

// errorCollector goes first in <head> of the copy the browser loads (the
// report itself has no script): it records uncaught errors, failed loads
// and console.error calls, and at the end of loading writes them into an
// attribute that --dump-dom prints.
const errorCollector = `<script>(function(){
var errs=[];
window.addEventListener("error",function(e){errs.push(e.message||("failed to load "+(e.target&&(e.target.src||e.target.href||e.target.tagName))))},true);
window.addEventListener("unhandledrejection",function(e){errs.push("unhandled rejection: "+e.reason)});
var ce=console.error;console.error=function(){errs.push(Array.prototype.join.call(arguments," "));ce.apply(console,arguments)};
window.addEventListener("load",function(){setTimeout(function(){document.documentElement.setAttribute("data-console-errors",JSON.stringify(errs))},0)});
})();</script>`

// chromiumPath finds the browser, or skips (fails in CI, where it must be).
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("CI: chromium is not installed; .ci/run installs Debian's chromium package")
	}
	t.Skip("chromium not installed (apt-get install chromium); CI runs this test")
	return ""
}

// chromium runs headless Chromium on a page with the flags a closed,
// root-run machine needs: no sandbox, no GPU, no background network.
func chromium(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
		"--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
	}
	return stdout.Bytes()
}

var consoleErrorsAttr = regexp.MustCompile(`data-console-errors="([^"]*)"`)

// consoleErrors loads page (an HTML file) with the collector injected and
// returns what it collected.
func consoleErrors(t *testing.T, bin, page string) []string {
	t.Helper()
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "<head>")
	if i < 0 {
		t.Fatalf("%s has no <head>", page)
	}
	s = s[:i+len("<head>")] + errorCollector + s[i+len("<head>"):]
	probe := filepath.Join(t.TempDir(), "probe.html")
	if err := os.WriteFile(probe, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	dom := chromium(t, bin, "--virtual-time-budget=5000", "--dump-dom", "file://"+probe)
	m := consoleErrorsAttr.FindSubmatch(dom)
	if m == nil {
		t.Fatalf("the error collector did not report (did the page load?); DOM starts:\n%.400s", dom)
	}
	var errs []string
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &errs); err != nil {
		t.Fatalf("collector output %q: %v", m[1], err)
	}
	return errs
}

// TestReportInChromium renders the demo report in headless Chromium: no
// console errors, a screenshot of a sane size that is not blank, and a
// printout on A4 landscape pages. With -update the screenshot replaces
// docs/report.png.
func TestReportInChromium(t *testing.T) {
	bin := chromiumPath(t)
	dir := demoReportDir(t)
	page := filepath.Join(t.TempDir(), "report.html")
	if _, stderr, code := runReportCLI(t, dir, reportNow, "--demo", "report", "--at", "2026-11-24", "--out", page); code != 0 {
		t.Fatalf("report: exit %d\n%s", code, stderr)
	}

	// The collector itself works: a page with an error and a failed load
	// reports both, so an empty list below means no error, not no check.
	bad := filepath.Join(t.TempDir(), "bad.html")
	if err := os.WriteFile(bad, []byte(`<!DOCTYPE html><html><head><title>x</title></head><body><img src="missing.png"><script>undefinedFunction()</script></body></html>`), 0o644); err != nil {
		t.Fatal(err)
	}
	if errs := consoleErrors(t, bin, bad); len(errs) < 2 {
		t.Fatalf("the collector found %q on a page with two errors", errs)
	}

	if errs := consoleErrors(t, bin, page); len(errs) > 0 {
		t.Errorf("console errors in the report:\n%s", strings.Join(errs, "\n"))
	}

	shot := filepath.Join(t.TempDir(), "report.png")
	chromium(t, bin, "--window-size=1280,2400", "--screenshot="+shot, "file://"+page)
	b, err := os.ReadFile(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if sz := img.Bounds().Size(); sz.X != 1280 || sz.Y != 2400 {
		t.Errorf("screenshot is %v, want 1280x2400", sz)
	}
	if n := colours(img, 50); n < 6 {
		t.Errorf("screenshot has %d colours: want the verdict colours of a rendered page, not a blank one", n)
	}
	// Printed, through the print stylesheet: A4 landscape pages, findings,
	// readiness and plan each on pages of their own.
	pdf := filepath.Join(t.TempDir(), "report.pdf")
	chromium(t, bin, "--no-pdf-header-footer", "--print-to-pdf="+pdf, "file://"+page)
	doc, err := os.ReadFile(pdf)
	if err != nil {
		t.Fatalf("no PDF: %v", err)
	}
	pages := regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(doc, -1)
	if !bytes.HasPrefix(doc, []byte("%PDF-")) || len(pages) < 4 {
		t.Errorf("printed report: %d bytes, %d pages; want a PDF of at least 4 pages", len(doc), len(pages))
	}
	if !regexp.MustCompile(`/MediaBox\s*\[\s*0 0 841\.9`).Match(doc) {
		t.Errorf("printed report: no A4 landscape page (841.9 x 595.3 pt)")
	}

	if *update {
		if err := os.WriteFile(filepath.Join("..", "..", "docs", "report.png"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// colours counts distinct colours in the image, up to limit.
func colours(img image.Image, limit int) int {
	seen := map[[3]uint32]bool{}
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y += 3 {
		for x := r.Min.X; x < r.Max.X; x += 3 {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			seen[[3]uint32{cr >> 8, cg >> 8, cb >> 8}] = true
			if len(seen) >= limit {
				return len(seen)
			}
		}
	}
	return len(seen)
}
