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
//   - schema 1.0 (docs.aws.amazon.com/linux/al2023/ug/dnf-supportinfo-xml-structure.html):
//     <lifecycles> of <phase support_level= start_milestone=>, <support_milestones>
//     of dated <milestone>s, and <package name= lifecycle=> entries; a
//     package's support ends when the phase whose support level is "eos" starts;
//   - the earlier shape (github.com/amazonlinux/dnf-plugin-support-info,
//     support_info.xml): <statement end_date= marker=> with its <package name=>s.
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
		ID       string `xml:"id,attr"`
		EndDate  string `xml:"end_date,attr"`
		Marker   string `xml:"marker,attr"`
		Summary  string `xml:"summary"`
		Packages []struct {
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
		if st.EndDate != "" {
			if _, err := time.Parse(time.DateOnly, st.EndDate); err != nil {
				return nil, "", fmt.Errorf("statement %s: end_date %q is not a date", st.ID, truncate(st.EndDate, 40))
			}
		}
		for _, p := range st.Packages {
			if p.Name == "" {
				return nil, "", fmt.Errorf("statement %s: a package without a name", st.ID)
			}
			out = append(out, AL2023Support{Package: p.Name, Level: st.Marker, Ends: st.EndDate, Summary: strings.TrimSpace(st.Summary)})
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
