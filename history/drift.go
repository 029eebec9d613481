package history

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"upkeep/advisories/version"
	"upkeep/inventory"
)

// DriftOptions say how hosts are grouped into roles.
type DriftOptions struct {
	// By is the tag key whose value is a host's role (Role), or "cohort":
	// the planner's default cohort keys (Role and Env tags) and the OS release.
	By string
	// EnvTag and EnvPair compare one role across two environments: the
	// majority of each package in role R with EnvTag=EnvPair[0] against the
	// same in EnvPair[1]. Empty EnvPair: drift within each group.
	EnvTag  string
	EnvPair [2]string
}

// Direction is how a host's version stands against its group's majority.
type Direction string

// Directions, worst first.
const (
	Behind  Direction = "behind"  // an older version than most of its group
	Missing Direction = "missing" // most of its group has the package, this host does not
	Other   Direction = "other"   // a version the package's order ranks equal (another build)
	Ahead   Direction = "ahead"   // a newer version than most of its group
	Extra   Direction = "extra"   // installed here, absent on most of its group
)

var directions = []Direction{Behind, Missing, Other, Ahead, Extra}

// Drift is one package (or probed binary) on which some hosts of a group
// differ from the group's majority.
type Drift struct {
	Group     string    `json:"group"`     // the role (tag value or cohort label)
	Item      string    `json:"item"`      // package name.arch, or "probe NAME PATH"
	Majority  string    `json:"majority"`  // the most common version ("" when most hosts lack it)
	Share     int       `json:"share"`     // hosts with the majority version
	Hosts     int       `json:"hosts"`     // hosts in the group
	Version   string    `json:"version"`   // this row's version ("" when absent)
	Direction Direction `json:"direction"` // against the majority
	Drifted   []string  `json:"drifted"`   // host names with Version, sorted
}

// EnvDrift is one package whose majority version differs between the two
// environments of a role.
type EnvDrift struct {
	Group   string `json:"group"`
	Item    string `json:"item"`
	A       string `json:"a"` // majority version in EnvPair[0] ("" when absent)
	AHosts  int    `json:"a_hosts"`
	B       string `json:"b"`
	BHosts  int    `json:"b_hosts"`
	Compare string `json:"compare"` // behind, ahead, other, missing, extra: A against B
}

// DriftReport is what Drifts found.
type DriftReport struct {
	Scan    inventory.Scan
	Groups  int     // groups of two hosts or more compared
	Hosts   int     // hosts in them
	Rows    []Drift // worst first
	Env     []EnvDrift
	Skipped []string // notes: hosts without the tag, groups of one
}

// osItem is the OS release, compared first: hosts of a group on another OS
// than most of it are listed once, on this item, and their packages are not
// compared (every one would differ).
const osItem = "os-release"

// itemVersions is what one host has of each item: package versions (a set,
// joined) and probed versions.
type itemVersions map[string]string

type member struct {
	name string
	obs  *inventory.Observation
}

// groupKey is a host's role under o, "" when it has none.
func groupKey(o *inventory.Observation, by string) string {
	tags := tagsOf(o)
	if by == "cohort" {
		osr := ""
		if o.Report != nil {
			osr = strings.TrimSpace(o.Report.Facts.OS.ID + " " + o.Report.Facts.OS.VersionID)
		}
		role, env := tags["Role"], tags["Env"]
		if role == "" {
			role = "no-role"
		}
		if env == "" {
			env = "no-env"
		}
		return role + "/" + env + " " + osr
	}
	return tags[by]
}

// tagsOf merges report tags and the control plane's (which win).
func tagsOf(o *inventory.Observation) map[string]string {
	m := map[string]string{}
	if o.Report != nil {
		for k, v := range o.Report.Tags {
			m[k] = v
		}
	}
	for k, v := range o.Host.Tags {
		m[k] = v
	}
	return m
}

// profileKey names what decides a host's items: its package set and its
// probes. "" when the host has no stored set (it is its own profile).
func profileKey(o *inventory.Observation) string {
	if o.PackageSet == 0 {
		return ""
	}
	r := o.Report
	var b strings.Builder
	b.WriteString(strconv.FormatInt(o.PackageSet, 10))
	b.WriteString("\x00" + r.Facts.OS.ID + " " + r.Facts.OS.VersionID)
	for _, p := range r.Probes {
		b.WriteString("\x00" + p.Name + " " + p.Path + " " + p.Version)
	}
	return b.String()
}

