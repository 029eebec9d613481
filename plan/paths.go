package plan

import (
	"fmt"
	"strings"

	"upkeep/advisories"
)

// A database's data outlives its server: a major upgrade converts it, and
// some vendors allow that only one series at a time. dbPath says how each
// database moves between majors, from the vendors' upgrade guides.
type dbPath struct {
	// series an in-place upgrade must pass through, oldest first; a step
	// may not skip one (nil: any jump is one step).
	series    []string
	migrate   string // the data-migration action of one hop
	rollback  string
	restart   string
	source    string
	moveExtra string // added when the hop runs on a rebuilt OS release
}

var dbPaths = map[string]dbPath{
	"mysql": {
		// MySQL upgrades in place from one release series to the next
		// (5.6 → 5.7 → 8.0) and from 8.0 to the 8.4 LTS; skipping a series
		// is not supported.
		series: []string{"5.5", "5.6", "5.7", "8.0", "8.4"},
		migrate: "back up (mysqldump --all-databases --routines --events, or a snapshot), run the upgrade checker " +
			"(util.checkForServerUpgrade() in MySQL Shell), shut down cleanly with innodb_fast_shutdown=0, install the new series " +
			"and start it: from 8.0.16 the server upgrades the data dictionary and system tables itself (before: run mysql_upgrade)",
		rollback: "an in-place downgrade is not supported: keep the backup and restore it onto the old series",
		restart:  "mysqld restart (downtime for the database); no reboot",
		source:   "https://dev.mysql.com/doc/refman/8.4/en/upgrade-paths.html",
		moveExtra: "on the rebuilt host, install the same series first and restore the backup (or replicate from the old host), " +
			"then upgrade in place",
	},
	"mariadb": {
		migrate: "back up (mariadb-dump --all-databases, or mariadb-backup), stop the server, install the new version, start it " +
			"and run mariadb-upgrade (mysql_upgrade before 10.4.6); read MariaDB's upgrade notes for every major between the two",
		rollback: "an in-place downgrade is not supported: restore the backup onto the old version",
		restart:  "mariadb restart (downtime for the database); no reboot",
		source:   "https://mariadb.com/kb/en/upgrading/",
		moveExtra: "on the rebuilt host, restore the backup into the new version (mariadb-dump output loads into a newer server), " +
			"or replicate from the old host and switch over",
	},
	"postgresql": {
		migrate: "install the new major beside the old one and run pg_upgrade (--link to reuse the files, --check first), " +
			"or pg_dumpall from the old cluster and restore into the new one; then vacuumdb --all --analyze-in-stages",
		rollback: "keep the old cluster until the new one is verified: without --link its data directory is untouched and it can be started again",
		restart:  "postgresql restart on the new major (downtime for the database); no reboot",
		source:   "https://www.postgresql.org/docs/current/pgupgrade.html",
		moveExtra: "on the rebuilt host, restore a pg_dumpall of the old cluster into the new major " +
			"(or use logical replication and switch over)",
	},
	"mongodb": {
		series: []string{"3.6", "4.0", "4.2", "4.4", "5.0", "6.0", "7.0", "8.0"},
		migrate: "back up (mongodump or a snapshot), check featureCompatibilityVersion is the current series, replace the binaries, " +
			"restart, then set featureCompatibilityVersion to the new series",
		rollback: "a downgrade needs featureCompatibilityVersion set back first; otherwise restore the backup",
		restart:  "mongod restart, replica-set members one at a time; no reboot",
		source:   "https://www.mongodb.com/docs/manual/release-notes/",
	},
}

// hops lists the cycles an upgrade of product from one cycle to another
// passes through, the target last; one element when the vendor allows the
// jump in one step.
func hops(product, from, to string) []string {
	p, ok := dbPaths[product]
	if !ok || len(p.series) == 0 {
		return []string{to}
	}
	var out []string
	for _, s := range p.series {
		if cmpCycle(s, from) > 0 && cmpCycle(s, to) < 0 {
			out = append(out, s)
		}
	}
	return append(out, to)
}

// dbStepNotes fills a database step's data migration, rollback and restart.
func dbStepNotes(s *Step, moved bool) {
	p, ok := dbPaths[s.Product]
	if !ok || s.Action != ActionUpgrade {
		return
	}
	s.Migration = p.migrate
	if moved && p.moveExtra != "" {
		s.Migration = p.moveExtra + "; " + p.migrate
	}
	s.Migration += " (" + p.source + ")"
	s.Rollback, s.Restart = p.rollback, p.restart
}

// chainSteps splits an upgrade that skips a series the vendor requires
// into one step per hop (MySQL 5.7 → 8.0 → 8.4), each on the cycle the
// last one reached.
func chainSteps(s *Step, cycles []advisories.Cycle) []*Step {
	hs := hops(s.Product, s.FromCycle, s.To)
	if len(hs) == 1 {
		return []*Step{s}
	}
	out := make([]*Step, 0, len(hs))
	from := s.FromCycle
	via := from + " → " + strings.Join(hs, " → ")
	for i, h := range hs {
		n := s
		if i < len(hs)-1 {
			c := *s
			x := *s.facts
			c.facts = &x
			n = &c
			x.toEnd = ""
			if cy := findCycle(cycles, h); cy != nil && endOf(*cy, false) != "" {
				x.toEnd = endOf(*cy, false) + " (a series the path passes through, not the target)"
			}
			n.Hint = fmt.Sprintf("upgrade %s %s to %s in place (a required step: %s)", s.ProductLabel, from, h, dbPaths[s.Product].source)
		}
		if i > 0 {
			n.From = from
		}
		n.FromCycle, n.To = from, h
		n.facts.fromIdx, n.facts.toIdx = indexOf(cycles, from), indexOf(cycles, h)
		n.facts.majors = majorsCrossed(cycles, n.facts.fromIdx, n.facts.toIdx, from, h)
		n.facts.via = via
		out = append(out, n)
		from = h
	}
	return out
}
