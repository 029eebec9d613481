package report

import (
	"bufio"
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"testing"
	"time"
)

// The rows as html/template wrote them before rowWriter: the reference
// the writer must match byte for byte.
const (
	findingRowsTmpl = `{{range .}}<tbody id="findings-{{.Verdict}}">
<tr class="group"><th colspan="9"><span class="badge v-{{.Verdict}}">{{.Verdict}}</span> {{.Text}}</th></tr>
{{range .Groups}}<tr id="{{.Anchor}}"><td>{{.ProductLabel}}</td><td>{{dash .Cycle}}</td><td><span class="badge v-{{.Verdict}}">{{.VerdictText}}</span></td><td class="date">{{dash .EOLDate}}{{with .DistroUntil}}<br/><span class="small">OS until {{.}}</span>{{end}}</td><td class="num">{{.HostCount}}</td><td title="{{join .Hosts ", "}}">{{hosts .Hosts}}</td><td class="small">{{join .Versions ", "}}</td><td>{{.RunningText}}</td><td>{{dash (join .AL2023 ", ")}}</td></tr>
{{end}}</tbody>
{{end}}`
	readinessRowsTmpl = `{{range .}}<tr><td title="{{.Host}}">{{.HostName}}</td><td>{{.OS}}</td><td><span class="badge r-{{.Readiness}}">{{.Readiness}}</span></td><td>{{if .Inhibitors}}<ul>{{range .Inhibitors}}<li>{{.}}</li>{{end}}</ul>{{else}}-{{end}}</td><td class="small">{{if .Work}}<ul>{{range .Work}}<li>{{.}}</li>{{end}}</ul>{{else}}-{{end}}{{if .Waived}} ({{.Waived}} waived){{end}}</td></tr>
{{end}}`
	stepRowsTmpl = `{{range .}}<tr id="step-{{.Number}}"><td class="num">{{.Number}}</td><td>{{.Wave}}</td><td>{{.Cohort}}</td><td title="{{join .Hosts ", "}}">{{.HostCount}}: {{hosts .Hosts}}</td><td>{{.Change}}</td><td><span class="badge risk-{{.Risk}}">{{.Risk}}</span></td><td class="small"><ul>{{range .Reasons}}<li>{{.}}</li>{{end}}</ul></td><td>{{if .DependsOn}}{{range $i, $d := .DependsOn}}{{if $i}}, {{end}}<a href="#step-{{$d}}">{{$d}}</a>{{end}}{{else}}-{{end}}</td></tr>
{{end}}`
)

// hostile is what a host can put in a name, a version or a tag, and what
// escaping must keep inert: markup, quotes of both kinds, an ampersand, a
// plus (escaped by html/template too), a NUL, control and bidi characters,
// and bytes that are not UTF-8.
const hostile = "<script>alert(1)</script>\"'&amp;+1\x00\x1b[2J\u202e\xff\xfe<img src=x onerror=alert(1)>"

func hostileRows() ([]VerdictGroups, []HostReady, []Step) {
	h := func(s string) string { return s + hostile }
	groups := []Group{
		{Product: h("nginx"), ProductLabel: h("nginx"), Cycle: h("1.20"), Verdict: h("eol"), EOLDate: h("2022-05-24"), DistroUntil: h("2026-06-30"),
			HostCount: 3, Hosts: []string{h("a"), h("b"), h("c")}, Versions: []string{h("1.20.1"), "1.20.2"}, Running: 2, Ports: []int{80, 443},
			AL2023: []string{h("available"), "namespaced"}, Waived: 1},
		{ProductLabel: h("unmapped: x"), Verdict: "unknown", HostCount: 1, Hosts: []string{h("d")}, Versions: []string{""}, AL2023: []string{}},
		{Product: "php", ProductLabel: "PHP", Cycle: "", Verdict: "unknown", Hosts: []string{}, AL2023: []string{""}, Ports: []int{8080}},
	}
	vs := []VerdictGroups{{Verdict: h("eol"), Groups: groups[:1], Hosts: 3}, {Verdict: "unknown", Groups: groups[1:], Hosts: 1}}
	ready := []HostReady{
		{Host: h("i-0a"), HostName: h("a"), OS: h("Amazon Linux 2"), Readiness: h("blocked"), Inhibitors: []string{h("python2"), "x"}, Work: []string{h("nginx")}, Waived: 2},
		{Host: "i-0b", HostName: "b", OS: "", Readiness: "ready", Inhibitors: []string{}, Work: []string{}},
		{Host: "i-0c", HostName: "c", Readiness: "needs-work", Work: []string{""}},
	}
	steps := []Step{
		{Number: 1, Wave: h("1"), Cohort: h("web/prod"), HostCount: 7, Hosts: []string{h("a"), "b", "c", "d", "e", "f", "g"}, Action: "upgrade",
			ProductLabel: h("nginx"), From: h("1.20"), To: h("1.26"), Risk: h("high"), Reasons: []string{h("why"), ""}, DependsOn: []int{}},
		{Number: 2, Wave: "2", Cohort: "db", HostCount: 1, Hosts: []string{"db"}, Action: "keep", ProductLabel: "MySQL", From: "8.0", Risk: "low",
			Reasons: []string{}, DependsOn: []int{1, 3}},
		{Number: -3, Hosts: nil, Reasons: nil, DependsOn: nil},
	}
	return vs, ready, steps
}

