package scan

import (
	"fmt"

	"upkeep/inventory"
	"upkeep/inventory/store"
)

// An imported host names itself: the file says which hostname or instance
// id it is. A hostile or mistaken file could so stand in for another host
// (a patched impostor for an end-of-life web-1), so a name is accepted only
// for the machine the name already belongs to: the same /etc/machine-id as
// the other file of this import that named it, and as the machine the store
// last saw under it.

// Claim is a file that named a host, and the machine it was collected on.
type Claim struct {
	File    string
	Machine string // /etc/machine-id as the output states it; "" when none
}

// ConflictError is two files of one import naming the same host that cannot
// be shown to be the same machine: keeping either would silently replace
// the other.
type ConflictError struct {
	Host        string
	First, Then Claim
}

func (e *ConflictError) Error() string {
	why := fmt.Sprintf("different machines (machine id %s and %s)", orNone(e.First.Machine), orNone(e.Then.Machine))
	if e.First.Machine == "" || e.Then.Machine == "" {
		why = fmt.Sprintf("no machine id tells whether they are the same machine (%s and %s)", orNone(e.First.Machine), orNone(e.Then.Machine))
	}
	return fmt.Sprintf("%s and %s both claim host %s, but %s: import them separately (--host names a single file's host), or give each its own InstanceId tag",
		e.First.File, e.Then.File, e.Host, why)
}

// StoredConflictError is a file naming a host that the store saw, in an
// earlier scan or earlier in this one, as another machine.
type StoredConflictError struct {
	Host   string
	File   Claim
	Stored store.Sighting
}

func (e *StoredConflictError) Error() string {
	why := fmt.Sprintf("a different machine (machine id %s, this file's %s)", e.Stored.MachineID, orNone(e.File.Machine))
	if e.File.Machine == "" {
		why = fmt.Sprintf("machine id %s, and this file has no machine id to show it is the same machine", e.Stored.MachineID)
	}
	where := fmt.Sprintf("scan %d (%s %s, %s)", e.Stored.ScanID, e.Stored.Source, e.Stored.Targets, e.Stored.Started.UTC().Format("2006-01-02"))
	return fmt.Sprintf("%s claims host %s, but %s stored %s as %s: if it is another machine, import it under its own name (--host NAME, one file at a time)",
		e.File.File, e.Host, where, e.Host, why)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// sameMachine accepts a host claimed twice in one import only when both
// outputs carry the same machine id: the same machine collected twice.
func sameMachine(prev, next Claim, host string) error {
	if prev.Machine == "" || prev.Machine != next.Machine {
		return &ConflictError{Host: host, First: prev, Then: next}
	}
	return nil
}

// sameAsStored accepts a claimed host when the store never saw a machine
// id under its name, or saw this one.
func sameAsStored(c Claim, host string, seen store.Sighting, known bool) error {
	if !known || seen.MachineID == c.Machine {
		return nil
	}
	return &StoredConflictError{Host: host, File: c, Stored: seen}
}

func machineID(o inventory.Observation) string {
	if o.Report == nil {
		return ""
	}
	return o.Report.Facts.MachineID
}
