// Package sbom writes a scan's inventory as a CycloneDX 1.6 JSON bill of
// materials (https://cyclonedx.org/docs/1.6/json/), the format grype,
// Trivy and Dependency-Track read.
//
// One BOM holds one host or a whole fleet: each host is an
// operating-system component (name and version from os-release, as
// scanners expect to find the distribution) whose nested components are
// its installed packages, each with a package URL
// (https://github.com/package-url/purl-spec): pkg:rpm/amzn/NAME@V-R with
// arch, epoch and distro qualifiers, pkg:deb/ubuntu/NAME@VERSION with arch
// and distro. A scanner that reads only purls still knows each package's
// distribution from its distro qualifier.
package sbom

import (
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"upkeep/inventory"

	"upkeep/internal/output"
)

// SpecVersion is the CycloneDX version written.
const SpecVersion = "1.6"

// Subject says what the BOM describes, for its metadata.
type Subject struct {
	ScanID      int64
	ScanSource  string // ssm, local, import, demo...
	ScanStarted time.Time
	Tool        string // upkeep's version
}

// BOM is the part of a CycloneDX document upkeep writes.
type BOM struct {
	Schema       string       `json:"$schema"`
	BOMFormat    string       `json:"bomFormat"`
	SpecVersion  string       `json:"specVersion"`
	SerialNumber string       `json:"serialNumber"`
	Version      int          `json:"version"`
	Metadata     Metadata     `json:"metadata"`
	Components   []Component  `json:"components"`
	Dependencies []Dependency `json:"dependencies,omitempty"`
}

// Metadata names the tool, the time of the scan and the subject.
type Metadata struct {
	Timestamp  string     `json:"timestamp,omitempty"`
	Tools      Tools      `json:"tools"`
	Component  *Component `json:"component,omitempty"`
	Properties []Property `json:"properties,omitempty"`
}

// Tools lists the tool that made the BOM.
type Tools struct {
	Components []Component `json:"components"`
}

// Component is a host's operating system or a package.
type Component struct {
	BOMRef      string      `json:"bom-ref,omitempty"`
	Type        string      `json:"type"`
	Publisher   string      `json:"publisher,omitempty"`
	Name        string      `json:"name"`
	Version     string      `json:"version,omitempty"`
	Description string      `json:"description,omitempty"`
	PURL        string      `json:"purl,omitempty"`
	Properties  []Property  `json:"properties,omitempty"`
	Components  []Component `json:"components,omitempty"`
}

// Property is a name-value pair; upkeep's names start with "upkeep:".
type Property struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Dependency says which components a component contains or needs.
type Dependency struct {
	Ref       string   `json:"ref"`
	DependsOn []string `json:"dependsOn"`
}

// Build makes the BOM of the scanned hosts of obs; hosts that were not
// scanned have no packages to list and are left out (they are counted in
// a metadata property, so the BOM does not pass for the whole fleet).
func Build(obs []inventory.Observation, s Subject) BOM {
	b := BOM{
		Schema:      "http://cyclonedx.org/schema/bom-1.6.schema.json",
		BOMFormat:   "CycloneDX",
		SpecVersion: SpecVersion,
		Version:     1,
		Components:  []Component{},
	}
	b.Metadata.Tools.Components = []Component{{Type: "application", Name: "upkeep", Version: s.Tool}}
	if !s.ScanStarted.IsZero() {
		b.Metadata.Timestamp = s.ScanStarted.UTC().Format(time.RFC3339)
	}
	skipped := 0
	subject := Component{BOMRef: "subject", Type: "platform"}
	var hostRefs []string
	seen := map[string]int{}
	for _, o := range obs {
		if o.Report == nil || !o.Status.Scanned() {
			skipped++
			continue
		}
		host, deps := hostComponent(o, seen)
		b.Components = append(b.Components, host)
		b.Dependencies = append(b.Dependencies, deps)
		hostRefs = append(hostRefs, host.BOMRef)
	}
	if len(hostRefs) == 1 && skipped == 0 {
		o := obs[0]
		subject.Name = o.Host.Name
		if subject.Name == "" {
			subject.Name = o.Host.ID
		}
		subject.Description = "host " + o.Host.ID
	} else {
		subject.Name = "fleet"
		subject.Description = fmt.Sprintf("%d hosts of upkeep scan %d", len(hostRefs), s.ScanID)
	}
	if s.ScanID > 0 {
		subject.Version = fmt.Sprintf("scan-%d", s.ScanID)
	}
	b.Metadata.Component = &subject
	b.Metadata.Properties = []Property{
		{"upkeep:scan:id", fmt.Sprint(s.ScanID)},
		{"upkeep:scan:source", s.ScanSource},
		{"upkeep:hosts:listed", fmt.Sprint(len(hostRefs))},
		{"upkeep:hosts:not-scanned", fmt.Sprint(skipped)},
	}
	b.Dependencies = append([]Dependency{{Ref: subject.BOMRef, DependsOn: hostRefs}}, b.Dependencies...)
	if hostRefs == nil {
		b.Dependencies[0].DependsOn = []string{}
	}
	b.SerialNumber = serial(s, hostRefs)
	return b
}

