package store

import (
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"

	"upkeep/inventory"
)

// detail is a host's detail as stored in one details row: everything of an
// observation but its status, its package list and what changes on every
// scan (when the collector ran, uptime). Hosts that did not change between
// two scans have equal details, stored once.
type detail struct {
	hasReport bool
	format    int
	facts     [9]string // hostname, kernel, arch, machine id, os id, version, name, pretty, id_like
	// JSON columns, "" for NULL (an empty list or map).
	probes, services, listeners, hostTags, reportTags, support, warnings string
	listings                                                             string // schema 5
}

// The JSON shapes of the list columns; the keys are documented in
// docs/schema.md, and the schema 3 migration writes the same ones.
type (
	probeJSON struct {
		Name    string `json:"name"`
		Path    string `json:"path"`
		Owner   string `json:"owner"`
		Output  string `json:"output"`
		Version string `json:"version"`
	}
	serviceJSON struct {
		Unit  string `json:"unit"`
		State string `json:"state"`
	}
	listenerJSON struct {
		Proto   string `json:"proto"`
		Addr    string `json:"addr"`
		Port    int    `json:"port"`
		Process string `json:"process"`
		Exe     string `json:"exe"`
		Owner   string `json:"owner"`
	}
	supportJSON struct {
		Package string `json:"package"`
		Level   string `json:"level"`
		Ends    string `json:"ends"`
		Source  string `json:"source"`
	}
	listingJSON struct {
		Package string `json:"package"`
		Source  string `json:"source"`
		List    string `json:"list"`
		Kind    string `json:"kind"`
		Version string `json:"version"`
		Ends    string `json:"ends"`
		Note    string `json:"note"`
	}
)

// newDetail encodes an observation's detail; ok is false when it has none
// (no report and no tags).
func newDetail(o inventory.Observation) (d detail, ok bool, err error) {
	r := o.Report
	if r == nil && len(o.Host.Tags) == 0 {
		return d, false, nil
	}
	enc := func(v any, empty bool) (string, error) {
		if empty {
			return "", nil
		}
		b, err := json.Marshal(v) // maps marshal in key order: stable bytes
		return string(b), err
	}
	if d.hostTags, err = enc(o.Host.Tags, len(o.Host.Tags) == 0); err != nil {
		return d, false, fmt.Errorf("encode tags: %w", err)
	}
	if r == nil {
		return d, true, nil
	}
	d.hasReport, d.format = true, r.Format
	f := r.Facts
	d.facts = [9]string{f.Hostname, f.Kernel, f.Arch, f.MachineID, f.OS.ID, f.OS.VersionID, f.OS.Name, f.OS.PrettyName, f.OS.IDLike}
	probes := make([]probeJSON, len(r.Probes))
	for i, p := range r.Probes {
		probes[i] = probeJSON(p)
	}
	services := make([]serviceJSON, len(r.Services))
	for i, s := range r.Services {
		services[i] = serviceJSON(s)
	}
	listeners := make([]listenerJSON, len(r.Listeners))
	for i, l := range r.Listeners {
		listeners[i] = listenerJSON(l)
	}
	support := make([]supportJSON, len(r.Support))
	for i, s := range r.Support {
		support[i] = supportJSON(s)
	}
	listings := make([]listingJSON, len(r.Listings))
	for i, l := range r.Listings {
		listings[i] = listingJSON(l)
	}
	for _, c := range []struct {
		dst   *string
		v     any
		empty bool
	}{
		{&d.probes, probes, len(probes) == 0},
		{&d.services, services, len(services) == 0},
		{&d.listeners, listeners, len(listeners) == 0},
		{&d.reportTags, r.Tags, len(r.Tags) == 0},
		{&d.support, support, len(support) == 0},
		{&d.warnings, r.Warnings, len(r.Warnings) == 0},
		{&d.listings, listings, len(listings) == 0},
	} {
		if *c.dst, err = enc(c.v, c.empty); err != nil {
			return d, false, fmt.Errorf("encode detail: %w", err)
		}
	}
	return d, true, nil
}