// The row writer makes exactly what the template made, for hostile values
// in every field and with and without a limit on host names.
func TestRowsMatchTemplate(t *testing.T) {
	vs, ready, steps := hostileRows()
	for _, limit := range []int{0, 2, 5} {
		funcs := template.FuncMap{
			"hosts": func(names []string) string { return hostList(names, limit) },
			"join":  strings.Join,
			"dash":  orDash,
		}
		for _, tc := range []struct {
			name, tmpl string
			data       any
			write      func(*rowWriter)
		}{
			{"findings", findingRowsTmpl, vs, func(rw *rowWriter) { rw.findings(vs) }},
			{"readiness", readinessRowsTmpl, ready, func(rw *rowWriter) { rw.readiness(ready) }},
			{"steps", stepRowsTmpl, steps, func(rw *rowWriter) { rw.steps(steps) }},
		} {
			var want, got bytes.Buffer
			tmpl := template.Must(template.New(tc.name).Funcs(funcs).Parse(tc.tmpl))
			if err := tmpl.Execute(&want, tc.data); err != nil {
				t.Fatal(err)
			}
			bw := bufio.NewWriter(&got)
			tc.write(&rowWriter{w: bw, hostLimit: limit})
			if err := bw.Flush(); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("%s rows, limit %d:\n got %q\nwant %q", tc.name, limit, got.String(), want.String())
			}
			if strings.Contains(got.String(), "<script") || strings.Contains(got.String(), "<img") || strings.Contains(got.String(), "\x00") {
				t.Errorf("%s rows, limit %d: markup or a NUL passes unescaped", tc.name, limit)
			}
		}
	}
}

// A whole report with hostile values in every host-set field: no markup
// gets through.
func TestWriteHTMLHostile(t *testing.T) {
	in := testInput(t, time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC))
	r, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	r.Findings, r.Readiness, r.Steps = nil, nil, nil
	vs, ready, steps := hostileRows()
	for _, v := range vs {
		r.Findings = append(r.Findings, v.Groups...)
	}
	r.Readiness, r.Steps = ready, steps
	var b bytes.Buffer
	if err := WriteHTML(&b, r, 5); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "<script") || strings.Contains(out, "<img") || strings.Contains(out, "\x00") {
		t.Errorf("markup or a NUL from a host reaches the page")
	}
	if n := strings.Count(out, "&lt;script&gt;"); n < 20 {
		t.Errorf("%d escaped hostile values in the page, want every field's", n)
	}
}

// BenchmarkWriteHTML writes the report of a fleet with 20,000 hosts in the
// readiness table and findings groups of thousands of hosts each.
func BenchmarkWriteHTML(b *testing.B) {
	in := testInput(b, time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC))
	r, err := Build(in)
	if err != nil {
		b.Fatal(err)
	}
	const n = 20000
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("app-prod-%05d", i)
	}
	r.Readiness = make([]HostReady, n)
	for i := range r.Readiness {
		r.Readiness[i] = HostReady{Host: "i-" + names[i], HostName: names[i], OS: "Amazon Linux 2", Readiness: "blocked",
			Inhibitors: []string{"python 2.7 (python): not in AL2023; replaced by python3.9"}, Work: []string{"nginx 1.20 (nginx): AL2023 ships only a newer line (nginx)"}}
	}
	for i := range r.Findings {
		r.Findings[i].Hosts = names[:n/2]
	}
	for i := range r.Steps {
		r.Steps[i].Hosts = names[:n/4]
	}
	b.ResetTimer()
	for b.Loop() {
		var buf bytes.Buffer
		if err := WriteHTML(&buf, r, 5); err != nil {
			b.Fatal(err)
		}
	}
}
