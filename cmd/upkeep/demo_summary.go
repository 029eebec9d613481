package main

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"upkeep/advisories/version"
	"upkeep/inventory"
	"upkeep/inventory/store"
)

// count is one line of a "thing: how many hosts" table.
type count struct {
	Key   string
	Count int
}

// demoSummary is what `upkeep demo` prints about the scan it loaded.
type demoSummary struct {
	ScanID     int64
	Hosts      int
	ByOS       []count // "Amazon Linux 2", most hosts first
	ByStatus   []count // in inventory.Statuses order
	Middleware []middlewareSpread
}

// middlewareSpread is one product's upstream versions across the scan.
type middlewareSpread struct {
	Product  string
	Hosts    int
	Versions []count // upstream version, most hosts first
}

// demoProduct says how the summary recognises a middleware product: the
// package names (store globs) and probe names that are it. The summary only
// counts versions; judging them is `upkeep check`'s job.
type demoProduct struct {
	name   string
	globs  []string
	probes []string
}

func demoProducts() []demoProduct {
	return []demoProduct{
		{"nginx", []string{"nginx"}, []string{"nginx"}},
		{"php-fpm", []string{"php*-fpm"}, []string{"php"}},
		{"mysql/mariadb", []string{"mysql-community-server", "mysql-server-[0-9]*", "mariadb-server", "mariadb*-server"}, []string{"mysqld", "mariadbd"}},
		{"redis", []string{"redis", "redis6", "redis-server"}, []string{"redis-server"}},
		{"java", []string{"java-*-openjdk-headless", "openjdk-*-jre-headless", "java-*-amazon-corretto-headless"}, []string{"java"}},
		{"node", []string{"nodejs", "nodejs[0-9]*"}, []string{"node"}},
	}
}

// summaryTop is how many products the summary lists.
const summaryTop = 5

// summarize reads back what the scan stored, so the summary shows the
// database as every other command will see it.
func summarize(ctx context.Context, db *store.DB, scanID int64) (demoSummary, error) {
	s := demoSummary{ScanID: scanID}
	hosts, err := db.Hosts(ctx, scanID)
	if err != nil {
		return s, err
	}
	s.Hosts = len(hosts)
	byOS, byStatus := map[string]int{}, map[inventory.Status]int{}
	for _, h := range hosts {
		byStatus[h.Status]++
		if h.Status.Scanned() {
			byOS[osLabel(h.OS)]++
		}
	}
	s.ByOS = sortCounts(byOS)
	for _, st := range inventory.Statuses {
		if n := byStatus[st]; n > 0 {
			s.ByStatus = append(s.ByStatus, count{string(st), n})
		}
	}
	for _, p := range demoProducts() {
		m, err := productSpread(ctx, db, scanID, p)
		if err != nil {
			return s, err
		}
		if m.Hosts > 0 {
			s.Middleware = append(s.Middleware, m)
		}
	}
	slices.SortStableFunc(s.Middleware, func(a, b middlewareSpread) int { return cmp.Compare(b.Hosts, a.Hosts) })
	if len(s.Middleware) > summaryTop {
		s.Middleware = s.Middleware[:summaryTop]
	}
	return s, nil
}

// productSpread gives each host one version of the product: what a probe of
// the running binary says (a hand-built nginx has no package), else the
// upstream part of the package's version.
func productSpread(ctx context.Context, db *store.DB, scanID int64, p demoProduct) (middlewareSpread, error) {
	var spreads []store.Spread
	for _, g := range p.globs {
		sp, err := db.Where(ctx, scanID, g)
		if err != nil {
			return middlewareSpread{}, err
		}
		spreads = append(spreads, sp...)
	}
	for _, name := range p.probes {
		sp, err := db.Where(ctx, scanID, name)
		if err != nil {
			return middlewareSpread{}, err
		}
		spreads = append(spreads, sp...)
	}
	perHost := map[string]string{}
	for _, sp := range spreads { // probes first: they win
		if sp.Kind == "probe" && slices.Contains(p.probes, sp.Name) && sp.Version != "" {
			for _, h := range sp.Hosts {
				perHost[h] = sp.Version
			}
		}
	}
	for _, sp := range spreads {
		if sp.Kind != "package" {
			continue
		}
		scheme := version.RPM
		if sp.Manager == "dpkg" {
			scheme = version.Deb
		}
		for _, h := range sp.Hosts {
			if _, ok := perHost[h]; !ok {
				perHost[h] = version.UpstreamOf(scheme, sp.Version)
			}
		}
	}
	versions := map[string]int{}
	for _, v := range perHost {
		versions[v]++
	}
	return middlewareSpread{Product: p.name, Hosts: len(perHost), Versions: sortCounts(versions)}, nil
}

func osLabel(o inventory.OSRelease) string {
	switch {
	case o.Name != "" && o.VersionID != "":
		return o.Name + " " + o.VersionID
	case o.PrettyName != "":
		return o.PrettyName
	case o.ID != "":
		return o.ID + " " + o.VersionID
	}
	return "unknown"
}

// sortCounts orders by count, most first, then by key: a total order, so
// the summary never depends on map order.
func sortCounts(m map[string]int) []count {
	out := make([]count, 0, len(m))
	for k, n := range m {
		out = append(out, count{k, n})
	}
	slices.SortFunc(out, func(a, b count) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Key, b.Key))
	})
	return out
}

// String is for test failure messages.
func (c count) String() string { return fmt.Sprintf("%s=%d", c.Key, c.Count) }
