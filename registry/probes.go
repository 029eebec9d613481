package registry

import "regexp"

// ProbeMatch is what the registry says of a probed binary.
type ProbeMatch struct {
	Product string // "" when no rule maps it
	// VendorUnknown: the binary does not say whose build it is, and the
	// vendor decides the support (see ProbeRule.VendorUnknown).
	VendorUnknown bool
	Java          bool // it prints a Java version (ProbeRule.Java)
}

// Probe maps a probed binary as ProbeLookup does, with the options of the
// rule that matched.
func (r *Registry) Probe(name, output string) ProbeMatch {
	var plain ProbeMatch
	for _, p := range r.Products {
		for _, pr := range p.Probes {
			if pr.Name != name {
				continue
			}
			if pr.Output == "" {
				if plain.Product == "" {
					plain = ProbeMatch{Product: p.Slug, VendorUnknown: pr.VendorUnknown, Java: pr.Java}
				}
				continue
			}
			if pr.matches(output) {
				return ProbeMatch{Product: p.Slug, Java: pr.Java}
			}
		}
	}
	return plain
}

// matches reports whether the probe's output matches the rule's output
// pattern, compiled once when the registry was loaded (matching runs per
// probe of every distinct host profile). A rule made by hand, never
// loaded, is compiled here; one that does not compile matches nothing.
func (pr *ProbeRule) matches(output string) bool {
	if pr.output != nil {
		return pr.output.MatchString(output)
	}
	ok, _ := regexp.MatchString(pr.Output, output)
	return ok
}
