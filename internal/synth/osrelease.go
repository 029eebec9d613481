package synth

import (
	"fmt"

	"upkeep/internal/fixtures"
	"upkeep/inventory"
)

// readOSRelease reads the fields upkeep keeps from a fixture's os-release.
func readOSRelease(name string) (inventory.OSRelease, error) {
	data, err := fixtures.OSRelease(name)
	if err != nil {
		return inventory.OSRelease{}, fmt.Errorf("os-release of %s: %w", name, err)
	}
	return inventory.ParseOSRelease(data), nil
}
