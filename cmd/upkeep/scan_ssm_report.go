package main

// The end of an SSM scan as the user sees it: the exit code, the summary by
// status with what to do about each, and the progress shown while it runs.

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"upkeep/internal/output"
	"upkeep/inventory"
)

// exitFor maps a finished scan's counts to the exit code: 0 when every
// targeted host was scanned, 3 when some were, 1 when none was.
func (o *scanOptions) exitFor(scan inventory.Scan) error {
	// Hosts that are not Linux (Windows, macOS) cannot run the collector:
	// --all means every managed Linux instance, so they are counted apart
	// and never make a scan partial.
	scanned, hosts := 0, 0
	for st, n := range scan.Counts {
		if st == inventory.StatusUnsupported {
			continue
		}
		hosts += n
		if st.Scanned() {
			scanned += n
		}
	}
	switch {
	case scanned > 0 && scanned == hosts && len(o.accountErrs) == 0:
		return nil
	case scanned == 0:
		return errSilent(exitFailure)
	default:
		return errSilent(exitPartial)
	}
}

// hints says what to do about each kind of host that was not scanned.
var hints = []struct {
	status inventory.Status
	hint   string
}{
	{inventory.StatusPending, "no result yet (interrupted)"},
	{inventory.StatusOffline, "the SSM agent is not online (instance stopped, agent down or no route to SSM)"},
	{inventory.StatusUndeliverable, "the SSM agent is not running, not registered, or the instance is not managed"},
	{inventory.StatusTimedOut, "the collector did not finish in time: raise --timeout or look at the host's load"},
	{inventory.StatusFailed, "the collector or SSM reported an error: read the error column"},
	{inventory.StatusTruncated, "output over SSM's 24,000-character limit: scan them again with --s3-bucket"},
	{inventory.StatusUnparsable, "the output is not a collector record: report it as a bug, with the output"},
	{inventory.StatusThrottled, "AWS kept throttling after every retry: resume later, or lower --max-concurrency"},
	{inventory.StatusUnsupported, "not Linux (Windows, macOS): the collector needs a POSIX sh; counted apart, not a failure"},
}

// summary prints the counts by status and what to do about each failure
// class, to stderr. state is how the scan ended: done, failed or
// interrupted.
func (o *scanOptions) summary(scan inventory.Scan, begin time.Time, state string) {
	if o.quiet {
		return
	}
	w := o.f.io.errOut
	scanID := scan.ID
	fmt.Fprintf(w, "scan %d %s: %s: %s (%.1fs)\n", scanID, state, hostsText(scan.Stored()), countsText(scan.Counts), time.Since(begin).Seconds())
	resumable := false
	for _, h := range hints {
		n := scan.Counts[h.status]
		if n == 0 {
			continue
		}
		fmt.Fprintf(w, "  %s %s: %s; see 'upkeep inventory --scan %d --status %s'\n", hostsText(n), h.status, h.hint, scanID, h.status)
		if h.status != inventory.StatusUnsupported {
			resumable = true
		}
	}
	if resumable {
		fmt.Fprintf(w, "  to scan only the hosts with no result once fixed: upkeep scan --resume %d\n", scanID)
	}
	for _, l := range o.accountsSummary() {
		fmt.Fprintln(w, l)
	}
}

// progress shows hosts sent and done on a terminal (a bar on stderr), a
// line per host with --verbose, and nothing otherwise. The bar counts done
// hosts by status, in the summary's words, so "1 failed" on the bar is what
// "1 failed" in the summary will be.
type progress struct {
	o      *scanOptions
	mu     sync.Mutex
	bar    *progressbar.ProgressBar
	sent   int
	counts map[inventory.Status]int
}

func (o *scanOptions) newProgress(total int) *progress {
	p := &progress{o: o, counts: map[inventory.Status]int{}}
	if o.f.io.errTTY && !o.quiet && !o.verbose && total > 0 {
		p.bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(o.f.io.errBar),
			progressbar.OptionSetDescription("scanning"), progressbar.OptionShowCount(), progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("hosts"), progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
	}
	return p
}

// describe sets the bar's text from the counts so far: "sent 46: 40 ok,
// 1 failed, 4 offline, 1 unsupported". The caller holds p.mu.
func (p *progress) describe() {
	done := 0
	for _, n := range p.counts {
		done += n
	}
	parts := []string{}
	if p.sent > 0 {
		parts = append(parts, fmt.Sprintf("sent %d", p.sent))
	}
	if done > 0 {
		parts = append(parts, countsText(p.counts))
	}
	if p.bar != nil {
		p.bar.Describe(strings.Join(parts, ": "))
	}
}

func (p *progress) Sent(region string, hosts int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sent += hosts
	p.describe()
	if p.o.verbose {
		fmt.Fprintf(p.o.f.io.errOut, "%s: sent to %s\n", region, hostsText(hosts))
	}
}

func (p *progress) Done(ob inventory.Observation) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.counts[ob.Status]++
	p.describe()
	if p.bar != nil {
		_ = p.bar.Add(1)
	}
	if p.o.verbose {
		// What SSM and the host said, made safe for a terminal.
		fmt.Fprintf(p.o.f.io.errOut, "%s %s: %s\n", output.Terminal(ob.Host.ID), output.Terminal(ob.Host.Region), output.TerminalLines(describeSSM(ob)))
	}
}

func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}

func hostsText(n int) string {
	return nouns(n, "host")
}

func describeSSM(ob inventory.Observation) string {
	if ob.Status == inventory.StatusInventory {
		return "inventory, " + nouns(len(ob.Report.Packages), "package")
	}
	return describe(ob)
}
