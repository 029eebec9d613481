package ssmfake

import (
	"context"
	"fmt"

	"upkeep/inventory"
)

// applications is the AWS:Application inventory of a fixture host, made the
// way the SSM agent's inventory plugin would: from the host's package
// database, which here means the collector's own view of the fixture.
func (s *Server) applications(ctx context.Context, inst *Instance) ([]map[string]string, error) {
	fixture := inst.variant()
	res, err := s.run(ctx, inst, string(inventory.Script()))
	if err != nil {
		return nil, fmt.Errorf("inventory of fixture %s: %w", fixture, err)
	}
	rep, err := inventory.Parse(res.Stdout)
	if err != nil {
		return nil, fmt.Errorf("inventory of fixture %s: %w", fixture, err)
	}
	apps := make([]map[string]string, 0, len(rep.Packages))
	for _, p := range rep.Packages {
		a := map[string]string{
			"Name":            p.Name,
			"Version":         p.Version,
			"Architecture":    p.Arch,
			"Publisher":       p.Vendor,
			"ApplicationType": "System Environment/Base",
			"PackageId":       p.Name + "-" + p.EVR() + "." + p.Arch,
		}
		if p.Manager == "rpm" {
			a["Release"] = p.Release
			a["Epoch"] = p.Epoch
			a["PackageId"] = p.Name + "-" + p.Version + "-" + p.Release + "." + p.Arch + ".rpm"
		} else {
			a["PackageId"] = p.Name + "_" + p.Version + "_" + p.Arch + ".deb"
		}
		apps = append(apps, a)
	}
	return apps, nil
}
