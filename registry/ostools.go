package registry

import (
	"fmt"
	"strings"
)

// Tools is how an OS release installs and looks up packages and how it
// moves to a later release: one row of os.yaml's tools. The planner's step
// hints and readiness's remedies read these, so no package command is
// spelled in Go.
type Tools struct {
	OS      string `yaml:"os"`       // OS product slug (debian) or family (el: RHEL and its rebuilds)
	OSCycle string `yaml:"os_cycle"` // prefix ("7") or comparison (">=8") on the release; "" every release
	// Installer installs packages by name: "dnf install".
	Installer string `yaml:"installer"`
	// Query shows what the release's repositories offer of {package}:
	// "apt-cache policy {package}"; "" when the registry has none.
	Query string `yaml:"query"`
	// Upgrade says how a host moves to release {to} of the OS; {label} is
	// the OS's name, {path} the releases it passes through (" through 12
	// (one release at a time)", or nothing). "" when the registry has none.
	Upgrade string `yaml:"upgrade"`
	// InPlace: the release upgrade carries installed packages along (apt's
	// full-upgrade), so a package is upgraded with the release rather than
	// installed anew on a rebuilt host.
	InPlace bool `yaml:"in_place"`
	// LTSPath: the in-place upgrade of an LTS release goes to the next
	// LTS release, so a path between releases lists only LTS ones.
	LTSPath   bool   `yaml:"lts_path"`
	LTSSource string `yaml:"lts_source"` // the source of lts_path, a source id of os.yaml
	Source    string `yaml:"source"`     // a source id of os.yaml
}

// FamilyLine names the OS product whose releases stand for a family's
// (RHEL for el): os.yaml's family_lines.
type FamilyLine struct {
	Family  string `yaml:"family"`  // an os.yaml family id (el)
	Product string `yaml:"product"` // the OS product whose release cycles the family follows (rhel)
	Label   string `yaml:"label"`   // the family's name for people ("RHEL family")
	Source  string `yaml:"source"`  // a source id of os.yaml
}

// osTools is os.yaml's part of the OS tools data.
type osTools struct {
	Tools       []Tools      `yaml:"tools"`
	FamilyLines []FamilyLine `yaml:"family_lines"`
}

// validateTools checks every tools and family_lines row of os.yaml; errors
// name the file, the section and the row.
func (r *Registry) validateTools(t osTools, srcs []Source) error {
	ids := sourceIDs(srcs)
	for i, x := range t.Tools {
		where := fmt.Sprintf("os.yaml tools row %d (%s %s)", i+1, x.OS, x.OSCycle)
		if err := needSource(ids, x.Source); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if x.OS == "" || x.Installer == "" {
			return fmt.Errorf("%s: os and installer are required", where)
		}
		if err := validCyclePattern(x.OSCycle); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if x.LTSPath != (x.LTSSource != "") {
			return fmt.Errorf("%s: lts_path and lts_source go together", where)
		}
		if x.LTSSource != "" {
			if err := needSource(ids, x.LTSSource); err != nil {
				return fmt.Errorf("%s: lts_source: %w", where, err)
			}
		}
		if x.Query != "" && !strings.Contains(x.Query, "{package}") {
			return fmt.Errorf("%s: query %q must name {package}", where, x.Query)
		}
		if x.Upgrade != "" && !strings.Contains(x.Upgrade, "{to}") {
			return fmt.Errorf("%s: upgrade %q must name {to}", where, x.Upgrade)
		}
	}
	for i, f := range t.FamilyLines {
		where := fmt.Sprintf("os.yaml family_lines row %d (%s)", i+1, f.Family)
		if err := needSource(ids, f.Source); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if f.Family == "" || f.Product == "" || f.Label == "" {
			return fmt.Errorf("%s: family, product and label are required", where)
		}
		if r.OSFamilyOf(f.Product) != f.Family {
			return fmt.Errorf("%s: product %q is not a member of family %q in families", where, f.Product, f.Family)
		}
	}
	r.tools, r.familyLines = t.Tools, t.FamilyLines
	return nil
}

// Tools returns the first tools row for an OS release: os is an OS
// product (ubuntu) or a family (el), and a row for a product's family
// (el) covers the product (almalinux). The source is the row's page. False
// when the registry has no row: callers say so rather than guess a tool.
func (r *Registry) Tools(os, osCycle string) (Tools, Source, bool) {
	fam := ""
	for _, f := range r.OSFamilies {
		if f.Product == os {
			fam = f.Family
			break
		}
	}
	for _, t := range r.tools {
		if t.OS != os && (fam == "" || t.OS != fam) {
			continue
		}
		if t.OSCycle != "" && !CycleMatches(osCycle, t.OSCycle) {
			continue
		}
		for _, s := range r.OSSources {
			if s.ID == t.Source {
				return t, s, true
			}
		}
	}
	return Tools{}, Source{}, false
}

// FamilyLine returns the OS product whose releases stand for a family's.
func (r *Registry) FamilyLine(family string) (FamilyLine, bool) {
	for _, f := range r.familyLines {
		if f.Family == family {
			return f, true
		}
	}
	return FamilyLine{}, false
}

// OSFamilyOf is the family of an OS product ("el" for rhel, almalinux,
// rocky-linux, oracle-linux and centos), "" when it has none.
func (r *Registry) OSFamilyOf(product string) string {
	for _, f := range r.OSFamilies {
		if f.Product == product {
			return f.Family
		}
	}
	return ""
}

// Fill puts values into a tools template: {package}, {to}, {label},
// {path}.
func Fill(template string, kv ...string) string {
	return strings.NewReplacer(kv...).Replace(template)
}
