// Package advisories judges an inventory: it maps packages and probed binaries
// to products, compares versions by their scheme, and says what is past its end
// of life, what goes there soon, and what stands between a host and Amazon
// Linux 2023. It never calls AWS and never reads the clock: the caller passes
// the date every verdict is made at.
package advisories

// Kind says what a finding is about.
type Kind string

// Finding kinds.
const (
	KindOS      Kind = "os"
	KindKernel  Kind = "kernel"
	KindPackage Kind = "package"
	KindProbe   Kind = "probe"
)

// Verdict is the end-of-life judgement of one product on one host.
type Verdict string

// Verdicts, from worst to best; Unknown says why in Finding.Reason.
// Unpatched is a build of the OS vendor whose vendor has stopped patching it
// (the OS release, its Application Stream or its Software Collection
// ended) while upstream may still support the cycle: nobody fixes that
// build, so it counts as ended wherever eol does.
const (
	VerdictEOL             Verdict = "eol"
	VerdictUnpatched       Verdict = "unpatched"
	VerdictEOLSoon         Verdict = "eol-soon"
	VerdictDistroSupported Verdict = "distro-supported"
	VerdictSupported       Verdict = "supported"
	VerdictUnknown         Verdict = "unknown"
)

// Verdicts lists every verdict, worst first.
func Verdicts() []Verdict {
	return []Verdict{VerdictEOL, VerdictUnpatched, VerdictEOLSoon, VerdictDistroSupported, VerdictSupported, VerdictUnknown}
}

// Ended reports whether a verdict says nobody fixes the build any more
// (eol, unpatched): what --fail-on eol catches.
func (v Verdict) Ended() bool { return v == VerdictEOL || v == VerdictUnpatched }

// Availability says whether a product can move to Amazon Linux 2023 as it is.
type Availability string

// Availability values; empty on hosts already on AL2023.
const (
	AvailAvailable  Availability = "available"
	AvailNewerOnly  Availability = "newer-only"
	AvailNamespaced Availability = "namespaced"
	AvailRemoved    Availability = "removed"
	AvailReplaced   Availability = "replaced"
	AvailUnknown    Availability = "unknown"
)

// Finding is one product on one host, judged at one date.
type Finding struct {
	Host            string       // host id
	HostName        string       // host name for display
	Account         string       // AWS account id of the host, "" when the scan did not say
	Kind            Kind         // os, kernel, package or probe
	Package         string       // the package (or probed binary path) that decided the version
	Packages        []string     // every package of this product on the host, sorted
	Version         string       // as installed: rpm [E:]V-R, deb version, or what the binary printed
	Product         string       // endoflife.date slug; "" when unmapped
	ProductLabel    string       // "nginx", "Amazon Linux", ...
	UpstreamVersion string       // 1.20.0
	Cycle           string       // 1.20
	Status          Verdict      // eol, unpatched, eol-soon, distro-supported, supported, unknown
	Role            string       // what the deciding package is for its product: server, runtime, module, library, client, config, tooling; "" for the OS
	Phase           string       // the support phase the date belongs to ("Security Support")
	EOLDate         string       // YYYY-MM-DD end of that phase; "" when unknown or not announced
	Days            int          // days past EOLDate (positive) or until it (negative); 0 when no date
	DistroUntil     string       // for distro-supported: the OS cycle's end date
	VendorUntil     string       // an OS vendor's own package: the day its OS release's support ends or ended, so the vendor's patches with it; "" otherwise
	Source          string       // os-vendor, third-party, hand-built
	AL2023          Availability // empty when the host is on AL2023 or the kind is not movable
	AL2023Package   string       // the AL2023 package(s) to install instead, when known
	AL2023Why       string       // why that package: how long it is supported ("php8.4: supported until 2028-12-31")
	Running         bool         // a running service or listening process belongs to this product
	Ports           []int        // listening TCP ports of this product, sorted
	Reason          string       // one sentence: why this verdict (always set for unknown)
	Waived          bool         // a waiver accepts this finding
	WaiverReason    string       // the waiver's reason and expiry, when Waived
	Key             string       // stable key: host/kind/product/cycle, for waivers and diffs
}
