package history

import (
	"cmp"
	"slices"

	"upkeep/advisories"
	"upkeep/internal/output"
	"upkeep/inventory"
	"upkeep/plan"
)

// Step states against a newer scan.
const (
	StepDone       = "done"
	StepPartly     = "partly-done"
	StepNotStarted = "not-started"
	StepGone       = "gone" // none of its hosts is in the newer scan
)

// StepProgress is how far one step of a plan made from an older scan has
// got in a newer scan: a host is done when the newer scan finds the step's
// product neither at the cycle the step moves it from nor at a cycle the
// host already had (a follow-on step, 8.0 to 8.4 after 5.7 to 8.0, is not
// done while the host is still on 5.7).
type StepProgress struct {
	Step      int      `json:"step"`
	Wave      string   `json:"wave"`
	Cohort    string   `json:"cohort"`
	Action    string   `json:"action"`
	Product   string   `json:"product"`
	FromCycle string   `json:"from_cycle"`
	Hosts     int      `json:"hosts"`
	Done      int      `json:"done"`
	Gone      int      `json:"gone"` // hosts not in the newer scan (or not scanned there): counted neither way
	State     string   `json:"state"`
	Remaining []string `json:"remaining"` // hosts still on the old cycle, sorted
}

// ProgressReport is a plan's progress, and what regressed: findings open in
// the newer scan that the older scan did not have, on hosts in both.
type ProgressReport struct {
	From, To  inventory.Scan
	Steps     []StepProgress
	Regressed []Change
}

// Progress measures plan p, made from scan from, against the judged
// reports of scan to; oldReports are from's (for what regressed).
func Progress(from, to inventory.Scan, p *plan.Plan, oldReports, newReports []advisories.HostReport) *ProgressReport {
	byLabel := map[string]*advisories.HostReport{}
	for i := range newReports {
		r := &newReports[i]
		if r.Status.Scanned() {
			byLabel[label(r.Host)] = r
			byLabel[r.Host.ID] = r
		}
	}
	had := map[string]map[string]bool{} // host label -> "product cycle" in the older scan
	for i := range oldReports {
		r := &oldReports[i]
		m := map[string]bool{}
		for _, f := range r.Findings {
			m[f.Product+" "+f.Cycle] = true
		}
		had[label(r.Host)], had[r.Host.ID] = m, m
	}
	rep := &ProgressReport{From: from, To: to}
	for _, s := range p.Steps {
		sp := StepProgress{Step: s.Number, Wave: s.Wave, Cohort: s.Cohort, Action: s.Action, Product: s.Product, FromCycle: s.FromCycle, Hosts: len(s.Hosts)}
		for _, h := range s.Hosts {
			r := byLabel[h]
			switch {
			case r == nil:
				sp.Gone++
			case slices.ContainsFunc(r.Findings, func(f advisories.Finding) bool {
				return f.Product == s.Product && (f.Cycle == s.FromCycle || had[h][f.Product+" "+f.Cycle])
			}):
				sp.Remaining = append(sp.Remaining, h)
			default:
				sp.Done++
			}
		}
		slices.Sort(sp.Remaining)
		switch {
		case len(sp.Remaining) == 0 && sp.Done == 0:
			sp.State = StepGone
		case len(sp.Remaining) == 0:
			sp.State = StepDone
		case sp.Done == 0:
			sp.State = StepNotStarted
		default:
			sp.State = StepPartly
		}
		rep.Steps = append(rep.Steps, sp)
	}
	oldOpen, newOpen := openFindings(oldReports), openFindings(newReports)
	for id, nf := range newOpen {
		of, ok := oldOpen[id]
		if !ok {
			continue
		}
		name := id
		if r := byLabel[id]; r != nil {
			name = label(r.Host)
		}
		for k, f := range nf {
			if _, was := of[k]; !was {
				rep.Regressed = append(rep.Regressed, Change{Host: id, HostName: name, Kind: FindingNew, Item: f.Item, To: f.Status})
			}
		}
	}
	slices.SortFunc(rep.Regressed, func(a, b Change) int {
		return cmp.Or(cmp.Compare(a.HostName, b.HostName), cmp.Compare(a.Item, b.Item))
	})
	return rep
}

func stateStyle(s StepProgress) output.Style {
	switch s.State {
	case StepDone:
		return output.OK
	case StepPartly:
		return output.Warn
	}
	return output.Plain
}