// hostItems reads what a host has: one entry per package (versions joined
// when several are installed) and per probed binary. Hosts with the same
// package set share the package part.
func hostItems(o *inventory.Observation, sets map[int64]itemVersions) itemVersions {
	r := o.Report
	base, ok := sets[o.PackageSet]
	if !ok || o.PackageSet == 0 {
		base = itemVersions{}
		for k, vs := range versions(r.Packages) {
			base[k.item()] = strings.Join(vs, " ")
		}
		if o.PackageSet != 0 {
			sets[o.PackageSet] = base
		}
	}
	out := make(itemVersions, len(base)+len(r.Probes)+1)
	for k, v := range base {
		out[k] = v
	}
	out[osItem] = strings.TrimSpace(r.Facts.OS.ID + " " + r.Facts.OS.VersionID)
	for _, p := range r.Probes {
		out["probe "+p.Name+" "+p.Path] = dash(p.Version)
	}
	return out
}

// majority is the most common value among counts (ties: the newest), and
// how many hosts have it.
func majority(counts map[string]int, item string) (string, int) {
	best, n := "", -1
	for v, c := range counts {
		if c > n || (c == n && compareVersions(item, v, best) > 0) {
			best, n = v, c
		}
	}
	return best, n
}

// compareVersions orders two values of one item: "" (absent) first, then
// by the rpm order (which also orders upstream and most deb versions sanely
// enough to rank drift).
func compareVersions(item, a, b string) int {
	switch {
	case a == b:
		return 0
	case a == "":
		return -1
	case b == "":
		return 1
	}
	s := version.RPM
	if strings.Contains(a, "~") || strings.Contains(b, "~") || strings.Contains(a, "ubuntu") || strings.Contains(a, "deb") {
		s = version.Deb
	}
	last := func(v string) string { f := strings.Fields(v); return f[len(f)-1] } // the newest of several
	return version.Compare(s, last(a), last(b))
}

func direction(item, v, maj string) Direction {
	switch {
	case v == "":
		return Missing
	case maj == "":
		return Extra
	case item == osItem && strings.Fields(v)[0] != strings.Fields(maj)[0]:
		return Other // another distribution: neither behind nor ahead
	}
	switch c := compareVersions(item, v, maj); {
	case c < 0:
		return Behind
	case c > 0:
		return Ahead
	}
	return Other
}

// Drifts finds, among hosts that share a role, the majority version of each
// package and probed binary and the hosts that differ from it. Only hosts
// with package data count; a group of one has nothing to drift from.
func Drifts(scan inventory.Scan, obs []inventory.Observation, o DriftOptions) *DriftReport {
	rep := &DriftReport{Scan: scan}
	groups := map[string][]member{}
	untagged := 0
	for i := range obs {
		ob := &obs[i]
		if ob.Report == nil {
			continue
		}
		g := groupKey(ob, o.By)
		if g == "" {
			untagged++
			continue
		}
		if o.EnvPair[0] != "" {
			env := tagsOf(ob)[o.EnvTag]
			if env != o.EnvPair[0] && env != o.EnvPair[1] {
				continue
			}
			g += "\x00" + env
		}
		groups[g] = append(groups[g], member{name: label(ob.Host), obs: ob})
	}
	if untagged > 0 {
		rep.Skipped = append(rep.Skipped, fmt.Sprintf("%d %s with package data %s no %s tag and %s left out", untagged, plural(untagged, "host"),
			map[bool]string{true: "has", false: "have"}[untagged == 1], o.By, map[bool]string{true: "is", false: "are"}[untagged == 1]))
	}
	sets := map[int64]itemVersions{}
	// A group's hosts are folded into profiles (same package set, same
	// probes): a role of 2,000 hosts from a few images is a few profiles,
	// and every count below is per profile, not per host.
	type profile struct {
		items itemVersions
		hosts []string
	}
	type stat struct {
		hosts    int
		profiles []*profile
		counts   map[string]map[string]int // item -> version -> hosts (of the majority OS, but for osItem)
	}
	stats := map[string]*stat{}
	for g, ms := range groups {
		st := &stat{hosts: len(ms), counts: map[string]map[string]int{}}
		byKey := map[string]*profile{}
		osCount := map[string]int{}
		for _, m := range ms {
			key := profileKey(m.obs)
			p := byKey[key]
			if p == nil || key == "" {
				p = &profile{items: hostItems(m.obs, sets)}
				if key != "" {
					byKey[key] = p
				}
				st.profiles = append(st.profiles, p)
			}
			p.hosts = append(p.hosts, m.name)
			osCount[p.items[osItem]]++
		}
		majOS, _ := majority(osCount, osItem)
		items := map[string]bool{}
		for _, p := range st.profiles {
			for k := range p.items {
				items[k] = true
			}
		}
		for k := range items {
			c := map[string]int{}
			for _, p := range st.profiles {
				if k != osItem && p.items[osItem] != majOS {
					continue
				}
				c[p.items[k]] += len(p.hosts)
			}
			st.counts[k] = c
		}
		stats[g] = st
	}
	if o.EnvPair[0] != "" {
		rep.Env = envDrifts(stats, o.EnvPair, func(s *stat) (map[string]map[string]int, int) { return s.counts, s.hosts })
		for _, s := range stats {
			rep.Groups++
			rep.Hosts += s.hosts
		}
		return rep
	}
	var singles []string
	for g, st := range stats {
		if st.hosts < 2 {
			singles = append(singles, g)
			continue
		}
		rep.Groups++
		rep.Hosts += st.hosts
		majOS, _ := majority(st.counts[osItem], osItem)
		for item, c := range st.counts {
			if len(c) < 2 {
				continue
			}
			maj, n := majority(c, item)
			total := 0
			for _, k := range c {
				total += k
			}
			who := map[string][]string{}
			for _, p := range st.profiles {
				if item != osItem && p.items[osItem] != majOS {
					continue
				}
				if v := p.items[item]; v != maj {
					who[v] = append(who[v], p.hosts...)
				}
			}
			for v, hosts := range who {
				slices.Sort(hosts)
				rep.Rows = append(rep.Rows, Drift{Group: g, Item: item, Majority: maj, Share: n, Hosts: total, Version: v,
					Direction: direction(item, v, maj), Drifted: hosts})
			}
		}
	}
	if len(singles) > 0 {
		slices.Sort(singles)
		rep.Skipped = append(rep.Skipped, fmt.Sprintf("%d %s of one host %s nothing to compare with: %s", len(singles), plural(len(singles), "group"),
			map[bool]string{true: "has", false: "have"}[len(singles) == 1], strings.Join(limit(singles, 5), ", ")))
	}
	// Worst first: the groups with the most drifted hosts, and in each the
	// hosts behind the majority before those missing a package, before
	// other builds, before hosts ahead and extra packages.
	drifted := map[string]map[string]bool{}
	for _, r := range rep.Rows {
		if drifted[r.Group] == nil {
			drifted[r.Group] = map[string]bool{}
		}
		for _, h := range r.Drifted {
			drifted[r.Group][h] = true
		}
	}
	slices.SortFunc(rep.Rows, func(a, b Drift) int {
		return cmp.Or(cmp.Compare(len(drifted[b.Group]), len(drifted[a.Group])), cmp.Compare(a.Group, b.Group),
			cmp.Compare(slices.Index(directions, a.Direction), slices.Index(directions, b.Direction)),
			cmp.Compare(len(b.Drifted), len(a.Drifted)), cmp.Compare(a.Item, b.Item), cmp.Compare(a.Version, b.Version))
	})
	return rep
}

