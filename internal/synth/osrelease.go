package synth

import (
	"fmt"
	"strings"

	"upkeep/internal/fixtures"
	"upkeep/inventory"
)

// readOSRelease reads the fields upkeep keeps from a fixture's os-release.
func readOSRelease(name string) (inventory.OSRelease, error) {
	data, err := fixtures.OSRelease(name)
	if err != nil {
		return inventory.OSRelease{}, fmt.Errorf("os-release of %s: %w", name, err)
	}
	var os inventory.OSRelease
	for _, line := range strings.Split(string(data), "\n") {
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		v = strings.Trim(v, `"'`)
		switch k {
		case "ID":
			os.ID = v
		case "VERSION_ID":
			os.VersionID = v
		case "NAME":
			os.Name = v
		case "PRETTY_NAME":
			os.PrettyName = v
		case "ID_LIKE":
			os.IDLike = v
		}
	}
	return os, nil
}
