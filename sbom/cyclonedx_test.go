package sbom

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"upkeep/inventory"
	"upkeep/inventory/demo"
)

func TestPackageComponent(t *testing.T) {
	amzn := inventory.OSRelease{ID: "amzn", VersionID: "2"}
	ubuntu := inventory.OSRelease{ID: "ubuntu", VersionID: "22.04"}
	tests := []struct {
		name     string
		pkg      inventory.Package
		os       inventory.OSRelease
		purl     string
		version  string
		property string
	}{
		{"rpm with epoch", inventory.Package{Manager: "rpm", Name: "openssl-libs", Epoch: "1", Version: "1.0.2k", Release: "24.amzn2.0.7", Arch: "x86_64", Vendor: "Amazon Linux"}, amzn,
			"pkg:rpm/amzn/openssl-libs@1.0.2k-24.amzn2.0.7?arch=x86_64&distro=amzn-2&epoch=1", "1:1.0.2k-24.amzn2.0.7", ""},
		{"rpm without epoch", inventory.Package{Manager: "rpm", Name: "bash", Version: "4.2.46", Release: "34.amzn2", Arch: "x86_64"}, amzn,
			"pkg:rpm/amzn/bash@4.2.46-34.amzn2?arch=x86_64&distro=amzn-2", "4.2.46-34.amzn2", ""},
		{"rpm noarch gpg key", inventory.Package{Manager: "rpm", Name: "gpg-pubkey", Version: "c87f5b1a", Release: "593863f8", Arch: "(none)"}, amzn,
			"pkg:rpm/amzn/gpg-pubkey@c87f5b1a-593863f8?distro=amzn-2", "c87f5b1a-593863f8", ""},
		{"rpm module", inventory.Package{Manager: "rpm", Name: "nodejs", Epoch: "1", Version: "18.19.0", Release: "1.module+el8.9.0+21000+abc", Arch: "x86_64", Module: "nodejs:18:8090020231123:a75119d5"}, inventory.OSRelease{ID: "rocky", VersionID: "8.9"},
			"pkg:rpm/rocky/nodejs@18.19.0-1.module%2Bel8.9.0%2B21000%2Babc?arch=x86_64&distro=rocky-8.9&epoch=1", "1:18.19.0-1.module+el8.9.0+21000+abc", "upkeep:package:module"},
		{"deb with epoch and plus", inventory.Package{Manager: "dpkg", Name: "libgcc-s1", Version: "1:12.3.0-1ubuntu1~22.04", Arch: "amd64", Status: "ii"}, ubuntu,
			"pkg:deb/ubuntu/libgcc-s1@1:12.3.0-1ubuntu1~22.04?arch=amd64&distro=ubuntu-22.04", "1:12.3.0-1ubuntu1~22.04", ""},
		{"deb universe", inventory.Package{Manager: "dpkg", Name: "redis-server", Version: "5:6.0.16-1ubuntu1+esm1", Arch: "amd64", Component: "universe"}, ubuntu,
			"pkg:deb/ubuntu/redis-server@5:6.0.16-1ubuntu1%2Besm1?arch=amd64&distro=ubuntu-22.04", "5:6.0.16-1ubuntu1+esm1", "upkeep:package:component"},
		{"name a host made odd", inventory.Package{Manager: "dpkg", Name: "x/y?z", Version: "1 2", Arch: "all"}, inventory.OSRelease{ID: "debian", VersionID: "12"},
			"pkg:deb/debian/x%2Fy%3Fz@1%202?arch=all&distro=debian-12", "1 2", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := packageComponent(tt.pkg, tt.os)
			if c.PURL != tt.purl {
				t.Errorf("purl %s\n want %s", c.PURL, tt.purl)
			}
			if c.Version != tt.version {
				t.Errorf("version %q, want %q", c.Version, tt.version)
			}
			if tt.property != "" && (len(c.Properties) != 1 || c.Properties[0].Name != tt.property) {
				t.Errorf("properties %v, want %s", c.Properties, tt.property)
			}
		})
	}
}

// demoBOM builds the BOM of the bundled demo fleet plus one host that was
// not scanned.
func demoBOM(t *testing.T) (BOM, []inventory.Observation) {
	t.Helper()
	obs, err := demo.Observations()
	if err != nil {
		t.Fatal(err)
	}
	obs = append(obs, inventory.Observation{Host: inventory.Host{ID: "i-0offline"}, Status: inventory.StatusOffline})
	s := Subject{ScanID: 4, ScanSource: "demo", ScanStarted: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC), Tool: "test"}
	return Build(obs, s), obs
}

