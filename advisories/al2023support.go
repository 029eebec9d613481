package advisories

import (
	"encoding/xml"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// supportInfo is the SupportInfo XML that AWS publishes beside the AL2023
// core repository (AL2023-supportinfo-1.0.xml, read by 'dnf supportinfo').
// The plugin fetches it from a configured URL; repomd.xml does not name it
// (docs/supportinfo.md of github.com/dralley/rpmrepo_metadata, commit
// 156645a). Two shapes are read, told apart by schema_version:
//
//   - the legacy shape (no schema_version), verified against its schema and
//     AWS's own reader: al2023-support-statements/configurations/support_info.xsd
//     in github.com/amazonlinux/amazon-linux-2023 (commit 2128881983d5) and
//     package_support.py in github.com/amazonlinux/dnf-plugin-support-info
//     (commit 7c1a93b, 2024-01-17). <package_support current_as=> holds
//     <statements> of <statement id= start_date= end_date= marker=> with
//     <summary>, <text>, <link> and <packages> of <package name= note=>, and
//     optional <notes> of <note id=> text. A package belongs to the statement
//     it is listed in; its note attribute names a <note>, not a statement.
//     marker "supported" means supported from start_date to end_date;
//     "unsupported" means not supported from start_date on.
//   - schema 1.0, verified against the AL2023 guide's "SupportInfo XML
//     Structure" page (docs.aws.amazon.com/linux/al2023/ug/dnf-supportinfo-xml-structure.html,
//     its element reference and referential integrity table) and the same
//     rpmrepo_metadata document: <lifecycles> of <lifecycle name= note=> with
//     ordered <phase name= support_level= (start_date= | start_milestone=)>,
//     <support_milestones> of <milestone name= date=>, <support_levels> of
//     <support_level name= severities=> (severities="" means no patches),
//     <packages> of <package name= lifecycle= origin= package_class=> (the
//     same name may come once per origin), <package_classes>,
//     <package_origins> of <package_origin name= repo_id= dist= vendor=> and
//     <notes> of <note name=>. Each phase lasts until the next one starts; a
//     package's support ends where the phases that patch nothing begin.
//
// Anything that does not resolve is refused whole, so a damaged or
// unfamiliar file never reads as "supported".
type supportInfo struct {
	XMLName       xml.Name `xml:"package_support"`
	SchemaVersion string   `xml:"schema_version,attr"`
	CurrentAs     string   `xml:"current_as,attr"`
	Lifecycles    []struct {
		Name   string `xml:"name,attr"`
		Note   string `xml:"note,attr"`
		Phases []struct {
			Name           string `xml:"name,attr"`
			SupportLevel   string `xml:"support_level,attr"`
			StartDate      string `xml:"start_date,attr"`
			StartMilestone string `xml:"start_milestone,attr"`
		} `xml:"phase"`
	} `xml:"lifecycles>lifecycle"`
	Milestones []struct {
		Name string `xml:"name,attr"`
		Date string `xml:"date,attr"`
	} `xml:"support_milestones>milestone"`
	SupportLevels []struct {
		Name       string `xml:"name,attr"`
		Severities string `xml:"severities,attr"`
	} `xml:"support_levels>support_level"`
	Packages []struct {
		Name      string `xml:"name,attr"`
		Lifecycle string `xml:"lifecycle,attr"`
		Origin    string `xml:"origin,attr"`
	} `xml:"packages>package"`
	Origins []struct {
		Name string `xml:"name,attr"`
	} `xml:"package_origins>package_origin"`
	Notes []struct {
		Name string `xml:"name,attr"`
		ID   string `xml:"id,attr"`
	} `xml:"notes>note"`
	Statements []struct {
		ID        string `xml:"id,attr"`
		StartDate string `xml:"start_date,attr"`
		EndDate   string `xml:"end_date,attr"`
		Marker    string `xml:"marker,attr"`
		Summary   string `xml:"summary"`
		Packages  []struct {
			Name string `xml:"name,attr"`
		} `xml:"packages>package"`
	} `xml:"statements>statement"`
}

// ParseSupportInfo reads an AL2023 SupportInfo XML file into one statement
// per package, and the day it says it is current as of. Every reference
// must resolve (a package's lifecycle, a phase's milestone) and every date
// must be a date: a damaged file is refused, not half read.
func ParseSupportInfo(b []byte) ([]AL2023Support, string, error) {
	var si supportInfo
	if err := xml.Unmarshal(b, &si); err != nil {
		return nil, "", fmt.Errorf("not SupportInfo XML: %w", err)
	}
	asOf := ""
	if si.CurrentAs != "" {
		d, _, _ := strings.Cut(si.CurrentAs, "T")
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return nil, "", fmt.Errorf("current_as %q is not a date", truncate(si.CurrentAs, 40))
		}
		asOf = d
	}
	var out []AL2023Support
	for _, st := range si.Statements {
		for _, a := range [][2]string{{"start_date", st.StartDate}, {"end_date", st.EndDate}} {
			if a[1] == "" {
				continue
			}
			if _, err := time.Parse(time.DateOnly, a[1]); err != nil {
				return nil, "", fmt.Errorf("statement %s: %s %q is not a date", st.ID, a[0], truncate(a[1], 40))
			}
		}
		level, ends := st.Marker, st.EndDate
		switch strings.ToLower(st.Marker) {
		case "supported":
		case "unsupported":
			// A statement of non-support: support ends when it starts. Its
			// end_date, if any, is when the statement stops applying, not a
			// day until which the package is supported. With a start it
			// reads as "supported until then"; without one, as ended.
			ends = st.StartDate
			if ends != "" {
				level = "supported"
			}
		default:
			return nil, "", fmt.Errorf("statement %s: marker %q is neither supported nor unsupported", st.ID, truncate(st.Marker, 40))
		}
		for _, p := range st.Packages {
			if p.Name == "" {
				return nil, "", fmt.Errorf("statement %s: a package without a name", st.ID)
			}
			out = append(out, AL2023Support{Package: p.Name, Level: level, Ends: ends, Summary: strings.TrimSpace(st.Summary)})
		}
	}
	if si.SchemaVersion != "" {
		v1, err := si.lifecycleEnds()
		if err != nil {
			return nil, "", err
		}
		out = append(out, v1...)
	}
	if len(out) == 0 {
		return nil, "", errors.New("SupportInfo XML names no package")
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Package < out[j].Package })
	return out, asOf, nil
}

