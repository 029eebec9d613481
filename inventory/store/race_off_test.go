//go:build !race

package store

// raceEnabled: the tests run under the race detector (go test -race).
const raceEnabled = false
