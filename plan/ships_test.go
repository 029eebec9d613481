package plan

import (
	"testing"
	"time"

	"upkeep/registry"
)

// TestShipsFrom covers the support forms of the registry's ships rows as
// the planner reads them: until with its date, family rows read by the
// rebuilds, a "-" row as a known absence with its note, each offer with its
// own note and source. The rows the registry refuses (no source, a bad
// date or support, no package, a line listed twice) are covered by the
// registry's TestStrictRows.
func TestShipsFrom(t *testing.T) {
	row := func(os, osCycle, product, cycle, support, until, note, src string, pkgs ...string) registry.ShipRow {
		return registry.ShipRow{Product: product, SourceURL: src, Ship: registry.Ship{OS: os, OSCycle: osCycle, Cycle: cycle,
			Packages: pkgs, Support: support, Until: until, Note: note}}
	}
	s := ShipsFrom([]registry.ShipRow{
		row("el", "9", "php", "8.0", "until", "2032-05-31", "default version", "https://example.org/a", "php", "php-fpm"),
		row("el", "9", "php", "8.3", "until", "2029-05-31", "", "https://example.org/b", "@php:8.3"),
		row("debian", "13", "php", "8.4", "os", "", "", "https://example.org/c", "php8.4"),
		row("amazon-linux", "2023", "mysql", "-", "", "", "use the vendor's repository", "https://example.org/d"),
	})
	el := s.Ships("el", "9", "php")
	if len(el.Offers) != 2 || !el.Offers[0].Until.Equal(time.Date(2032, 5, 31, 0, 0, 0, 0, time.UTC)) || el.Offers[0].OSSupported ||
		el.Offers[1].Source != "https://example.org/b" || el.Offers[0].Note != "default version" || el.Source != "https://example.org/a" {
		t.Errorf("el 9 php = %+v", el)
	}
	// A rebuild reads its family's rows; a release without rows is not known.
	for _, os := range []string{"rocky-linux", "almalinux", "rhel", "centos"} {
		if got := s.Ships(os, "9", "php"); len(got.Offers) != 2 {
			t.Errorf("%s 9 php: %d offers, want the el rows", os, len(got.Offers))
		}
	}
	if got := s.Ships("ubuntu", "24.04", "php"); got.Known {
		t.Errorf("ubuntu 24.04 php is known without a row: %+v", got)
	}
	if got := s.Ships("amazon-linux", "2023", "mysql"); !got.Known || len(got.Offers) != 0 || got.Note == "" {
		t.Errorf("a '-' row is a known absence with its note: %+v", got)
	}
	if got := s.Ships("debian", "13", "php"); !got.Offers[0].OSSupported {
		t.Errorf("support os: %+v", got)
	}
	// The embedded registry's rows reach the planner the same way.
	if got := DefaultShips().Ships("amazon-linux", "2023", "php"); len(got.Offers) < 4 || got.Offers[0].Source == "" {
		t.Errorf("registry amazon-linux 2023 php: %+v", got)
	}
}
