package plan

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"upkeep/advisories"
)

// groupCohorts puts hosts with the same grouping tags, the same wave, the same
// OS cycle and the same products at the same cycles into one cohort: they can
// share one runbook. Kernel findings are left out (the kernel moves with the
// OS) and so are findings with no product (nothing to plan against).
func groupCohorts(in Input) ([]*Cohort, []string) {
	o := in.Options
	keys := slices.Clone(o.GroupBy)
	if !slices.Contains(keys, o.WaveTag) {
		keys = append(keys, o.WaveTag)
	}
	hosts, unmapped := hostFindings(in)
	var notes []string
	if unmapped > 0 {
		notes = append(notes, fmt.Sprintf("%d findings name no product and are not planned (see 'upkeep check')", unmapped))
	}

	groups := map[string]*Cohort{}
	var noOS []string
	for _, hf := range hosts {
		h, fs := hf.host, hf.findings
		var osf *advisories.Finding
		var prods []string
		for _, f := range fs {
			if f.Kind == advisories.KindOS {
				osf = f
				continue
			}
			prods = append(prods, f.Product+" "+f.Cycle)
		}
		if osf == nil {
			noOS = append(noOS, hostName(h))
			continue
		}
		sort.Strings(prods)
		prods = slices.Compact(prods)
		tags := map[string]string{}
		var tagKey []string
		for _, k := range keys {
			tags[k] = h.Tags[k]
			tagKey = append(tagKey, h.Tags[k])
		}
		gk := strings.Join(tagKey, "\x00") + "\x01" + osf.Product + " " + osf.Cycle + "\x01" + strings.Join(prods, "\x00")
		c := groups[gk]
		if c == nil {
			c = &Cohort{
				Wave:      h.Tags[o.WaveTag],
				Tags:      tags,
				OS:        osLabel(osf),
				Products:  prods,
				osProduct: osf.Product,
				osCycle:   osf.Cycle,
				findings:  map[string][]*advisories.Finding{},
			}
			groups[gk] = c
		}
		c.Hosts = append(c.Hosts, hostName(h))
		for _, f := range fs {
			if f.Kind == advisories.KindOS {
				c.osFindings = append(c.osFindings, f)
			} else {
				k := f.Product + " " + f.Cycle
				c.findings[k] = append(c.findings[k], f)
			}
		}
	}
	if len(noOS) > 0 {
		sort.Strings(noOS)
		notes = append(notes, fmt.Sprintf("%d hosts have no OS finding and are not planned: %s", len(noOS), limitList(noOS, 10)))
	}

	cohorts := make([]*Cohort, 0, len(groups))
	for _, c := range groups {
		sort.Strings(c.Hosts)
		c.Name = cohortLabel(c.Tags, keys)
		cohorts = append(cohorts, c)
	}
	sort.Slice(cohorts, func(i, j int) bool {
		a, b := cohorts[i], cohorts[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Hosts[0] < b.Hosts[0]
	})
	// Cohorts that share tags but differ in OS or products get a number, in
	// the order of their first host's name.
	for i := 0; i < len(cohorts); {
		j := i + 1
		for j < len(cohorts) && cohorts[j].Name == cohorts[i].Name {
			j++
		}
		if j-i > 1 {
			for k := i; k < j; k++ {
				cohorts[k].Name += fmt.Sprintf(" #%d", k-i+1)
			}
		}
		i = j
	}
	return cohorts, notes
}

// hostWork is one host and its findings that the planner plans.
type hostWork struct {
	host     Host
	findings []*advisories.Finding
}

// hostFindings lists the hosts with plannable findings, by id, and counts
// the findings that name no product. Kernel findings are left out.
func hostFindings(in Input) ([]hostWork, int) {
	unmapped := 0
	plannable := func(f *advisories.Finding) bool {
		if f.Kind == advisories.KindKernel {
			return false
		}
		if f.Product == "" {
			unmapped++
			return false
		}
		return true
	}
	var out []hostWork
	if len(in.Findings) == 0 {
		for _, h := range in.Hosts {
			var fs []*advisories.Finding
			for _, f := range h.Findings {
				if plannable(f) {
					fs = append(fs, f)
				}
			}
			if len(fs) > 0 {
				out = append(out, hostWork{h, fs})
			}
		}
		slices.SortStableFunc(out, func(a, b hostWork) int { return strings.Compare(a.host.ID, b.host.ID) })
		return out, unmapped
	}
	hosts := map[string]Host{}
	for _, h := range in.Hosts {
		hosts[h.ID] = h
	}
	byHost := map[string][]*advisories.Finding{}
	for i := range in.Findings {
		f := &in.Findings[i]
		if !plannable(f) {
			continue
		}
		byHost[f.Host] = append(byHost[f.Host], f)
		if _, ok := hosts[f.Host]; !ok {
			hosts[f.Host] = Host{ID: f.Host, Name: f.HostName}
		}
	}
	ids := make([]string, 0, len(byHost))
	for id := range byHost {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		out = append(out, hostWork{hosts[id], byHost[id]})
	}
	return out, unmapped
}

func hostName(h Host) string {
	if h.Name != "" {
		return h.Name
	}
	return h.ID
}

func osLabel(f *advisories.Finding) string {
	label := f.ProductLabel
	if label == "" {
		label = f.Product
	}
	return label + " " + f.Cycle
}

// orderWaves returns the waves in the order they run and sets each cohort's
// wave index. Cohorts with no wave tag go last, in a wave named "untagged":
// nobody said how critical they are.
func orderWaves(cohorts []*Cohort, given []string, tag string) ([]string, error) {
	found := map[string]int{}
	for _, c := range cohorts {
		found[c.Wave] += len(c.Hosts)
	}
	var waves []string
	if len(given) > 0 {
		for _, w := range given {
			if _, ok := found[w]; ok && !slices.Contains(waves, w) {
				waves = append(waves, w)
			}
		}
		var missing []string
		for w, n := range found {
			if w != "" && !slices.Contains(given, w) {
				missing = append(missing, fmt.Sprintf("%s=%s (%d hosts)", tag, w, n))
			}
		}
		if len(missing) > 0 {
			sort.Strings(missing)
			return nil, fmt.Errorf("plan waves: %s not in --waves %s: add them or drop the flag to use every value found",
				strings.Join(missing, ", "), strings.Join(given, ","))
		}
	} else {
		for w := range found {
			if w != "" {
				waves = append(waves, w)
			}
		}
		sort.Slice(waves, func(i, j int) bool {
			ri, rj := rankOf(waves[i]), rankOf(waves[j])
			if ri != rj {
				return ri < rj
			}
			return waves[i] < waves[j]
		})
	}
	if _, ok := found[""]; ok {
		waves = append(waves, "untagged")
	}
	idx := map[string]int{}
	for i, w := range waves {
		idx[w] = i
	}
	for _, c := range cohorts {
		if c.Wave == "" {
			c.Wave = "untagged"
		}
		c.waveIdx = idx[c.Wave]
	}
	return waves, nil
}

// rankOf orders well-known environment names; others sort between the
// test-like ones and production, alphabetically.
func rankOf(w string) int {
	switch strings.ToLower(w) {
	case "dev", "development", "sandbox":
		return 0
	case "test", "testing", "qa", "ci":
		return 1
	case "staging", "stage", "stg", "uat":
		return 3
	case "preprod", "pre-prod":
		return 4
	case "prod", "production", "prd", "live":
		return 5
	}
	return 2
}

// isProd reports whether a wave is production, where each step starts on a
// canary host.
func isProd(w string) bool { return rankOf(w) == 5 }

func limitList(s []string, n int) string {
	if len(s) <= n {
		return strings.Join(s, ", ")
	}
	return strings.Join(s[:n], ", ") + fmt.Sprintf(" and %d more", len(s)-n)
}
