// Package inventory holds what upkeep knows about what runs where: hosts,
// scans, and the packages, probed binaries and services found on each host.
//
// Sub-packages attach it to the world: the collector script and its parser
// live here, the SQLite store in inventory/store, the SSM transport in
// inventory/ssm. Nothing in this package knows about end-of-life data or plans.
package inventory

import (
	"time"
)

// Status is the outcome of one host in one scan.
type Status string

// Host statuses. Only StatusOK carries a Report; every other status carries
// the reason in Observation.Error so that a failed host is a row, not a gap.
const (
	StatusOK            Status = "ok"
	StatusPending       Status = "pending"       // sent, no result yet (an interrupted scan leaves these)
	StatusFailed        Status = "failed"        // the collector ran and exited non-zero
	StatusTimedOut      Status = "timed-out"     // SSM delivery or execution timed out
	StatusUndeliverable Status = "undeliverable" // the agent never received the command
	StatusOffline       Status = "offline"       // SSM reports the agent as not online
	StatusTruncated     Status = "truncated"     // output cut short (SSM's 24,000-character limit)
	StatusUnparsable    Status = "unparsable"    // output is not a valid collector record
	StatusThrottled     Status = "throttled"     // AWS kept throttling after every retry
	StatusUnsupported   Status = "unsupported"   // not a Linux host (Windows, macOS)
	StatusInventory     Status = "inventory"     // read from SSM Inventory: packages only, no probes
)

// Statuses lists every status in the order reports show them.
var Statuses = []Status{StatusOK, StatusInventory, StatusPending, StatusFailed, StatusTimedOut,
	StatusUndeliverable, StatusOffline, StatusTruncated, StatusUnparsable, StatusThrottled, StatusUnsupported}

// Scanned reports whether a host with this status has package data.
func (s Status) Scanned() bool { return s == StatusOK || s == StatusInventory }

// Package is one installed package as its package manager reports it.
type Package struct {
	Manager string // "rpm" or "dpkg"
	Name    string
	Epoch   string // rpm only; "" when the package has none
	Version string // rpm: version; dpkg: the full version string, epoch and revision included
	Release string // rpm only
	Arch    string
	Vendor  string // rpm VENDOR, "" when unset
	Status  string // dpkg db:Status-Abbrev without trailing space ("ii"); "" for rpm

	// Module is the rpm MODULARITYLABEL (name:stream:version:context) of a
	// package built in a RHEL 8+ Application Stream module, "" otherwise.
	// It names the stream whose life cycle the package follows.
	Module string
	// Component is the archive component (main, universe, restricted,
	// multiverse, contrib, ...) the installed dpkg version comes from, where
	// apt knows it; "" when unknown. An Ubuntu universe package is not
	// patched by Canonical without Ubuntu Pro.
	Component string
}

// Installed reports whether the package's files are on the host: every rpm
// package's are, and a dpkg package's unless its status says it is not
// installed (second letter n) or only its configuration files remain (c, as
// in "rc"). A package with no status (a pasted list, SSM Inventory) counts as
// installed.
func (p Package) Installed() bool {
	if p.Manager != "dpkg" || len(p.Status) < 2 {
		return true
	}
	return p.Status[1] != 'n' && p.Status[1] != 'c'
}

// EVR returns the version as its package manager prints it: rpm
// "[epoch:]version-release", dpkg the version string as is.
func (p Package) EVR() string {
	if p.Manager != "rpm" {
		return p.Version
	}
	s := p.Version
	if p.Release != "" {
		s += "-" + p.Release
	}
	if p.Epoch != "" && p.Epoch != "0" {
		s = p.Epoch + ":" + s
	}
	return s
}

// Probe is a middleware binary found on the host and asked for its version,
// whether or not a package owns it.
type Probe struct {
	Name    string // what was probed: nginx, httpd, php, java, ...
	Path    string // absolute path of the binary
	Owner   string // package that owns Path, "" when none does (hand-built)
	Output  string // first meaningful line the binary printed
	Version string // version token taken from Output, "" when none was found
}

// Service is a systemd unit that is running.
type Service struct {
	Unit  string // nginx.service
	State string // running
}

