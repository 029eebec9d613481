package report

import (
	"bufio"
	"strconv"
)

// rowWriter writes the rows of the HTML report's findings, readiness and
// plan tables: one row per host or group, a hundred thousand and more in a
// large fleet, where html/template's reflection cost more than judging
// the fleet's distinct profiles. Every value goes through esc, which
// escapes exactly as html/template escapes a string in text or in a quoted
// attribute, so the page is byte for byte what the template made
// (TestRowsMatchTemplate holds the two together, hostile values included).
// Write errors stay in the bufio.Writer until the caller flushes.
type rowWriter struct {
	w         *bufio.Writer
	hostLimit int
	num       []byte // scratch for numbers
}

// htmlEscapes is html/template's replacement table for text and quoted
// attribute values: a NUL becomes U+FFFD, and " & ' + < > entities.
var htmlEscapes = [256]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// esc writes s escaped. The escaped bytes are all ASCII, and no byte of a
// multi-byte UTF-8 sequence (valid or not) is ASCII, so going byte by byte
// replaces what the template's rune by rune does.
func (rw *rowWriter) esc(s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		if r := htmlEscapes[s[i]]; r != "" {
			rw.w.WriteString(s[start:i])
			rw.w.WriteString(r)
			start = i + 1
		}
	}
	rw.w.WriteString(s[start:])
}

func (rw *rowWriter) raw(s string) { rw.w.WriteString(s) }

func (rw *rowWriter) int(n int) {
	rw.num = strconv.AppendInt(rw.num[:0], int64(n), 10)
	rw.w.Write(rw.num)
}

// joined writes the names joined with ", ", escaped: what the template's
// {{join .Hosts ", "}} makes, without the joined string.
func (rw *rowWriter) joined(names []string) {
	for i, n := range names {
		if i > 0 {
			rw.raw(", ")
		}
		rw.esc(n)
	}
}

// hosts writes hostList(names, limit) escaped.
func (rw *rowWriter) hosts(names []string) {
	more := 0
	if rw.hostLimit > 0 && len(names) > rw.hostLimit {
		more = len(names) - rw.hostLimit
		names = names[:rw.hostLimit]
	}
	rw.joined(names)
	if more > 0 {
		rw.raw(" &#43;")
		rw.int(more)
		rw.raw(" more")
	}
}

// list writes <ul><li>...</li></ul>, or "-" when there is nothing.
func (rw *rowWriter) list(items []string, dash bool) {
	if len(items) == 0 {
		if dash {
			rw.raw("-")
		}
		return
	}
	rw.raw("<ul>")
	for _, it := range items {
		rw.raw("<li>")
		rw.esc(it)
		rw.raw("</li>")
	}
	rw.raw("</ul>")
}

// findings writes each verdict's tbody: its heading row, then a row per
// product cycle.
func (rw *rowWriter) findings(vs []VerdictGroups) {
	for _, v := range vs {
		rw.raw(`<tbody id="findings-`)
		rw.esc(v.Verdict)
		rw.raw("\">\n<tr class=\"group\"><th colspan=\"9\"><span class=\"badge v-")
		rw.esc(v.Verdict)
		rw.raw(`">`)
		rw.esc(v.Verdict)
		rw.raw("</span> ")
		rw.esc(v.Text())
		rw.raw("</th></tr>\n")
		for i := range v.Groups {
			g := &v.Groups[i]
			rw.raw(`<tr id="`)
			rw.esc(g.Anchor())
			rw.raw(`"><td>`)
			rw.esc(g.ProductLabel)
			rw.raw(`</td><td>`)
			rw.esc(orDash(g.Cycle))
			rw.raw(`</td><td><span class="badge v-`)
			rw.esc(g.Verdict)
			rw.raw(`">`)
			rw.esc(g.VerdictText())
			rw.raw(`</span></td><td class="date">`)
			rw.esc(orDash(g.EOLDate))
			if g.DistroUntil != "" {
				rw.raw(`<br/><span class="small">OS until `)
				rw.esc(g.DistroUntil)
				rw.raw(`</span>`)
			}
			rw.raw(`</td><td class="num">`)
			rw.int(g.HostCount)
			rw.raw(`</td><td title="`)
			rw.joined(g.Hosts)
			rw.raw(`">`)
			rw.hosts(g.Hosts)
			rw.raw(`</td><td class="small">`)
			rw.joined(g.Versions)
			rw.raw(`</td><td>`)
			rw.esc(g.RunningText())
			rw.raw(`</td><td>`)
			if len(g.AL2023) == 0 || len(g.AL2023) == 1 && g.AL2023[0] == "" { // dash of the joined list
				rw.raw("-")
			} else {
				rw.joined(g.AL2023)
			}
			rw.raw("</td></tr>\n")
		}
		rw.raw("</tbody>\n")
	}
}

// readiness writes a row per host.
func (rw *rowWriter) readiness(rows []HostReady) {
	for i := range rows {
		h := &rows[i]
		rw.raw(`<tr><td title="`)
		rw.esc(h.Host)
		rw.raw(`">`)
		rw.esc(h.HostName)
		rw.raw(`</td><td>`)
		rw.esc(h.OS)
		rw.raw(`</td><td><span class="badge r-`)
		rw.esc(h.Readiness)
		rw.raw(`">`)
		rw.esc(h.Readiness)
		rw.raw(`</span></td><td>`)
		rw.list(h.Inhibitors, true)
		rw.raw(`</td><td class="small">`)
		rw.list(h.Work, true)
		if h.Waived != 0 {
			rw.raw(" (")
			rw.int(h.Waived)
			rw.raw(" waived)")
		}
		rw.raw("</td></tr>\n")
	}
}

// steps writes a row per plan step.
func (rw *rowWriter) steps(steps []Step) {
	for i := range steps {
		s := &steps[i]
		rw.raw(`<tr id="step-`)
		rw.int(s.Number)
		rw.raw(`"><td class="num">`)
		rw.int(s.Number)
		rw.raw(`</td><td>`)
		rw.esc(s.Wave)
		rw.raw(`</td><td>`)
		rw.esc(s.Cohort)
		rw.raw(`</td><td title="`)
		rw.joined(s.Hosts)
		rw.raw(`">`)
		rw.int(s.HostCount)
		rw.raw(`: `)
		rw.hosts(s.Hosts)
		rw.raw(`</td><td>`)
		rw.esc(s.Change())
		rw.raw(`</td><td><span class="badge risk-`)
		rw.esc(s.Risk)
		rw.raw(`">`)
		rw.esc(s.Risk)
		rw.raw(`</span></td><td class="small">`)
		rw.list(s.Reasons, false)
		if len(s.Reasons) == 0 {
			rw.raw("<ul></ul>")
		}
		rw.raw(`</td><td>`)
		if len(s.DependsOn) == 0 {
			rw.raw("-")
		}
		for j, d := range s.DependsOn {
			if j > 0 {
				rw.raw(", ")
			}
			rw.raw(`<a href="#step-`)
			rw.int(d)
			rw.raw(`">`)
			rw.int(d)
			rw.raw(`</a>`)
		}
		rw.raw("</td></tr>\n")
	}
}