func limit(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return append(slices.Clone(s[:n]), fmt.Sprintf("and %d more", len(s)-n))
}

// envDrifts compares, for every role present in both environments, the
// majority version of each item.
func envDrifts[S any](stats map[string]S, pair [2]string, get func(S) (map[string]map[string]int, int)) []EnvDrift {
	roles := map[string]bool{}
	for g := range stats {
		roles[strings.SplitN(g, "\x00", 2)[0]] = true
	}
	var out []EnvDrift
	for role := range roles {
		sa, okA := stats[role+"\x00"+pair[0]]
		sb, okB := stats[role+"\x00"+pair[1]]
		if !okA || !okB {
			continue
		}
		ca, na := get(sa)
		cb, nb := get(sb)
		if oa, _ := majority(ca[osItem], osItem); oa != "" {
			if ob, _ := majority(cb[osItem], osItem); ob != oa {
				// Another OS: every package would differ; say that once.
				ka, kb := ca[osItem][oa], cb[osItem][ob]
				out = append(out, EnvDrift{Group: role, Item: osItem, A: oa, AHosts: ka, B: ob, BHosts: kb, Compare: string(direction(osItem, oa, ob))})
				continue
			}
		}
		items := map[string]bool{}
		for k := range ca {
			items[k] = true
		}
		for k := range cb {
			items[k] = true
		}
		for item := range items {
			a, b := ca[item], cb[item]
			if a == nil {
				a = map[string]int{"": na}
			}
			if b == nil {
				b = map[string]int{"": nb}
			}
			ma, ka := majority(a, item)
			mb, kb := majority(b, item)
			if ma == mb {
				continue
			}
			out = append(out, EnvDrift{Group: role, Item: item, A: ma, AHosts: ka, B: mb, BHosts: kb, Compare: string(direction(item, ma, mb))})
		}
	}
	slices.SortFunc(out, func(x, y EnvDrift) int {
		return cmp.Or(cmp.Compare(x.Group, y.Group), cmp.Compare(slices.Index(directions, Direction(x.Compare)), slices.Index(directions, Direction(y.Compare))),
			cmp.Compare(x.Item, y.Item))
	})
	return out
}