func TestBuildFleet(t *testing.T) {
	b, obs := demoBOM(t)
	if len(b.Components) != len(obs)-1 {
		t.Fatalf("%d host components, want %d (the offline host left out)", len(b.Components), len(obs)-1)
	}
	refs := map[string]bool{}
	packages := 0
	for i, h := range b.Components {
		o := obs[i]
		if h.Type != "operating-system" || h.Name != o.Report.Facts.OS.ID || h.Version != o.Report.Facts.OS.VersionID {
			t.Errorf("host %s: component %s %s %s, want operating-system %s %s", o.Host.ID, h.Type, h.Name, h.Version, o.Report.Facts.OS.ID, o.Report.Facts.OS.VersionID)
		}
		installed := 0
		for _, p := range o.Report.Packages {
			if p.Installed() {
				installed++
			}
		}
		if len(h.Components) != installed {
			t.Errorf("host %s: %d packages, want its %d installed ones", o.Host.ID, len(h.Components), installed)
		}
		for _, p := range h.Components {
			packages++
			if refs[p.BOMRef] {
				t.Errorf("bom-ref %s twice", p.BOMRef)
			}
			refs[p.BOMRef] = true
			wantPrefix := map[string]string{"rpm": "pkg:rpm/", "dpkg": "pkg:deb/"}[o.Report.Packages[0].Manager] + h.Name + "/"
			if !strings.HasPrefix(p.PURL, wantPrefix) || !strings.Contains(p.PURL, "distro="+h.Name+"-"+h.Version) {
				t.Errorf("host %s: purl %s, want %s... with its distro", o.Host.ID, p.PURL, wantPrefix)
			}
		}
	}
	if packages < 1000 {
		t.Errorf("only %d packages in the fleet BOM", packages)
	}
	if b.Metadata.Component.Name != "fleet" || b.Metadata.Properties[3].Value != "1" {
		t.Errorf("metadata %+v: want the fleet, one host not scanned", b.Metadata)
	}
	// The same scan gives the same bytes: no clock, no random serial.
	var x, y bytes.Buffer
	again, _ := demoBOM(t)
	if err := Write(&x, b); err != nil {
		t.Fatal(err)
	}
	if err := Write(&y, again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(x.Bytes(), y.Bytes()) {
		t.Error("two BOMs of the same scan differ")
	}
}

func TestBuildOneHost(t *testing.T) {
	obs, err := demo.Observations()
	if err != nil {
		t.Fatal(err)
	}
	b := Build(obs[:1], Subject{ScanID: 1, ScanSource: "demo"})
	if len(b.Components) != 1 || b.Metadata.Component.Name != obs[0].Host.Name {
		t.Errorf("one host: %d components, subject %+v", len(b.Components), b.Metadata.Component)
	}
}

// schemaDir is where the official CycloneDX JSON schemas are: the
// directory UPKEEP_CYCLONEDX_SCHEMAS names (.ci/run unpacks the
// CycloneDX JavaScript library's copy there), or testdata/cyclonedx.
func schemaDir(t *testing.T) string {
	if d := os.Getenv("UPKEEP_CYCLONEDX_SCHEMAS"); d != "" {
		return d
	}
	d := filepath.Join("testdata", "cyclonedx")
	if _, err := os.Stat(d); err == nil {
		return d
	}
	if os.Getenv("CI") != "" {
		t.Fatal("CI: no CycloneDX schema: .ci/run sets UPKEEP_CYCLONEDX_SCHEMAS")
	}
	t.Skip("no CycloneDX schema: set UPKEEP_CYCLONEDX_SCHEMAS to a folder with bom-1.6, spdx and jsf-0.82 schema files (see .ci/run)")
	return ""
}

// compileSchema compiles bom-1.6 with the spdx and jsf schemas it refers
// to, each registered under its $id so that nothing is loaded from the
// network. The CycloneDX JavaScript library renames the referenced files
// *.SNAPSHOT.schema.json; references to either name resolve.
func compileSchema(t *testing.T, dir string) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	var bomID string
	for _, base := range []string{"bom-1.6", "spdx", "jsf-0.82"} {
		var data []byte
		var err error
		for _, name := range []string{base + ".schema.json", base + ".SNAPSHOT.schema.json"} {
			if data, err = os.ReadFile(filepath.Join(dir, name)); err == nil {
				break
			}
		}
		if err != nil {
			t.Fatalf("CycloneDX schema %s: %v", base, err)
		}
		data = bytes.ReplaceAll(data, []byte(".SNAPSHOT.schema.json"), []byte(".schema.json"))
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", base, err)
		}
		id, _ := doc.(map[string]any)["$id"].(string)
		if id == "" {
			t.Fatalf("%s has no $id", base)
		}
		if err := c.AddResource(id, doc); err != nil {
			t.Fatal(err)
		}
		if base == "bom-1.6" {
			bomID = id
		}
	}
	sch, err := c.Compile(bomID)
	if err != nil {
		t.Fatalf("compile the CycloneDX schema: %v", err)
	}
	return sch
}

func TestSchemaValid(t *testing.T) {
	sch := compileSchema(t, schemaDir(t))
	fleet, obs := demoBOM(t)
	tests := []struct {
		name string
		bom  BOM
	}{
		{"fleet", fleet},
		{"one host", Build(obs[:1], Subject{ScanID: 1, ScanSource: "demo", Tool: "test"})},
		{"no host scanned", Build(obs[len(obs)-1:], Subject{ScanID: 2, ScanSource: "ssm", Tool: "test"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, tt.bom); err != nil {
				t.Fatal(err)
			}
			doc, err := jsonschema.UnmarshalJSON(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(doc); err != nil {
				t.Errorf("not valid CycloneDX 1.6: %v", err)
			}
		})
	}
	// The schema is really applied: a BOM it must refuse.
	bad := map[string]any{}
	var buf bytes.Buffer
	if err := Write(&buf, fleet); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(buf.Bytes(), &bad); err != nil {
		t.Fatal(err)
	}
	bad["components"].([]any)[0].(map[string]any)["type"] = "host"
	if err := sch.Validate(bad); err == nil {
		t.Error("a component of type host passed the schema")
	}
}