// Listener is a listening TCP socket.
type Listener struct {
	Proto   string // tcp or tcp6
	Addr    string // local address without port
	Port    int
	Process string // owning process name, "" when not visible
	Exe     string // absolute path of the owning process's executable, "" when not visible
	Owner   string // package that owns Exe (rpm -qf / dpkg-query -S), "" when none or unknown
}

// SupportStatement is the host's own package manager's word on how long a
// package is supported: on Amazon Linux 2023, the machine-readable answer of
// 'dnf supportinfo' for an installed package. The judge prefers it to
// embedded data, since it comes from the vendor for that very build.
type SupportStatement struct {
	Package string // package name
	Level   string // support level as the vendor names it (supported, maintenance, end-of-support, ...)
	Ends    string // day the current support ends, YYYY-MM-DD, "" when not stated
	Source  string // where the statement came from ("dnf supportinfo")
}

// SecurityListing is an installed package that one of Debian's
// debian-security-support lists names (by its source package): its
// security support ended, or ends, before the release's
// (security-support-ended.debN), or is limited to some uses
// (security-support-limited). The judge lets it override the release's life.
type SecurityListing struct {
	Package string // installed binary package
	Source  string // its source package, the name the list matched
	List    string // the list's file name: security-support-ended.deb12, security-support-limited
	Kind    string // ListingEnded or ListingLimited
	Version string // ended: the last version with security support, as the list says (not always the release's)
	Ends    string // ended: the day support ended or ends, YYYY-MM-DD; "" when the list gives none
	Note    string // the list's details: a reason, a bug or mailing-list URL
}

// Kinds of a SecurityListing.
const (
	ListingEnded   = "ended"
	ListingLimited = "limited"
)

// OSRelease is the subset of /etc/os-release upkeep uses.
type OSRelease struct {
	ID         string // amzn, ubuntu, debian, rhel, ...
	VersionID  string // 2, 2023, 22.04, 9.4
	Name       string
	PrettyName string
	IDLike     string
}

// Facts are what the collector says about the host itself.
type Facts struct {
	Hostname    string
	Kernel      string // uname -r
	Arch        string // uname -m
	Uptime      time.Duration
	CollectedAt time.Time
	MachineID   string
	OS          OSRelease
}

// Report is everything one collector run found on one host.
type Report struct {
	Format    int // collector format version
	Facts     Facts
	Packages  []Package
	Probes    []Probe
	Services  []Service
	Listeners []Listener
	Tags      map[string]string  // from a T record (demo fleet, imports); SSM tags come from discovery
	Warnings  []string           // collector-side problems that did not stop it (W records)
	Support   []SupportStatement // vendor support statements for installed packages, when the host has them
	Listings  []SecurityListing  // installed packages Debian's debian-security-support lists name, when the host has them
}

// Host is a machine's stable identity and what the control plane knows of it.
type Host struct {
	ID           string // EC2 instance id, or the machine name for local and imported hosts
	Name         string // hostname or Name tag
	Region       string
	Account      string
	Source       string // ssm, ssm-inventory, local, import, demo
	Tags         map[string]string
	Platform     string // SSM PlatformType/PlatformName, when known
	AgentVersion string
	PingStatus   string
	IPAddress    string
	LastPing     time.Time
}

// Observation is one host as seen by one scan.
type Observation struct {
	ScanID int64
	Host   Host
	Status Status
	Error  string
	Report *Report // nil unless Status.Scanned()

	// PackageSet identifies the host's package list in the store: hosts with
	// the same non-zero id have identical lists and share one Packages slice
	// (read-only), so a judge can work once per set instead of once per host.
	PackageSet int64
}

// Scan is one run of upkeep scan (or import, or demo load).
type Scan struct {
	ID       int64
	Source   string // ssm, ssm-inventory, local, import, demo
	Targets  string // what was asked for, as the user said it
	Started  time.Time
	Finished time.Time // zero while running or when interrupted
	Counts   map[Status]int
	Expected int    // hosts the scan meant to store (import: files), 0 when unknown
	Error    string // why the scan failed as a whole, "" when it did not
}