// hash is the SHA-256 of every field, each length-prefixed, so that no two
// different details share an encoding.
func (d *detail) hash() [32]byte {
	h := sha256.New()
	var buf [8]byte
	put := func(s string) {
		binary.BigEndian.PutUint64(buf[:], uint64(len(s)))
		h.Write(buf[:])
		h.Write([]byte(s))
	}
	put(fmt.Sprint(d.hasReport, d.format))
	for _, s := range d.facts {
		put(s)
	}
	for _, s := range []string{d.probes, d.services, d.listeners, d.hostTags, d.reportTags, d.support, d.warnings} {
		put(s)
	}
	// Added in schema 5: hashed only when present, so that every detail
	// stored before keeps its hash and an unchanged host its row.
	if d.listings != "" {
		put("listings")
		put(d.listings)
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

func nullText(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// detailRow holds a details row as read, before decoding.
type detailRow struct {
	valid                                                                bool
	hasReport                                                            bool
	format                                                               int
	facts                                                                [9]string
	probes, services, listeners, hostTags, reportTags, support, warnings sql.NullString
	listings                                                             sql.NullString
}

// detailColumns are the columns detailRow.dest scans, for a query that
// LEFT JOINs details AS d.
const detailColumns = `d.id IS NOT NULL, COALESCE(d.has_report, 0), COALESCE(d.format, 0),
	COALESCE(d.hostname, ''), COALESCE(d.kernel, ''), COALESCE(d.arch, ''), COALESCE(d.machine_id, ''),
	COALESCE(d.os_id, ''), COALESCE(d.os_version, ''), COALESCE(d.os_name, ''), COALESCE(d.os_pretty, ''), COALESCE(d.os_id_like, ''),
	d.probes, d.services, d.listeners, d.host_tags, d.report_tags, d.support, d.warnings, d.listings`

func (d *detailRow) dest() []any {
	out := []any{&d.valid, &d.hasReport, &d.format}
	for i := range d.facts {
		out = append(out, &d.facts[i])
	}
	return append(out, &d.probes, &d.services, &d.listeners, &d.hostTags, &d.reportTags, &d.support, &d.warnings, &d.listings)
}

// apply decodes the row into o: host tags always, the report's facts and
// lists when the observation has a report. dec shares repeated strings and
// lists (see decoder).
func (d *detailRow) apply(o *inventory.Observation, dec *decoder) error {
	if !d.valid {
		return nil
	}
	var err error
	if o.Host.Tags, err = dec.tags(d.hostTags, o.Host.Tags); err != nil {
		return fmt.Errorf("read tags of host %s: %w", o.Host.ID, err)
	}
	r := o.Report
	if r == nil {
		return nil
	}
	intern := dec.intern
	r.Format = d.format
	f := &r.Facts
	fs := d.facts
	f.Hostname, f.Kernel, f.Arch, f.MachineID = fs[0], intern(fs[1]), intern(fs[2]), fs[3]
	f.OS = inventory.OSRelease{ID: intern(fs[4]), VersionID: intern(fs[5]), Name: intern(fs[6]), PrettyName: intern(fs[7]), IDLike: intern(fs[8])}
	for _, c := range []struct {
		err  error
		what string
	}{
		{list(dec, &dec.probes, d.probes, &r.Probes, dec.probe), "probes"},
		{list(dec, &dec.services, d.services, &r.Services, dec.service), "services"},
		{list(dec, &dec.listeners, d.listeners, &r.Listeners, dec.listener), "listeners"},
		{tagsInto(dec, d.reportTags, &r.Tags), "tags"},
		{list(dec, &dec.support, d.support, &r.Support, dec.supportStatement), "support statements"},
		{list(dec, &dec.warnings, d.warnings, &r.Warnings, intern), "warnings"},
		{list(dec, &dec.listings, d.listings, &r.Listings, dec.listing), "debian-security-support listings"},
	} {
		if c.err != nil {
			return fmt.Errorf("read %s of host %s: %w", c.what, o.Host.ID, c.err)
		}
	}
	return nil
}

func tagsInto(dec *decoder, col sql.NullString, dst *map[string]string) error {
	m, err := dec.tags(col, *dst)
	*dst = m
	return err
}
