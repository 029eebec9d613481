package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"upkeep/inventory"
)

// EachObservation calls fn for every host of scan id, one at a time, so that
// a judging command holds one host's report at a time instead of the whole
// scan (Observations). Hosts come in the store's own order, not by name:
// callers that print sort what they keep. Each observation is fresh and fn
// may keep any part of it.
//
// Report.Packages is left nil: packages(set) returns the sorted package list
// of the set o.PackageSet names, read when asked, so that a caller that
// judges each set once reads each set once and never holds every set. The
// slice it returns is the caller's. packages is valid only during the call.
func (db *DB) EachObservation(ctx context.Context, scanID int64, fn func(o *inventory.Observation, packages func(set int64) ([]inventory.Package, error)) error) error {
	tx, err := db.readTx(ctx)
	if err != nil {
		return fmt.Errorf("read scan %d: %w", scanID, err)
	}
	defer tx.Rollback()
	s := &stream{ctx: ctx, tx: tx, scanID: scanID, strs: map[string]string{}}
	if err := s.run(fn); err != nil {
		return fmt.Errorf("read scan %d: %w", scanID, err)
	}
	return nil
}

// stream merges the observation rows with the rows of each detail table.
// Every query walks the scan's observations through the (scan_id, host_id)
// index and the detail tables through their (observation_id, ...) keys, so
// they all come in host_id order and SQLite sorts nothing.
type stream struct {
	ctx    context.Context
	tx     *sql.Tx
	scanID int64

	// The package dictionary and each package's place in the total order,
	// read on the first set asked for: it grows with distinct packages, not
	// with hosts.
	dict  map[int64]inventory.Package
	rank  map[int64]int
	order []int64 // package ids by rank

	strs map[string]string // interned low-variety strings (regions, OS names, probe paths)
}

// intern returns one shared copy of a string that repeats across hosts, so
// that what a caller keeps per host does not hold a copy each. The table
// stops growing past a bound: values unique per host gain nothing.
func (s *stream) intern(v string) string {
	if c, ok := s.strs[v]; ok {
		return c
	}
	if len(s.strs) < 1<<14 {
		s.strs[v] = v
	}
	return v
}

// cursor walks one detail query; key is the host_id of the current row,
// -1 when the rows are exhausted.
type cursor struct {
	rows *sql.Rows
	key  int64
	dest []any // &key, then the columns' destinations
}

// open runs a detail query whose first column is the host_id and whose
// other columns scan into dest.
func (s *stream) open(query string, dest ...any) (*cursor, error) {
	rows, err := s.tx.QueryContext(s.ctx, query, s.scanID)
	if err != nil {
		return nil, err
	}
	c := &cursor{rows: rows, key: -1}
	c.dest = append([]any{&c.key}, dest...)
	return c, nil
}

// each calls scan for every row of the cursor that belongs to host id.
func (c *cursor) each(host int64, scan func() error) error {
	for {
		if c.key == -1 {
			if c.rows == nil || !c.rows.Next() {
				if c.rows != nil {
					if err := c.rows.Err(); err != nil {
						return err
					}
					c.rows.Close()
					c.rows = nil
				}
				c.key = -2
				return nil
			}
			if err := c.rows.Scan(c.dest...); err != nil {
				return err
			}
		}
		if c.key != host {
			return nil
		}
		if err := scan(); err != nil {
			return err
		}
		c.key = -1
	}
}

func (c *cursor) close() {
	if c != nil && c.rows != nil {
		c.rows.Close()
	}
}

const streamJoin = ` FROM observations o JOIN %s t ON t.observation_id = o.id WHERE o.scan_id = ? ORDER BY o.host_id, `

