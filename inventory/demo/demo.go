// Package demo embeds upkeep's bundled demo fleet: collector outputs of 33
// made-up but realistic EC2 hosts, built from real package lists by
// internal/demogen (see README.md for each host and every version's source).
// `upkeep demo` loads them as one scan so every command has something to
// show before the user has scanned anything.
package demo

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"upkeep/inventory"
)

// Source is the scan and host source the demo fleet is stored under.
const Source = "demo"

// Tags every demo host carries as T records. InstanceID gives the host its
// stable id in the store, as an EC2 instance id would for an SSM scan;
// inventory.Identify reads it and Name the same way for 'scan --import'.
const (
	TagInstanceID = inventory.TagInstanceID
	TagName       = inventory.TagName
	TagEnv        = "Env"
	TagRole       = "Role"
)

// fleetFS holds fleet/<host>.out. Generated: do not edit by hand, run
// `go run ./internal/demogen` from the module root.
//
//go:embed fleet/*.out
var fleetFS embed.FS

// Output is one bundled host's collector output.
type Output struct {
	File string // prod-web-01.out
	Data []byte
}

// Outputs returns every bundled collector output, ordered by file name.
func Outputs() ([]Output, error) {
	entries, err := fs.ReadDir(fleetFS, "fleet")
	if err != nil {
		return nil, fmt.Errorf("read demo fleet: %w", err)
	}
	var out []Output
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".out") {
			continue
		}
		data, err := fleetFS.ReadFile(path.Join("fleet", e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read demo host %s: %w", e.Name(), err)
		}
		out = append(out, Output{File: e.Name(), Data: data})
	}
	slices.SortFunc(out, func(a, b Output) int { return strings.Compare(a.File, b.File) })
	return out, nil
}

// Observations parses every bundled output into an ok observation of a demo
// host (no scan id: the caller's store assigns it). Host ids come from the
// InstanceId tag, names from the Name tag (inventory.Identify); every demo
// host must carry both, so the fleet's ids never depend on hostnames.
func Observations() ([]inventory.Observation, error) {
	outs, err := Outputs()
	if err != nil {
		return nil, err
	}
	obs := make([]inventory.Observation, 0, len(outs))
	for _, o := range outs {
		r, err := inventory.Parse(o.Data)
		if err != nil {
			return nil, fmt.Errorf("parse demo host %s: %w", o.File, err)
		}
		if r.Tags[TagInstanceID] == "" || r.Tags[TagName] == "" {
			return nil, fmt.Errorf("demo host %s: no %s or %s tag", o.File, TagInstanceID, TagName)
		}
		id, name := inventory.Identify(r, o.File)
		obs = append(obs, inventory.Observation{
			Host: inventory.Host{
				ID:     id,
				Name:   name,
				Source: Source,
				Tags:   r.Tags,
			},
			Status: inventory.StatusOK,
			Report: r,
		})
	}
	return obs, nil
}
