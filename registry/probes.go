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
			if ok, _ := regexp.MatchString(pr.Output, output); ok {
				return ProbeMatch{Product: p.Slug, Java: pr.Java}
			}
		}
	}
	return plain
}