func (s *stream) run(fn func(*inventory.Observation, func(int64) ([]inventory.Package, error)) error) error {
	rows, err := s.tx.QueryContext(s.ctx, `SELECT o.host_id, o.status, o.error, o.has_report, o.format, o.hostname, o.kernel, o.arch,
			o.machine_id, o.os_id, o.os_version, o.os_name, o.os_pretty, o.os_id_like, o.collected_at, o.uptime,
			COALESCE(o.package_set_id, 0), o.warnings,
			h.ident, h.name, h.region, h.account, h.source, h.platform, h.agent_version, h.ping_status, h.ip_address, h.last_ping
		FROM observations o JOIN hosts h ON h.id = o.host_id
		WHERE o.scan_id = ? ORDER BY o.host_id`, s.scanID)
	if err != nil {
		return fmt.Errorf("read observations: %w", err)
	}
	defer rows.Close()
	var (
		pr           inventory.Probe
		sv           inventory.Service
		ln           inventory.Listener
		origin, k, v string
		cs           [4]*cursor
	)
	defer func() {
		for _, c := range cs {
			c.close()
		}
	}()
	for i, q := range []struct {
		sql  string
		dest []any
	}{
		{`SELECT o.host_id, t.name, t.path, t.owner, t.output, t.version` + fmt.Sprintf(streamJoin, "probes") + `t.seq`,
			[]any{&pr.Name, &pr.Path, &pr.Owner, &pr.Output, &pr.Version}},
		{`SELECT o.host_id, t.unit, t.state` + fmt.Sprintf(streamJoin, "services") + `t.seq`, []any{&sv.Unit, &sv.State}},
		{`SELECT o.host_id, t.proto, t.addr, t.port, t.process` + fmt.Sprintf(streamJoin, "listeners") + `t.seq`,
			[]any{&ln.Proto, &ln.Addr, &ln.Port, &ln.Process}},
		{`SELECT o.host_id, t.origin, t.key, t.value` + fmt.Sprintf(streamJoin, "tags") + `t.origin, t.key`, []any{&origin, &k, &v}},
	} {
		if cs[i], err = s.open(q.sql, q.dest...); err != nil {
			return fmt.Errorf("read details: %w", err)
		}
	}
	probes, units, ports, tags := cs[0], cs[1], cs[2], cs[3]
	for rows.Next() {
		var (
			hostID              int64
			o                   inventory.Observation
			hasReport           bool
			r                   inventory.Report
			collected, lastPing sql.NullString
			uptime              int64
			warnings            sql.NullString
			status              string
		)
		f := &r.Facts
		h := &o.Host
		if err := rows.Scan(&hostID, &status, &o.Error, &hasReport, &r.Format, &f.Hostname, &f.Kernel, &f.Arch,
			&f.MachineID, &f.OS.ID, &f.OS.VersionID, &f.OS.Name, &f.OS.PrettyName, &f.OS.IDLike, &collected, &uptime,
			&o.PackageSet, &warnings,
			&h.ID, &h.Name, &h.Region, &h.Account, &h.Source, &h.Platform, &h.AgentVersion, &h.PingStatus, &h.IPAddress, &lastPing); err != nil {
			return fmt.Errorf("read observations: %w", err)
		}
		o.ScanID, o.Status = s.scanID, inventory.Status(s.intern(status))
		h.Region, h.Account, h.Source = s.intern(h.Region), s.intern(h.Account), s.intern(h.Source)
		h.Platform, h.AgentVersion, h.PingStatus = s.intern(h.Platform), s.intern(h.AgentVersion), s.intern(h.PingStatus)
		if h.LastPing, err = parseTime(lastPing); err != nil {
			return err
		}
		rep := &r
		if hasReport {
			f.Kernel, f.Arch = s.intern(f.Kernel), s.intern(f.Arch)
			f.OS.ID, f.OS.VersionID, f.OS.Name = s.intern(f.OS.ID), s.intern(f.OS.VersionID), s.intern(f.OS.Name)
			f.OS.PrettyName, f.OS.IDLike = s.intern(f.OS.PrettyName), s.intern(f.OS.IDLike)
			if f.CollectedAt, err = parseTime(collected); err != nil {
				return err
			}
			f.Uptime = time.Duration(uptime) * time.Second
			if warnings.Valid {
				if err := json.Unmarshal([]byte(warnings.String), &r.Warnings); err != nil {
					return fmt.Errorf("read warnings of host %s: %w", h.ID, err)
				}
			}
			o.Report = rep
		}
		// Detail rows of a host without a report are read and dropped, as
		// Observations does.
		err := probes.each(hostID, func() error {
			rep.Probes = append(rep.Probes, inventory.Probe{Name: s.intern(pr.Name), Path: s.intern(pr.Path),
				Owner: s.intern(pr.Owner), Output: s.intern(pr.Output), Version: s.intern(pr.Version)})
			return nil
		})
		if err != nil {
			return fmt.Errorf("read probes: %w", err)
		}
		err = units.each(hostID, func() error {
			rep.Services = append(rep.Services, inventory.Service{Unit: s.intern(sv.Unit), State: s.intern(sv.State)})
			return nil
		})
		if err != nil {
			return fmt.Errorf("read services: %w", err)
		}
		err = ports.each(hostID, func() error {
			rep.Listeners = append(rep.Listeners, inventory.Listener{Proto: s.intern(ln.Proto), Addr: s.intern(ln.Addr),
				Port: ln.Port, Process: s.intern(ln.Process)})
			return nil
		})
		if err != nil {
			return fmt.Errorf("read listeners: %w", err)
		}
		err = tags.each(hostID, func() error {
			k, v = s.intern(k), s.intern(v)
			switch {
			case origin == "host":
				if h.Tags == nil {
					h.Tags = map[string]string{}
				}
				h.Tags[k] = v
			case o.Report != nil:
				if rep.Tags == nil {
					rep.Tags = map[string]string{}
				}
				rep.Tags[k] = v
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("read tags: %w", err)
		}
		if !hasReport {
			o.Report = nil
		}
		if err := fn(&o, s.packages); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read observations: %w", err)
	}
	return nil
}

// packages reads one package set, sorted as Observations sorts it.
func (s *stream) packages(set int64) ([]inventory.Package, error) {
	if s.dict == nil {
		if err := s.loadDict(); err != nil {
			return nil, err
		}
	}
	var text string
	if err := s.tx.QueryRowContext(s.ctx, `SELECT members FROM package_sets WHERE id = ?`, set).Scan(&text); err != nil {
		return nil, fmt.Errorf("read package set %d: %w", set, err)
	}
	ids, err := decodeMembers(text)
	if err != nil {
		return nil, fmt.Errorf("read package set %d: %w", set, err)
	}
	ranks := make([]int, 0, len(ids))
	for _, m := range ids {
		r, ok := s.rank[m]
		if !ok {
			return nil, fmt.Errorf("package set %d names package %d, which does not exist", set, m)
		}
		ranks = append(ranks, r)
	}
	slices.Sort(ranks)
	pkgs := make([]inventory.Package, len(ranks))
	for i, r := range ranks {
		pkgs[i] = s.dict[s.order[r]]
	}
	return pkgs, nil
}

// loadDict reads the whole package dictionary and ranks it once, as
// loadPackageSets does for a whole scan.
func (s *stream) loadDict() error {
	s.dict = map[int64]inventory.Package{}
	err := eachRow(s.ctx, s.tx, `SELECT id, manager, name, epoch, version, release, arch, vendor, status FROM packages`, nil,
		func(rows *sql.Rows) error {
			var id int64
			var p inventory.Package
			if err := rows.Scan(&id, &p.Manager, &p.Name, &p.Epoch, &p.Version, &p.Release, &p.Arch, &p.Vendor, &p.Status); err != nil {
				return err
			}
			p.Manager, p.Arch, p.Vendor, p.Status = s.intern(p.Manager), s.intern(p.Arch), s.intern(p.Vendor), s.intern(p.Status)
			s.dict[id] = p
			return nil
		})
	if err != nil {
		return fmt.Errorf("read packages: %w", err)
	}
	order := make([]int64, 0, len(s.dict))
	for id := range s.dict {
		order = append(order, id)
	}
	slices.SortFunc(order, func(a, b int64) int { return comparePackages(s.dict[a], s.dict[b]) })
	s.rank = make(map[int64]int, len(order))
	for i, id := range order {
		s.rank[id] = i
	}
	s.order = order
	return nil
}
