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
// Two shapes are read:
//
//   - the legacy shape, verified against its schema and AWS's own reader:
//     al2023-support-statements/configurations/support_info.xsd in
//     github.com/amazonlinux/amazon-linux-2023 (commit 2128881983d5) and
//     package_support.py in github.com/amazonlinux/dnf-plugin-support-info
//     (commit 7c1a93b, 2024-01-17). <package_support current_as=> holds
//     <statements> of <statement id= start_date= end_date= marker=> with
//     <summary>, <text>, <link> and <packages> of <package name= note=>, and
//     optional <notes> of <note id=> text. A package belongs to the statement
//     it is listed in; its note attribute names a <note>, not a statement.
//     marker "supported" means supported from start_date to end_date;
//     "unsupported" means not supported from start_date on.
//   - schema 1.0 (docs.aws.amazon.com/linux/al2023/ug/dnf-supportinfo-xml-structure.html,
//     retrieved 2026-12-01): <lifecycles> of <phase support_level=
//     start_milestone=>, <support_milestones> of dated <milestone>s, as the
//     page's example shows; a package's support ends when the phase whose
//     support level is "eos" starts. The page's example was read only up to
//     its milestones, so the <packages><package name= lifecycle=> part is
//     not verified: a 1.0 file whose packages are in another shape names no
//     package here and is refused whole, never read as "supported".
type supportInfo struct {
	XMLName       xml.Name `xml:"package_support"`
	SchemaVersion string   `xml:"schema_version,attr"`
	CurrentAs     string   `xml:"current_as,attr"`
	Lifecycles    []struct {
		Name   string `xml:"name,attr"`
		Phases []struct {
			Name           string `xml:"name,attr"`
			SupportLevel   string `xml:"support_level,attr"`
			StartMilestone string `xml:"start_milestone,attr"`
		} `xml:"phase"`
	} `xml:"lifecycles>lifecycle"`
	Milestones []struct {
		Name string `xml:"name,attr"`
		Date string `xml:"date,attr"`
	} `xml:"support_milestones>milestone"`
	Packages []struct {
		Name      string `xml:"name,attr"`
		Lifecycle string `xml:"lifecycle,attr"`
	} `xml:"packages>package"`
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
		ends := st.EndDate
		switch strings.ToLower(st.Marker) {
		case "supported":
		case "unsupported":
			// A statement of non-support: support ended when it starts. Its
			// end_date, if any, is when the statement stops applying, not a
			// day until which the package is supported.
			ends = st.StartDate
		default:
			return nil, "", fmt.Errorf("statement %s: marker %q is neither supported nor unsupported", st.ID, truncate(st.Marker, 40))
		}
		for _, p := range st.Packages {
			if p.Name == "" {
				return nil, "", fmt.Errorf("statement %s: a package without a name", st.ID)
			}
			out = append(out, AL2023Support{Package: p.Name, Level: st.Marker, Ends: ends, Summary: strings.TrimSpace(st.Summary)})
		}
	}
	if len(si.Packages) > 0 {
		miles := map[string]string{}
		for _, m := range si.Milestones {
			if _, err := time.Parse(time.DateOnly, m.Date); err != nil {
				return nil, "", fmt.Errorf("milestone %s: date %q is not a date", m.Name, truncate(m.Date, 40))
			}
			miles[m.Name] = m.Date
		}
		ends := map[string]string{}
		for _, lc := range si.Lifecycles {
			ends[lc.Name] = ""
			for _, ph := range lc.Phases {
				d, ok := miles[ph.StartMilestone]
				if !ok {
					return nil, "", fmt.Errorf("lifecycle %s phase %s: unknown milestone %q", lc.Name, ph.Name, ph.StartMilestone)
				}
				if ph.SupportLevel == "eos" {
					ends[lc.Name] = d
				}
			}
		}
		for _, p := range si.Packages {
			end, ok := ends[p.Lifecycle]
			if p.Name == "" || !ok {
				return nil, "", fmt.Errorf("package %q: unknown lifecycle %q", p.Name, p.Lifecycle)
			}
			out = append(out, AL2023Support{Package: p.Name, Level: p.Lifecycle, Ends: end})
		}
	}
	if len(out) == 0 {
		return nil, "", errors.New("SupportInfo XML names no package")
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Package < out[j].Package })
	return out, asOf, nil
}
