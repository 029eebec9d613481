package inventory

import _ "embed"

//go:embed collector.sh
var collectorScript []byte

// Script returns the collector: a read-only POSIX sh script that prints one
// host's inventory in the collector format. It is what SSM Run Command sends,
// what `upkeep scan --local` runs and what `upkeep collector` prints.
func Script() []byte {
	// A copy, so no caller can change what the next one gets.
	return append([]byte(nil), collectorScript...)
}