// hostComponent is one host: its OS, with its installed packages nested.
// seen makes package bom-refs unique across the BOM.
func hostComponent(o inventory.Observation, seen map[string]int) (Component, Dependency) {
	r := o.Report
	osr := r.Facts.OS
	ref := "host:" + o.Host.ID
	c := Component{
		BOMRef:      ref,
		Type:        "operating-system",
		Name:        osr.ID,
		Version:     osr.VersionID,
		Description: strings.TrimSpace(osr.PrettyName + " on " + hostLabel(o.Host)),
	}
	if c.Name == "" {
		c.Name = "unknown"
	}
	props := []Property{{"upkeep:host:id", o.Host.ID}}
	for _, p := range []Property{
		{"upkeep:host:name", o.Host.Name}, {"upkeep:host:region", o.Host.Region}, {"upkeep:host:account", o.Host.Account},
		{"upkeep:host:hostname", r.Facts.Hostname}, {"upkeep:host:kernel", r.Facts.Kernel}, {"upkeep:host:arch", r.Facts.Arch},
	} {
		if p.Value != "" {
			props = append(props, p)
		}
	}
	c.Properties = props
	dep := Dependency{Ref: ref, DependsOn: []string{}}
	for _, p := range r.Packages {
		if !p.Installed() {
			continue
		}
		pc := packageComponent(p, osr)
		pc.BOMRef = ref + "/" + pc.PURL
		if n := seen[pc.BOMRef]; n > 0 {
			pc.BOMRef += fmt.Sprintf("#%d", n)
		}
		seen[pc.BOMRef]++
		c.Components = append(c.Components, pc)
		dep.DependsOn = append(dep.DependsOn, pc.BOMRef)
	}
	return c, dep
}

func hostLabel(h inventory.Host) string {
	if h.Name != "" && h.Name != h.ID {
		return h.Name + " (" + h.ID + ")"
	}
	return h.ID
}

// packageComponent is one installed package with its purl.
func packageComponent(p inventory.Package, osr inventory.OSRelease) Component {
	c := Component{Type: "library", Name: p.Name, Publisher: p.Vendor}
	ns := osr.ID
	var typ, ver string
	q := map[string]string{}
	if p.Arch != "" && p.Arch != "(none)" {
		q["arch"] = p.Arch
	}
	if osr.ID != "" && osr.VersionID != "" {
		q["distro"] = osr.ID + "-" + osr.VersionID
	}
	switch p.Manager {
	case "dpkg":
		// A Debian version carries its epoch ("1:2.3-4"), as dpkg prints it.
		typ, ver = "deb", p.Version
		c.Version = p.Version
		if ns == "" {
			ns = "debian"
		}
	default:
		typ = "rpm"
		ver = p.Version
		if p.Release != "" {
			ver += "-" + p.Release
		}
		c.Version = ver
		if p.Epoch != "" && p.Epoch != "(none)" {
			q["epoch"] = p.Epoch
			c.Version = p.Epoch + ":" + ver
		}
		if ns == "" {
			ns = "unknown"
		}
	}
	c.PURL = purl(typ, ns, p.Name, ver, q)
	if p.Module != "" {
		c.Properties = append(c.Properties, Property{"upkeep:package:module", p.Module})
	}
	if p.Component != "" {
		c.Properties = append(c.Properties, Property{"upkeep:package:component", p.Component})
	}
	return c
}

// purl builds a package URL; qualifiers are sorted by key, as the purl
// specification's canonical form requires.
func purl(typ, namespace, name, version string, qualifiers map[string]string) string {
	var b strings.Builder
	b.WriteString("pkg:" + typ + "/" + escape(strings.ToLower(namespace), false) + "/" + escape(name, false))
	if version != "" {
		b.WriteString("@" + escape(version, true))
	}
	keys := make([]string, 0, len(qualifiers))
	for k := range qualifiers {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for i, k := range keys {
		b.WriteString(map[bool]string{true: "?", false: "&"}[i == 0])
		b.WriteString(k + "=" + escape(qualifiers[k], true))
	}
	return b.String()
}

// escape percent-encodes everything but unreserved characters (and the
// colon of a Debian epoch, which the purl specification leaves as is): a
// '+' in a Debian version must not read as a space.
func escape(s string, colon bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '.', c == '_', c == '~':
			b.WriteByte(c)
		case c == ':' && colon:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// serial is a name-based (version 5 style) UUID of the scan and the hosts
// listed: the same scan and hosts give the same serial number, so writing
// the BOM twice gives identical bytes.
func serial(s Subject, hostRefs []string) string {
	h := sha1.New()
	fmt.Fprintf(h, "upkeep scan %d %s %s\n", s.ScanID, s.ScanSource, s.ScanStarted.UTC().Format(time.RFC3339Nano))
	for _, r := range hostRefs {
		fmt.Fprintln(h, r)
	}
	u := h.Sum(nil)[:16]
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// Write writes the BOM as indented JSON.
func Write(w io.Writer, b BOM) error {
	enc := json.NewEncoder(output.JSONWriter(w)) // host text: no raw C1 or bidi controls
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(b); err != nil {
		return fmt.Errorf("write CycloneDX BOM: %w", err)
	}
	return nil
}
