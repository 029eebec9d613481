package advisories

import (
	"strings"

	"upkeep/advisories/version"
	"upkeep/registry"
)

// The package-name mapping lives in the product registry (package
// registry, one YAML file per product); these are the version helpers the
// judge shares with it.

// match is the result of mapping one package.
type match = registry.Match

func sameLine(upstream, line string) bool { return registry.SameLine(upstream, line) }

func upstreamOf(s version.Scheme, evr string, java bool) string {
	return registry.UpstreamOf(s, evr, java)
}

func javaUpstream(u string) string { return registry.JavaUpstream(u) }

func numericParts(v string) []string { return registry.NumericParts(v) }

func joinParts(p []string) string { return strings.Join(p, ".") }
