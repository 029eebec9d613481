package ssm

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"upkeep/inventory"
)

// Inventory type names read by ReadInventory.
const (
	typeApplication = "AWS:Application"
	typeInstance    = "AWS:InstanceInformation"
	// maxFilterValues is GetInventory's limit on values in one filter.
	maxFilterValues = 40
)

// ReadInventory stores what SSM Inventory already holds for the targets,
// with no command run on any host: packages from AWS:Application and the OS
// from AWS:InstanceInformation, status inventory (no probes, no services).
// Offline instances are read too: their inventory is as old as its capture
// time says. A target with no inventory data is stored as failed, saying so.
func (s *Scanner) ReadInventory(ctx context.Context, scanID int64, targets []Target, save Save, ev Events) error {
	var todo []Target
	for _, t := range targets {
		if t.Status == inventory.StatusPending || t.Status == inventory.StatusOffline {
			todo = append(todo, t)
		}
	}
	if ev != nil && len(todo) > 0 {
		ev.Sent(s.region, len(todo))
	}
	// What arrived is kept even when the scan is interrupted, as in Run:
	// saving does not depend on ctx; the next chunk's read stops instead.
	keep := context.WithoutCancel(ctx)
	for i := 0; i < len(todo); i += maxFilterValues {
		chunk := todo[i:min(i+maxFilterValues, len(todo))]
		ids := make([]string, len(chunk))
		for j, t := range chunk {
			ids[j] = t.Host.ID
		}
		apps, err := s.inventoryOf(ctx, ids, typeApplication)
		if err != nil {
			return fmt.Errorf("read SSM Inventory in %s: %w", s.region, err)
		}
		infos, err := s.inventoryOf(ctx, ids, typeInstance)
		if err != nil {
			return fmt.Errorf("read SSM Inventory in %s: %w", s.region, err)
		}
		for _, t := range chunk {
			o := inventoryObservation(scanID, t, apps[t.Host.ID], infos[t.Host.ID])
			if err := save(keep, o); err != nil {
				return err
			}
			if ev != nil {
				ev.Done(o)
			}
		}
	}
	return nil
}

// inventoryOf reads one inventory type for a set of instances, every page.
func (s *Scanner) inventoryOf(ctx context.Context, ids []string, typeName string) (map[string]types.InventoryResultItem, error) {
	out := map[string]types.InventoryResultItem{}
	p := awsssm.NewGetInventoryPaginator(s.api, &awsssm.GetInventoryInput{
		Filters: []types.InventoryFilter{{
			Key: aws.String(typeInstance + ".InstanceId"), Values: ids, Type: types.InventoryQueryOperatorTypeEqual,
		}},
		ResultAttributes: []types.ResultAttribute{{TypeName: aws.String(typeName)}},
		MaxResults:       aws.Int32(50),
	}, func(o *awsssm.GetInventoryPaginatorOptions) {
		o.StopOnDuplicateToken = true // a server that repeats its token would page forever
	})
	for pages := 0; p.HasMorePages() && pages < maxPages; pages++ {
		var page *awsssm.GetInventoryOutput
		err := s.persist.do(ctx, func() error {
			var err error
			page, err = p.NextPage(ctx)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", typeName, err)
		}
		for _, e := range page.Entities {
			if item, ok := e.Data[typeName]; ok {
				out[aws.ToString(e.Id)] = item
			}
		}
	}
	return out, nil
}

func inventoryObservation(scanID int64, t Target, apps, info types.InventoryResultItem) (o inventory.Observation) {
	// What SSM Inventory holds was written by the host: a bug it trips
	// makes that host unparsable, never the whole scan crash.
	defer func() {
		if p := recover(); p != nil {
			o = inventory.Observation{ScanID: scanID, Host: t.Host, Status: inventory.StatusUnparsable,
				Error: fmt.Sprintf("SSM Inventory data could not be read (%v): please report it", p)}
		}
	}()
	o = inventory.Observation{ScanID: scanID, Host: t.Host}
	if apps.TypeName == nil {
		o.Status = inventory.StatusFailed
		o.Error = "no AWS:Application data in SSM Inventory: no inventory association (AWS-GatherSoftwareInventory) has run on it"
		return o
	}
	r := &inventory.Report{}
	name, version := t.Host.Platform, ""
	if len(info.Content) > 0 {
		c := info.Content[0]
		name, version = c["PlatformName"], c["PlatformVersion"]
		r.Facts.Hostname = c["ComputerName"]
	}
	r.Facts.OS = inventory.OSRelease{ID: osID(name), VersionID: version, Name: name, PrettyName: strings.TrimSpace(name + " " + version)}
	if ts, err := time.Parse(time.RFC3339, aws.ToString(apps.CaptureTime)); err == nil {
		r.Facts.CollectedAt = ts.UTC()
	}
	manager := "rpm"
	if r.Facts.OS.ID == "debian" || r.Facts.OS.ID == "ubuntu" {
		manager = "dpkg"
	}
	for _, a := range apps.Content {
		p := inventory.Package{Manager: manager, Name: a["Name"], Version: a["Version"], Arch: a["Architecture"]}
		if manager == "rpm" {
			p.Epoch, p.Release, p.Vendor = a["Epoch"], a["Release"], a["Publisher"]
		} else {
			p.Status = "ii" // SSM Inventory lists installed packages only
			if rel := a["Release"]; rel != "" && !strings.HasSuffix(p.Version, "-"+rel) {
				p.Version += "-" + rel
			}
			if ep := a["Epoch"]; ep != "" && ep != "0" && !strings.Contains(p.Version, ":") {
				p.Version = ep + ":" + p.Version
			}
		}
		if p.Name != "" {
			r.Packages = append(r.Packages, p)
		}
	}
	sort.Slice(r.Packages, func(i, j int) bool {
		a, b := r.Packages[i], r.Packages[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.Arch != b.Arch {
			return a.Arch < b.Arch
		}
		return a.EVR() < b.EVR()
	})
	o.Status, o.Report = inventory.StatusInventory, r
	if o.Host.Name == "" {
		o.Host.Name = r.Facts.Hostname
	}
	return o
}

// osID maps SSM's PlatformName to the os-release ID the advisories key on.
func osID(platform string) string {
	p := strings.ToLower(platform)
	for _, m := range []struct{ prefix, id string }{
		{"amazon linux", "amzn"}, {"ubuntu", "ubuntu"}, {"debian", "debian"},
		{"red hat", "rhel"}, {"centos", "centos"}, {"rocky", "rocky"}, {"almalinux", "almalinux"},
		{"oracle", "ol"}, {"suse", "sles"}, {"sles", "sles"},
	} {
		if strings.HasPrefix(p, m.prefix) {
			return m.id
		}
	}
	return p
}