// lifecycleEnds reads a schema 1.0 file: each package's support ends where
// the last run of phases whose support level patches nothing begins ("" when
// the last phase still patches). A name listed under several origins (core
// and SPAL) keeps the earliest end: the judge never counts on the longer one.
func (si *supportInfo) lifecycleEnds() ([]AL2023Support, error) {
	if si.SchemaVersion != "1.0" {
		return nil, fmt.Errorf("SupportInfo schema_version %q: upkeep reads 1.0 and the unversioned legacy shape", truncate(si.SchemaVersion, 20))
	}
	miles := map[string]string{}
	for _, m := range si.Milestones {
		if _, err := time.Parse(time.DateOnly, m.Date); err != nil {
			return nil, fmt.Errorf("milestone %s: date %q is not a date", m.Name, truncate(m.Date, 40))
		}
		miles[m.Name] = m.Date
	}
	patches := map[string]bool{} // support level -> does it patch anything
	for _, l := range si.SupportLevels {
		patches[l.Name] = strings.Trim(l.Severities, " ,") != ""
	}
	notes := map[string]bool{}
	for _, n := range si.Notes {
		notes[n.Name] = true
	}
	// Every 1.0 row reads as "supported until Ends" (no Ends: no end
	// announced), the legacy marker's meaning; the phase names stay out of
	// the level so that a name such as "eol_php81_lc" is not read as ended.
	type lifecycle struct{ end, level string }
	lcs := map[string]lifecycle{}
	for _, lc := range si.Lifecycles {
		if len(lc.Phases) == 0 {
			return nil, fmt.Errorf("lifecycle %s has no phase", lc.Name)
		}
		if lc.Note != "" && !notes[lc.Note] {
			return nil, fmt.Errorf("lifecycle %s: unknown note %q", lc.Name, truncate(lc.Note, 40))
		}
		type phase struct {
			start   string
			patches bool
		}
		var phases []phase
		for _, ph := range lc.Phases {
			start := ph.StartDate
			switch {
			case (ph.StartDate == "") == (ph.StartMilestone == ""):
				return nil, fmt.Errorf("lifecycle %s phase %s: wants exactly one of start_date and start_milestone", lc.Name, ph.Name)
			case ph.StartMilestone != "":
				d, ok := miles[ph.StartMilestone]
				if !ok {
					return nil, fmt.Errorf("lifecycle %s phase %s: unknown milestone %q", lc.Name, ph.Name, truncate(ph.StartMilestone, 40))
				}
				start = d
			default:
				if _, err := time.Parse(time.DateOnly, start); err != nil {
					return nil, fmt.Errorf("lifecycle %s phase %s: start_date %q is not a date", lc.Name, ph.Name, truncate(start, 40))
				}
			}
			p, ok := patches[ph.SupportLevel]
			if !ok {
				return nil, fmt.Errorf("lifecycle %s phase %s: unknown support level %q", lc.Name, ph.Name, truncate(ph.SupportLevel, 40))
			}
			phases = append(phases, phase{start, p})
		}
		// Phases have only a start; order them by it (ISO dates sort as text).
		sort.SliceStable(phases, func(i, j int) bool { return phases[i].start < phases[j].start })
		l := lifecycle{level: "supported"}
		for i := len(phases) - 1; i >= 0 && !phases[i].patches; i-- {
			l.end = phases[i].start
		}
		lcs[lc.Name] = l
	}
	origins := map[string]bool{}
	for _, o := range si.Origins {
		origins[o.Name] = true
	}
	byName := map[string]int{}
	var out []AL2023Support
	for _, p := range si.Packages {
		l, ok := lcs[p.Lifecycle]
		if p.Name == "" || !ok {
			return nil, fmt.Errorf("package %q: unknown lifecycle %q", truncate(p.Name, 60), truncate(p.Lifecycle, 40))
		}
		if p.Origin != "" && !origins[p.Origin] {
			return nil, fmt.Errorf("package %s: unknown origin %q", truncate(p.Name, 60), truncate(p.Origin, 40))
		}
		s := AL2023Support{Package: p.Name, Level: l.level, Ends: l.end, Summary: "lifecycle " + p.Lifecycle}
		if i, seen := byName[p.Name]; seen {
			if prev := out[i].Ends; prev == "" || (s.Ends != "" && s.Ends < prev) {
				out[i] = s
			}
			continue
		}
		byName[p.Name] = len(out)
		out = append(out, s)
	}
	return out, nil
}
